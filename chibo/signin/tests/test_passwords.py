"""Password rules: at least 12 characters, not like the account, not common, not only digits;
said in the reader's language, on the pages where a password is chosen."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from chibo.conftest import PASSWORD
from chibo.orgs.models import User


@pytest.mark.parametrize(
    "password, code",
    [
        ("Nguyen123", "password_too_short"),
        ("Nguyen12345", "password_too_short"),
        ("qwerty123456", "password_too_common"),
        ("202412312359", "password_entirely_numeric"),
        ("mai@example.org", "password_too_similar"),
    ],
)
def test_it_refuses_weak_passwords(world, password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, world.member)
    assert code in {error.code for error in refused.value.error_list}


def test_it_takes_twelve_characters_of_words(world):
    validate_password("rice field at dawn", world.member)
    validate_password("Nguyen123456", world.member)  # long enough, whatever else


@pytest.mark.parametrize(
    "language, words",
    [
        ("en", "This password is too short: use at least 12 characters."),
        ("vi", "Mật khẩu này quá ngắn: hãy dùng ít nhất 12 ký tự."),
        ("km", "ពាក្យសម្ងាត់នេះខ្លីពេក"),
    ],
)
def test_the_change_page_refuses_nguyen123_in_the_readers_language(world, language, words):
    response = world.client("member").post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Nguyen123", "new_password2": "Nguyen123"},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 200 and words in response.content.decode()
    assert User.objects.get(username="mai").check_password(PASSWORD)


def test_the_change_page_explains_the_rules(world):
    page = world.client("member").get(reverse("password_change"), headers={"Accept-Language": "en"})
    assert "At least 12 characters." in page.content.decode()
