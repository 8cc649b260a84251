"""In a real browser on a 360 px phone: a member finds a resolution with the header's search box,
typing without marks, bookmarks it, studies it and sends her learning note and action plan; the
city sees its completion rise; her cell's secretary reads the note and returns it for
improvement, and she sees why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from chibo.conftest import sign_in
from chibo.library.models import Bookmark, LearningNote
from chibo.library.tests.library_data import shelved
from chibo.library.tests.study_data import launched

pytestmark = pytest.mark.browser


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def completion(page, campaign) -> str:
    page.goto(reverse("library:progress", args=[campaign.code]))
    return page.locator("main > p").nth(1).inner_text()


def test_a_member_finds_and_studies_a_resolution_and_the_secretary_returns_her_note(world, page):
    document = shelved(number="57-NQ/TW")
    shelved(number="36-NQ/TW", title="Nghị quyết về phát triển bền vững kinh tế biển")
    today = timezone.localdate()
    campaign = launched(world.city, today + timedelta(days=20), document=document, today=today)
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "cuong")
    before = completion(page, campaign)
    assert before.startswith("0 ")

    page.context.clear_cookies()
    sign_in(page, "mai")
    page.fill("#sitesearch", "nghi quyet 57")
    page.press("#sitesearch", "Enter")
    hits = page.locator("#found-document + ul.hits > li")
    expect(hits).to_have_count(1)
    expect(hits.locator("mark", has_text="Nghị")).to_have_count(1)  # marked without its marks typed
    fits(page)
    hits.locator("a").click()
    expect(page.locator("h1")).to_contain_text("đột phá phát triển khoa học")
    page.click("#bookmark button")
    expect(page.locator(".messages")).to_be_visible()
    assert Bookmark.objects.filter(document=document).exists()
    fits(page)
    page.click("#studies a")
    page.click("#studied")
    page.fill("textarea[name=note]", "Nắm vững năm quan điểm chỉ đạo của Nghị quyết 57")
    page.fill("textarea[name=action_plan]", "Hướng dẫn hai hộ dân dùng dịch vụ công trực tuyến")
    page.click("#note form[action$='/note/'] button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    fits(page)
    note = LearningNote.objects.get()
    assert note.status == LearningNote.Status.SUBMITTED

    page.context.clear_cookies()
    sign_in(page, "cuong")
    assert completion(page, campaign).startswith("1 ")
    fits(page)

    page.context.clear_cookies()
    sign_in(page, "son")
    page.goto(reverse("library:study_cell", args=[note.campaign.code, world.cell.code]))
    card = page.locator(f"#note-{note.code}")
    expect(card).to_contain_text("Nắm vững năm quan điểm chỉ đạo")
    card.locator("textarea[name=comment]").fill("Đề nghị liên hệ cụ thể với công việc của bản thân")
    card.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    fits(page)
    note.refresh_from_db()
    assert note.status == LearningNote.Status.RETURNED

    page.context.clear_cookies()
    sign_in(page, "mai")
    page.goto(reverse("library:study", args=[note.campaign.code]))
    expect(page.locator("#note .warning")).to_contain_text("liên hệ cụ thể")
