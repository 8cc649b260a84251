"""A second factor for everyone who sees other members' personal data: enrolled on their first
sign-in, asked for after the password ever after; members are not asked."""

import logging
import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.access.scope import Scope
from chibo.conftest import PASSWORD, authenticator, second_factor_code
from chibo.orgs.models import Position

HOME = reverse("home")
ENROL = reverse("signin:enrol")
VERIFY = reverse("signin:verify")


def signed_in(username: str) -> Client:
    """A browser that has just given the right password."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response
    return client


def key_on(page) -> str:
    return re.search(r"data-secret>([A-Z2-7 ]+)<", page.content.decode()).group(1).replace(" ", "")


@pytest.mark.parametrize(
    "persona, needs",
    [
        ("member", False),
        ("supervisor", False),  # supervises without a seat: sees no personal data
        ("outsider", False),
        ("secretary", True),
        ("committee", True),
        ("admin", True),
    ],
)
def test_access_says_who_needs_a_second_factor(world, persona, needs):
    assert Scope(getattr(world, persona)).needs_second_factor is needs


def test_a_deputy_a_cell_committee_member_and_staff_need_one_too(world):
    mai = world.member.member
    for kind in (Position.Kind.DEPUTY, Position.Kind.CELL_COMMITTEE):
        position = Position.objects.create(
            member=mai, organisation=world.cell, kind=kind, started_on=timezone.localdate()
        )
        assert Scope(world.member).needs_second_factor, kind
        position.delete()
    world.member.is_staff = True
    assert Scope(world.member).needs_second_factor


def test_a_member_goes_straight_in(world):
    client = signed_in("mai")
    assert client.get(HOME).status_code == 200
    assert client.get(ENROL)["Location"] == "/"
    assert not TOTPDevice.objects.exists()


def test_a_secretary_enrols_on_first_sign_in_and_keeps_the_codes(world, caplog):
    client = signed_in("son")
    target = reverse("orgs:members")
    response = client.get(target)
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    page = client.get(response["Location"], headers={"Accept-Language": "en"})
    assert "<svg" in page.content.decode() and 'class="qr"' in page.content.decode()
    key = key_on(page)
    assert client.get(ENROL).content.decode().count(key[:4]) >= 1  # the same key on reload
    assert client.get(target).status_code == 302  # nothing else until it is confirmed

    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post(ENROL, {"code": "000000", "next": target})
        assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
        clock.shift(timedelta(seconds=2))  # a wrong code holds the next back for a second
        with caplog.at_level(logging.INFO, logger="chibo.signin"):
            response = client.post(ENROL, {"code": pyotp.TOTP(key).now(), "next": target})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    codes = re.findall(r"<code>([a-z0-9]+)</code>", codes_page.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assert client.get(response["Location"])["Location"] == target  # shown once
    assert client.get(target).status_code == 200
    assert "Second factor enrolled by son" in caplog.text


def test_it_asks_for_the_code_after_the_password(world):
    authenticator(world.secretary)
    client = signed_in("son")
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        refused = client.post(VERIFY, {"code": "123456"}, headers={"Accept-Language": "en"})
        assert "This code is not right" in refused.content.decode()
        assert client.get(HOME).status_code == 302
        clock.shift(timedelta(seconds=2))
        code = second_factor_code(world.secretary)
        response = client.post(VERIFY, {"code": code, "next": "/"})
    assert response.status_code == 302 and client.get(HOME).status_code == 200


def test_a_code_is_good_once(world):
    authenticator(world.secretary)
    code = second_factor_code(world.secretary)
    first = signed_in("son")
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second = signed_in("son")
    assert second.post(VERIFY, {"code": code}).status_code == 200


def test_a_recovery_code_signs_in_once(world):
    from chibo.signin.factors import new_recovery_codes

    authenticator(world.secretary)
    code = new_recovery_codes(world.secretary)[3]
    client = signed_in("son")
    assert client.post(VERIFY, {"code": code.upper()}).status_code == 302
    assert client.get(HOME).status_code == 200
    again = signed_in("son")
    assert again.post(VERIFY, {"code": code}).status_code == 200


def test_wrong_codes_are_held_back(world):
    authenticator(world.secretary)
    client = signed_in("son")
    client.post(VERIFY, {"code": "111111"})
    response = client.post(VERIFY, {"code": "222222"}, headers={"Accept-Language": "en"})
    assert "Too many wrong codes. Try again in" in response.content.decode()
    # Even the right code waits for the pause to end.
    assert client.post(VERIFY, {"code": second_factor_code(world.secretary)}).status_code == 200


def test_the_admin_site_asks_for_the_code_too(world):
    authenticator(world.admin)
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": second_factor_code(world.admin)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_member_given_a_seat_is_asked_to_enrol(world):
    client = world.client("member")
    assert client.get(HOME).status_code == 200
    Position.objects.create(
        member=world.member.member,
        organisation=world.cell,
        kind=Position.Kind.DEPUTY,
        started_on=timezone.localdate(),
    )
    assert client.get(HOME)["Location"].startswith(ENROL)


def test_sessions_are_short_for_those_who_see_personal_data(world, settings):
    settings.CHIBO_OFFICE_SESSION_HOURS = 8
    member = signed_in("mai")
    assert not member.session.get_expire_at_browser_close()
    assert member.session.get_expiry_age() == 14 * 24 * 3600

    authenticator(world.secretary)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        secretary = signed_in("son")
        secretary.post(VERIFY, {"code": second_factor_code(world.secretary)})
        assert secretary.session.get_expire_at_browser_close()
        clock.shift(timedelta(hours=7, minutes=59))
        assert secretary.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=2))
        response = secretary.get(HOME)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in secretary.session
        assert member.get(HOME).status_code == 200
