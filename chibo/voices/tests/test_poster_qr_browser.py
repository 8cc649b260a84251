"""The posters' QR codes, drawn by a real browser as printed and read by a QR decoder
(zxing-cpp) as a phone would: the cell's poster leads to the absolute address of its public
door, a consultation's to its citizens' page; and the address read opens that page."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from chibo.conftest import sign_in
from chibo.voices.tests.consult_data import opened
from chibo.voices.tests.voices_data import NOW

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("categories")]


def scanned(page) -> str:
    """What a phone reads from the poster's QR code, as the page prints."""
    page.emulate_media(media="print")
    code = page.locator(".poster svg.qr")
    expect(code).to_be_visible()
    image = Image.open(io.BytesIO(code.screenshot()))
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, found
    return found[0].text


def test_the_doors_poster_leads_to_the_door(world, page, live_server, time_machine):
    time_machine.move_to(NOW)
    sign_in(page, "son")
    page.goto(reverse("voices:door_poster", args=[world.cell.code]))
    address = scanned(page)
    assert address == live_server.url + reverse("voices:door", args=[world.cell.code])
    expect(page.locator(".poster-address")).to_have_text(address)

    page.context.clear_cookies()
    page.emulate_media(media="screen")
    page.goto(address)
    expect(page.locator("form.door textarea[name=text]")).to_be_visible()
    expect(page.locator("main")).to_contain_text(world.cell.name)


def test_a_consultations_poster_leads_to_its_citizens_page(world, page, live_server, time_machine):
    time_machine.move_to(NOW)
    consultation = opened(world)
    sign_in(page, "son")
    page.goto(reverse("voices:consult_poster", args=[consultation.code]))
    address = scanned(page)
    citizens = reverse("voices:door_consult", args=[world.cell.code, consultation.code])
    assert address == live_server.url + citizens

    page.context.clear_cookies()
    page.emulate_media(media="screen")
    page.goto(address)
    expect(page.locator("main h1")).to_have_text(consultation.question)
