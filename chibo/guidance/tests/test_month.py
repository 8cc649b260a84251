"""The secretary's month: every step due, soonest first, each leading where it is done."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from chibo.guidance.month import steps
from chibo.guidance.tests.guidance_data import issued
from chibo.meetings.models import Meeting
from chibo.meetings.tests.publishing_data import plan
from chibo.quality.tests.history import held, task

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
MAI = "Nguyễn Thị Mai"


def url(world) -> str:
    return reverse("guidance:month", args=[world.cell.code])


def test_a_cell_with_nothing_planned_is_asked_to_plan_by_the_rules(world):
    with translation.override("en"):
        texts = [(step.due, step.text) for step in steps(world.cell)]

    assert texts == [
        (date(2026, 12, 20), "Plan next month's regular meeting, with its topic"),
        (date(2026, 12, 31), "Plan this month's regular meeting (rule 1)"),
        (date(2026, 12, 31), "Plan this quarter's thematic meeting (rule 2)"),
    ]


def test_it_lists_what_is_late_first_then_what_comes(world):
    november = held(world.cell, date(2026, 11, 10), [MAI])
    task(november, date(2026, 12, 1), done_on=None)
    held(world.cell, date(2026, 12, 10), [MAI], kind=Meeting.Kind.COMBINED)
    january = plan(world.cell, starts_in=datetime(2027, 1, 8, 12, tzinfo=UTC) - datetime.now(UTC))
    issued(world.ward, points=(("Học tập 57", True), ("Môi trường", False)))

    with translation.override("en"):
        found = steps(world.cell)

    assert [(s.text.split(" ")[0], s.overdue) for s in found] == [
        ("Approve", True),  # November's minutes, due 12 November
        ("Task", True),  # due 1 December
        ("Approve", True),  # December's, due 12 December
        ("Publish", False),  # January's notice, due 7 January
        ("Decide", False),
    ]
    assert found[-1].text.startswith("Decide on 2 points of guidance for the meeting of")
    assert found[-1].text.endswith("2027 (1 required)")
    assert found[-1].url == reverse("guidance:meeting", args=[january.code])


def test_only_the_cells_leaders_open_it(world):
    assert world.client("secretary").get(url(world)).status_code == 200
    assert world.client("member").get(url(world)).status_code == 403
    assert world.client("outsider").get(url(world)).status_code == 404
    assert world.client("secretary").post(url(world)).status_code == 405
    anonymous = world.client("member")
    anonymous.logout()
    assert anonymous.get(url(world)).status_code == 302


def test_it_costs_the_same_queries_for_one_task_overdue_as_for_many(world):
    november = held(world.cell, date(2026, 11, 10), [MAI])
    task(november, date(2026, 12, 1), done_on=None)
    client = world.client("secretary")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(world)).status_code == 200
        return len(queries)

    few = cost()
    for day in range(2, 9):
        task(november, date(2026, 12, day), done_on=None)
    assert cost() == few


def test_the_home_page_leads_the_secretary_to_it(world):
    page = world.client("secretary").get(reverse("home")).content.decode()

    assert url(world) in page
    assert url(world) not in world.client("member").get(reverse("home")).content.decode()


def test_the_page_lists_the_guidance_received_under_a_plain_title(world):
    guidance = issued(world.city, date(2027, 1, 1))

    page = world.client("secretary").get(url(world)).content.decode()

    title = page.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and world.cell.name in title
    assert page.count(reverse("guidance:guidance", args=[guidance.code])) == 1
