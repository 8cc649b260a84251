"""Build the country scale (or a part of it) into a new PostgreSQL database and time it, then
time the national, a province's and a cell's dashboards and the rebuild of one province.

    python bench/bench_country.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    python bench/bench_country.py --only QN,HUE,DB --database-url …   # a measured part
    python bench/bench_country.py --only QN --keep …                  # keep the database

The database gets a new name on the server of the URL and is dropped afterwards unless --keep
(a whole country takes tens of GB). A part keeps each province's share of the country, so the
rates it prints (members and cells a second) scale to the whole.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_demo import database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server")
    parser.add_argument("--only", help="refs of the provinces to build, comma-separated")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="Leave the database in place.")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    with database(args.database_url, keep=args.keep) as url:
        os.environ["DATABASE_URL"] = url
        print(f"database: {url}")
        build(only, args.months)
        measure(only, args.repeat, args.workers)


def build(only: set[str] | None, months: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    django.setup()
    from django.core.management import call_command

    from chibo.orgs.management.commands.demo import Command
    from chibo.orgs.models import Member, Organisation

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    now = datetime(2026, 6, 20, 3, 0, tzinfo=UTC)
    Command().generate("country", 1, months, now, progress=True, only=only)
    seconds = time.perf_counter() - started
    cells, members = Organisation.objects.cells().count(), Member.objects.count()
    print(f"built {cells} cells, {members} members in {seconds:.0f} s:")
    print(f"  {members / seconds:.0f} members/s, {cells / seconds:.1f} cells/s")


def measure(only: set[str] | None, repeat: int, workers: int) -> None:
    from django.test import Client
    from django.urls import reverse
    from timing import header, report

    from chibo.orgs.models import Organisation, User
    from chibo.quality import rollup

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.filter(is_superuser=True).first())
    nation = Organisation.objects.get(depth=1)
    # Quảng Ninh: the province with meetings, so its rebuild reads a history.
    province = Organisation.objects.get(ref="QN")
    cell = Organisation.objects.cells().order_by("-member_count").first()
    header()
    for name, org in [
        (f"national, 12 months ({nation.cell_count} cells)", nation),
        (f"{province.name} ({province.cell_count} cells)", province),
        ("cell", cell),
    ]:
        report(client, name, reverse("quality:dashboard", args=[org.code]) + "?months=12", repeat)
    for n in sorted({1, workers}):
        started = time.perf_counter()
        rows = rollup.rebuild(under=province, workers=n, today=datetime(2026, 6, 20).date())
        print(
            f"rebuild of {province.name}, {n} worker(s): {rows} rows "
            f"in {time.perf_counter() - started:.1f} s"
        )


if __name__ == "__main__":
    main()
