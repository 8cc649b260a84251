"""Cells at risk: the cells of a subtree that are slipping, each with its reasons in words, so a
committee can act before the year-end review.

Read from the last complete months' rows of every cell in the subtree and grouped counts of
overdue tasks and voices: a bounded number of queries for a province of 4,000 cells.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.lib.months import quarter_end, quarter_start, shift
from chibo.meetings.models import ActionItem
from chibo.orgs.models import Organisation
from chibo.quality.indicators import BY_KEY, ratio, shown
from chibo.quality.models import MonthlyIndicators
from chibo.voices.models import Voice

# Thresholds of concern: what a committee would want to hear about.
MISSED_MONTHS = 2
ATTENDANCE_DROP = 0.15
ATTENDANCE_FLOOR = 0.65
OVERDUE_TASKS = 3
LATE_SHARE = 0.5
FORMAL_SHARE = 0.5
# Months running in which required points of the guidance from above were left out.
GUIDANCE_MONTHS = 2
# Below this share of members studying a document by its deadline, a cell is slipping.
STUDY_SHARE = 0.5
ATTENDANCE = BY_KEY["attendance"]


@dataclass
class AtRisk:
    cell_id: int
    reasons: list[str] = field(default_factory=list)
    cell: Organisation | None = None


@dataclass
class Window:
    """One cell's sums over the months looked at, and over the months before them."""

    months: int
    missed: int = 0
    present: int = 0
    expected: int = 0
    present_before: int = 0
    expected_before: int = 0
    notices: int = 0
    notices_on_time: int = 0
    weak: int = 0
    meetings: int = 0
    formal: int = 0
    # Whether the last complete quarter is known, and whether it had a thematic meeting.
    quarter_known: bool = False
    thematic: bool = True
    overdue: int = 0
    # Of the last GUIDANCE_MONTHS months, those with required guidance left out, and the
    # points left out in them.
    guidance_months: int = 0
    guidance_left: int = 0
    # Members addressed by studies due in the months looked at, and those done on time.
    study_due: int = 0
    study_done: int = 0
    # Voices open past a due date now (rule 15).
    voices_overdue: int = 0


def reasons_for(w: Window) -> list[str]:
    """What is wrong in a cell's recent months, in words."""
    reasons = []
    if w.missed >= MISSED_MONTHS:
        reasons.append(
            _("No regular meeting in %(missed)d of the last %(months)d months")
            % {"missed": w.missed, "months": w.months}
        )
    attendance, was = ratio(w.present, w.expected), ratio(w.present_before, w.expected_before)
    if attendance is not None and was is not None and was - attendance >= ATTENDANCE_DROP:
        reasons.append(
            _("Attendance fell from %(before)s to %(now)s")
            % {"before": shown(ATTENDANCE, was), "now": shown(ATTENDANCE, attendance)}
        )
    elif attendance is not None and attendance < ATTENDANCE_FLOOR:
        reasons.append(_("Attendance only %(now)s") % {"now": shown(ATTENDANCE, attendance)})
    late = w.notices - w.notices_on_time
    if w.notices and late > LATE_SHARE * w.notices:
        reasons.append(
            _("Documents sent late for %(late)d of %(meetings)d meetings")
            % {"late": late, "meetings": w.notices}
        )
    if w.formal and w.formal >= FORMAL_SHARE * w.meetings:
        reasons.append(
            _("Signs of formalism in %(formal)d of %(meetings)d meetings")
            % {"formal": w.formal, "meetings": w.meetings}
        )
    if w.weak:
        reasons.append(
            ngettext("%(weak)d meeting graded weak", "%(weak)d meetings graded weak", w.weak)
            % {"weak": w.weak}
        )
    if w.overdue >= OVERDUE_TASKS:
        reasons.append(
            ngettext("%(n)d task overdue", "%(n)d tasks overdue", w.overdue) % {"n": w.overdue}
        )
    if w.quarter_known and not w.thematic:
        reasons.append(_("No thematic meeting last quarter"))
    if w.guidance_months >= GUIDANCE_MONTHS:
        reasons.append(
            ngettext(
                "Required guidance left out %(months)d months running (%(points)d point)",
                "Required guidance left out %(months)d months running (%(points)d points)",
                w.guidance_left,
            )
            % {"months": w.guidance_months, "points": w.guidance_left}
        )
    if w.study_due and w.study_done < STUDY_SHARE * w.study_due:
        reasons.append(
            _("Only %(done)d of %(due)d members studied the resolution by its deadline")
            % {"done": w.study_done, "due": w.study_due}
        )
    if w.voices_overdue:
        reasons.append(
            ngettext(
                "%(n)d voice of the people overdue for an answer",
                "%(n)d voices of the people overdue for an answer",
                w.voices_overdue,
            )
            % {"n": w.voices_overdue}
        )
    return reasons


