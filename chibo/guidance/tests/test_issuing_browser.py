"""In a real browser: the city writes and publishes a month's guidance through its pages, a ward
passes it on with a point of its own, and the cell's secretary finds both, each point with the
committee it came from."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from chibo.conftest import make_member, make_user, sign_in
from chibo.guidance.cascade import addressed_to
from chibo.guidance.models import Guidance
from chibo.lib.months import month_of, next_month
from chibo.orgs.models import Position

pytestmark = pytest.mark.browser
DRAFT = re.compile(r"/guidance/[0-9a-f-]{36}/")


def standing(world, organisation, name: str, username: str) -> None:
    """A member of the sister cell on the organisation's standing committee."""
    member = make_member(world.sister_cell, name)
    Position.objects.create(
        member=member,
        organisation=organisation,
        kind=Position.Kind.STANDING,
        started_on=date(2020, 1, 1),
    )
    make_user(member, username)


def add_point(page, kind: str, title: str, required: bool) -> None:
    page.select_option("#add select[name=kind]", kind)
    if required:
        page.check("#add input[name=required]")
    page.fill("#add input[name=title]", title)
    page.click("#add button[type=submit]")
    expect(page.locator("main")).to_contain_text(title)


def test_the_city_issues_a_ward_passes_it_on_and_the_cell_sees_both(world, page):
    standing(world, world.city, "Đỗ Thị Lan", "lan")
    standing(world, world.ward, "Bùi Văn Hải", "hai")
    month = next_month(month_of(timezone.localdate()))
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in(page, "lan")
    page.goto(reverse("orgs:organisation", args=[world.city.code]))
    page.click(f"a[href='{reverse('guidance:committee', args=[world.city.code])}']")
    page.click(f"a[href='{reverse('guidance:new', args=[world.city.code])}']")
    page.fill("input[name=title]", "Hướng dẫn sinh hoạt chi bộ tháng tới")
    page.fill("input[name=month]", f"{month:%Y-%m}")
    page.click("main form button[type=submit]")
    page.wait_for_url(DRAFT)
    add_point(page, "study", "Học tập Nghị quyết 57-NQ/TW", required=True)
    add_point(page, "task", "Phòng chống thiên tai mùa mưa bão", required=False)
    page.click("form[action$='/publish/'] button")
    expect(page.locator(".messages")).to_be_visible()
    city = Guidance.objects.get(committee=world.city)
    assert city.status == Guidance.Status.PUBLISHED

    page.context.clear_cookies()
    sign_in(page, "hai")
    page.goto(reverse("guidance:committee", args=[world.ward.code]))
    page.click("form[action*='/pass-on/'] button")
    page.wait_for_url(DRAFT)
    add_point(page, "task", "Ra quân vệ sinh môi trường khu dân cư", required=True)
    page.click("form[action$='/publish/'] button")
    expect(page.locator(".messages")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    merged = [(a.committee, a.point.title) for a in addressed_to(world.cell, month)]
    assert merged == [
        (world.city, "Học tập Nghị quyết 57-NQ/TW"),
        (world.city, "Phòng chống thiên tai mùa mưa bão"),
        (world.ward, "Ra quân vệ sinh môi trường khu dân cư"),
    ]
