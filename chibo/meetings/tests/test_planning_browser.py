"""The secretary prepares a meeting on a phone: plan, official agenda, move, add, attach."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from chibo.conftest import sign_in
from chibo.meetings.models import REGULAR_STEPS, Document, Meeting
from chibo.meetings.tests.test_planning import PLACE, future

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VIETNAMESE = "Tình hình an ninh trật tự khu dân cư"
KHMER = "ការរៀបចំពិធីបុណ្យភូមិ និងសន្តិសុខ"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def add_item(page, title: str) -> None:
    page.fill("#add input[name=title]", title)
    page.click("#add button[type=submit]")
    page.wait_for_load_state()


def test_the_secretary_prepares_a_meeting_on_a_phone(world, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    start = future(days=10)
    sign_in(page, "son")
    page.goto(reverse("meetings:plan", args=[world.cell.code]))
    assert fits_the_phone(page)
    page.check("input[name=kind][value=regular]")
    page.fill("input[name=date]", start.date().isoformat())
    page.fill("input[name=time]", "19:30")
    page.fill("input[name=place]", PLACE)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/agenda/")

    meeting = Meeting.objects.get(cell=world.cell)
    assert meeting.starts_at == start
    with translation.override("vi"):
        official = [str(step.label) for step in REGULAR_STEPS]
    expect(page.locator("#agenda li.card h3")).to_have_text(official)
    assert fits_the_phone(page)

    # htmx swaps the list in place, with the confirmation inside it.
    page.click("#item-1 button[name=down]")
    expect(page.locator("#agenda .messages")).to_be_visible()
    expect(page.locator("#item-1 h3")).to_have_text(official[1])
    expect(page.locator("#item-2 h3")).to_have_text(official[0])

    add_item(page, VIETNAMESE)
    add_item(page, KHMER)
    count = len(official) + 2
    expect(page.locator(f"#item-{count - 1} h3")).to_have_text(VIETNAMESE)
    expect(page.locator(f"#item-{count} h3")).to_have_text(KHMER)

    page.click(f"#item-{count - 1} summary")
    page.set_input_files(
        f"#item-{count - 1} input[type=file]",
        files=[{"name": "Kế hoạch.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click(f"#item-{count - 1} details button[type=submit]")
    expect(page.locator(f"#item-{count - 1} .documents a")).to_have_text("Kế hoạch.pdf")
    document = Document.objects.get()
    assert (document.item.title, document.sha256) == (VIETNAMESE, hashlib.sha256(PDF).hexdigest())
    assert fits_the_phone(page)
