"""The index's words as both databases read them alike, and the SQL that matches and ranks.

Words come folded from `chibo.lib.search` (Latin letters and digits, Khmer character clusters).
Each is written as a plain ASCII token before it reaches the database, so that FTS5's
`unicode61` tokenizer and PostgreSQL's parser cut exactly the same words, whatever the script: a
Khmer cluster's vowel signs are marks, which either tokenizer would otherwise drop or split on.
Nothing a user types reaches either query language: the tokens are letters and digits only.
"""

import re

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, IntegerField
from django.db.models.expressions import RawSQL

from chibo.lib.search import Query, _number_words, words

ASCII = re.compile(r"[a-z0-9]+")
# Longer words are dropped on both databases alike (PostgreSQL refuses lexemes over 2 kB).
LONGEST = 100
# The words of one body: past this the text is still shown, no longer indexed. PostgreSQL keeps
# a tsvector under 1 MB; a 100-page document has about 30,000 words.
MOST_WORDS = 150_000
TABLE = "library_searchentry"
FTS = "library_search_fts"


def token(word: str) -> str:
    """`word` as the databases store it: itself when plain ASCII, else its code points."""
    if ASCII.fullmatch(word):
        return word
    return "x" + "".join(f"{ord(ch):05x}" for ch in word)


def tokens(text: str) -> str:
    """A column's words as `chibo.lib.search.index_text` gives them (the words, then each
    official number whole), as tokens."""
    found = [*words(text)[:MOST_WORDS], *_number_words(text)]
    joined = " ".join(found)
    # Folded Vietnamese and English are their own tokens: a rebuild spells out a province's
    # hundreds of millions of words, and only Khmer clusters need it.
    if joined.isascii() and max(map(len, found), default=0) <= LONGEST:
        return joined
    return " ".join(token(w) for w in found if len(w) <= LONGEST)


# A token standing for every word it begins (the last word of a query still being typed).
PREFIX = "*"


def _phrases(query: Query, prefix: bool = False) -> list[list[str]]:
    phrases = [[token(w) for w in phrase] for phrase in query.phrases]
    last = phrases[-1][-1] if phrases else ""
    if prefix and ASCII.fullmatch(last) and len(last) >= 2 and not last.isdigit():
        phrases[-1][-1] = last + PREFIX
    return phrases


def _sqlite_phrase(p: list[str]) -> str:
    if p[-1].endswith(PREFIX):
        return f'"{" ".join([*p[:-1], p[-1][:-1]])}"*'
    return f'"{" ".join(p)}"'


def _sqlite_all(phrases: list[list[str]]) -> str:
    # The words, not the keys beside them (`keys`).
    return f"{{title_words body_words}} : ({' AND '.join(_sqlite_phrase(p) for p in phrases)})"


def _pg(phrases: list[list[str]], joint: str) -> str:
    def word(t: str) -> str:
        return t[:-1] + ":*" if t.endswith(PREFIX) else t

    return f" {joint} ".join("(" + " <-> ".join(word(t) for t in p) + ")" for p in phrases)


def sought(query: Query, prefix: bool = False, keys: str | None = None, tier=None) -> str:
    """SQLite: the FTS5 expression of the entries holding every phrase of the query and the
    `keys` (`keys.Keys.fts`), and, with a `tier` of `rank`, holding in their title every
    phrase (1), some (2) or none (3); the rank itself decides between 1 and 2, and 0."""
    phrases = _phrases(query, prefix)
    words = _sqlite_all(phrases)
    if keys is not None:
        words = f"{words} AND keys : ({keys})"
    if tier is None:
        return words
    joint = "AND" if tier == 1 else "OR"
    titled = f"{{title_words}} : ({f' {joint} '.join(_sqlite_phrase(p) for p in phrases)})"
    return f"({words}) NOT {titled}" if tier == 3 else f"{words} AND {titled}"


def found(entries, expression: str, rank: RawSQL | None) -> tuple[str, list]:
    """SQLite: the statement listing the `entries` FTS5 finds for the `expression` (`sought`),
    as (id, kind, rank, day), or their ids alone without a `rank`. FTS5 leads, entry by entry,
    so that a LIMIT stops it: `id IN (MATCH …)` lists every match before the first row."""
    match = RawSQL(f"{FTS} MATCH %s", [expression], output_field=BooleanField())
    sql, params = _listed(entries.filter(match), rank)
    table = f'FROM "{TABLE}"'
    led = f'FROM {FTS} CROSS JOIN "{TABLE}" ON "{TABLE}"."id" = {FTS}.rowid'
    return sql.replace(table, led, 1), params