def windows(org: Organisation, recent: list[date], today: date) -> dict[int, Window]:
    """Each cell's window, summed by the database in one pass over the cells' monthly rows."""
    before = [shift(m, -len(recent)) for m in recent]
    quarter_end = _last_quarter(recent[-1])[-1]
    now, earlier, quarter = Q(month__in=recent), Q(month__in=before), Q(month=quarter_end)
    left_out = Q(month__in=recent[-GUIDANCE_MONTHS:], guidance_required__gt=F("guidance_adopted"))
    # Through the cells' ids, so each database walks the (organisation, month) index of the
    # subtree's cells rather than every row of those months.
    cells = Organisation.objects.cells().within(org).values("pk")
    # Named apart from the fields they sum: Django refuses an aggregate named like a column.
    sums = {
        "missed": Count("pk", filter=now & Q(regular_held=0)),
        "present": Sum("present", filter=now, default=0),
        "expected": Sum("expected", filter=now, default=0),
        "present_before": Sum("present", filter=earlier, default=0),
        "expected_before": Sum("expected", filter=earlier, default=0),
        "notices": Sum("notices", filter=now, default=0),
        "notices_on_time": Sum("notices_on_time", filter=now, default=0),
        "weak": Sum("weak", filter=now, default=0),
        "meetings": Sum("meetings", filter=now, default=0),
        "formal": Sum("formal", filter=now, default=0),
        "quarter_known": Count("pk", filter=quarter),
        "thematic": Sum("thematic_quarter", filter=quarter, default=0),
        "guidance_months": Count("pk", filter=left_out),
        "guidance_left": Sum(
            F("guidance_required") - F("guidance_adopted"), filter=left_out, default=0
        ),
        "study_due": Sum("study_due", filter=now, default=0),
        "study_done": Sum("study_done", filter=now, default=0),
    }
    rows = (
        MonthlyIndicators.objects.filter(
            organisation__in=cells, month__in={*recent, *before, quarter_end}
        )
        .values("organisation_id")
        .annotate(**{f"w_{name}": value for name, value in sums.items()})
    )
    found = {}
    for row in rows:
        window = Window(months=len(recent), **{name: row[f"w_{name}"] for name in sums})
        window.quarter_known, window.thematic = bool(window.quarter_known), bool(window.thematic)
        found[row["organisation_id"]] = window
    # Tasks that fell due in the months looked at: years-old forgotten rows would drown them.
    overdue = (
        ActionItem.objects.overdue(today)
        .filter(cell__in=cells, deadline__gte=recent[0])
        .values("cell_id")
        .annotate(n=Count("pk"))
        .values_list("cell_id", "n")
    )
    for cell_id, n in overdue:
        found.setdefault(cell_id, Window(months=len(recent))).overdue = n
    late_voices = (
        Voice.objects.overdue(_moment(today))
        .filter(cell__in=cells)
        .values("cell_id")
        .annotate(n=Count("pk"))
        .values_list("cell_id", "n")
    )
    for cell_id, n in late_voices:
        found.setdefault(cell_id, Window(months=len(recent))).voices_overdue = n
    return found


def _moment(today: date) -> datetime:
    """Now, or for a day gone by, its end: voices overdue by then."""
    end = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    return min(timezone.now(), end)


def cells_at_risk(org: Organisation, recent: list[date], today: date) -> list[AtRisk]:
    """Cells of `org`'s subtree with at least one reason, most reasons first."""
    found = []
    for cell_id, window in windows(org, recent, today).items():
        if reasons := reasons_for(window):
            found.append(AtRisk(cell_id, reasons))
    # Ties in the order the cells were made, so that a page shows the same cells each time.
    found.sort(key=lambda r: (-len(r.reasons), r.cell_id))
    return found


def with_cells(found: list[AtRisk]) -> list[AtRisk]:
    """The risks with their cells, each cell with its parent's name (`parent_name`). One
    query."""
    cells = Organisation.objects.with_parent_name().in_bulk([risk.cell_id for risk in found])
    for risk in found:
        risk.cell = cells[risk.cell_id]
    return found


def _last_quarter(last: date) -> list[date]:
    """The months of the last quarter complete by the end of `last`."""
    end = last if quarter_end(last) == last else shift(quarter_start(last), -1)
    start = quarter_start(end)
    return [start, start.replace(month=start.month + 1), end]
