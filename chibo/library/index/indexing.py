"""Keeping the index current: records queued by the triggers are indexed again in batches
(`drain`), by the worker, by `chibo clock`, and at the start of a search when few are waiting;
`rebuild` makes a kind's entries anew (`chibo search rebuild`, and the end of `chibo demo`)."""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction

from chibo.library.index.sources import SOURCES
from chibo.library.models import SearchEntry, SearchQueue
from chibo.meetings.models import Comment

BATCH = 500


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
            if kind in SOURCES:
                by_kind[kind].add(object_id)
        with transaction.atomic():
            for kind, ids in by_kind.items():
                index(kind, ids)
            # Only what was read: a change queued meanwhile is indexed by the next round.
            SearchQueue.objects.filter(pk__lte=rows[-1][0]).delete()
        handled += len(rows)
    return handled


def waiting() -> int:
    return SearchQueue.objects.count()


def count(kind: str) -> int:
    return SOURCES[kind].records().count()


def rebuild_all(progress: Callable[[int], object] = lambda n: None) -> int:
    """Every kind's entries made anew (`chibo demo` ends with it: it creates in bulk)."""
    return sum(rebuild(kind, progress) for kind in SOURCES)


def rebuild(kind: str, progress: Callable[[int], object] = lambda n: None) -> int:
    """Every entry of `kind` made anew from its records, `BATCH` at a time, calling
    `progress` with each batch's size. Returns the number of entries."""
    source = SOURCES[kind]
    last = SearchQueue.objects.order_by("-pk").values_list("pk", flat=True).first()
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind).delete()
    written, after = 0, 0
    while True:
        batch = list(source.records().filter(pk__gt=after)[:BATCH])
        if not batch:
            break
        with transaction.atomic():
            SearchEntry.objects.bulk_create([source.entry(record) for record in batch])
        after = batch[-1].pk
        written += len(batch)
        progress(len(batch))
    if last is not None:  # what was queued before the rebuild began is in it now
        SearchQueue.objects.filter(kind=kind, pk__lte=last).delete()
    return written
