"""The values that once answered 500, posted to the real pages as the people who use them:
each answers with the form and a message saying what is wrong, and nothing is written
(issue 10, item 5)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from chibo.meetings.models import PART_MAX, Meeting, MeetingSeries, Resolution, Vote
from chibo.meetings.tests.holding_data import ENGLISH, messages_in, opened, url
from chibo.meetings.tests.test_planning import plan_data, plan_url
from chibo.meetings.tests.test_resolution import form_data
from chibo.meetings.tests.test_series import series_data
from chibo.notify.models import Notification
from chibo.quality.evaluation.process import open_round
from chibo.quality.models import EvaluationRound
from chibo.quality.tests.evaluation_data import YEAR
from chibo.quality.tests.test_evaluation_views import (
    POSTED,
    SELF,
    evaluation_of,
    seat_the_chain,
    state,
)
from chibo.quality.tests.test_evaluation_views import post as post_step

WINDOW = "Give a year from 2000 to 2100."


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("year", [0, 1999, 2101, 10000, 32767, 32768, 10**23])
def test_it_refuses_a_round_of_a_year_out_of_range(world, year):
    target = reverse("quality:open_round", args=[world.city.code])
    response = world.client("committee").post(target, {**POSTED, "year": year}, headers=ENGLISH)
    assert WINDOW in page(response) or "less than or equal" in page(response)
    assert not EvaluationRound.objects.exists()


@pytest.mark.parametrize(
    "day, at", [("9999-12-31", "23:59"), ("0001-01-01", "00:00"), ("1999-12-31", "19:30")]
)
def test_it_refuses_a_meeting_dated_out_of_range(world, day, at):
    data = plan_data(date=day, time=at)
    response = world.client("secretary").post(plan_url(world), data, headers=ENGLISH)
    assert WINDOW in page(response)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("first", ["9999-12", "0001-01", "2101-01"])
def test_it_refuses_a_series_starting_out_of_range(world, first):
    target = reverse("meetings:series", args=[world.cell.code])
    response = world.client("secretary").post(
        target, series_data(first_month=first), headers=ENGLISH
    )
    assert WINDOW in page(response)
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_it_refuses_a_count_of_tasks_past_any_sense(world):
    seat_the_chain(world)
    open_round(world.city, world.committee, **YEAR)
    mai = evaluation_of("Nguyễn Thị Mai")
    before = state(mai)
    response = post_step(
        world, "member", mai, "self-assessment", {**SELF, "tasks_exceeding": 10**23}
    )
    assert "Ensure this value is less than or equal to 32767." in page(response)
    assert state(mai) == before


def test_it_refuses_a_resolution_part_past_its_length(world):
    meeting = opened(world.cell)
    data = form_data(assessment="Hoàn thành. " * 10_000)
    response = world.client("secretary").post(url(meeting, "resolution"), data, headers=ENGLISH)
    assert "Ensure this value has at most 10000 characters" in page(response)
    assert not Resolution.objects.exists()


def test_the_database_refuses_a_resolution_part_past_its_length(world):
    meeting = opened(world.cell)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            meeting=meeting, cell=world.cell, year=2026, quality="x" * (PART_MAX + 1)
        )


@pytest.mark.parametrize("tally", [-1, 32768, 10**23])
def test_it_refuses_a_vote_tally_out_of_range(world, tally):
    meeting = opened(world.cell)
    data = {"subject": "Nghị quyết", "votes_for": tally, "votes_against": 0, "abstentions": 0}
    response = world.client("secretary").post(
        url(meeting, "vote"), data, follow=True, headers=ENGLISH
    )
    assert response.status_code == 200
    assert "Ensure this value is" in messages_in(response)
    assert not Vote.objects.exists()


def test_it_marks_nothing_read_up_to_a_number_past_any_id(world):
    Notification.objects.create(recipient=world.member, kind=Notification.Kind.RECORDS)
    response = world.client("member").post(
        reverse("notify:read"), {"upto": 10**23}, follow=True, headers=ENGLISH
    )
    assert "Nothing was marked as read" in messages_in(response)
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_it_keeps_the_dates_of_lives_to_their_own_window(world):
    """Birth dates reach back before 2000; before 1900 or after the window they are refused."""
    mai = world.member.member
    mai.birth_date = date(1931, 2, 3)
    mai.full_clean()
    mai.birth_date = date(1899, 12, 31)
    with pytest.raises(ValidationError, match="1900"):
        mai.full_clean()


@pytest.mark.parametrize("name", ["minutes_pdf", "resolution_pdf", "minutes_version", "notice"])
def test_it_finds_no_version_numbered_past_any_sense(world, name):
    meeting = opened(world.cell)
    target = reverse(f"meetings:{name}", args=[meeting.code, 1]).replace("/1", "/" + "9" * 20)
    assert world.client("member").get(target).status_code == 404
