"""The secretary holds a meeting on a phone: the roll, a vote, the minutes in two scripts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chibo.conftest import sign_in
from chibo.meetings.models import Attendance, Meeting, Minutes, Vote
from chibo.orgs.models import Member

pytestmark = pytest.mark.browser

VIETNAMESE = "Chi bộ thống nhất"
KHMER = "កោសិកាបក្សឯកភាព"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_secretary_holds_a_meeting_on_a_phone(world, page):
    meeting = Meeting.objects.create(
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        starts_at=timezone.now() + timedelta(minutes=5),
        place="Nhà văn hóa khu 1",
        status=Meeting.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=3),
    )
    meeting.add_official_agenda()
    mai, son = (Member.objects.get(user=user) for user in (world.member, world.secretary))
    sign_in(page, "son")

    page.goto(f"/meetings/{meeting.code}/hold/")
    page.click("form[action$='/open/'] button")
    page.wait_for_selector("svg.qr")
    assert fits_the_phone(page)

    page.click(f"#roll-{mai.code} button[value=present]")
    page.wait_for_selector(f"#roll-{mai.code} button[value=present][aria-pressed=true]")
    page.click(f"#roll-{son.code} button[value=present]")
    page.wait_for_selector(f"#roll-{son.code} button[value=present][aria-pressed=true]")
    assert set(meeting.roll.values_list("presence", flat=True)) == {Attendance.Presence.PRESENT}

    page.fill("input[name=votes_for]", "2")
    page.fill("input[name=votes_against]", "0")
    page.fill("input[name=abstentions]", "0")
    page.click("form[action$='/vote/'] button")
    page.wait_for_selector("#votes td")
    assert Vote.objects.get().passed
    assert fits_the_phone(page)

    page.click(f"a[href='/meetings/{meeting.code}/minutes/']")
    page.fill("textarea[name='3']", f"Đồng chí Mai phát biểu. {VIETNAMESE}.\n{KHMER}")
    page.click("main form:not([action]) button[type=submit]")
    page.wait_for_selector("form[action$='/minutes/approve/']")
    assert fits_the_phone(page)
    page.click("form[action$='/minutes/approve/'] button")
    page.wait_for_selector("form[action$='/minutes/correct/']")

    minutes = Minutes.objects.get()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.sections["3"] == f"Đồng chí Mai phát biểu. {VIETNAMESE}.\n{KHMER}"
    body = page.inner_text("main")
    assert VIETNAMESE in body and KHMER in body
    assert fits_the_phone(page)
