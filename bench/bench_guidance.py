"""Time guidance on an existing demo database: the province publishing to every cell, a cell's
merged guidance, and the background fan-out that follows a publication.

    chibo demo --scale province --no-serve     # once, into ./data (or DATABASE_URL); the city
                                               # demo works too, with 318 cells
    python bench/bench_guidance.py [--repeat 10]

Everything happens inside a transaction rolled back at the end, so the database is left as it
was. Prints the median and 95th percentile in milliseconds and the queries of one run:
(a) `issuing.publish` of the province's guidance for this month, whose fan-out runs in the
background (the issue's target: under 200 ms for ~4,000 cells); (b) `cascade.addressed_to` for
a cell (target: under 30 ms); (c) `tasks.fan_out` itself, the notifications and the indicator
rows of every cell addressed (no target); (d) the province's adoption page for this month, in
process, as `--viewer` (target: under 150 ms).
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import signed_in  # noqa: E402

from chibo.guidance import issuing  # noqa: E402
from chibo.guidance.cascade import addressed_to  # noqa: E402
from chibo.guidance.models import Guidance, Point  # noqa: E402
from chibo.guidance.tasks import fan_out  # noqa: E402
from chibo.lib.months import month_of  # noqa: E402
from chibo.orgs.demo.accounts import CELL_REF  # noqa: E402
from chibo.orgs.models import Organisation, User  # noqa: E402

WIDTH = 44


def draft(province: Organisation, month, n: int) -> Guidance:
    """A draft of the province's guidance for `month`, with four points, as a committee
    writes it."""
    guidance = Guidance.objects.create(
        committee=province, month=month, title=f"Hướng dẫn bổ sung số {n}"
    )
    for title, required in (
        ("Học tập Nghị quyết 57-NQ/TW", True),
        ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", True),
        ("Phòng, chống thiên tai mùa mưa bão", False),
        ("Phân loại rác thải tại nguồn", False),
    ):
        issuing.add_point(guidance, kind=Point.Kind.TASK, required=required, title=title)
    return guidance


def timed(call: Callable[[], object]) -> tuple[float, int]:
    """Milliseconds and queries of one call (counted, not logged: the fan-out makes more than
    Django's query log keeps)."""
    count = 0

    def counted(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        start = time.perf_counter()
        call()
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed, count


def show(name: str, runs: list[tuple[float, int]]) -> None:
    timings = [ms for ms, _ in runs]
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    print(f"{name[:WIDTH]:{WIDTH}} {statistics.median(timings):10.1f} {p95:8.1f} {runs[-1][1]:8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--viewer", default="admin", help="who opens the adoption page")
    parser.add_argument(
        "--fan-outs", type=int, default=1, help="fan-outs to time: each takes a while"
    )
    args = parser.parse_args()
    province = Organisation.objects.get(depth=1, kind=Organisation.Kind.COMMITTEE)
    cell = Organisation.objects.get(ref=CELL_REF)
    month = month_of(timezone.localdate())
    with transaction.atomic():
        drafts = [draft(province, month, n) for n in range(args.repeat)]
        cells = drafts[0].audience().count()
        print(f"{connection.vendor}: {province.name}, {cells} cells; {cell.name}")
        print(f"{'':{WIDTH}} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        # The cell's guidance as the demo left it: the drafts are not addressed to it yet.
        addressed_to(cell, month)  # warm-up
        show(
            f"(b) addressed_to({CELL_REF})",
            [timed(lambda: addressed_to(cell, month)) for _ in range(args.repeat * 3)],
        )
        # The fan-out waits for the commit, which never comes: the call alone is timed.
        show(
            "(a) publish to the province",
            [timed(lambda g=g: issuing.publish(g, None)) for g in drafts],
        )
        # The province's table of what its cells did with this month's guidance, as a viewer
        # on the province's committee (the demo's administrator) opens it.
        shown = Guidance.objects.published().filter(committee=province, month=month).first()
        if shown is not None:
            settings.ALLOWED_HOSTS.append("testserver")
            client = signed_in(User.objects.get(username=args.viewer))
            address = reverse("guidance:adoption", args=[shown.code])
            pages = [timed(lambda: client.get(address)) for _ in range(args.repeat + 1)][1:]
            show(f"(d) adoption page of the province ({args.viewer})", pages)
        show(
            "(c) fan_out (notifications, indicators)",
            [timed(lambda g=g: fan_out.call(g.pk, None)) for g in drafts[: args.fan_outs]],
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
