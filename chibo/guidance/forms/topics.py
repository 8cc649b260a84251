"""Forms of the topic bank: proposing a topic, planning a thematic meeting from one."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from chibo.guidance.models import Topic
from chibo.lib.bounds import validate_date
from chibo.lib.months import month_of, quarter_end, quarter_start
from chibo.meetings.forms.planning import THEMED, MeetingForm


class TopicForm(forms.ModelForm):
    quarter = forms.DateField(
        label=_("quarter"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        validators=[validate_date],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month", "placeholder": "YYYY-MM"}),
        help_text=_("The quarter's first month: January, April, July or October."),
    )

    class Meta:
        model = Topic
        fields = ["quarter", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def clean_quarter(self) -> date:
        month = self.cleaned_data["quarter"].replace(day=1)
        if month != quarter_start(month):
            raise ValidationError(
                _("Choose the first month of a quarter: January, April, July or October."),
                code="not_quarter",
            )
        if quarter_end(month) < month_of(timezone.localdate()):
            raise ValidationError(
                _("This quarter is over: choose this quarter or one to come."), code="past"
            )
        return month


class ThematicMeetingForm(MeetingForm):
    """The plan of a thematic meeting taking up a topic: held in the topic's quarter."""

    def __init__(self, *args, topic: Topic, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topic = topic
        self.fields["kind"].choices = [
            (k, k.label) for k in MeetingForm.Meta.model.Kind if k in THEMED
        ]

    def clean(self) -> dict:
        data = super().clean()
        day = data.get("date")
        quarter = self.topic.quarter
        if day is not None and not quarter <= day.replace(day=1) <= quarter_end(quarter):
            self.add_error(
                "date",
                ValidationError(
                    _("The topic is for %(first)s to %(last)s: choose a day in that quarter.")
                    % {
                        "first": formats.date_format(quarter, "YEAR_MONTH_FORMAT"),
                        "last": formats.date_format(quarter_end(quarter), "YEAR_MONTH_FORMAT"),
                    },
                    code="quarter",
                ),
            )
        return data
