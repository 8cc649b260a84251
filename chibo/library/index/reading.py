"""How a search reads its matches, to count them by kind and rank a page of them.

`listed` lists every match once and reads both from that list (decision record 25): right when
the matches are few, or the reach is small. A province administrator's common phrase matches
hundreds of thousands of entries, and reading each one's row was the cost (decision record 27).
`widely` reads a bounded part of them (decision records 28 and 30):

- each kind is counted up to the cap: on PostgreSQL from its own index of words and dates, from
  the last month first, as a common phrase's month holds more than the cap; on SQLite FTS5
  finds a kind's matches by the words and the keys together and stops at the cap;
- the kinds under the cap have every match listed; of the others, the page takes the numbers
  typed whole, then, tier by tier as `engine.rank` orders them, the last month's matches, and
  all of them only when the month holds too few (on SQLite the tier and the months are asked
  of FTS5 with the words).
"""

import operator
from datetime import date, timedelta
from functools import reduce

from django.db import connection

from chibo.library.index import engine, keys
from chibo.library.index.keys import Keys
from chibo.library.index.sources import SOURCES
from chibo.library.models import SearchEntry

# Where a wide search's recent matches begin, in days before today.
RECENT = 31


def listed(sql: str, params: list, kind, offset: int, limit: int) -> tuple[dict[str, int], list]:
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
                ranked.append(_order(rank, day, pk))
    # The page's rows come in rank order from the database, though a union need not keep it.
    return found, [pk for *_key, pk in sorted(ranked)]


def widely(
    by_kind: dict[str, Keys], cards, query, rank, kind, offset: int, limit: int, cap: int, **given
) -> tuple[dict[str, int], list]:
    """As `listed`, for a user who may find much of a large index: `by_kind`, the rules of the
    entries of each kind they may find (kinds they may find none of left out), and `cards` the
    members they may find by card number, if the query can be one. A kind with more matches
    than the `cap` counts `cap` + 1. `given` holds `today`, the first and last days asked for
    (`since`, `until`) and `prefix`."""
    since, until, prefix = given["since"], given["until"], given["prefix"]
    recent = given["today"] - timedelta(days=RECENT)
    if until is not None and until < given["today"]:
        spans = [None]  # the past asked for, read whole
    elif since is not None and since >= recent:
        spans = [since]  # recent enough
    else:
        spans = [recent, None]
    if not by_kind:
        return {}, []
    found = _counted(by_kind, cards, query, prefix, cap, spans)
    kinds = [k for k in by_kind if kind in (None, k)]
    if not kinds:
        return found, []
    common = [k for k in kinds if found.get(k, 0) > cap]
    if not common:
        return found, _every(by_kind, kinds, cards, query, rank, kind, offset, limit, prefix)
    need = offset + limit
    rows = set(_read(_every_sql(by_kind, kinds, None, query, rank, prefix, common)))
    if engine.numbers(query) or cards is not None:
        numbered = entries(_either(by_kind, common))
        rows |= set(_read(engine.numbered(numbered, cards, query, rank, prefix)))
    titled = [k for k in common if SOURCES[k].titled]
    # Of one phrase, some in the title is all of it: none ranks 2.
    for tier in (1, 3) if len(query.phrases) == 1 else (1, 2, 3):
        wanted = need - sum(1 for row in rows if row[0] < tier)
        if wanted <= 0:
            break
        of = common if tier == 3 else titled
        if not of:
            continue
        for start in spans:
            sql, params = _tier(by_kind, of, query, rank, tier, start, prefix)
            # Only the tier's rows: the others may be many.
            got = _read((f'SELECT * FROM ({sql}) AS m WHERE m."rank" = %s', [*params, tier]))
            if len(got) >= wanted:  # older ones would rank after these
                break
        rows.update(got)
    return found, [pk for *_key, pk in sorted(rows)[offset:need]]


def entries(wanted: Keys):
    """The entries the rules `wanted` hold."""
    return SearchEntry.objects.filter(wanted.q)


def _either(by_kind: dict[str, Keys], kinds) -> Keys:
    """The rules of the entries of any of the `kinds`."""
    return reduce(operator.or_, (by_kind[k] for k in kinds))


def matching(wanted: Keys, query, rank, prefix, tier=None) -> tuple[str, list]:
    """SQLite: the statement listing the entries `wanted` holding the query's words (in the
    title as `tier` says, if given), FTS5 finding them by their words and keys at once."""
    expression = engine.sought(query, prefix, wanted.fts, tier)
    return engine.found(entries(wanted), expression, rank)


