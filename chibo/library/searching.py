"""One search over everything a user may see: documents of the library, meetings (agenda,
minutes, resolutions), comments, tasks, members, voices and guidance (issue 13, decision
record 19).

`search` asks the database's full-text index (FTS5 on SQLite, tsvector on PostgreSQL) for the
entries holding every phrase of the query, among those `Scope.search_entries()` lets the user
find, and ranks them the same way on both: the official number typed whole first, then every
phrase in the title, some in the title, only in the body; newer first within each.

A common word matches a large part of the index (decision records 22 and 25). Each kind is
counted up to `CHIBO_SEARCH_CAP` and shown as "1,000+" beyond, and one pages through that many
results at most. How the matches are read to count and rank them is `reading`'s: listed once
with their rank, or, for a wide reach, a bounded part of them (decision records 28 and 30).

Where the matches come from depends on the user's reach (decision record 26): a member's or a
ward's matches are listed at once, found within their reach: on PostgreSQL their entries are
read first and the words matched on them (`engine.within_first`), as the index of words would
list every match of a common phrase in the whole index; on SQLite FTS5 finds them by their
words and the keys of access beside them (decision record 29). A wider reach starts from the
index of words.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import timezone

from chibo.lib.search import Query
from chibo.library.index import engine, indexing, keys, reading
from chibo.library.models import SearchEntry
from chibo.orgs.models import Organisation

KINDS = SearchEntry.KINDS
# Changes waiting at most this many are indexed before searching, so that a member finds what
# they just wrote; more are left to the worker.
DRAIN_INLINE = 50


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    # The record's own text (not folded): a document's number and title, a meeting's theme…
    title: str
    # Original text to cut a snippet from: the head of its body, at most 2,000 characters.
    text: str
    url: str
    on: date | None
    # The cell or committee it belongs to ("" for a national document).
    place: str


@dataclass(frozen=True)
class Results:
    query: Query
    # Per kind, within access and every filter but the kind (kinds with none left out), at
    # most `cap`; the kinds in `more` have more than that.
    counts: dict[str, int]
    hits: list[Hit]
    # The results one may page through: at most `cap`, even when `more` match.
    total: int
    more: frozenset[str] = frozenset()
    cap: int = 0
    # More match (of the kind asked for) than one may page through.
    bounded: bool = False


def _catch_up() -> None:
    waiting = list(indexing.SearchQueue.objects.values_list("pk", flat=True)[: DRAIN_INLINE + 1])
    if waiting and len(waiting) <= DRAIN_INLINE:
        indexing.drain(DRAIN_INLINE)


def _card(query: Query) -> str:
    """The query as a party card number, if it can be one: one word of letters and digits."""
    typed = query.typed.strip()
    return typed if typed.isalnum() and len(typed) <= 20 else ""


def search(
    scope,
    query: Query,
    *,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
    within: Organisation | None = None,
    offset: int = 0,
    limit: int = 20,
    prefix: bool = False,
) -> Results:
    """The entries matching `query` that the user of `scope` may find, a page of them ranked,
    and how many of each kind there are. With `prefix` (a box searching as one types, the
    last word typed without a space after it), the last word also finds words it begins."""
    cap = settings.CHIBO_SEARCH_CAP
    if not query or (kind is not None and kind not in KINDS):
        return Results(query=query, counts={}, hits=[], total=0, cap=cap)
    _catch_up()
    card = _card(query)
    narrowing = keys.dated(since, until)
    if within is not None:
        narrowing &= keys.at_or_below(within.path)

    def narrowed(kinds=None):
        """The rules of the entries of these `kinds` the user may find, and the filters'."""
        return scope.search_keys(kinds) & narrowing

    rank = engine.rank(query, card, prefix)
    cards = scope.card_entries().filter(narrowing.q, card=card) if card else None
    offset, limit = max(0, offset), max(0, min(limit, 100))
    if scope.searches_narrowly:
        if connection.vendor == "postgresql":
            documents = reading.entries(narrowed(["document"]))
            records = reading.entries(narrowed([k for k in KINDS if k != "document"]))
            sql, params = engine.within_first(documents, records, query, rank, prefix)
        else:  # FTS5 finds them by their words and keys at once (decision record 29)
            sql, params = reading.matching(narrowed(), query, rank, prefix)
        if cards is not None:
            more, more_params = engine.listing(cards, rank)
            sql, params = f"{sql} UNION {more}", [*params, *more_params]
        found, ranked = reading.listed(sql, params, kind, offset, limit)
    else:
        by_kind = {k: narrowed([k]) for k in KINDS}
        # Some users may find no entry of some kinds: a rule no statement can be made of.
        by_kind = {k: rule for k, rule in by_kind.items() if engine.some(reading.entries(rule))}
        found, ranked = reading.widely(
            by_kind,
            cards,
            query,
            rank,
            kind,
            offset,
            limit,
            cap,
            today=timezone.localdate(),
            since=since,
            until=until,
            prefix=prefix,
        )
    counts = {k: min(found[k], cap) for k in KINDS if found.get(k)}
    more = frozenset(k for k in counts if found[k] > cap)
    if kind is not None:
        total = counts.get(kind, 0)
        bounded = kind in more
    else:
        total = sum(counts.values())
        bounded = bool(more) or total > cap
    total = min(total, cap)
    ids = ranked[: max(0, total - offset)]
    rows = (
        SearchEntry.objects.filter(pk__in=ids)
        .select_related("organisation")
        .defer("title_words", "body_words", "organisation__path")
        .in_bulk()
        if ids
        else {}
    )
    hits = [
        Hit(
            kind=e.kind,
            object_id=e.object_id,
            title=e.title,
            text=e.text,
            url=e.url,
            on=e.on,
            place=e.organisation.name if e.organisation else "",
        )
        for e in (rows[pk] for pk in ids)
    ]
    return Results(
        query=query, counts=counts, hits=hits, total=total, more=more, cap=cap, bounded=bounded
    )
