"""Failed sign-ins are counted per account and per address (django-axes); past the limit the
next ones are refused, on our page and the admin's, with a page that says how long to wait."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.conftest import PASSWORD

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
WAIT_EN = "Try again in 15 minutes."


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.CHIBO_CLIENT_IP_HEADER = ""


def sign_in(username: str, password: str, address: str = "192.0.2.1", url: str = LOGIN, **extra):
    """A sign-in from a browser of its own at `address` (only a header: nothing is sent)."""
    return Client(REMOTE_ADDR=address, **extra).post(
        url, {"username": username, "password": password}, headers={"Accept-Language": "en"}
    )


def fail(times: int, username: str = "mai", **where) -> None:
    for _ in range(times):
        sign_in(username, "not the password", **where)


def test_it_refuses_the_right_password_after_five_wrong_ones_for_the_account(world):
    for i in range(4):  # from several addresses: the account is what is counted
        assert sign_in("mai", "wrong", address=f"192.0.2.{10 + i}").status_code == 200
    # The fifth failure already says to wait.
    assert sign_in("mai", "wrong", address="192.0.2.14").status_code == 429
    response = sign_in("mai", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert WAIT_EN in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    # Another account, from the same addresses, is not held back.
    assert sign_in("son", PASSWORD, address="192.0.2.10").status_code == 302


def test_it_refuses_an_address_that_tried_too_many_accounts(world):
    for username in ("mai", "son", "vu", "cuong", "nobody"):
        fail(1, username, address="203.0.113.5")
    response = sign_in("oanh", PASSWORD, address="203.0.113.5")
    assert response.status_code == 429 and WAIT_EN in response.content.decode()
    assert sign_in("oanh", PASSWORD, address="203.0.113.6").status_code == 302


def test_it_throttles_the_admin_sign_in_too(world):
    fail(5, "admin", url=ADMIN_LOGIN)
    response = sign_in("admin", PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429 and WAIT_EN in response.content.decode()
    # Failures on one form count on the other.
    assert sign_in("admin", PASSWORD).status_code == 429


def test_it_says_what_is_left_of_the_wait_and_lets_in_after_it(world):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        fail(5)
        clock.shift(timedelta(minutes=6))
        # Trying again while held back does not start the wait again.
        assert "Try again in 9 minutes." in sign_in("mai", "wrong").content.decode()
        clock.shift(timedelta(minutes=8, seconds=30))
        assert "Try again in 1 minute." in sign_in("mai", PASSWORD).content.decode()
        clock.shift(timedelta(minutes=1))
        assert sign_in("mai", PASSWORD).status_code == 302


def test_a_success_clears_the_count(world):
    fail(4)
    assert sign_in("mai", PASSWORD).status_code == 302
    fail(4)
    assert sign_in("mai", PASSWORD).status_code == 302


def test_it_says_so_in_vietnamese_and_khmer(world):
    fail(5)
    for language, words in [("vi", "Hãy thử lại sau 15 phút"), ("km", "15")]:
        response = Client(REMOTE_ADDR="192.0.2.1").post(
            LOGIN, {"username": "mai", "password": PASSWORD}, headers={"Accept-Language": language}
        )
        assert response.status_code == 429 and words in response.content.decode()
    assert "ព្យាយាម" in response.content.decode()


def test_it_logs_the_refusal_with_account_and_address(world, caplog):
    fail(5)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="chibo.signin"):
        sign_in("mai", PASSWORD)
    [record] = [r for r in caplog.records if "refused" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert "mai" in record.getMessage() and "192.0.2.1" in record.getMessage()
    assert PASSWORD not in caplog.text


def test_it_logs_each_failure_with_account_and_address_and_no_password(world, caplog):
    with caplog.at_level(logging.INFO, logger="chibo.signin"):
        sign_in("mai", "my secret guess", address="198.51.100.9")
    [record] = [r for r in caplog.records if r.name == "chibo.signin"]
    assert record.getMessage() == "Sign-in failed: mai from 198.51.100.9"
    assert "my secret guess" not in caplog.text


def test_behind_a_proxy_it_counts_the_address_the_proxy_names(world, settings):
    settings.CHIBO_CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = "127.0.0.1"  # every request reaches the server from the proxy
    for username in ("mai", "son", "vu", "cuong", "nobody"):
        fail(1, username, address=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    # The address the client wrote first is its own claim; the proxy's last one counts.
    held = sign_in("oanh", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    assert held.status_code == 429
    other = sign_in("oanh", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302
