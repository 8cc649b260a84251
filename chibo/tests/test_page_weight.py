"""Every page weighs at most 100 kB over the wire with a cold cache (issue 14, item 7).

Each persona of the test world, signed in, walks every page they can reach by following links
from their home, one address per route; a dashboard also over 60 months. A page's weight is
its HTML and every stylesheet, script, image and icon it references, each once, as sent
through the real middleware: the HTML compressed by chibo, the static files as WhiteNoise
serves them once collected (Brotli beside each). htmx comes only with the pages that use it.
"""

import gzip
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from chibo.lib.compression import CompressionMiddleware, uncompressed
from chibo.meetings import publishing
from chibo.meetings.models import Meeting
from chibo.meetings.tests.test_planning import make_meeting
from chibo.quality.tests.conftest import slipping  # noqa: F401  (a fixture)
from chibo.tests.pageweight import ACCEPT_ENCODING, LIMIT, assets, path_of

PERSONAS = ["member", "secretary", "supervisor", "committee", "admin", "outsider"]
# Files rather than pages, and what only a form posts to.
NOT_PAGES = {
    "meetings:minutes_pdf",
    "meetings:resolution_pdf",
    "meetings:document",
    "quality:report",
    "library:download",
    "notify:feed",
    "orgs:members_export",
    "voices:door_poster",
    "logout",
    "set_language",
}
HTMX = "django_htmx/htmx-2.min.js"
USES_HTMX = re.compile(r"\shx-(get|post|put|patch|delete|trigger|target|swap|boost)=")
LINK = re.compile(r'<a\b[^>]*\shref="([^"#]+)')


@pytest.fixture(scope="session")
def collected(tmp_path_factory):
    """The static files as `chibo serve` collects them, each with its compressed copies.
    The admin's are left out with its pages: Django's, not chibo's."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command(
            "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "fonts"]
        )
    return root


@pytest.fixture
def busy_world(slipping, settings, collected):  # noqa: F811
    """The dashboards' history, and a meeting coming up, published to its cell."""
    settings.STATIC_ROOT = collected
    meeting = make_meeting(slipping.cell)
    publishing.publish(meeting, by=slipping.secretary.member)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED
    return slipping


def route_of(path: str) -> str | None:
    """The name of the page's route; None for what is not a page to weigh."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    name = match.view_name
    if name in NOT_PAGES or name.startswith("admin:"):
        return None
    return name


class Scales:
    """Weighs pages for one browser, fetching each static file once for the whole walk."""

    def __init__(self, client) -> None:
        self.client = client
        self.files: dict[str, int] = {}

    def get(self, path: str):
        return self.client.get(path, headers={"Accept-Encoding": ACCEPT_ENCODING})

    def file(self, url: str) -> int:
        if url not in self.files:
            manifest = path_of(url) == reverse("notify:manifest")  # the app's, made per language
            assert manifest or url.startswith("http://testserver/static/"), f"{url}: not ours"
            response = self.get(path_of(url))
            assert response.status_code == 200, url
            if manifest:
                self.files[url] = len(response.content)
            else:
                assert response.get("Content-Encoding") in {"br", "gzip"} or url.endswith(".png")
                self.files[url] = len(b"".join(response.streaming_content))
        return self.files[url]


def walk(scales: Scales, seeds: list[str]) -> dict[str, tuple[str, int, str]]:
    """Route → (address, bytes sent, HTML) for every page reachable from the seeds."""
    seen: dict[str, tuple[str, int, str]] = {}
    queue = list(seeds)
    tried = set()
    while queue:
        path = queue.pop(0)
        route = route_of(path)
        if path in tried or route is None or (route in seen and path not in seeds):
            continue
        tried.add(path)
        response = scales.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        assert response.get("Content-Encoding") == "gzip", path
        html = gzip.decompress(response.content).decode()
        weight = len(response.content) + sum(
            scales.file(url) for url in assets(html, "http://testserver" + path)
        )
        seen[route if route not in seen else path] = (path, weight, html)
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if link.startswith("/") and not link.startswith("//"):
                queue.append(link)
    return seen


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_of_each_persona_weighs_at_most_100_kb(busy_world, persona):
    scales = Scales(busy_world.client(persona))
    seeds = [reverse("home")] + [
        reverse("quality:dashboard", args=[org.code]) + "?months=60"
        for org in (busy_world.province, busy_world.city, busy_world.ward, busy_world.cell)
    ]
    pages = walk(scales, seeds)
    assert len(pages) >= (4 if persona in ("member", "outsider") else 8), sorted(pages)
    heavy = {route: weight for route, (_path, weight, _html) in pages.items() if weight > LIMIT}
    assert heavy == {}
    for route, (path, _weight, html) in pages.items():
        loads = HTMX in html
        assert loads == bool(USES_HTMX.search(html)), f"{route} ({path}): htmx loaded {loads}"


def test_the_dashboards_and_the_agenda_editor_are_among_the_pages_weighed(busy_world):
    scales = Scales(busy_world.client("committee"))
    pages = walk(scales, [reverse("home")])
    assert {"quality:dashboard", "home", "orgs:members"} <= set(pages)
    secretary = walk(Scales(busy_world.client("secretary")), [reverse("home")])
    assert "meetings:agenda" in secretary
    assert HTMX in secretary["meetings:agenda"][2]
    assert HTMX not in secretary["home"][2]


def test_a_page_with_a_lasting_secret_goes_uncompressed(world, rf):
    """BREACH guesses a secret from the size of compressed pages that also echo the address:
    the authenticator's key is sent as it is (decision record 20)."""
    text = "<p>" + "secret " * 100 + "</p>"
    request = rf.get("/", headers={"Accept-Encoding": "gzip"})
    packed = CompressionMiddleware(lambda r: HttpResponse(text))(request)
    plain = CompressionMiddleware(uncompressed(lambda r: HttpResponse(text)))(request)
    assert packed["Content-Encoding"] == "gzip" and len(packed.content) < len(text)
    assert not plain.has_header("Content-Encoding") and plain.content == text.encode()

    client = Client()
    client.force_login(world.secretary)  # asked for a second factor, with no authenticator yet
    enrol = client.get(reverse("signin:enrol"), headers={"Accept-Encoding": ACCEPT_ENCODING})
    assert enrol.status_code == 200 and b"<svg" in enrol.content
    assert not enrol.has_header("Content-Encoding")
