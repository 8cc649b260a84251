"""Members before the meeting: find it, read the agenda and documents, comment, answer."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import get_cell_for_user, get_meeting_for_user, scope_for
from chibo.audit.log import record
from chibo.audit.models import Action
from chibo.lib import fragments
from chibo.lib.paging import window
from chibo.meetings.forms.attending import AnswerForm, CommentForm
from chibo.meetings.holding import previous_tasks
from chibo.meetings.models import AgendaItem, Answer, Comment, Document, Meeting, Receipt, Step

# Comments shown per agenda item on a phone's meeting page; the rest are one tap away, paged.
COMMENTS_PER_ITEM = 5
# Seconds an item's rendered comments are kept: the bound on how long a renamed author shows.
DISCUSSION_KEPT = 600


@require_GET
@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """The meetings of the cells the user belongs to, supervises or leads, and a way to plan
    the next one in each cell they lead (no query for those who lead none)."""
    scope = scope_for(request)
    mine = scope.my_meetings().select_related("cell")
    return render(
        request,
        "meetings/attending/list.html",
        {
            "led": list(scope.led_cells().only("code", "name").order_by("name")),
            "upcoming": mine.upcoming().order_by("starts_at")[:20],
            "past": window(request, mine.past(), settings.PAGE_SIZE),
        },
    )


@require_GET
@login_required
def cell_meetings(request: HttpRequest, cell: UUID) -> HttpResponse:
    org, can_manage = get_cell_for_user(request, cell)
    meetings = scope_for(request).meetings().filter(cell=org)
    return render(
        request,
        "meetings/attending/cell.html",
        {
            "org": org,
            "can_manage": can_manage,
            "meetings": window(request, meetings, settings.PAGE_SIZE),
        },
    )


def _latest_comments(items: list[AgendaItem]) -> dict[int, list[Comment]]:
    """The newest top-level comments of each item with their replies, in two queries.

    Both queries name the items, so the database walks the (item, parent) index rather than
    the whole table of comments or its mostly empty parent column."""
    ids = [item.pk for item in items]
    replies = Comment.objects.filter(item_id__in=ids).select_related("author")
    ranked = (
        Comment.objects.filter(item_id__in=ids, parent=None)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("item_id"), order_by=F("created_at").desc())
        )
        .filter(rank__lte=COMMENTS_PER_ITEM)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )
    by_item: dict[int, list[Comment]] = {}
    for comment in sorted(ranked, key=lambda c: (c.created_at, c.pk)):
        by_item.setdefault(comment.item_id, []).append(comment)
    return by_item


def _discussions(request: HttpRequest, meeting: Meeting, rights, items: list[AgendaItem]) -> None:
    """Each item's latest comments as HTML, kept in the shared cache between members' views.

    Most of the meeting page's time went on these comments, the same for every member: a
    fragment is kept under what it shows (the item's count of comments and its latest change,
    the language, whether replies are open) and the viewer only when they wrote in it, for
    their "Edit" links. A name changed since is seen when the fragment expires."""
    member_id = scope_for(request).member_id
    replies_open = rights.respond and meeting.accepts_answers
    language, zone = get_language(), timezone.get_current_timezone_name()
    keys = {
        item.pk: ":".join(
            str(part)
            for part in (
                "comments",
                item.pk,
                item.comment_count,
                item.comments_changed and item.comments_changed.timestamp(),
                language,
                zone,
                replies_open,
                member_id if item.commented else "",
            )
        )
        for item in items
        if item.comment_count
    }
    kept = cache.get_many(keys.values())
    missing = [item for item in items if item.pk in keys and keys[item.pk] not in kept]
    comments = _latest_comments(missing) if missing else {}
    fresh = {
        keys[item.pk]: render_to_string(
            "meetings/attending/latest_comments.html",
            {
                "comments": comments.get(item.pk, []),
                "item": item,
                "meeting": meeting,
                "rights": rights,
                "member_id": member_id,
            },
        )
        for item in missing
    }
    cache.set_many(fresh, timeout=DISCUSSION_KEPT)
    kept |= fresh
    for item in items:
        item.latest_comments_html = mark_safe(kept.get(keys.get(item.pk), ""))


def _agenda(request: HttpRequest, meeting: Meeting, rights, items: list[AgendaItem]) -> str:
    """The agenda, drawn once for every member who sees the same: kept under a digest of the
    items, their documents and comments and last month's tasks, with the comment forms' token
    put back for each viewer."""
    replies_open = rights.respond and meeting.accepts_answers
    # Rule 6: the meeting assesses last month's resolution task by task.
    tasks = previous_tasks(meeting) if any(i.step == Step.ASSESSMENT for i in items) else []
    comments = [item.latest_comments_html for item in items]
    context = {
        "items": items,
        "previous_tasks": tasks,
        "replies_open": replies_open,
        "csrf_token": fragments.CSRF_PLACEHOLDER,
    }
    html = fragments.kept(
        "agenda",
        [items, tasks, comments, replies_open],
        lambda: render_to_string("meetings/attending/agenda.html", context),
        timeout=DISCUSSION_KEPT,
    )
    return fragments.with_csrf(html, request)


def _preparation(meeting: Meeting) -> dict:
    """What the secretary sees before the meeting: answers, and who has not opened the notice."""
    expected = meeting.cell.members.summoned()
    answers = meeting.answers.select_related("member").order_by("member__search_name")
    return {
        "answers": answers,
        "not_opened": expected.exclude(receipts__meeting=meeting).order_by("search_name"),
        "expected_count": expected.count(),
    }


@require_GET
@login_required
def meeting(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting, rights = get_meeting_for_user(request, code)
    scope = scope_for(request)
    if rights.respond and meeting.status != Meeting.Status.DRAFT:
        Receipt.note(meeting.pk, scope.member_id)
    # Counted through the item index, item by item (a joined count made PostgreSQL scan).
    on_item = Comment.objects.filter(item=OuterRef("pk")).values("item")
    changed = Coalesce("edited_at", "created_at")
    items = list(
        meeting.agenda_items.annotate(
            comment_count=Coalesce(Subquery(on_item.annotate(n=Count("pk")).values("n")), 0),
            comments_changed=Subquery(on_item.annotate(t=Max(changed)).values("t")),
            commented=Exists(on_item.filter(author_id=scope.member_id)),
        ).prefetch_related("documents")
    )
    for item in items:
        # Reversed once per item, not once per comment that links to it.
        item.thread_url = reverse("meetings:comments", args=[meeting.code, item.position])
    _discussions(request, meeting, rights, items)
    answer = None
    if rights.respond:
        answer = Answer.objects.filter(meeting=meeting, member_id=scope.member_id).first()
    context = {
        "meeting": meeting,
        "rights": rights,
        "answer": answer,
        "answer_form": AnswerForm(instance=answer),
        "agenda": _agenda(request, meeting, rights, items),
    }
    if rights.prepare:
        context |= _preparation(meeting)
    return render(request, "meetings/attending/meeting.html", context)


def _require_open(request: HttpRequest, meeting: Meeting) -> bool:
    """Answers and comments close when the meeting opens; say so rather than fail."""
    if meeting.accepts_answers:
        return True
    messages.error(
        request, _("This meeting no longer takes answers or comments: it has opened or ended.")
    )
    return False


@require_POST
@login_required
def answer(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting, _rights = get_meeting_for_user(request, code, may="respond")
    if _require_open(request, meeting):
        existing = Answer.objects.filter(
            meeting=meeting, member_id=scope_for(request).member_id
        ).first()
        form = AnswerForm(request.POST, instance=existing)
        if form.is_valid():
            Answer.give(meeting, scope_for(request).member_id, **form.cleaned_data)
            messages.success(request, _("Your answer was saved."))
        else:
            for error in form.errors.values():
                messages.error(request, " ".join(error))
    return redirect("meetings:meeting", code=meeting.code)


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.code])


def _item(meeting: Meeting, position: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, meeting=meeting, position=position)


@require_http_methods(["GET", "POST"])
@login_required
def comments(request: HttpRequest, code: UUID, position: int) -> HttpResponse:
    """One agenda item's whole discussion, paged; and where new comments are posted."""
    meeting, rights = get_meeting_for_user(request, code)
    item = _item(meeting, position)
    item.thread_url = request.path
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not rights.respond:
            raise PermissionDenied
        if _require_open(request, meeting) and form.is_valid():
            parent = form.cleaned_data["parent"]
            if parent is not None and (parent.item_id != item.pk or parent.parent_id):
                raise Http404  # replies go one level deep, on the same item
            Comment.objects.create(
                item=item,
                author_id=scope_for(request).member_id,
                parent=parent,
                body=form.cleaned_data["body"],
            )
            messages.success(request, _("Your comment was posted."))
            if request.POST.get("back") == "thread":
                return redirect("meetings:comments", code=meeting.code, position=item.position)
            return redirect(f"{meeting_url(meeting)}#item-{item.position}")
    thread = (
        item.comments.filter(parent=None)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=Comment.objects.select_related("author")))
    )
    return render(
        request,
        "meetings/attending/comments.html",
        {
            "meeting": meeting,
            "rights": rights,
            "item": item,
            "comments": window(request, thread, settings.PAGE_SIZE),
            "comment_form": form,
            "member_id": scope_for(request).member_id,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request: HttpRequest, code: UUID) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("item"), code=code)
    meeting, _rights = get_meeting_for_user(request, comment.item.meeting.code)
    if comment.author_id != scope_for(request).member_id:
        raise PermissionDenied
    if not _require_open(request, meeting):
        return redirect("meetings:meeting", code=meeting.code)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        comment.body = form.cleaned_data["body"]
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        messages.success(request, _("Your comment was changed."))
        return redirect("meetings:meeting", code=meeting.code)
    return render(
        request, "meetings/attending/comment_edit.html", {"meeting": meeting, "form": form}
    )


@require_GET
@login_required
def document(request: HttpRequest, code: UUID) -> FileResponse:
    doc = get_object_or_404(Document.objects.select_related("item__meeting"), code=code)
    meeting, _rights = get_meeting_for_user(request, doc.item.meeting.code)
    record(request, Action.DOCUMENT_DOWNLOADED, doc, organisation=meeting.cell_id)
    return FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.name, content_type=doc.content_type
    )
