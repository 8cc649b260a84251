"""The roll of 40 members on a 360 px phone: two exceptions tapped in place, no page reload."""

import pytest

from chibo.conftest import make_member, sign_in
from chibo.meetings.models import Attendance
from chibo.meetings.tests.holding_data import member, opened, url

pytestmark = pytest.mark.browser
Presence = Attendance.Presence


def test_the_secretary_taps_two_exceptions_among_forty(world, page):
    for i in range(38):
        make_member(world.cell, f"Đảng viên Nguyễn Văn {i:02d}")
    meeting = opened(world.cell)
    absent, excused = member("Đảng viên Nguyễn Văn 07"), member("Đảng viên Nguyễn Văn 23")
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "son")
    page.goto(url(meeting, "hold"))
    page.evaluate("window.stayed = true")  # gone if the page reloads

    page.click(f"#roll-{absent.code} button[value=absent]")
    page.wait_for_selector(f"#roll-{absent.code} button[value=absent][aria-pressed=true]")
    page.click(f"#roll-{excused.code} summary")
    page.fill(f"#reason-{excused.code}", "Đi công tác")
    page.click(f"#roll-{excused.code} details button[type=submit]")
    page.wait_for_selector(f"#roll-{excused.code} details button:not(.secondary)")

    assert page.evaluate("window.stayed") is True
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.reload()
    assert page.evaluate("window.stayed") is None
    assert dict(
        meeting.roll.exclude(presence=Presence.PRESENT).values_list("member", "presence")
    ) == {
        absent.pk: Presence.ABSENT,
        excused.pk: Presence.EXCUSED,
    }
    summary = page.inner_text("#roll dl")
    assert "38" in summary and "Đi công tác" in summary and absent.full_name in summary
    # The summary's values take the width of the phone: names never break letter by letter.
    widths = page.eval_on_selector_all("#roll dl dd", "dds => dds.map(dd => dd.clientWidth)")
    assert min(widths) > 250
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