def matches(query: Query, prefix: bool = False) -> RawSQL:
    """Entries holding every phrase of the query, in their title or body; with `prefix`, the
    last word may be the beginning of a longer one."""
    phrases = _phrases(query, prefix)
    if connection.vendor == "postgresql":
        sql = (
            f'("{TABLE}"."title_tsv" || "{TABLE}"."body_tsv") '
            "@@ to_tsquery('simple'::regconfig, %s)"
        )
        return RawSQL(sql, [_pg(phrases, "&")], output_field=BooleanField())
    sql = f'"{TABLE}"."id" IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)'
    return RawSQL(sql, [_sqlite_all(phrases)], output_field=BooleanField())


def some(entries) -> bool:
    """Whether `entries` may hold any entry: the rules of access give none of some kinds to
    some users, a condition no statement can be made of."""
    try:
        entries.query.sql_with_params()
    except EmptyResultSet:
        return False
    return True


def listing(entries, rank: RawSQL) -> tuple[str, list]:
    """The statement listing `entries` as (id, kind, rank, day)."""
    listed = entries.annotate(rank=rank).order_by().values_list("pk", "kind", "rank", "on")
    return listed.query.sql_with_params()


def _listed(entries, rank: RawSQL | None) -> tuple[str, list]:
    """`listing`, or the entries' ids alone without a `rank`."""
    if rank is None:
        return entries.order_by().values_list("pk").query.sql_with_params()
    return listing(entries, rank)


def within_first(
    documents, records, query: Query, rank: RawSQL, prefix: bool = False
) -> tuple[str, list]:
    """The statement listing the matches among the `documents` and the other `records` a user
    may find as (id, kind, rank, day), for a user who may find a small part of a large index.
    Starting from the index of words, the planner lists every match of a common phrase in the
    whole index before keeping the user's: it expects a few thousand entries to hold "an toàn
    giao thông" where hundreds of thousands do (decision record 26). So the user's records are
    read first, by their own indexes, and the words matched on each; the library's documents,
    national ones open to all, are matched from an index of the documents' words alone
    (PostgreSQL: SQLite finds the user's matches by the keys beside their words)."""
    match = matches(query, prefix)
    # The documents holding the words, found first in their own index: else the planner
    # reads every document the user may find and matches the words of each long body
    # (176 ms against 39 for "chi bộ" among 10,171 documents).
    documents, documents_params = of_kind(documents, "document", query, rank, prefix=prefix)
    columns = (
        records.order_by()
        .values("id", "kind", "on", "number", "card")
        .annotate(
            title_tsv=RawSQL(f'"{TABLE}"."title_tsv"', []),
            body_tsv=RawSQL(f'"{TABLE}"."body_tsv"', []),
        )
    )
    reach, reach_params = columns.query.sql_with_params()
    # Kept apart, the reach leads: the index of words cannot.
    records = (
        f'SELECT "{TABLE}"."id", "{TABLE}"."kind", {rank.sql}, "{TABLE}"."on" '
        f'FROM ({reach} OFFSET 0) AS "{TABLE}" WHERE {match.sql}'
    )
    return (
        f"{documents} UNION ALL {records}",
        [*documents_params, *rank.params, *reach_params, *match.params],
    )


def _fence() -> str:
    """What keeps a subquery apart: neither database moves outer conditions into one with an
    OFFSET (SQLite's needs a LIMIT too)."""
    return "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"


def numbered(entries, cards, query: Query, rank: RawSQL, prefix: bool = False):
    """The statement listing the `entries` holding the query's words whose official number is
    the query typed whole, and the `cards` if given, as (id, kind, rank, day)."""
    arms = []
    exact = numbers(query)
    if exact:
        # Read by their numbers' index: a number is rarer than the words it is typed with.
        held = ", ".join(["%s"] * len(exact))
        rows = f'(SELECT * FROM "{TABLE}" WHERE "number" IN ({held}) {_fence()})'
        if connection.vendor == "postgresql":
            holding = entries.filter(matches(query, prefix))
        else:  # the words looked for in each numbered entry alone
            holding = entries.filter(
                RawSQL(
                    f"EXISTS (SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s "
                    f'AND {FTS}.rowid = "{TABLE}"."id")',
                    [sought(query, prefix)],
                    output_field=BooleanField(),
                )
            )
        arms.append(_reading(*listing(holding, rank), rows, exact))
    if cards is not None:
        arms.append(listing(cards, rank))
    return " UNION ".join(sql for sql, _p in arms), [p for _sql, ps in arms for p in ps]


