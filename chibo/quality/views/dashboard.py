"""The dashboard of an organisation: its indicators over time, its children ranked, and, for a
committee, the cells at risk; for a cell, its recent meetings and their grades."""

from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from chibo.access.scope import get_organisation_for_user, scope_for
from chibo.lib.paging import window
from chibo.lib.query import choice
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.quality.charts import charts
from chibo.quality.dashboard import (
    PERIODS,
    RECENT,
    glance,
    last_complete_month,
    period,
    ranking,
    series,
)
from chibo.quality.indicators import INDICATORS
from chibo.quality.models import MeetingScore
from chibo.quality.risks import cells_at_risk, with_cells

# A day's dashboards: the day is part of their key, as the months shown follow it.
DAY = 24 * 60 * 60
# The cells at risk a dashboard names; the others are a link away.
WORST = 10
# The cells at risk a phone names, for the page to read at a glance there too: the others are
# a tap away.
WORST_ON_A_PHONE = 3


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The menu's way in: the one dashboard that is the user's, or the list when they follow
    several (a committee and a cell, several cells supervised)."""
    orgs = list(scope_for(request).dashboards().with_parent_name())
    if len(orgs) == 1:
        return redirect("quality:dashboard", org=orgs[0].code)
    return render(request, "quality/dashboards.html", {"orgs": orgs})


@require_GET
@login_required
def dashboard(request: HttpRequest, org: UUID) -> HttpResponse:
    """The page, its body kept in the cache under the version of the organisation's rows, the
    day and what the address asks: drawn again only once a row of its subtree has changed."""
    organisation, _can_manage = get_organisation_for_user(request, org, may="see_quality")
    today = timezone.localdate()
    count = choice(request, "months", PERIODS, PERIODS[0])
    sort = choice(request, "sort", [i.key for i in INDICATORS], "grade")
    # A cell's page offers the formalism page to those who oversee it.
    oversee = organisation.kind == Organisation.Kind.CELL and scope_for(request).can_oversee(
        organisation
    )
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            organisation.pk,
            rollup.version(organisation),
            today,
            get_language(),
            count,
            sort,
            oversee,
        )
    )
    body = cache.get(key)
    if body is None:
        context = _body(request, organisation, today, count, sort) | {"can_oversee": oversee}
        body = render_to_string("quality/dashboard_body.html", context, request)
        cache.set(key, body, timeout=DAY)
    return render(
        request,
        "quality/dashboard.html",
        # Rendered by our own template: its variables were escaped when it was drawn.
        {
            "org": organisation,
            "ancestors": _ancestors(request, organisation),
            "body": mark_safe(body),
        },
    )


def _body(request: HttpRequest, organisation: Organisation, today, count: int, sort: str) -> dict:
    """What the body shows: the indicators month by month and their charts; for a committee,
    the cells at risk and its children ranked; for a cell, its recent meetings."""
    last = last_complete_month(today)
    span = period(last, count)
    rows = series(organisation, span)
    context = {
        "org": organisation,
        "months": count,
        "periods": PERIODS,
        "sort": sort,
        "last": last,
        "indicators": INDICATORS,
        "latest": list(zip(INDICATORS, rows[-1][1], strict=True)),
        "charts": charts(span, rows),
    }
    recent = period(last, RECENT)
    if organisation.kind == Organisation.Kind.COMMITTEE:
        risks = cells_at_risk(organisation, recent, today)
        context |= {
            "ranking": ranking(organisation, recent, sort),
            "glance": glance(sort),
            # The most worrying; the rest on their own pages.
            "risks": with_cells(risks[:WORST]),
            "risk_count": len(risks),
            "worst_on_a_phone": WORST_ON_A_PHONE,
        }
    else:
        context["meetings"] = _graded_meetings(scope_for(request).meetings(), organisation)
    return context


@require_GET
@login_required
def risks(request: HttpRequest, org: UUID) -> HttpResponse:
    """Every cell at risk in a committee's subtree, the most worrying first, a page at a time."""
    organisation, _can_manage = get_organisation_for_user(request, org, may="see_quality")
    if organisation.kind != Organisation.Kind.COMMITTEE:
        raise Http404
    today = timezone.localdate()
    found = cells_at_risk(organisation, period(last_complete_month(today), RECENT), today)
    shown = window(request, found, settings.PAGE_SIZE)
    with_cells(shown.object_list)
    context = {
        "org": organisation,
        "ancestors": _ancestors(request, organisation),
        "risks": shown,
        "risk_count": len(found),
    }
    return render(request, "quality/risks.html", context)


def _ancestors(request: HttpRequest, org: Organisation) -> list[tuple[Organisation, bool]]:
    """The path to the organisation, each with whether the user may open its dashboard."""
    scope = scope_for(request)
    above = Organisation.objects.filter(path__in=org.ancestor_paths()).order_by("depth")
    return [(a, scope.can_see_quality(a)) for a in above]


def _graded_meetings(
    meetings: QuerySet[Meeting], cell: Organisation
) -> list[tuple[Meeting, MeetingScore | None]]:
    """The cell's last twelve held meetings with the score that stands for each."""
    held = list(
        meetings.filter(cell=cell, status=Meeting.Status.CLOSED).order_by("-starts_at")[:12]
    )
    standing = {s.meeting_id: s for s in MeetingScore.objects.filter(meeting__in=held).standing()}
    return [(meeting, standing.get(meeting.pk)) for meeting in held]
