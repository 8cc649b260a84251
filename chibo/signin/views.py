"""The second step of signing in: enrolling an authenticator, giving its code; and the page
of a sign-in refused after too many failures."""

import logging
import math
from urllib.parse import urlencode

import segno
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import user_has_device

from chibo.access.scope import scope_for
from chibo.lib.compression import uncompressed
from chibo.signin import factors, sessions
from chibo.signin.forms import ConfirmForm, VerifyForm

logger = logging.getLogger("chibo.signin")
# Recovery codes just made, kept in the session only until the page that shows them once.
FRESH_CODES = "signin:fresh_codes"


def _next(request: HttpRequest) -> str:
    """Where the user was going before the second factor was asked for."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@uncompressed
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of someone who needs a second factor: scan, type the code, keep the
    recovery codes."""
    user = request.user
    if not scope_for(request).needs_second_factor:  # members are not asked for one
        return redirect(_next(request))
    if user_has_device(user):
        return _step("signin:verify", request)
    device = factors.pending_authenticator(user)
    form = ConfirmForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[FRESH_CODES] = factors.new_recovery_codes(user)
        sessions.verified(request, device)
        logger.info("Second factor enrolled by %s", user.get_username())
        return _step("signin:recovery_codes", request)
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("Scan with your authenticator app"), svgclass="qr"
    )
    context = {
        "form": form,
        # segno escapes the title; the rest is its own markup.
        "qr": mark_safe(qr),
        "secret": factors.secret(device),
        "next": _next(request),
    }
    return render(request, "signin/enrol.html", context)


@login_required
@uncompressed
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown this once."""
    codes = request.session.pop(FRESH_CODES, None)
    if codes is None:
        return redirect(_next(request))
    return render(request, "signin/recovery_codes.html", {"codes": codes, "next": _next(request)})


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The code after the password."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not user_has_device(user):
        return _step("signin:enrol", request)
    form = VerifyForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            sessions.verified(request, form.device)
            kind = "recovery code" if form.device.name == factors.RECOVERY else "app code"
            logger.info("Second factor given by %s (%s)", user.get_username(), kind)
            return redirect(_next(request))
        logger.warning("Second factor refused for %s", user.get_username())
    return render(request, "signin/verify.html", {"form": form, "next": _next(request)})


def locked_out(request: HttpRequest, response: HttpResponse, credentials: dict) -> HttpResponse:
    """Axes refused a sign-in (on our page or the admin's): say so, and for how long."""
    username = get_client_username(request, credentials)
    address = request.axes_ip_address
    latest = AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=address)).aggregate(
        at=Max("attempt_time")
    )["at"]
    left = (latest or timezone.now()) + get_cool_off(request) - timezone.now()
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    logger.warning(
        "Sign-in refused after too many failures: %s from %s, %d minutes left",
        username,
        address,
        minutes,
    )
    return render(request, "signin/locked.html", {"minutes": minutes}, status=429)


def _step(name: str, request: HttpRequest) -> HttpResponse:
    """On to another step of signing in, still going where the user was going."""
    return redirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")
