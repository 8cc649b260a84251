"""A committee's voices of its subtree over the last twelve months (this one and the eleven
before): by category, by place, and the recurring matters (the same category and place, or the
same words, raised by several cells), so it knows what to put in next month's guidance.

The voices by category and how many are open are read from the tally, the committee's own rows
(decision 21); the overdue ones are counted among the open voices, read from their own index,
and kept in the shared cache under the version of the subtree's indicator rows and the hour, as
voices fall overdue with the clock (decision 15). The places and matters are counted by
`matters`: at once for a small subtree, in the background for a large one (decision 24)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.access.scope import get_committee_for_user
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.voices import matters, tally
from chibo.voices.models import Category, Voice

# Kept no longer than the hour it was counted in: overdue voices fall due with the clock.
KEPT = 60 * 60


def by_category(committee: Organisation, now) -> dict:
    """For each category, the subtree's voices of the summary's months, how many are open and
    how many overdue: the tally's rows, then one grouped count of the open voices."""
    overdue = Q(first_answered_at__isnull=True, answer_due__lt=now) | Q(resolve_due__lt=now)
    counts = {
        pk: {**row, "overdue": 0} for pk, row in tally.counts(committee, matters.since(now)).items()
    }
    # Counted among the open voices, not filtered by it: filtered, SQLite took the voices past
    # a due date over every year from two indexes (a second for 100,000 voices); counted, it
    # reads the window's open voices from their own index. Their category is counted, not their
    # key, which that index lacks: PostgreSQL then reads the index alone too.
    late = (
        matters.of_year(committee, now)
        .filter(state__in=Voice.OPEN)
        .values_list("category_id")
        .annotate(n=Count("category", filter=overdue))
        .order_by()
    )
    for category_id, n in late:
        if n:
            counts.setdefault(category_id, {"n": 0, "open": 0})["overdue"] = n
    return counts


def kept_by_category(committee: Organisation, now) -> dict:
    hour = timezone.localtime(now).strftime("%Y%m%d%H")
    key = f"voices:summary:{committee.pk}:{rollup.version(committee)}:{hour}"
    found = cache.get(key)
    if found is None:
        found = by_category(committee, now)
        cache.set(key, found, timeout=KEPT)
    return found


@require_GET
@login_required
def summary(request: HttpRequest, org: UUID) -> HttpResponse:
    committee, _can_manage = get_committee_for_user(request, org, may="handle_voices")
    now = timezone.now()
    counts = kept_by_category(committee, now)
    every = list(Category.objects.all())
    categories = [(c, counts[c.pk]) for c in every if c.pk in counts]
    by_pk = {c.pk: c for c in every}
    found, current = matters.kept(committee, now, sum(row["n"] for row in counts.values()))
    found = found or {"places": [], "recurring": [], "alike": [], "counted_at": None}
    recurring = [{**row, "category": by_pk[row["category_id"]]} for row in found["recurring"]]
    context = {
        "org": committee,
        "alike": found["alike"],
        "categories": categories,
        "places": found["places"],
        "recurring": recurring,
        "counted_at": found["counted_at"],
        "current": current,
        "months": matters.MONTHS,
    }
    return render(request, "voices/summary.html", context)
