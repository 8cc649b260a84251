"""A consultation's pages: the secretary opens it from the meeting, members answer and add
statements, the cell's handlers review those, and citizens answer through the public door."""

from datetime import timedelta
from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import get_door_cell, get_meeting_for_user, scope_for
from chibo.lib.limits import Limit
from chibo.lib.posted import posted
from chibo.signin.addresses import client_address
from chibo.voices import consulting
from chibo.voices.consultations import Consultation, Stance, Statement
from chibo.voices.consulting import ConsultationError
from chibo.voices.forms.consulting import OpenForm, StatementForm
from chibo.voices.views.door import HOUR, LANGUAGES, _too_many

# The signed cookie that counts a citizen once per statement (decision 18): a year.
TOKEN = "chibo_consult"
TOKEN_AGE = 365 * 24 * HOUR


def _consultation(request: HttpRequest, code: UUID) -> Consultation:
    found = (
        scope_for(request)
        .consultations()
        .select_related("cell", "meeting")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
@login_required
def open_for(request: HttpRequest, code: UUID) -> HttpResponse:
    meeting, _rights = get_meeting_for_user(request, code, may="prepare")
    existing = Consultation.objects.filter(meeting=meeting).values_list("code", flat=True).first()
    if existing:
        return redirect("voices:consultation", code=existing)
    today = timezone.localdate()
    day_before = timezone.localdate(meeting.starts_at) - timedelta(days=1)
    form = OpenForm(posted(request), initial={"opens_on": today, "closes_on": day_before})
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consulting.open_consultation(
                meeting, scope_for(request), **form.fields_for_opening()
            )
        except ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The consultation is open for the dates you chose."))
            return redirect("voices:consultation", code=consultation.code)
    return render(request, "voices/consult/open.html", {"meeting": meeting, "form": form})


def _state(consultation: Consultation) -> str:
    today = timezone.localdate()
    if consultation.is_closed_on(today):
        return "closed"
    return "open" if consultation.is_open_on(today) else "upcoming"


def _page(request: HttpRequest, consultation: Consultation, form=None, status=200):
    scope = scope_for(request)
    result = consulting.result_of(consultation)
    mine = {}
    taking_part = scope.can_take_part(consultation)
    if taking_part:
        mine = dict(
            Stance.objects.filter(
                statement__consultation=consultation, member_id=scope.member_id
            ).values_list("statement_id", "choice")
        )
    moderating = scope.can_moderate_statements(consultation)
    state = _state(consultation)
    context = {
        "consultation": consultation,
        "result": result,
        "state": state,
        "mine": mine,
        "taking_part": taking_part and state == "open",
        "moderating": moderating,
        "waiting": (
            consultation.statements.filter(moderation=Statement.Moderation.WAITING)
            if moderating
            else []
        ),
        # The result shows once the person has answered every statement, or it closed.
        "show_result": state == "closed"
        or moderating
        or (bool(result.lines) and len(mine) >= len(result.lines)),
        "form": form or StatementForm(),
        "choices": Stance.Choice.choices,
    }
    return render(request, "voices/consult/page.html", context, status=status)


@require_http_methods(["GET"])
@login_required
def consultation(request: HttpRequest, code: UUID) -> HttpResponse:
    return _page(request, _consultation(request, code))


def _statement(consultation: Consultation, code: str | None) -> Statement:
    try:
        found = consultation.statements.filter(code=UUID(str(code))).first()
    except ValueError:
        found = None
    if found is None:
        raise Http404
    return found


@require_POST
@login_required
def stance(request: HttpRequest, code: UUID) -> HttpResponse:
    consultation = _consultation(request, code)
    statement = _statement(consultation, request.POST.get("statement"))
    try:
        consulting.take_stance(statement, request.POST.get("choice", ""), scope=scope_for(request))
    except ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your answer is counted."))
    return redirect(reverse("voices:consultation", args=[code]) + f"#s-{statement.code}")


@require_POST
@login_required
def add(request: HttpRequest, code: UUID) -> HttpResponse:
    consultation = _consultation(request, code)
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _page(request, consultation, form)
    try:
        consulting.add_statement(consultation, form.cleaned_data["text"], scope=scope_for(request))
    except ConsultationError as error:
        form.add_error("text", str(error))
        return _page(request, consultation, form)
    messages.success(request, _("Thank you: your statement is shown once the cell reviews it."))
    return redirect("voices:consultation", code=code)


@require_POST
@login_required
def moderate(request: HttpRequest, code: UUID, statement: UUID, action: str) -> HttpResponse:
    if action not in {"accept", "reject"}:
        raise Http404
    consultation = _consultation(request, code)
    scope = scope_for(request)
    if not scope.can_moderate_statements(consultation):
        raise PermissionDenied
    found = _statement(consultation, statement)
    try:
        consulting.moderate(found, action == "accept", scope)
    except ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The statement is open to answers.")
            if action == "accept"
            else _("The statement was not accepted; nobody sees it."),
        )
    return redirect("voices:consultation", code=code)


