"""The keys of an entry that the rules of access read (its kind, organisation, path, whether it
is shown, whose it is) and its month, each condition on them written once and read two ways: as
a `Q` over the entries' columns, and as an FTS5 expression over the same keys as SQLite's
full-text table holds them beside each entry's words.

FTS5 then finds only the matches a user may find, where it would list every entry of a
province holding a common phrase and leave the rules to sort them (decision record 29). The
expression asks for no fewer entries than the `Q` (a condition it cannot say is left out of an
`&`), and the `Q` decides: the keys only narrow what FTS5 reads.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from chibo.orgs.models import Organisation

# The levels of a path kept as keys of their own, so that "at or under" one is a single key:
# the party's tree is six deep at most; a deeper organisation's subtree is left to the `Q`.
LEVELS = 12
# A key no entry has: the expression of a condition that holds for none.
NONE = "znone"


@dataclass(frozen=True)
class Keys:
    """A condition on an entry's keys: `q` over its columns, `fts` as FTS5 keys (None where
    FTS5 cannot say it)."""

    q: Q
    fts: str | None

    def __or__(self, other: "Keys") -> "Keys":
        either = None if None in (self.fts, other.fts) else f"({self.fts} OR {other.fts})"
        return Keys(self.q | other.q, either)

    def __and__(self, other: "Keys") -> "Keys":
        if self.fts is None or other.fts is None:  # the one FTS5 can say, if either
            both = other.fts if self.fts is None else self.fts
        else:
            both = f"({self.fts} AND {other.fts})"
        return Keys(self.q & other.q, both)


def _any(tokens: Iterable[str]) -> str:
    tokens = sorted(set(tokens))
    return f"({' OR '.join(tokens)})" if tokens else NONE


NOBODY = Keys(Q(pk__in=[]), NONE)
EVERY = Keys(Q(), None)


def kinds(of: Iterable[str]) -> Keys:
    of = list(of)
    return Keys(Q(kind__in=of), _any(f"k{kind}" for kind in of))


def organisations(ids: Iterable[int]) -> Keys:
    ids = list(ids)
    return Keys(Q(organisation_id__in=ids), _any(f"o{pk}" for pk in ids))


def no_organisation() -> Keys:
    return Keys(Q(organisation__isnull=True), "onone")


def paths(of: Iterable[str]) -> Keys:
    of = list(of)
    return Keys(Q(path__in=of), _any(f"a{path}" for path in of))


def at_or_below(path: str) -> Keys:
    deep = len(path) > LEVELS * Organisation.steplen
    return Keys(Organisation.at_or_below(path), None if deep else f"p{path}")


def shown() -> Keys:
    return Keys(Q(shown=True), "s1")


def person(pk: int) -> Keys:
    return Keys(Q(person_id=pk), f"u{pk}")


def second_person(pk: int) -> Keys:
    return Keys(Q(second_person_id=pk), f"v{pk}")


# An entry's month as six digits ("202612"), kept as a key for each of its beginnings (`t2`,
# `t20`, … `t202612`), so that every month from one on (or up to one) is a few keys at most:
# those of the later digits at each place. The digits a place may hold: a month's tens, 0 or 1.
MONTH = ["0123456789"] * 4 + ["01", "0123456789"]


def _months(month: str, later: bool) -> str:
    """The keys of every month from `month` on (`later`), or up to it, that month included."""
    found = [f"t{month}"]
    for at, digit in enumerate(month):
        found += [f"t{month[:at]}{d}" for d in MONTH[at] if (d > digit if later else d < digit)]
    return _any(found)


def dated(since: date | None = None, until: date | None = None) -> Keys:
    """Entries dated from `since` to `until`, either of them open if not given: FTS5 keeps to
    their months, the `Q` to their days. An entry without a date is in no range."""
    found = EVERY
    if since is not None:
        found &= Keys(Q(on__gte=since), _months(f"{since:%Y%m}", later=True))
    if until is not None:
        found &= Keys(Q(on__lte=until), _months(f"{until:%Y%m}", later=False))
    return found


def sql() -> str:
    """An entry's keys as SQLite computes them from its row, for its full-text table: the
    tokens each condition above asks for. Changing it needs a migration that makes the column
    and the table again: FTS5 removes an entry by the keys it was given."""
    step = Organisation.steplen
    levels = " || ".join(
        f"CASE WHEN length(path) >= {n} THEN ' p' || substr(path, 1, {n}) ELSE '' END"
        for n in range(step, LEVELS * step + 1, step)
    )
    # The date is stored as text, "2026-12-07": the month's digits are the 1st–4th and 6th–7th.
    month = [f'substr("on", 1, {n})' for n in range(1, 5)]
    month += [f'{month[-1]} || substr("on", 6, {n})' for n in (1, 2)]
    months = " || ".join(f"' t' || {digits}" for digits in month)
    return (
        "'k' || kind || ' o' || coalesce(organisation_id, 'none') || ' s' || shown "
        f"|| ' a' || path || {levels} "
        "|| coalesce(' u' || person_id, '') || coalesce(' v' || second_person_id, '') "
        f"|| coalesce({months}, '')"
    )
