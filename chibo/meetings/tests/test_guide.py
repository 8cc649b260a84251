"""The step-by-step guide: rule 6's steps timed to the meeting, criticism within its bounds."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from chibo.meetings import holding
from chibo.meetings.guide import current, guide
from chibo.meetings.models import Meeting, Step
from chibo.meetings.tests.publishing_data import plan

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


def test_a_regular_meeting_follows_rule_6_in_its_planned_time(world):
    meeting = plan(world.cell)

    steps = guide(meeting)

    assert [s.step for s in steps] == meeting.official_steps()
    assert sum(s.minutes for s in steps) == meeting.planned_minutes == 90
    assert steps[0].starts_at == meeting.starts_at
    assert all(a.ends_at == b.starts_at for a, b in zip(steps, steps[1:], strict=False))


@pytest.mark.parametrize("planned, expected", [(40, 15), (90, 20), (300, 30)])
def test_self_criticism_keeps_its_15_to_30_minutes_whatever_the_length(world, planned, expected):
    meeting = plan(world.cell, planned_minutes=planned)

    situation = next(s for s in guide(meeting) if s.step == Step.SITUATION)

    assert situation.minutes == expected


def test_a_combined_meeting_takes_both_kinds_steps(world):
    meeting = Meeting(
        cell=world.cell,
        kind=Meeting.Kind.COMBINED,
        planned_minutes=120,
        starts_at=datetime(2026, 12, 20, 12, tzinfo=UTC),
    )

    steps = [s.step for s in guide(meeting)]

    assert Step.SITUATION in steps and Step.PRESENTATION in steps
    assert steps[-1] == Step.MINUTES


def test_the_clock_says_which_step_the_meeting_is_at(world):
    meeting = plan(world.cell)
    steps = guide(meeting)

    assert current(steps, meeting.starts_at - timedelta(minutes=1)) is None
    assert current(steps, meeting.starts_at + timedelta(minutes=12)) == Step.ASSESSMENT
    assert current(steps, meeting.starts_at + timedelta(minutes=89)) == Step.MINUTES
    assert current(steps, meeting.starts_at + timedelta(minutes=90)) is None


def test_the_planner_and_the_holding_page_show_it(world):
    meeting = plan(world.cell, status=Meeting.Status.PUBLISHED, starts_in=timedelta(minutes=-15))
    secretary = world.client("secretary")
    agenda = secretary.get(reverse("meetings:agenda", args=[meeting.code])).content.decode()
    assert 'id="guide"' in agenda

    holding.open_meeting(meeting)
    page = secretary.get(reverse("meetings:hold", args=[meeting.code])).content.decode()
    assert 'aria-current="step"' in page  # 15 minutes in: the assessment
