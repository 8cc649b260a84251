"""Who prepares a meeting and who presides over it (rule 4; issue 10, item 2).

A member of the cell committee prepares the agenda and its documents; opening and closing the
meeting, approving the minutes, adopting the resolution and publishing the records stay with
the secretary, or with the deputy while the secretary is away, which is recorded."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chibo.conftest import make_member, make_user, signed_in
from chibo.meetings import holding
from chibo.meetings.models import Answer, Attendance, Meeting, Minutes
from chibo.meetings.tests.holding_data import (
    ENGLISH,
    draft,
    member,
    messages_in,
    opened,
    passed_vote,
    present,
    soon,
    url,
)
from chibo.meetings.tests.test_attending import plan
from chibo.orgs.models import Member, Organisation, Position

MAI, SON = "Nguyễn Thị Mai", "Trần Văn Sơn"


def seat(person: Member, cell: Organisation, kind: str = Position.Kind.CELL_COMMITTEE) -> None:
    Position.objects.create(
        member=person, organisation=cell, kind=kind, started_on=date(2020, 1, 1)
    )


def deputy(world) -> Client:
    """The cell's deputy secretary, signed in."""
    person = make_member(world.cell, "Đỗ Thị Phó")
    seat(person, world.cell, Position.Kind.DEPUTY)
    return signed_in(make_user(person, "pho"))


def test_it_refuses_a_plain_member_as_preparer(world):
    data = {
        "kind": "regular",
        "date": (date.today() + timedelta(days=20)).isoformat(),
        "time": "19:30",
        "planned_minutes": 90,
        "place": "Nhà văn hóa",
        "preparer": str(member(MAI).code),
    }
    target = reverse("meetings:plan", args=[world.cell.code])
    response = world.client("secretary").post(target, data, headers=ENGLISH)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_gives_no_rights_to_a_preparer_off_the_cell_committee(world):
    """A preparer named before the rule, or who has since left the committee, prepares nothing."""
    meeting = plan(world.cell, status=Meeting.Status.DRAFT, preparer=member(MAI))
    assert world.client("member").get(url(meeting, "agenda")).status_code == 403


