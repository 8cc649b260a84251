"""Server time of the quality dashboards and of `chibo quality rebuild`, on an existing demo
database.

    chibo demo --no-serve [--scale province] [--months 60]   # once, into ./data (or DATABASE_URL)
    python bench/bench_quality.py [--repeat 20] [--rebuild]

Times, as an administrator, the top committee's dashboard over 12 and 60 months, a grassroots
committee's and a cell's: first drawn (the shared cache emptied before it), then as kept; with
--rebuild, the rebuild of every indicator from the records.
"""

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import WIDTH, header, report, signed_in  # noqa: E402

from chibo.orgs.models import Organisation, User  # noqa: E402
from chibo.quality import rollup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true", help="Also time `chibo quality rebuild`.")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    client = signed_in(User.objects.filter(is_superuser=True).first())
    top = Organisation.objects.get(depth=1)
    grassroots = Organisation.objects.cells().order_by("-depth").first().get_parent()
    cell = Organisation.objects.cells().order_by("-member_count").first()
    header()
    for name, org, months in [
        (f"top committee, 12 months ({top.cell_count} cells)", top, 12),
        ("top committee, 60 months", top, 60),
        ("grassroots committee, 12 months", grassroots, 12),
        ("cell, 12 months", cell, 12),
    ]:
        url = reverse("quality:dashboard", args=[org.code]) + f"?months={months}"
        drawn = []
        for _ in range(3):
            cache.clear()
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            drawn.append((time.perf_counter() - started) * 1000)
        label = f"{name}, first drawn"
        print(f"{label[:WIDTH]:{WIDTH}} {sorted(drawn)[1]:10.1f}")
        report(client, name + ", kept", url, args.repeat)
    if not args.rebuild:
        return
    started = time.perf_counter()
    rows = rollup.rebuild()
    print(f"chibo quality rebuild: {rows} rows in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
