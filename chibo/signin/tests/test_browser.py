"""In a real browser: a committee member's first sign-in sets up the authenticator, the next
asks for its code; a locked-out member is told how long to wait."""

import time
from datetime import timedelta

import pyotp
import pytest

from chibo.conftest import PASSWORD, SIGN_OUT

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def give_password(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def test_a_committee_members_first_sign_in_enrols_then_asks_for_the_code(world, page):
    give_password(page, "cuong")
    page.wait_for_url("**/second-factor/enrol/**")
    assert page.locator("svg.qr").count() == 1
    key = page.inner_text("[data-secret]").replace(" ", "")
    totp = pyotp.TOTP(key)
    page.fill("input[name=code]", totp.now())
    page.click("main button[type=submit]")

    page.wait_for_url("**/second-factor/recovery-codes/**")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    page.click("main a.button")
    page.wait_for_url(lambda url: "/second-factor/" not in url)
    assert "Phạm Quốc Cường" in page.inner_text("h1")

    page.click(SIGN_OUT)
    page.wait_for_url("**/accounts/login/")
    give_password(page, "cuong")
    page.wait_for_url("**/second-factor/verify/**")
    # The code of the next step: the current one was just used, and each is good once.
    page.fill("input[name=code]", totp.at(time.time() + 30))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/second-factor/" not in url)
    assert "Phạm Quốc Cường" in page.inner_text("h1")


def test_a_locked_out_member_is_told_how_long_to_wait(world, page):
    for _ in range(5):
        give_password(page, "mai", "not the password")
    give_password(page, "mai")
    assert "Hãy thử lại sau 15 phút" in page.inner_text("main")
    assert "/accounts/login/" in page.url
