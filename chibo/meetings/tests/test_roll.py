"""The roll on a phone: everyone expected present, the exceptions tapped in place (htmx or a
plain form), the chair and the minute-taker chosen from those present and named in the minutes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.audit.models import Action, Entry
from chibo.conftest import make_member
from chibo.meetings import holding, quorum
from chibo.meetings.drafting import minutes_start
from chibo.meetings.models import Answer, Attendance, Meeting, Minutes, Step
from chibo.meetings.tests.holding_data import ENGLISH, member, messages_in, opened, roll_line, url
from chibo.meetings.tests.test_attending import plan
from chibo.meetings.tests.test_pdf import text_of
from chibo.orgs.models import Member

Presence = Attendance.Presence
MAI, SON = "Nguyễn Thị Mai", "Trần Văn Sơn"  # a member, and the cell's secretary
HTMX = {"HX-Request": "true", **ENGLISH}


@pytest.fixture
def meeting(world) -> Meeting:
    return opened(world.cell)


def presences(meeting: Meeting) -> dict[str, str]:
    return dict(meeting.roll.values_list("member__full_name", "presence"))


# The process


def test_the_roll_starts_with_everyone_expected_present(world):
    meeting = plan(world.cell, days=0)
    make_member(world.cell, "Vũ Thị Hoa", status=Member.Status.EXEMPT)
    make_member(world.cell, "Lý Văn Nam", status=Member.Status.PROBATIONARY)
    Answer.objects.create(meeting=meeting, member=member(MAI), choice="absent", reason="Ốm")
    holding.open_meeting(meeting, now=meeting.starts_at)
    assert presences(meeting) == {
        MAI: Presence.EXCUSED,
        SON: Presence.PRESENT,
        "Lý Văn Nam": Presence.PRESENT,
        "Vũ Thị Hoa": Presence.ABSENT,  # no duty to attend: not counted absent
    }
    roll = holding.roll_of(meeting)
    assert [line.member.full_name for line in roll.absent] == []
    assert roll.count == quorum.count(
        quorum.Line(line.standing, line.presence) for line in meeting.roll.all()
    )
    assert roll.count.voters_present == 1  # the secretary; the probationary do not vote
    meeting.refresh_from_db()
    assert meeting.chair == member(SON) and meeting.minute_taker is None
    assert not meeting.secretary_away()  # the secretary presides: present on the roll


def test_the_secretary_marks_only_the_exceptions(world, meeting):
    holding.mark(meeting, roll_line(meeting, MAI), Presence.EXCUSED, "Công tác")
    assert presences(meeting) == {MAI: Presence.EXCUSED, SON: Presence.PRESENT}
    holding.mark(meeting, roll_line(meeting, MAI), Presence.ABSENT)
    assert [line.member.full_name for line in holding.roll_of(meeting).absent] == [MAI]


def test_the_chair_and_the_minute_taker_are_present(world, meeting):
    holding.choose_officers(meeting, member(SON), member(MAI))
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.minute_taker) == (member(SON), member(MAI))
    with pytest.raises(ValidationError, match="đang làm thư ký"):
        holding.mark(meeting, roll_line(meeting, MAI), Presence.ABSENT)
    assert roll_line(meeting, MAI).presence == Presence.PRESENT

    holding.choose_officers(meeting, member(SON), member(SON))
    holding.mark(meeting, roll_line(meeting, MAI), Presence.ABSENT)
    with pytest.raises(ValidationError, match=f"{MAI} không có mặt"):
        holding.choose_officers(meeting, member(SON), member(MAI))
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.minute_taker) == (member(SON), member(SON))


def test_approved_minutes_keep_their_chair_and_minute_taker(world, meeting):
    holding.choose_officers(meeting, member(SON), member(MAI))
    holding.approve_minutes(Minutes.objects.create(meeting=meeting, sections={"1": "Có"}))
    with pytest.raises(ValidationError, match="Biên bản đã được thông qua"):
        holding.choose_officers(meeting, member(MAI), member(SON))
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.minute_taker) == (member(SON), member(MAI))


def test_the_minutes_name_the_chair_and_the_minute_taker(world, meeting):
    holding.choose_officers(meeting, member(SON), member(MAI))
    items = list(meeting.agenda_items.all())
    opening = next(str(item.position) for item in items if item.step == Step.OPENING)
    draft = minutes_start(meeting, items)[opening]
    assert f"Đồng chí {SON} chủ trì; đồng chí {MAI} làm thư ký." in draft
    # Written by someone else: the minute-taker chosen is who the PDF names.
    minutes = Minutes.objects.create(meeting=meeting, sections={opening: draft})
    response = world.client("secretary").get(url(meeting, "minutes_pdf", minutes.version))
    text = text_of(response.content)
    assert f"Chủ trì: {SON}" in text and f"Thư ký: {MAI}" in text
    assert "CHỦ TRÌ" in text and "THƯ KÝ" in text and "BÍ THƯ" not in text
    assert "vắng không có lý do: không có" in text  # the chair is no longer "absent"


def test_an_htmx_tap_costs_a_few_queries(world):
    for i in range(38):
        make_member(world.cell, f"Đảng viên {i:02d}")
    meeting = opened(world.cell)
    client = world.client("secretary")
    target = url(meeting, "mark", member(MAI).code)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(target, {"presence": "absent"}, headers=HTMX)
    assert response.status_code == 200
    # The user and their second factor, the meeting, the line; lock and read the meeting's
    # officers, the update; the audit chain's last link and the new one (after its lock on
    # PostgreSQL). However large the cell.
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == (9 if connection.vendor == "postgresql" else 8), statements


# The pages


def test_htmx_gets_the_line_alone(world, meeting):
    client = world.client("secretary")
    code = member(MAI).code
    response = client.post(
        url(meeting, "mark", code), {"presence": "excused", "reason": "Đi viện"}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith(f'<li id="roll-{code}">')
    assert "<html" not in body and "Đi viện" in body
    assert (roll_line(meeting, MAI).presence, roll_line(meeting, MAI).reason) == (
        Presence.EXCUSED,
        "Đi viện",
    )
    entry = Entry.objects.filter(action=Action.ROLL_CHANGED).latest("number")
    assert entry.detail == {"member": member(MAI).pk, "presence": Presence.EXCUSED}


def test_a_plain_form_marks_and_goes_back_to_the_line(world, meeting):
    code = member(MAI).code
    response = world.client("secretary").post(url(meeting, "mark", code), {"presence": "absent"})
    assert response.status_code == 302
    assert response["Location"] == f"{url(meeting, 'hold')}#roll-{code}"
    assert roll_line(meeting, MAI).presence == Presence.ABSENT


@pytest.mark.parametrize("headers", [HTMX, ENGLISH], ids=["htmx", "plain"])
def test_a_bad_presence_is_refused_in_words(world, meeting, headers):
    client = world.client("secretary")
    target = url(meeting, "mark", member(MAI).code)
    response = client.post(target, {"presence": "late"}, headers=headers, follow=True)
    assert "Select a valid choice" in response.content.decode()
    assert roll_line(meeting, MAI).presence == Presence.PRESENT
    vietnamese = client.post(
        target, {"presence": "excused"}, headers={"HX-Request": "true", "Accept-Language": "vi"}
    )
    assert "Nhập lý do vắng mặt." in vietnamese.content.decode()
    assert roll_line(meeting, MAI).presence == Presence.PRESENT


@pytest.mark.parametrize("name", ["Hoàng Thị Oanh", "Lê Văn Vũ"], ids=["stranger", "other-cell"])
def test_a_member_not_on_this_roll_is_not_found(world, meeting, name):
    target = url(meeting, "mark", member(name).code)
    response = world.client("secretary").post(target, {"presence": "absent"}, headers=HTMX)
    assert response.status_code == 404
    assert not meeting.roll.filter(member__full_name=name).exists()


def test_the_secretary_chooses_the_chair_and_the_minute_taker(world, meeting):
    client = world.client("secretary")
    page = client.get(url(meeting, "hold"), headers=ENGLISH).content.decode()
    assert 'name="minute_taker"' in page
    codes = {"chair": member(SON).code, "minute_taker": member(MAI).code}
    response = client.post(url(meeting, "officers"), codes, follow=True, headers=ENGLISH)
    assert "The chair and the minute-taker are saved." in messages_in(response)
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.minute_taker) == (member(SON), member(MAI))
    entry = Entry.objects.filter(action=Action.ROLL_CHANGED).latest("number")
    assert entry.detail == {"chair": member(SON).pk, "minute_taker": member(MAI).pk}


@pytest.mark.parametrize("who", [MAI, "Lê Văn Vũ", None], ids=["absent", "other-cell", "unknown"])
def test_only_a_member_present_may_chair(world, meeting, who):
    holding.mark(meeting, roll_line(meeting, MAI), Presence.ABSENT)
    chair = member(who).code if who else "00000000-0000-0000-0000-000000000000"
    data = {"chair": chair, "minute_taker": member(SON).code}
    response = world.client("secretary").post(
        url(meeting, "officers"), data, follow=True, headers={"Accept-Language": "vi"}
    )
    assert "Hãy chọn một đảng viên có mặt trong danh sách điểm danh." in messages_in(response)
    meeting.refresh_from_db()
    assert (meeting.chair, meeting.minute_taker) == (member(SON), None)
    assert not Entry.objects.filter(action=Action.ROLL_CHANGED).exists()


def test_only_those_who_hold_the_meeting_choose(world, meeting):
    data = {"chair": member(MAI).code, "minute_taker": member(MAI).code}
    assert world.client("member").post(url(meeting, "officers"), data).status_code == 403
    meeting.refresh_from_db()
    assert meeting.minute_taker is None
