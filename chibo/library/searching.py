"""One search over everything a user may see: documents of the library, meetings (agenda,
minutes, resolutions), comments, tasks, members, voices and guidance (issue 13, decision
record 19).

`search` asks the database's full-text index (FTS5 on SQLite, tsvector on PostgreSQL) for the
entries holding every phrase of the query, among those `Scope.search_entries()` lets the user
find, and ranks them the same way on both: the official number typed whole first, then every
phrase in the title, some in the title, only in the body; newer first within each.

A common word matches a large part of the index (decision records 22 and 25). Each kind is
counted up to `CHIBO_SEARCH_CAP` and shown as "1,000+" beyond, and one pages through that many
results at most. The matches are listed once per search, with their rank, and counted and ranked
from that list: bounding the count per kind or the rank to a candidate set was measured slower
on both databases (each bound asks the index again). On SQLite the rank reads the titles' own
words rather than asking FTS5 twice more.

Where the matches come from depends on the user's reach (decision record 26): a member's or a
ward's entries are read first and the words matched on them (`engine.within_first`), as the
index of words would list every match of a common phrase in the whole index; a wider reach
starts from the index of words.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection

from chibo.lib.search import Query
from chibo.library.index import engine, indexing
from chibo.library.models import SearchEntry
from chibo.orgs.models import Organisation

KINDS = ("document", "meeting", "comment", "task", "member", "voice", "guidance")
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

    def narrowed(entries):
        if since is not None:
            entries = entries.filter(on__gte=since)
        if until is not None:
            entries = entries.filter(on__lte=until)
        if within is not None:
            entries = entries.filter(Organisation.at_or_below(within.path))
        return entries

    rank = engine.rank(query, card, prefix)
    cards = narrowed(scope.card_entries().filter(card=card)) if card else None
    if scope.searches_narrowly:
        documents = narrowed(scope.search_entries(kinds=["document"]))
        records = narrowed(scope.search_entries(kinds=[k for k in KINDS if k != "document"]))
        sql, params = engine.within_first(documents, records, query, rank, prefix)
        if cards is not None:
            more, more_params = engine.listing(cards, rank)
            sql, params = f"{sql} UNION {more}", [*params, *more_params]
    else:
        entries = narrowed(scope.search_entries()).filter(engine.matches(query, prefix))
        sql, params = engine.listing(entries if cards is None else entries | cards, rank)
    found, ranked = _listed(sql, params, kind, offset, max(0, min(limit, 100)))
    counts = {k: min(found[k], cap) for k in KINDS if found.get(k)}
    more = frozenset(k for k in counts if found[k] > cap)
    if kind is not None:
        total = counts.get(kind, 0)
        bounded = kind in more
    else:
        total = sum(counts.values())
        bounded = bool(more) or total > cap
    total = min(total, cap)
    ids = ranked[: max(0, total - max(0, offset))]
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


def _listed(sql, params, kind, offset, limit) -> tuple[dict[str, int], list]:
    """How many entries of each kind match (kinds with none left out), and the keys of the page
    asked for in rank order, in one statement: the matches (`sql`, listing id, kind, rank and
    day) are listed once and both are read from that list. A common word matches much of the
    index, and reading each match's row is the cost (decision 25): counting and ranking apart
    read them twice."""
    page = "WHERE kind = %s" if kind is not None else ""
    statement = (
        f"WITH m (id, kind, rank, day) AS MATERIALIZED ({sql}) "
        "SELECT kind, COUNT(*), CAST(NULL AS INTEGER), CAST(NULL AS DATE), CAST(NULL AS BIGINT) "
        "FROM m GROUP BY kind UNION ALL SELECT * FROM ("
        f"SELECT CAST(NULL AS VARCHAR(10)), CAST(NULL AS BIGINT), rank, day, id FROM m {page} "
        "ORDER BY rank, day DESC NULLS LAST, id DESC LIMIT %s OFFSET %s) AS page"
    )
    found, ranked = {}, []
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *([kind] if page else []), limit, max(0, offset)])
        for of_kind, n, rank, day, pk in cursor.fetchall():
            if of_kind is not None:
                found[of_kind] = n
            else:
                ranked.append((rank, _ordinal(day), pk))
    # The page's rows come in rank order from the database, though a union need not keep it.
    return found, [pk for *_order, pk in sorted(ranked, key=lambda r: (r[0], -r[1], -r[2]))]


def _ordinal(day) -> int:
    """A date's place in time, 0 for none (last); SQLite's cursor gives dates as text."""
    if day is None:
        return 0
    return (date.fromisoformat(day) if isinstance(day, str) else day).toordinal()
