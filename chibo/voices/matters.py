"""The matters a committee's subtree raised over the summary's twelve months: by place, the
recurring ones (the same category and place from several cells) and the same words from several
cells (decision 24).

They are grouped over the subtree's voices of the year: a ward's few hundred in milliseconds, a
province's 200,000 in seconds. So a subtree with few voices is counted while its committee
waits; a larger one is counted in the background (`tasks.count_matters`) and its committee reads
the last count, with the time it was made, while the next one is made. Either way a count is kept
under the version of the subtree's indicator rows, which every change to one of its voices moves
(`rollup.refresh`), and is made again once that moves."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Lower, Substr
from django.utils import timezone

from chibo.lib.months import month_of, shift
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.voices import tasks
from chibo.voices.models import Voice

# How far back the summary looks, in months, and how many places and matters it lists.
MONTHS = 12
LIMIT = 20
# Cells raising the same matter before it counts as recurring.
RECURRING = 2
# How much of two voices' texts must be the same for them to read as one matter.
WORDS = 60
# A count kept this long at most; one being made in the background is not asked for again
# before this.
KEPT = 7 * 24 * 60 * 60
COUNTING = 10 * 60


def since(now: datetime):
    """The first month the summary covers: this one and the eleven before."""
    return shift(month_of(now), 1 - MONTHS)


def of_year(committee: Organisation, now: datetime):
    """The voices of the committee's subtree received in the summary's months.

    The subtree's cells are named in a subquery rather than joined: joined, SQLite walked the
    whole table of voices (in category order, for the grouping) for a ward of twenty cells; named,
    it reads each cell's year from the (cell, received) index."""
    first = since(now)
    voices = Voice.objects.filter(
        received_at__gte=timezone.make_aware(datetime(first.year, first.month, 1))
    )
    cells = Organisation.objects.cells()
    # At the top of a tree every cell is in the subtree: naming four thousand cells made SQLite
    # seek each one's year, slower than reading the year in one pass (38 s against 20 s for a
    # province's million voices, on a busy machine).
    if cells.exclude(path__startswith=committee.path).exists():
        voices = voices.filter(
            cell_id__in=cells.filter(path__startswith=committee.path).values("pk")
        )
    return voices


def count(committee: Organisation, now: datetime) -> dict:
    """Count the subtree's matters now and keep the count; returns it."""
    # The version read first: a change made while counting moves it again, and is counted next.
    version = _version(committee, now)
    voices = of_year(committee, now)
    placed = voices.exclude(place="").annotate(where=Lower("place"))
    places = list(
        placed.values("where")
        .annotate(n=Count("pk"), cells=Count("cell", distinct=True))
        .order_by("-n", "where")[:LIMIT]
    )
    recurring = list(
        placed.values("category_id", "where")
        .annotate(n=Count("pk"), cells=Count("cell", distinct=True))
        .filter(cells__gte=RECURRING)
        .order_by("-cells", "-n", "where")[:LIMIT]
    )
    # The same words from several cells: their beginnings compared, case aside.
    alike = list(
        voices.annotate(words=Lower(Substr("text", 1, WORDS)))
        .values("words")
        .annotate(n=Count("pk"), cells=Count("cell", distinct=True))
        .filter(cells__gte=RECURRING)
        .order_by("-cells", "-n", "words")[:LIMIT]
    )
    found = {
        "places": places,
        "recurring": recurring,
        "alike": alike,
        "counted_at": now,
        "version": version,
    }
    cache.set(_key(committee), found, timeout=KEPT)
    return found


def kept(committee: Organisation, now: datetime, voices: int) -> tuple[dict | None, bool]:
    """The subtree's last count and whether it is the current one. A stale or missing count is
    made now when the subtree holds at most `CHIBO_VOICES_COUNTED_AT_ONCE` voices in the
    summary's months (`voices`), else asked of the background, once while it is being made."""
    found = cache.get(_key(committee))
    if found is not None and found["version"] == _version(committee, now):
        return found, True
    if voices <= settings.CHIBO_VOICES_COUNTED_AT_ONCE:
        return count(committee, now), True
    if cache.add(_counting(committee), True, timeout=COUNTING):
        tasks.count_matters.enqueue(committee.pk)
    return found, False


def count_in_background(committee: Organisation, now: datetime) -> None:
    """The background's count: made and kept, and the next change may ask for another."""
    count(committee, now)
    cache.delete(_counting(committee))


def _key(committee: Organisation) -> str:
    return f"voices:matters:{committee.pk}"


def _counting(committee: Organisation) -> str:
    return f"{_key(committee)}:counting"


def _version(committee: Organisation, now: datetime) -> str:
    # The months covered move with the clock too.
    return f"{rollup.version(committee)}:{since(now)}"
