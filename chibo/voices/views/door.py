"""The public door of a cell: a citizen leaves a voice and reads its answers by tracking code,
without an account; the cell's handlers print its QR code and review what came in."""

from datetime import datetime
from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chibo.access.scope import get_cell_for_user, get_door_cell, scope_for
from chibo.lib.limits import Limit
from chibo.lib.paging import window
from chibo.lib.posted import posted
from chibo.orgs.models import Organisation
from chibo.signin.addresses import client_address
from chibo.voices import door
from chibo.voices.forms.door import NOT_FOUND, DoorForm, RejectForm, TrackForm
from chibo.voices.handling import VoiceError
from chibo.voices.models import Step, Voice

HOUR = 3600
# The door speaks the languages of the people it serves (the switch at its top).
LANGUAGES = door.language_choices()
# Where the tracking code waits between the voice being left and the page that shows it: a
# signed cookie sent to that page only, for a few minutes, so that leaving a voice writes no
# session (a citizen has none; making one cost four queries of the submit's dozen).
JUST_LEFT = "door_tracking_code"
LEFT_FOR = 10 * 60


def _limit(kind: str) -> Limit:
    return Limit(f"door_{kind}", settings.CHIBO_DOOR_LIMITS[kind], HOUR)


def _too_many(limit: Limit, now: datetime) -> str:
    minutes = -(-limit.retry_in(now) // 60)
    return _(
        "Too many attempts from your connection in one hour. Try again in %(minutes)d min."
    ) % {"minutes": minutes}


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, cell: UUID) -> HttpResponse:
    cell = get_door_cell(cell)
    form = DoorForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        now, limit = timezone.now(), _limit("voices")
        if not limit.take(client_address(request) or "", now):
            form.add_error(None, _too_many(limit, now))
            status = 429
        elif form.is_bait_taken:
            # A robot: answered as if it had succeeded, with a code that finds nothing.
            return _to_thanks(cell, door.new_tracking_code())
        else:
            try:
                voice = door.submit(
                    cell, at=now, language=translation.get_language(), **form.voice_fields()
                )
            except VoiceError as error:
                form.add_error(None, str(error))
            else:
                return _to_thanks(cell, voice.tracking_code)
    context = {"cell": cell, "form": form, "door_languages": LANGUAGES}
    return render(request, "voices/door/leave.html", context, status=status)


def _to_thanks(cell: Organisation, code: str) -> HttpResponse:
    response = redirect("voices:door_thanks", cell=cell.code)
    response.set_signed_cookie(
        JUST_LEFT,
        code,
        salt=JUST_LEFT,
        max_age=LEFT_FOR,
        path=reverse("voices:door_thanks", args=[cell.code]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_GET
def thanks(request: HttpRequest, cell: UUID) -> HttpResponse:
    cell = get_door_cell(cell)
    code = request.get_signed_cookie(JUST_LEFT, default=None, salt=JUST_LEFT, max_age=LEFT_FOR)
    if code is None:  # opened again, or never left: the door itself
        return redirect("voices:door", cell=cell.code)
    context = {
        "cell": cell,
        "code": door.shown(code),
        "raw_code": code,
        "door_languages": LANGUAGES,
    }
    response = render(request, "voices/door/thanks.html", context)
    response.delete_cookie(JUST_LEFT, path=request.path, samesite="Lax")
    return response


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET if "code" in request.GET else None)
    context: dict = {
        "form": form,
        "door_languages": LANGUAGES,
        "words_for_the_raiser": Step.WORDS_FOR_THE_RAISER,
    }
    status = 200
    if form.is_bound and form.is_valid():
        now, limit = timezone.now(), _limit("lookups")
        code = door.normalised(form.cleaned_data["code"])
        if not limit.take(client_address(request) or "", now):
            form.add_error(None, _too_many(limit, now))
            status = 429
        elif voice := code and (
            Voice.everything.select_related("category", "cell", "holder")
            .filter(tracking_code=code)
            .first()
        ):
            steps = voice.steps.select_related("by_org", "to_org").order_by("at", "pk")
            context.update(voice=voice, steps=steps, code=door.shown(code))
        else:
            # The same answer for a code that was never given and one that cannot be a code.
            form.add_error("code", NOT_FOUND)
    return render(request, "voices/door/track.html", context, status=status)


def _qr(request: HttpRequest, cell: Organisation) -> SafeString:
    """The door's address as an inline SVG, large enough to print and scan from a wall."""
    target = request.build_absolute_uri(reverse("voices:door", args=[cell.code]))
    svg = segno.make(target, error="m").svg_inline(
        scale=8, title=_("Scan to leave a voice"), svgclass="qr", omitsize=True
    )
    return mark_safe(svg)  # segno escapes the title; the rest is its own markup


@require_GET
@login_required
def poster(request: HttpRequest, cell: UUID) -> HttpResponse:
    cell, _can_manage = get_cell_for_user(request, cell, may="handle_voices")
    address = request.build_absolute_uri(reverse("voices:door", args=[cell.code]))
    context = {"cell": cell, "qr": _qr(request, cell), "address": address}
    return render(request, "voices/door/poster.html", context)


@require_GET
@login_required
def queue(request: HttpRequest, cell: UUID) -> HttpResponse:
    cell, _can_manage = get_cell_for_user(request, cell, may="handle_voices")
    waiting = (
        Voice.everything.awaiting_review()
        .filter(cell=cell)
        .select_related("category")
        .order_by("received_at", "pk")
    )
    page = window(request, waiting, settings.PAGE_SIZE)
    for voice in page:  # one form each, its ids its own
        voice.reject_form = RejectForm(auto_id=f"id_{voice.code}_%s")
    context = {"cell": cell, "page": page, "now": timezone.now()}
    return render(request, "voices/door/queue.html", context)


@require_POST
@login_required
def moderate(request: HttpRequest, cell: UUID, code: UUID, action: str) -> HttpResponse:
    if action not in {"accept", "reject"}:
        raise Http404
    cell, _can_manage = get_cell_for_user(request, cell, may="handle_voices")
    voice = Voice.everything.filter(cell=cell, code=code).first()
    if voice is None:
        raise Http404
    scope = scope_for(request)
    try:
        if action == "accept":
            door.accept(voice, scope)
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                raise VoiceError(" ".join(form.errors["reason"]))
            door.reject(voice, form.cleaned_data["reason"], scope)
    except VoiceError as error:
        messages.error(request, str(error))
        return redirect("voices:door_queue", cell=cell.code)
    if action == "accept":
        messages.success(request, _("Accepted: the voice is in the cell's inbox, received."))
        return redirect("voices:voice", code=voice.code)
    messages.success(request, _("The voice was not accepted; it counts nowhere."))
    return redirect("voices:door_queue", cell=cell.code)
