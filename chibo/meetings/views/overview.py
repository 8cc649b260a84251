"""A committee's view of cell life: which cells held their meetings, month by month."""

from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.access.scope import get_organisation_for_user, scope_for
from chibo.lib.paging import window
from chibo.lib.query import choice
from chibo.meetings.overview import grid

YEARS = range(2000, 2101)


@require_GET
@login_required
def calendar(request: HttpRequest, org: UUID) -> HttpResponse:
    organisation, _can_manage = get_organisation_for_user(request, org)
    scope = scope_for(request)
    year = choice(request, "year", YEARS, timezone.localdate().year)
    cells = scope.organisations().cells().within(organisation).order_by("path")
    page = window(request, cells, settings.PAGE_SIZE)
    return render(
        request,
        "meetings/overview/calendar.html",
        {
            "org": organisation,
            "year": year,
            "rows": grid(scope.meetings(), page.object_list, year),
            "page": page,
            "months": range(1, 13),
        },
    )
