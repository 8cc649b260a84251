"""The form of a member recording a voice: it validates, `handling.record` records."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.orgs.forms import tell_apart
from chibo.orgs.models import Member, Organisation
from chibo.voices import door
from chibo.voices.handling import NO_CONSENT
from chibo.voices.models import PLACE_MAX, TEXT_MAX, Category, Voice

if TYPE_CHECKING:
    from chibo.access.scope import Scope

TOO_LONG = _("Keep it within %(limit_value)d characters (it has %(show_value)d).")


class CategoryChoice(forms.ModelChoiceField):
    """A category, by its name in the reader's language; one message for none or a wrong one."""

    default_error_messages = {
        "required": _("Choose one of the categories."),
        "invalid_choice": _("Choose one of the categories."),
    }

    def label_from_instance(self, obj: Category) -> str:
        return obj.label


class VoiceForm(forms.Form):
    text = forms.CharField(
        label=_("What was raised"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_multiline_text],
        error_messages={"required": _("Say what was raised."), "max_length": TOO_LONG},
    )
    category = CategoryChoice(
        label=_("Category"),
        queryset=Category.objects.all(),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=PLACE_MAX,
        required=False,
        validators=[validate_plain_text],
        help_text=_("The hamlet, street or place it concerns."),
        error_messages={"max_length": TOO_LONG},
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Voice.Urgency.choices,
        initial=Voice.Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        label=_("Raised by"),
        choices=Voice.Source.choices,
        initial=Voice.Source.SELF,
        widget=forms.RadioSelect,
    )
    raised_by = forms.ModelChoiceField(
        label=_("The member who raised it"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("When another member raised it."),
    )
    citizen_name = forms.CharField(
        label=_("The citizen's name"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Optional."),
        error_messages={"max_length": TOO_LONG},
    )
    citizen_contact = forms.CharField(
        label=_("The citizen's phone or address"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
        help_text=_("Kept only if they agree; shown only to those who handle it."),
        error_messages={"max_length": TOO_LONG},
    )
    consent = forms.BooleanField(
        label=_("The citizen agrees that their contact is kept"), required=False
    )
    language = forms.ChoiceField(
        label=_("The citizen's language"),
        choices=door.language_choices,
        required=False,
        help_text=_("The e-mails about their voice are written in it."),
    )

    def __init__(self, *args, cell: Organisation, scope: "Scope | None" = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = (
            Member.objects.filter(cell=cell).select_related("cell").order_by("full_name")
        )
        tell_apart(self.fields["raised_by"], scope)
        self.fields["language"].initial = door.spoken(get_language())

    def clean(self) -> dict:
        data = super().clean()
        source = data.get("source")
        if source == Voice.Source.MEMBER and not data.get("raised_by"):
            self.add_error("raised_by", _("Choose the member of the cell who raised it."))
        if source == Voice.Source.CITIZEN and Voice.contact_without_consent(
            data.get("citizen_contact", ""), data.get("consent", False)
        ):
            self.add_error("consent", NO_CONSENT)
        return data
