"""Forms of the secretary preparing meetings: they validate, the views save."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from chibo.lib.bounds import validate_date
from chibo.lib.languages import in_every_language
from chibo.lib.months import month_of
from chibo.meetings import documents
from chibo.meetings.models import AgendaItem, Meeting, MeetingSeries, Step
from chibo.orgs.forms import tell_apart
from chibo.orgs.models import Member

if TYPE_CHECKING:
    from chibo.access.scope import Scope

THEMED = {Meeting.Kind.THEMATIC, Meeting.Kind.COMBINED}
# Exempt, transferred and suspended members are not given work to prepare.
PREPARERS = [Member.Status.OFFICIAL, Member.Status.PROBATIONARY]


def length_rule() -> str:
    """Rule 3 as the page states it, with this installation's numbers."""
    return _(
        "Rule 3 (Directive 50-CT/TW, Guidance 42-HD/BTCTW): a meeting lasts at least "
        "%(minutes)s minutes; %(combined)s when regular and thematic share a session."
    ) % {
        "minutes": settings.CHIBO_RULES["meeting_minutes"],
        "combined": settings.CHIBO_RULES["combined_meeting_minutes"],
    }


def month_rule() -> str:
    """Rule 1 as the page states it."""
    return _(
        "Rule 1 (Directive 50-CT/TW, Guidance 42-HD/BTCTW): a cell holds one regular meeting "
        "every month."
    )


# The box that confirms a second regular meeting in a month, shown only when there is one.
SECOND = "second_regular"


