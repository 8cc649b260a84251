from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.audit.models import Action
from chibo.lib.bounds import validate_date
from chibo.lib.text import fold


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("every action")), *Action.choices], required=False
    )
    person = forms.CharField(label=_("Person"), max_length=150, required=False)
    # Beyond the window of years a date is a typing mistake, not a question.
    since = forms.DateField(
        label=_("From"),
        required=False,
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return data

    def filter(self, entries: QuerySet) -> QuerySet:
        """The entries that match what was asked (all of them, if the form is not valid)."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if person := data["person"].strip():
            entries = entries.filter(
                Q(username__iexact=person) | Q(user__member__search_name__contains=fold(person))
            )
        zone = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(at__gte=datetime.combine(data["since"], time(), zone))
        if data["until"]:
            next_day = data["until"] + timedelta(days=1)
            entries = entries.filter(at__lt=datetime.combine(next_day, time(), zone))
        return entries
