"""Holding a meeting and what follows it: the roll, votes, minutes, the resolution and its tasks.

Each function is one step of the process in one transaction. A step the rules forbid raises a
translated ValidationError before anything is written, so the caller can show it as it is. A
step that changes what the monthly indicators count recomputes the cells' months it changed
(`rollup.refresh`) in the same transaction.
"""

from collections import Counter
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chibo.lib.months import month_of
from chibo.meetings import quorum
from chibo.meetings.models import (
    ActionItem,
    ActionUpdate,
    Answer,
    Attendance,
    Meeting,
    Minutes,
    Resolution,
    ResolutionTask,
    Vote,
)
from chibo.meetings.publishing import recipients
from chibo.notify.models import Notification
from chibo.orgs.models import Member, Organisation
from chibo.quality import rollup

Presence = Attendance.Presence
Standing = Member.Status
# Exempt members have no duty to attend; the transferred and suspended are not summoned here.
NO_DUTY = {Standing.EXEMPT, Standing.TRANSFERRED, Standing.SUSPENDED}
Record = Minutes | Resolution


class Roll:
    """Rule 8's totals over the roll, and rule 9's count for the votes."""

    def __init__(self, lines: list[Attendance]) -> None:
        self.lines = lines
        self.standings = Counter(line.standing for line in lines)
        self.present = [line for line in lines if line.presence == Presence.PRESENT]
        self.excused = [line for line in lines if line.presence == Presence.EXCUSED]
        self.absent = [
            line
            for line in lines
            if line.presence == Presence.ABSENT and line.standing not in NO_DUTY
        ]
        self.count = quorum.count(quorum.Line(line.standing, line.presence) for line in lines)

    def totals(self) -> list[tuple[str, int]]:
        """Members by their status on the day, in the order the statuses are defined."""
        return [(label, n) for value, label in Standing.choices if (n := self.standings[value])]


def roll_of(meeting: Meeting) -> Roll:
    lines = meeting.roll.select_related("member__cell").order_by("member__search_name", "pk")
    return Roll(list(lines))


def _require_in_progress(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("The meeting is not in progress."), code="not_open")


def _require_window(meeting: Meeting, now: datetime) -> None:
    """A meeting opens around its start, not weeks before it or long after."""
    earliest, latest = meeting.opening_window()
    if not earliest <= now <= latest:
        raise ValidationError(
            _("A meeting opens between %(earliest)s and %(latest)s, around its start.")
            % {
                "earliest": date_format(timezone.localtime(earliest), "DATETIME_FORMAT"),
                "latest": date_format(timezone.localtime(latest), "DATETIME_FORMAT"),
            },
            code="window",
        )


@transaction.atomic
def open_meeting(
    meeting: Meeting, now: datetime | None = None, presiding_id: int | None = None
) -> None:
    """Open a published meeting at `now` (within its window) and call the roll of everyone now
    in the cell; safe to repeat.

    Everyone expected starts present, so that the secretary marks only the exceptions; those
    who answered that they cannot come start absent with their reason, and those with no duty
    to attend (`NO_DUTY`) start absent. The chair starts as whoever presides: `presiding_id`
    (the deputy in the secretary's stead), else the secretary, when present.
    """
    if meeting.status not in {Meeting.Status.PUBLISHED, Meeting.Status.OPEN}:
        raise ValidationError(_("Only a published meeting can be opened."), code="not_published")
    if meeting.status == Meeting.Status.PUBLISHED:
        _require_window(meeting, now or timezone.now())
    excuses = dict(
        meeting.answers.filter(choice=Answer.Choice.ABSENT).values_list("member_id", "reason")
    )
    members = Member.objects.filter(cell_id=meeting.cell_id).values_list("pk", "status")
    # Lines already called keep what was marked on them: a second call only adds newcomers.
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member_id=pk,
                standing=status,
                presence=_expected(status, pk in excuses),
                reason=excuses.get(pk, ""),
            )
            for pk, status in members
        ],
        ignore_conflicts=True,
    )
    fields = []
    if meeting.chair_id is None:
        chair = presiding_id or meeting.secretary_id()
        if meeting.roll.filter(member_id=chair, presence=Presence.PRESENT).exists():
            meeting.chair_id = chair
            fields.append("chair")
    if meeting.status != Meeting.Status.OPEN:
        meeting.status = Meeting.Status.OPEN
        fields.append("status")
    if fields:
        meeting.save(update_fields=[*fields, "updated_at"])