def time_input() -> forms.TimeInput:
    return forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class PlanForm(forms.ModelForm):
    """What plans of one meeting and of a monthly series share: length, rule 3, place."""

    planned_minutes = forms.IntegerField(
        label=_("planned length (minutes)"),
        min_value=10,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    short_allowed = forms.BooleanField(
        label=_("The superior committee allowed a shorter meeting"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_minutes"].help_text = length_rule()
        self.length_warning = ""
        self.month_warning = ""

    def check_length(self, probe: Meeting) -> None:
        """A short meeting is a warning, and saved only with the superior's permission."""
        if not probe.is_short:
            return
        self.length_warning = length_rule()
        if not self.cleaned_data.get("short_allowed"):
            self.add_error(
                "short_allowed",
                ValidationError(
                    _(
                        "%(minutes)s minutes is shorter than rule 3 asks: tick this box if the "
                        "superior committee allowed it, or plan a longer meeting."
                    )
                    % {"minutes": probe.planned_minutes},
                    code="short",
                ),
            )


class MeetingForm(PlanForm):
    date = forms.DateField(
        label=_("date"),
        validators=[validate_date],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    time = forms.TimeField(label=_("time"), widget=time_input())
    preparer = forms.ModelChoiceField(
        label=_("prepared by"),
        queryset=Member.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("The deputy or a cell committee member who prepares the content (rule 4)."),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "theme", "planned_minutes", "place", "preparer"]
        widgets = {"kind": forms.RadioSelect}
        help_texts = {"theme": _("Required for a thematic meeting.")}

    field_order = ["kind", "theme", "date", "time", "planned_minutes", "short_allowed", "place"]

    def __init__(self, *args, scope: "Scope | None" = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.instance
        self.fields["kind"].choices = Meeting.Kind.choices  # no blank radio button
        self.fields["preparer"].queryset = (
            meeting.cell.members.filter(status__in=PREPARERS)
            .on_cell_committee(meeting.cell)
            .select_related("cell")
        )
        tell_apart(self.fields["preparer"], scope)
        if meeting.starts_at:
            local = timezone.localtime(meeting.starts_at)
            self.initial |= {"date": local.date(), "time": local.time()}
            # It was saved short, so the permission was given then.
            self.initial["short_allowed"] = meeting.is_short

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") in THEMED and not data.get("theme"):
            self.add_error("theme", ValidationError(_("Give the theme."), code="theme"))
        if any(data.get(name) is None for name in ("kind", "date", "time", "planned_minutes")):
            return data
        starts_at = timezone.make_aware(datetime.combine(data["date"], data["time"]))
        probe = Meeting(
            pk=self.instance.pk,
            cell_id=self.instance.cell_id,
            kind=data["kind"],
            starts_at=starts_at,
            planned_minutes=data["planned_minutes"],
        )
        self._check_time(probe)
        self.check_length(probe)
        self._check_month(probe)
        # ModelForm copies its own fields to the instance; the start is made of two, so here.
        self.instance.starts_at = starts_at
        return data

    def _check_month(self, probe: Meeting) -> None:
        """Rule 1 asks for one regular meeting a month: a second is a warning, and saved only
        once the secretary confirms it. The box to tick appears with the warning."""
        before = self.instance
        same_month = before.pk and month_of(before.starts_at) == month_of(probe.starts_at)
        if same_month and before.is_regular:
            return  # confirmed when it was planned in this month
        others = probe.same_month_regular() if probe.is_regular else []
        if not others:
            return
        self.month_warning = month_rule()
        self.fields[SECOND] = forms.BooleanField(
            label=_("Plan a second regular meeting this month anyway"), required=False
        )
        if self.fields[SECOND].widget.value_from_datadict(self.data, None, self.add_prefix(SECOND)):
            return
        self.add_error(
            SECOND,
            ValidationError(
                _(
                    "The cell already has a regular meeting this month: %(kind)s on %(start)s. "
                    "Tick this box to plan a second one, or choose another month."
                )
                % {
                    "kind": others[0].get_kind_display(),
                    "start": _local(others[0].starts_at, "DATETIME_FORMAT"),
                },
                code="second_regular",
            ),
        )

    def _check_time(self, probe: Meeting) -> None:
        # An unchanged time may lie in the past: fixing the place of a late meeting is fine.
        if probe.starts_at != self.instance.starts_at and probe.starts_at <= timezone.now():
            self.add_error("date", ValidationError(_("Choose a time in the future."), code="past"))
        for other in probe.overlapping():
            self.add_error(
                "time",
                ValidationError(
                    _("This overlaps another meeting of the cell: %(kind)s, %(start)s to %(end)s.")
                    % {
                        "kind": other.get_kind_display(),
                        "start": _local(other.starts_at, "DATETIME_FORMAT"),
                        "end": _local(other.ends_at, "TIME_FORMAT"),
                    },
                    code="overlap",
                ),
            )


def _local(moment: datetime, format_name: str) -> str:
    return formats.date_format(timezone.localtime(moment), format_name)


class SeriesForm(PlanForm):
    day = forms.IntegerField(
        label=_("day of the month"),
        min_value=1,
        max_value=28,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("From 1 to 28, so that every month has that day."),
    )
    first_month = forms.DateField(
        label=_("first month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        validators=[validate_date],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    months = forms.IntegerField(
        label=_("number of months"),
        min_value=1,
        max_value=24,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = MeetingSeries
        fields = ["day", "time", "planned_minutes", "place", "first_month", "months"]
        widgets = {"time": time_input()}

    field_order = ["day", "time", "planned_minutes", "short_allowed", "place"]

    def clean_first_month(self) -> date:
        return self.cleaned_data["first_month"].replace(day=1)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("planned_minutes") is not None:
            # The series plans regular meetings.
            probe = Meeting(kind=Meeting.Kind.REGULAR, planned_minutes=data["planned_minutes"])
            self.check_length(probe)
        return data


class AgendaItemForm(forms.ModelForm):
    """An item added, or one changed: an official step's title may be left to the step."""

    class Meta:
        model = AgendaItem
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        step = self.instance.step
        title = self.fields["title"]
        title.required = step == Step.OTHER
        if not title.required:
            title.widget.attrs["placeholder"] = Step(step).label
            title.help_text = _("Left blank, the step's name, in each reader's language.")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        step = self.instance.step
        if step != Step.OTHER and title in in_every_language(Step(step).label):
            return ""
        return title


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word, Excel or an image."),
        widget=forms.FileInput(attrs={"accept": ",".join(sorted(documents.TYPES_BY_SUFFIX))}),
    )

    def clean_file(self) -> UploadedFile:
        file = self.cleaned_data["file"]
        self.cleaned_data["checked"] = documents.check(file)
        return file


class AgreementForm(forms.ModelForm):
    """Rule 4: the day the cell committee agreed the meeting's content, and who took part."""

    agreed_on = forms.DateField(
        label=_("content agreed by the cell committee on"),
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Meeting
        fields = ["agreed_on", "agreed_with"]
        widgets = {"agreed_with": forms.CheckboxSelectMultiple}

    def __init__(self, *args, scope: "Scope | None" = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_with"].required = True
        self.fields["agreed_with"].queryset = Member.objects.on_cell_committee(
            self.instance.cell
        ).select_related("cell")
        tell_apart(self.fields["agreed_with"], scope)

    def clean_agreed_on(self) -> date:
        day = self.cleaned_data["agreed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The cell committee cannot have agreed it in the future."))
        if day > timezone.localdate(self.instance.starts_at):
            raise ValidationError(_("The content is agreed before the meeting, not after it."))
        return day
