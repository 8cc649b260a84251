"""Time the search on a demo database: a member, a ward committee member and the province
administrator, over realistic queries, with extra library documents; and the indexing of a
100-page document's text.

    chibo demo --scale province --months 3 --no-serve    # once, into ./data (or DATABASE_URL)
    python bench/bench_search.py [--documents 10000] [--repeat 5]

The extra documents (national, their body text made of the library demo's phrase tables) are
added once and kept, marked by the issuer "Bench"; the index is brought up to date before
timing. Prints the median and 95th percentile of `searching.search` in milliseconds per
persona (the issue's targets: under 100 ms median, 300 ms p95), the queries of one search, and
the time to index a document of 100 pages of ~300 words (target: under 5 s, in the background).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from chibo.access.scope import Scope  # noqa: E402
from chibo.conftest import make_user  # noqa: E402
from chibo.lib.search import parse  # noqa: E402
from chibo.library import demo as library_demo  # noqa: E402
from chibo.library.index import indexing  # noqa: E402
from chibo.library.models import Document, SearchEntry  # noqa: E402
from chibo.library.searching import search  # noqa: E402
from chibo.orgs.models import Organisation, Position, User  # noqa: E402

QUERIES = [
    "nghi quyet 57",
    "57-NQ/TW",
    "42 hd btctw",
    "chi bộ",
    "nâng cao chất lượng sinh hoạt",
    "an toàn giao thông",
    "chuyển đổi số",
    "học tập nghị quyết",
    "kế hoạch hành động",
    "Nguyễn Văn",
    "vệ sinh môi trường",
    "xây dựng nông thôn mới",
    "ការ",
    "សេចក្តីសម្រេចចិត្ត",
    "phong chong tham nhung",
    "bien ban",
]
BENCH = "Bench"


def add_documents(wanted: int) -> None:
    have = Document.objects.filter(issuer=BENCH).count()
    if have >= wanted:
        return
    rng = random.Random(13)
    subjects = library_demo.SUBJECTS
    docs = []
    for n in range(have, wanted):
        kind, code, pattern = rng.choice(library_demo.LOCAL)
        subject = rng.choice(subjects)
        title = pattern.format(subject=subject)
        docs.append(
            Document(
                issuer=BENCH,
                number=f"{n + 1000}-{code}/TW",
                issued_on=date(2015, 1, 1) + timedelta(days=rng.randrange(4000)),
                type=kind,
                title=title,
                summary=library_demo._summary(title),
                text=library_demo._body(rng, subject),
            )
        )
    Document.objects.bulk_create(docs, batch_size=500)
    print(f"added {len(docs)} documents", file=sys.stderr)


def ward_committee_user() -> User:
    """A member sitting on a grassroots committee (its children are cells), with an account."""
    seat = (
        Position.objects.current()
        .filter(
            organisation__kind=Organisation.Kind.COMMITTEE,
            organisation__numchild__gt=0,
            kind=Position.Kind.COMMITTEE,
        )
        .select_related("member", "organisation")
        .order_by("organisation__path")
    )
    for position in seat[:200]:
        org = position.organisation
        if Organisation.objects.get_children(org).filter(kind=Organisation.Kind.CELL).exists():
            member = position.member
            user = User.objects.filter(member=member).first() or make_user(
                member, f"bench_ward_{member.pk}"
            )
            print(f"ward committee: {member.full_name}, {org.name}", file=sys.stderr)
            return user
    raise SystemExit("no grassroots committee member found")


# The administrator's commonest phrases, searched again with each filter of the page.
COMMON = ["chi bộ", "an toàn giao thông", "vệ sinh môi trường", "biên bản", "học tập nghị quyết"]


def timed(scope: Scope, typed: str, repeat: int, **filters) -> list[float]:
    query = parse(typed)
    search(scope, query, **filters)  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        search(scope, query, **filters)
        times.append((time.perf_counter() - start) * 1000)
    return times


def filtered(scope: Scope, repeat: int) -> None:
    """The administrator's commonest phrases with each filter: the median and the slowest."""
    today = timezone.localdate()
    last_year = today.year - 1
    city = Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE, depth=2).first()
    filters = {
        "meetings alone": {"kind": "meeting"},
        f"within {city.name}": {"within": city},
        "page 10": {"offset": 180},
        "the last 14 days": {"since": today - timedelta(days=14)},
        f"the year {last_year}": {
            "since": date(last_year, 1, 1),
            "until": date(last_year, 12, 31),
        },
        "typing (the last letter not yet typed)": {"prefix": True},
    }
    print(f"\nprovince admin, {len(COMMON)} common phrases")
    print(f"{'filter':40} {'median ms':>10} {'max ms':>8}")
    for name, given in filters.items():
        times = []
        for typed in COMMON:
            times += timed(scope, typed[:-1] if "prefix" in given else typed, repeat, **given)
        print(f"{name:40} {statistics.median(times):10.1f} {max(times):8.1f}")


def pdf_text(pages: int = 100, words: int = 300) -> str:
    rng = random.Random(5)
    out = []
    for _ in range(pages):
        page = []
        while len(" ".join(page).split()) < words:
            page.append(library_demo._body(rng, rng.choice(library_demo.SUBJECTS)))
        out.append(" ".join(" ".join(page).split()[:words]))
    return "\n\f".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--as-is", action="store_true", help="Search the index as it stands, without catching up."
    )
    args = parser.parse_args()

    add_documents(args.documents)
    started = time.perf_counter()
    if args.as_is:
        pass
    elif SearchEntry.objects.count() == 0:
        written = indexing.rebuild_all()
        print(f"rebuilt: {written} entries in {time.perf_counter() - started:.1f} s")
    else:
        handled = indexing.drain()
        print(f"drained: {handled} changes in {time.perf_counter() - started:.1f} s")
    print(
        f"{connection.vendor}: {SearchEntry.objects.count()} entries, "
        f"{Document.objects.count()} documents"
    )
    personas = {
        "member": User.objects.get(username="member"),
        "ward committee": ward_committee_user(),
        "province admin": User.objects.get(username="admin"),
    }
    print(f"{'persona':16} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for name, user in personas.items():
        scope = Scope(user)
        times = []
        slowest = ("", 0.0)
        for typed in QUERIES:
            runs = timed(scope, typed, args.repeat)
            times += runs
            if max(runs) > slowest[1]:
                slowest = (typed, max(runs))
        with CaptureQueriesContext(connection) as queries:
            search(scope, parse("nghi quyet 57"))
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{name:16} {statistics.median(times):10.1f} {p95:8.1f} {max(times):8.1f} "
            f"{len(queries):8}   slowest: {slowest[0]!r}"
        )
    filtered(Scope(personas["province admin"]), args.repeat)
    text = pdf_text()
    with transaction.atomic():
        # The benchmark's own document, or the library's first with --documents 0.
        bench = Document.objects.filter(issuer=BENCH)
        document = (bench if bench.exists() else Document.objects.order_by("pk")).first()
        Document.objects.filter(pk=document.pk).update(text=text)
        start = time.perf_counter()
        indexing.index("document", [document.pk])
        took = time.perf_counter() - start
        transaction.set_rollback(True)
    print(f"indexing a 100-page text ({len(text.split())} words): {took:.2f} s")


if __name__ == "__main__":
    main()
