"""Meetings of a cell, from plan to publication, and members' answers before the meeting."""

import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Case, F, Max, Q, When
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_date, validate_year
from chibo.lib.months import month_of, next_month, shift
from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.orgs.models import Member, Organisation, Position


class Step(models.TextChoices):
    """The official steps of a meeting's agenda (Guidance 42, DOMAIN.md rules 6 and 7)."""

    OPENING = "opening", _("Opening: reason, guests, minute-taker, roll, agenda, party dues")
    ASSESSMENT = "assessment", _("Assessment of last month's resolution")
    SITUATION = "situation", _("Ideological situation, self-criticism and criticism")
    NEXT_TASKS = "next_tasks", _("Next month's tasks")
    DISCUSSION = "discussion", _("Discussion")
    CONCLUSION = "conclusion", _("Conclusion and assignment")
    VOTE = "vote", _("Vote on the resolution")
    SCORING = "scoring", _("Scoring the meeting's quality")
    MINUTES = "minutes", _("Reading and approving the minutes")
    PURPOSE = "purpose", _("Purpose of the thematic meeting")
    PRESENTATION = "presentation", _("Presentation of the theme")
    THEME_DISCUSSION = "theme_discussion", _("Discussion of the theme and its lessons for us")
    THEME_CONCLUSION = "theme_conclusion", _("Conclusion of the theme")
    OTHER = "other", _("Other item")


REGULAR_STEPS = [
    Step.OPENING,
    Step.ASSESSMENT,
    Step.SITUATION,
    Step.NEXT_TASKS,
    Step.DISCUSSION,
    Step.CONCLUSION,
    Step.VOTE,
    Step.SCORING,
    Step.MINUTES,
]
THEMATIC_STEPS = [
    Step.OPENING,
    Step.PURPOSE,
    Step.PRESENTATION,
    Step.THEME_DISCUSSION,
    Step.THEME_CONCLUSION,
    Step.MINUTES,
]


# What a vote is on unless the secretary says otherwise.
RESOLUTION_VOTED = _("The resolution of the meeting")
UNDER_WAY = timedelta(hours=4)
# The longest text of one part of a resolution, and the parts that are texts.
PART_MAX = 10_000
RESOLUTION_PARTS = ("assessment", "assignment", "quality")
# Long enough to outlast a meeting's notice period; a receipt forgotten is only asked again.
RECEIPT_KEPT = 60 * 24 * 60 * 60


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now: datetime | None = None) -> "MeetingQuerySet":
        """Meetings still to come, or under way (a meeting lasts a few hours at most)."""
        return self.filter(starts_at__gte=(now or timezone.now()) - UNDER_WAY).exclude(
            status=Meeting.Status.CANCELLED
        )

    def past(self, now: datetime | None = None) -> "MeetingQuerySet":
        return self.filter(starts_at__lt=(now or timezone.now()) - UNDER_WAY)

    def drafts_to_come(self, now: datetime | None = None) -> "MeetingQuerySet":
        """Meetings still to come whose notice has not gone out (rule 5)."""
        return self.filter(status=Meeting.Status.DRAFT, starts_at__gt=now or timezone.now())

    def awaiting_minutes(self, now: datetime | None = None) -> "MeetingQuerySet":
        """Meetings opened or held, begun by `now`, whose minutes are not approved (rule 10)."""
        return self.filter(
            status__in=[Meeting.Status.OPEN, Meeting.Status.CLOSED],
            starts_at__lte=now or timezone.now(),
        ).exclude(minutes__status__in=[Minutes.Status.APPROVED, Minutes.Status.PUBLISHED])


