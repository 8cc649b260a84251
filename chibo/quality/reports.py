"""A report on the quality of cell life for one organisation and one month, quarter or year.

It is assembled once, from the monthly rows as the dashboard reads them, and every format
(`exports`) writes the same `Report`: a CSV, a workbook and a PDF never disagree.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.lib.months import months, shift
from chibo.orgs.models import Organisation
from chibo.quality import dashboard
from chibo.quality.dashboard import RECENT, Cell, Ranked, last_complete_month, ranking, series
from chibo.quality.indicators import INDICATORS, Indicator, shown, total
from chibo.quality.models import MonthlyIndicators
from chibo.quality.risks import AtRisk, cells_at_risk

# The months in each kind of period.
KINDS = {"month": 1, "quarter": 3, "year": 12}
NUMBERING = {
    "month": gettext_lazy("A month is numbered from 1 to 12."),
    "quarter": gettext_lazy("A quarter is numbered from 1 to 4."),
    "year": gettext_lazy("A year has one report, number 1."),
}
# No cell's record is older than 1930, when the Communist Party of Vietnam was founded.
FIRST_YEAR = 1930
# Charts show the year up to the period's end, so a month's report still shows a trend.
CHARTED = 12


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int

    @property
    def first(self) -> date:
        return date(self.year, (self.number - 1) * KINDS[self.kind] + 1, 1)

    @property
    def last(self) -> date:
        return shift(self.first, KINDS[self.kind] - 1)

    @property
    def months(self) -> list[date]:
        return months(self.first, self.last)

    def previous(self) -> "Period":
        return containing(self.kind, shift(self.first, -KINDS[self.kind]))

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Month %(month)s") % {"month": date_format(self.first, "m/Y")}
        if self.kind == "quarter":
            return _("Quarter %(number)d/%(year)d") % {"number": self.number, "year": self.year}
        return _("Year %(year)d") % {"year": self.year}

    @property
    def slug(self) -> str:
        """The period in a file name: 2026-03, 2026-q1, 2026."""
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.year}-q{self.number}"
        return str(self.year)


def containing(kind: str, month: date) -> Period:
    return Period(kind, month.year, (month.month - 1) // KINDS[kind] + 1)


def latest(kind: str, today: date) -> Period:
    """The last period of this kind that is over."""
    found = containing(kind, last_complete_month(today))
    return found if found.last <= last_complete_month(today) else found.previous()


def period_of(kind: str, year: int, number: int, today: date) -> Period:
    """The period asked for, if a report can be made of it; else a message saying why not."""
    if not 1 <= number <= 12 // KINDS[kind]:
        raise ValidationError(NUMBERING[kind], code="number")
    if year < FIRST_YEAR:
        raise ValidationError(
            _("Reports begin in %(year)d.") % {"year": FIRST_YEAR}, code="too_early"
        )
    # A year far in the future is refused before it becomes a date, which could not hold it.
    if year > today.year or Period(kind, year, number).last > last_complete_month(today):
        raise ValidationError(
            _("This period is not over yet: its report can be made once it is."),
            code="not_over",
        )
    return Period(kind, year, number)


@dataclass
class Line:
    """One indicator of the organisation in the period and in the period before."""

    indicator: Indicator
    now: Cell
    before: Cell

    @property
    def target(self) -> str:
        return shown(self.indicator, self.indicator.target)


@dataclass
class Report:
    org: Organisation
    period: Period
    previous: Period
    made_on: date
    summary: list[Line]
    # Its children in the tree's order, as official reports list them.
    children: list[Ranked]
    risks: list[AtRisk]
    # The months charted and the indicators of each.
    span: list[date]
    monthly: list[tuple[date, list[Cell]]]


def build(org: Organisation, period: Period, today: date) -> Report:
    """The report, in a fixed number of queries whatever the size of the subtree."""
    previous = period.previous()
    rows = list(
        MonthlyIndicators.objects.filter(
            organisation=org, month__gte=previous.first, month__lte=period.last
        )
    )
    now = total(row for row in rows if row.month >= period.first)
    before = total(row for row in rows if row.month < period.first)
    span = dashboard.period(period.last, CHARTED)
    # As the dashboard reads the same months today: a quarter going on is the quarter so far.
    last = last_complete_month(today)
    summary = [
        Line(
            i,
            dashboard.cell(i, now, i.settled(period.last, last)),
            dashboard.cell(i, before, i.settled(previous.last, last)),
        )
        for i in INDICATORS
    ]
    return Report(
        org=org,
        period=period,
        previous=previous,
        made_on=today,
        summary=summary,
        children=sorted(ranking(org, period.months, "", last), key=lambda r: r.org.path),
        risks=_risks(org, period),
        span=span,
        monthly=series(org, span, last),
    )


def _risks(org: Organisation, period: Period) -> list[AtRisk]:
    """The cells at risk at the end of the period, judged as the dashboard judges them then."""
    # Overdue as of the day after the period, so a task that fell due later does not count.
    found = cells_at_risk(org, dashboard.period(period.last, RECENT), shift(period.last, 1))
    names = Organisation.objects.only("name", "path").in_bulk([r.cell_id for r in found])
    for risk in found:
        risk.cell = names[risk.cell_id]
    return sorted(found, key=lambda r: (-len(r.reasons), r.cell.path))