def _tier(by_kind, of, query, rank, tier: int, since, prefix) -> tuple[str, list]:
    """The statement listing the entries of the kinds `of` that may rank in `tier`, dated
    `since` or later if given."""
    if connection.vendor != "postgresql":
        return matching(_either(by_kind, of) & keys.dated(since), query, rank, prefix, tier)
    if tier == 1:
        return engine.titled(entries(_either(by_kind, of)), query, rank, since, prefix)
    return _union([engine.of_kind(entries(by_kind[k]), k, query, rank, since, prefix) for k in of])


def _counted(by_kind: dict, cards, query, prefix, cap: int, spans) -> dict[str, int]:
    """The matches of each kind, counted up to `cap` + 1, in one statement. On PostgreSQL, from
    that kind's index of words and dates, first those dated from the first of the `spans` on
    (the recent ones), which suffice for a common phrase, and only if they are fewer, from the
    last on."""
    if connection.vendor != "postgresql":
        spans = [None]  # FTS5 finds them by their words and keys at once, and stops at the cap
    arms, params = [], []
    for kind, wanted in by_kind.items():
        starts = dict.fromkeys((spans[0], spans[-1]))  # the first and the last, once each
        counts = [_count(wanted, kind, cards, query, prefix, cap, start) for start in starts]
        if len(counts) == 1:
            ((arm, more),) = counts
        else:
            (recent, recent_params), (every, every_params) = counts
            # PostgreSQL runs a subquery of a CASE only when its branch is taken.
            arm = f"CASE WHEN {recent} > %s THEN %s ELSE {every} END"
            more = [*recent_params, cap, cap + 1, *every_params]
        arms.append(f"SELECT CAST(%s AS VARCHAR(10)), {arm}")
        params += [kind, *more]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(arms), params)
        return {kind: n for kind, n in cursor.fetchall() if n}


def _count(wanted: Keys, kind, cards, query, prefix, cap: int, since) -> tuple[str, list]:
    """The subquery counting the entries `wanted` of `kind` holding the words up to `cap` + 1."""
    if connection.vendor == "postgresql":
        sql, params = engine.of_kind(entries(wanted), kind, query, None, since, prefix)
    else:
        sql, params = matching(wanted, query, None, prefix)
    sql, params = f"SELECT * FROM ({sql} LIMIT %s) AS found", [*params, cap + 1]
    if kind == "member" and cards is not None:
        by_card, card_params = cards.order_by().values_list("pk").query.sql_with_params()
        sql = f"{sql} UNION SELECT * FROM ({by_card}) AS by_card"
        params = [*params, *card_params]
    return f"(SELECT COUNT(*) FROM ({sql}) AS of_kind)", params


def _every_sql(by_kind, kinds, cards, query, rank, prefix, leaving=()) -> tuple[str, list]:
    """The statement listing every match of the `kinds` but those `leaving`."""
    kinds = [k for k in kinds if k not in leaving]
    if not kinds:
        return "", []
    if connection.vendor == "postgresql":
        arms = [engine.of_kind(entries(by_kind[k]), k, query, rank, prefix=prefix) for k in kinds]
        sql, params = _union(arms)
    else:
        sql, params = matching(_either(by_kind, kinds), query, rank, prefix)
    if "member" in kinds and cards is not None:  # a member found by their card, once
        by_card, card_params = engine.listing(cards, rank)
        sql, params = f"SELECT * FROM ({sql} UNION {by_card}) AS m", [*params, *card_params]
    return sql, params


def _every(by_kind, kinds, cards, query, rank, kind, offset, limit, prefix) -> list:
    """The page, from every match of the `kinds` listed (`listed`)."""
    sql, params = _every_sql(by_kind, kinds, cards, query, rank, prefix)
    return listed(sql, params, kind, offset, limit)[1]


def _union(arms: list[tuple[str, list]]) -> tuple[str, list]:
    return " UNION ALL ".join(sql for sql, _p in arms), [p for _sql, ps in arms for p in ps]


def _read(statement: tuple[str, list]) -> list[tuple[int, int, int, int]]:
    """The rows (id, kind, rank, day) a statement lists, as places in the rank order."""
    sql, params = statement
    if not sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [_order(rank, day, pk) for pk, _kind, rank, day in cursor.fetchall()]


def _order(rank: int, day, pk: int) -> tuple[int, int, int, int]:
    """Where an entry stands in the rank order (tier, newest first, then by key), and its key."""
    if day is None:
        ordinal = 0
    else:  # SQLite's cursor gives dates as text
        ordinal = (date.fromisoformat(day) if isinstance(day, str) else day).toordinal()
    return (rank, -ordinal, -pk, pk)
