"""Headers and transport: a Content Security Policy that refuses inline scripts on every page
(and the pages still work in a real browser under it), HSTS and HTTPS from the environment."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from chibo.conftest import sign_in
from chibo.meetings.tests.test_planning import make_meeting
from chibo.quality import rollup
from chibo.quality.tests.conftest import MAI, SON, months_ago
from chibo.quality.tests.history import held

ROOT = Path(__file__).resolve().parent.parent
# Templates a browser never runs: the PDFs' HTML is read by WeasyPrint, on the server.
NOT_FOR_BROWSERS = re.compile(r"/pdf(/|\.html)")
INLINE = {
    "an event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "a script without src": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "a style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "a style element": re.compile(r"<style\b", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def templates() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("templates/**/*.html"))
        if not NOT_FOR_BROWSERS.search(path.as_posix())
    ]


def test_no_template_holds_inline_script_or_style():
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates()
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert len(templates()) > 50
    assert found == []


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


def test_every_page_forbids_inline_scripts(world):
    response = world.client("secretary").get(reverse("orgs:members"))
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.fixture
def history(world):
    """Two months of meetings in the secretary's cell: the dashboard draws its charts."""
    for n in (1, 2):
        held(world.cell, months_ago(n), [MAI, SON])
    rollup.rebuild()
    return world


def test_the_charts_are_styled_by_a_file_not_a_style_in_the_page(history):
    """pygal draws each chart with its stylesheet inside; the page keeps only the drawing, and
    `charts.css` styles them all, so the policy allows no style in a page at all."""
    client = history.client("secretary")
    url = reverse("quality:dashboard", args=[history.cell.code])
    for _request in range(2):  # the second comes from the cache
        response = client.get(url)
        assert policy(response)["style-src"] == ["'self'"]
        page = response.content.decode()
        assert "<svg" in page and "<style" not in page and 'style="' not in page
        assert "<script type" not in page and "charts.css" in page


def settings_in(environment: dict[str, str], *names: str) -> list[str]:
    """The settings as a fresh process reads them from `environment`."""
    code = "from chibo import settings as s; " + "; ".join(f"print(repr(s.{n}))" for n in names)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "SECRET_KEY": "x", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_https_settings_come_from_the_environment():
    names = (
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )
    assert settings_in({}, *names) == [
        "0",
        "False",
        "False",
        "False",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
        "False",
        "False",
    ]
    behind_a_proxy = {
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "yes",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Scheme",
        "SECURE_COOKIES": "true",
    }
    assert settings_in(behind_a_proxy, *names) == [
        "31536000",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_SCHEME', 'https')",
        "True",
        "True",
    ]
    assert settings_in({"SECURE_PROXY_SSL_HEADER": ""}, "SECURE_PROXY_SSL_HEADER") == ["None"]


def test_hsts_and_the_redirect_follow_the_proxys_header(world, settings, client):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=3600"


# -- in a real browser -----------------------------------------------------------------------

# Runs before any page script: every refusal of the policy is kept for the test to read.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.mark.browser
def test_a_secretarys_pages_work_under_the_policy_without_a_violation(history, page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    violations = []

    def visit(url: str) -> None:
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        violations.extend(page.evaluate("window.__violations"))

    sign_in(page, "son")
    meeting = make_meeting(history.cell)
    for url in [
        reverse("home"),
        reverse("meetings:list"),
        reverse("meetings:meeting", args=[meeting.code]),
        reverse("orgs:organisation", args=[history.cell.code]),
        reverse("quality:dashboard", args=[history.cell.code]),
        reverse("quality:reports", args=[history.cell.code]),
        reverse("quality:evaluations"),
        reverse("supervision:mine"),
        reverse("notify:list"),
        reverse("notify:settings"),
        reverse("meetings:my_tasks"),
    ]:
        visit(url)
    # The charts are drawn with their own styles: a line is not filled black.
    visit(reverse("quality:dashboard", args=[history.cell.code]))
    line = page.locator("figure.chart svg .series path.line").first
    assert line.evaluate("path => getComputedStyle(path).fill") == "none"

    # htmx works: the agenda editor moves an item in place.
    visit(reverse("meetings:agenda", args=[meeting.code]))
    first = page.inner_text("#item-1 h3")
    page.click("#item-1 button[name=down]")
    expect(page.locator("#item-2 h3")).to_have_text(first)
    # …and the member search answers as one types.
    visit(reverse("orgs:members"))
    page.fill("main input[name=q]", "tran van")
    expect(page.locator("#results")).not_to_contain_text("Nguyễn Thị Mai")
    # chibo.js works: the language changes as soon as it is chosen.
    page.select_option("#language", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    violations.extend(page.evaluate("window.__violations"))

    assert violations == []
    assert not [text for text in console if "Content Security Policy" in text]


@pytest.mark.browser
def test_the_administration_works_under_the_policy_without_a_violation(history, page):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, "admin")
    mai = history.member.member
    violations = []
    for url in [
        reverse("admin:index"),
        reverse("admin:orgs_organisation_changelist"),
        reverse("admin:orgs_organisation_change", args=[history.cell.pk]),
        reverse("admin:orgs_member_changelist"),
        reverse("admin:orgs_member_change", args=[mai.pk]),
        reverse("admin:orgs_position_add"),
    ]:
        assert page.goto(url).status == 200, url
        violations.extend(page.evaluate("window.__violations"))
    # The admin's own scripts run: the date widget's "Today" shortcut fills the field.
    page.click("#id_started_on + .datetimeshortcuts a")
    assert page.input_value("#id_started_on")
    violations.extend(page.evaluate("window.__violations"))
    assert violations == []
