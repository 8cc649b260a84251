"""Server time of the tree, cell, member and search pages on an existing demo database.

    chibo demo --scale province --no-serve            # once, into ./data (or DATABASE_URL)
    python bench/bench_pages.py [--repeat 30]

Requests go through Django's test client in-process, so the figures are server time (views,
templates, queries), without the network. Prints the median and 95th percentile per page.
"""

import argparse
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from timing import header, report  # noqa: E402

from chibo.access.scope import Scope  # noqa: E402
from chibo.orgs.models import Member, User  # noqa: E402


def pages(user: User) -> dict[str, str]:
    """The biggest pages this viewer can open: their top node, its biggest child and cell."""
    scope = Scope(user)
    root = scope.roots()[0]
    visible = scope.organisations()
    child = visible.committees().filter(depth=root.depth + 1).order_by("-member_count").first()
    child = child or root
    cell = visible.cells().annotate(n=Count("members")).order_by("-n").first()
    member = Member.objects.filter(cell=cell).order_by("pk").first()
    return {
        f"tree ({root.name})": f"/orgs/{root.code}/",
        f"committee ({child.name})": f"/orgs/{child.code}/",
        f"cell ({cell.member_count} members)": f"/orgs/{cell.code}/",
        "member profile": f"/members/{member.code}/",
        "member search": "/members/?q=nguyen+van",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--user", default="admin", help="username of the viewer")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    print(f"{connection.vendor}, {Member.objects.count():,} members, viewer {args.user}")
    header()
    for name, url in pages(user).items():
        report(client, name, url, args.repeat)


if __name__ == "__main__":
    main()
