"""Holding the meeting and what follows: the roll, votes, minutes, resolution, tasks.

The secretary's pages answer 403 to those who may only read the meeting; the members' own
pages (check-in, their tasks) are theirs.
"""

from collections.abc import Callable
from datetime import date
from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import MeetingRights, get_meeting_for_user, scope_for
from chibo.audit import records as sealed
from chibo.audit.log import record
from chibo.audit.models import Action
from chibo.lib.paging import window
from chibo.meetings import drafting, holding
from chibo.meetings.forms.holding import (
    AdoptForm,
    CorrectionForm,
    FollowUpForm,
    MarkForm,
    MinutesForm,
    OfficersForm,
    ResolutionForm,
    TaskFormSet,
    VoteForm,
)
from chibo.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    Resolution,
)
from chibo.orgs.models import Member

CLOSED_TASKS = [ActionItem.Status.DONE, ActionItem.Status.CANCELLED]
# The records of a meeting by the name of their pages, and where the meeting keeps them.
RECORDS = {"minutes": "minutes", "resolution": "resolutions"}
CHANGED = {"minutes": Action.MINUTES_CHANGED, "resolution": Action.RESOLUTION_CHANGED}
# Each step with whoever presides in the secretary's stead (or None), and what it says done.
STEPS = {
    "open": (
        lambda meeting, stand_in: holding.open_meeting(meeting, presiding_id=stand_in),
        gettext_lazy("The meeting is open."),
    ),
    "close": (
        lambda meeting, stand_in: holding.close_meeting(meeting),
        gettext_lazy("The meeting is closed."),
    ),
}


def _held(request: HttpRequest, code: UUID) -> Meeting:
    """The meeting, for those who run it; 403 for those who may only read it."""
    meeting, _rights = get_meeting_for_user(request, code, may="hold")
    return meeting


def _attempt(
    request: HttpRequest,
    step: Callable[[], object],
    success: str = "",
    audit: Callable[[], object] | None = None,
) -> bool:
    """Run one step of the process, and `audit` to log it in the same transaction; what the
    rules refuse becomes a message, nothing changes."""
    try:
        with transaction.atomic():
            step()
            if audit is not None:
                audit()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    if success:
        messages.success(request, success)
    return True


def _preside(
    request: HttpRequest,
    rights: MeetingRights,
    step: Callable[[], object],
    success: str = "",
    audit: Callable[[], object] | None = None,
) -> bool:
    """A step kept for the secretary; a deputy taking it in their stead is recorded with it."""
    meeting, member_id = rights.meeting, scope_for(request).member_id

    @transaction.atomic
    def presided() -> None:
        step()
        if rights.in_stead:
            holding.record_stand_in(meeting, member_id)

    return _attempt(request, presided, success, audit)


def _say_errors(request: HttpRequest, form: Form) -> None:
    for name, errors in form.errors.items():
        label = f"{form.fields[name].label}: " if name in form.fields else ""
        messages.error(request, label + " ".join(errors))


def _hold_url(meeting: Meeting, anchor: str) -> str:
    return f"{reverse('meetings:hold', args=[meeting.code])}#{anchor}"


def _qr(request: HttpRequest, meeting: Meeting) -> SafeString:
    """The check-in address as an inline SVG, for members to scan from the secretary's phone."""
    target = request.build_absolute_uri(reverse("meetings:check_in", args=[meeting.code]))
    svg = segno.make(target, error="m").svg_inline(
        scale=4, title=_("Scan to check in"), svgclass="qr"
    )
    return mark_safe(svg)  # segno escapes the title; the rest is its own markup


@require_GET
@login_required
def hold(request: HttpRequest, code: UUID) -> HttpResponse:
    """The secretary's phone during the meeting: open it, the roll, rule 9's count, votes."""
    meeting, rights = get_meeting_for_user(request, code, may="hold")
    minutes = meeting.minutes.first()
    roll = holding.roll_of(meeting)
    named = meeting.has_opened and (minutes is None or minutes.status == Minutes.Status.DRAFT)
    present = [line.member for line in roll.present]
    return render(
        request,
        "meetings/holding/hold.html",
        {
            "meeting": meeting,
            "rights": rights,
            "roll": roll,
            "officers_form": _officers_form(request, meeting, present) if named else None,
            "votes": meeting.votes.all(),
            "vote_form": VoteForm(),
            "minutes": minutes,
            "resolution": meeting.resolutions.first(),
            "publish_due": holding.publish_due(meeting),
            "publish_late": holding.is_late(meeting),
            "qr": _qr(request, meeting) if meeting.status == Meeting.Status.OPEN else "",
        },
    )


