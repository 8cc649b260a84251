"""The second factor: an authenticator app's code (TOTP), and recovery codes for a lost phone.

Devices are django-otp's; this module says how chibo makes, confirms and checks them.
"""

import hashlib
import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django_otp.models import Device
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.orgs.models import User

APP = "authenticator"
RECOVERY = "recovery"
DEMO = "demo"  # the authenticator of a demo account, whose secret `chibo demo` prints
RECOVERY_CODES = 10


@dataclass
class Throttled(Exception):
    """Too many wrong codes in a row: the next is not even checked before `until`."""

    until: datetime


def pending_authenticator(user: User) -> TOTPDevice:
    """The authenticator being enrolled: one secret for as long as the user takes to scan it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP, confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirm(device: TOTPDevice, code: str) -> bool:
    """The first code from the app proves it was set up right; only then does the device count."""
    if not device.verify_token(_normalised(code)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def new_recovery_codes(user: User) -> list[str]:
    """Fresh single-use codes for a lost phone, replacing any earlier ones; shown once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def check(user: User, code: str) -> Device | None:
    """The device that accepts the code: six digits are the app's, anything else a recovery
    code (used up by this). Raises `Throttled` while wrong codes are being held back."""
    code = _normalised(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user).select_for_update():
            allowed, why = device.verify_is_allowed()
            if not allowed:
                raise Throttled(why["locked_until"])
            if device.verify_token(code):
                return device
    return None


def _normalised(code: str) -> str:
    """As typed: spaces and capitals do not matter."""
    return "".join(code.split()).lower()


# -- demo accounts ----------------------------------------------------------------------------


def enrol_demo(user: User, seed: int) -> TOTPDevice:
    """A confirmed authenticator whose secret follows from the seed: the demo prints it, and
    the same seed gives the same secret."""
    key = hashlib.sha256(f"chibo demo {seed} {user.username}".encode()).digest()[:20]
    return TOTPDevice.objects.create(user=user, name=DEMO, key=key.hex(), confirmed=True)


def demo_devices():
    """The authenticators made by the demo: the only ones whose codes `chibo otp` prints."""
    return TOTPDevice.objects.filter(name=DEMO, confirmed=True)


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code the app shows now (or at `at`, a Unix time)."""
    step = int(((time.time() if at is None else at) - device.t0) // device.step)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
