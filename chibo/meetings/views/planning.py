"""The secretary prepares meetings: the plan, the agenda with its documents, the year's series."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from chibo.access.scope import get_cell_for_user, scope_for
from chibo.audit.log import record
from chibo.audit.models import Action
from chibo.guidance.cascade import to_decide
from chibo.lib.months import month_of, next_month
from chibo.lib.posted import posted
from chibo.meetings import documents
from chibo.meetings.forms.planning import (
    AgendaItemForm,
    AgreementForm,
    DocumentForm,
    MeetingForm,
    SeriesForm,
    length_rule,
)
from chibo.meetings.guards import preparing
from chibo.meetings.models import Document, Meeting, MeetingSeries
from chibo.orgs.models import Organisation


def _cell_to_manage(request: HttpRequest, code: UUID) -> Organisation:
    """The cell if the user may plan its meetings: 404 out of reach or not a cell, 403 read-only."""
    org, _can_manage = get_cell_for_user(request, code, may="manage")
    return org


@contextmanager
def _locked(rows: QuerySet) -> Iterator[None]:
    """A transaction holding these rows, so that concurrent changes to them queue up.

    Two secretaries cannot both take the same evening, nor two moves scramble an agenda.
    PostgreSQL needs the row lock; SQLite's IMMEDIATE transactions already serialise writers.
    """
    with transaction.atomic():
        list(rows.select_for_update().values_list("pk", flat=True))
        yield


def _saved(request: HttpRequest, meeting: Meeting, message: str) -> None:
    """Confirm a change; members of a published meeting hear of it at its next publication."""
    if meeting.status == Meeting.Status.PUBLISHED:
        message += " " + _("Members will be told of the change when you publish the meeting again.")
    messages.success(request, message)


def _form_page(
    request: HttpRequest, form: BaseForm, heading: str, back: tuple[str, str], **extra
) -> HttpResponse:
    return render(
        request,
        "meetings/planning/form.html",
        {"form": form, "heading": heading, "back_url": back[0], "back_text": back[1], **extra},
    )


def _agenda_url(meeting: Meeting, position: int | None = None) -> str:
    url = reverse("meetings:agenda", args=[meeting.code])
    return f"{url}#item-{position}" if position else url


# -- the plan ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def plan(request: HttpRequest, cell: UUID) -> HttpResponse:
    org = _cell_to_manage(request, cell)
    form = MeetingForm(
        posted(request),
        instance=Meeting(cell=org, kind=Meeting.Kind.REGULAR),
        scope=scope_for(request),
    )
    if request.method == "POST":
        with _locked(Organisation.objects.filter(pk=org.pk)):
            if form.is_valid():
                meeting = form.save()
                meeting.add_official_agenda()
                messages.success(
                    request, _("The meeting was planned as a draft, with the official agenda.")
                )
                return redirect("meetings:agenda", code=meeting.code)
    back = (reverse("orgs:organisation", args=[org.code]), org.name)
    return _form_page(
        request,
        form,
        _("Plan a meeting"),
        back,
        series_url=reverse("meetings:series", args=[org.code]),
    )


@require_http_methods(["GET", "POST"])
@login_required
@preparing
def edit(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = MeetingForm(posted(request), instance=meeting, scope=scope_for(request))
    if request.method == "POST":
        with _locked(Organisation.objects.filter(pk=meeting.cell_id)):
            if form.is_valid():
                meeting.save(update_fields=[*MeetingForm.Meta.fields, "starts_at", "updated_at"])
                _saved(request, meeting, _("The plan of the meeting was saved."))
                if "kind" in form.changed_data:
                    messages.warning(
                        request,
                        _("The kind of meeting changed but the agenda did not: check its steps."),
                    )
                return redirect(_agenda_url(meeting))
    return _form_page(request, form, _("Change the plan"), (_agenda_url(meeting), _("Agenda")))


@require_http_methods(["GET", "POST"])
@login_required
@preparing
def delete(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Delete a draft never published, after asking; a published one is cancelled instead."""
    refused = _("Members were told of this meeting: it cannot be deleted, only cancelled.")
    if not meeting.is_deletable:
        messages.error(request, refused)
        return redirect(_agenda_url(meeting))
    if request.method == "GET":
        return render(request, "meetings/planning/delete.html", {"meeting": meeting})
    detail = {
        "kind": meeting.kind,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
    }
    try:
        with transaction.atomic():
            record(request, Action.MEETING_DELETED, meeting, detail=detail)
            documents.discard(meeting.delete_draft())
    except ValueError:  # published meanwhile: the entry went with the rollback
        messages.error(request, refused)
        return redirect(_agenda_url(meeting))
    messages.success(request, _("The draft meeting was deleted."))
    return redirect("meetings:cell", cell=meeting.cell.code)


# -- the agenda ----------------------------------------------------------------------------


def _agenda(request: HttpRequest, meeting: Meeting, add_form: AgendaItemForm) -> HttpResponse:
    """The whole editor, or only its list for htmx after a change."""
    template = "agenda_items.html" if request.htmx else "agenda.html"
    context = {
        "meeting": meeting,
        "items": meeting.agenda_items.prefetch_related("documents"),
        "add_form": add_form,
        "upload_form": DocumentForm(auto_id=False),
        "length_rule": length_rule() if meeting.is_short else "",
    }
    if not request.htmx:
        # The panel of the month's guidance from the committees above: points left to decide.
        context["to_decide"], context["guidance_points"] = to_decide(
            meeting.cell, month_of(meeting.starts_at)
        )
    return render(request, f"meetings/planning/{template}", context)