class Meeting(models.Model):
    """A meeting of one cell: regular (monthly), thematic (quarterly), both in one, or not."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular meeting")
        THEMATIC = "thematic", _("thematic meeting")
        COMBINED = "combined", _("regular and thematic meeting")
        EXTRAORDINARY = "extraordinary", _("extraordinary meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        OPEN = "open", _("in progress")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cell = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="meetings",
        limit_choices_to={"kind": Organisation.Kind.CELL},
        verbose_name=_("party cell"),
    )
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=Kind.choices)
    theme = models.CharField(
        _("theme"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_date])
    planned_minutes = models.PositiveSmallIntegerField(_("planned length (minutes)"), default=90)
    place = models.CharField(_("place"), max_length=200, validators=[validate_plain_text])
    preparer = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings_to_prepare",
        verbose_name=_("prepared by"),
    )
    series = models.ForeignKey(
        "MeetingSeries", on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Rule 4: the cell committee met and agreed the content, on this day, these members present.
    agreed_on = models.DateField(
        _("content agreed by the cell committee on"),
        null=True,
        blank=True,
        validators=[validate_date],
    )
    agreed_with = models.ManyToManyField(
        Member, blank=True, related_name="+", verbose_name=_("who took part")
    )
    # The deputy who published, opened, closed, approved, adopted or published the records
    # while the secretary was away (`Scope.presides`).
    stand_in = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings_stood_in",
        verbose_name=_("acting for the secretary"),
    )
    # Who chaired the meeting and who took its minutes, both present on the roll: the minutes
    # name them (`holding.choose_officers`).
    chair = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings_chaired",
        verbose_name=_("chair"),
    )
    minute_taker = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings_minuted",
        verbose_name=_("minute-taker"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["cell", "starts_at"], name="meeting_cell_start"),
            # A cell's held meetings, newest first: without it SQLite walks every closed
            # meeting of the country by date.
            models.Index(fields=["cell", "status", "starts_at"], name="meeting_cell_status_start"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_minutes__gte=10) & Q(planned_minutes__lte=600),
                name="meeting_length_sensible",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.cell} · {self.starts_at:%Y-%m-%d}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.planned_minutes)

    @property
    def minimum_minutes(self) -> int:
        """Rule 3: 90 minutes, 120 when the regular and thematic meetings share a session."""
        key = "combined_meeting_minutes" if self.kind == self.Kind.COMBINED else "meeting_minutes"
        return settings.CHIBO_RULES[key]

    @property
    def is_short(self) -> bool:
        return self.planned_minutes < self.minimum_minutes

    @property
    def notice_due(self) -> datetime:
        """Rule 5: documents reach members at least this long before the meeting."""
        return self.starts_at - timedelta(days=settings.CHIBO_RULES["notice_lead_days"])

    @property
    def published_late(self) -> bool:
        return self.published_at is not None and self.published_at > self.notice_due

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.PUBLISHED}

    @property
    def is_deletable(self) -> bool:
        """A draft members never heard of: deleting it takes nothing from anyone."""
        return self.status == self.Status.DRAFT and self.published_at is None

    @transaction.atomic
    def delete_draft(self) -> list[str]:
        """Delete a draft never published, with its agenda and documents; returns the files to
        discard. Anything else is kept: a meeting members were told of is cancelled instead."""
        locked = Meeting.objects.select_for_update().filter(pk=self.pk)
        found = locked.values_list("status", "published_at").first()
        if found != (self.Status.DRAFT, None) or self.notices.exists():
            raise ValueError("Only a draft never published is deleted.")
        files = list(
            Document.objects.filter(item__meeting_id=self.pk).values_list("file", flat=True)
        )
        self.delete()
        return files

    @property
    def has_opened(self) -> bool:
        """Under way or over: the roll, minutes and votes have something to record."""
        return self.status in {self.Status.OPEN, self.Status.CLOSED}

    @property
    def accepts_answers(self) -> bool:
        """Comments and attendance answers close when the meeting opens."""
        return self.status == self.Status.PUBLISHED and timezone.now() < self.starts_at

    def lock(self) -> None:
        """Hold the meeting's row until the transaction ends, so that two requests writing one
        of its one-of-a-kind rows (the first minutes, a score per role) take turns."""
        list(Meeting.objects.select_for_update().filter(pk=self.pk).values_list("pk", flat=True))

    def opening_window(self) -> tuple[datetime, datetime]:
        """When the meeting may be opened: around its start (CHIBO_OPEN_WINDOW)."""
        window = settings.CHIBO_OPEN_WINDOW
        return (
            self.starts_at - timedelta(hours=window["before"]),
            self.starts_at + timedelta(hours=window["after"]),
        )

    def secretary_id(self) -> int | None:
        """The cell's secretary in office now, if any."""
        return (
            Position.objects.current()
            .filter(organisation_id=self.cell_id, kind=Position.Kind.SECRETARY)
            .values_list("member_id", flat=True)
            .first()
        )

    def secretary_away(self) -> bool:
        """Whether the deputy stands in for the secretary: no secretary in office, or one who
        said they cannot come, is not present on the roll called, or has not opened the
        meeting by its start."""
        secretary = self.secretary_id()
        if secretary is None:
            return True
        if self.answers.filter(member_id=secretary, choice=Answer.Choice.ABSENT).exists():
            return True
        presence = self.roll.filter(member_id=secretary).values_list("presence", flat=True)
        if self.has_opened:
            return presence.first() != Attendance.Presence.PRESENT
        return self.status == self.Status.PUBLISHED and timezone.now() >= self.starts_at

    def official_steps(self) -> list[Step]:
        if self.kind == self.Kind.REGULAR:
            return REGULAR_STEPS
        if self.kind == self.Kind.THEMATIC:
            return THEMATIC_STEPS
        if self.kind == self.Kind.COMBINED:
            return REGULAR_STEPS[:-1] + THEMATIC_STEPS[1:]
        return [Step.OPENING, Step.DISCUSSION, Step.VOTE, Step.MINUTES]

    def official_agenda_items(self) -> list["AgendaItem"]:
        """The official steps as unsaved items, so many meetings can share one bulk insert."""
        return [
            AgendaItem(meeting=self, position=i, step=step)
            for i, step in enumerate(self.official_steps(), start=1)
        ]

    def add_official_agenda(self) -> None:
        AgendaItem.objects.bulk_create(self.official_agenda_items())

    @property
    def is_regular(self) -> bool:
        """A regular meeting, alone or sharing its session with a thematic one (rule 1)."""
        return self.kind in REGULAR_KINDS

    def same_month_regular(self) -> list["Meeting"]:
        """Rule 1: the cell's other regular meetings, not cancelled, in this one's month (in
        local time). A regular meeting is held once a month: any found is a second one."""
        first = month_of(self.starts_at)
        start, end = (
            timezone.make_aware(datetime.combine(m, time())) for m in (first, next_month(first))
        )
        return list(
            Meeting.objects.filter(
                cell_id=self.cell_id,
                kind__in=REGULAR_KINDS,
                starts_at__gte=start,
                starts_at__lt=end,
            )
            .exclude(status=self.Status.CANCELLED)
            .exclude(pk=self.pk)
            .order_by("starts_at")
        )

    def overlaps(self, other: "Meeting") -> bool:
        """Whether the two share any time: [starts_at, ends_at) intervals intersect."""
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def overlapping(self) -> list["Meeting"]:
        """Other meetings of the same cell, not cancelled, that share some of this one's time."""
        # No meeting lasts over 600 minutes (meeting_length_sensible), which bounds the search.
        candidates = (
            Meeting.objects.filter(
                cell_id=self.cell_id,
                starts_at__lt=self.ends_at,
                starts_at__gt=self.starts_at - timedelta(minutes=600),
            )
            .exclude(status=self.Status.CANCELLED)
            .exclude(pk=self.pk)
        )
        return [other for other in candidates if self.overlaps(other)]

    def add_item(self, title: str, body: str = "") -> "AgendaItem":
        """A new item at the end of the agenda."""
        last = self.agenda_items.aggregate(last=Max("position"))["last"] or 0
        return AgendaItem.objects.create(meeting=self, position=last + 1, title=title, body=body)


