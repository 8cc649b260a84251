"""A committee's headline, for its members' home page: the last complete month's key figures
and its most worrying cells. Kept in the cache under the version of the committee's rows, as
its dashboard is, so a home page does not weigh a province's cells on every visit."""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language

from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.quality.dashboard import RECENT, last_complete_month, period, series
from chibo.quality.indicators import INDICATORS
from chibo.quality.risks import cells_at_risk

# What a committee member looks at first: did cells meet, did members come, how good was it.
KEY_FIGURES = ("regular", "attendance", "grade", "voices_overdue")
# The most worrying cells named on the home page; the dashboard lists them all.
WORST = 3
# Each named with its first reasons, the gravest: the dashboard gives them all.
REASONS = 2
DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Figure:
    name: str
    text: str
    concern: bool


@dataclass(frozen=True)
class Worry:
    name: str
    parent: str  # cells of different wards share names ("Chi bộ khu 1")
    code: str
    reasons: list[str]


@dataclass(frozen=True)
class Headline:
    figures: list[Figure]
    at_risk: int
    worst: list[Worry]


def headline(org: Organisation, today) -> Headline:
    key = f"headline:{org.pk}:{rollup.version(org)}:{today}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = _draw(org, today)
        cache.set(key, found, timeout=DAY)
    return found


def _draw(org: Organisation, today) -> Headline:
    last = last_complete_month(today)
    ((_month, values),) = series(org, [last])
    figures = [
        Figure(str(indicator.label), value.text, value.concern)
        for indicator, value in zip(INDICATORS, values, strict=True)
        if indicator.key in KEY_FIGURES
    ]
    risks = cells_at_risk(org, period(last, RECENT), today)
    cells = Organisation.objects.in_bulk([r.cell_id for r in risks[:WORST]])
    parents = {
        o.path: o.name
        for o in Organisation.objects.filter(
            path__in=[c.ancestor_paths()[-1] for c in cells.values()]
        ).only("path", "name")
    }
    worst = [
        Worry(
            cells[r.cell_id].name,
            parents.get(cells[r.cell_id].ancestor_paths()[-1], ""),
            str(cells[r.cell_id].code),
            [str(reason) for reason in r.reasons[:REASONS]],
        )
        for r in risks[:WORST]
    ]
    return Headline(figures, len(risks), worst)