def _back_to_agenda(request: HttpRequest, meeting: Meeting, position: int | None) -> HttpResponse:
    """htmx swaps in the fresh list (with the messages); a plain form goes back to the item."""
    if request.htmx:
        return _agenda(request, meeting, AgendaItemForm())
    return redirect(_agenda_url(meeting, position))


@require_http_methods(["GET", "POST"])
@login_required
@preparing
def agenda(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The agenda editor; a POST adds an item at the end."""
    form = AgendaItemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with _locked(Meeting.objects.filter(pk=meeting.pk)):
            item = meeting.add_item(**form.cleaned_data)
        _saved(request, meeting, _("The item was added to the agenda."))
        return redirect(_agenda_url(meeting, item.position))
    return _agenda(request, meeting, form)


@require_http_methods(["GET", "POST"])
@login_required
@preparing
def item(request: HttpRequest, meeting: Meeting, position: int) -> HttpResponse:
    item = get_object_or_404(meeting.agenda_items, position=position)
    form = AgendaItemForm(posted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        if form.changed_data:
            item.save(update_fields=form.changed_data)
        _saved(request, meeting, _("The agenda item was saved."))
        return redirect(_agenda_url(meeting, position))
    return _form_page(
        request, form, _("Change an agenda item"), (_agenda_url(meeting, position), _("Agenda"))
    )


@require_POST
@login_required
@preparing
def move(request: HttpRequest, meeting: Meeting, position: int, offset: int) -> HttpResponse:
    with _locked(Meeting.objects.filter(pk=meeting.pk)):
        item = get_object_or_404(meeting.agenda_items, position=position)
        if item.move(offset):
            _saved(request, meeting, _("“%(title)s” was moved.") % {"title": item.heading})
    return _back_to_agenda(request, meeting, item.position)


@require_POST
@login_required
@preparing
def remove(request: HttpRequest, meeting: Meeting, position: int) -> HttpResponse:
    with _locked(Meeting.objects.filter(pk=meeting.pk)):
        item = get_object_or_404(meeting.agenda_items, position=position)
        # Members' comments are theirs: an item they discussed is edited, not deleted.
        if item.comments.exists():
            messages.error(
                request,
                _("Members have commented on “%(title)s”, so it stays: change its text instead.")
                % {"title": item.heading},
            )
            return _back_to_agenda(request, meeting, position)
        documents.discard(item.remove())
    _saved(
        request, meeting, _("“%(title)s” was removed with its documents.") % {"title": item.heading}
    )
    return _back_to_agenda(request, meeting, None)


@require_POST
@login_required
@preparing
def upload(request: HttpRequest, meeting: Meeting, position: int) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    with _locked(Meeting.objects.filter(pk=meeting.pk)):
        item = get_object_or_404(meeting.agenda_items, position=position)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["file"]))
            return _back_to_agenda(request, meeting, position)
        data = form.cleaned_data
        documents.store(item, data["file"], data["checked"], scope_for(request).member_id)
    _saved(request, meeting, _("The document was attached."))
    return _back_to_agenda(request, meeting, position)


@require_POST
@login_required
@preparing
def delete_document(request: HttpRequest, meeting: Meeting, document: UUID) -> HttpResponse:
    doc = get_object_or_404(
        Document.objects.select_related("item"), code=document, item__meeting=meeting
    )
    documents.delete(doc)
    _saved(request, meeting, _("“%(name)s” was deleted.") % {"name": doc.name})
    return _back_to_agenda(request, meeting, doc.item.position)


@require_POST
@login_required
@preparing
def agreed(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Rule 4: record the day the cell committee agreed the content, and who took part."""
    form = AgreementForm(request.POST, instance=meeting)
    if form.is_valid():
        form.save(commit=False)
        meeting.save(update_fields=["agreed_on", "updated_at"])
        form.save_m2m()
        messages.success(request, _("The cell committee's agreement was recorded."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(reverse("meetings:agenda", args=[meeting.code]) + "#checklist")


# -- the year's series ---------------------------------------------------------------------


def _months(starts: list[datetime]) -> str:
    return ", ".join(formats.date_format(start, "YEAR_MONTH_FORMAT") for start in starts)


def _report_series(
    request: HttpRequest, created: list[Meeting], past: list[datetime], taken: list[datetime]
) -> None:
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)d meeting was planned as a draft.",
                "%(count)d meetings were planned as drafts.",
                len(created),
            )
            % {"count": len(created)},
        )
    else:
        messages.error(request, _("No meeting was planned: every month was skipped."))
    if past:
        messages.warning(
            request, _("Skipped, the date has passed: %(months)s.") % {"months": _months(past)}
        )
    if taken:
        messages.warning(
            request,
            _("Skipped, the cell already meets that month or at that time: %(months)s.")
            % {"months": _months(taken)},
        )


@require_http_methods(["GET", "POST"])
@login_required
def series(request: HttpRequest, cell: UUID) -> HttpResponse:
    org = _cell_to_manage(request, cell)
    form = SeriesForm(
        posted(request),
        instance=MeetingSeries(cell=org),
        initial={"first_month": next_month(month_of(timezone.localdate()))},
    )
    if request.method == "POST":
        with _locked(Organisation.objects.filter(pk=org.pk)):
            if form.is_valid():
                created, past, taken = form.save().create_meetings()
                _report_series(request, created, past, taken)
                if created:
                    return redirect("meetings:cell", cell=org.code)
                transaction.set_rollback(True)
    back = (reverse("orgs:organisation", args=[org.code]), org.name)
    return _form_page(request, form, _("Plan the year: a regular meeting each month"), back)
