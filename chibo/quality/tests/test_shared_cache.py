"""The cache every process shares, on each backend an installation may choose: files in the data
folder (the default) and Redis. Sessions live in it, and dashboards are kept in it under the
version of their rows, which a change anywhere in their subtree moves on."""

import uuid

import pytest
import redis
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from chibo.conftest import PASSWORD
from chibo.quality import rollup
from chibo.quality.tests.conftest import MAI, SON, months_ago
from chibo.quality.tests.history import held
from chibo.quality.tests.test_dashboard import attendance_last_month
from chibo.settings import _cache

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["file", "redis"])
def shared(request, settings, tmp_path):
    """The cache backend an installation configures with CHIBO_CACHE_URL."""
    url = f"file://{tmp_path}" if request.param == "file" else REDIS
    prefix = uuid.uuid4().hex
    settings.CACHES = {"default": {**_cache(url), "KEY_PREFIX": prefix}}
    yield request.param
    if request.param == "redis":
        # Only this test's keys: `cache.clear()` empties the whole database, under the feet of
        # another run sharing the server (scripts/test runs SQLite's and PostgreSQL's side by side).
        server = redis.Redis.from_url(REDIS)
        if keys := server.keys(f"{prefix}:*"):
            server.delete(*keys)


def test_it_reads_the_backend_from_its_address():
    assert _cache("redis://cache.internal:6379/0")["BACKEND"].endswith("RedisCache")
    assert _cache("file:///var/cache/chibo")["LOCATION"] == "/var/cache/chibo"
    assert _cache("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ImproperlyConfigured, match="CHIBO_CACHE_URL"):
        _cache("memcached://127.0.0.1:11211")


def test_a_session_signed_in_is_read_from_the_shared_cache(shared, world):
    client = Client()
    assert (
        client.post(reverse("login"), {"username": "mai", "password": PASSWORD}).status_code == 302
    )
    key = client.cookies["sessionid"].value
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None
    assert client.get(reverse("meetings:my_tasks")).status_code == 200
    client.post(reverse("logout"))
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is None


def test_a_dashboard_changes_with_its_rows_on_each_backend(
    shared, slipping, django_capture_on_commit_callbacks
):
    ward = reverse("quality:dashboard", args=[slipping.ward.code])
    client = slipping.client("committee")
    before = client.get(ward, headers={"Accept-Language": "en"}).content.decode()
    version = rollup.version(slipping.ward)
    assert version == rollup.version(slipping.ward), "read, not made anew"
    with django_capture_on_commit_callbacks(execute=True):
        held(slipping.cell, months_ago(1), [MAI, SON])
    assert rollup.version(slipping.ward) != version
    after = client.get(ward, headers={"Accept-Language": "en"}).content.decode()
    assert attendance_last_month(before) == "75%"
    assert attendance_last_month(after) == "83%"
