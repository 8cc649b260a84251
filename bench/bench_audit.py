"""The audit log: `chibo audit verify` over a million entries, and what recording one adds to a
page.

    chibo migrate && python bench/bench_audit.py verify [--entries 1000000]
    chibo demo --no-serve && python bench/bench_audit.py write [--repeat 200]

`verify` appends `--entries` sealed entries to the database's log (use a database of its own),
then times the whole check. `write` times `record()` alone, then a member's profile as a
committee member sees it (it records the view) with the recording and without it.
"""

import argparse
import os
import random
import statistics
import time
from unittest import mock

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from chibo.access.scope import Scope  # noqa: E402
from chibo.audit.keys import seal  # noqa: E402
from chibo.audit.log import record  # noqa: E402
from chibo.audit.models import SEALED, Action, Entry, message  # noqa: E402
from chibo.audit.verify import everything  # noqa: E402
from chibo.orgs.models import User  # noqa: E402

BATCH = 10_000
ACTIONS = [Action.MEMBER_VIEWED, Action.SIGNED_IN, Action.PDF_DOWNLOADED, Action.SCORE_CHANGED]


def fill(count: int) -> None:
    """Append `count` entries like a busy year's, sealed as `record` seals them."""
    rng = random.Random(1)
    last = Entry.objects.order_by("-number").values_list("number", "mac").first()
    number, previous = last or (0, "")
    start = time.perf_counter()
    for first in range(0, count, BATCH):
        rows = []
        for _ in range(min(BATCH, count - first)):
            number += 1
            entry = Entry(
                number=number,
                at=timezone.now(),
                user_id=rng.randint(1, 9000),
                username=f"user{rng.randint(1, 9000)}",
                action=rng.choice(ACTIONS),
                organisation_id=rng.randint(1, 400),
                kind="member",
                object_id=str(rng.randint(1, 9000)),
                detail={"n": number},
                address="10.0.0.1",
            )
            entry.mac = previous = seal(message(previous, [getattr(entry, f) for f in SEALED]))
            rows.append(entry)
        with transaction.atomic():
            Entry.objects.bulk_create(rows)
    print(f"appended {count:,} entries in {time.perf_counter() - start:.1f} s")


def verify(entries: int) -> None:
    if entries:
        fill(entries)
    total = Entry.objects.count()
    start = time.perf_counter()
    problems = sum(1 for _ in everything())
    seconds = time.perf_counter() - start
    print(
        f"{connection.vendor}: verified {total:,} entries in {seconds:.1f} s, {problems} problems"
    )


def timed(call, repeat: int) -> tuple[float, float]:
    """The median and 95th percentile of `repeat` calls, in ms."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    if repeat == 1:
        return timings[0], timings[0]
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def write(repeat: int) -> None:
    settings.ALLOWED_HOSTS.append("testserver")
    user = User.objects.get(username="committee")
    member = Scope(user).members().exclude(user=user).order_by("pk").first()
    one = timed(lambda: record(None, Action.MEMBER_VIEWED, member, user=user), repeat)
    print(f"{connection.vendor}: record() alone: median {one[0]:.2f} ms, p95 {one[1]:.2f} ms")
    client = Client()
    client.force_login(user)
    url = f"/members/{member.code}/"
    client.get(url)
    # Interleaved, so that the machine's moods weigh on both alike.
    with_log, without = [], []
    for _ in range(repeat):
        with_log.append(timed(lambda: client.get(url), 1)[0])
        with mock.patch("chibo.orgs.views.record"):
            without.append(timed(lambda: client.get(url), 1)[0])
    for name, timings in (("with the audit write", with_log), ("without it", without)):
        median, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[-1]
        print(f"member profile {name:22} median {median:.1f} ms, p95 {p95:.1f} ms")
    added = statistics.median(with_log) - statistics.median(without)
    print(f"the audit write adds (difference of the medians): {added:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("verify").add_argument("--entries", type=int, default=1_000_000)
    sub.add_parser("write").add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    if args.what == "verify":
        verify(args.entries)
    else:
        write(args.repeat)


if __name__ == "__main__":
    main()