def _expected(standing: str, excused: bool) -> str:
    if excused:
        return Presence.EXCUSED
    return Presence.ABSENT if standing in NO_DUTY else Presence.PRESENT


def _officers(meeting: Meeting) -> dict[int, str]:
    """Lock the meeting and read again its status and who chairs it and takes its minutes (with
    why they stay present), so that a tap on the roll and a choice of officers take turns."""
    status, chair, taker = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting.pk)
        .values_list("status", "chair_id", "minute_taker_id")
        .get()
    )
    meeting.status = status
    return {
        pk: refusal
        for pk, refusal in (
            (taker, _("%(name)s takes the minutes: choose another minute-taker first.")),
            (chair, _("%(name)s chairs the meeting: choose another chair first.")),
        )
        if pk is not None
    }


@transaction.atomic
def mark(
    meeting: Meeting, line: Attendance, presence: str, reason: str = "", by_qr: bool = False
) -> None:
    """Set one line of the roll while the meeting is in progress; the chair and the
    minute-taker stay present."""
    officers = _officers(meeting)
    _require_in_progress(meeting)
    if presence == line.presence == Presence.PRESENT and line.checked_in_at:
        return  # keep the time and the way of the first check-in
    if presence != Presence.PRESENT and line.member_id in officers:
        raise ValidationError(
            officers[line.member_id] % {"name": line.member.full_name}, code="officer"
        )
    line.presence = presence
    line.reason = reason if presence == Presence.EXCUSED else ""
    line.checked_in_at = timezone.now() if presence == Presence.PRESENT else None
    line.by_qr = by_qr and presence == Presence.PRESENT
    line.save(update_fields=["presence", "reason", "checked_in_at", "by_qr"])


@transaction.atomic
def choose_officers(meeting: Meeting, chair: Member, minute_taker: Member) -> None:
    """Who chairs the meeting and who takes its minutes: members present on its roll. Approved
    minutes name them, so they no longer change then."""
    _officers(meeting)
    if not meeting.has_opened:
        raise ValidationError(_("The meeting has not opened yet."), code="not_opened")
    if meeting.minutes.exclude(status=Minutes.Status.DRAFT).exists():
        raise ValidationError(
            _("The minutes are approved: the chair and the minute-taker they name stay."),
            code="approved",
        )
    present = set(
        meeting.roll.filter(
            member_id__in=[chair.pk, minute_taker.pk], presence=Presence.PRESENT
        ).values_list("member_id", flat=True)
    )
    for member in (chair, minute_taker):
        if member.pk not in present:
            raise ValidationError(
                _("%(name)s is not present on the roll: mark them present first.")
                % {"name": member.full_name},
                code="not_present",
            )
    meeting.chair, meeting.minute_taker = chair, minute_taker
    meeting.save(update_fields=["chair", "minute_taker", "updated_at"])


@transaction.atomic
def check_in(meeting: Meeting, member: Member, by_qr: bool = False) -> Attendance:
    """A member of the cell is here; one who joined after the roll was called gets a line."""
    _require_in_progress(meeting)
    line, _created = Attendance.objects.get_or_create(
        meeting=meeting, member=member, defaults={"standing": member.status}
    )
    mark(meeting, line, Presence.PRESENT, by_qr=by_qr)
    return line


@transaction.atomic
def record_vote(
    meeting: Meeting, subject: str, votes_for: int, votes_against: int, abstentions: int
) -> Vote:
    """Rule 9: the result follows from the roll and the tally, never from what someone typed."""
    _require_in_progress(meeting)
    count = roll_of(meeting).count
    count.check(votes_for, votes_against, abstentions)
    return Vote.objects.create(
        meeting=meeting,
        subject=subject,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        adjusted_count=count.adjusted,
        needed=count.needed,
        passed=count.passes(votes_for),
    )


@transaction.atomic
def close_meeting(meeting: Meeting) -> None:
    _require_in_progress(meeting)
    meeting.status = Meeting.Status.CLOSED
    meeting.save(update_fields=["status", "updated_at"])
    # Held, it counts; meetings held after it (closed out of turn) are judged against it.
    rollup.refresh(rollup.held_months(meeting, onwards=True))


def _read_locked(record: Record) -> None:
    """Read the record again once its meeting is locked: the second of two taps waits for the
    first, then finds what it did (already approved, a newer version) and is refused."""
    Meeting(pk=record.meeting_id).lock()
    record.refresh_from_db()


