"""Signing in and out, and resetting a password by e-mail through a real SMTP server."""

import re

from django.urls import reverse

from chibo.conftest import PASSWORD
from chibo.orgs.models import User


def test_it_hashes_passwords_with_argon2(world):
    user = User.objects.get(username="mai")
    user.set_password("a new long passphrase")
    assert user.password.startswith("argon2$")


def test_it_signs_in_with_the_right_password_only(client, world):
    response = client.post(reverse("login"), {"username": "mai", "password": "wrong"})
    assert response.status_code == 200 and b"errorlist" in response.content
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("login"), {"username": "mai", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_it_signs_out_on_post_only(world):
    client = world.client("member")
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_it_resets_a_password_by_email(client, world, mailbox):
    response = client.post(reverse("password_reset"), {"email": "mai@example.org"})
    assert response.status_code == 302
    [message] = mailbox.messages
    assert message["To"] == "mai@example.org"
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.get_content()).group(0)
    form_url = client.get(link.split("testserver", 1)[1])["Location"]
    response = client.post(
        form_url,
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="mai").check_password("a brand new passphrase")


def test_it_sends_nothing_for_an_unknown_address(client, world, mailbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302  # the same answer, so addresses cannot be probed
    assert mailbox.messages == []


def test_it_refuses_a_used_reset_link(client, world, mailbox):
    client.post(reverse("password_reset"), {"email": "mai@example.org"})
    link = re.search(r"/accounts/reset/\S+/", mailbox.messages[0].get_content()).group(0)
    form_url = client.get(link)["Location"]
    new = {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"}
    client.post(form_url, new)
    response = client.get(link, follow=True)
    assert response.context["validlink"] is False
