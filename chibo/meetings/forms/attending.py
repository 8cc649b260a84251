"""Forms of members before the meeting: their answer and their comments. They validate, the
views save."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_multiline_text
from chibo.meetings.models import Answer, Comment


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["choice", "reason"]
        widgets = {"choice": forms.RadioSelect}
        help_texts = {"reason": _("Needed only if you cannot attend.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = Answer.Choice.choices  # no empty "------" choice

    def clean(self) -> dict:
        data = super().clean()
        if data.get("choice") == Answer.Choice.ABSENT and not data.get("reason", "").strip():
            raise ValidationError(_("Give the reason you cannot attend."), code="reason")
        if data.get("choice") == Answer.Choice.ATTENDING:
            data["reason"] = ""
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=4000,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.ModelChoiceField(
        queryset=Comment.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Write something before sending."), code="empty")
        return body
