"""How long a session lasts: a working day, to the browser's closing, once a second factor
has been given; members keep Django's longer `SESSION_COOKIE_AGE`."""

import time

import django_otp
from django.conf import settings
from django.http import HttpRequest
from django_otp.models import Device

UNTIL = "signin:until"


def verified(request: HttpRequest, device: Device) -> None:
    """The user gave the second factor: the session says so, and becomes a short one."""
    # A new key as the session's rights grow, as Django does when signing in.
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.set_expiry(0)
    request.session[UNTIL] = int(time.time()) + settings.CHIBO_OFFICE_SESSION_HOURS * 3600


def ended(request: HttpRequest) -> bool:
    """A short session whose hours are over, whatever the cookie says."""
    until = request.session.get(UNTIL)
    return until is not None and time.time() > until
