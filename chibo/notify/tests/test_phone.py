"""chibo as an app on the phone: the manifest and its icons, the service worker's headers, and
signing out clearing what the browser kept."""

import io

from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from chibo.tests.test_headers import policy


def test_the_manifest_installs_chibo_with_its_icons(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="km")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["display"], manifest["lang"]) == (
        "/",
        "standalone",
        "km",
    )
    assert any("\u1780" <= c <= "\u17ff" for c in manifest["description"])
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {(f"{n}x{n}", p) for n in (192, 512) for p in ("any", "maskable")}
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(b"".join(client.get(icon["src"]).streaming_content)))
        assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"


def test_every_page_links_the_manifest_and_the_worker(world):
    page = world.client("member").get(reverse("home")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest" data-service-worker="/sw.js"' in page
    assert '<meta name="theme-color" content="#b3261e">' in page


def test_the_service_worker_is_served_from_the_root_under_the_strict_policy(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    directives = policy(response)
    assert directives["script-src"] == ["'self'"] and directives["default-src"] == ["'self'"]
    script = response.content.decode()
    # Versioned, so a change replaces the worker and its cache of the shell.
    assert 'const VERSION = "VERSION"' not in script and "/static/chibo/chibo.css" in script
    # Its offline sentences in every language.
    assert "You are offline" in script and "Bạn đang ngoại tuyến" in script
    for code in ("vi", "km", "en"):
        assert f'"{code}": {{"copy"' in script


def test_the_manifest_and_the_worker_pass_the_policy_of_the_pages(world):
    """Both come from this site, which `default-src 'self'` (manifest-src, worker-src) allows."""
    page = world.client("member").get(reverse("home"))
    directives = policy(page)
    assert "manifest-src" not in directives and "worker-src" not in directives
    assert directives["default-src"] == ["'self'"]


def test_signing_out_asks_the_browser_to_forget_the_pages_kept(world):
    client = world.client("member")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_a_change_to_the_shell_makes_a_new_worker(client, monkeypatch, tmp_path):
    """The shell is served from the worker's cache first: a changed stylesheet must change the
    worker, or phones would keep the old one."""
    before = client.get("/sw.js").content
    changed = tmp_path / "chibo.css"
    changed.write_text("body { color: red; }")
    real = finders.find

    def find(path: str, **options) -> str:
        return str(changed) if path == "chibo/chibo.css" else real(path, **options)

    monkeypatch.setattr(finders, "find", find)
    after = client.get("/sw.js").content
    assert before != after
    assert version(before) != version(after)


def version(worker: bytes) -> bytes:
    """The worker's VERSION line."""
    return next(line for line in worker.split(b"\n") if line.startswith(b"const VERSION"))
