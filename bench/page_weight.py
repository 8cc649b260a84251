"""What each persona's main pages weigh over the wire, with a cold cache, through `chibo serve`.

    chibo demo --no-serve                  # once: the city, into ./data (or DATABASE_URL)
    chibo serve --port 8000                # in another terminal
    python bench/page_weight.py [--url http://127.0.0.1:8000]

Signs the demo's accounts in (a session written to the database the server reads), fetches
each page as a browser would (`Accept-Encoding: gzip, br`), then every stylesheet, script,
image and icon it references, each once, as a browser with an empty cache does. Prints the
bytes received (bodies, as sent: compressed when the server compressed them), in kB of 1,000
bytes, and the encodings seen.
"""

import argparse
import gzip
import os
import sys
import urllib.request
from pathlib import Path

import brotli
import django

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import signed_in  # noqa: E402

from chibo.meetings.models import Meeting  # noqa: E402
from chibo.orgs.models import Organisation, User  # noqa: E402
from chibo.tests.pageweight import ACCEPT_ENCODING, LIMIT, assets  # noqa: E402

WIDTH = 34
DECODERS = {"gzip": gzip.decompress, "br": brotli.decompress}


def fetch(url: str, cookie: str) -> tuple[bytes, str]:
    """The body as received, and its encoding."""
    request = urllib.request.Request(
        url, headers={"Accept-Encoding": ACCEPT_ENCODING, "Cookie": cookie}
    )
    with urllib.request.urlopen(request) as response:
        return response.read(), response.headers.get("Content-Encoding", "identity")


def cookie_for(user: User) -> str:
    client = signed_in(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def pages() -> list[tuple[str, str, str]]:
    """(persona, page, address) of the main pages of each persona of the demo."""
    member = User.objects.get(username="member").member
    cell = member.cell
    ward = Organisation.objects.get(path=cell.path[: -Organisation.steplen])
    city = Organisation.objects.get(ref="QN.UB")
    province = Organisation.objects.get(path=city.path[: Organisation.steplen])
    meeting = (
        Meeting.objects.filter(cell=cell, status=Meeting.Status.PUBLISHED)
        .order_by("starts_at")
        .first()
    ) or Meeting.objects.filter(cell=cell).order_by("-starts_at").first()
    return [
        ("member", "member's home", reverse("home")),
        ("member", "meeting page", reverse("meetings:meeting", args=[meeting.code])),
        ("member", "my tasks", reverse("meetings:my_tasks")),
        ("member", "cell page", reverse("orgs:organisation", args=[cell.code])),
        ("member", "notifications", reverse("notify:list")),
        ("member", "library", reverse("library:index")),
        ("secretary", "secretary's home", reverse("home")),
        ("secretary", "agenda editor", reverse("meetings:agenda", args=[meeting.code])),
        ("secretary", "voices inbox", reverse("voices:inbox", args=[cell.code])),
        ("secretary", "cell dashboard", reverse("quality:dashboard", args=[cell.code])),
        ("supervisor", "supervision", reverse("supervision:mine")),
        ("committee", "ward dashboard", reverse("quality:dashboard", args=[ward.code])),
        ("committee", "city dashboard", reverse("quality:dashboard", args=[city.code])),
        ("admin", "province dashboard", reverse("quality:dashboard", args=[province.code])),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    cookies = {}
    print(f"{'page':{WIDTH}} {'HTML kB':>8} {'assets kB':>10} {'total kB':>9}  encodings")
    for persona, name, path in pages():
        if persona not in cookies:
            cookies[persona] = cookie_for(User.objects.get(username=persona))
        page_url = args.url + path
        html, encoding = fetch(page_url, cookies[persona])
        text = DECODERS.get(encoding, bytes)(html)
        encodings = {encoding}
        asset_bytes = 0
        for url in assets(text.decode(), page_url):
            body, asset_encoding = fetch(url, cookies[persona])
            asset_bytes += len(body)
            encodings.add(asset_encoding)
        total = len(html) + asset_bytes
        mark = "" if total <= LIMIT else "  over 100 kB"
        print(
            f"{f'{name} ({persona})':{WIDTH}} {len(html) / 1000:8.1f} {asset_bytes / 1000:10.1f}"
            f" {total / 1000:9.1f}  {','.join(sorted(encodings))}{mark}"
        )


if __name__ == "__main__":
    main()
