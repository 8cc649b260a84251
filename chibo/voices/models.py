"""Voices: the situations, opinions and aspirations members and citizens raise (DOMAIN.md rule
15), each routed from its cell up the tree until someone answers and resolves it.

A voice belongs to the cell where it was raised and is held by one organisation at a time: the
cell first, then each committee it is passed up to. Every change is a `Step`, so the person who
raised it reads the whole history. Due dates are set when it is received and do not restart when
it is passed up: the person waits the same (decision 15).
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member, Organisation

# The longest voice: what someone says in a few paragraphs, read on a phone.
TEXT_MAX = 2000
PLACE_MAX = 200


class Category(models.Model):
    """What a voice is about. Data, not code: an installation adds its own, each with its own
    times if the defaults (`CHIBO_VOICE_DAYS`) do not fit."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    name_km = models.CharField(_("name in Khmer"), max_length=100, blank=True)
    answer_days = models.PositiveSmallIntegerField(
        _("days to a first answer"), null=True, blank=True, help_text=_("Empty: the default.")
    )
    resolve_days = models.PositiveSmallIntegerField(
        _("days to resolve"), null=True, blank=True, help_text=_("Empty: the default.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("category of voices")
        verbose_name_plural = _("categories of voices")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return getattr(self, f"name_{get_language()}", "") or self.name

    def due_dates(self, received_at: datetime, urgent: bool) -> tuple[datetime, datetime]:
        """When the first answer and the resolution are due, in calendar days (decision 15);
        an urgent voice gets the shorter of the category's and the urgent times."""
        days = settings.CHIBO_VOICE_DAYS
        answer = self.answer_days or days["answer"]
        resolve = self.resolve_days or days["resolve"]
        if urgent:
            answer, resolve = (
                min(answer, days["urgent_answer"]),
                min(resolve, days["urgent_resolve"]),
            )
        return received_at + timedelta(days=answer), received_at + timedelta(days=resolve)


class VoiceQuerySet(models.QuerySet):
    def open(self) -> "VoiceQuerySet":
        """Voices not yet resolved or declined."""
        return self.exclude(state__in=Voice.CLOSED)

    def overdue(self, at: datetime | None = None) -> "VoiceQuerySet":
        """Open voices past a due date at `at`: no first answer by its date, or not resolved
        by its date."""
        at = at or timezone.now()
        return self.open().filter(
            Q(first_answered_at__isnull=True, answer_due__lt=at) | Q(resolve_due__lt=at)
        )

    def held_by(self, org: Organisation) -> "VoiceQuerySet":
        return self.filter(holder=org)

    def raised_in(self, meeting: Meeting, minutes=None) -> "VoiceQuerySet":
        """The voices recorded as raised in the meeting, in the order they were raised; for an
        approved version of its minutes, those recorded by its approval, so that the version
        never changes (a voice recorded later goes into the next one)."""
        voices = self.filter(meeting=meeting).order_by("received_at", "pk")
        if minutes is not None and minutes.approved_at is not None:
            voices = voices.filter(received_at__lte=minutes.approved_at)
        return voices

    def awaiting_review(self) -> "VoiceQuerySet":
        """Voices from the public door no handler has accepted or rejected yet."""
        return self.filter(moderation=Voice.Moderation.WAITING)


class HeardManager(models.Manager.from_queryset(VoiceQuerySet)):
    """Only the voices that are heard: every one a member recorded, and those from the public
    door a handler accepted. Being the default manager, it keeps what is waiting for review or
    was rejected out of every inbox, count, summary and indicator without each asking."""

    def get_queryset(self) -> VoiceQuerySet:
        return super().get_queryset().filter(moderation__in=Voice.HEARD)


class Voice(models.Model):
    """One situation, opinion or aspiration, from the moment a member records it to its close."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")

    class Source(models.TextChoices):
        SELF = "self", _("the member themself")
        MEMBER = "member", _("another member")
        CITIZEN = "citizen", _("a citizen")

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        PASSED_UP = "passed_up", _("passed up")
        RESOLVED = "resolved", _("resolved")
        DECLINED = "declined", _("declined")

    class Moderation(models.TextChoices):
        # A member recorded it: nothing to review.
        NONE = "", _("not needed")
        WAITING = "waiting", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not accepted")

    CLOSED = (State.RESOLVED, State.DECLINED)
    OPEN = (State.RECEIVED, State.IN_PROGRESS, State.ANSWERED, State.PASSED_UP)
    HEARD = (Moderation.NONE, Moderation.ACCEPTED)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cell = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="voices",
        limit_choices_to={"kind": Organisation.Kind.CELL},
        verbose_name=_("party cell"),
    )
    holder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="held_voices",
        verbose_name=_("held by"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="voices", verbose_name=_("category")
    )
    place = models.CharField(
        _("place"), max_length=PLACE_MAX, validators=[validate_plain_text], blank=True
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # Stored and shown as plain text: never rendered as HTML, links are not made clickable.
    text = models.TextField(_("what was raised"), max_length=TEXT_MAX)
    source = models.CharField(_("raised by"), max_length=10, choices=Source.choices)
    raised_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="raised_voices"
    )
    citizen_name = models.CharField(_("citizen's name"), max_length=200, blank=True)
    # Kept only when the citizen agreed; shown only to those who handle the voice.
    citizen_contact = models.CharField(_("citizen's contact"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="recorded_voices"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="voices"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    received_at = models.DateTimeField(_("received"))
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    # When it was resolved or declined: closed.
    resolved_at = models.DateTimeField(_("closed"), null=True, blank=True)
    answer_due = models.DateTimeField(_("first answer due"))
    resolve_due = models.DateTimeField(_("resolution due"))
    # When the holder and the committee above were told it is overdue: told once.
    overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A citizen's voice, left at the public door or recorded by a member: the code the citizen
    # keeps to read the answers.
    tracking_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    # The language a citizen reads (the door's, or the one the recording member chose): the
    # mails about their voice are written in it. Empty for members, who have their own.
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    # A voice from the public door waits for a handler of its cell before anyone counts it.
    moderation = models.CharField(
        _("review"), max_length=10, choices=Moderation.choices, default="", blank=True
    )

    objects = HeardManager()
    # Every voice, those waiting for review and rejected too: the door and its queue only.
    everything = VoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("voice")
        verbose_name_plural = _("voices")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["holder", "state", "received_at"], name="voice_inbox"),
            # The inbox in its order, the earliest due first: a city holds thousands over years.
            models.Index(fields=["holder", "answer_due", "id"], name="voice_inbox_due"),
            models.Index(fields=["cell", "received_at"], name="voice_cell_received"),
            models.Index(fields=["raised_by", "received_at"], name="voice_raised_by"),
            models.Index(fields=["recorded_by", "received_at"], name="voice_recorded_by"),
            models.Index(fields=["state", "answer_due"], name="voice_answer_due"),
            models.Index(fields=["state", "resolve_due"], name="voice_resolve_due"),
            models.Index(fields=["cell", "first_answered_at"], name="voice_cell_answered"),
            # The summary's overdue voices: the open ones of a window, read from the index alone
            # (a partial index on open states is of no use: SQLite matches its condition only
            # against literals, and Django sends the states as parameters).
            models.Index(
                fields=[
                    "state",
                    "received_at",
                    "cell",
                    "category",
                    "moderation",
                    "first_answered_at",
                    "answer_due",
                    "resolve_due",
                ],  # fmt: skip
                name="voice_open",
            ),
            models.Index(
                fields=["cell", "received_at"],
                condition=Q(moderation="waiting"),
                name="voice_awaiting_review",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_due__lte=models.F("resolve_due")),
                name="voice_answer_due_before_resolution",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.state not in self.CLOSED

    def is_overdue(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        if not self.is_open:
            return False
        return (self.first_answered_at is None and self.answer_due < at) or self.resolve_due < at

    @staticmethod
    def contact_without_consent(contact: str, consent: bool) -> bool:
        """A citizen's contact given without their consent: refused, not kept, and not quietly
        dropped either, which would leave them waiting for a call that never comes."""
        return bool(contact) and not consent

    @property
    def citizen_email(self) -> str:
        """Where the news of a citizen's voice is mailed: their contact (kept only with their
        consent) when it is an e-mail address and they hold a tracking code to follow the voice
        with; empty otherwise. A phone number gets nothing: chibo sends no SMS."""
        if self.source != self.Source.CITIZEN or not self.citizen_contact or not self.tracking_code:
            return ""
        try:
            validate_email(self.citizen_contact)
        except ValidationError:
            return ""
        return self.citizen_contact

    @property
    def raiser_name(self) -> str:
        """Who raised it, in words (a citizen's name only if they gave one)."""
        if self.source == self.Source.CITIZEN:
            return self.citizen_name or str(_("a citizen"))
        return self.raised_by.full_name if self.raised_by else ""


class Step(models.Model):
    """One thing done with a voice: recorded, taken up, answered, passed up, closed."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        STARTED = "started", _("taken up")
        ANSWERED = "answered", _("answered")
        PASSED_UP = "passed_up", _("passed up")
        RESOLVED = "resolved", _("resolved")
        DECLINED = "declined", _("declined")
        ACCEPTED = "accepted", _("accepted after review")
        REJECTED = "rejected", _("not accepted after review")

    # The steps whose words a citizen reads on the tracking page: answers and reasons. A note
    # passing a voice up is for the committee above (the citizen reads where it went).
    WORDS_FOR_THE_RAISER = (Kind.ANSWERED, Kind.RESOLVED, Kind.DECLINED, Kind.REJECTED)
    # The steps a citizen who left an e-mail address is mailed about: the answers, and where the
    # voice went. Not a rejection at review: nobody has read the voice as genuine, nor the
    # address as the sender's, and the door must not mail strangers on anyone's word.
    NEWS_FOR_THE_CITIZEN = (Kind.ANSWERED, Kind.PASSED_UP, Kind.RESOLVED, Kind.DECLINED)

    voice = models.ForeignKey(Voice, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The organisation that acted, and where the voice went (passing up only).
    by_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(max_length=TEXT_MAX, blank=True, validators=[validate_multiline_text])
    at = models.DateTimeField()
    # When the citizen was mailed of it (`NEWS_FOR_THE_CITIZEN`): mailed once.
    mailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["voice", "at"], name="voice_step_at"),
            models.Index(fields=["kind", "at"], name="voice_step_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.voice_id} · {self.get_kind_display()}"


class Tally(models.Model):
    """How many heard voices an organisation's subtree received in a month, by category, open
    or closed: the committee's summary reads its own few rows instead of counting a province's
    voices (decision 21). A voice counts in its cell's row and in each committee's above it,
    so nothing is summed when read. Kept by the functions that change voices (`tally`), rebuilt
    from the voices after a bulk load."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    open = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "category", "open"], name="voice_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.month:%Y-%m} · {self.category_id}: {self.n}"


# Consultations live in their own module; imported here so that Django knows them.
from chibo.voices.consultations import Consultation, Stance, Statement  # noqa: E402, F401