@require_GET
@login_required
def poster(request: HttpRequest, code: UUID) -> HttpResponse:
    """The citizens' page of the consultation as a QR code to print and put up."""
    consultation = _consultation(request, code)
    if not (
        consultation.open_to_citizens and scope_for(request).can_moderate_statements(consultation)
    ):
        raise PermissionDenied
    address = request.build_absolute_uri(
        reverse("voices:door_consult", args=[consultation.cell.code, consultation.code])
    )
    svg = segno.make(address, error="m").svg_inline(
        scale=8, title=consultation.question, svgclass="qr", omitsize=True
    )
    context = {
        "consultation": consultation,
        "cell": consultation.cell,
        # segno escapes the title; the rest is its own markup.
        "qr": mark_safe(svg),
        "address": address,
    }
    return render(request, "voices/consult/poster.html", context)


# -- the public door -------------------------------------------------------------------


def _limit() -> Limit:
    return Limit("door_consult", settings.CHIBO_DOOR_LIMITS["consult"], HOUR)


@require_http_methods(["GET", "POST"])
def door(request: HttpRequest, cell: UUID, code: UUID) -> HttpResponse:
    """A citizen answers the statements of an open consultation, without an account."""
    cell = get_door_cell(cell)
    found = (
        Consultation.objects.filter(cell=cell, code=code, open_to_citizens=True)
        .select_related("cell")
        .first()
    )
    if found is None:
        raise Http404
    token = request.get_signed_cookie(TOKEN, default="", salt=TOKEN)
    new_token = "" if token else consulting.new_citizen_token()
    form, status = StatementForm(), 200
    if request.method == "POST":
        now, limit = timezone.now(), _limit()
        action = request.POST.get("action")
        if action not in {"stance", "add"}:
            raise Http404
        if not limit.take(client_address(request) or "", now):
            messages.error(request, _too_many(limit, now))
            status = 429
        elif action == "stance":
            statement = _statement(found, request.POST.get("statement"))
            try:
                consulting.take_stance(
                    statement, request.POST.get("choice", ""), citizen=token or new_token, at=now
                )
            except ConsultationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your answer is counted."))
            return _with_token(redirect(f"{request.path}#s-{statement.code}"), request, new_token)
        else:
            form = StatementForm(request.POST)
            if form.is_valid() and not form.is_bait_taken:
                try:
                    consulting.add_statement(
                        found, form.cleaned_data["text"], citizen=token or new_token, at=now
                    )
                except ConsultationError as error:
                    form.add_error("text", str(error))
            if form.is_valid():  # a robot too: answered as if it had succeeded
                messages.success(
                    request, _("Thank you: your statement is shown once the cell reviews it.")
                )
                return _with_token(redirect(request.path), request, new_token)
    state = _state(found)
    mine = {}
    if token:
        mine = dict(
            Stance.objects.filter(statement__consultation=found, citizen=token).values_list(
                "statement_id", "choice"
            )
        )
    result = consulting.result_of(found)
    context = {
        "cell": cell,
        "consultation": found,
        "result": result,
        "state": state,
        "mine": mine,
        "taking_part": state == "open",
        "show_result": state == "closed",
        "form": form,
        "choices": Stance.Choice.choices,
        "door_languages": LANGUAGES,
        "action": request.path,
        "at_door": True,
    }
    return render(request, "voices/consult/door.html", context, status=status)


def _with_token(response: HttpResponse, request: HttpRequest, token: str) -> HttpResponse:
    """The response, giving the browser its new citizen's token if it had none."""
    if token:
        response.set_signed_cookie(
            TOKEN,
            token,
            salt=TOKEN,
            max_age=TOKEN_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
