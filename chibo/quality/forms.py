"""The form of a meeting's score (rules 12 and 13): it validates, `scoring` and `reports` save."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chibo.lib.text import validate_multiline_text
from chibo.quality.facts import MeetingFacts
from chibo.quality.models import MeetingScore
from chibo.quality.scoring import CRITERIA, attendance_band, check, out_of_band

Role = MeetingScore.Role
# Why someone may not score in a role they asked for: each names who may.
NOT_YOURS = {
    Role.CELL: _("Only the cell's secretary and deputy secretary score the cell's own meeting."),
    Role.SUPERVISOR: _("You do not supervise this cell, so you cannot score as its supervisor."),
    Role.COMMITTEE: _("Only a member of a committee above the cell decides the grade."),
}


def _text(label, max_length: int, rows: int) -> forms.CharField:
    """An optional free text; which ones a role must fill is decided in `clean`."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ScoreForm(forms.Form):
    """Points per criterion in one role; the supervisor's role also files their report."""

    role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)
    note = _text(_("Note"), 2000, rows=3)
    went_well = _text(_("What went well"), 4000, rows=4)
    to_fix = _text(_("What to fix"), 4000, rows=4)

    def __init__(self, held: list[str], facts: MeetingFacts, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.held, self.facts = held, facts
        for criterion in CRITERIA:
            low, high = 0, criterion.weight
            if criterion.key == "attendance":
                low, high = attendance_band(facts)
            # Bounded by the band, said in the rule's words as `check` says it.
            band = out_of_band(criterion.label, low, high)
            self.fields[criterion.key] = forms.IntegerField(
                label=criterion.label,
                min_value=low,
                max_value=high,
                error_messages={"min_value": band, "max_value": band},
                help_text=criterion.explanation,
                widget=forms.NumberInput(attrs={"min": low, "max": high, "inputmode": "numeric"}),
            )

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[criterion.key] for criterion in CRITERIA]

    def points(self) -> dict[str, int]:
        return {criterion.key: self.cleaned_data[criterion.key] for criterion in CRITERIA}

    def clean(self) -> dict:
        data = super().clean()
        role = data.get("role")
        if role and role not in self.held:
            raise ValidationError(NOT_YOURS[role], code="not_yours")
        if role == Role.SUPERVISOR:
            for name, message in [
                ("went_well", _("Say what went well: it is part of your report (rule 14).")),
                ("to_fix", _("Say what to fix: it is part of your report (rule 14).")),
            ]:
                if not data.get(name):
                    self.add_error(name, ValidationError(message, code="required"))
        if all(criterion.key in data for criterion in CRITERIA):
            try:
                check(self.points(), self.facts)
            except ValidationError as error:
                self.add_error(None, error)
        return data
