"""The secretary's screen during the meeting: opening it, the roll (rule 8), check-in by QR code."""

import pytest
from django.test import Client
from django.urls import reverse

from chibo.conftest import make_member
from chibo.meetings import holding
from chibo.meetings.models import Answer, Attendance, Meeting
from chibo.meetings.tests.holding_data import (
    ENGLISH,
    assert_guarded,
    count_queries,
    member,
    messages_in,
    opened,
    roll_line,
    url,
)
from chibo.meetings.tests.test_attending import plan
from chibo.orgs.models import Member

Presence = Attendance.Presence
MAI, SON = "Nguyễn Thị Mai", "Trần Văn Sơn"


@pytest.fixture
def meeting(world) -> Meeting:
    return opened(world.cell)


@pytest.mark.parametrize("name, method", [("hold", "get"), ("open", "post"), ("close", "post")])
def test_it_guards_the_secretarys_pages(world, meeting, name, method):
    assert_guarded(world, url(meeting, name), method)


def test_it_guards_the_roll(world, meeting):
    target = url(meeting, "mark", member(MAI).code)
    assert_guarded(world, target, "post")
    assert world.client("secretary").get(target).status_code == 405
    assert roll_line(meeting, MAI).presence == Presence.PRESENT


def test_it_refuses_other_methods(world, meeting):
    client = world.client("secretary")
    assert client.post(url(meeting, "hold")).status_code == 405
    assert client.get(url(meeting, "open")).status_code == 405
    assert client.get(url(meeting, "close")).status_code == 405
    assert world.client("member").put(url(meeting, "check_in")).status_code == 405


def test_it_opens_the_meeting_and_calls_the_roll_from_the_answers(world):
    meeting = plan(world.cell, days=0)
    make_member(world.cell, "Vũ Thị Hoa", status=Member.Status.EXEMPT)
    Answer.objects.create(meeting=meeting, member=member(MAI), choice="absent", reason="Ốm")
    Answer.objects.create(meeting=meeting, member=member(SON), choice="attending")
    response = world.client("secretary").post(url(meeting, "open"))
    assert response.status_code == 302 and response["Location"] == url(meeting, "hold")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.OPEN
    roll = {line.member.full_name: line for line in meeting.roll.select_related("member")}
    assert set(roll) == {MAI, SON, "Vũ Thị Hoa"}
    assert (roll[MAI].presence, roll[MAI].reason) == (Presence.EXCUSED, "Ốm")
    assert roll[SON].presence == Presence.PRESENT  # present until marked otherwise
    assert roll["Vũ Thị Hoa"].presence == Presence.ABSENT  # exempt: not expected
    assert roll["Vũ Thị Hoa"].standing == Member.Status.EXEMPT


def test_it_opens_again_without_touching_the_marks(world, meeting):
    holding.check_in(meeting, member(MAI))
    make_member(world.cell, "Đỗ Văn Tư")
    world.client("secretary").post(url(meeting, "open"))
    assert meeting.roll.count() == 3
    assert roll_line(meeting, MAI).presence == Presence.PRESENT
    assert roll_line(meeting, "Đỗ Văn Tư").presence == Presence.PRESENT


def test_it_does_not_open_a_draft(world):
    draft = plan(world.cell, status=Meeting.Status.DRAFT)
    response = world.client("secretary").post(url(draft, "open"), follow=True, headers=ENGLISH)
    assert "Only a published meeting can be opened." in messages_in(response)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT and not draft.roll.exists()


def test_it_marks_the_roll_with_one_tap(world, meeting):
    client = world.client("secretary")
    target = url(meeting, "mark", member(MAI).code)
    response = client.post(target, {"presence": "present"})
    assert response["Location"] == f"{url(meeting, 'hold')}#roll-{member(MAI).code}"
    line = roll_line(meeting, MAI)
    assert line.presence == Presence.PRESENT and line.checked_in_at and not line.by_qr
    client.post(target, {"presence": "excused", "reason": "Đi viện"})
    line.refresh_from_db()
    assert (line.presence, line.reason, line.checked_in_at) == (Presence.EXCUSED, "Đi viện", None)
    client.post(target, {"presence": "absent", "reason": "ignored"})
    line.refresh_from_db()
    assert (line.presence, line.reason) == (Presence.ABSENT, "")


@pytest.mark.parametrize(
    "data", [{"presence": "excused", "reason": "  "}, {"presence": "late"}, {}]
)
def test_it_refuses_a_bad_mark(world, meeting, data):
    response = world.client("secretary").post(
        url(meeting, "mark", member(MAI).code), data, follow=True
    )
    assert messages_in(response)
    line = roll_line(meeting, MAI)
    assert (line.presence, line.reason) == (Presence.PRESENT, "")


def test_it_answers_404_for_someone_not_on_the_roll(world, meeting):
    stranger = Member.objects.get(full_name="Hoàng Thị Oanh")
    target = url(meeting, "mark", stranger.code)
    assert world.client("secretary").post(target, {"presence": "present"}).status_code == 404


