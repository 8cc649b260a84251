"""What a handler writes on a voice: an answer, a note passing it up, how it was resolved, the
reason for declining. One form, its wording given by the action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_multiline_text
from chibo.voices.forms.recording import CategoryChoice
from chibo.voices.models import TEXT_MAX, Category, Voice

# Each action that needs words: its label, and what an empty one is told.
ACTIONS = {
    "answer": (_("Answer"), _("Write the answer.")),
    "pass_up": (_("Note for the committee above"), _("Say why it is passed up.")),
    "resolve": (_("How it was resolved"), _("Say how it was resolved.")),
    "decline": (_("Reason for declining"), _("Give the reason for declining.")),
}


class StepForm(forms.Form):
    text = forms.CharField(
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multiline_text],
    )

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, prefix=action, **kwargs)
        label, required = ACTIONS[action]
        field = self.fields["text"]
        field.label = label
        field.error_messages = {
            **field.error_messages,
            "required": required,
            "max_length": _("Keep it within %(limit_value)d characters (it has %(show_value)d)."),
        }


class InboxFilter(forms.Form):
    """The inbox's filters, from the query string: anything unknown is ignored."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Open")), ("all", _("All")), *Voice.State.choices],
    )
    category = CategoryChoice(label=_("Category"), queryset=Category.objects.all(), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
