"""Shared test fixtures: a small world of two subtrees and the people in it.

Every record is made through the application's own functions (`add_child`, `Member.enrol`),
so tests exercise the same paths as imports and the demo.
"""

import email
import email.policy
import functools
import itertools
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import sync_playwright

from chibo.access.scope import Scope
from chibo.lib import pdf as typesetting
from chibo.orgs.models import Level, Member, Organisation, Position, User
from chibo.signin import factors
from chibo.supervision.models import Assignment

PASSWORD = "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"
# No sandbox as root in CI; no background traffic on a machine with no internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_cards = itertools.count(1)

# CI draws the same examples on every run, so a red build is never luck, and prints the blob
# that replays a failure. `HYPOTHESIS_PROFILE=ci` selects it (scripts/test sets it).
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    print_blob=True,
    deadline=None,  # a shared machine's pauses are not failures
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
if profile := os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(profile)


def make_member(cell: Organisation, name: str, **fields) -> Member:
    n = next(_cards)
    defaults = {
        "birth_date": date(1980, 5, 17),
        "gender": Member.Gender.FEMALE,
        "admitted_on": date(2005, 3, 2),
        "official_on": date(2006, 3, 2),
        "card_number": f"T{n:08d}",
        "citizen_id": f"0331{n:08d}",  # one person each: citizen IDs are unique
        "phone": "0912345678",
        "status": Member.Status.OFFICIAL,
    }
    return Member.enrol(cell, full_name=name, **{**defaults, **fields})


@functools.cache
def password_hash() -> str:
    """Argon2 is slow on purpose: hash the shared test password once, not per user."""
    return make_password(PASSWORD)


def make_user(member: Member | None, username: str, **fields) -> User:
    user = User.objects.create(
        username=username, email=f"{username}@example.org", password=password_hash(), **fields
    )
    if member is not None:
        member.user = user
        member.save(update_fields=["user"])
    return user


def child(parent: Organisation, **fields) -> Organisation:
    return Organisation.objects.add_child(parent, fields)


@pytest.fixture(scope="session", autouse=True)
def static_files(tmp_path_factory):
    """The static files collected once for the run, as `chibo serve` collects them, into a
    folder of the run's own: WhiteNoise serves only what was collected (decision record 20),
    and a fresh checkout has nothing in its data folder."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@dataclass
class DemoFile:
    """The demo, two months of it, in a SQLite file of its own: worker processes need a
    database they can open (the tests' SQLite database lives in this process's memory)."""

    folder: str

    def chibo(self, *args: str) -> None:
        env = {**os.environ, "CHIBO_DATA_DIR": self.folder}
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "chibo.cli", *args]
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)

    def rows(self, table: str, columns: list[str]) -> list[tuple]:
        with sqlite3.connect(os.path.join(self.folder, "chibo.sqlite3")) as db:
            quoted = ", ".join(f'"{column}"' for column in columns)  # "on" is a keyword
            return sorted(db.execute(f"SELECT {quoted} FROM {table}"))


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> DemoFile:
    demo = DemoFile(str(tmp_path_factory.mktemp("demo")))
    demo.chibo("demo", "--no-serve", "--months", "2", "-v", "0")
    return demo


@pytest.fixture(autouse=True)
def default_language():
    """Each request activates its language in the test's thread and leaves it there; every
    test starts from the default, so none depends on the one before."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def audit_key(settings, tmp_path):
    """The audit log's key from the settings, as production sets it: no test writes one into
    the data folder; nor does `chibo audit verify` its checkpoint."""
    settings.CHIBO_AUDIT_KEY = "test audit key"
    settings.CHIBO_AUDIT_CHECKPOINT = tmp_path / "audit_verified"


