"""The study of a document (học tập, quán triệt nghị quyết): a committee launches it for its
subtree or part of it; each member addressed confirms they studied it and submits a learning
note with a personal action plan; their cell's secretary reads it and may return it for
improvement; a cell may record that it held the study in a meeting.

Completion (docs/decisions/0017-library-and-study-completion.md): a member addressed is one of
the cells' summoned members (`Member.objects.summoned()`); they have completed the study once
they submitted their note, and on time if that first submission came by the end of the deadline.
A note returned for improvement stays completed: the return asks for a better text, it does not
undo that it was written. Being present at the cell's study meeting records the member as having
studied it, but the note is each member's own, so it is not completion by itself.

Each function checks what it may not do, raises `StudyError` with a message for the person,
and otherwise says what it changed by what it returns.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.lib.months import month_of
from chibo.library.models import LearningNote, StudyCampaign, StudySession
from chibo.meetings.models import Attendance, Meeting
from chibo.orgs.models import Member, Organisation


class StudyError(Exception):
    """A change refused, with a message for the person who asked."""


def _end_of(day: date) -> datetime:
    """The first moment after `day`, in the installation's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _refresh(campaign: StudyCampaign, cell_ids: Collection[int]) -> None:
    """The cells' rows of the deadline's month, once it is among the months kept."""
    month = month_of(campaign.deadline)
    if month > month_of(timezone.now()) or not cell_ids:
        return
    from chibo.quality import rollup  # rollup counts the studies through this module

    rollup.refresh({(pk, month) for pk in cell_ids})


@transaction.atomic
def launch(campaign: StudyCampaign, parts: Iterable[Organisation], today: date) -> StudyCampaign:
    """Save a new study (its committee, document, deadline and materials set) for the parts
    of the committee's subtree chosen, or all of it."""
    document, committee = campaign.document, campaign.committee
    if document.audience_id is not None and not committee.path.startswith(document.audience.path):
        raise StudyError(
            _("This document is internal to another subtree: its readers are not all yours.")
        )
    if campaign.deadline < today:
        raise StudyError(_("The deadline is over: choose a day to come."))
    campaign.save()
    campaign.parts.set(parts)
    transaction.on_commit(
        lambda: _refresh(campaign, list(campaign.cells().values_list("pk", flat=True)))
    )
    return campaign


def addressed(campaign: StudyCampaign, member: Member) -> bool:
    """Whether the member is asked to study it: summoned by a cell it addresses."""
    return (
        member.cell_id is not None and member.status in SUMMONED and campaign.addresses(member.cell)
    )


SUMMONED = {Member.Status.OFFICIAL, Member.Status.PROBATIONARY}


def to_study(campaigns: QuerySet[StudyCampaign], member: Member, today: date):
    """Of `campaigns`, those still asking something of the member: addressed to them, not past
    their deadline, and their learning note not sent (or sent back for improvement)."""
    if member.cell_id is None or member.status not in SUMMONED:
        return campaigns.none()
    sent = LearningNote.objects.filter(member=member, status=LearningNote.Status.SUBMITTED)
    return (
        campaigns.addressing(member.cell)
        .filter(deadline__gte=today)
        .exclude(pk__in=sent.values("campaign_id"))
    )


def _mine(campaign: StudyCampaign, member: Member) -> LearningNote:
    if not addressed(campaign, member):
        raise StudyError(_("This study is not addressed to your cell."))
    found = LearningNote.objects.select_for_update().filter(campaign=campaign, member=member)
    return found.first() or LearningNote(
        campaign=campaign, member=member, cell_id=member.cell_id, studied_at=timezone.now()
    )


@transaction.atomic
def confirm(campaign: StudyCampaign, member: Member) -> LearningNote:
    """The member says they studied the document (their note may follow)."""
    note = _mine(campaign, member)
    if note.pk is None:
        note.save()
    return note


@transaction.atomic
def submit(campaign: StudyCampaign, member: Member, text: str, action_plan: str) -> LearningNote:
    """The member's learning note and action plan, first sent or revised after a return."""
    note = _mine(campaign, member)
    now = timezone.now()
    note.note, note.action_plan = text, action_plan
    note.status = LearningNote.Status.SUBMITTED
    note.submitted_at = now
    first = note.first_submitted_at is None
    note.first_submitted_at = note.first_submitted_at or now
    note.save()
    if first:
        transaction.on_commit(lambda: _refresh(campaign, [note.cell_id]))
    return note


@transaction.atomic
def send_back(note: LearningNote, by: Member | None, comment: str) -> LearningNote:
    """The secretary returns a submitted note for improvement, saying what to improve."""
    note = LearningNote.objects.select_for_update().get(pk=note.pk)
    if note.status != LearningNote.Status.SUBMITTED:
        raise StudyError(_("Only a submitted note can be returned for improvement."))
    note.status = LearningNote.Status.RETURNED
    note.comment = comment
    note.returned_by = by
    note.returned_at = timezone.now()
    note.save(update_fields=["status", "comment", "returned_by", "returned_at"])
    return note


