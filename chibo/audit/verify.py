"""Checking the audit log and what it anchors (`chibo audit verify`).

The chain: every entry's seal must be the HMAC of its fields and the seal before it, and the
numbers must run without a gap. Then the records: approved minutes and resolutions against
their seals, and the evaluation trails against the steps the log recorded.
"""

import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from chibo.audit import evaluations, records
from chibo.audit.keys import key, seal
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


def _rows(using: str) -> Iterator[tuple]:
    """Every entry's `SEALED` values and seal, in order, read through a cursor: a million rows
    through the ORM's converters would cost more than checking them."""
    fields = [Entry._meta.get_field(name).column for name in (*SEALED, "mac")]
    at, detail = SEALED.index("at"), SEALED.index("detail")
    with connections[using].chunked_cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(fields)} FROM {Entry._meta.db_table} ORDER BY number")
        while batch := cursor.fetchmany(CHUNK):
            for row in batch:
                row = list(row)
                if isinstance(row[at], str):
                    row[at] = datetime.fromisoformat(row[at])
                if row[at].tzinfo is None:  # SQLite keeps UTC without saying so
                    row[at] = row[at].replace(tzinfo=UTC)
                if isinstance(row[detail], str):
                    row[detail] = json.loads(row[detail])
                yield row


def chain(
    seals: dict | None = None,
    using: str = DEFAULT_DB_ALIAS,
    remembered: tuple[int, str] | None = None,
    head: list | None = None,
) -> Iterator[Problem]:
    """Problems of the chain itself; fills `seals` with the records' seals met on the way, and
    `head` with the last entry's number and seal. `remembered` is the last entry an earlier
    verification saw: a chain cut short after it, or grown again from a shorter one, is named
    (a removed tail leaves no gap that the chain alone could show)."""
    secret = key()
    previous, expected = "", 1
    for row in _rows(using):
        if remembered and row[0] == remembered[0] and row[-1] != remembered[1]:
            yield Problem(row[0], _("it is not the entry the last verification saw."))
        number = row[0]
        if number > expected:
            yield Problem(
                number,
                _("entries %(first)d to %(last)d before it were removed.")
                % {"first": expected, "last": number - 1},
            )
        if not hmac.compare_digest(seal(message(previous, row[:-1]), secret), row[-1]):
            yield Problem(
                number,
                _("its content or place was changed, or the entry before it was removed."),
            )
        if seals is not None and row[4] in SEALING:
            seals[row[6], row[7]] = (number, row[8])
        previous, expected = row[-1], number + 1
    if remembered and expected <= remembered[0]:
        yield Problem(
            remembered[0],
            _("entries %(first)d to %(last)d, seen by the last verification, were removed.")
            % {"first": expected, "last": remembered[0]},
        )
    if head is not None and expected > 1:
        head[:] = [expected - 1, previous]


def everything(
    using: str = DEFAULT_DB_ALIAS,
    remembered: tuple[int, str] | None = None,
    head: list | None = None,
) -> Iterator[Problem]:
    seals: dict = {}
    yield from chain(seals, using, remembered, head)
    for number, what in records.all_problems(seals, using):
        yield Problem(number, what)
    for entry, what in evaluations.problems(using):
        yield Problem(entry.number if entry else None, what)


def checkpoint() -> Path:
    """Where `chibo audit verify` keeps the last entry it found sound: outside the database,
    like the key, so that removing the newest entries shows at the next verification."""
    return Path(settings.CHIBO_AUDIT_CHECKPOINT)


def remembered() -> tuple[int, str] | None:
    try:
        number, mac = checkpoint().read_text().split()
    except (FileNotFoundError, ValueError):
        return None
    return int(number), mac


def remember(head: list) -> None:
    if head:
        draft = checkpoint().with_suffix(".new")
        draft.write_text(f"{head[0]} {head[1]}\n")
        draft.replace(checkpoint())
