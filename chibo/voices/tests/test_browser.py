"""In a real browser on a 360 px phone: a member records a voice from her cell's page, the
secretary passes it up to the ward, the ward answers, and the member reads the answer; the
ward's monthly row counts it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from chibo.conftest import sign_in
from chibo.lib.months import month_of
from chibo.quality.models import MonthlyIndicators
from chibo.voices.models import Voice
from chibo.voices.tests.voices_data import standing

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("categories")]
VOICE = re.compile(r"/voices/[0-9a-f-]{36}/$")
SAID = "Cống thoát nước khu 3 bị tắc, mưa to là ngập đường vào trường."


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_member_records_the_secretary_passes_it_up_and_the_ward_answers(world, page):
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