@require_POST
@login_required
def step(request: HttpRequest, code: UUID, step: str) -> HttpResponse:
    """Open the meeting (calling the roll) or close it."""
    meeting, rights = get_meeting_for_user(request, code, may="preside")
    process, success = STEPS[step]
    stand_in = scope_for(request).member_id if rights.in_stead else None
    _preside(request, rights, lambda: process(meeting, stand_in), str(success))
    return redirect("meetings:hold", code=meeting.code)


@require_POST
@login_required
def mark(request: HttpRequest, code: UUID, member: UUID) -> HttpResponse:
    """One tap on the roll: present, absent with a reason, absent. htmx gets the line alone
    back (with what went wrong in it); a plain form goes back to the line on the page."""
    meeting = _held(request, code)
    line = get_object_or_404(
        Attendance.objects.select_related("member"), meeting=meeting, member__code=member
    )
    form = MarkForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: holding.mark(meeting, line, **form.cleaned_data),
            audit=lambda: _roll_changed(request, meeting, line),
        )
    else:
        _say_errors(request, form)
    if request.htmx:
        context = {"meeting": meeting, "line": line}
        return render(request, "meetings/holding/roll_line.html", context)
    return redirect(_hold_url(meeting, f"roll-{member}"))


def _roll_changed(request: HttpRequest, meeting: Meeting, line: Attendance) -> None:
    detail = {"member": line.member_id, "presence": line.presence}
    record(request, Action.ROLL_CHANGED, meeting, detail=detail)


def _officers_form(
    request: HttpRequest, meeting: Meeting, present: list[Member], data=None
) -> OfficersForm:
    labels = scope_for(request).member_labels(present)
    return OfficersForm(meeting, present, labels, data)


@require_POST
@login_required
def officers(request: HttpRequest, code: UUID) -> HttpResponse:
    """Choose the chair and the minute-taker from the members present."""
    meeting = _held(request, code)
    present = Member.objects.filter(
        attendances__meeting=meeting, attendances__presence=Attendance.Presence.PRESENT
    ).select_related("cell")
    form = _officers_form(request, meeting, list(present), request.POST)
    if form.is_valid():
        chair, taker = form.cleaned_data["chair"], form.cleaned_data["minute_taker"]
        detail = {"chair": chair.pk, "minute_taker": taker.pk}
        _attempt(
            request,
            lambda: holding.choose_officers(meeting, chair, taker),
            _("The chair and the minute-taker are saved."),
            audit=lambda: record(request, Action.ROLL_CHANGED, meeting, detail=detail),
        )
    else:
        _say_errors(request, form)
    return redirect(_hold_url(meeting, "officers"))


@require_POST
@login_required
def vote(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting = _held(request, code)
    form = VoteForm(request.POST)
    if not form.is_valid():
        _say_errors(request, form)
        return redirect(_hold_url(meeting, "vote"))
    try:
        with transaction.atomic():
            result = holding.record_vote(meeting, **form.cleaned_data)
            record(request, Action.VOTE_RECORDED, meeting, detail={"vote": result.pk})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_hold_url(meeting, "vote"))
    outcome = _("Passed") if result.passed else _("Not passed")
    messages.success(
        request,
        _("%(outcome)s: %(for)d for, %(needed)d needed.")
        % {"outcome": outcome, "for": result.votes_for, "needed": result.needed},
    )
    return redirect(_hold_url(meeting, "votes"))


@require_http_methods(["GET", "POST"])
@login_required
def check_in(request: HttpRequest, code: UUID) -> HttpResponse:
    """The address inside the QR code: a member of the cell says "I am here"."""
    meeting, _rights = get_meeting_for_user(request, code, may="check_in")
    scope = scope_for(request)
    if request.method == "POST":
        member = Member.objects.get(pk=scope.member_id)
        _attempt(
            request,
            lambda: holding.check_in(meeting, member, by_qr=True),
            _("You are checked in. Welcome."),
            audit=lambda: record(
                request, Action.ROLL_CHANGED, meeting, detail={"checked_in": True}
            ),
        )
        return redirect("meetings:check_in", code=meeting.code)
    line = meeting.roll.filter(member_id=scope.member_id).first()
    return render(request, "meetings/holding/check_in.html", {"meeting": meeting, "line": line})