def test_it_shows_the_totals_of_rule_8(world, meeting):
    make_member(world.cell, "Lý Văn Nam", status=Member.Status.PROBATIONARY)
    make_member(world.cell, "Vũ Thị Hoa", status=Member.Status.EXEMPT)
    make_member(world.cell, "Đỗ Văn Tư")
    holding.open_meeting(meeting, now=meeting.starts_at)
    holding.choose_officers(meeting, member(MAI), member(MAI))
    holding.mark(meeting, roll_line(meeting, SON), Presence.EXCUSED, "Công tác")
    for name in ("Lý Văn Nam", "Đỗ Văn Tư"):
        holding.mark(meeting, roll_line(meeting, name), Presence.ABSENT)
    page = world.client("secretary").get(url(meeting, "hold"), headers=ENGLISH)
    roll = page.context["roll"]
    assert roll.totals() == [
        ("official", 3),
        ("probationary", 1),
        ("exempt from work and activities", 1),
    ]
    assert [line.member.full_name for line in roll.present] == [MAI]
    assert [(line.member.full_name, line.reason) for line in roll.excused] == [(SON, "Công tác")]
    # The exempt member is not expected, so not absent without a reason.
    assert {line.member.full_name for line in roll.absent} == {"Lý Văn Nam", "Đỗ Văn Tư"}
    html = page.content.decode()
    assert "Trần Văn Sơn (Công tác)" in html and "Adjusted count of official members" in html


def test_it_shows_the_qr_code_for_checking_in_while_open(world, meeting):
    page = world.client("secretary").get(url(meeting, "hold")).content.decode()
    assert '<svg width="' in page and 'class="qr"' in page
    holding.close_meeting(meeting)
    assert 'class="qr"' not in world.client("secretary").get(url(meeting, "hold")).content.decode()


def test_it_checks_a_member_in_by_qr_code(world, meeting):
    client = world.client("member")
    page = client.get(url(meeting, "check_in"), headers=ENGLISH).content.decode()
    assert "I am here" in page
    response = client.post(url(meeting, "check_in"))
    assert response.status_code == 302 and response["Location"] == url(meeting, "check_in")
    line = roll_line(meeting, MAI)
    assert line.presence == Presence.PRESENT and line.by_qr
    first = line.checked_in_at
    client.post(url(meeting, "check_in"))  # a second scan keeps the first time
    line.refresh_from_db()
    assert line.checked_in_at == first
    assert (
        "You are checked in"
        in client.get(url(meeting, "check_in"), headers=ENGLISH).content.decode()
    )


def test_it_sends_a_scanning_member_to_sign_in_first(world, meeting):
    response = Client().get(url(meeting, "check_in"))
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/accounts/login/?next=")
        and "check-in" in response["Location"]
    )


@pytest.mark.parametrize(
    "persona, status", [("outsider", 404), ("committee", 403), ("supervisor", 403)]
)
def test_it_checks_in_only_members_of_the_cell(world, meeting, persona, status):
    assert world.client(persona).post(url(meeting, "check_in")).status_code == status
    assert not meeting.roll.filter(checked_in_at__isnull=False).exists()


@pytest.mark.parametrize(
    "persona, shown", [("member", True), ("secretary", True), ("supervisor", False)]
)
def test_it_offers_check_in_only_to_those_who_may_check_in(world, meeting, persona, shown):
    """The supervisor reads the meeting and answers its notice, but is not on its roll: no
    button that leads to a refusal."""
    client = world.client(persona)
    page = client.get(url(meeting, "meeting"), headers=ENGLISH).content.decode()
    assert (url(meeting, "check_in") in page) is shown
    assert client.get(url(meeting, "check_in")).status_code == (200 if shown else 403)


def test_it_links_the_score_for_those_who_may_score_only(world):
    """A member asked to prepare the meeting holds it, but the cell's score is its leaders'."""
    meeting = opened(world.cell, preparer=member(MAI))
    score = reverse("quality:score", args=[meeting.code])
    assert score in world.client("secretary").get(url(meeting, "hold")).content.decode()
    assert score not in world.client("member").get(url(meeting, "hold")).content.decode()


def test_it_adds_a_newcomer_to_the_roll_at_check_in(world, meeting):
    newcomer = make_member(world.cell, "Đỗ Văn Tư")
    holding.check_in(meeting, newcomer, by_qr=True)
    assert roll_line(meeting, "Đỗ Văn Tư").presence == Presence.PRESENT


def test_it_refuses_check_in_when_the_meeting_is_not_open(world):
    meeting = plan(world.cell)
    response = world.client("member").post(url(meeting, "check_in"), follow=True, headers=ENGLISH)
    assert "The meeting is not in progress." in messages_in(response)
    assert not meeting.roll.exists()


def test_it_closes_the_meeting_and_freezes_the_roll(world, meeting):
    world.client("secretary").post(url(meeting, "close"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    response = world.client("secretary").post(
        url(meeting, "mark", member(MAI).code), {"presence": "present"}, follow=True
    )
    assert messages_in(response)
    assert roll_line(meeting, MAI).checked_in_at is None


def test_it_costs_the_same_queries_however_large_the_cell(world):
    for i in range(4):
        make_member(world.cell, f"Đảng viên {i:02d}")
    meeting = opened(world.cell)
    client = world.client("secretary")
    holding.check_in(meeting, member(MAI))
    few = count_queries(client, url(meeting, "hold"))
    for i in range(4, 58):
        make_member(world.cell, f"Đảng viên {i:02d}", status=Member.Status.PROBATIONARY)
    holding.open_meeting(meeting, now=meeting.starts_at)
    assert meeting.roll.count() == 60
    assert count_queries(client, url(meeting, "hold")) == few
    assert few <= 14
