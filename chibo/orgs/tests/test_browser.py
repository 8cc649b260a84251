"""A person with a phone: sign in, change language, browse to a cell and a member."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from chibo.conftest import SIGN_OUT, sign_in

pytestmark = pytest.mark.browser


def translated(language: str, text: str) -> str:
    with translation.override(language):
        result = translation.gettext(text)
    assert result != text, f"no {language} translation for {text!r}"
    return result


def test_it_signs_in_and_out_with_the_form(world, page):
    page.goto("/")
    assert "/accounts/login/" in page.url
    sign_in(page, "mai")
    assert "Nguyễn Thị Mai" in page.inner_text("h1")
    page.click(SIGN_OUT)
    page.wait_for_url("**/accounts/login/")
    page.goto("/orgs/")
    assert "/accounts/login/" in page.url


def test_it_refuses_a_wrong_password_in_the_users_language(world, page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "mai")
    page.fill("input[name=password]", "not the password")
    page.click("main button[type=submit]")
    # The form posts back to the same address: wait for the answer, not for a new URL.
    expect(page.locator(".errorlist")).to_have_count(1)
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "vi"


def test_it_switches_to_khmer_and_to_vietnamese(world, page):
    sign_in(page, "mai")
    page.select_option("#language", "km")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    assert translated("km", "Organisations") in page.inner_text("nav.mainnav")
    assert translated("km", "Your party cell") in page.inner_text("main")
    page.select_option("#language", "vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert translated("vi", "Your party cell") in page.inner_text("main")
    page.select_option("#language", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "Your party cell" in page.inner_text("main")


def test_it_browses_the_tree_down_to_a_member(world, page):
    sign_in(page, "cuong")
    page.click(".phonemenu summary")  # a phone's menu opens from its button
    page.click(".phonemenu a[href='/orgs/']")
    expect(page.locator("h1")).to_have_text("Đảng bộ thành phố Uông Bí")
    page.click("text=Đảng bộ phường Quang Trung")
    expect(page.locator("h1")).to_have_text("Đảng bộ phường Quang Trung")
    page.click("text=Chi bộ khu 1")
    expect(page.locator("h1")).to_have_text("Chi bộ khu 1")
    page.click("table >> text=Nguyễn Thị Mai")
    expect(page.locator("h1")).to_have_text("Nguyễn Thị Mai")
    # A committee member without the permission sees personal data masked.
    assert "022180001234" not in page.inner_text("main")


def test_it_searches_members_as_you_type(world, page):
    sign_in(page, "cuong")
    page.goto("/members/")
    page.fill("main input[name=q]", "pham quoc")
    expect(page.locator("#results")).not_to_contain_text("Nguyễn Thị Mai")
    assert "Phạm Quốc Cường" in page.inner_text("#results")


def test_it_answers_not_found_for_a_foreign_cell(world, page):
    sign_in(page, "cuong")
    response = page.goto(f"/orgs/{world.foreign_cell.code}/")
    assert response.status == 404
    assert "Chi bộ khu 5" not in page.content()
    assert translated("vi", "Not found") in page.inner_text("h1")


def test_it_fits_a_phone_screen_in_khmer(world, page):
    sign_in(page, "son")
    page.select_option("#language", "km")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    page.goto(f"/orgs/{world.cell.code}/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert "Khmer" in rendering_fonts(page, "main h2")


def rendering_fonts(page, selector: str) -> str:
    """The fonts Chromium actually used to draw an element's text (not just the CSS stack)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return " ".join(font["familyName"] for font in fonts)
