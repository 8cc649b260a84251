"""The preparation checklist ticks itself from the records; the agreement of rule 4 is recorded
once and scores the meeting's preparation."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from chibo.meetings.checklist import checklist
from chibo.meetings.publishing import publish
from chibo.meetings.tests.publishing_data import plan
from chibo.orgs.models import Member
from chibo.quality.scoring import Tasks, facts_for, suggest

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
SON = "Trần Văn Sơn"


def ticks(meeting) -> list[bool]:
    return [check.done for check in checklist(meeting)]


def url(meeting) -> str:
    return reverse("meetings:agreed", args=[meeting.code])


def test_a_new_meeting_has_only_what_needs_no_work_ticked(world):
    meeting = plan(world.cell)

    # Nothing agreed, no notice, the supervisor not yet told, no earlier tasks, no draft.
    assert ticks(meeting) == [False, False, False, True, False]


def test_agreeing_and_publishing_tick_their_lines_and_score_the_preparation(world):
    meeting = plan(world.cell)
    son = Member.objects.get(full_name=SON)
    response = world.client("secretary").post(
        url(meeting), {"agreed_on": "2026-12-14", "agreed_with": [son.pk]}
    )
    assert response.status_code == 302
    publish(meeting, by=None)
    meeting.refresh_from_db()

    assert ticks(meeting)[:3] == [True, True, True]
    assert "Trần Văn Sơn" in checklist(meeting)[0].detail
    assert suggest(facts_for(meeting), Tasks())["preparation"] == 10


@pytest.mark.parametrize(
    "data",
    [
        {"agreed_on": "2026-12-16"},  # the future
        {"agreed_on": "2026-12-14", "agreed_with": []},  # nobody took part
        {"agreed_on": "bad"},
        {"agreed_on": "2026-12-14", "agreed_with": ["999999"]},  # not on the cell committee
    ],
)
def test_bad_agreements_are_refused_with_a_message_and_change_nothing(world, data):
    meeting = plan(world.cell)
    data.setdefault("agreed_with", [Member.objects.get(full_name=SON).pk])

    response = world.client("secretary").post(url(meeting), data, follow=True)

    meeting.refresh_from_db()
    assert meeting.agreed_on is None and not meeting.agreed_with.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_an_agreement_after_the_meeting_is_refused(world):
    meeting = plan(world.cell, starts_in=timedelta(days=-3))
    son = Member.objects.get(full_name=SON)

    world.client("secretary").post(
        url(meeting), {"agreed_on": "2026-12-14", "agreed_with": [son.pk]}
    )

    meeting.refresh_from_db()
    assert meeting.agreed_on is None


def test_only_those_who_prepare_may_record_it(world):
    meeting = plan(world.cell)
    data = {"agreed_on": "2026-12-14", "agreed_with": [Member.objects.get(full_name=SON).pk]}

    assert world.client("member").post(url(meeting), data).status_code == 404  # a draft
    assert world.client("outsider").post(url(meeting), data).status_code == 404
    assert world.client("secretary").get(url(meeting)).status_code == 405
    meeting.refresh_from_db()
    assert meeting.agreed_on is None
