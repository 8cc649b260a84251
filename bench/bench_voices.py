"""Voices at the scale of a province: about a million over five years, then the pages the issue
names, timed in process as the people who use them.

    chibo demo --scale province --months 1 --no-serve   # once, into ./data (or DATABASE_URL);
                                                        # the meetings' history is not needed
    python bench/bench_voices.py [--voices 1000000] [--repeat 20]

The first run adds the voices (and their steps) with one bulk load per table, spread over every
cell of the province and the last five years: most answered and resolved by their cell, some
passed up and settled by the ward or the city, some left open past their dates, a few still
waiting at the public door. Later runs find them and only time. Prints the median and 95th
percentile server time and the queries of:

- a committee's voices page (its inbox, open ones and all) and its summary by category, place
  and recurring matter, first drawn (the cache emptied, median of three) and as kept: as a ward
  committee member (the demo's `supervisor`), the city's (`committee`) and the province
  (`admin`); the issue's target is under 150 ms;
- the public door's submit, a POST through the test client with the limits raised, rolled back
  (target: under 50 ms).
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import WIDTH, header, report, signed_in  # noqa: E402

from chibo.lib import bulk  # noqa: E402
from chibo.orgs.demo.accounts import CELL_REF  # noqa: E402
from chibo.orgs.models import Member, Organisation, User  # noqa: E402
from chibo.voices import matters, tally  # noqa: E402
from chibo.voices.demo import PLACES, SAID, WEIGHTS  # noqa: E402
from chibo.voices.models import Category, Step, Voice  # noqa: E402

YEARS = 5
CHUNK = 50_000
VOICE = [
    "id", "code", "cell_id", "holder_id", "category_id", "place", "urgency", "text", "source",
    "recorded_by_id", "state", "received_at", "first_answered_at", "resolved_at", "answer_due",
    "resolve_due", "moderation", "tracking_code",
]  # fmt: skip
STEP = ["voice_id", "kind", "by_org_id", "to_org_id", "text", "at"]


def add_voices(total: int, seed: int = 5) -> None:
    """`total` voices and their steps over the last five years, every cell of the tree."""
    rng = random.Random(seed)
    now = timezone.now()
    if connection.vendor == "sqlite":
        # SQLite's default cache of 2 MB holds little of eleven indexes growing by a million
        # rows: the load waits on the disk. A larger one for this connection only.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1000000")
    span = timedelta(days=365 * YEARS)
    parents = dict(Organisation.objects.committees().values_list("path", "pk"))
    cells = [
        (
            pk,
            parents.get(path[: -Organisation.steplen]),
            parents.get(path[: -2 * Organisation.steplen]),
        )
        for pk, path in Organisation.objects.cells().values_list("pk", "path")
    ]
    # A cell's voices pass up a little more or less, and some cells answer late (weak ones).
    weak = {pk for pk, _ward, _city in cells if rng.random() < 0.1}
    members: dict[int, list[int]] = {}
    for cell_id, pk in Member.objects.values_list("cell_id", "pk"):
        members.setdefault(cell_id, []).append(pk)
    categories = {c.slug: c for c in Category.objects.all()}
    slugs = [slug for slug in WEIGHTS if slug in categories]
    weights = [WEIGHTS[slug] for slug in slugs]
    days = settings.CHIBO_VOICE_DAYS
    next_pk = bulk.next_id(Voice)
    made = 0
    started = time.perf_counter()
    while made < total:
        voices, steps = [], []
        for pk in range(next_pk + made, next_pk + min(total, made + CHUNK)):
            cell, ward, city = rng.choice(cells)
            received = now - span * rng.random() ** 0.9  # a little more of late
            category = categories[rng.choices(slugs, weights)[0]]
            answer_due = received + timedelta(days=category.answer_days or days["answer"])
            resolve_due = received + timedelta(days=category.resolve_days or days["resolve"])
            text = rng.choice(SAID[category.slug]).format(where=rng.choice(PLACES))
            state, holder, answered, closed = Voice.State.RECEIVED, cell, None, None
            said = [(pk, Step.Kind.RECORDED, cell, None, "", received)]
            age = (now - received).days
            late = cell in weak
            roll = rng.random()
            if roll < 0.12 and ward:  # passed up, the ward (or the city) settles it
                at = received + timedelta(days=rng.uniform(0.5, 3))
                said.append((pk, Step.Kind.PASSED_UP, cell, ward, "Vượt thẩm quyền.", at))
                holder, state = ward, Voice.State.PASSED_UP
                if city and rng.random() < 0.2:
                    at += timedelta(days=rng.uniform(1, 5))
                    said.append((pk, Step.Kind.PASSED_UP, ward, city, "Đề nghị thành phố.", at))
                    holder = city
            else:
                at = received
            wait = rng.uniform(8, 40) if late else rng.uniform(0.2, 6)
            if (now - at).days > wait and rng.random() > (0.3 if late else 0.02):
                at += timedelta(days=wait)
                answered, state = at, Voice.State.ANSWERED
                said.append((pk, Step.Kind.ANSWERED, holder, None, "Đã tiếp nhận.", at))
                settle = rng.uniform(3, 60 if late else 20)
                if (now - at).days > settle and rng.random() > 0.1:
                    at += timedelta(days=settle)
                    closed = at
                    state = Voice.State.DECLINED if rng.random() < 0.05 else Voice.State.RESOLVED
                    kind = (
                        Step.Kind.DECLINED if state == Voice.State.DECLINED else Step.Kind.RESOLVED
                    )
                    said.append((pk, kind, holder, None, "Đã xử lý xong.", at))
            elif age < 30 and rng.random() < 0.3:
                state = Voice.State.IN_PROGRESS
            # A few from the public door: accepted mostly, some waiting, some rejected.
            door = rng.random() < 0.02
            moderation = ""
            if door:
                moderation = rng.choices(["accepted", "waiting", "rejected"], [90, 5, 5])[0]
            voices.append(
                (
                    pk, uuid.UUID(int=rng.getrandbits(128), version=4), cell, holder, category.pk,
                    rng.choice(PLACES), "urgent" if rng.random() < 0.08 else "normal", text,
                    "citizen" if door else rng.choice(["self", "member", "citizen"]),
                    None if door or not members.get(cell) else rng.choice(members[cell]),
                    state, received, answered, closed, answer_due, resolve_due, moderation,
                    f"B{pk:09d}" if door else None,
                )
            )  # fmt: skip
            steps += said
        with transaction.atomic():
            bulk.load(Voice, VOICE, voices)
            bulk.load(Step, STEP, steps)
        made += len(voices)
        rate = made / (time.perf_counter() - started)
        print(f"\r{made:,} voices ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    tally.rebuild()
    bulk.refresh_statistics()


def timed_posts(client: Client, url: str, data, repeat: int) -> None:
    """POST `repeat` times after one warm-up, inside a transaction rolled back."""
    timings = []
    with transaction.atomic():
        client.post(url, data())
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.post(url, data())
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.post(url, data())
        transaction.set_rollback(True)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"{'door: submit a voice':{WIDTH}} {statistics.median(timings):10.1f} {p95:8.1f} "
          f"{len(queries):8}")  # fmt: skip


def timed(run, *args) -> float:
    """Milliseconds `run(*args)` took; a page must answer 200."""
    started = time.perf_counter()
    result = run(*args)
    elapsed = (time.perf_counter() - started) * 1000
    assert getattr(result, "status_code", 200) == 200
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    have = Voice.everything.count()
    if have < args.voices:
        add_voices(args.voices - have, seed=have)  # a run cut short goes on with new codes
    cell = Organisation.objects.get(ref=CELL_REF)
    ward = Organisation.objects.get_parent(cell)
    city = Organisation.objects.get_parent(ward)
    province = Organisation.objects.get(depth=1)
    print(f"{connection.vendor}: {Voice.everything.count():,} voices, "
          f"{Organisation.objects.cells().count():,} cells")  # fmt: skip
    header()
    for username, org in (("supervisor", ward), ("committee", city), ("admin", province)):
        client = signed_in(User.objects.get(username=username))
        inbox = reverse("voices:inbox", args=[org.code])
        summary = reverse("voices:summary", args=[org.code])
        report(client, f"{username}: inbox of {org.name}", inbox, args.repeat)
        report(client, f"{username}: inbox, all states", inbox + "?state=all", args.repeat)
        report(client, f"{username}: inbox, overdue", inbox + "?overdue=on", args.repeat)
        # The summary's figures are kept in the shared cache: first drawn (nothing kept; a
        # large subtree's matters asked of the background), after a change to a voice of the
        # subtree (its last count read), then as kept; and the count of its matters alone.
        drawn, changed, counted = [], [], []
        for _ in range(3):
            cache.clear()
            client.get(reverse("home"))  # the reach, kept for the day, as for anyone signed in
            drawn.append(timed(client.get, summary))
            counted.append(timed(matters.count, org, timezone.now()))
            cache.delete(f"indicators:{org.pk}")  # its rows' version moves, as on a change
            changed.append(timed(client.get, summary))
        for label, times in (
            (f"{username}: summary of {org.name}, first drawn", drawn),
            (f"{username}: summary, after a change", changed),
            (f"{username}: its matters counted (background)", counted),
        ):
            print(f"{label[:WIDTH]:{WIDTH}} {sorted(times)[1]:10.1f}")
        report(client, f"{username}: summary, kept", summary, args.repeat)
    secretary = signed_in(User.objects.get(username="secretary"))
    report(
        secretary,
        "secretary: inbox of the cell",
        reverse("voices:inbox", args=[cell.code]),
        args.repeat,
    )
    settings.CHIBO_DOOR_LIMITS = {**settings.CHIBO_DOOR_LIMITS, "voices": 10**9}
    land = Category.objects.get(slug="land_environment").pk
    citizen = Client(REMOTE_ADDR="203.0.113.9")
    timed_posts(
        citizen,
        reverse("voices:door", args=[cell.code]),
        lambda: {"category": land, "text": "Đèn đường ngõ 3 hỏng.", "place": "Ngõ 3"},
        args.repeat,
    )


if __name__ == "__main__":
    main()