@pytest.fixture(autouse=True)
def push_key(settings, tmp_path):
    """Each test's own key for Web Push, made on first use as in production, but in the test's
    folder rather than the developer's data folder."""
    settings.CHIBO_VAPID_KEY_FILE = tmp_path / "vapid_key.pem"


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """A cache of each test's own, in memory: nothing kept by one test (a session, a version,
    a dashboard) reaches the next, and the developer's cache in the data folder is left alone.
    Tests of the shared backends set CACHES themselves."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }


@dataclass
class World:
    province: Organisation
    city: Organisation
    ward: Organisation
    cell: Organisation
    sister_cell: Organisation
    other_city: Organisation
    foreign_cell: Organisation
    member: User
    secretary: User
    supervisor: User
    committee: User
    outsider: User
    admin: User

    def client(self, persona: str) -> Client:
        """A browser of the persona's, signed in a while ago: they have opened their home page,
        so their reach is kept, as it is for anyone who uses the site (query budgets measure
        pages as people meet them)."""
        client = signed_in(getattr(self, persona))
        client.get(reverse("home"))
        return client


@pytest.fixture
def world(db) -> World:
    province_level = Level.objects.create(name="Tỉnh", name_en="Province", name_km="ខេត្ត")
    city_level = Level.objects.create(name="Thành phố", name_en="City", name_km="ក្រុង")
    base_level = Level.objects.create(name="Cơ sở", name_en="Grassroots", name_km="មូលដ្ឋាន")
    cell_level = Level.objects.create(name="Chi bộ", name_en="Cell", name_km="កោសិកា")
    committee = Organisation.Kind.COMMITTEE
    cell = Organisation.Kind.CELL

    province = Organisation.objects.add_root(
        {"name": "Đảng bộ tỉnh Quảng Ninh", "kind": committee, "level": province_level}
    )
    city = child(province, name="Đảng bộ thành phố Uông Bí", kind=committee, level=city_level)
    ward = child(city, name="Đảng bộ phường Quang Trung", kind=committee, level=base_level)
    home_cell = child(
        ward,
        name="Chi bộ khu 1",
        kind=cell,
        level=cell_level,
        category=Organisation.Category.RESIDENTIAL,
    )
    sister = child(
        ward,
        name="Chi bộ khu 2",
        kind=cell,
        level=cell_level,
        category=Organisation.Category.RESIDENTIAL,
    )
    other_city = child(province, name="Đảng bộ thành phố Hạ Long", kind=committee, level=city_level)
    other_ward = child(other_city, name="Đảng bộ phường Bãi Cháy", kind=committee, level=base_level)
    foreign = child(
        other_ward,
        name="Chi bộ khu 5",
        kind=cell,
        level=cell_level,
        category=Organisation.Category.VILLAGE,
    )

    mai = make_member(home_cell, "Nguyễn Thị Mai", citizen_id="022180001234")
    son = make_member(home_cell, "Trần Văn Sơn", gender=Member.Gender.MALE)
    Position.objects.create(
        member=son,
        organisation=home_cell,
        kind=Position.Kind.SECRETARY,
        started_on=date(2020, 1, 1),
    )
    vu = make_member(sister, "Lê Văn Vũ", gender=Member.Gender.MALE)
    Assignment.objects.create(supervisor=vu, cell=home_cell, started_on=date(2024, 1, 1))
    cuong = make_member(sister, "Phạm Quốc Cường", gender=Member.Gender.MALE)
    Position.objects.create(
        member=cuong, organisation=city, kind=Position.Kind.COMMITTEE, started_on=date(2020, 1, 1)
    )
    oanh = make_member(foreign, "Hoàng Thị Oanh")
    for org in (province, city, ward, home_cell, sister, other_city, foreign):
        org.refresh_from_db()

    return World(
        province=province,
        city=city,
        ward=ward,
        cell=home_cell,
        sister_cell=sister,
        other_city=other_city,
        foreign_cell=foreign,
        member=make_user(mai, "mai"),
        secretary=make_user(son, "son"),
        supervisor=make_user(vu, "vu"),
        committee=make_user(cuong, "cuong"),
        outsider=make_user(oanh, "oanh"),
        admin=make_user(None, "admin", is_staff=True, is_superuser=True),
    )


def pytest_collection_modifyitems(items: list) -> None:
    """Browser tests last, in their usual order. Playwright, once started, keeps its threads for
    the session, and a process forked while they run (the rebuild's workers) can inherit a lock
    held half-way and hang or read another's rows."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright; no download of a browser of its own."""
    # Playwright's sync API keeps an event loop in this thread; the ORM must still be usable.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page on the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def authenticator(user: User) -> TOTPDevice:
    """The user's authenticator app, set up already."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=factors.APP, confirmed=True)


def signed_in(user: User, **options) -> Client:
    """A browser of the user's, signed in, with the second factor given if it is asked of them."""
    client = Client(**options)
    client.force_login(user)
    if Scope(user).needs_second_factor:
        give_second_factor(client, user)
    return client


def give_second_factor(client: Client, user: User) -> None:
    """The signed-in client has given the code of the user's authenticator."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def second_factor_code(user: User) -> str:
    """A code the user's authenticator accepts now: the current one, or the next if the current
    one was used already (a code is good once; the device allows one step ahead)."""
    device = authenticator(user)
    device.refresh_from_db()
    return factors.current_code(
        device, at=max(time.time(), device.t0 + (device.last_t + 1) * device.step)
    )


# The sign-out button in every page's header (the header also holds the search box's).
SIGN_OUT = "header form[action$='/logout/'] button"


def sign_in(page, username: str) -> None:
    """Through the sign-in form, giving the code from the authenticator when one is asked."""
    user = User.objects.get(username=username)
    needs_code = Scope(user).needs_second_factor
    if needs_code:
        authenticator(user)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if needs_code:
        page.wait_for_url("**/second-factor/verify/**")
        page.fill("input[name=code]", second_factor_code(user))
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/second-factor/" not in url)


class Mailbox:
    """Collects what a real SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on localhost (aiosmtpd) that chibo's mail settings point at."""
    handler = Mailbox()
    with socket.socket() as probe:  # a free port; aiosmtpd cannot start on port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates typeset, one entry per document made."""
    made: list[str] = []
    real = typesetting.render

    def counting(template: str, context: dict) -> bytes:
        made.append(template)
        return real(template, context)

    monkeypatch.setattr(typesetting, "render", counting)
    return made
