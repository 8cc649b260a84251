"""The study of a document: launching it, a member's learning note and action plan, the cell
secretary's reading of them, and the completion by organisation, level by level."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import (
    get_cell_for_user,
    get_committee_for_user,
    get_library_document_for_user,
    get_study_for_user,
    scope_for,
)
from chibo.lib.paging import window
from chibo.lib.posted import posted
from chibo.library import studying
from chibo.library.forms.studying import LaunchForm, LearningNoteForm, ReturnForm, SessionForm
from chibo.library.models import LearningNote, StudyCampaign
from chibo.library.studying import StudyError
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member, Organisation


def _url(campaign: StudyCampaign) -> str:
    return reverse("library:study", args=[campaign.code])


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The studies addressed to the member's cell, each with where their note stands."""
    scope = scope_for(request)
    member = scope.members().select_related("cell").filter(pk=scope.member_id).first()
    if member is None or member.cell is None:
        campaigns = StudyCampaign.objects.none()
    else:
        campaigns = scope.study_campaigns().addressing(member.cell)
    campaigns = campaigns.select_related("document", "committee").order_by("-deadline", "-pk")
    page = window(request, campaigns, settings.PAGE_SIZE)
    notes = dict(
        LearningNote.objects.filter(
            member_id=scope.member_id, campaign__in=[c.pk for c in page]
        ).values_list("campaign_id", "status")
    )
    labels = dict(LearningNote.Status.choices)
    for campaign in page:
        status = notes.get(campaign.pk)
        campaign.my_status = labels[status] if status else _("not studied yet")
    return render(request, "library/studies/mine.html", {"page": page})


@require_GET
@login_required
def committee(request: HttpRequest, org: UUID) -> HttpResponse:
    """The studies a committee launched."""
    committee, _can_manage = get_committee_for_user(request, org, may="follow_study")
    campaigns = committee.study_campaigns.select_related("document").order_by("-deadline", "-pk")
    page = window(request, campaigns, settings.PAGE_SIZE)
    return render(request, "library/studies/committee.html", {"org": committee, "page": page})


@require_http_methods(["GET", "POST"])
@login_required
def launch(request: HttpRequest, code: UUID, org: UUID) -> HttpResponse:
    document, _can_change = get_library_document_for_user(request, code)
    committee, _can_manage = get_committee_for_user(request, org, may="launch_study")
    campaign = StudyCampaign(
        committee=committee, document=document, launched_by=scope_for(request).member
    )
    form = LaunchForm(posted(request), instance=campaign, committee=committee)
    if request.method == "POST" and form.is_valid():
        try:
            studying.launch(
                form.save(commit=False), form.cleaned_data["parts"], timezone.localdate()
            )
        except StudyError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("The study was launched."))
            return redirect(_url(campaign))
    context = {
        "form": form,
        "heading": _("Launch the study of %(number)s") % {"number": document.number},
        "back_url": reverse("library:document", args=[document.code]),
        "org": committee,
    }
    return render(request, "library/form.html", context)


def _study_page(
    request: HttpRequest, campaign: StudyCampaign, form: LearningNoteForm | None = None
) -> HttpResponse:
    scope = scope_for(request)
    member = scope.members().select_related("cell").filter(pk=scope.member_id).first()
    addressed = member is not None and studying.addressed(campaign, member)
    mine = None
    if addressed:
        mine = LearningNote.objects.filter(campaign=campaign, member=member).first()
    follows = scope.can_follow_study(campaign.committee)
    context = {
        "campaign": campaign,
        "addressed": addressed,
        "mine": mine,
        "form": form or LearningNoteForm(instance=mine),
        "links": [line for line in campaign.materials.splitlines() if line.startswith("https://")],
        "totals": studying.totals(campaign) if follows else None,
        "follows": follows,
        "own_cell": member.cell if addressed and scope.can_follow_study(member.cell) else None,
    }
    return render(request, "library/studies/study.html", context)


@require_GET
@login_required
def study(request: HttpRequest, code: UUID) -> HttpResponse:
    campaign = get_study_for_user(request, code)
    campaign.parts_list = list(campaign.parts.all())
    return _study_page(request, campaign)


def _member(request: HttpRequest) -> Member:
    scope = scope_for(request)
    member = scope.members().select_related("cell").filter(pk=scope.member_id).first()
    if member is None:
        raise PermissionDenied
    return member


@require_POST
@login_required
def studied(request: HttpRequest, code: UUID) -> HttpResponse:
    campaign = get_study_for_user(request, code)
    try:
        studying.confirm(campaign, _member(request))
    except StudyError as e:
        raise PermissionDenied(str(e)) from e
    messages.success(request, _("Recorded: you studied it. Now write your learning note."))
    return redirect(_url(campaign) + "#note")


