"""Timing pages in-process: server time, without the network, and the queries they cost."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

WIDTH = 48


def header() -> None:
    print(f"{'page':{WIDTH}} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")


def report(client: Client, name: str, url: str, repeat: int) -> None:
    """Request `url` `repeat` times after one warm-up; print the median, p95 and query count."""
    client.get(url)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p95 = statistics.quantiles(timings, n=20)[-1]
    median = statistics.median(timings)
    print(f"{name[:WIDTH]:{WIDTH}} {median:10.1f} {p95:8.1f} {len(queries):8}")


def signed_in(user) -> Client:
    """A browser of the user's, signed in; with the second factor given, for those whom it is
    asked of."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
