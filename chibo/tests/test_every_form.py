"""Every form of chibo, driven with what nobody should type (issue 10, item 5).

The forms are found by importing every module of the project, so a new form is driven too, or
this test says it does not know how to make one. Each field gets what its kind allows to be
out of range: a text past its maximum or with a NUL byte, a number past its bounds, a date
outside the window of years, a choice that is none; each such field must answer with an error
of its own, and no exception may escape. Then values of every sort, well-formed or not, must
never make a form raise.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chibo
from chibo.access.scope import Scope
from chibo.guidance.forms.issuing import AudienceForm
from chibo.guidance.forms.topics import ThematicMeetingForm
from chibo.guidance.models import Topic
from chibo.lib.bounds import HISTORY_STARTS, validate_date, validate_past_date, validate_year, years
from chibo.lib.months import month_of, quarter_start
from chibo.library.forms.documents import DocumentForm, FilterForm
from chibo.library.forms.search import SearchForm
from chibo.library.forms.studying import LaunchForm, SessionForm
from chibo.library.models import Document, StudyCampaign
from chibo.meetings.forms.holding import AdoptForm, MinutesForm, OfficersForm, TaskForm
from chibo.meetings.forms.planning import AgreementForm, MeetingForm, SeriesForm
from chibo.meetings.models import AgendaItem, Meeting, MeetingSeries, Step, Vote
from chibo.notify.forms import MailForm
from chibo.orgs.forms import MemberContactForm
from chibo.orgs.models import Member, Organisation
from chibo.quality.evaluation.forms import RoundForm, SelfAssessmentForm
from chibo.quality.facts import MeetingFacts
from chibo.quality.forms import ScoreForm
from chibo.quality.models import Evaluation, EvaluationRound, MeetingScore
from chibo.voices.forms.handling import StepForm
from chibo.voices.forms.recording import VoiceForm

# Modules that do something on import besides defining things.
SKIPPED = {"chibo.wsgi", "chibo.cli", "chibo.conftest"}
# Bases that only other forms are made of.
BASES = {"PlanForm"}
# Numbers bounded by the form's `clean`, in the words of the rule, rather than by the field.
RANGED_IN_CLEAN = {"ReportForm.year", "ReportForm.number"}


def every_form() -> list[type[forms.BaseForm]]:
    found = {}
    for module in pkgutil.walk_packages(chibo.__path__, "chibo."):
        name = module.name
        if name in SKIPPED or ".tests" in name or ".migrations" in name:
            continue
        for _name, value in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            if (
                issubclass(value, forms.BaseForm)
                and value.__module__ == name
                and value.__name__ not in BASES
            ):
                found[f"{name}.{value.__name__}"] = value
    return [found[key] for key in sorted(found)]


FORMS = every_form()


def _facts() -> MeetingFacts:
    return MeetingFacts(
        meeting_id=1,
        cell_id=1,
        kind=Meeting.Kind.REGULAR,
        starts_at=timezone.now(),
        planned_minutes=90,
        minimum_minutes=90,
        expected=10,
        present=9,
    )


def _member(world) -> Member:
    return world.member.member


# How to make each form that takes more than its data: what the views hand it.
MAKERS: dict[type, Callable] = {
    MeetingForm: lambda world, data: MeetingForm(data, instance=Meeting(cell=world.cell)),
    SeriesForm: lambda world, data: SeriesForm(data, instance=MeetingSeries(cell=world.cell)),
    MinutesForm: lambda world, data: MinutesForm(
        [AgendaItem(position=i, title=s.label, step=s) for i, s in enumerate(Step, start=1)], data
    ),
    TaskForm: lambda world, data: TaskForm(
        data, owners=[_member(world)], earliest=timezone.localdate()
    ),
    AdoptForm: lambda world, data: AdoptForm(Vote.objects.all(), data),
    OfficersForm: lambda world, data: OfficersForm(
        Meeting(cell=world.cell), [_member(world)], {}, data
    ),
    SelfAssessmentForm: lambda world, data: SelfAssessmentForm(Evaluation.Form.LEADER, data),
    ScoreForm: lambda world, data: ScoreForm(MeetingScore.Role.values, _facts(), data),
    MailForm: lambda world, data: MailForm(data, instance=world.member),
    MemberContactForm: lambda world, data: MemberContactForm(
        data, instance=_member(world), personal=Scope(world.admin).personal(_member(world))
    ),
    RoundForm: lambda world, data: RoundForm(
        data, instance=EvaluationRound(organisation=world.ward)
    ),
    AgreementForm: lambda world, data: AgreementForm(
        data, instance=Meeting(cell=world.cell, starts_at=timezone.now() + timedelta(days=3))
    ),
    AudienceForm: lambda world, data: AudienceForm(world.city, data),
    DocumentForm: lambda world, data: DocumentForm(
        data,
        {},
        instance=Document(),
        committees=Organisation.objects.committees(),
        readable=Document.objects.all(),
        national=True,
    ),
    FilterForm: lambda world, data: FilterForm(data, issuers=["Bộ Chính trị"]),
    LaunchForm: lambda world, data: LaunchForm(
        data, instance=StudyCampaign(committee=world.city), committee=world.city
    ),
    SessionForm: lambda world, data: SessionForm(data, meetings=Meeting.objects.all()),
    ThematicMeetingForm: lambda world, data: ThematicMeetingForm(
        data,
        instance=Meeting(cell=world.cell),
        topic=Topic(
            organisation=world.ward, quarter=quarter_start(month_of(timezone.now())), title="T"
        ),
    ),
    VoiceForm: lambda world, data: VoiceForm(data, cell=world.cell),
    SearchForm: lambda world, data: SearchForm(data, organisations=Organisation.objects.all()),
    StepForm: lambda world, data: StepForm(data, action="answer"),
}


def make(form_class: type, world, data: dict) -> forms.BaseForm:
    maker = MAKERS.get(form_class)
    return maker(world, data) if maker else form_class(data, files={})


def _int_bounds(field: forms.IntegerField) -> tuple[int | None, int | None]:
    low, high = field.min_value, field.max_value
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if isinstance(validator, MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
        if validator is validate_year:
            low, high = years()
    return low, high


def _date_window(field: forms.DateField) -> tuple[int, int] | None:
    if validate_date in field.validators:
        return years()
    if validate_past_date in field.validators:
        return HISTORY_STARTS, years()[1]
    return None


WORDS = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=5)
ODD = st.sampled_from(["\x00", "\u202e", "\ufeff", "\U0010ffff", "\ud7ff", "ស្ព", "Đ̣", "𝔸"])


def out_of_range(field: forms.Field) -> st.SearchStrategy | None:
    """What `field` must refuse, or None for a field that refuses nothing (a tick box, a file).

    Fails when the field has no bound to be out of."""
    if isinstance(field, forms.BooleanField | forms.FileField):
        return None
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return st.one_of(WORDS.map(lambda w: f"no-{w}"), st.uuids().map(str), st.just("\x00"))
    if isinstance(field, forms.IntegerField):
        low, high = _int_bounds(field)
        assert low is not None and high is not None, "a number without a range"
        return st.one_of(
            st.integers(high + 1, 10**30), st.integers(-(10**30), low - 1), st.just("1e23")
        ).map(str)
    if isinstance(field, forms.DateField):
        window = _date_window(field)
        assert window is not None, "a date without a window of years"
        first, last = window
        return st.one_of(
            st.dates(max_value=date(first - 1, 12, 31)),
            st.dates(min_value=date(last + 1, 1, 1)),
        ).map(date.isoformat) | st.sampled_from(["0000-01-01", "10000-01-01", "32767-12-31"])
    if isinstance(field, forms.TimeField):
        return st.sampled_from(["24:00", "99:99", "-1:00", "12:60", "\x00"])
    if isinstance(field, forms.CharField):
        assert field.max_length is not None, "a text without a maximum length"
        too_long = st.integers(field.max_length + 1, field.max_length + 100).flatmap(
            lambda n: WORDS.map(lambda w: (w * n)[:n])
        )
        return st.one_of(too_long, WORDS.map(lambda w: w + "\x00" + w))
    raise AssertionError(f"no out-of-range values known for {type(field).__name__}")


def anything() -> st.SearchStrategy:
    """Values of every sort a browser or a script can send."""
    return st.one_of(
        st.just(""),
        st.integers(-(10**30), 10**30).map(str),
        st.dates().map(date.isoformat),
        st.datetimes().map(datetime.isoformat),
        st.text(max_size=30),
        st.lists(ODD, min_size=1, max_size=4).map("".join),
        st.integers(0, 100_000).map(lambda n: "ា" * n),
        st.uuids().map(str),
    )


EDGES = {
    forms.IntegerField: [0, -1, 9999, 10000, 32767, 32768, 2**31, 2**63, 10**23],
    forms.DateField: ["0001-01-01", "9999-12-31", "9999-12", "1899-12-31", "2101-01-01"],
    forms.TimeField: ["24:00", "23:59:59.999999", "00:00"],
}


STRINGS = ["\x00", "\u202e", "ា" * 100_000, "1e23"]
# A day every window of years holds, in the future for a long while yet.
SOME_DAY = date(2099, 1, 5)


def baseline(field: forms.Field) -> str:
    """A value `field` accepts, so that a form's checks across fields run when one is off."""
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return str(getattr(first, field.to_field_name or "pk")) if first else ""
    if isinstance(field, forms.ChoiceField):
        return next((str(v) for v, _label in field.choices if v != ""), "")
    if isinstance(field, forms.IntegerField):
        low, high = _int_bounds(field)
        return str(min(max(90, 90 if low is None else low), 90 if high is None else high))
    if isinstance(field, forms.DateField):
        return SOME_DAY.isoformat()
    if isinstance(field, forms.TimeField):
        return "19:30"
    return "Chi bộ"


