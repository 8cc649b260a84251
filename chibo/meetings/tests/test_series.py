"""Planning the year at once: a draft regular meeting each month, on the same day and hour."""

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from chibo.lib.months import month_of, shift
from chibo.meetings.forms.planning import SeriesForm
from chibo.meetings.models import REGULAR_STEPS, AgendaItem, Meeting, MeetingSeries
from chibo.meetings.tests.test_planning import PLACE, make_meeting


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are checked in English, whatever the translators have done."""
    settings.LANGUAGE_CODE = "en"


def month(offset: int) -> date:
    """The first day of the month `offset` months from this one."""
    return shift(month_of(timezone.localdate()), offset)


def on(first: date, day: int = 4, at: time = time(19, 30)):
    return timezone.make_aware(datetime.combine(first.replace(day=day), at))


def series_data(first: date | None = None, **changes) -> dict:
    return {
        "day": 4,
        "time": "19:30",
        "planned_minutes": 90,
        "place": PLACE,
        "first_month": (first or month(1)).strftime("%Y-%m"),
        "months": 12,
    } | changes


def url(org) -> str:
    return reverse("meetings:series", args=[org.code])


def test_it_sends_anonymous_visitors_to_sign_in(client, world):
    for response in (client.get(url(world.cell)), client.post(url(world.cell), series_data())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [("member", 403), ("committee", 403), ("supervisor", 403), ("outsider", 404), ("admin", 200)],
)
def test_it_lets_only_those_who_manage_the_cell_plan_its_year(world, persona, status):
    client = world.client(persona)
    assert client.get(url(world.cell)).status_code == status
    response = client.post(url(world.cell), series_data())
    assert response.status_code == (302 if status == 200 else status)
    assert MeetingSeries.objects.exists() == (status == 200)


def test_it_plans_years_only_for_cells_and_by_get_or_post(world):
    client = world.client("admin")
    assert client.get(url(world.ward)).status_code == 404
    assert client.delete(url(world.cell)).status_code == 405


def test_it_plans_a_draft_regular_meeting_each_month(world):
    response = world.client("secretary").post(url(world.cell), series_data(), follow=True)
    assert response.redirect_chain[0][0] == reverse("meetings:cell", args=[world.cell.code])
    assert "12 meetings were planned as drafts." in response.content.decode()
    series = MeetingSeries.objects.get()
    meetings = list(Meeting.objects.filter(series=series).order_by("starts_at"))
    assert [m.starts_at for m in meetings] == [on(month(n)) for n in range(1, 13)]
    assert {(m.kind, m.status, m.place, m.planned_minutes) for m in meetings} == {
        (Meeting.Kind.REGULAR, Meeting.Status.DRAFT, PLACE, 90)
    }
    assert AgendaItem.objects.filter(meeting__series=series).count() == 12 * len(REGULAR_STEPS)
    assert list(meetings[5].agenda_items.values_list("step", flat=True)) == REGULAR_STEPS


def test_it_skips_months_the_cell_already_meets_in_or_at_that_time(world):
    make_meeting(world.cell, starts_at=on(month(2), day=10))
    make_meeting(world.cell, starts_at=on(month(3), day=20), kind=Meeting.Kind.COMBINED)
    make_meeting(world.cell, starts_at=on(month(4), day=10), kind=Meeting.Kind.THEMATIC)
    make_meeting(world.cell, starts_at=on(month(5), at=time(20)), kind=Meeting.Kind.THEMATIC)
    make_meeting(world.cell, starts_at=on(month(6), day=9), status=Meeting.Status.CANCELLED)
    make_meeting(world.sister_cell, starts_at=on(month(1)))
    response = world.client("secretary").post(url(world.cell), series_data(months=6), follow=True)
    planned = Meeting.objects.filter(series__isnull=False).order_by("starts_at")
    assert [m.starts_at for m in planned] == [on(month(n)) for n in (1, 4, 6)]
    skipped = ", ".join(formats.date_format(month(n), "YEAR_MONTH_FORMAT") for n in (2, 3, 5))
    page = response.content.decode()
    assert "3 meetings were planned as drafts." in page
    assert f"the cell already meets that month or at that time: {skipped}." in page


def test_it_skips_dates_that_have_passed(world):
    response = world.client("secretary").post(
        url(world.cell), series_data(first=month(-2), months=4), follow=True
    )
    planned = [m.starts_at for m in Meeting.objects.order_by("starts_at")]
    assert on(month(-2)) not in planned and on(month(-1)) not in planned
    assert planned[-1] == on(month(1))
    past = formats.date_format(month(-2), "YEAR_MONTH_FORMAT")
    assert f"Skipped, the date has passed: {past}" in response.content.decode()


def test_it_keeps_nothing_when_every_month_is_skipped(world):
    client = world.client("secretary")
    response = client.post(url(world.cell), series_data(first=month(-3), months=2))
    assert response.status_code == 200
    assert "No meeting was planned: every month was skipped." in response.content.decode()
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"day": 29},
        {"day": 0},
        {"months": 25},
        {"months": 0},
        {"first_month": "next spring"},
        {"time": "25:00"},
        {"place": ""},
        {"planned_minutes": 601},
    ],
)
def test_it_refuses_a_senseless_series(world, changes):
    response = world.client("secretary").post(url(world.cell), series_data(**changes))
    assert response.status_code == 200 and response.context["form"].errors
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_it_asks_for_permission_to_plan_short_meetings(world):
    client = world.client("secretary")
    response = client.post(url(world.cell), series_data(planned_minutes=60))
    assert "Rule 3 (Directive 50-CT/TW" in response.content.decode()
    assert not Meeting.objects.exists()
    client.post(url(world.cell), series_data(planned_minutes=60, short_allowed="on"))
    assert Meeting.objects.filter(planned_minutes=60).count() == 12


@pytest.mark.parametrize("first_month", ["2031-03", "2031-03-15"])
def test_it_takes_the_first_month_as_a_month_or_a_date(world, first_month):
    form = SeriesForm(series_data(first_month=first_month), instance=MeetingSeries(cell=world.cell))
    assert form.is_valid(), form.errors
    assert form.instance.first_month == date(2031, 3, 1)


def test_it_runs_the_series_across_the_new_year():
    series = MeetingSeries(day=28, time=time(7), first_month=date(2031, 11, 1), months=3)
    assert [s.date() for s in series.starts()] == [
        date(2031, 11, 28),
        date(2031, 12, 28),
        date(2032, 1, 28),
    ]


def count_queries(client, world, first: date, months: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url(world.cell), series_data(first=first, months=months))
    assert response.status_code == 302
    return len(queries)


def test_it_plans_a_year_in_as_many_queries_as_a_month(world):
    client = world.client("secretary")
    year = count_queries(client, world, month(1), 12)
    assert year == count_queries(client, world, month(20), 1)
