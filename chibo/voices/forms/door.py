"""The forms of the public door: a citizen's voice, a tracking code to look up, and a handler's
reason for not accepting a voice. They validate; `voices.door` acts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.voices.door import CODE_LENGTH, NAME_MAX, NO_CONSENT
from chibo.voices.forms.recording import TOO_LONG, CategoryChoice
from chibo.voices.models import PLACE_MAX, TEXT_MAX, Category, Voice

# The hidden field people never see and bots fill: its name sounds like something to fill.
HONEYPOT = "homepage"
NOT_FOUND = _("No voice has this code. Check it and try again.")


class DoorForm(forms.Form):
    category = CategoryChoice(
        label=_("What it is about"),
        queryset=Category.objects.all(),
    )
    text = forms.CharField(
        label=_("What you want to raise"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_multiline_text],
        error_messages={"required": _("Say what you want to raise."), "max_length": TOO_LONG},
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=PLACE_MAX,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Optional: the hamlet, street or place it concerns."),
        error_messages={"max_length": TOO_LONG},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Optional."),
        error_messages={"max_length": TOO_LONG},
    )
    contact = forms.CharField(
        label=_("Your phone or address"),
        max_length=NAME_MAX,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Optional: only if you want the cell to contact you."),
        error_messages={"max_length": TOO_LONG},
    )
    consent = forms.BooleanField(
        label=_("I agree that the cell keeps my contact, shown only to those who handle my voice"),
        required=False,
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if Voice.contact_without_consent(data.get("contact", ""), data.get("consent", False)):
            self.add_error("consent", NO_CONSENT)
        return data

    @property
    def is_bait_taken(self) -> bool:
        """The hidden field was filled: a robot, answered as if it had succeeded."""
        return bool(self.cleaned_data.get(HONEYPOT))

    def voice_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != HONEYPOT}


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=CODE_LENGTH * 3,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        # Too long is a miss like any other (see `door.normalised`).
        error_messages={
            "required": _("Type the tracking code you were given."),
            "max_length": NOT_FOUND,
        },
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for not accepting it"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_multiline_text],
        error_messages={
            "required": _("Give the reason for not accepting it."),
            "max_length": TOO_LONG,
        },
    )
