"""A holder's inbox of voices, one voice with its steps, and what its handlers do with it."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from chibo.access.scope import get_organisation_for_user, get_voice_for_user, scope_for
from chibo.lib.paging import window
from chibo.voices import door, handling
from chibo.voices.forms.handling import ACTIONS, InboxFilter, StepForm
from chibo.voices.handling import VoiceError
from chibo.voices.models import Step, Voice

DONE = {
    "start": _("The voice is taken up."),
    "answer": _("The answer was sent."),
    "pass_up": _("The voice was passed up."),
    "resolve": _("The voice is resolved."),
    "decline": _("The voice was declined."),
}


def with_steps(voices):
    """Voices with what their lists show: cell, holder, category, and each step in order."""
    steps = Step.objects.select_related("by_org", "to_org", "by").order_by("at", "pk")
    return voices.select_related("cell", "holder", "category").prefetch_related(
        Prefetch("steps", queryset=steps)
    )


@require_GET
@login_required
def inbox(request: HttpRequest, org: UUID) -> HttpResponse:
    org, _can_manage = get_organisation_for_user(request, org, may="handle_voices")
    now = timezone.now()
    filters = InboxFilter(request.GET)
    voices = Voice.objects.held_by(org).select_related("cell", "category")
    chosen = filters.cleaned_data if filters.is_valid() else {}
    state = chosen.get("state", "")
    if state == "":
        voices = voices.open()
    elif state != "all":
        voices = voices.filter(state=state)
    if chosen.get("category"):
        voices = voices.filter(category=chosen["category"])
    if chosen.get("overdue"):
        voices = voices.overdue(now)
    page = window(request, voices.order_by("answer_due", "pk"), settings.PAGE_SIZE)
    for found in page:
        found.overdue_now = found.is_overdue(now)
    context = {"org": org, "page": page, "filters": filters, "now": now}
    if org.kind == org.Kind.CELL:  # what its public door brought, not counted until reviewed
        context["awaiting_review"] = Voice.everything.awaiting_review().filter(cell=org).count()
    return render(request, "voices/inbox.html", context)


def tracking_line(request: HttpRequest, voice: Voice) -> str:
    """How the citizen follows their voice: the code, and the door's tracking address."""
    return gettext(
        "Give the citizen the tracking code %(code)s: they read every answer by typing it at "
        "%(address)s."
    ) % {
        "code": door.shown(voice.tracking_code),
        "address": request.build_absolute_uri(reverse("voices:door_track")),
    }


def _page(request: HttpRequest, voice: Voice, can_handle: bool, forms=None) -> HttpResponse:
    steps = voice.steps.select_related("by_org", "to_org", "by").order_by("at", "pk")
    bound = forms or {}
    forms = {}
    if can_handle and voice.is_open:
        forms = {action: bound.get(action) or StepForm(action=action) for action in ACTIONS}
        # At the top of the tree there is nowhere to pass it (unless the refusal is shown).
        if voice.holder.depth == 1 and "pass_up" not in bound:
            forms.pop("pass_up")
    context = {
        "voice": voice,
        "steps": steps,
        "can_handle": can_handle,
        "forms": forms,
        "overdue": voice.is_overdue(timezone.now()),
    }
    # The tracking code of a citizen's voice, for its handlers and the member who recorded it
    # to hand to the citizen.
    member_id = scope_for(request).member_id
    recorder = member_id is not None and voice.recorded_by_id == member_id
    if voice.tracking_code and (can_handle or recorder):
        context["tracking"] = tracking_line(request, voice)
    return render(request, "voices/voice.html", context)


@require_GET
@login_required
def voice(request: HttpRequest, code: UUID) -> HttpResponse:
    voice, can_handle = get_voice_for_user(request, code)
    return _page(request, voice, can_handle)


@require_POST
@login_required
def act(request: HttpRequest, code: UUID, action: str) -> HttpResponse:
    if action not in {"start", *ACTIONS}:
        raise Http404
    voice, can_handle = get_voice_for_user(request, code, may="handle")
    scope = scope_for(request)
    form = StepForm(request.POST, action=action) if action in ACTIONS else None
    if form is not None and not form.is_valid():
        return _page(request, voice, can_handle, {action: form})
    try:
        if form is None:
            handling.start(voice, scope)
        else:
            getattr(handling, action)(voice, form.cleaned_data["text"], scope)
    except VoiceError as error:
        if form is None:
            messages.error(request, str(error))
            return redirect("voices:voice", code=voice.code)
        form.add_error("text", str(error))
        return _page(request, voice, can_handle, {action: form})
    messages.success(request, DONE[action])
    return redirect("voices:voice", code=voice.code)
