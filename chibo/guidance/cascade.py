"""Guidance as it reaches a cell: the points of every guidance addressed to it for a month, from
the committees above, top first, each with the committee it came from and the cell's decision.

Read in the same few queries for one cell or for a batch of them, however deep the tree.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from chibo.guidance.models import Adoption, Guidance, Point, parent_levels
from chibo.lib.months import month_of, months, quarter_start
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organisation


@dataclass(frozen=True)
class Addressed:
    """One point as a cell sees it."""

    point: Point
    guidance: Guidance
    adoption: Adoption | None

    @property
    def committee(self) -> Organisation:
        return self.guidance.committee

    @property
    def open(self) -> bool:
        """Neither on an agenda nor left out yet."""
        return self.adoption is None


def _in_force(paths: Collection[str], first: date, last: date):
    """The published guidance of the committees at `paths` for any month from `first` to
    `last`, with what `Guidance.addresses` and the points need."""
    starts = {*months(first, last), *(quarter_start(m) for m in months(first, last))}
    return (
        Guidance.objects.published()
        .filter(committee__path__in=paths, month__in=starts)
        .select_related("committee", "passes_on__committee")
        .prefetch_related("levels", "parts", Prefetch("points", Point.objects.order_by("position")))
        .order_by("committee__depth", "published_at", "pk")
    )


def addressed_to(cell: Organisation, month: date) -> list[Addressed]:
    """The merged guidance of `cell` for `month`."""
    level = parent_levels([cell]).get(cell.path[: -Organisation.steplen])
    found = [
        guidance
        for guidance in _in_force(cell.ancestor_paths(), month, month)
        if month in guidance.months and guidance.addresses(cell, level)
    ]
    lineages = [point.lineage for guidance in found for point in guidance.points.all()]
    decided = {
        adoption.lineage: adoption
        for adoption in Adoption.objects.filter(cell=cell, lineage__in=lineages).select_related(
            "item", "meeting"
        )
    }
    return [
        Addressed(point, guidance, decided.get(point.lineage))
        for guidance in found
        for point in guidance.points.all()
    ]


def required_counts(
    cells: Collection[Organisation], first: date, last: date
) -> dict[tuple[int, date], tuple[int, int]]:
    """Per cell and month from `first` to `last`: the required points falling due that month
    (a guidance's last month), and those of them on the agenda of a meeting the cell held
    within the guidance's months (DOMAIN.md rule 4, the adoption indicator)."""
    if not cells:
        return {}
    # A quarter's guidance falls due in its last month, and may begin two months before.
    paths = {path for cell in cells for path in cell.ancestor_paths()}
    levels = parent_levels(cells)
    due: dict[tuple[int, date], list[tuple[Guidance, Point]]] = defaultdict(list)
    for guidance in _in_force(paths, quarter_start(first), last):
        if not first <= guidance.due_month <= last:
            continue
        required = [point for point in guidance.points.all() if point.required]
        if not required:
            continue
        for cell in cells:
            if guidance.addresses(cell, levels.get(cell.path[: -Organisation.steplen])):
                due[(cell.pk, guidance.due_month)] += [(guidance, p) for p in required]
    if not due:
        return {}
    held: dict[tuple[int, object], set[date]] = defaultdict(set)
    adoptions = Adoption.objects.on_agenda().filter(
        cell_id__in=[cell.pk for cell in cells],
        meeting__status=Meeting.Status.CLOSED,
        lineage__in={point.lineage for pairs in due.values() for _g, point in pairs},
    )
    for cell_id, lineage, starts_at in adoptions.values_list(
        "cell_id", "lineage", "meeting__starts_at"
    ):
        held[(cell_id, lineage)].add(month_of(starts_at))
    return {
        (cell_id, month): (
            len(pairs),
            sum(
                bool(held[(cell_id, point.lineage)] & set(guidance.months))
                for guidance, point in pairs
            ),
        )
        for (cell_id, month), pairs in due.items()
    }


def to_decide(cell: Organisation, month: date) -> tuple[int, int]:
    """The points addressed to `cell` for `month` still open, and all of them: what the
    agenda editor tells the secretary."""
    found = addressed_to(cell, month)
    return sum(a.open for a in found), len(found)
