"""Checking the audit log and what it anchors (`chibo audit verify`).

The chain: every entry's seal must be the HMAC of its fields and the seal before it, and the
numbers must run without a gap. Then the records: approved minutes and resolutions against
their seals, and the evaluation trails against the steps the log recorded.
"""

import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chibo.audit import evaluations, records
from chibo.audit.keys import seal
from chibo.audit.models import SEALED, Entry, message

CHUNK = 5000
SEALING = set(records.SEALING.values())


@dataclass(frozen=True)
class Problem:
    number: int | None  # the entry it concerns, by its place in the chain
    what: str

    def __str__(self) -> str:
        if self.number is None:
            return self.what
        return _("Entry %(number)d: %(what)s") % {"number": self.number, "what": self.what}


def chain(seals: dict | None = None) -> Iterator[Problem]:
    """Problems of the chain itself; fills `seals` with the records' seals met on the way."""
    rows = Entry.objects.order_by("number").values_list(*SEALED, "mac")
    previous, expected = "", 1
    for row in rows.iterator(CHUNK):
        number = row[0]
        if number > expected:
            yield Problem(
                number,
                _("entries %(first)d to %(last)d before it were removed.")
                % {"first": expected, "last": number - 1},
            )
        if not hmac.compare_digest(seal(message(previous, row[:-1])), row[-1]):
            yield Problem(
                number,
                _("its content or place was changed, or the entry before it was removed."),
            )
        if seals is not None and row[4] in SEALING:
            seals[row[6], row[7]] = (number, row[8])
        previous, expected = row[-1], number + 1


def everything() -> Iterator[Problem]:
    seals: dict = {}
    yield from chain(seals)
    for number, what in records.all_problems(seals):
        yield Problem(number, what)
    for entry, what in evaluations.problems():
        yield Problem(entry.number if entry else None, what)
