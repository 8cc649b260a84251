"""The secretary's month: what the cell's leaders should do next, most urgent first, each with
the page where it is done: a meeting to hold today, tasks overdue, minutes to approve, notices
to publish, meetings to plan (rules 1, 2 and 5), and guidance from above to decide on."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.guidance.cascade import addressed_to
from chibo.guidance.models import Guidance
from chibo.lib.months import month_of, months, next_month, quarter_end, quarter_start
from chibo.meetings.models import ActionItem, Meeting
from chibo.meetings.overview import REGULAR_KINDS, THEMATIC_KINDS
from chibo.orgs.models import Organisation

# At most this many of one kind, the longest overdue first: a to-do list, not a register.
SHOWN = 10


@dataclass(frozen=True)
class Step:
    due: date
    text: str
    url: str
    overdue: bool


def _day(moment: datetime | date) -> str:
    return formats.date_format(moment, "SHORT_DATE_FORMAT")


def _local(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _last_day(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def steps(cell: Organisation, now: datetime | None = None) -> list[Step]:
    """Everything the cell's leaders have to do, soonest due first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    found = [*_holding(cell, now), *_tasks(cell, today), *_minutes(cell, now), *_notices(cell, now)]
    found += _plans(cell, today)
    found += _guidance(cell, now)
    return sorted(
        (Step(due, text, url, due < today) for due, text, url in found), key=lambda s: s.due
    )


def received(cell: Organisation, now: datetime | None = None) -> list[tuple[date, Guidance]]:
    """The guidance addressed to the cell for this month and the next, top committee first."""
    this = month_of(timezone.localdate(now or timezone.now()))
    found = []
    for month in (this, next_month(this)):
        seen = []
        for addressed in addressed_to(cell, month):
            if addressed.guidance not in seen:
                seen.append(addressed.guidance)
        found += [(month, guidance) for guidance in seen]
    return found


def _holding(cell: Organisation, now: datetime):
    """Today's meetings, announced and not yet closed: the roll, the votes and the minutes."""
    today = timezone.localdate(now)
    meetings = Meeting.objects.filter(
        cell=cell,
        status__in=[Meeting.Status.PUBLISHED, Meeting.Status.OPEN],
        starts_at__gte=_local(today),
        starts_at__lt=_local(today + timedelta(days=1)),
    )
    for meeting in meetings.order_by("starts_at"):
        text = _("Hold the %(meeting)s at %(time)s today: the roll, votes and minutes") % {
            "meeting": meeting.get_kind_display(),
            "time": formats.time_format(timezone.localtime(meeting.starts_at), "TIME_FORMAT"),
        }
        yield today, text, reverse("meetings:hold", args=[meeting.code])


def _tasks(cell: Organisation, today: date):
    overdue = ActionItem.objects.overdue(today).filter(cell=cell).select_related("owner")
    for task in overdue.order_by("deadline", "pk")[:SHOWN]:
        owner = task.owner.full_name if task.owner else _("no one")
        text = _("Task overdue: %(what)s (%(owner)s)") % {"what": task.what, "owner": owner}
        yield task.deadline, text, reverse("meetings:task", args=[task.code])


def _minutes(cell: Organisation, now: datetime):
    # Rule 10: the records reach members within a few days of the meeting.
    days = timedelta(days=settings.CHIBO_RULES["resolution_publish_days"])
    meetings = Meeting.objects.filter(cell=cell).awaiting_minutes(now).order_by("starts_at")
    for meeting in meetings[:SHOWN]:
        text = _("Approve the minutes of the %(meeting)s of %(day)s") % {
            "meeting": meeting.get_kind_display(),
            "day": _day(timezone.localtime(meeting.starts_at)),
        }
        due = timezone.localdate(meeting.starts_at) + days
        yield due, text, reverse("meetings:minutes", args=[meeting.code])


def _notices(cell: Organisation, now: datetime):
    for meeting in Meeting.objects.filter(cell=cell).drafts_to_come(now).order_by("starts_at"):
        text = _("Publish the notice of the %(meeting)s of %(day)s (rule 5)") % {
            "meeting": meeting.get_kind_display(),
            "day": _day(timezone.localtime(meeting.starts_at)),
        }
        due = timezone.localdate(meeting.notice_due)
        yield due, text, reverse("meetings:meeting", args=[meeting.code])


def _plans(cell: Organisation, today: date):
    """Rule 1 for this month and, from the planning day on, for the next; rule 2 for the
    quarter."""
    this = month_of(today)
    following = next_month(this)
    planned = Meeting.objects.filter(
        cell=cell,
        starts_at__gte=_local(quarter_start(this)),
        starts_at__lt=_local(next_month(max(quarter_end(this), following))),
    ).exclude(status=Meeting.Status.CANCELLED)
    kinds = [(month_of(m.starts_at), m.kind) for m in planned.only("starts_at", "kind")]
    regular = {month for month, kind in kinds if kind in REGULAR_KINDS}
    url = reverse("meetings:plan", args=[cell.code])
    if this not in regular:
        yield _last_day(this), _("Plan this month's regular meeting (rule 1)"), url
    plan_by = this.replace(day=min(settings.CHIBO_RULES["plan_by_day"], 28))
    if following not in regular and today >= plan_by - timedelta(days=7):
        yield plan_by, _("Plan next month's regular meeting, with its topic"), url
    quarter = months(quarter_start(this), quarter_end(this))
    if not any(month in quarter and kind in THEMATIC_KINDS for month, kind in kinds):
        yield _last_day(quarter_end(this)), _("Plan this quarter's thematic meeting (rule 2)"), url


def _guidance(cell: Organisation, now: datetime):
    """The points still to decide for each meeting being prepared."""
    coming = (
        Meeting.objects.filter(cell=cell, starts_at__gt=now)
        .filter(status__in=[Meeting.Status.DRAFT, Meeting.Status.PUBLISHED])
        .order_by("starts_at")
    )
    months_seen = set()
    for meeting in coming[:3]:
        month = month_of(meeting.starts_at)
        if month in months_seen:
            continue
        months_seen.add(month)
        open_points = [a for a in addressed_to(cell, month) if a.open]
        if not open_points:
            continue
        required = sum(a.point.required for a in open_points)
        text = ngettext(
            "Decide on %(count)d point of guidance for the meeting of %(day)s "
            "(%(required)d required)",
            "Decide on %(count)d points of guidance for the meeting of %(day)s "
            "(%(required)d required)",
            len(open_points),
        ) % {
            "count": len(open_points),
            "required": required,
            "day": _day(timezone.localtime(meeting.starts_at)),
        }
        due = timezone.localdate(meeting.notice_due)
        yield due, text, reverse("guidance:meeting", args=[meeting.code])
