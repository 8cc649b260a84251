"""A cell's decisions on the guidance addressed to it, and the indicator they make."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import translation

from chibo.guidance import adopting, issuing
from chibo.guidance.cascade import addressed_to
from chibo.guidance.models import Adoption
from chibo.guidance.tasks import fan_out
from chibo.guidance.tests.guidance_data import JANUARY, issued
from chibo.meetings import holding
from chibo.meetings.models import Meeting
from chibo.meetings.tests.test_attending import plan
from chibo.notify.models import Notification
from chibo.quality import rollup
from chibo.quality.models import MonthlyIndicators
from chibo.quality.risks import cells_at_risk
from chibo.quality.tests.history import held

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


@pytest.fixture
def january(world):
    """The city's January guidance, one required point and one suggested, and the cell's
    January meeting being planned."""
    guidance = issued(
        world.city, points=(("Học tập 57-NQ/TW", True), ("Vệ sinh môi trường", False))
    )
    meeting = plan(world.cell, days=24)  # 8 January
    return guidance, meeting


def test_adopting_puts_the_point_on_the_agenda_in_the_cells_words(world, january):
    guidance, meeting = january
    required, suggested = guidance.points.all()

    adoption = adopting.adopt(meeting, required, by=None, title="Học tập 57 gắn với chuyển đổi số")

    assert adoption.item.meeting == meeting
    assert adoption.item.title == "Học tập 57 gắn với chuyển đổi số"
    found = {a.point.title: a.adoption for a in addressed_to(world.cell, JANUARY)}
    assert found == {"Học tập 57-NQ/TW": adoption, "Vệ sinh môi trường": None}
    with pytest.raises(issuing.GuidanceError):
        adopting.adopt(meeting, required, by=None)  # once is enough


def test_leaving_a_point_out_needs_a_reason_and_adopting_it_later_replaces_it(world, january):
    guidance, meeting = january
    required = guidance.points.first()

    with pytest.raises(issuing.GuidanceError):
        adopting.leave_out(meeting, required, by=None, reason="   ")
    assert not Adoption.objects.exists()

    adopting.leave_out(meeting, required, by=None, reason="Đã học tháng trước")
    adopting.adopt(meeting, required, by=None)

    assert Adoption.objects.get().reason == ""
    assert meeting.agenda_items.filter(title="Học tập 57-NQ/TW").exists()


def test_a_point_not_addressed_to_the_cell_cannot_be_adopted(world, january):
    other = issued(world.other_city)
    meeting = january[1]
    before = meeting.agenda_items.count()

    with pytest.raises(issuing.GuidanceError):
        adopting.adopt(meeting, other.points.get(), by=None)

    assert meeting.agenda_items.count() == before
    assert not Adoption.objects.exists()


def test_removing_the_item_opens_the_point_again(world, january):
    guidance, meeting = january
    adoption = adopting.adopt(meeting, guidance.points.first(), by=None)

    adoption.item.remove()

    assert not Adoption.objects.exists()


def test_publishing_tells_the_cells_leaders_and_a_correction_tells_those_who_adopted(
    world, january, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    guidance, meeting = january
    told = Notification.objects.filter(kind=Notification.Kind.GUIDANCE, guidance=guidance)
    # The leaders of the city's cells hear of the city's guidance (published before the
    # setting took effect: the fan-out is safe to run again).
    fan_out.call(guidance.pk, None)
    assert {n.recipient for n in told} == {world.secretary}

    adopting.adopt(meeting, guidance.points.first(), by=None)
    draft = issuing.correct(guidance, by=None)
    point = draft.points.first()
    point.body = "Thêm: liên hệ thực tế địa phương"
    point.save()
    draft.correction = "Thêm phần liên hệ thực tế"
    draft.save(update_fields=["correction"])
    with django_capture_on_commit_callbacks(execute=True):
        issuing.publish(draft, by=None)

    changed = Notification.objects.get(kind=Notification.Kind.GUIDANCE_CHANGED)
    assert (changed.recipient, changed.guidance) == (world.secretary, draft)


def test_required_points_taken_up_in_a_held_meeting_count_and_two_months_left_out_warn(world):
    with time_machine.travel(datetime(2026, 9, 20, 3, 0, tzinfo=UTC), tick=False):
        october_guidance = issued(world.ward, date(2026, 10, 1), (("Tháng 10", True),))
        issued(world.ward, date(2026, 11, 1), (("Tháng 11a", True), ("b", True)))
    # The cell takes October's point up in a meeting it holds; its sister cell leaves both
    # months' points out.
    october = held(world.cell, date(2026, 10, 8), [], close=False)
    october.status = Meeting.Status.PUBLISHED
    adopting.adopt(october, october_guidance.points.get(), by=None)
    october.status = Meeting.Status.OPEN
    october.save()
    holding.close_meeting(october)
    held(world.sister_cell, date(2026, 10, 9), [])
    held(world.sister_cell, date(2026, 11, 9), [])
    rollup.rebuild()

    def row(cell, month):
        found = MonthlyIndicators.objects.get(organisation=cell, month=month)
        return found.guidance_required, found.guidance_adopted

    assert row(world.cell, date(2026, 10, 1)) == (1, 1)
    assert row(world.sister_cell, date(2026, 10, 1)) == (1, 0)
    assert row(world.sister_cell, date(2026, 11, 1)) == (2, 0)
    assert row(world.ward, date(2026, 11, 1)) == (4, 0)

    recent = [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    with translation.override("en"):
        at_risk = cells_at_risk(world.ward, recent, date(2026, 12, 15))
    risks = {r.cell_id: r.reasons for r in at_risk}
    assert "Required guidance left out 2 months running (3 points)" in risks[world.sister_cell.pk]
    assert not any("guidance" in reason for reason in risks.get(world.cell.pk, []))


def test_a_point_on_a_cancelled_meetings_agenda_can_be_taken_up_again(world, january):
    guidance, meeting = january
    required = guidance.points.first()
    adopting.adopt(meeting, required, by=None)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    again = plan(world.cell, days=25)

    adoption = adopting.adopt(again, required, by=None)

    assert adoption.meeting == again
    assert Adoption.objects.get().item.meeting == again
