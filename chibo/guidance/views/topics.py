"""The thematic topic bank: the topics a cell or committee may take up in a quarter, proposing
one, planning the thematic meeting from it, and the examples committees choose."""

from datetime import date, datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import (
    get_cell_for_user,
    get_example_for_user,
    get_meeting_for_user,
    get_organisation_for_user,
    get_topic_for_user,
    scope_for,
)
from chibo.guidance import topics
from chibo.guidance.forms.topics import ThematicMeetingForm, TopicForm
from chibo.guidance.issuing import GuidanceError
from chibo.guidance.models import quarter_label
from chibo.lib.months import month_of, quarter_start, shift
from chibo.lib.posted import posted
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organisation

# A province's cells may propose thousands of topics: the bank shows the newest of them.
BELOW_SHOWN = 100
MEETINGS_SHOWN = 200
HELD = [Meeting.Status.OPEN, Meeting.Status.CLOSED]


def _quarter(value: str | None) -> date:
    """The quarter asked for as "YYYY-MM", or this one."""
    try:
        month = datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        month = month_of(timezone.localdate())
    return quarter_start(month)


def _bank_url(org: Organisation, quarter: date) -> str:
    return f"{reverse('guidance:topics', args=[org.code])}?quarter={quarter:%Y-%m}"


@require_GET
@login_required
@never_cache
def bank(request: HttpRequest, org: UUID) -> HttpResponse:
    organisation, _can_manage = get_organisation_for_user(request, org)
    scope = scope_for(request)
    quarter = _quarter(request.GET.get("quarter"))
    found = (
        scope.topics()
        .filter(quarter=quarter)
        .select_related("organisation")
        .annotate(
            held=Count("meetings", distinct=True, filter=Q(meetings__status__in=HELD)),
            examples=Count("meetings__example", distinct=True),
        )
        .order_by("organisation__depth", "created_at", "pk")
    )
    below = []
    if not organisation.is_cell:
        below = list(
            found.proposed_below(organisation).order_by("-created_at", "-pk")[: BELOW_SHOWN + 1]
        )
    return render(
        request,
        "guidance/topics/bank.html",
        {
            "org": organisation,
            "quarter": quarter,
            "quarter_label": quarter_label(quarter),
            "offered": list(found.offered_to(organisation)),
            "below": below[:BELOW_SHOWN],
            "more_below": len(below) > BELOW_SHOWN,
            "can_propose": scope.can_propose_topic(organisation),
            "earlier_url": _bank_url(organisation, shift(quarter, -3)),
            "later_url": _bank_url(organisation, shift(quarter, 3)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest, org: UUID) -> HttpResponse:
    organisation, _can_manage = get_organisation_for_user(request, org, may="propose_topic")
    quarter = _quarter(request.GET.get("quarter"))
    form = TopicForm(posted(request), initial={"quarter": quarter})
    if request.method == "POST" and form.is_valid():
        topic = topics.propose(organisation, scope_for(request).member, **form.cleaned_data)
        messages.success(request, _("The topic was proposed."))
        return redirect(_bank_url(organisation, topic.quarter))
    return render(
        request,
        "guidance/topics/form.html",
        {
            "form": form,
            "heading": _("Propose a topic for a thematic meeting"),
            "back_url": _bank_url(organisation, quarter),
            "back_text": organisation.name,
        },
    )


@require_GET
@login_required
@never_cache
def topic(request: HttpRequest, code: UUID) -> HttpResponse:
    found = get_topic_for_user(request, code)
    scope = scope_for(request)
    meetings = list(
        scope.meetings()
        .filter(topics=found)
        .select_related("cell", "example")
        .order_by("-starts_at", "pk")[:MEETINGS_SHOWN]
    )
    for meeting in meetings:
        meeting.can_mark = (
            meeting.status == Meeting.Status.CLOSED
            and not hasattr(meeting, "example")
            and scope.can_mark_example(meeting)
        )
    examples = (
        scope.examples()
        .filter(meeting__topics=found)
        .select_related("meeting", "meeting__cell", "committee")
        .order_by("-meeting__starts_at")
    )
    # The cells the user leads that may take the topic up.
    cells = scope.led_cells().filter(path__startswith=found.organisation.path).order_by("name")
    return render(
        request,
        "guidance/topics/topic.html",
        {
            "topic": found,
            "quarter_label": quarter_label(found.quarter),
            "bank_url": _bank_url(found.organisation, found.quarter),
            "meetings": meetings,
            "examples": list(examples),
            "cells": list(cells),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan(request: HttpRequest, code: UUID, cell: UUID) -> HttpResponse:
    found = get_topic_for_user(request, code)
    org, _can_manage = get_cell_for_user(request, cell, may="manage")
    if not found.offered_to(org):
        raise Http404
    meeting = Meeting(cell=org, kind=Meeting.Kind.THEMATIC, theme=found.title)
    form = ThematicMeetingForm(
        posted(request), instance=meeting, topic=found, scope=scope_for(request)
    )
    if request.method == "POST":
        # The cell's row held, so two plans cannot both take the same evening.
        with transaction.atomic():
            list(Organisation.objects.select_for_update().filter(pk=org.pk).values_list("pk"))
            if form.is_valid():
                try:
                    topics.plan_meeting(found, form.save(commit=False))
                except GuidanceError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(
                        request,
                        _("The thematic meeting was planned as a draft, with the official agenda."),
                    )
                    return redirect("meetings:agenda", code=meeting.code)
    return render(
        request,
        "guidance/topics/form.html",
        {
            "form": form,
            "topic": found,
            "heading": _("Plan the thematic meeting of %(cell)s") % {"cell": org.name},
            "back_url": reverse("guidance:topic", args=[found.code]),
            "back_text": found.title,
        },
    )


@require_GET
@login_required
@never_cache
def example(request: HttpRequest, meeting: UUID) -> HttpResponse:
    found = get_example_for_user(request, meeting)
    scope = scope_for(request)
    return render(
        request,
        "guidance/topics/example.html",
        {
            "example": found,
            "record": topics.record_of(found),
            "can_unmark": scope.can_mark_example(found.meeting),
        },
    )


def _meeting_to_mark(request: HttpRequest, code: UUID) -> Meeting:
    """The meeting if the user may choose it as an example: 404 out of reach, 403 otherwise."""
    meeting, _rights = get_meeting_for_user(request, code)
    if not scope_for(request).can_mark_example(meeting):
        raise PermissionDenied
    return meeting


@require_POST
@login_required
def mark(request: HttpRequest, meeting: UUID) -> HttpResponse:
    found = _meeting_to_mark(request, meeting)
    committee = scope_for(request).seat_above(found.cell)
    try:
        if committee is None:
            raise GuidanceError(_("Only a committee above the cell can choose its meeting."))
        _example, new = topics.mark(found, committee, scope_for(request).member)
    except GuidanceError as error:
        messages.error(request, str(error))
        return redirect("meetings:meeting", code=found.code)
    if new:
        messages.success(request, _("The meeting is now an example for the cells under you."))
    else:
        messages.info(request, _("The meeting was already an example."))
    return redirect("guidance:example", meeting=found.code)


@require_POST
@login_required
def unmark(request: HttpRequest, meeting: UUID) -> HttpResponse:
    found = _meeting_to_mark(request, meeting)
    if topics.unmark(found):
        messages.success(request, _("The meeting is no longer shown as an example."))
    return redirect("meetings:meeting", code=found.code)
