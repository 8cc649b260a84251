"""Cells at risk: the cells of a subtree that are slipping, each with its reasons in words, so a
committee can act before the year-end review.

Read from the last complete months' rows of every cell in the subtree and one grouped count of
overdue tasks: a bounded number of queries for a province of 4,000 cells.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chibo.meetings.models import ActionItem
from chibo.orgs.models import Organisation
from chibo.quality.indicators import ratio, total
from chibo.quality.models import MonthlyIndicators
from chibo.quality.rollup import quarter_end, quarter_start, shift

# Thresholds of concern: what a committee would want to hear about.
MISSED_MONTHS = 2
ATTENDANCE_DROP = 0.15
ATTENDANCE_FLOOR = 0.65
OVERDUE_TASKS = 3
LATE_SHARE = 0.5


@dataclass
class AtRisk:
    cell_id: int
    reasons: list[str] = field(default_factory=list)
    cell: Organisation | None = None


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def reasons_for(recent: list[MonthlyIndicators], before: list[MonthlyIndicators]) -> list[str]:
    """What is wrong in a cell's `recent` months (oldest first), against the months `before`."""
    reasons = []
    missed = sum(not row.regular_held for row in recent)
    if missed >= MISSED_MONTHS:
        reasons.append(
            _("No regular meeting in %(missed)d of the last %(months)d months")
            % {"missed": missed, "months": len(recent)}
        )
    now, earlier = total(recent), total(before)
    attendance, was = ratio(now.present, now.expected), ratio(earlier.present, earlier.expected)
    if attendance is not None and was is not None and was - attendance >= ATTENDANCE_DROP:
        reasons.append(
            _("Attendance fell from %(before)s to %(now)s")
            % {"before": percent(was), "now": percent(attendance)}
        )
    elif attendance is not None and attendance < ATTENDANCE_FLOOR:
        reasons.append(_("Attendance only %(now)s") % {"now": percent(attendance)})
    if now.notices and now.notices - now.notices_on_time > LATE_SHARE * now.notices:
        reasons.append(
            _("Documents sent late for %(late)d of %(meetings)d meetings")
            % {"late": now.notices - now.notices_on_time, "meetings": now.notices}
        )
    if now.weak:
        reasons.append(
            ngettext("%(weak)d meeting graded weak", "%(weak)d meetings graded weak", now.weak)
            % {"weak": now.weak}
        )
    return reasons


def cells_at_risk(org: Organisation, recent: list[date], today: date) -> list[AtRisk]:
    """Cells of `org`'s subtree with at least one reason, most reasons first."""
    before = [shift(m, -len(recent)) for m in recent]
    quarter = _last_quarter(recent[-1])
    rows: dict[int, dict[date, MonthlyIndicators]] = defaultdict(dict)
    for row in MonthlyIndicators.objects.filter(
        organisation__path__startswith=org.path,
        organisation__kind=Organisation.Kind.CELL,
        month__in=[*before, *recent, *quarter],
    ):
        rows[row.organisation_id][row.month] = row
    # Tasks that fell due in the months looked at: years-old forgotten rows would drown them.
    overdue = dict(
        ActionItem.objects.overdue(today)
        .filter(cell__path__startswith=org.path, deadline__gte=recent[0])
        .values("cell_id")
        .annotate(n=Count("pk"))
        .values_list("cell_id", "n")
    )
    found = []
    for cell_id, months in rows.items():
        reasons = reasons_for(
            [months[m] for m in recent if m in months], [months[m] for m in before if m in months]
        )
        if (tasks := overdue.get(cell_id, 0)) >= OVERDUE_TASKS:
            reasons.append(
                ngettext("%(n)d task overdue", "%(n)d tasks overdue", tasks) % {"n": tasks}
            )
        if quarter[-1] in months and not months[quarter[-1]].thematic_quarter:
            reasons.append(_("No thematic meeting last quarter"))
        if reasons:
            found.append(AtRisk(cell_id, reasons))
    found.sort(key=lambda r: -len(r.reasons))
    return found


def _last_quarter(last: date) -> list[date]:
    """The months of the last quarter complete by the end of `last`."""
    end = last if quarter_end(last) == last else shift(quarter_start(last), -1)
    start = quarter_start(end)
    return [start, start.replace(month=start.month + 1), end]