def _require_latest(record: Record) -> None:
    newest = type(record).objects.filter(meeting_id=record.meeting_id).aggregate(v=Max("version"))
    if record.version != newest["v"]:
        raise ValidationError(_("A newer version exists: work on that one."), code="not_latest")


@transaction.atomic
def save_minutes(
    meeting: Meeting, latest: Minutes | None, sections: dict[str, str], by_id: int | None
) -> Minutes:
    """Write the draft minutes along the agenda (its latest version, or the first one)."""
    if latest is not None and latest.status != Minutes.Status.DRAFT:
        raise ValidationError(
            _("Approved minutes never change. Correct them: the correction is a new version."),
            code="approved",
        )
    if not meeting.has_opened:
        raise ValidationError(_("Minutes are written once the meeting has opened."), code="early")
    meeting.lock()
    # A first version saved by another request meanwhile is the one to write on.
    latest = latest or meeting.minutes.first()
    if latest is None:
        latest = Minutes.objects.create(meeting=meeting, sections=sections, written_by_id=by_id)
    else:
        latest.sections = sections
        latest.save(update_fields=["sections", "updated_at"])
    # What they say under self-criticism counts for a held meeting.
    rollup.refresh(rollup.held_months(meeting))
    return latest


@transaction.atomic
def approve_minutes(minutes: Minutes) -> None:
    """Step 9 of rule 6: the minutes are read and approved; from then on they never change."""
    _read_locked(minutes)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("These minutes are already approved."), code="approved")
    if not minutes.meeting.has_opened:
        raise ValidationError(_("Minutes are approved once the meeting has opened."), code="early")
    if not any(text.strip() for text in minutes.sections.values()):
        raise ValidationError(_("Write the minutes before approving them."), code="empty")
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["status", "approved_at", "updated_at"])


@transaction.atomic
def save_resolution(
    meeting: Meeting, draft: Resolution | None, texts: dict[str, str], rows: list[dict]
) -> Resolution:
    """Write the draft resolution: parts I, III, IV as texts, part II as rows of tasks."""
    meeting.lock()
    # A first draft saved by another request meanwhile is the one to write on.
    draft = draft or meeting.resolutions.first()
    if draft is None:
        year = timezone.localtime(meeting.starts_at).year
        draft = Resolution.objects.create(
            meeting=meeting, cell_id=meeting.cell_id, year=year, **texts
        )
    elif draft.status != Resolution.Status.DRAFT:
        raise ValidationError(_("An adopted resolution never changes: correct it."), code="adopted")
    else:
        for name, value in texts.items():
            setattr(draft, name, value)
        draft.save(update_fields=[*texts, "updated_at"])
    _write_rows(draft, rows)
    return draft


def _write_rows(draft: Resolution, rows: list[dict]) -> None:
    """Part II's rows, each keeping its position through edits and corrections.

    A correction's rows match the rows they correct by position (see `_follow_tasks`), so a new
    row takes a position no version of this meeting's resolution has used.
    """
    tasks = {task.position: task for task in draft.tasks.all()}
    used = ResolutionTask.objects.filter(resolution__meeting_id=draft.meeting_id).aggregate(
        n=Max("position")
    )["n"]
    kept, added = [], []
    for row in rows:
        task = tasks.pop(row.get("position"), None)
        if task is None:
            added.append(ResolutionTask(resolution=draft, position=(used or 0) + len(added) + 1))
            task = added[-1]
        else:
            kept.append(task)
        task.what, task.owner, task.deadline = row["what"], row["owner"], row["deadline"]
    ResolutionTask.objects.filter(pk__in=[task.pk for task in tasks.values()]).delete()
    ResolutionTask.objects.bulk_update(kept, ["what", "owner", "deadline"])
    ResolutionTask.objects.bulk_create(added)


def _next_number(resolution: Resolution) -> int:
    """The number of "Số N-NQ/CB": one more than the cell's last resolution of the year."""
    # Lock the cell's row so two resolutions adopted at once cannot take the same number.
    Organisation.objects.select_for_update().get(pk=resolution.cell_id)
    last = Resolution.objects.filter(
        cell_id=resolution.cell_id, year=resolution.year, version=1
    ).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _check_vote(resolution: Resolution, vote: Vote | None) -> None:
    if vote is None:
        if resolution.version == 1:
            raise ValidationError(_("Choose the vote that adopted the resolution."), code="no_vote")
        return  # a correction needs no vote of its own: the version it corrects keeps one
    if vote.meeting_id != resolution.meeting_id or not vote.passed:
        raise ValidationError(
            _("A resolution is adopted by a vote of its meeting that passed."), code="vote"
        )
    if Resolution.objects.filter(vote=vote).exists():
        raise ValidationError(_("That vote already adopted a resolution."), code="vote_used")