def edges(field: forms.Field) -> list[str]:
    """Values at and past the ends of what `field` takes, and strings of every oddity."""
    found = next((v for kind, v in EDGES.items() if isinstance(field, kind)), [])
    return [str(v) for v in found] + STRINGS


SLOW = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
MANY = settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _names(form_class: type) -> str:
    return form_class.__name__


def test_it_finds_the_forms_of_every_app():
    modules = {form.__module__.split(".")[1] for form in FORMS}
    assert {"meetings", "orgs", "notify", "quality", "voices"} <= modules
    assert len(FORMS) >= 20


@pytest.mark.parametrize("form_class", FORMS, ids=_names)
@pytest.mark.django_db
@SLOW
@given(data=st.data())
def test_every_field_refuses_what_is_out_of_its_range(world, form_class, data):
    fields = make(form_class, world, {}).fields
    hostile = {
        name: out_of_range(field)
        for name, field in fields.items()
        if f"{form_class.__name__}.{name}" not in RANGED_IN_CLEAN
    }
    values = {
        name: data.draw(strategy, label=name)
        for name, strategy in hostile.items()
        if strategy is not None
    }
    form = make(form_class, world, values)
    assert not form.is_valid()
    for name in values:
        if not fields[name].disabled:
            assert name in form.errors, (name, values[name])


