"""Small hand-made histories of held meetings, for tests that work out indicators by hand."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from chibo.meetings import holding
from chibo.meetings.models import (
    ActionItem,
    Attendance,
    Comment,
    Meeting,
    Minutes,
    Notice,
    Resolution,
    ResolutionTask,
    Step,
)
from chibo.orgs.models import Member


def at(day: date, hour: int = 19) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 30)))


def held(
    cell,
    day: date,
    present: list[str],
    kind: str = Meeting.Kind.REGULAR,
    notice_hours: int | None = 48,
    late: bool = False,
    comments: tuple[str, ...] = (),
    situation: str = "",
    topic: str = "",
    close: bool = True,
) -> Meeting:
    """A meeting held on `day`: its notice `notice_hours` before, the named members present,
    comments by the named authors, minutes saying `situation` under self-criticism, and the
    month's own `topic` under discussion; closed, or left in progress."""
    starts = at(day)
    meeting = Meeting.objects.create(
        cell=cell, kind=kind, starts_at=starts, place="Nhà văn hóa", status=Meeting.Status.PUBLISHED
    )
    meeting.add_official_agenda()
    if topic:
        meeting.agenda_items.filter(step=Step.DISCUSSION).update(body=topic)
    if notice_hours is not None:
        Notice.objects.create(
            meeting=meeting,
            version=1,
            published_at=starts - timedelta(hours=notice_hours),
            late=late,
            content={},
        )
    holding.open_meeting(meeting, now=meeting.starts_at)
    # The roll starts with everyone expected present: the history names who came, so the rest
    # were away (set directly: a past meeting's chair may be among them).
    meeting.roll.exclude(member__full_name__in=present).update(presence=Attendance.Presence.ABSENT)
    for name in present:
        holding.check_in(meeting, Member.objects.get(full_name=name))
    items = meeting.agenda_items.order_by("position")
    for name in comments:
        Comment.objects.create(
            item=items.first(), author=Member.objects.get(full_name=name), body="Ý kiến"
        )
    if situation:
        item = items.filter(step=Step.SITUATION).first()
        Minutes.objects.create(meeting=meeting, sections={str(item.position): situation})
    if close:
        holding.close_meeting(meeting)
    return meeting


def task(meeting: Meeting, deadline: date, done_on: date | None) -> ActionItem:
    """An action item of the meeting's resolution, done on `done_on` (or still open)."""
    resolution, _new = Resolution.objects.get_or_create(
        meeting=meeting,
        cell=meeting.cell,
        defaults={"year": timezone.localtime(meeting.starts_at).year},
    )
    row = ResolutionTask.objects.create(
        resolution=resolution, position=resolution.tasks.count() + 1, what="Việc", deadline=deadline
    )
    return ActionItem.objects.create(
        task=row,
        cell=meeting.cell,
        what=row.what,
        deadline=deadline,
        status=ActionItem.Status.DONE if done_on else ActionItem.Status.OPEN,
        done_on=done_on,
    )
