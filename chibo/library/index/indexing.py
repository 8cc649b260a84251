"""Keeping the index current: records queued by the triggers are indexed again in batches
(`drain`), by the worker, by `chibo clock`, and at the start of a search when few are waiting;
`rebuild` makes a kind's entries anew (`chibo search rebuild`, and the end of `chibo demo`)."""

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Max, Min, OuterRef, Subquery

from chibo.lib import bulk
from chibo.lib.workers import forked
from chibo.library.index import schema
from chibo.library.index.sources import SOURCES
from chibo.library.models import SearchEntry, SearchQueue
from chibo.meetings.models import Comment
from chibo.orgs.models import Organisation

BATCH = 500
# Queued for an organisation whose path changed: its entries take the new one.
MOVED = "moved"


def index(kind: str, ids: Iterable[int]) -> int:
    """Index the records `ids` of `kind` again: entries made of those that exist and may be
    indexed, removed for the rest. Returns the number of entries written."""
    ids = sorted(set(ids))
    source = SOURCES[kind]
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        entries = [source.entry(record) for record in source.records().filter(pk__in=chunk)]
        with transaction.atomic():
            SearchEntry.objects.filter(kind=kind, object_id__in=chunk).delete()
            SearchEntry.objects.bulk_create(entries)
        written += len(entries)
        if kind == "meeting":  # its comments are found by those who see it
            comments = Comment.objects.filter(item__meeting_id__in=chunk)
            index("comment", comments.values_list("pk", flat=True))
    return written


def repath(ids: Iterable[int]) -> int:
    """The entries of the organisations `ids` given their organisation's path as it is now.
    Returns the number of entries."""
    path = Organisation.objects.filter(pk=OuterRef("organisation_id")).values("path")
    return SearchEntry.objects.filter(organisation_id__in=ids).update(path=Subquery(path))


def drain(most: int | None = None) -> int:
    """Index what the triggers queued, oldest first, `most` queued rows at a time (all, if
    None). Returns the number of queued rows handled."""
    handled = 0
    while most is None or handled < most:
        size = BATCH if most is None else min(BATCH, most - handled)
        rows = list(
            SearchQueue.objects.order_by("pk").values_list("pk", "kind", "object_id")[:size]
        )
        if not rows:
            break
        by_kind: dict[str, set[int]] = defaultdict(set)
        for _pk, kind, object_id in rows:
            by_kind[kind].add(object_id)
        with transaction.atomic():
            for kind, ids in by_kind.items():
                if kind == MOVED:
                    repath(ids)
                elif kind in SOURCES:
                    index(kind, ids)
            # Only what was read: a change queued meanwhile is indexed by the next round.
            SearchQueue.objects.filter(pk__lte=rows[-1][0]).delete()
        handled += len(rows)
    return handled


def waiting() -> int:
    return SearchQueue.objects.count()


def count(kind: str) -> int:
    return SOURCES[kind].records().count()


def rebuild_all(
    progress: Callable[[int], object] = lambda n: None,
    workers: int = 1,
    starting: Callable[[str], object] = lambda kind: None,
) -> int:
    """Every kind's entries made anew (`chibo demo` ends with it: it creates in bulk), each
    kind announced to `starting`."""
    written = 0
    last = SearchQueue.objects.order_by("-pk").values_list("pk", flat=True).first()
    with schema.words_index_set_aside(connection):
        for kind in SOURCES:
            starting(kind)
            written += rebuild(kind, progress, workers)
    if last is not None:  # every entry has its organisation's path as it was at the start
        SearchQueue.objects.filter(kind=MOVED, pk__lte=last).delete()
    return written


def rebuild(kind: str, progress: Callable[[int], object] = lambda n: None, workers: int = 1) -> int:
    """Every entry of `kind` made anew from its records, a span of keys at a time, calling
    `progress` with each span's number of entries. Returns the number of entries.

    With `workers` above one, that many processes make the entries (reading and folding the
    words is most of the time) and this one writes them. They read what is committed, so a
    caller inside a transaction keeps to one worker."""
    last = SearchQueue.objects.order_by("-pk").values_list("pk", flat=True).first()
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind).delete()
    written = 0
    with _made(kind, workers) as made:
        for rows in made:
            with transaction.atomic():
                written += bulk.load(SearchEntry, ENTRY, rows)
            progress(len(rows))
    if last is not None:  # what was queued before the rebuild began is in it now
        SearchQueue.objects.filter(kind=kind, pk__lte=last).delete()
    analyse()
    return written


# An entry's columns, in the order of the rows the rebuild writes.
ENTRY = [f.attname for f in SearchEntry._meta.concrete_fields if not f.primary_key]
# The keys a rebuild reads at once: one worker's share of the work each time.
SPAN = 5000


@contextmanager
def _made(kind: str, workers: int) -> Iterator[Iterator[list[tuple]]]:
    """The entries of `kind`'s records as rows of ENTRY, a span of keys at a time: made here as
    they are asked for, or by `workers` processes started at once."""
    keys = SOURCES[kind].records().aggregate(first=Min("pk"), last=Max("pk"))
    if keys["first"] is None:
        yield iter([])
        return
    spans = [(low, low + SPAN) for low in range(keys["first"], keys["last"] + 1, SPAN)]
    if workers <= 1:
        yield (_rows(kind, *span) for span in spans)
        return
    with forked(workers) as pool:
        yield _ahead(pool, kind, spans, most=2 * workers)


def _ahead(pool: Executor, kind: str, spans: list[tuple[int, int]], most: int):
    """Each span's rows in order, asking the workers for at most `most` spans ahead of the one
    being written: a province's comments would not fit in memory all at once."""
    waiting: deque[Future] = deque()
    for span in spans:
        waiting.append(pool.submit(_rows, kind, *span))
        if len(waiting) >= most:
            yield waiting.popleft().result()
    while waiting:
        yield waiting.popleft().result()


def _rows(kind: str, low: int, high: int) -> list[tuple]:
    """The entries of `kind`'s records with keys from `low` up to `high`, as rows of ENTRY."""
    source = SOURCES[kind]
    rows = []
    with bulk.uncollected():
        for start in range(low, high, BATCH):
            for record in source.records().filter(pk__gte=start, pk__lt=min(start + BATCH, high)):
                entry = source.entry(record)
                rows.append(tuple(getattr(entry, name) for name in ENTRY))
    return rows


def analyse() -> None:
    """Tell the planner how many entries of each kind there are. Without it SQLite guesses a
    few per kind and reads every entry a user may see before the words matched (500 ms for a
    member of the city, against 3 ms led by the full-text index)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
