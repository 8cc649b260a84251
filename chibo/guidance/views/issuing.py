"""A committee writes its guidance: drafts and their points, whom they address, publication,
corrections as new versions, and passing on the guidance of the committees above."""

import re
from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import get_committee_for_user, get_guidance_for_user, scope_for
from chibo.guidance import issuing
from chibo.guidance.forms.issuing import AudienceForm, GuidanceForm, PointForm
from chibo.guidance.issuing import GuidanceError
from chibo.guidance.models import Guidance, period_label
from chibo.lib.months import month_of, next_month, shift
from chibo.lib.paging import window
from chibo.lib.posted import posted
from chibo.orgs.models import Organisation

WEB = re.compile(r"https?://", re.IGNORECASE)


def drafting(view: Callable) -> Callable:
    """Hand the view the guidance in `code`, locked, if the user may issue it and it is still
    a draft. 404 out of reach, 403 for those who may only read it; published guidance is not
    changed in place, so it sends the user back to its page with a message."""

    @wraps(view)
    def wrapper(request: HttpRequest, code: UUID, **kwargs) -> HttpResponse:
        guidance, _can_issue = get_guidance_for_user(request, code, may="issue")
        with transaction.atomic():
            # A publication in another request waits for this change, or this one sees it.
            locked = Guidance.objects.select_for_update().filter(pk=guidance.pk)
            guidance.status = locked.values_list("status", flat=True).get()
            if not guidance.is_draft:
                messages.error(
                    request,
                    _("Published guidance is not changed in place: correct it as a new version."),
                )
                return redirect("guidance:guidance", code=guidance.code)
            return view(request, guidance, **kwargs)

    return wrapper


def _url(guidance: Guidance, anchor: str = "") -> str:
    url = reverse("guidance:guidance", args=[guidance.code])
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request: HttpRequest, form: BaseForm, heading: str, guidance: Guidance
) -> HttpResponse:
    context = {"form": form, "heading": heading, "guidance": guidance, "back_url": _url(guidance)}
    return render(request, "guidance/issuing/form.html", context)


def audience_words(guidance: Guidance) -> list[str]:
    """Whom the guidance addresses, in words, a line for each filter (levels and parts read
    through `prefetch_related` or one query each)."""
    lines = []
    if guidance.categories:
        labels = dict(Organisation.Category.choices)
        kinds = [str(labels.get(value, value)) for value in guidance.categories]
        lines.append(_("Kinds of cell: %(kinds)s.") % {"kinds": get_text_list(kinds, _("and"))})
    levels = [level.label for level in guidance.levels.all()]
    if levels:
        lines.append(
            _("Cells under committees of these levels: %(levels)s.")
            % {"levels": get_text_list(levels, _("and"))}
        )
    parts = [part.name for part in guidance.parts.all()]
    if parts:
        lines.append(_("Only: %(parts)s.") % {"parts": ", ".join(parts)})
    return lines or [_("Every cell under the committee.")]


# -- the committee's guidance --------------------------------------------------------------


def _from_above(committee: Organisation) -> list[tuple[Guidance, UUID | None]]:
    """The guidance in force of the committees above for the months to come, each with the
    code of this committee's guidance passing it on, if begun."""
    this_month = month_of(timezone.localdate())
    found = (
        Guidance.objects.published()
        .filter(committee__path__in=committee.ancestor_paths(), month__gte=shift(this_month, -2))
        .select_related("committee")
        .prefetch_related("parts")
        .order_by("month", "committee__depth", "pk")
    )
    # Guidance kept to some parts of the tree reaches this committee only through one of them.
    reaching = [
        guidance
        for guidance in found
        if guidance.due_month >= this_month
        and (
            not guidance.parts.all()
            or any(committee.path.startswith(part.path) for part in guidance.parts.all())
        )
    ]
    passed = dict(
        Guidance.objects.filter(
            committee=committee, passes_on__lineage__in=[g.lineage for g in reaching]
        )
        .exclude(status=Guidance.Status.CORRECTED)
        .values_list("passes_on__lineage", "code")
    )
    return [(guidance, passed.get(guidance.lineage)) for guidance in reaching]