@require_http_methods(["GET", "POST"])
@login_required
def minutes(request: HttpRequest, code: UUID) -> HttpResponse:
    """Write the draft minutes along the agenda; approved ones are shown, and corrected."""
    meeting, rights = get_meeting_for_user(request, code, may="hold")
    versions = list(meeting.minutes.all())
    latest = versions[0] if versions else None
    items = list(meeting.agenda_items.all())
    # A first draft starts from the ready wording of each step, with the roll's figures.
    start = latest.sections if latest else drafting.minutes_start(meeting, items)
    form = MinutesForm(items, request.POST or None, initial=start)
    if request.method == "POST" and form.is_valid():
        sections, by_id = form.sections(), scope_for(request).member_id
        _attempt(
            request,
            lambda: holding.save_minutes(meeting, latest, sections, by_id),
            _("The minutes were saved."),
            audit=lambda: record(request, Action.MINUTES_CHANGED, meeting),
        )
        return redirect("meetings:minutes", code=meeting.code)
    return render(
        request,
        "meetings/holding/minutes.html",
        {
            "meeting": meeting,
            "rights": rights,
            "minutes": sealed.check(latest),
            "versions": versions,
            "sections": _sections(items, latest),
            "writable": meeting.has_opened,
            "form": form,
            "correction_form": CorrectionForm(),
        },
    )


def _sections(items: list[AgendaItem], minutes: Minutes | None) -> list[tuple[AgendaItem, str]]:
    """Each agenda item with what the minutes say about it."""
    written = minutes.sections if minutes else {}
    return [(item, written.get(str(item.position), "")) for item in items]


@require_POST
@login_required
def minutes_approve(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting, rights = get_meeting_for_user(request, code, may="preside")
    latest = meeting.minutes.first()
    if latest is None:
        messages.error(request, _("Write the minutes before approving them."))
    else:
        _preside(
            request,
            rights,
            lambda: holding.approve_minutes(latest),
            _("The minutes are approved."),
            audit=lambda: sealed.approved(request, latest),
        )
    return redirect("meetings:minutes", code=meeting.code)


@require_POST
@login_required
def correct(request: HttpRequest, code: UUID, name: str) -> HttpResponse:
    """A correction of the latest approved version: a new draft with its reason."""
    meeting = _held(request, code)
    latest = getattr(meeting, RECORDS[name]).first()
    if latest is None:
        raise Http404
    form = CorrectionForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: holding.correct(latest, form.cleaned_data["reason"]),
            _("A new draft version was made; the earlier one stays as it was."),
            audit=lambda: record(request, CHANGED[name], meeting, detail={"corrected": latest.pk}),
        )
    else:
        _say_errors(request, form)
    return redirect(f"meetings:{name}", code=meeting.code)


