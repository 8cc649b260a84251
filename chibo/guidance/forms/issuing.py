"""Forms of a committee writing its guidance: they validate, the views save."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.guidance.models import Guidance, Point
from chibo.lib.bounds import validate_date
from chibo.lib.months import month_of, quarter_end, quarter_start
from chibo.orgs.models import Level, Organisation


class GuidanceForm(forms.ModelForm):
    """Title and period of a draft; the note of what a correction changes from version 2 on.
    A pass-on keeps the period of the guidance it passes on."""

    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        validators=[validate_date],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month", "placeholder": "YYYY-MM"}),
        help_text=_("For a quarter, any month of it."),
    )

    class Meta:
        model = Guidance
        fields = ["title", "period", "month", "correction"]
        widgets = {"period": forms.RadioSelect}
        help_texts = {
            "correction": _(
                "Needed before the correction is published: the cells that took up a changed "
                "point read it."
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        guidance = self.instance
        self.fields["period"].choices = Guidance.Period.choices  # no blank radio button
        if guidance.version == 1:
            del self.fields["correction"]
        if guidance.passes_on_id is not None:
            del self.fields["period"], self.fields["month"]

    def clean_month(self) -> date:
        return self.cleaned_data["month"].replace(day=1)

    def clean(self) -> dict:
        data = super().clean()
        month, period = data.get("month"), data.get("period")
        if month is None or period is None:
            return data
        last = month
        if period == Guidance.Period.QUARTER:
            data["month"] = quarter_start(month)
            last = quarter_end(month)
        if last < month_of(timezone.localdate()):
            self.add_error(
                "month",
                ValidationError(
                    _("The months this guidance is for are over: choose a month to come."),
                    code="past",
                ),
            )
        return data


# A choice from outside the committee's subtree, or made up, is refused in these words.
LEVELS_ONLY = _("Choose among the levels of the committees in this committee's subtree.")
PARTS_ONLY = _("Guidance reaches only the organisations directly below its committee.")


class AudienceForm(forms.Form):
    """Whom a guidance addresses inside its committee's subtree; nothing chosen: every cell."""

    categories = forms.MultipleChoiceField(
        label=_("kinds of cell"),
        choices=Organisation.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every kind."),
    )
    levels = forms.ModelMultipleChoiceField(
        label=_("cells under committees of these levels"),
        queryset=Level.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: under every committee."),
        error_messages={"invalid_choice": LEVELS_ONLY, "invalid_pk_value": LEVELS_ONLY},
    )
    parts = forms.ModelMultipleChoiceField(
        label=_("only these organisations directly below"),
        queryset=Organisation.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the whole subtree."),
        error_messages={"invalid_choice": PARTS_ONLY, "invalid_pk_value": PARTS_ONLY},
    )

    def __init__(self, committee: Organisation, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        subtree = Organisation.objects.within(committee)
        levels = Level.objects.filter(pk__in=subtree.committees().values("level_id"))
        self.fields["levels"].queryset = levels
        self.fields["levels"].label_from_instance = lambda level: level.label
        self.fields["parts"].queryset = Organisation.objects.children_of(committee).order_by(
            "name", "pk"
        )


class PointForm(forms.ModelForm):
    class Meta:
        model = Point
        fields = ["kind", "required", "title", "body", "links"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 3, "placeholder": "https://…"}),
        }
        error_messages = {
            name: {
                "max_length": _(
                    "Keep it within %(limit_value)d characters (it has %(show_value)d)."
                )
            }
            for name in ("title", "body", "links")
        }
