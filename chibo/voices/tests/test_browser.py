"""In a real browser on a 360 px phone: a member records a voice from her cell's page, the
secretary passes it up to the ward, the ward answers, and the member reads the answer; the
ward's monthly row counts it, and once the month is over the ward's dashboard shows it."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from chibo.conftest import sign_in
from chibo.lib.months import month_of
from chibo.quality.indicators import BY_KEY
from chibo.quality.models import MonthlyIndicators
from chibo.voices.models import Voice
from chibo.voices.tests.voices_data import NOW, standing

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("categories")]
VOICE = re.compile(r"/voices/[0-9a-f-]{36}/$")
SAID = "Cống thoát nước khu 3 bị tắc, mưa to là ngập đường vào trường."
# Early January: December, the month of the voice, is the dashboard's last complete month.
NEXT_MONTH = datetime(2027, 1, 5, 3, 0, tzinfo=UTC)


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def label(page, key: str) -> str:
    """The indicator's name in the language the page is drawn in."""
    with translation.override(page.locator("html").get_attribute("lang")):
        return str(BY_KEY[key].label)


def tile(page, key: str):
    """The figure of the dashboard's "last month" tile for the indicator."""
    named = page.locator("dt", has_text=re.compile(f"^{re.escape(label(page, key))}$"))
    return page.locator("dl.indicators > div", has=named).locator("dd")


def ranked(page, name: str, key: str) -> str:
    """The figure in the ranking of the committee's organisations, in `name`'s row and the
    indicator's column."""
    return page.evaluate(
        """([name, label]) => {
            const table = document.querySelector("#ranking table");
            const text = (cell) => cell.textContent.replace("▼", "").trim();
            const heads = [...table.tHead.rows[0].cells].map(text);
            const row = [...table.tBodies[0].rows].find((r) => text(r.cells[0]) === name);
            return text(row.cells[heads.indexOf(label)]);
        }""",
        [name, label(page, key)],
    )


def test_a_member_records_the_secretary_passes_it_up_and_the_ward_answers(
    world, page, time_machine
):
    # Mid-December, the clock running: the dashboard counts by month.
    time_machine.move_to(NOW)
    standing(world, world.ward, "Bùi Văn Hải", "hai")
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in(page, "mai")
    page.goto(reverse("orgs:organisation", args=[world.cell.code]))
    page.click(f"a[href='{reverse('voices:record', args=[world.cell.code])}']")
    page.fill("textarea[name=text]", SAID)
    page.select_option("select[name=category]", label="Đất đai, môi trường")
    page.fill("input[name=place]", "Khu 3")
    fits(page)
    page.click("main form button[type=submit]")
    page.wait_for_url(VOICE)
    expect(page.locator(".messages")).to_be_visible()
    voice = Voice.objects.get()
    assert voice.holder == world.cell

    page.context.clear_cookies()
    sign_in(page, "son")
    page.goto(reverse("voices:inbox", args=[world.cell.code]))
    page.click(f"a[href='{reverse('voices:voice', args=[voice.code])}']")
    page.fill("#pass_up textarea", "Cần phường đầu tư nạo vét cống.")
    page.click("#pass_up button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    voice.refresh_from_db()
    assert voice.holder == world.ward and voice.state == Voice.State.PASSED_UP

    page.context.clear_cookies()
    sign_in(page, "hai")
    page.goto(reverse("voices:inbox", args=[world.ward.code]))
    page.click(f"a[href='{reverse('voices:voice', args=[voice.code])}']")
    page.fill("#answer textarea", "Phường đã giao tổ công tác nạo vét trong tuần này.")
    page.click("#answer button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    fits(page)

    page.context.clear_cookies()
    sign_in(page, "mai")
    page.goto(reverse("voices:mine"))
    expect(page.locator("main")).to_contain_text("Phường đã giao tổ công tác nạo vét")
    expect(page.locator("main")).to_contain_text("Cần phường đầu tư nạo vét cống.")
    fits(page)
    row = MonthlyIndicators.objects.get(organisation=world.ward, month=month_of(timezone.now()))
    assert (row.voices_received, row.voices_answered, row.voices_passed_up) == (1, 1, 1)

    # The month over, the ward's dashboard counts it: received, answered the same day and so
    # in time, passed up by the cell, none left open beyond time; the cell's line says so too.
    time_machine.move_to(NEXT_MONTH)
    page.context.clear_cookies()
    sign_in(page, "hai")
    page.goto(reverse("quality:dashboard", args=[world.ward.code]))
    expect(page.locator("main h2").first).to_contain_text("12/2026")
    expect(tile(page, "voices_received")).to_have_text("1")
    expect(tile(page, "voices_on_time")).to_have_text("100%")
    expect(tile(page, "voices_answer_days")).to_have_text("1 d")
    expect(tile(page, "voices_passed_up")).to_have_text("1")
    expect(tile(page, "voices_overdue")).to_have_text("0")
    assert ranked(page, world.cell.name, "voices_received") == "1"
    assert ranked(page, world.cell.name, "voices_passed_up") == "1"
    assert ranked(page, world.sister_cell.name, "voices_received") == "0"
    fits(page)
