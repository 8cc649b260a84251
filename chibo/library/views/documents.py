"""The library's pages: the shelves with their filters, a document to read on a phone with its
file, links, bookmark and the member's private note; adding and changing documents."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import get_library_document_for_user, scope_for
from chibo.lib.paging import window
from chibo.lib.posted import posted
from chibo.library import shelving
from chibo.library.forms.documents import DocumentForm, FilterForm, NoteForm
from chibo.library.models import Bookmark, Document, Note
from chibo.library.studying import studies_for

# The issuers offered as a filter: the most a select on a phone is worth.
ISSUERS_MAX = 200
LISTED = ["code", "number", "title", "issuer", "issued_on", "type", "language", "audience_id"]


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    readable = scope.library_documents()
    issuers = list(
        readable.order_by("issuer").values_list("issuer", flat=True).distinct()[:ISSUERS_MAX]
    )
    filters = FilterForm(request.GET, issuers=issuers)
    page = window(request, filters.filter(readable).only(*LISTED), settings.PAGE_SIZE)
    context = {
        "page": page,
        "filters": filters,
        "can_add": scope.may_publish_documents(),
        # Where those who launch studies follow them.
        "study_committees": scope.study_committees().order_by("path")[:3],
    }
    return render(request, "library/index.html", context)


@require_GET
@login_required
def bookmarks(request: HttpRequest) -> HttpResponse:
    """The documents the member bookmarked, newest bookmark first (still readable only)."""
    scope = scope_for(request)
    kept = scope.library_documents().filter(bookmarks__member_id=scope.member_id)
    page = window(
        request, kept.order_by("-bookmarks__created_at").only(*LISTED), settings.PAGE_SIZE
    )
    return render(request, "library/bookmarks.html", {"page": page})


def _document_page(
    request: HttpRequest, document: Document, can_change: bool, note_form: NoteForm | None = None
) -> HttpResponse:
    scope = scope_for(request)
    # Its links both ways, among what the user may read, in one query.
    linked = list(
        scope.library_documents()
        .filter(
            Q(pk__in=[document.amends_id, document.replaces_id])
            | Q(amends=document)
            | Q(replaces=document)
        )
        .only("code", "number", "title", "issued_on", "amends_id", "replaces_id")
    )
    member_id = scope.member_id
    bookmarked, note = False, None
    if member_id is not None:
        bookmarked = Bookmark.objects.filter(member_id=member_id, document=document).exists()
        note = Note.objects.filter(member_id=member_id, document=document).first()
    context = {
        "document": document,
        "can_change": can_change,
        "amends": next((d for d in linked if d.pk == document.amends_id), None),
        "replaces": next((d for d in linked if d.pk == document.replaces_id), None),
        "amended_by": [d for d in linked if d.amends_id == document.pk],
        "replaced_by": [d for d in linked if d.replaces_id == document.pk],
        "is_member": member_id is not None,
        "bookmarked": bookmarked,
        "note_form": note_form or NoteForm(instance=note),
        "studies": studies_for(scope, document),
        "launch_committees": scope.study_committees().order_by("path")[:2]
        if scope.may_launch_studies()
        else [],
    }
    return render(request, "library/document.html", context)


@require_GET
@login_required
def document(request: HttpRequest, code: UUID) -> HttpResponse:
    document, can_change = get_library_document_for_user(request, code)
    return _document_page(request, document, can_change)


@require_GET
@login_required
def download(request: HttpRequest, code: UUID) -> FileResponse:
    document, _can_change = get_library_document_for_user(request, code)
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file_name,
        content_type=document.content_type,
    )


def _member_id(request: HttpRequest) -> int:
    """Bookmarks and notes are a member's own: an account without a member record has none."""
    member_id = scope_for(request).member_id
    if member_id is None:
        raise PermissionDenied
    return member_id


@require_POST
@login_required
def bookmark(request: HttpRequest, code: UUID) -> HttpResponse:
    document, _can_change = get_library_document_for_user(request, code)
    member_id = _member_id(request)
    removed, _kinds = Bookmark.objects.filter(member_id=member_id, document=document).delete()
    if removed:
        messages.success(request, _("The bookmark was removed."))
    else:
        Bookmark.objects.get_or_create(member_id=member_id, document=document)
        messages.success(request, _("The document was bookmarked."))
    return redirect("library:document", code=document.code)


@require_POST
@login_required
def note(request: HttpRequest, code: UUID) -> HttpResponse:
    document, can_change = get_library_document_for_user(request, code)
    member_id = _member_id(request)
    mine = Note.objects.filter(member_id=member_id, document=document).first()
    form = NoteForm(request.POST, instance=mine or Note(member_id=member_id, document=document))
    if not form.is_valid():
        return _document_page(request, document, can_change, form)
    if not form.cleaned_data["text"].strip():
        if mine is not None:
            mine.delete()
        messages.success(request, _("Your note was removed."))
    else:
        form.save()
        messages.success(request, _("Your note was saved. Only you can see it."))
    return redirect(reverse("library:document", args=[document.code]) + "#note")


def _form(request: HttpRequest, instance: Document) -> DocumentForm:
    scope = scope_for(request)
    return DocumentForm(
        posted(request),
        request.FILES or None,
        instance=instance,
        committees=scope.document_committees(),
        readable=scope.library_documents(),
        national=scope.is_admin,
    )


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.may_publish_documents():
        raise PermissionDenied
    form = _form(request, Document(added_by_id=scope.member_id))
    if request.method == "POST" and form.is_valid():
        document = shelving.add(
            form.save(commit=False), form.cleaned_data["file"], form.cleaned_data["checked"]
        )
        messages.success(request, _("The document was added; its text is being read."))
        return redirect("library:document", code=document.code)
    context = {"form": form, "heading": _("Add a document"), "back_url": reverse("library:index")}
    return render(request, "library/form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, code: UUID) -> HttpResponse:
    document, _can_change = get_library_document_for_user(request, code, may="change")
    form = _form(request, document)
    if request.method == "POST" and form.is_valid():
        changed = [name.removesuffix("_number") for name in form.changed_data if name != "file"]
        if changed:
            document.save(update_fields=[*changed, "updated_at"])
        if form.cleaned_data["file"] is not None:
            shelving.attach(document, form.cleaned_data["file"], form.cleaned_data["checked"])
        messages.success(request, _("The document was saved."))
        return redirect("library:document", code=document.code)
    context = {
        "form": form,
        "heading": _("Change the document"),
        "back_url": reverse("library:document", args=[document.code]),
    }
    return render(request, "library/form.html", context)