# Rule 1 counts these as the month's regular meeting.
REGULAR_KINDS = (Meeting.Kind.REGULAR, Meeting.Kind.COMBINED)


class MeetingSeries(models.Model):
    """A cell's plan for the year: "the 4th of each month, 19:30, village hall"."""

    cell = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="meeting_series")
    day = models.PositiveSmallIntegerField(_("day of the month"))
    time = models.TimeField(_("time"))
    place = models.CharField(_("place"), max_length=200, validators=[validate_plain_text])
    planned_minutes = models.PositiveSmallIntegerField(_("planned length (minutes)"), default=90)
    first_month = models.DateField(_("first month"), validators=[validate_date])
    months = models.PositiveSmallIntegerField(_("number of months"), default=12)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly series")
        verbose_name_plural = _("monthly series")
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=1) & Q(day__lte=28), name="series_day"),
            models.CheckConstraint(
                condition=Q(months__gte=1) & Q(months__lte=24), name="series_months"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cell} · {self.day} · {self.time:%H:%M}"

    def starts(self) -> list[datetime]:
        """When each month's meeting starts, in the current time zone."""
        days = [shift(self.first_month, n).replace(day=self.day) for n in range(self.months)]
        return [timezone.make_aware(datetime.combine(day, self.time)) for day in days]

    def create_meetings(self) -> tuple[list[Meeting], list[datetime], list[datetime]]:
        """A draft regular meeting with its official agenda for each month that can have one.

        Returns the meetings created, then the months skipped because the date has passed, then
        those skipped because the cell already meets that month or at that time.
        """
        starts = self.starts()
        # A month either side covers every whole month and any meeting running into the next.
        nearby = list(
            Meeting.objects.filter(
                cell_id=self.cell_id,
                starts_at__gte=starts[0] - timedelta(days=31),
                starts_at__lt=starts[-1] + timedelta(days=31),
            ).exclude(status=Meeting.Status.CANCELLED)
        )
        # Rule 1: a month that has its regular meeting gets no second one from the series.
        monthly = {month_of(m.starts_at) for m in nearby if m.is_regular}
        now = timezone.now()
        created, past, taken = [], [], []
        for starts_at in starts:
            meeting = Meeting(
                cell_id=self.cell_id,
                kind=Meeting.Kind.REGULAR,
                starts_at=starts_at,
                planned_minutes=self.planned_minutes,
                place=self.place,
                series=self,
            )
            if starts_at <= now:
                past.append(starts_at)
            elif month_of(starts_at) in monthly or any(meeting.overlaps(other) for other in nearby):
                taken.append(starts_at)
            else:
                created.append(meeting)
        Meeting.objects.bulk_create(created)
        AgendaItem.objects.bulk_create(
            item for meeting in created for item in meeting.official_agenda_items()
        )
        return created, past, taken


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.OTHER)
    # Blank on an official step: its name is the step's, worded in the reader's language.
    title = models.CharField(
        _("title"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    body = models.TextField(
        _("content"), blank=True, max_length=20_000, validators=[validate_multiline_text]
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["meeting", "position"], name="agenda_meeting_position")]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """The title typed, or else the official step's name in the active language."""
        # Not `get_step_display()`: it hashes every lazy choice on each call, a gettext each,
        # and a search index rebuild reads the headings of a province's million items.
        return self.title or str(Step(self.step).label)

    @transaction.atomic
    def move(self, offset: int) -> bool:
        """Swap places with the item `offset` (-1 up, +1 down) away; False at either end."""
        neighbour = AgendaItem.objects.filter(
            meeting_id=self.meeting_id, position=self.position + offset
        ).first()
        if neighbour is None:
            return False
        AgendaItem.objects.filter(pk__in=[self.pk, neighbour.pk]).update(
            position=Case(When(pk=self.pk, then=neighbour.position), default=self.position)
        )
        self.position, neighbour.position = neighbour.position, self.position
        return True

    @transaction.atomic
    def remove(self) -> list[str]:
        """Delete the item with its documents, close the gap; returns the files to discard."""
        files = list(self.documents.values_list("file", flat=True))
        self.delete()
        AgendaItem.objects.filter(meeting_id=self.meeting_id, position__gt=self.position).update(
            position=F("position") - 1
        )
        return files


class Document(models.Model):
    """A file attached to an agenda item, kept with its hash so a changed file is noticed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    name = models.CharField(_("name"), max_length=200, validators=[validate_plain_text])
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    """What was sent to members at one publication, kept so an earlier version stays readable."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    version = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True)
    late = models.BooleanField(_("published late"), default=False)
    content = models.JSONField(help_text="time, place and agenda as sent")

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_notice_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · v{self.version}"


class Receipt(models.Model):
    """A member opened the meeting's notice; the secretary sees who has not.

    Written once, at the first opening; remembered in the shared cache from then on, so that
    reading a meeting writes nothing and asks nothing more."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="receipts")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_receipt_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"

    @classmethod
    def note(cls, meeting_id: int, member_id: int) -> None:
        key = f"receipt:{meeting_id}:{member_id}"
        if cache.get(key) is None:
            cls.objects.get_or_create(meeting_id=meeting_id, member_id=member_id)
            cache.set(key, True, timeout=RECEIPT_KEPT)


class Answer(models.Model):
    """A member's answer before the meeting: attending, or absent with a reason."""

    class Choice(models.TextChoices):
        ATTENDING = "attending", _("I will attend")
        ABSENT = "absent", _("I cannot attend")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(_("answer"), max_length=20, choices=Choice.choices)
    reason = models.CharField(
        _("reason"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance answer")
        verbose_name_plural = _("attendance answers")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_answer_per_member"),
            models.CheckConstraint(
                condition=Q(choice="attending") | ~Q(reason=""), name="absence_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"

    @classmethod
    def give(cls, meeting: Meeting, member_id: int, choice: str, reason: str) -> "Answer":
        """A member's answer, new or changed; two taps at once leave one answer, not an error."""
        answer, _created = cls.objects.update_or_create(
            meeting=meeting, member_id=member_id, defaults={"choice": choice, "reason": reason}
        )
        return answer


class Comment(models.Model):
    """A member's comment on an agenda item before the meeting, possibly a reply."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=4000, validators=[validate_multiline_text])
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        # Item and parent together, so a page's top-level comments are found through the item,
        # not through the (mostly empty) parent column.
        indexes = [
            models.Index(fields=["item", "parent", "created_at"], name="comment_item_thread")
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class Attendance(models.Model):
    """One line of the attendance roll (rule 8), with the member's standing on the day."""

    class Presence(models.TextChoices):
        PRESENT = "present", _("present")
        EXCUSED = "excused", _("absent with a reason")
        ABSENT = "absent", _("absent without a reason")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="roll")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendances")
    standing = models.CharField(_("status"), max_length=20, choices=Member.Status.choices)
    presence = models.CharField(
        _("presence"), max_length=10, choices=Presence.choices, default=Presence.ABSENT
    )
    reason = models.CharField(
        _("reason"), max_length=300, blank=True, validators=[validate_plain_text]
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    by_qr = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_roll_line_per_member"),
            models.CheckConstraint(
                condition=~Q(presence="excused") | ~Q(reason=""), name="excuse_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_presence_display()}"


class Vote(models.Model):
    """A vote of the official members; whether it passed is computed by rule 9, never typed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    # Blank when the meeting's resolution is voted on: worded in the reader's language.
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    votes_for = models.PositiveSmallIntegerField(_("for"))
    votes_against = models.PositiveSmallIntegerField(_("against"))
    abstentions = models.PositiveSmallIntegerField(_("abstentions"))
    adjusted_count = models.PositiveSmallIntegerField(_("adjusted count of official members"))
    needed = models.PositiveSmallIntegerField(_("votes needed"))
    passed = models.BooleanField(_("passed"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(passed=False) | Q(votes_for__gte=models.F("needed")),
                name="vote_passes_only_with_majority",
            )
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        return self.subject or str(RESOLUTION_VOTED)


class Minutes(models.Model):
    """The minutes of a meeting, along its agenda. Approved minutes never change: a correction
    is a new version with its reason, and the old one stays readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Text per agenda item, keyed by the item's position: {"1": "…", "3": "…"}.
    sections = models.JSONField(default=dict)
    correction = models.CharField(
        _("reason for the correction"),
        max_length=300,
        blank=True,
        validators=[validate_plain_text],
    )
    written_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves with every change, so that what is drawn from a version (its PDF) is made anew.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_minutes_per_version"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(correction=""), name="correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · v{self.version}"


class Resolution(models.Model):
    """A cell's resolution in four parts (rule 10), numbered "Số N-NQ/CB" per cell and year.

    Versioned like the minutes: an adopted resolution is corrected by a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")
        PUBLISHED = "published", _("published")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    cell = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="resolutions")
    version = models.PositiveSmallIntegerField(default=1)
    year = models.PositiveSmallIntegerField(validators=[validate_year])
    number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Each part bounded, so that a resolution stays a page or a few and its PDF quick to make.
    assessment = models.TextField(
        _("I. Assessment of last month's tasks"),
        blank=True,
        max_length=PART_MAX,
        validators=[validate_multiline_text],
    )
    assignment = models.TextField(
        _("III. Assignment"), blank=True, max_length=PART_MAX, validators=[validate_multiline_text]
    )
    quality = models.TextField(
        _("IV. Self-assessed quality"),
        blank=True,
        max_length=PART_MAX,
        validators=[validate_multiline_text],
    )
    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, null=True, blank=True)
    # Rule 16: a matter touching the people is consulted on first; the consultation is the
    # meeting's (`voices.Consultation.meeting`: voices depends on meetings, not the reverse).
    touches_people = models.BooleanField(
        _("on a matter touching the people"),
        default=False,
        help_text=_("Rule 16: the people are consulted first, from the meeting's page."),
    )
    correction = models.CharField(
        _("reason for the correction"),
        max_length=300,
        blank=True,
        validators=[validate_plain_text],
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "version"], name="one_resolution_per_version"
            ),
            models.UniqueConstraint(
                fields=["cell", "year", "number", "version"], name="resolution_number_per_year"
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(correction=""), name="resolution_correction_reason"
            ),
            models.CheckConstraint(
                condition=Q(
                    *(LessThanOrEqual(Length(part), PART_MAX) for part in RESOLUTION_PARTS)
                ),
                name="resolution_parts_bounded",
            ),
        ]

    def __str__(self) -> str:
        return self.label or str(self.meeting)

    @property
    def label(self) -> str:
        return f"{self.number}-NQ/CB" if self.number else ""


class ResolutionTask(models.Model):
    """A row of part II, next month's tasks: what, who, by when."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    what = models.CharField(_("task"), max_length=500, validators=[validate_plain_text])
    owner = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("owner")
    )
    deadline = models.DateField(_("deadline"), validators=[validate_date])

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.what


# An action item done by its deadline: what the meeting's score (rule 12), the indicators and
# the yearly evaluation (rule 18) count. `done_on` is set only while the item is done.
DONE_ON_TIME = Q(done_on__lte=F("deadline"))


class ActionItemQuerySet(models.QuerySet):
    def open(self) -> "ActionItemQuerySet":
        return self.exclude(status__in=[ActionItem.Status.DONE, ActionItem.Status.CANCELLED])

    def overdue(self, today=None) -> "ActionItemQuerySet":
        return self.open().filter(deadline__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """A task of an adopted resolution, followed up until done; next meetings assess it."""

    class Status(models.TextChoices):
        OPEN = "open", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.OneToOneField(ResolutionTask, on_delete=models.CASCADE, related_name="action")
    cell = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="action_items")
    what = models.CharField(_("task"), max_length=500, validators=[validate_plain_text])
    owner = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    deadline = models.DateField(_("deadline"), validators=[validate_date])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "deadline"], name="action_owner"),
            models.Index(fields=["cell", "status", "deadline"], name="action_cell"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="progress_percent")
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def on_time(self) -> bool:
        """Done by its deadline (see DONE_ON_TIME)."""
        return self.done_on is not None and self.done_on <= self.deadline


class ActionUpdate(models.Model):
    """A note on an action item's progress, by its owner or the secretary."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True)
    status = models.CharField(max_length=20, choices=ActionItem.Status.choices)
    progress = models.PositiveSmallIntegerField()
    note = models.TextField(
        _("note"), blank=True, max_length=2000, validators=[validate_multiline_text]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item} · {self.progress}%"