@require_POST
@login_required
def submit(request: HttpRequest, code: UUID) -> HttpResponse:
    campaign = get_study_for_user(request, code)
    member = _member(request)
    if not studying.addressed(campaign, member):
        raise PermissionDenied
    form = LearningNoteForm(request.POST)
    if not form.is_valid():
        return _study_page(request, campaign, form)
    studying.submit(campaign, member, form.cleaned_data["note"], form.cleaned_data["action_plan"])
    messages.success(request, _("Your learning note and action plan were sent to your secretary."))
    return redirect(_url(campaign))


@require_GET
@login_required
def progress(request: HttpRequest, code: UUID) -> HttpResponse:
    """Completion by organisation, one level of the subtree at a time (`?level=`)."""
    campaign = get_study_for_user(request, code)
    scope = scope_for(request)
    if not scope.can_follow_study(campaign.committee):
        raise PermissionDenied
    committee = campaign.committee
    depths = list(
        Organisation.objects.filter(path__startswith=committee.path, depth__gt=committee.depth)
        .order_by("depth")
        .values_list("depth", flat=True)
        .distinct()
    )
    raw = request.GET.get("level", "")
    depth = int(raw) if raw.isdigit() and int(raw) in depths else (depths[0] if depths else None)
    orgs = Organisation.objects.filter(path__startswith=committee.path, depth=depth)
    page = window(request, orgs.select_related("level").order_by("path"), settings.PAGE_SIZE)
    context = {
        "campaign": campaign,
        "levels": depths,
        "depth": depth,
        "page": page,
        "rows": studying.completion(campaign, list(page)),
        "totals": studying.totals(campaign),
    }
    return render(request, "library/studies/progress.html", context)


def _cell_of(request: HttpRequest, campaign: StudyCampaign, cell: UUID) -> Organisation:
    org, _can_manage = get_cell_for_user(request, cell, may="follow_study")
    if not campaign.addresses(org):
        raise Http404
    return org


def _cell_page(
    request: HttpRequest,
    campaign: StudyCampaign,
    cell: Organisation,
    session_form: SessionForm | None = None,
) -> HttpResponse:
    can_manage = scope_for(request).can_manage(cell)
    members = list(studying.addressed_members(campaign).filter(cell=cell).order_by("full_name"))
    notes = {
        note.member_id: note
        for note in LearningNote.objects.filter(campaign=campaign, cell=cell).select_related(
            "meeting"
        )
    }
    for member in members:
        member.learning_note = notes.get(member.pk)
    context = {
        "campaign": campaign,
        "cell": cell,
        "members": members,
        "missing": [m for m in members if m.learning_note is None],
        "can_manage": can_manage,
        "return_form": ReturnForm(),
        "session_form": session_form or SessionForm(meetings=_held(campaign, cell)),
        "session": campaign.sessions.filter(cell=cell).select_related("meeting").first(),
    }
    return render(request, "library/studies/cell.html", context)


def _held(campaign: StudyCampaign, cell: Organisation):
    return Meeting.objects.filter(
        cell=cell, status=Meeting.Status.CLOSED, starts_at__gte=campaign.created_at
    ).order_by("-starts_at")


@require_GET
@login_required
def cell(request: HttpRequest, code: UUID, cell: UUID) -> HttpResponse:
    campaign = get_study_for_user(request, code)
    campaign.parts_list = list(campaign.parts.all())
    return _cell_page(request, campaign, _cell_of(request, campaign, cell))


@require_POST
@login_required
def send_back(request: HttpRequest, code: UUID, note: UUID) -> HttpResponse:
    campaign = get_study_for_user(request, code)
    found = get_object_or_404(
        LearningNote.objects.select_related("cell", "member"), campaign=campaign, code=note
    )
    cell = _cell_of(request, campaign, found.cell.code)
    scope = scope_for(request)
    if not scope.can_manage(cell):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what to improve before returning the note."))
        return redirect(reverse("library:study_cell", args=[campaign.code, cell.code]))
    try:
        studying.send_back(found, scope.member, form.cleaned_data["comment"])
    except StudyError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("The note of %(name)s was returned for improvement.")
            % {"name": found.member.full_name},
        )
    return redirect(reverse("library:study_cell", args=[campaign.code, cell.code]))


@require_POST
@login_required
def session(request: HttpRequest, code: UUID, cell: UUID) -> HttpResponse:
    campaign = get_study_for_user(request, code)
    org = _cell_of(request, campaign, cell)
    scope = scope_for(request)
    if not scope.can_manage(org):
        raise PermissionDenied
    form = SessionForm(request.POST, meetings=_held(campaign, org))
    if not form.is_valid():
        return _cell_page(request, campaign, org, form)
    try:
        count = studying.record_session(campaign, org, form.cleaned_data["meeting"], scope.member)
    except StudyError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("The study was recorded as held in the meeting; %(count)d members present.")
            % {"count": count},
        )
    return redirect(reverse("library:study_cell", args=[campaign.code, org.code]))
