"""What signing in safely costs a page: the same signed-in pages served with and without the
sign-in middleware (the second factor's check, django-otp's, django-axes'), in-process; and
the sign-in itself with and without the throttling backend.

    chibo demo --no-serve                      # once, into ./data (or DATABASE_URL)
    python bench/bench_signin.py [--repeat 50]

Pages are measured as the demo's member and as its secretary, who has given a second factor.
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import resolve  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.middleware import OTPMiddleware  # noqa: E402

from chibo.orgs.demo.accounts import PASSWORD  # noqa: E402
from chibo.orgs.models import User  # noqa: E402
from chibo.signin import factors  # noqa: E402
from chibo.signin.middleware import SecondFactorMiddleware  # noqa: E402

SIGN_IN_MIDDLEWARE = {
    "django_otp.middleware.OTPMiddleware",
    "chibo.signin.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
}
WITHOUT_MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in SIGN_IN_MIDDLEWARE]
WITHOUT_AXES = [b for b in settings.AUTHENTICATION_BACKENDS if not b.startswith("axes.")]


def client_for(username: str) -> Client:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    if device := factors.demo_devices().filter(user=user).first():
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def warm(username: str, url: str) -> Client:
    """A signed-in client whose middleware is loaded under the settings in force, with the
    reach and the session already in the cache."""
    client = client_for(username)
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    return client


def timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    client.get(url)
    return (time.perf_counter() - start) * 1000


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def compare(username: str, url: str, repeat: int) -> None:
    """The page with and without the middleware, requests alternating so that the machine's
    other work weighs on both alike."""
    with_it = warm(username, url)
    with override_settings(MIDDLEWARE=WITHOUT_MIDDLEWARE):
        without = warm(username, url)
    pairs = [(timed(with_it, url), timed(without, url)) for _ in range(repeat)]
    with_ms = statistics.median(a for a, _ in pairs)
    without_ms = statistics.median(b for _, b in pairs)
    added = statistics.median(a - b for a, b in pairs)
    name = f"{username} {url}"
    print(
        f"{name:34} {with_ms:8.2f} {without_ms:8.2f} {added:7.2f} "
        f"{queries(with_it, url):4} vs {queries(without, url)}"
    )


def check_alone_us(username: str, url: str, repeat: int) -> float:
    """The second factor's check on its own, as a page runs it (django-otp's device, then
    ours), on a request whose user and session are loaded already: the page's noise aside."""
    client = client_for(username)
    user = User.objects.get(username=username)
    session = client.session
    session.load()
    match = resolve(url)
    otp = OTPMiddleware(lambda request: None)
    second = SecondFactorMiddleware(lambda request: None)
    timings = []
    for _ in range(repeat):
        request = RequestFactory().get(url)
        request.session, request.user, request.resolver_match = session, user, match
        start = time.perf_counter()
        otp(request)
        assert second.process_view(request, match.func, (), {}) is None
        timings.append((time.perf_counter() - start) * 1_000_000)
    return statistics.median(timings)


def sign_in_ms(repeat: int) -> tuple[float, float, float]:
    """The sign-in form posted with and without the throttling backend, alternating."""

    def once() -> float:
        start = time.perf_counter()
        response = Client().post("/accounts/login/", {"username": "member", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        return (time.perf_counter() - start) * 1000

    pairs = []
    for _ in range(repeat):
        with_axes = once()
        with override_settings(AUTHENTICATION_BACKENDS=WITHOUT_AXES):
            pairs.append((with_axes, once()))
    return (
        statistics.median(a for a, _ in pairs),
        statistics.median(b for _, b in pairs),
        statistics.median(a - b for a, b in pairs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    print(f"{connection.vendor}, median of {args.repeat}")
    # "added" is the median of the paired differences.
    print(f"{'page':34} {'with ms':>8} {'without':>8} {'added':>7} {'queries':>9}")
    with transaction.atomic():
        for username, url in [("member", "/"), ("secretary", "/"), ("secretary", "/members/")]:
            compare(username, url, args.repeat)
        for username in ("member", "secretary"):
            name = f"check alone, {username}"
            print(f"{name:34} {check_alone_us(username, '/', args.repeat) / 1000:8.2f}")
        # Argon2 takes its time on purpose: fewer rounds.
        with_axes, without_axes, added = sign_in_ms(max(5, args.repeat // 5))
        print(
            f"{'sign-in POST (argon2 + axes)':34} {with_axes:8.2f} {without_axes:8.2f} {added:7.2f}"
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
