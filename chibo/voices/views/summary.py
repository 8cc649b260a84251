"""A committee's voices of its subtree over the last twelve months (this one and the eleven
before): by category, by place, and the recurring matters (the same category and place, or the
same words, raised by several cells), so it knows what to put in next month's guidance.

The voices by category and how many are open are read from the tally, the committee's own rows
(decision 21); the overdue ones are counted among the open voices, read from their own index.
The places and matters are counted in the database: over a province's year (some 200,000
voices) that takes longer than a page may, so every figure is kept in the shared cache under the
version of the subtree's indicator rows, which every change to one of its voices moves
(`rollup.refresh`), and the hour, as voices fall overdue with the clock (decision 15)."""

from datetime import datetime
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Lower, Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.access.scope import get_committee_for_user
from chibo.lib.months import month_of, shift
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.voices import tally
from chibo.voices.models import Category, Voice

# How far back the summary looks, in months, and how many places and matters it lists.
MONTHS = 12
LIMIT = 20
# Cells raising the same matter before it counts as recurring.
RECURRING = 2
# How much of two voices' texts must be the same for them to read as one matter.
WORDS = 60
# Kept no longer than the hour it was counted in: overdue voices fall due with the clock.
KEPT = 60 * 60


def counted(committee: Organisation, now) -> dict:
    """The summary's figures for the committee's subtree, in six queries: the tally's rows, then
    four grouped counts of voices.

    The subtree's cells are named in a subquery rather than joined: joined, SQLite walked the
    whole table of voices (in category order, for the grouping) for a ward of twenty cells; named,
    it reads each cell's year from the (cell, received) index."""
    since = shift(month_of(now), 1 - MONTHS)
    start = timezone.make_aware(datetime(since.year, since.month, 1))
    voices = Voice.objects.filter(received_at__gte=start)
    cells = Organisation.objects.cells()
    # At the top of a tree every cell is in the subtree: naming four thousand cells made SQLite
    # seek each one's year, slower than reading the year in one pass (38 s against 20 s for a
    # province's million voices, on a busy machine).
    if cells.exclude(path__startswith=committee.path).exists():
        voices = voices.filter(
            cell_id__in=cells.filter(path__startswith=committee.path).values("pk")
        )
    overdue = Q(first_answered_at__isnull=True, answer_due__lt=now) | Q(resolve_due__lt=now)
    by_category = {pk: {**row, "overdue": 0} for pk, row in tally.counts(committee, since).items()}
    # Counted among the open voices, not filtered by it: filtered, SQLite took the voices past
    # a due date over every year from two indexes (a second for 100,000 voices); counted, it
    # reads the window's open voices from their own index.
    late = (
        voices.filter(state__in=Voice.OPEN)
        .values_list("category_id")
        .annotate(n=Count("pk", filter=overdue))
        .order_by()
    )
    for category_id, n in late:
        if n:
            by_category.setdefault(category_id, {"n": 0, "open": 0})["overdue"] = n
    places = list(
        voices.exclude(place="")
        .annotate(where=Lower("place"))
        .values("where")
        .annotate(n=Count("pk"), cells=Count("cell", distinct=True))
        .order_by("-n", "where")[:LIMIT]
    )
    recurring = list(
        voices.exclude(place="")
        .annotate(where=Lower("place"))
        .values("category_id", "where")
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
    return {"by_category": by_category, "places": places, "recurring": recurring, "alike": alike}


def kept_counts(committee: Organisation, now) -> dict:
    hour = timezone.localtime(now).strftime("%Y%m%d%H")
    key = f"voices:summary:{committee.pk}:{rollup.version(committee)}:{hour}"
    found = cache.get(key)
    if found is None:
        found = counted(committee, now)
        cache.set(key, found, timeout=KEPT)
    return found


@require_GET
@login_required
def summary(request: HttpRequest, org: UUID) -> HttpResponse:
    committee, _can_manage = get_committee_for_user(request, org, may="handle_voices")
    figures = kept_counts(committee, timezone.now())
    counts = figures["by_category"]
    categories = [(c, counts[c.pk]) for c in Category.objects.all() if c.pk in counts]
    by_pk = {c.pk: c for c, _row in categories}
    recurring = [{**row, "category": by_pk[row["category_id"]]} for row in figures["recurring"]]
    context = {
        "org": committee,
        "alike": figures["alike"],
        "categories": categories,
        "places": figures["places"],
        "recurring": recurring,
        "months": MONTHS,
    }
    return render(request, "voices/summary.html", context)
