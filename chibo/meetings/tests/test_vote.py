"""Votes of the meeting: rule 9's count shown before the vote, the result computed, never typed."""

import pytest

from chibo.conftest import make_member
from chibo.meetings import holding
from chibo.meetings.models import Meeting, Vote
from chibo.meetings.tests.holding_data import (
    ENGLISH,
    absent,
    assert_guarded,
    messages_in,
    opened,
    present,
    url,
)
from chibo.orgs.models import Member

TALLY = {"subject": "Nghị quyết tháng 5", "votes_for": 2, "votes_against": 0, "abstentions": 0}


@pytest.fixture
def meeting(world) -> Meeting:
    """Five official members, one probationary, one exempt; four official ones present."""
    for name in ("Đỗ Văn Tư", "Lý Văn Nam", "Hà Thị Lan"):
        make_member(world.cell, name)
    make_member(world.cell, "Vũ Thị Hoa", status=Member.Status.EXEMPT)
    make_member(world.cell, "Phan Văn Khải", status=Member.Status.PROBATIONARY)
    meeting = opened(world.cell)
    present(meeting, "Nguyễn Thị Mai", "Trần Văn Sơn", "Đỗ Văn Tư", "Lý Văn Nam", "Phan Văn Khải")
    absent(meeting, "Hà Thị Lan")
    return meeting


def test_it_guards_the_vote(world, meeting):
    assert_guarded(world, url(meeting, "vote"), "post")
    assert world.client("secretary").get(url(meeting, "vote")).status_code == 405
    assert not Vote.objects.exists()


def test_it_shows_the_count_before_the_vote(world, meeting):
    page = world.client("secretary").get(url(meeting, "hold"), headers=ENGLISH)
    count = page.context["roll"].count
    # Five official plus the exempt member, less the exempt member who is absent.
    assert (count.adjusted, count.needed, count.voters_present) == (5, 3, 4)
    html = page.content.decode()
    assert "Adjusted count of official members: <strong>5</strong>" in html
    assert "at least <strong>3</strong> votes for" in html


def test_it_records_a_vote_and_computes_that_it_passed(world, meeting):
    response = world.client("secretary").post(
        url(meeting, "vote"), {**TALLY, "votes_for": 3, "votes_against": 1}, follow=True
    )
    vote = Vote.objects.get()
    assert (vote.adjusted_count, vote.needed, vote.passed) == (5, 3, True)
    assert vote.subject == "Nghị quyết tháng 5"
    assert response.redirect_chain[-1][0] == f"{url(meeting, 'hold')}#votes"


def test_it_computes_that_a_vote_failed(world, meeting):
    world.client("secretary").post(url(meeting, "vote"), {**TALLY, "abstentions": 2})
    vote = Vote.objects.get()
    assert (vote.votes_for, vote.needed, vote.passed) == (2, 3, False)


def test_it_ignores_a_result_typed_in(world, meeting):
    world.client("secretary").post(url(meeting, "vote"), {**TALLY, "passed": "on", "needed": 1})
    assert Vote.objects.get().passed is False


def test_it_refuses_more_votes_than_official_members_present(world, meeting):
    response = world.client("secretary").post(
        url(meeting, "vote"),
        {**TALLY, "votes_for": 4, "abstentions": 1},
        follow=True,
        headers=ENGLISH,
    )
    assert "5 votes were cast but only 4 official members are present." in messages_in(response)
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"votes_for": -1}, {"votes_against": "two"}, {"subject": " "}, {"abstentions": 40000}],
)
def test_it_refuses_a_bad_tally(world, meeting, change):
    response = world.client("secretary").post(
        url(meeting, "vote"), {**TALLY, **change}, follow=True
    )
    assert messages_in(response)
    assert not Vote.objects.exists()


def test_it_takes_votes_only_while_the_meeting_is_open(world, meeting):
    holding.close_meeting(meeting)
    response = world.client("secretary").post(
        url(meeting, "vote"), TALLY, follow=True, headers=ENGLISH
    )
    assert "The meeting is not in progress." in messages_in(response)
    assert not Vote.objects.exists()