def test_it_lets_the_preparer_prepare_and_nothing_more(world):
    seat(member(MAI), world.cell)
    meeting = plan(world.cell, days=0, preparer=member(MAI))
    client = world.client("member")
    assert client.get(url(meeting, "agenda")).status_code == 200
    page = client.get(url(meeting, "meeting")).content.decode()
    assert url(meeting, "publish") not in page and url(meeting, "hold") not in page
    for name in ("publish", "open", "close", "minutes_approve", "resolution_adopt"):
        assert client.post(url(meeting, name)).status_code == 403, name
    assert client.post(url(meeting, "publish_records")).status_code == 403
    assert client.get(url(meeting, "hold")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and not meeting.roll.exists()


def test_it_keeps_the_records_from_the_preparer(world):
    seat(member(MAI), world.cell)
    meeting = opened(world.cell, preparer=member(MAI))
    minutes = Minutes.objects.create(meeting=meeting, sections={"1": "Chi bộ thống nhất"})
    resolution = draft(meeting, ("Thu đảng phí", SON, soon()))
    passed_vote(meeting)
    client = world.client("member")
    assert client.post(url(meeting, "minutes_approve")).status_code == 403
    assert client.post(url(meeting, "resolution_adopt")).status_code == 403
    assert client.post(url(meeting, "close")).status_code == 403
    minutes.refresh_from_db(), resolution.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and resolution.status == "draft"


def test_it_keeps_presiding_from_the_deputy_while_the_secretary_is_there(world):
    client = deputy(world)
    meeting = plan(world.cell, days=0.05)  # an hour from now: the secretary may yet open it
    assert client.post(url(meeting, "open")).status_code == 403
    assert url(meeting, "open") not in client.get(url(meeting, "hold")).content.decode()
    meeting = opened(world.cell, days=0.1)
    present(meeting, SON)
    Minutes.objects.create(meeting=meeting, sections={"1": "Chi bộ thống nhất"})
    assert client.post(url(meeting, "minutes_approve")).status_code == 403


def test_it_lets_the_deputy_open_in_the_absent_secretarys_stead_and_records_it(world):
    client = deputy(world)
    meeting = plan(world.cell, days=0.05)
    Answer.objects.create(meeting=meeting, member=member(SON), choice="absent", reason="Ốm")
    response = client.post(url(meeting, "open"), follow=True, headers=ENGLISH)
    assert "The meeting is open." in messages_in(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.OPEN
    assert meeting.stand_in.full_name == "Đỗ Thị Phó"
    page = client.get(url(meeting, "hold"), headers=ENGLISH).content.decode()
    assert "Đỗ Thị Phó acted in the secretary’s stead." in page


def test_it_lets_the_deputy_approve_when_the_secretary_is_not_on_the_roll(world):
    client = deputy(world)
    meeting = opened(world.cell, days=-0.01)
    # Everyone starts present: the deputy takes the chair, then marks the secretary absent.
    pho = Member.objects.get(full_name="Đỗ Thị Phó")
    holding.choose_officers(meeting, pho, pho)
    secretary = meeting.roll.get(member=world.secretary.member)
    holding.mark(meeting, secretary, Attendance.Presence.ABSENT)
    minutes = Minutes.objects.create(meeting=meeting, sections={"1": "Chi bộ thống nhất"})
    client.post(url(meeting, "minutes_approve"))
    minutes.refresh_from_db(), meeting.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert meeting.stand_in.full_name == "Đỗ Thị Phó"


def test_it_lets_the_secretary_preside_unrecorded(world):
    meeting = opened(world.cell, days=0.01)
    minutes = Minutes.objects.create(meeting=meeting, sections={"1": "Chi bộ thống nhất"})
    world.client("secretary").post(url(meeting, "minutes_approve"))
    minutes.refresh_from_db(), meeting.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and meeting.stand_in is None


@pytest.mark.parametrize("hours", [-3, 25, 45 * 24, -365 * 24])
def test_it_opens_a_meeting_only_around_its_start(world, hours):
    """From two hours before its start to a day after (CHIBO_OPEN_WINDOW), never weeks away."""
    meeting = plan(world.cell, days=30)
    with time_machine.travel(meeting.starts_at + timedelta(hours=hours), tick=False):
        response = world.client("secretary").post(
            url(meeting, "open"), follow=True, headers=ENGLISH
        )
    assert "A meeting opens between" in messages_in(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and not meeting.roll.exists()


@pytest.mark.parametrize("hours", [-2, 0, 24])
def test_it_opens_at_the_edges_of_the_window(world, hours):
    meeting = plan(world.cell, days=30)
    holding.open_meeting(meeting, now=meeting.starts_at + timedelta(hours=hours))
    assert meeting.status == Meeting.Status.OPEN


def test_it_follows_the_window_of_the_settings(world, settings):
    settings.CHIBO_OPEN_WINDOW = {"before": 0, "after": 1}
    meeting = plan(world.cell, days=30)
    with pytest.raises(ValidationError) as refused:
        holding.open_meeting(meeting, now=meeting.starts_at - timedelta(minutes=1))
    assert refused.value.code == "window"
    holding.open_meeting(meeting, now=meeting.starts_at + timedelta(minutes=59))


def test_it_approves_no_minutes_before_the_meeting_opened(world):
    meeting = plan(world.cell, days=45)
    Minutes.objects.create(meeting=meeting, sections={"1": "Viết trước"})
    response = world.client("secretary").post(
        url(meeting, "minutes_approve"), follow=True, headers=ENGLISH
    )
    assert "Minutes are approved once the meeting has opened." in messages_in(response)
    assert meeting.minutes.get().status == Minutes.Status.DRAFT
    response = world.client("secretary").post(url(meeting, "close"), follow=True, headers=ENGLISH)
    assert "The meeting is not in progress." in messages_in(response)