CASES = [
    pytest.param(form_class, name, value, id=f"{form_class.__name__}.{name}={value[:12]!r}")
    for form_class in FORMS
    for name, field in form_class.base_fields.items()
    for value in edges(field)
]


@pytest.mark.parametrize("form_class, name, value", CASES)
@pytest.mark.django_db
def test_no_form_raises_at_the_edges(world, form_class, name, value):
    """Each field at each edge, the others filled well: no check across fields may fail."""
    fields = make(form_class, world, {}).fields
    data = {key: baseline(field) for key, field in fields.items()} | {name: value}
    form = make(form_class, world, data)
    if not form.is_valid():
        assert form.errors


@pytest.mark.parametrize("form_class", FORMS, ids=_names)
@pytest.mark.django_db
@MANY
@given(data=st.data())
def test_no_form_raises_whatever_it_is_sent(world, form_class, data):
    """Some fields sent anything at all, the others filled well."""
    fields = make(form_class, world, {}).fields
    values = {key: baseline(field) for key, field in fields.items()}
    for name in data.draw(st.sets(st.sampled_from(sorted(fields)), min_size=1), label="fields"):
        values[name] = data.draw(anything(), label=name)
    form = make(form_class, world, values)
    if not form.is_valid():
        assert form.errors


def test_it_knows_every_out_of_range_kind():
    """A form of a field kind not covered above would pass the tests unseen."""
    for form_class in FORMS:
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.BooleanField | forms.FileField):
                continue
            if isinstance(field, forms.CharField):
                assert field.max_length, f"{form_class.__name__}.{name} has no maximum length"
