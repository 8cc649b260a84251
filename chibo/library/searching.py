"""One search over everything a user may see: documents of the library, meetings (agenda,
minutes, resolutions), comments, tasks, members, voices and guidance (issue 13, decision
record 19).

`search` asks the database's full-text index (FTS5 on SQLite, tsvector on PostgreSQL) for the
entries holding every phrase of the query, among those `Scope.search_entries()` lets the user
find, and ranks them the same way on both: the official number typed whole first, then every
phrase in the title, some in the title, only in the body; newer first within each.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F

from chibo.lib.search import Query
from chibo.library.index import engine, indexing
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
    # Per kind, within access and every filter but the kind (kinds with none left out).
    counts: dict[str, int]
    hits: list[Hit]
    total: int


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
    if not query or (kind is not None and kind not in KINDS):
        return Results(query=query, counts={}, hits=[], total=0)
    _catch_up()
    card = _card(query)
    entries = scope.search_entries().filter(engine.matches(query, prefix))
    if card:
        entries = entries | scope.card_entries().filter(card=card)
    if since is not None:
        entries = entries.filter(on__gte=since)
    if until is not None:
        entries = entries.filter(on__lte=until)
    if within is not None:
        entries = entries.filter(path__startswith=within.path)
    counts = {
        row["kind"]: row["n"]
        for row in entries.order_by().values("kind").annotate(n=Count("pk"))
        if row["kind"] in KINDS
    }
    counts = {k: counts[k] for k in KINDS if counts.get(k)}
    if kind is not None:
        entries = entries.filter(kind=kind)
        total = counts.get(kind, 0)
    else:
        total = sum(counts.values())
    offset, limit = max(0, offset), max(0, min(limit, 100))
    page = (
        entries.annotate(rank=engine.rank(query, card, prefix))
        .select_related("organisation")
        .defer("title_words", "body_words", "organisation__path")
        .order_by("rank", F("on").desc(nulls_last=True), "-pk")[offset : offset + limit]
        if total
        else []
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
        for e in page
    ]
    return Results(query=query, counts=counts, hits=hits, total=total)