def _action(task: ResolutionTask, cell_id: int) -> ActionItem:
    return ActionItem(
        task=task, cell_id=cell_id, what=task.what, owner_id=task.owner_id, deadline=task.deadline
    )


def _follow_tasks(resolution: Resolution) -> set[date]:
    """Part II's rows become action items; a correction takes over the follow-up row by row.

    Items of the corrected version move to the row at the same position with its new text,
    owner and deadline, keeping their status and progress; rows that are new get new items, and
    open items whose row was dropped are cancelled. Returns the deadlines of every item made,
    moved (before and after) or cancelled.
    """
    earlier = {
        item.task.position: item
        for item in ActionItem.objects.filter(
            task__resolution__meeting_id=resolution.meeting_id,
            task__resolution__version=resolution.version - 1,
        ).select_related("task")
    }
    now = timezone.now()
    moved, created, deadlines = [], [], set()
    for task in resolution.tasks.all():
        item = earlier.pop(task.position, None)
        if item is None:
            created.append(_action(task, resolution.cell_id))
            deadlines.add(task.deadline)
            continue
        deadlines |= {item.deadline, task.deadline}
        item.task, item.what, item.owner_id = task, task.what, task.owner_id
        item.deadline, item.updated_at = task.deadline, now
        moved.append(item)
    ActionItem.objects.bulk_update(moved, ["task", "what", "owner", "deadline", "updated_at"])
    ActionItem.objects.bulk_create(created)
    dropped = ActionItem.objects.filter(pk__in=[item.pk for item in earlier.values()]).open()
    deadlines.update(dropped.values_list("deadline", flat=True))
    dropped.update(status=ActionItem.Status.CANCELLED, updated_at=now)
    return deadlines


@transaction.atomic
def adopt_resolution(resolution: Resolution, vote: Vote | None) -> None:
    """Rule 10: the vote adopts the resolution, which takes the cell's next number of the year."""
    _read_locked(resolution)
    if resolution.status != Resolution.Status.DRAFT:
        raise ValidationError(_("This resolution is already adopted."), code="adopted")
    _require_latest(resolution)
    _check_vote(resolution, vote)
    if resolution.number is None:
        resolution.number = _next_number(resolution)
    resolution.vote = vote
    resolution.status = Resolution.Status.ADOPTED
    resolution.adopted_at = timezone.now()
    resolution.save(update_fields=["number", "vote", "status", "adopted_at", "updated_at"])
    # The tasks count in the months they fall due (and fell due, for a correction's); the
    # resolution itself in the month it is adopted (rule 16: consulted first or not).
    months = rollup.task_months(resolution.cell_id, _follow_tasks(resolution))
    rollup.refresh({*months, (resolution.cell_id, month_of(resolution.adopted_at))})


@transaction.atomic
def correct(record: Record, reason: str) -> Record:
    """A new draft version of approved minutes or an adopted resolution; the old one stays."""
    _read_locked(record)
    if record.status == record.Status.DRAFT:
        raise ValidationError(_("A draft is changed directly, not corrected."), code="draft")
    _require_latest(record)
    draft = type(record).objects.get(pk=record.pk)
    draft.pk, draft._state.adding = None, True
    draft.version = record.version + 1
    draft.status = record.Status.DRAFT
    draft.correction = reason
    draft.published_at = None
    if isinstance(draft, Minutes):
        draft.approved_at = None
    else:
        draft.adopted_at, draft.vote = None, None
    draft.save()
    if isinstance(draft, Resolution):
        ResolutionTask.objects.bulk_create(
            ResolutionTask(
                resolution=draft,
                position=task.position,
                what=task.what,
                owner_id=task.owner_id,
                deadline=task.deadline,
            )
            for task in record.tasks.all()
        )
    return draft


