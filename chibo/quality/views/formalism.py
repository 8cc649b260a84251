"""Formalism in one cell: the held meetings flagged, each flag with its evidence side by side.

Only those who judge how the cell works may open it (`Scope.can_oversee`); the cell's own
members answer 403, as they see the cell but do not judge it.
"""

from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chibo.access.scope import get_cell_for_user
from chibo.lib.paging import window
from chibo.lib.query import choice
from chibo.quality.formalism import MAX_WORDS, by_meeting, flags_in, load_histories, period_start

PERIODS = (3, 6, 12, 24)
DEFAULT_MONTHS = 12
# A flag of copying carries two texts and their differences: a short page stays light on a phone.
MEETINGS_PER_PAGE = 10


@require_GET
@login_required
def cell_formalism(request: HttpRequest, org: UUID) -> HttpResponse:
    cell, _can_manage = get_cell_for_user(request, org, may="oversee")
    months = choice(request, "months", PERIODS, DEFAULT_MONTHS)
    since = period_start(months)
    history = load_histories([cell.pk], since).get(cell.pk, [])
    return render(
        request,
        "quality/formalism/cell.html",
        {
            "cell": cell,
            "months": months,
            "periods": PERIODS,
            "since": since,
            "held": sum(meeting.judged for meeting in history),
            "page": window(request, by_meeting(flags_in(history)), MEETINGS_PER_PAGE),
            "similarity": round(settings.CHIBO_FORMALISM["similarity"] * 100),
            "look_back": settings.CHIBO_FORMALISM["look_back"],
            "max_words": MAX_WORDS,
        },
    )
