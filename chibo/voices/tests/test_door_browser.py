"""In a real browser on a 360 px phone: a citizen opens a cell's public door (where its QR code
leads), switches to Khmer, leaves a voice and keeps the tracking code; the secretary accepts it
from the cell's inbox and answers it; the citizen opens the tracking page with the code and
reads the answer in Khmer."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from chibo.conftest import sign_in
from chibo.voices.models import Voice

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("categories")]
VOICE = re.compile(r"/voices/[0-9a-f-]{36}/$")
SAID = "ផ្លូវចូលភូមិលិចទឹករាល់ពេលភ្លៀងធ្លាក់ខ្លាំង សូមជួយដោះស្រាយ។"
ANSWERED = "កោសិកាបានស្នើឱ្យសង្កាត់សម្អាតលូក្នុងសប្តាហ៍នេះ។"


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def khmer(page) -> None:
    page.click(".door-languages button[value=km]")
    expect(page.locator("html")).to_have_attribute("lang", "km")


def test_a_citizen_leaves_a_voice_in_khmer_and_reads_the_answer(world, page):
    page.set_viewport_size({"width": 360, "height": 740})
    door = reverse("voices:door", args=[world.cell.code])

    page.goto(door)
    khmer(page)
    expect(page.locator("main h1")).to_have_text("ផ្ញើគំនិត")
    page.select_option("select[name=category]", label="ដីធ្លី និងបរិស្ថាន")
    page.fill("textarea[name=text]", SAID)
    page.fill("input[name=place]", "ភូមិលិច")
    fits(page)
    page.click("form.door button[type=submit]")
    page.wait_for_url(f"**{reverse('voices:door_thanks', args=[world.cell.code])}")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}", code)
    fits(page)
    voice = Voice.everything.get()
    assert (voice.text, voice.moderation) == (SAID, Voice.Moderation.WAITING)

    page.context.clear_cookies()
    sign_in(page, "son")
    page.goto(reverse("voices:inbox", args=[world.cell.code]))
    expect(page.locator("main")).not_to_contain_text(SAID)
    page.click(f"a[href='{reverse('voices:door_poster', args=[world.cell.code])}']")
    expect(page.locator(".poster svg.qr")).to_be_visible()
    expect(page.locator(".poster [lang=km]")).to_contain_text("ស្កេនកូដ")
    fits(page)
    page.go_back()
    page.click(f"a[href='{reverse('voices:door_queue', args=[world.cell.code])}']")
    expect(page.locator("main")).to_contain_text(SAID)
    fits(page)
    page.click(f"#voice-{voice.code} form:not(.reject) button[type=submit]")
    page.wait_for_url(VOICE)
    page.fill("#answer textarea", ANSWERED)
    page.click("#answer button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    voice.refresh_from_db()
    assert voice.state == Voice.State.ANSWERED

    page.context.clear_cookies()
    page.goto(reverse("voices:door_track"))
    khmer(page)
    page.fill("input[name=code]", code.lower())
    page.click("form.track button[type=submit]")
    expect(page.locator("main h1")).to_have_text("តាមដានគំនិត")
    expect(page.locator("main")).to_contain_text(ANSWERED)
    expect(page.locator("main")).to_contain_text(SAID)
    fits(page)
