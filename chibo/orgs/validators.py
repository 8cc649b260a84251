"""Checks on member fields, shared by forms, the admin and the spreadsheet import."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{5,19}$")


def validate_citizen_id(value: str) -> None:
    if not (value.isascii() and value.isdigit() and len(value) == 12):
        raise ValidationError(_("A citizen ID number has exactly 12 digits."), code="citizen_id")


def validate_phone(value: str) -> None:
    if not PHONE.match(value):
        raise ValidationError(
            _("Enter a phone number: digits, spaces, dots, dashes and a leading + only."),
            code="phone",
        )
