"""The secretary's month (`chibo.guidance.month`)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chibo.access.scope import get_cell_for_user
from chibo.guidance.month import received, steps


@require_GET
@login_required
@never_cache
def month(request: HttpRequest, cell: UUID) -> HttpResponse:
    org, _can_manage = get_cell_for_user(request, cell, may="manage")
    context = {"cell": org, "steps": steps(org), "received": received(org)}
    return render(request, "guidance/month.html", context)
