"""A committee's voices of its subtree over the last year: by category, by place, and the
recurring matters (the same category and place, or the same words, raised by several cells),
so it knows what to put in next month's guidance."""

from datetime import timedelta
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.db.models.functions import Lower, Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.access.scope import get_committee_for_user
from chibo.voices.models import Category, Voice

# How far back the summary looks, and how many places and matters it lists.
DAYS = 365
LIMIT = 20
# Cells raising the same matter before it counts as recurring.
RECURRING = 2
# How much of two voices' texts must be the same for them to read as one matter.
WORDS = 60


@require_GET
@login_required
def summary(request: HttpRequest, org: UUID) -> HttpResponse:
    committee, _can_manage = get_committee_for_user(request, org, may="handle_voices")
    now = timezone.now()
    voices = Voice.objects.filter(
        cell__path__startswith=committee.path, received_at__gte=now - timedelta(days=DAYS)
    )
    overdue = Q(first_answered_at__isnull=True, answer_due__lt=now) | Q(resolve_due__lt=now)
    open_ = ~Q(state__in=Voice.CLOSED)
    counts = {
        row["category_id"]: row
        for row in voices.values("category_id")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=open_),
            overdue=Count("pk", filter=open_ & overdue),
        )
        .order_by()
    }
    categories = [(c, counts[c.pk]) for c in Category.objects.all() if c.pk in counts]
    places = (
        voices.exclude(place="")
        .annotate(where=Lower("place"))
        .values("where")
        .annotate(n=Count("pk"), cells=Count("cell", distinct=True))
        .order_by("-n", "where")[:LIMIT]
    )
    by_pk = {c.pk: c for c, _row in categories}
    recurring = [
        {**row, "category": by_pk[row["category_id"]]}
        for row in voices.exclude(place="")
        .annotate(where=Lower("place"))
        .values("category_id", "where")
        .annotate(n=Count("pk"), cells=Count("cell", distinct=True))
        .filter(cells__gte=RECURRING)
        .order_by("-cells", "-n", "where")[:LIMIT]
    ]
    # The same words from several cells: their beginnings compared, case aside.
    alike = (
        voices.annotate(words=Lower(Substr("text", 1, WORDS)))
        .values("words")
        .annotate(n=Count("pk"), cells=Count("cell", distinct=True))
        .filter(cells__gte=RECURRING)
        .order_by("-cells", "-n", "words")[:LIMIT]
    )
    context = {
        "org": committee,
        "alike": alike,
        "categories": categories,
        "places": places,
        "recurring": recurring,
        "days": DAYS,
    }
    return render(request, "voices/summary.html", context)
