"""On a 360 px phone, without a line of JavaScript of ours: the secretary takes two points of
the city's guidance up into next month's agenda, rewords one, and gives a reason for leaving a
required one out; the city sees it in its adoption table."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from chibo.conftest import sign_in
from chibo.guidance.models import Adoption
from chibo.guidance.tests.guidance_data import issued
from chibo.lib.months import month_of, next_month
from chibo.meetings.models import Meeting

pytestmark = pytest.mark.browser

STUDY = "Học tập Nghị quyết 57-NQ/TW về đột phá khoa học, công nghệ"
CLEAN = "Ra quân tổng vệ sinh môi trường khu dân cư"
CAMPAIGN = "Hưởng ứng Tháng hành động vì an toàn thực phẩm"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def point_card(page, title: str):
    return page.locator("section.card", has=page.locator("h3", has_text=title))


def test_a_secretary_adopts_guidance_on_a_phone_and_the_city_sees_it(world, page):
    month = next_month(month_of(timezone.localdate()))
    guidance = issued(
        world.city, month=month, points=((STUDY, True), (CLEAN, False), (CAMPAIGN, True))
    )
    starts = timezone.make_aware(datetime.combine(month + timedelta(days=7), time(19, 30)))
    meeting = Meeting.objects.create(
        cell=world.cell, kind=Meeting.Kind.REGULAR, starts_at=starts, place="Nhà văn hóa khu 1"
    )
    meeting.add_official_agenda()
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in(page, "son")
    page.goto(reverse("meetings:agenda", args=[meeting.code]))
    page.click("#guidance a")
    page.wait_for_url("**/guidance/meetings/**")
    assert fits_the_phone(page)
    expect(point_card(page, STUDY)).to_contain_text(world.city.name)

    # One tap, then the cell's own words on the item's page.
    point_card(page, STUDY).get_by_role("button").first.click()
    page.wait_for_url("**/agenda/*/")
    assert fits_the_phone(page)
    page.fill("input[name=title]", "Học tập 57-NQ/TW gắn với chuyển đổi số ở khu 1")
    page.click("main form button[type=submit]")
    page.goto(reverse("guidance:meeting", args=[meeting.code]))
    point_card(page, CLEAN).get_by_role("button").first.click()
    page.wait_for_url("**/agenda/*/")
    page.goto(reverse("guidance:meeting", args=[meeting.code]))

    campaign = point_card(page, CAMPAIGN)
    campaign.locator("summary").click()
    campaign.locator("input[name=reason]").fill("Khu 1 đã tổ chức trong tháng trước")
    campaign.locator("details button").click()
    page.wait_for_load_state()
    expect(point_card(page, CAMPAIGN)).to_contain_text("Khu 1 đã tổ chức trong tháng trước")
    assert fits_the_phone(page)

    decided = {a.point.title: a for a in Adoption.objects.select_related("point", "item")}
    assert decided[STUDY].item.title == "Học tập 57-NQ/TW gắn với chuyển đổi số ở khu 1"
    assert decided[CLEAN].item.title == CLEAN
    assert decided[CAMPAIGN].item is None

    page.context.clear_cookies()
    sign_in(page, "cuong")
    page.goto(reverse("guidance:adoption", args=[guidance.code]))
    expect(page.locator("main")).to_contain_text("Khu 1 đã tổ chức trong tháng trước")
    expect(page.locator("main")).to_contain_text(world.ward.name)
    assert fits_the_phone(page)
