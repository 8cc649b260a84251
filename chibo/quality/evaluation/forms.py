"""The forms of evaluation (rule 17): opening a round, and each step's form. They validate;
`process` applies the rules and saves."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import COUNT_MAX, validate_date, validate_year
from chibo.lib.text import validate_multiline_text
from chibo.quality.evaluation.rules import limits
from chibo.quality.models import Classification, Evaluation, EvaluationRound
from chibo.quality.models.evaluation import period_of

Period = EvaluationRound.Period
DATE = {"type": "date"}


def _text(label, required: bool = True, max_length: int = 4000, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _score(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _grade(label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Classification.choices)


class RoundForm(forms.ModelForm):
    """A round of a year, a quarter, or an ad hoc period given by its first and last day."""

    year = forms.IntegerField(
        label=_("year"),
        validators=[validate_year],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    quarter = forms.IntegerField(
        label=_("quarter"),
        required=False,
        min_value=1,
        max_value=4,
        widget=forms.Select(choices=[("", "—"), *((q, q) for q in range(1, 5))]),
    )
    starts_on = forms.DateField(
        label=_("from"),
        required=False,
        validators=[validate_date],
        widget=forms.DateInput(DATE),
        help_text=_("For an ad hoc round only: a year or a quarter gives its own dates."),
    )
    ends_on = forms.DateField(
        label=_("until"), required=False, validators=[validate_date], widget=forms.DateInput(DATE)
    )
    deadline = forms.DateField(
        label=_("self-assessments due by"), validators=[validate_date], widget=forms.DateInput(DATE)
    )

    class Meta:
        model = EvaluationRound
        fields = ["title", "period", "year", "quarter", "starts_on", "ends_on", "deadline"]
        widgets = {}
        help_texts = {
            "title": _(
                "Left blank, the round is named after its period, in each reader's language."
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict:
        data = super().clean()
        period, year, quarter = data.get("period"), data.get("year"), data.get("quarter")
        if period != Period.QUARTER:
            data["quarter"] = None
        elif quarter not in range(1, 5):
            self.add_error("quarter", _("Choose the quarter, from 1 to 4."))
            return data
        if period == Period.AD_HOC:
            starts, ends = data.get("starts_on"), data.get("ends_on")
            if not starts or not ends or ends < starts:
                self.add_error("ends_on", _("Give the first and the last day of the period."))
                return data
        elif period and year:
            data["starts_on"], data["ends_on"] = period_of(period, year, data["quarter"])
        deadline = data.get("deadline")
        if deadline and data.get("starts_on") and deadline < data["starts_on"]:
            self.add_error("deadline", _("The deadline comes after the period starts."))
        return data


class SelfAssessmentForm(forms.Form):
    """Forms 2A, 2B and 2C: 2B and 2C also report on what the member or cell leads."""

    strengths = _text(_("Strengths"))
    shortcomings = _text(_("Shortcomings"))
    results = _text(_("Tasks done and their results"))
    leadership = _text(_("Results of the organisation or area you lead"))
    tasks_exceeding = forms.IntegerField(
        label=_("Tasks done beyond what was asked"),
        min_value=0,
        max_value=COUNT_MAX,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    shortcomings_fixed = forms.BooleanField(
        label=_("Every shortcoming pointed out earlier has been fixed"), required=False
    )
    self_score = _score(_("Your score (out of 100)"))
    self_grade = _grade(_("The grade you propose"))

    def __init__(self, form: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks_exceeding"].help_text = _(
            "Rule 18: “excellent” needs at least %(percent)d%% of the period's tasks."
        ) % {"percent": limits()["exceeding_percent"]}
        if form == Evaluation.Form.MEMBER:
            del self.fields["leadership"]
        elif form == Evaluation.Form.ORGANISATION:
            self.fields["leadership"].label = _("Leadership and direction of the cell")
            self.fields["results"].label = _("The cell's tasks done and their results")
            self.fields["self_score"].label = _("The cell's score (out of 100)")


class CommentForm(forms.Form):
    comment = _text(_("The cell's comment"))


class AppraisalForm(forms.Form):
    appraisal = _text(_("The committee's appraisal"))
    disciplined = forms.BooleanField(
        label=_("Disciplined during the period"),
        required=False,
        help_text=_("Rule 18: any discipline in the period means “not completed”."),
    )
    appraised_score = _score(_("Proposed score (out of 100)"))
    appraised_grade = _grade(_("Proposed grade"))


class DecisionForm(forms.Form):
    score = _score(_("Score (out of 100)"))
    grade = _grade(_("Grade"))
    quota_reason = _text(
        _("Reason for exceeding the quota"),
        required=False,
        max_length=2000,
        help_text=_("Needed only to decide “excellent” beyond the quota of rule 19."),
    )


STEP_FORMS = {
    Evaluation.Step.SELF_ASSESSED: SelfAssessmentForm,
    Evaluation.Step.COMMENTED: CommentForm,
    Evaluation.Step.APPRAISED: AppraisalForm,
    Evaluation.Step.DECIDED: DecisionForm,
}


def step_form(evaluation: Evaluation, step: str, data=None, initial=None) -> forms.Form:
    form_class = STEP_FORMS[step]
    if form_class is SelfAssessmentForm:
        return form_class(evaluation.form, data, initial=initial)
    return form_class(data, initial=initial)
