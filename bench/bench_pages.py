"""Server time of the tree, cell, member and search pages on an existing demo database.

    chibo demo --scale province --no-serve            # once, into ./data (or DATABASE_URL)
    python bench/bench_pages.py [--repeat 30]

Requests go through Django's test client in-process, so the figures are server time (views,
templates, queries), without the network. Prints the median and 95th percentile per page.
"""

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from chibo.orgs.models import Member, Organisation, User  # noqa: E402


def pages() -> dict[str, str]:
    root = Organisation.objects.filter(depth=1).first()
    city = Organisation.objects.filter(depth=2).order_by("-member_count").first()
    cell = Organisation.objects.cells().annotate(n=Count("members")).order_by("-n").first()
    member = Member.objects.filter(cell=cell).order_by("pk").first()
    return {
        "tree (province)": f"/orgs/{root.code}/",
        "committee (city)": f"/orgs/{city.code}/",
        f"cell ({cell.member_count} members)": f"/orgs/{cell.code}/",
        "member profile": f"/members/{member.code}/",
        "member search": "/members/?q=nguyen+van",
    }


def measure(client: Client, url: str, repeat: int) -> tuple[list[float], int]:
    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return timings, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--user", default="admin", help="username of the viewer")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    print(f"{connection.vendor}, {Member.objects.count():,} members, viewer {args.user}")
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages().items():
        timings, queries = measure(client, url, args.repeat)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:32} {statistics.median(timings):10.1f} {p95:8.1f} {queries:8}")


if __name__ == "__main__":
    main()
