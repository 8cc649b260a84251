"""Which cells held their meetings: a month-by-month grid for a committee (rules 1 and 2)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from chibo.meetings.models import Meeting
from chibo.orgs.models import Organisation

REGULAR_KINDS = {Meeting.Kind.REGULAR, Meeting.Kind.COMBINED}
THEMATIC_KINDS = {Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED}


@dataclass
class Month:
    held_regular: bool = False
    held_thematic: bool = False
    planned: bool = False
    # Whether the month is over, so a missing meeting is a fact and not a plan still to come.
    past: bool = False

    @property
    def missing_regular(self) -> bool:
        return self.past and not self.held_regular


@dataclass
class Row:
    cell: Organisation
    months: list[Month] = field(default_factory=list)
    # Quarters (1–4) that are over without a thematic meeting.
    quarters_missing: list[int] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        return sum(m.missing_regular for m in self.months) + len(self.quarters_missing)


def grid(
    meetings: QuerySet[Meeting], cells: list[Organisation], year: int, today: date | None = None
) -> list[Row]:
    """One row per cell with twelve months, from one query over the cells' meetings among
    `meetings`: those the viewer may open (`Scope.meetings()`), so that a month shows as
    planned only if its meeting opens."""
    today = today or timezone.localdate()
    meetings = (
        meetings.filter(cell__in=cells, starts_at__year=year)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("cell_id", "starts_at", "kind", "status")
    )
    found: dict[int, dict[int, Month]] = defaultdict(lambda: defaultdict(Month))
    for cell_id, starts_at, kind, status in meetings:
        month = found[cell_id][timezone.localtime(starts_at).month]
        if status == Meeting.Status.CLOSED:
            month.held_regular |= kind in REGULAR_KINDS
            month.held_thematic |= kind in THEMATIC_KINDS
        else:
            month.planned = True
    rows = []
    for cell in cells:
        row = Row(cell)
        for number in range(1, 13):
            month = found[cell.pk][number]
            month.past = (year, number) < (today.year, today.month)
            row.months.append(month)
        for quarter in range(1, 5):
            months = row.months[(quarter - 1) * 3 : quarter * 3]
            if months[-1].past and not any(m.held_thematic for m in months):
                row.quarters_missing.append(quarter)
        rows.append(row)
    return rows
