"""Ready wording: the first draft of the minutes and the resolution, in the writer's language,
with nothing put in members' mouths."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from chibo.meetings import holding
from chibo.meetings.drafting import minutes_start
from chibo.meetings.models import Attendance, Step
from chibo.meetings.tests.holding_data import opened
from chibo.orgs.models import Member

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


def test_the_first_draft_of_the_minutes_fills_in_the_roll_and_leaves_the_talk_to_the_writer(
    world,
):
    meeting = opened(world.cell)
    mai, son = (Member.objects.get(full_name=name) for name in ("Nguyễn Thị Mai", "Trần Văn Sơn"))
    holding.choose_officers(meeting, mai, mai)
    holding.mark(meeting, meeting.roll.get(member=son), Attendance.Presence.ABSENT)
    items = {item.step: str(item.position) for item in meeting.agenda_items.all()}

    draft = minutes_start(meeting, list(meeting.agenda_items.all()))

    assert "Có mặt: 1 đảng viên" in draft[items[Step.OPENING]]  # in the default language
    assert "Trần Văn Sơn." in draft[items[Step.OPENING]]  # marked absent
    assert "Đồng chí Nguyễn Thị Mai chủ trì" in draft[items[Step.OPENING]]
    assert items[Step.SITUATION] not in draft and items[Step.DISCUSSION] not in draft


@pytest.mark.parametrize("language, words", [("vi", "chủ trì"), ("km", "ធ្វើជាអធិបតី")])
def test_the_pages_offer_it_in_the_secretarys_language(world, language, words):
    meeting = opened(world.cell)
    client = world.client("secretary")
    client.cookies["django_language"] = language

    minutes = client.get(reverse("meetings:minutes", args=[meeting.code]))
    resolution = client.get(reverse("meetings:resolution", args=[meeting.code]))

    assert words in minutes.content.decode()
    assert resolution.context["form"].initial["assignment"]
