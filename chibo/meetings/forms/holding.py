"""Forms of the meeting itself and what follows: they validate, the views and `holding` save.

Django's text fields strip surrounding spaces, so a reason of blanks counts as no reason."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import COUNT_MAX, validate_date
from chibo.lib.languages import in_every_language
from chibo.lib.text import validate_multiline_text, validate_plain_text
from chibo.meetings.models import (
    RESOLUTION_VOTED,
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Resolution,
    Step,
    Vote,
)
from chibo.orgs.models import Member

# Steps where the minutes record a discussion: who spoke and what they said, in short.
DISCUSSIONS = {Step.SITUATION, Step.DISCUSSION, Step.THEME_DISCUSSION}
SECTION_MAX = 20_000
# The largest tally a PositiveSmallIntegerField holds; rule 9 refuses far less anyway.
TALLY_MAX = 32_767


class MarkForm(forms.Form):
    """One tap on a line of the roll."""

    presence = forms.ChoiceField(choices=Attendance.Presence.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=300, validators=[validate_plain_text]
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("presence") == Attendance.Presence.EXCUSED and not data.get("reason"):
            raise ValidationError(_("Give the reason for the absence."), code="reason")
        return data


class OfficersForm(forms.Form):
    """Who chairs the meeting and who takes its minutes, from the members present; `labels`
    tell two of one name apart (`Scope.member_labels`)."""

    chair = forms.ChoiceField(label=_("Chair"))
    minute_taker = forms.ChoiceField(label=_("Minute-taker"))

    def __init__(
        self, meeting: Meeting, present: list[Member], labels: dict[int, str], *args, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.present = {str(member.code): member for member in present}
        choices = [("", "—")] + [
            (code, labels.get(member.pk, member.full_name)) for code, member in self.present.items()
        ]
        for name in ("chair", "minute_taker"):
            field = self.fields[name]
            field.choices = choices
            field.error_messages["invalid_choice"] = _("Choose a member present on the roll.")
            chosen = getattr(meeting, f"{name}_id")
            self.initial[name] = next(
                (code for code, member in self.present.items() if member.pk == chosen), ""
            )

    def clean_chair(self) -> Member:
        return self.present[self.cleaned_data["chair"]]

    def clean_minute_taker(self) -> Member:
        return self.present[self.cleaned_data["minute_taker"]]


class VoteForm(forms.Form):
    subject = forms.CharField(
        label=_("What is voted on"),
        max_length=200,
        validators=[validate_plain_text],
        initial=RESOLUTION_VOTED,
    )
    votes_for = forms.IntegerField(label=_("For"), min_value=0, max_value=TALLY_MAX)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, max_value=TALLY_MAX)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=TALLY_MAX)

    def clean_subject(self) -> str:
        """The resolution, left as offered, is kept blank: each reader sees it in their words."""
        subject = self.cleaned_data["subject"]
        return "" if subject in in_every_language(RESOLUTION_VOTED) else subject


class MinutesForm(forms.Form):
    """One text per agenda item, keyed by the item's position as the minutes store it."""

    def __init__(self, items: list[AgendaItem], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for item in items:
            discussed = item.step in DISCUSSIONS
            prompt = _("Who spoke, and what they said, in short.") if discussed else ""
            self.fields[str(item.position)] = forms.CharField(
                label=f"{item.position}. {item.heading}",
                required=False,
                max_length=SECTION_MAX,
                validators=[validate_multiline_text],
                help_text=prompt,
                widget=forms.Textarea(attrs={"rows": 6 if discussed else 3, "placeholder": prompt}),
            )

    def sections(self) -> dict[str, str]:
        # Browsers send a textarea's line breaks as CRLF; store them as the rest of chibo does.
        return {key: text.replace("\r\n", "\n") for key, text in self.cleaned_data.items() if text}


class ResolutionForm(forms.ModelForm):
    """Parts I, III and IV; part II is the formset of tasks."""

    class Meta:
        model = Resolution
        fields = ["assessment", "assignment", "quality", "touches_people"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields[:3]}


class TaskForm(forms.Form):
    """A row of part II: what, who of the cell, by when."""

    # Which saved row this is; blank for a new one.
    position = forms.IntegerField(
        required=False, min_value=1, max_value=COUNT_MAX, widget=forms.HiddenInput
    )
    what = forms.CharField(label=_("Task"), max_length=500, validators=[validate_plain_text])
    owner = forms.ChoiceField(label=_("Owner"))
    deadline = forms.DateField(
        label=_("Deadline"),
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self,
        *args,
        owners: list[Member],
        earliest: date,
        labels: dict[int, str] | None = None,
        **kwargs,
    ) -> None:
        """`labels` name the owners so that two of one name are told apart
        (`Scope.member_labels`)."""
        super().__init__(*args, **kwargs)
        self.owners = {str(member.code): member for member in owners}
        self.earliest = earliest
        labels = labels or {}
        self.fields["owner"].choices = [("", "—")] + [
            (code, labels.get(member.pk, member.full_name)) for code, member in self.owners.items()
        ]

    def clean_owner(self) -> Member:
        return self.owners[self.cleaned_data["owner"]]

    def clean_deadline(self) -> date:
        deadline = self.cleaned_data["deadline"]
        if deadline < self.earliest:
            raise ValidationError(_("The deadline cannot come before the meeting."), code="past")
        return deadline


class BaseTaskFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The rows kept, in order, without the blank ones and those marked for removal."""
        return [
            {name: form.cleaned_data[name] for name in ("position", "what", "owner", "deadline")}
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


TaskFormSet = forms.formset_factory(
    TaskForm, formset=BaseTaskFormSet, extra=2, can_delete=True, max_num=100, validate_max=True
)


class VoteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, vote: Vote) -> str:
        return _("%(subject)s: %(for)d for, %(against)d against, %(abstentions)d abstaining") % {
            "subject": vote.heading,
            "for": vote.votes_for,
            "against": vote.votes_against,
            "abstentions": vote.abstentions,
        }


class AdoptForm(forms.Form):
    # Not required here: a correction keeps its vote, and `holding` says when one is missing.
    vote = VoteChoiceField(
        label=_("Adopted by the vote"),
        queryset=Vote.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, votes, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vote"].queryset = votes


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=300, validators=[validate_plain_text]
    )


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == ActionItem.Status.DONE:
            data["progress"] = 100  # a task done is done in full
        return data