@require_GET
@login_required
def record_version(request: HttpRequest, code: UUID, version: int, name: str) -> HttpResponse:
    """One version as it was; those who only read the meeting see published versions only."""
    meeting, rights = get_meeting_for_user(request, code)
    found = rights.records(getattr(meeting, RECORDS[name])).filter(version=version).first()
    if found is None:
        raise Http404
    context = {"meeting": meeting, "record": sealed.check(found), "rights": rights}
    if isinstance(found, Minutes):
        context["sections"] = _sections(list(meeting.agenda_items.all()), found)
    else:
        context["tasks"] = found.tasks.select_related("owner")
    return render(request, f"meetings/holding/{name}_version.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def resolution(request: HttpRequest, code: UUID) -> HttpResponse:
    """The draft resolution in its four parts; adopted ones are shown, and corrected."""
    meeting, rights = get_meeting_for_user(request, code, may="hold")
    versions = list(meeting.resolutions.all())
    latest = versions[0] if versions else None
    context = {
        "meeting": meeting,
        "rights": rights,
        "resolution": sealed.check(latest),
        "versions": versions,
    }
    if latest is not None and latest.status != Resolution.Status.DRAFT:
        if request.method == "POST":
            messages.error(request, _("An adopted resolution never changes: correct it."))
            return redirect("meetings:resolution", code=meeting.code)
        context |= {
            "tasks": latest.tasks.select_related("owner"),
            "correction_form": CorrectionForm(),
        }
        return render(request, "meetings/holding/resolution.html", context)
    data = request.POST or None
    previous = holding.previous_tasks(meeting)
    initial = None
    if latest is None:
        initial = {"assessment": holding.assessment_text(previous), **drafting.resolution_start()}
    form = ResolutionForm(data, instance=latest, initial=initial)
    owners = list(Member.objects.filter(cell_id=meeting.cell_id).select_related("cell"))
    tasks = TaskFormSet(
        data,
        prefix="tasks",
        initial=_rows(latest),
        form_kwargs={
            "owners": owners,
            "earliest": timezone.localtime(meeting.starts_at).date(),
            "labels": scope_for(request).member_labels(owners),
        },
    )
    if request.method == "POST" and form.is_valid() and tasks.is_valid():
        texts = {name: form.cleaned_data[name] for name in ResolutionForm.Meta.fields}
        with transaction.atomic():
            holding.save_resolution(meeting, latest, texts, tasks.rows())
            record(request, Action.RESOLUTION_CHANGED, meeting)
        messages.success(request, _("The draft resolution was saved."))
        return redirect("meetings:resolution", code=meeting.code)
    context |= {
        "form": form,
        "task_forms": tasks,
        "previous": previous,
        "adopt_form": AdoptForm(meeting.votes.filter(passed=True, resolution__isnull=True)),
    }
    return render(request, "meetings/holding/resolution.html", context)


def _rows(draft: Resolution | None) -> list[dict]:
    if draft is None:
        return []
    return [
        {
            "position": task.position,
            "what": task.what,
            "owner": str(task.owner.code) if task.owner else "",
            "deadline": task.deadline,
        }
        for task in draft.tasks.select_related("owner")
    ]


@require_POST
@login_required
def resolution_adopt(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting, rights = get_meeting_for_user(request, code, may="preside")
    latest = meeting.resolutions.first()
    if latest is None:
        messages.error(request, _("Write the draft resolution before adopting it."))
        return redirect("meetings:resolution", code=meeting.code)
    form = AdoptForm(meeting.votes.all(), request.POST)
    if not form.is_valid():
        _say_errors(request, form)
    elif _preside(
        request,
        rights,
        lambda: holding.adopt_resolution(latest, form.cleaned_data["vote"]),
        audit=lambda: sealed.approved(request, latest),
    ):
        messages.success(
            request, _("Resolution No. %(label)s is adopted.") % {"label": latest.label}
        )
    return redirect("meetings:resolution", code=meeting.code)


@require_POST
@login_required
def publish_records(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting, rights = get_meeting_for_user(request, code, may="preside")
    if _preside(
        request,
        rights,
        lambda: holding.publish_records(meeting),
        _("Published to the members."),
        audit=lambda: record(request, Action.RECORDS_PUBLISHED, meeting),
    ) and holding.is_late(meeting):
        days = settings.CHIBO_RULES["resolution_publish_days"]
        messages.warning(
            request,
            _("Published late: rule 10 asks for the records within %(days)d days.")
            % {"days": days},
        )
    return redirect(_hold_url(meeting, "records"))


@require_GET
@login_required
def records(request: HttpRequest, code: UUID) -> HttpResponse:
    """The meeting's minutes and resolution as published to the members, every version."""
    meeting, rights = get_meeting_for_user(request, code)
    return render(
        request,
        "meetings/holding/records.html",
        {
            "meeting": meeting,
            "rights": rights,
            "minutes": rights.records(meeting.minutes.all()),
            "resolutions": rights.records(meeting.resolutions.all()),
        },
    )


def _with_state(items: QuerySet, today: date) -> QuerySet:
    """Open tasks first, then by deadline; overdue ones marked."""
    closed = Q(status__in=CLOSED_TASKS)
    return items.annotate(
        closed=Case(When(closed, then=Value(1)), default=Value(0), output_field=IntegerField()),
        overdue=Case(
            When(~closed & Q(deadline__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).order_by("closed", "deadline", "pk")


@require_GET
@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Every task the signed-in member owns, across the cells they belong or belonged to."""
    items = scope_for(request).my_tasks()
    today = timezone.localdate()
    return render(
        request,
        "meetings/holding/tasks.html",
        {
            "tasks": window(
                request, _with_state(items.select_related("cell"), today), settings.PAGE_SIZE
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def task(request: HttpRequest, code: UUID) -> HttpResponse:
    """One task with its history; its owner and the cell's leaders report progress."""
    scope = scope_for(request)
    # Owners keep their tasks in sight after moving to another cell (`Scope.action_items`).
    items = scope.action_items().select_related("cell", "owner")
    item = _with_state(items, timezone.localdate()).filter(code=code).first()
    if item is None:
        raise Http404
    may_update = scope.can_follow_up(item)
    initial = {"status": item.status, "progress": item.progress}
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied
        if form.is_valid():
            holding.follow_up(item, scope.member_id, **form.cleaned_data)
            messages.success(request, _("Your update was saved."))
            return redirect("meetings:task", code=item.code)
    return render(
        request,
        "meetings/holding/task.html",
        {
            "item": item,
            "form": form,
            "may_update": may_update,
            "updates": window(request, item.updates.select_related("author"), settings.PAGE_SIZE),
        },
    )