def titled(entries, query: Query, rank: RawSQL, since=None, prefix: bool = False):
    """The statement listing the `entries` holding every phrase of the query in their title
    (ranked 1, or 0 by their number), dated `since` or later if given, as (id, kind, rank, day)
    (PostgreSQL). They are found in the titles' own index, with their dates."""
    sql, params = _since(*_title(_phrases(query, prefix), every=True), since)
    rows = f'(SELECT * FROM "{TABLE}" WHERE {sql} OFFSET 0)'
    return _reading(*listing(entries, rank), rows, params)


def of_kind(entries, kind: str, query: Query, rank: RawSQL | None, since=None, prefix=False):
    """The statement listing the `entries` of `kind` that hold the query's words, dated `since`
    or later if given, as (id, kind, rank, day), or their ids alone without a `rank`
    (PostgreSQL). They are found in that kind's own index of words and dates, in a subquery
    kept apart by an OFFSET and read in place of the table, the rules of access applied to its
    rows: joined to the entries (`id IN`), they were found again for each entry by a planner
    whose statistics predated most of the library, 100 s (decision record 27)."""
    match = matches(query, prefix)
    held, held_params = _since(f'"kind" = %s AND {match.sql}', [kind, *match.params], since)
    sql, params = _listed(entries, rank)
    return _reading(sql, params, f'(SELECT * FROM "{TABLE}" WHERE {held} OFFSET 0)', held_params)


def _since(sql: str, params: list, since) -> tuple[str, list]:
    """The condition `sql`, and the entry dated `since` or later if given, which the index of
    words and dates reads with the words. Only a lower bound, and a recent one: the index reads
    every day of a range, so a range of years, or one with an upper bound (every day before it),
    costs more than it saves: 2024's days took the comments' index 300 ms to find no match."""
    if since is None:
        return sql, params
    return f'{sql} AND "{TABLE}"."on" >= %s', [*params, since]


def _reading(sql: str, params: list, rows: str, rows_params: list) -> tuple[str, list]:
    """The statement `sql` over the entries, reading the subquery `rows` in their place."""
    table = f'FROM "{TABLE}"'
    at = sql.index(table)
    before = sql[:at].count("%s")  # the parameters of what is selected come first
    return (
        f'{sql[:at]}FROM {rows} AS "{TABLE}"{sql[at + len(table) :]}',
        [*params[:before], *rows_params, *params[before:]],
    )


def numbers(query: Query) -> list[str]:
    """What the query may be as an official number written whole: each phrase of one word, and
    all its words run together ("57 nq tw" → "57nqtw")."""
    found = {phrase[0] for phrase in query.phrases if len(phrase) == 1}
    found.add("".join(query.words))
    return sorted(w for w in found if any(ch.isdigit() for ch in w))


def _title(phrases: list[list[str]], every: bool) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        sql = f'"{TABLE}"."title_tsv" @@ to_tsquery(\'simple\'::regconfig, %s)'
        return sql, [_pg(phrases, "&" if every else "|")]
    # The title's own tokens, not FTS5: each MATCH lists every entry holding the words, which
    # for a common word costs more than reading the titles of the entries already found. The
    # tokens are letters and digits joined by single spaces, so a phrase is a run of them.
    column = f"' ' || \"{TABLE}\".\"title_words\" || ' '"
    likes = []
    for p in phrases:
        words = [t[:-1] if t.endswith(PREFIX) else t for t in p]
        end = "%" if p[-1].endswith(PREFIX) else " %"
        likes.append(f"% {' '.join(words)}{end}")
    sql = f" {'AND' if every else 'OR'} ".join(f"{column} LIKE %s" for _ in likes)
    return f"({sql})", likes


def rank(query: Query, card: str = "", prefix: bool = False) -> RawSQL:
    """0: the official number (or, where it may be seen, the party card) typed whole; 1: every
    phrase in the title; 2: some phrase in the title; 3: only in the body. The same on both
    databases (not bm25 or ts_rank, which differ)."""
    phrases = _phrases(query, prefix)
    cases, params = [], []
    exact = numbers(query)
    if exact:
        cases.append(f'"{TABLE}"."number" IN ({", ".join(["%s"] * len(exact))})')
        params += exact
    if card:
        cases.append(f'"{TABLE}"."card" = %s')
        params.append(card)
    whens = [f"WHEN {' OR '.join(cases)} THEN 0"] if cases else []
    for tier, every in ((1, True), (2, False)):
        sql, more = _title(phrases, every)
        whens.append(f"WHEN {sql} THEN {tier}")
        params += more
    sql = "CASE " + " ".join(whens) + " ELSE 3 END"
    return RawSQL(sql, params, output_field=IntegerField())
