"""Voices raised during a meeting, for the meeting's own pages and its minutes (issue 12, part 1):
those who hold the meeting record them from its page, and the minutes list them."""

from django import template
from django.urls import reverse

from chibo.access.scope import MeetingRights, scope_for
from chibo.meetings.models import Meeting, Minutes
from chibo.voices.forms.recording import VoiceForm
from chibo.voices.models import Voice

register = template.Library()

# The form's fields are named apart from the other forms of the page (a vote, the roll).
PREFIX = "voice"


@register.inclusion_tag("voices/meeting/panel.html", takes_context=True)
def meeting_voices(context, meeting: Meeting, rights: MeetingRights) -> dict:
    """For those who hold the meeting: what was raised in it, and, once it has opened, the form
    to record one more. Nothing (and no query) for anyone else."""
    if not rights.hold:
        return {"shown": False}
    form = None
    if meeting.has_opened:
        scope = scope_for(context["request"])
        form = VoiceForm(cell=meeting.cell, scope=scope, prefix=PREFIX)
    return {
        "shown": True,
        "meeting": meeting,
        "voices": Voice.objects.raised_in(meeting).select_related("category", "raised_by"),
        "form": form,
        "action": reverse("voices:record_in_meeting", args=[meeting.code]),
    }


@register.inclusion_tag("voices/meeting/minutes.html")
def minutes_voices(meeting: Meeting, minutes: Minutes | None = None, pdf: bool = False) -> dict:
    """The minutes' section of the opinions and aspirations raised; nothing when none was."""
    return {
        "voices": list(
            Voice.objects.raised_in(meeting, minutes).select_related("category", "raised_by")
        ),
        "pdf": pdf,
    }
