"""What a committee's dashboard shows: its subtree's indicators month by month, its children
ranked, and the cells at risk. Everything is read from the monthly rows, so the cost does not
grow with the years of history kept."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from chibo.lib.months import month_of, months, shift
from chibo.orgs.models import Organisation
from chibo.quality.indicators import INDICATORS, Indicator, shown, total
from chibo.quality.models import MonthlyIndicators

PERIODS = (12, 24, 60)
# The ranking and the risks look at this many complete months.
RECENT = 3
# The figures a phone shows of each child ranked, besides the one it is ranked by: a line
# each, where the whole table would need scrolling sideways for all but the first.
GLANCE = ("grade", "regular", "attendance")


def last_complete_month(today: date | None = None) -> date:
    return shift(month_of(today or timezone.localdate()), -1)


def period(last: date, count: int) -> list[date]:
    """The `count` months up to and including `last`."""
    return months(shift(last, 1 - count), last)


@dataclass
class Cell:
    """One value of one indicator, as shown and as a number for charts; not settled while its
    quarter goes on (`Indicator.settled`)."""

    value: float | None
    text: str
    concern: bool
    settled: bool = True


def cell(indicator: Indicator, row: MonthlyIndicators, settled: bool = True) -> Cell:
    value = indicator.value(row)
    return Cell(value, shown(indicator, value), settled and indicator.concern(value), settled)


def series(
    org: Organisation, span: list[date], last: date | None = None
) -> list[tuple[date, list[Cell]]]:
    """The organisation's indicators for each month of `span`, in one query, as they stand
    when `last` (the end of `span` unless given) is the last complete month."""
    last = last or span[-1]
    rows = {
        row.month: row
        for row in MonthlyIndicators.objects.filter(
            organisation=org, month__gte=span[0], month__lte=span[-1]
        )
    }
    empty = MonthlyIndicators()
    return [
        (
            m,
            [cell(i, rows.get(m, empty), i.settled(m, last)) for i in INDICATORS],
        )
        for m in span
    ]


@dataclass
class Ranked:
    org: Organisation
    cells: list[Cell]


def glance(sort: str) -> list[int]:
    """The columns of the ranking a phone shows: the one ranked by, then the key figures, three
    in all."""
    keys = [sort, *(key for key in GLANCE if key != sort)][: len(GLANCE)]
    return [n for n, indicator in enumerate(INDICATORS) if indicator.key in keys]


def ranking(
    org: Organisation, span: list[date], sort: str, last: date | None = None
) -> list[Ranked]:
    """The children over the months of `span`, best first by the indicator `sort`, as they
    stand when `last` (the end of `span` unless given) is the last complete month."""
    last = last or span[-1]
    children = list(
        Organisation.objects.filter(path__startswith=org.path, depth=org.depth + 1)
        .select_related("level")
        .order_by("path")
    )
    rows: dict[int, list[MonthlyIndicators]] = {child.pk: [] for child in children}
    for row in MonthlyIndicators.objects.filter(
        organisation__in=children, month__gte=span[0], month__lte=span[-1]
    ):
        rows[row.organisation_id].append(row)
    ranked = [
        Ranked(
            child, [cell(i, total(rows[child.pk]), i.settled(span[-1], last)) for i in INDICATORS]
        )
        for child in children
    ]
    column = next((n for n, i in enumerate(INDICATORS) if i.key == sort), 0)
    # Best first; organisations with nothing to measure go last.
    ranked.sort(key=lambda r: (r.cells[column].value is None, -(r.cells[column].value or 0)))
    return ranked