def record_stand_in(meeting: Meeting, deputy_id: int | None) -> None:
    """The deputy acted in the secretary's stead on this meeting (`Scope.presides`)."""
    meeting.stand_in_id = deputy_id
    Meeting.objects.filter(pk=meeting.pk).update(stand_in_id=deputy_id)


def publish_due(meeting: Meeting) -> datetime:
    """Rule 10: the finished records reach members within a few days of the meeting."""
    return meeting.ends_at + timedelta(days=settings.CHIBO_RULES["resolution_publish_days"])


def is_late(meeting: Meeting, published_at: datetime | None = None) -> bool:
    """Whether records published at `published_at` (or not yet, now) come too late."""
    return (published_at or timezone.now()) > publish_due(meeting)


def _require_settled(meeting: Meeting, minutes: Minutes | None, resolution: Resolution | None):
    """Rule 10: the minutes and the resolution reach members together, both approved (a
    thematic meeting's finished text, rule 7, may come without a resolution)."""
    if minutes is None or minutes.status == Minutes.Status.DRAFT:
        raise ValidationError(
            _("Approve the minutes first: the minutes and the resolution are published together."),
            code="minutes_draft",
        )
    if resolution is None and meeting.kind == Meeting.Kind.THEMATIC:
        return
    if resolution is None or resolution.status == Resolution.Status.DRAFT:
        raise ValidationError(
            _(
                "The resolution is still a draft: adopt it first. The minutes and the "
                "resolution are published together."
            ),
            code="resolution_draft",
        )


@transaction.atomic
def publish_records(meeting: Meeting) -> list[Record]:
    """Send the approved minutes and the adopted resolution to the members, together, and tell
    each of them once."""
    meeting.lock()
    minutes, resolution = meeting.minutes.first(), meeting.resolutions.first()
    _require_settled(meeting, minutes, resolution)
    ready = [
        record
        for record in (minutes, resolution)
        if record is not None and record.status != record.Status.PUBLISHED
    ]
    if not ready:
        raise ValidationError(
            _("Nothing new to publish: these records are already published."),
            code="nothing_ready",
        )
    now = timezone.now()
    for record in ready:
        record.status, record.published_at = record.Status.PUBLISHED, now
        record.save(update_fields=["status", "published_at", "updated_at"])
    # Published records are what later meetings are compared with (formalism).
    rollup.refresh(rollup.held_months(meeting, onwards=True))
    # Those who got the notice get the records; `chibo remind` mails them as each person chose.
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, meeting=meeting, kind=Notification.Kind.RECORDS)
        for pk in recipients(meeting).values_list("pk", flat=True)
    )
    return ready


@transaction.atomic
def follow_up(
    item: ActionItem, author_id: int | None, status: str, progress: int, note: str
) -> ActionUpdate:
    """Its owner or the secretary reports where a task stands; the history keeps each report."""
    if status != ActionItem.Status.DONE:
        item.done_on = None
    elif item.done_on is None:
        item.done_on = timezone.localdate()
    item.status, item.progress = status, progress
    item.save(update_fields=["status", "progress", "done_on", "updated_at"])
    rollup.refresh(rollup.task_months(item.cell_id, [item.deadline]))
    return ActionUpdate.objects.create(
        item=item, author_id=author_id, status=status, progress=progress, note=note
    )


def previous_tasks(meeting: Meeting) -> list[ActionItem]:
    """The tasks of the cell's last adopted resolution before this meeting (rule 6, step 2),
    in one query."""
    last = (
        Resolution.objects.filter(
            cell_id=meeting.cell_id,
            status__in=[Resolution.Status.ADOPTED, Resolution.Status.PUBLISHED],
            meeting__starts_at__lt=meeting.starts_at,
        )
        .order_by("-meeting__starts_at", "-version")
        .values("pk")[:1]
    )
    return list(
        ActionItem.objects.filter(task__resolution=Subquery(last))
        .select_related("owner")
        .order_by("task__position")
    )


def assessment_text(items: list[ActionItem]) -> str:
    """Part I's starting point: each task of last month and where it stands."""
    return "\n".join(
        _("%(n)d. %(what)s. %(owner)s, by %(deadline)s: %(status)s, %(progress)d%%.")
        % {
            "n": n,
            "what": item.what,
            "owner": item.owner.full_name if item.owner else _("no owner"),
            "deadline": date_format(item.deadline, "SHORT_DATE_FORMAT"),
            "status": item.get_status_display(),
            "progress": item.progress,
        }
        for n, item in enumerate(items, start=1)
    )
