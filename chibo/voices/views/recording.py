"""A member records a voice for their cell; those who hold a meeting record the voices raised in
it from its page; a member reads every voice they raised or recorded with each of its steps."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.access.scope import get_cell_for_user, get_meeting_for_user, scope_for
from chibo.lib.paging import window
from chibo.lib.posted import posted
from chibo.voices import handling
from chibo.voices.forms.recording import VoiceForm
from chibo.voices.handling import VoiceError
from chibo.voices.models import Voice
from chibo.voices.templatetags.heard import PREFIX
from chibo.voices.views.handling import tracking_line, with_steps


@require_http_methods(["GET", "POST"])
@login_required
def record(request: HttpRequest, cell) -> HttpResponse:
    cell, _can_manage = get_cell_for_user(request, cell, may="record_voice")
    form = VoiceForm(posted(request), cell=cell, scope=scope_for(request))
    if request.method == "POST" and form.is_valid():
        try:
            voice = handling.record(cell, scope_for(request), **form.cleaned_data)
        except VoiceError as error:
            form.add_error(None, str(error))
        else:
            said = _("The voice was recorded: its answers will appear here.")
            messages.success(request, _with_code(request, voice, said))
            return redirect("voices:voice", code=voice.code)
    context = {
        "form": form,
        "org": cell,
        "back_url": reverse("orgs:organisation", args=[cell.code]),
    }
    return render(request, "voices/record.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def in_meeting(request: HttpRequest, code) -> HttpResponse:
    """A voice raised in the meeting, recorded by one who holds it from the meeting's page (the
    form posts here); a mistake comes back on a page of its own, with the form's message."""
    meeting, _rights = get_meeting_for_user(request, code, may="hold")
    back_url = reverse("meetings:hold", args=[meeting.code]) + "#voices"
    if not meeting.has_opened:
        messages.error(request, _("Voices are recorded in a meeting once it has opened."))
        return redirect(back_url)
    form = VoiceForm(posted(request), cell=meeting.cell, scope=scope_for(request), prefix=PREFIX)
    if request.method == "POST" and form.is_valid():
        try:
            voice = handling.record(
                meeting.cell, scope_for(request), meeting=meeting, **form.cleaned_data
            )
        except VoiceError as error:
            form.add_error(None, str(error))
        else:
            said = _("The voice was recorded; it goes into the minutes.")
            messages.success(request, _with_code(request, voice, said))
            return redirect(back_url)
    context = {"form": form, "org": meeting.cell, "back_url": back_url, "meeting": meeting}
    return render(request, "voices/record.html", context)


def _with_code(request: HttpRequest, voice: Voice, said: str) -> str:
    """What the recording member is told; for a citizen's voice, the tracking code to hand the
    citizen and where they read the answers with it."""
    if not voice.tracking_code:
        return said
    return " ".join([said, tracking_line(request, voice)])


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    voices = with_steps(scope_for(request).my_voices())
    page = window(request, voices, settings.PAGE_SIZE)
    now = timezone.now()
    for voice in page:
        voice.overdue_now = voice.is_overdue(now)
    return render(request, "voices/mine.html", {"page": page})
