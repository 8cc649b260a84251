"""Browsing the tree, cells and members, each through the user's access scope."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from chibo.access.scope import get_member_for_user, get_organisation_for_user, scope_for
from chibo.audit.log import record
from chibo.audit.models import Action
from chibo.lib.paging import window
from chibo.orgs import exports
from chibo.orgs.forms import MemberContactForm, MemberSearchForm, OrganisationForm
from chibo.orgs.home import home as home_of
from chibo.orgs.models import Member, Organisation, Position
from chibo.supervision.models import Assignment


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's next step (`orgs.home`), then the organisations in reach."""
    scope = scope_for(request)
    return render(request, "orgs/home.html", {"home": home_of(scope), "roots": scope.roots()})


@require_GET
@login_required
def tree(request: HttpRequest) -> HttpResponse:
    roots = scope_for(request).roots()
    if len(roots) == 1:
        return redirect("orgs:organisation", code=roots[0].code)
    return render(request, "orgs/tree.html", {"roots": roots})


def _breadcrumbs(request: HttpRequest, org: Organisation) -> list[tuple[Organisation, bool]]:
    """Ancestors, root first, each with whether the user may open it."""
    scope = scope_for(request)
    ancestors = Organisation.objects.filter(path__in=org.ancestor_paths()).only(
        "name", "code", "path", "kind"
    )
    return [(a, scope.can_see(a)) for a in ancestors]


@require_GET
@login_required
@never_cache
def organisation(request: HttpRequest, code: UUID) -> HttpResponse:
    org, can_manage = get_organisation_for_user(request, code)
    context = {
        "org": org,
        "can_manage": can_manage,
        "can_edit": scope_for(request).can_edit(org),
        "can_see_quality": scope_for(request).can_see_quality(org),
        "can_see_log": scope_for(request).can_see_log(org),
        "can_see_guidance": scope_for(request).can_see_guidance(org),
        "can_record_voice": scope_for(request).can_record_voice(org),
        "can_handle_voices": scope_for(request).can_handle_voices(org),
        "crumbs": _breadcrumbs(request, org),
        "leaders": Position.objects.current()
        .filter(organisation=org)
        .ranked()
        .select_related("member"),
    }
    if org.is_cell:
        page = _page(request, org.members.order_by("search_name", "pk"))
        page.object_list = scope_for(request).with_personal(page.object_list)
        context["members"] = page
        context["statuses"] = _status_totals(org)
        context["supervisors"] = (
            Assignment.objects.current().filter(cell=org).select_related("supervisor")
        )
        return render(request, "orgs/cell.html", context)
    children = scope_for(request).organisations().children_of(org).select_related("level")
    context["children"] = _page(request, children)
    return render(request, "orgs/committee.html", context)


def _status_totals(cell: Organisation) -> list[tuple[str, int]]:
    counts = dict(cell.members.values_list("status").annotate(n=Count("pk")).order_by())
    return [(label, counts.get(value, 0)) for value, label in Member.Status.choices]


def _found(request: HttpRequest) -> tuple[MemberSearchForm, object]:
    """The search form and the members in reach that match it (all of them without a query)."""
    form = MemberSearchForm(request.GET)
    scope = scope_for(request)
    found = scope.members().select_related("cell")
    if form.is_valid() and form.cleaned_data["q"]:
        found = found.search(form.cleaned_data["q"], scope.members_showing("card_number"))
    return form, found


@require_GET
@login_required
@never_cache
def members(request: HttpRequest) -> HttpResponse:
    form, found = _found(request)
    scope = scope_for(request)
    template = "orgs/member_rows.html" if request.htmx else "orgs/members.html"
    page = window(request, found, settings.PAGE_SIZE)
    page.object_list = scope.with_personal(page.object_list)
    return render(request, template, {"form": form, "members": page})


@require_GET
@login_required
@never_cache
def members_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The members of the list page, every page of them, as a CSV or XLSX file."""
    if fmt not in exports.WRITERS:
        raise Http404
    scope = scope_for(request)
    if not scope.can_export_members():
        raise PermissionDenied
    form, found = _found(request)
    fields = exports.fields_for(scope)
    write, content_type = exports.WRITERS[fmt]
    response = HttpResponse(write(fields, found, scope), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="members.{fmt}"'
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    roots = scope.roots()
    detail = {"format": fmt, "search": query, "reach": [org.pk for org in roots]}
    record(
        request, Action.MEMBERS_EXPORTED, organisation=roots[0] if roots else None, detail=detail
    )
    return response


@require_GET
@login_required
@never_cache
def member(request: HttpRequest, code: UUID) -> HttpResponse:
    member, can_manage = get_member_for_user(request, code)
    personal = scope_for(request).personal(member)
    if personal.of_another:
        record(request, Action.MEMBER_VIEWED, member)
    context = {
        "member": member,
        "can_manage": can_manage,
        "personal": personal,
        "positions": member.positions.ranked().select_related("organisation"),
        "memberships": member.memberships.select_related("cell"),
    }
    return render(request, "orgs/member.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def member_edit(request: HttpRequest, code: UUID) -> HttpResponse:
    member, _can_manage = get_member_for_user(request, code, may="manage")
    personal = scope_for(request).personal(member)
    form = MemberContactForm(request.POST or None, instance=member, personal=personal)
    if request.method == "POST" and form.is_valid():
        if form.changed_data:
            with transaction.atomic():
                member.save(update_fields=form.changed_data)
                record(request, Action.MEMBER_CHANGED, member, detail={"fields": form.changed_data})
        messages.success(request, _("The member's contact details were saved."))
        return redirect("orgs:member", code=member.code)
    if personal.of_another:
        record(request, Action.MEMBER_VIEWED, member, detail={"form": 1})
    return render(request, "orgs/member_edit.html", {"member": member, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def organisation_edit(request: HttpRequest, code: UUID) -> HttpResponse:
    org, _can_manage = get_organisation_for_user(request, code, may="edit")
    before = {name: getattr(org, name) for name in OrganisationForm.Meta.fields}
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        if form.changed_data:
            with transaction.atomic():
                org.save(update_fields=form.changed_data)
                # The language of its official documents: who changed it, from what.
                changed = {name: [before[name], getattr(org, name)] for name in form.changed_data}
                record(request, Action.SETTINGS_CHANGED, org, detail={"fields": changed})
        messages.success(request, _("The organisation's settings were saved."))
        return redirect("orgs:organisation", code=org.code)
    return render(request, "orgs/organisation_edit.html", {"org": org, "form": form})
