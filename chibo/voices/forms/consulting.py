"""The forms of a consultation: the secretary opens it, a participant adds a statement. They
validate; `voices.consulting` acts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_date
from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.voices.consultations import QUESTION_MAX, STATEMENT_MAX
from chibo.voices.forms.door import HONEYPOT
from chibo.voices.forms.recording import TOO_LONG


class OpenForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=QUESTION_MAX,
        validators=[validate_plain_text],
        help_text=_("What the cell wants to know before resolving, in one sentence."),
        error_messages={"required": _("Write the question you ask."), "max_length": TOO_LONG},
    )
    statements = forms.CharField(
        label=_("Statements"),
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_multiline_text],
        max_length=(STATEMENT_MAX + 2) * 10,
        help_text=_("One per line: short sentences people agree with, disagree with or pass."),
        error_messages={
            "required": _("Write at least one statement for people to answer."),
            "max_length": TOO_LONG,
        },
    )
    opens_on = forms.DateField(
        label=_("Opens on"),
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    closes_on = forms.DateField(
        label=_("Closes on (included)"),
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    open_to_citizens = forms.BooleanField(
        label=_("Open to citizens through the cell's public door"), required=False
    )

    def fields_for_opening(self) -> dict:
        data = dict(self.cleaned_data)
        data["statements"] = data["statements"].splitlines()
        return data


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your own statement"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": STATEMENT_MAX}),
        help_text=_("Shown to others once the cell has reviewed it."),
        error_messages={"required": _("Write your statement."), "max_length": TOO_LONG},
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_text(self) -> str:
        # One line: line breaks typed on a phone become spaces (the rest is `consulting`'s).
        return " ".join(self.cleaned_data["text"].split())

    @property
    def is_bait_taken(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))