@require_GET
@login_required
def committee(request: HttpRequest, org: UUID) -> HttpResponse:
    committee, _can_manage = get_committee_for_user(request, org, may="see_guidance")
    own = (
        committee.guidance.exclude(status=Guidance.Status.CORRECTED)
        .annotate(point_count=Count("points"))
        .order_by("-month", "-version", "-pk")
    )
    page = window(request, own, settings.PAGE_SIZE)
    for guidance in page:
        guidance.period_text = period_label(guidance)
    above = _from_above(committee)
    for guidance, _passed in above:
        guidance.period_text = period_label(guidance)
    context = {
        "org": committee,
        "page": page,
        "above": above,
        "can_issue": scope_for(request).can_issue_guidance(committee),
    }
    return render(request, "guidance/issuing/committee.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest, org: UUID) -> HttpResponse:
    committee, _can_manage = get_committee_for_user(request, org, may="issue_guidance")
    draft = Guidance(committee=committee, written_by_id=scope_for(request).member_id)
    coming = next_month(month_of(timezone.localdate()))
    form = GuidanceForm(posted(request), instance=draft, initial={"month": coming})
    if request.method == "POST" and form.is_valid():
        guidance = form.save()
        messages.success(request, _("The guidance was begun as a draft: add its points."))
        return redirect(_url(guidance, "add"))
    context = {
        "form": form,
        "heading": _("New guidance"),
        "back_url": reverse("guidance:committee", args=[committee.code]),
        "org": committee,
    }
    return render(request, "guidance/issuing/form.html", context)


# -- one guidance --------------------------------------------------------------------------


def _guidance_page(
    request: HttpRequest, guidance: Guidance, can_issue: bool, add_form: PointForm
) -> HttpResponse:
    # Every other version of it the user may read, in one query: the one it corrects, the one
    # in force if it is not, the correction being written.
    versions = {
        other.version: other
        for other in scope_for(request)
        .guidance()
        .filter(lineage=guidance.lineage)
        .exclude(pk=guidance.pk)
        .only("code", "version", "status", "lineage")
    }
    Status = Guidance.Status
    editing = can_issue and guidance.is_draft
    points = list(guidance.points.all())
    for point in points:
        # Validated when saved; checked again, as only a web address becomes a link.
        point.web_links = [link for link in point.link_list if WEB.match(link)]
    scope = scope_for(request)
    context = {
        "guidance": guidance,
        "period": period_label(guidance),
        "committee_url": reverse("guidance:committee", args=[guidance.committee.code])
        if scope.can_see_guidance(guidance.committee)
        else "",
        "points": points,
        "audience": audience_words(guidance),
        "corrects": versions.get(guidance.version - 1),
        # A version since corrected points its readers to the one in force.
        "in_force": next((v for v in versions.values() if v.status == Status.PUBLISHED), None)
        if guidance.status == Status.CORRECTED
        else None,
        "correction_begun": next((v for v in versions.values() if v.is_draft), None),
        "can_edit": editing,
        "can_correct": can_issue and guidance.status == Status.PUBLISHED,
        "add_form": add_form,
        # Before publishing, how far it will go.
        "cells": guidance.audience().count() if editing else None,
    }
    return render(request, "guidance/issuing/guidance.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def guidance(request: HttpRequest, code: UUID) -> HttpResponse:
    """The guidance as everyone who may see it reads it; for its issuers, while it is a draft,
    the editor, where a POST adds a point at the end."""
    if request.method == "POST":
        return _add_point(request, code)
    guidance, can_issue = get_guidance_for_user(request, code)
    return _guidance_page(request, guidance, can_issue, PointForm())


@drafting
def _add_point(request: HttpRequest, guidance: Guidance) -> HttpResponse:
    form = PointForm(request.POST)
    if not form.is_valid():
        return _guidance_page(request, guidance, True, form)
    point = issuing.add_point(guidance, **form.cleaned_data)
    messages.success(request, _("The point was added."))
    return redirect(_url(guidance, f"point-{point.position}"))


@require_http_methods(["GET", "POST"])
@login_required
@drafting
def edit(request: HttpRequest, guidance: Guidance) -> HttpResponse:
    form = GuidanceForm(posted(request), instance=guidance)
    if request.method == "POST" and form.is_valid():
        if form.changed_data:
            guidance.save(update_fields=[*form.changed_data, "updated_at"])
        messages.success(request, _("The guidance was saved."))
        return redirect(_url(guidance))
    return _form_page(request, form, _("Change the guidance"), guidance)


@require_http_methods(["GET", "POST"])
@login_required
@drafting
def audience(request: HttpRequest, guidance: Guidance) -> HttpResponse:
    initial = {
        "categories": guidance.categories,
        "levels": guidance.levels.all(),
        "parts": guidance.parts.all(),
    }
    form = AudienceForm(guidance.committee, posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        guidance.categories = data["categories"]
        guidance.save(update_fields=["categories", "updated_at"])
        guidance.levels.set(data["levels"])
        guidance.parts.set(data["parts"])
        messages.success(request, _("Whom the guidance addresses was saved."))
        return redirect(_url(guidance))
    return _form_page(request, form, _("Whom it addresses"), guidance)


@require_http_methods(["GET", "POST"])
@login_required
@drafting
def point(request: HttpRequest, guidance: Guidance, position: int) -> HttpResponse:
    point = get_object_or_404(guidance.points, position=position)
    form = PointForm(posted(request), instance=point)
    if request.method == "POST" and form.is_valid():
        if form.changed_data:
            point.save(update_fields=form.changed_data)
        messages.success(request, _("The point was saved."))
        return redirect(_url(guidance, f"point-{position}"))
    return _form_page(request, form, _("Change a point"), guidance)


@require_POST
@login_required
@drafting
def remove_point(request: HttpRequest, guidance: Guidance, position: int) -> HttpResponse:
    point = get_object_or_404(guidance.points, position=position)
    issuing.remove_point(point)
    messages.success(request, _("“%(title)s” was removed.") % {"title": point.title})
    return redirect(_url(guidance, "points"))


# -- publication, corrections, passing on ------------------------------------------------------


@require_POST
@login_required
def publish(request: HttpRequest, code: UUID) -> HttpResponse:
    guidance, _can_issue = get_guidance_for_user(request, code, may="issue")
    cells = guidance.audience().count()
    if not cells:
        messages.error(
            request, _("This guidance addresses no cell: change whom it addresses first.")
        )
        return redirect(_url(guidance))
    try:
        issuing.publish(guidance, by=scope_for(request).member)
    except GuidanceError as error:
        messages.error(request, str(error))
        return redirect(_url(guidance))
    messages.success(
        request,
        ngettext(
            "The guidance was published: it is on its way to %(count)d cell.",
            "The guidance was published: it is on its way to %(count)d cells.",
            cells,
        )
        % {"count": cells},
    )
    return redirect(_url(guidance))


@require_POST
@login_required
def correct(request: HttpRequest, code: UUID) -> HttpResponse:
    guidance, _can_issue = get_guidance_for_user(request, code, may="issue")
    try:
        draft = issuing.correct(guidance, by=scope_for(request).member)
    except GuidanceError as error:
        messages.error(request, str(error))
        return redirect(_url(guidance))
    messages.success(
        request,
        _(
            "The new version is a draft: change it, say what the correction changes, and "
            "publish it. Until then the version in force stays."
        ),
    )
    return redirect(_url(draft))


@require_POST
@login_required
def pass_on(request: HttpRequest, code: UUID, org: UUID) -> HttpResponse:
    guidance, _can_issue = get_guidance_for_user(request, code)
    committee, _can_manage = get_committee_for_user(request, org, may="issue_guidance")
    try:
        draft = issuing.pass_on(guidance, committee, by=scope_for(request).member)
    except GuidanceError as error:
        messages.error(request, str(error))
        return redirect("guidance:committee", org=committee.code)
    messages.success(
        request,
        _("Your guidance passing it on is a draft: add your own points, then publish it."),
    )
    return redirect(_url(draft, "add"))
