"""A committee's audit log: who did what in its subtree, filtered and paged."""

from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chibo.access.scope import get_committee_for_user, scope_for
from chibo.audit.forms import LogFilterForm
from chibo.lib.paging import window


@require_GET
@login_required
@never_cache
def log(request: HttpRequest, code: UUID) -> HttpResponse:
    org, _can_manage = get_committee_for_user(request, code, may="see_log")
    form = LogFilterForm(request.GET)
    entries = scope_for(request).audit_entries().filter(organisation__path__startswith=org.path)
    entries = form.filter(entries).select_related("organisation").order_by("-number")
    page = window(request, entries, settings.PAGE_SIZE)
    status = 400 if form.errors else 200
    return render(
        request, "audit/log.html", {"org": org, "form": form, "entries": page}, status=status
    )