@transaction.atomic
def record_session(
    campaign: StudyCampaign, cell: Organisation, meeting: Meeting, by: Member | None
) -> int:
    """The cell held the study in `meeting`, a meeting of its own held since the launch: each
    member addressed who was present on its roll is recorded as having studied the document.
    Returns how many members were recorded so."""
    if not campaign.addresses(cell):
        raise StudyError(_("This study is not addressed to this cell."))
    if (
        meeting.cell_id != cell.pk
        or meeting.status != Meeting.Status.CLOSED
        or meeting.starts_at < campaign.created_at
    ):
        raise StudyError(_("Choose a meeting of this cell held since the study was launched."))
    StudySession.objects.update_or_create(
        campaign=campaign, cell=cell, defaults={"meeting": meeting, "recorded_by": by}
    )
    present = Attendance.objects.filter(
        meeting=meeting,
        presence=Attendance.Presence.PRESENT,
        member__cell=cell,
        member__status__in=SUMMONED,
    ).values_list("member_id", flat=True)
    present = set(present)
    have = set(
        LearningNote.objects.filter(campaign=campaign, member_id__in=present).values_list(
            "member_id", flat=True
        )
    )
    LearningNote.objects.filter(campaign=campaign, member_id__in=have, meeting=None).update(
        meeting=meeting
    )
    LearningNote.objects.bulk_create(
        LearningNote(
            campaign=campaign,
            member_id=pk,
            cell=cell,
            studied_at=meeting.starts_at,
            meeting=meeting,
        )
        for pk in present - have
    )
    return len(present)


# -- how far a study has come -------------------------------------------------------------------


def studies_for(scope, document) -> list[StudyCampaign]:
    """The studies of the document the user may open, latest deadline first (a few)."""
    return list(
        scope.study_campaigns()
        .filter(document=document)
        .select_related("committee")
        .order_by("-deadline", "-pk")[:5]
    )


def addressed_members(campaign: StudyCampaign) -> QuerySet[Member]:
    return Member.objects.filter(cell__in=campaign.cells().values("pk"), status__in=SUMMONED)


@dataclass
class Completion:
    organisation: Organisation
    due: int = 0
    done: int = 0

    @property
    def share(self) -> float | None:
        return self.done / self.due if self.due else None


def completion(campaign: StudyCampaign, orgs: list[Organisation]) -> list[Completion]:
    """Members addressed and notes submitted in the subtree of each of `orgs`, all of one
    depth: two grouped queries, however many organisations."""
    if not orgs:
        return []
    cut = len(orgs[0].path)
    paths = [org.path for org in orgs]
    prefix = Substr("cell__path", 1, cut)
    due = dict(
        addressed_members(campaign)
        .annotate(prefix=prefix)
        .filter(prefix__in=paths)
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
        .order_by()
    )
    done = dict(
        LearningNote.objects.filter(campaign=campaign, first_submitted_at__isnull=False)
        .annotate(prefix=prefix)
        .filter(prefix__in=paths)
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
        .order_by()
    )
    return [Completion(org, due.get(org.path, 0), done.get(org.path, 0)) for org in orgs]


def totals(campaign: StudyCampaign) -> Completion:
    """The whole study: members addressed and notes submitted."""
    return Completion(
        campaign.committee,
        addressed_members(campaign).count(),
        LearningNote.objects.filter(campaign=campaign, first_submitted_at__isnull=False).count(),
    )


def study_counts(
    cells: Collection[Organisation], start: date, end: date
) -> dict[tuple[int, date], tuple[int, int]]:
    """Per cell and month: the members addressed by studies falling due that month, and of
    them those who submitted their note by the deadline; for deadlines from `start` to before
    `end`. Three queries, however many cells and studies."""
    campaigns = list(
        StudyCampaign.objects.filter(deadline__gte=start, deadline__lt=end)
        .select_related("committee")
        .prefetch_related("parts")
    )
    if not campaigns:
        return {}
    found: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    by_cell = {cell.pk: cell for cell in cells}
    members = dict(
        Member.objects.filter(cell_id__in=by_cell, status__in=SUMMONED)
        .values("cell_id")
        .annotate(n=Count("pk"))
        .values_list("cell_id", "n")
        .order_by()
    )
    ends = {c.pk: _end_of(c.deadline) for c in campaigns}
    on_time = Q(pk__in=[])
    for campaign in campaigns:
        on_time |= Q(campaign_id=campaign.pk, first_submitted_at__lt=ends[campaign.pk])
    done = (
        LearningNote.objects.filter(on_time, cell_id__in=by_cell, member__status__in=SUMMONED)
        .values("campaign_id", "cell_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "cell_id", "n")
        .order_by()
    )
    done_by = {(campaign, cell): n for campaign, cell, n in done}
    for campaign in campaigns:
        month = month_of(campaign.deadline)
        for cell in cells:
            if members.get(cell.pk) and campaign.addresses(cell):
                row = found[(cell.pk, month)]
                row[0] += members[cell.pk]
                row[1] += min(done_by.get((campaign.pk, cell.pk), 0), members[cell.pk])
    return {key: (due, done) for key, (due, done) in found.items()}
