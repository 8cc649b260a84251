"""Forms of the study of a document: they validate, the views save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_date
from chibo.lib.text import validate_plain_text
from chibo.library.models import LearningNote, StudyCampaign
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organisation


class LaunchForm(forms.ModelForm):
    """Deadline, materials, and the organisations directly below the committee it is kept to."""

    class Meta:
        model = StudyCampaign
        fields = ["deadline", "materials", "parts"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "materials": forms.Textarea(attrs={"rows": 4}),
            "parts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, committee: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline"].validators = [validate_date]
        below = Organisation.objects.get_children(committee)
        self.fields["parts"].queryset = below.order_by("path")
        self.fields["parts"].error_messages["invalid_choice"] = _(
            "A study reaches only the organisations directly below its committee."
        )


class LearningNoteForm(forms.ModelForm):
    class Meta:
        model = LearningNote
        fields = ["note", "action_plan"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 6}),
            "action_plan": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "note": _("What you learnt from the document, in your own words."),
            "action_plan": _("What you will do in your work and your family to carry it out."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("what to improve"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_comment(self) -> str:
        value = " ".join(self.cleaned_data["comment"].split())
        validate_plain_text(value)
        return value


class SessionForm(forms.Form):
    """The meeting of the cell in which it held the study."""

    meeting = forms.ModelChoiceField(label=_("meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
