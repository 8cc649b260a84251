"""The dry run and the import itself: all or nothing, and idempotent by party card number.

Work is done in bulk (a few queries per thousand rows, never one per row), so that a province
of 100,000 members imports in well under a minute.
"""

from collections.abc import Callable, Container, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.lib.text import fold
from chibo.orgs.imports.reader import FileProblem, read_rows
from chibo.orgs.imports.rows import MEMBER_FIELDS, Checked, Problem, Record, check_rows, chunks
from chibo.orgs.models import Member, Membership, Organisation, seats_changed

Progress = Callable[[int, int], None]  # rows written so far, rows to write
BATCH = 1000


@dataclass(frozen=True)
class Conflict:
    """A row whose party card number belongs to someone else by name or date of birth: a typo
    in the card number would overwrite that person, so it is only imported once confirmed."""

    row: int
    card_number: str
    old_name: str
    old_birth_date: date
    new_name: str
    new_birth_date: date

    @classmethod
    def between(cls, member: Member, record: Record) -> "Conflict | None":
        name = record.fields.get("full_name", member.full_name)
        born = record.fields.get("birth_date", member.birth_date)
        if fold(name) == member.search_name and born == member.birth_date:
            return None  # the same person, their name's accents or case corrected at most
        return cls(record.row, member.card_number, member.full_name, member.birth_date, name, born)

    def as_state(self) -> dict:
        """For the upload's JSON state."""
        return {
            **asdict(self),
            "old_birth_date": f"{self.old_birth_date:%d/%m/%Y}",
            "new_birth_date": f"{self.new_birth_date:%d/%m/%Y}",
        }

    @property
    def problem(self) -> Problem:
        message = _(
            "Party card number %(card)s belongs to %(old_name)s (born %(old_birth_date)s); "
            "the file says %(new_name)s (born %(new_birth_date)s)."
        ) % {
            "card": self.card_number,
            "old_name": self.old_name,
            "old_birth_date": f"{self.old_birth_date:%d/%m/%Y}",
            "new_name": self.new_name,
            "new_birth_date": f"{self.new_birth_date:%d/%m/%Y}",
        }
        return Problem(self.row, "", message)


@dataclass
class Plan:
    """What importing the records would change, worked out against the database."""

    new: list[Record] = field(default_factory=list)
    updated: list[Member] = field(default_factory=list)
    moved: list[Member] = field(default_factory=list)
    unchanged: int = 0
    fields: set[str] = field(default_factory=set)
    conflicts: list[Conflict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Each row counts once: a member who moved and changed name counts as moved."""
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "moved": len(self.moved),
            "unchanged": self.unchanged,
        }

    @property
    def size(self) -> int:
        return len(self.new) + len(self.updated) + len(self.moved)


class _Every:
    """Every conflict confirmed at once: the command line's --confirm-conflicts."""

    def __contains__(self, card_number: object) -> bool:
        return True


EVERY_CONFLICT = _Every()


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] | None = None  # None when problems stopped the import
    conflicts: list[Conflict] = field(default_factory=list)


def check_file(path: Path) -> Report:
    """The dry run: every problem, or what the import would do. Writes nothing."""
    checked = _check(path)
    if checked.problems:
        return Report(checked.problems, checked.warnings)
    changes = plan(checked.records)
    return Report([], checked.warnings, changes.counts(), changes.conflicts)


def import_file(
    path: Path, progress: Progress | None = None, confirmed: Container[str] = ()
) -> Report:
    """Check the file again, then write it all in one transaction if it has no problem and
    every conflict's card number is among the `confirmed`."""
    checked = _check(path)
    if checked.problems:
        return Report(checked.problems, checked.warnings)
    with transaction.atomic():
        # Planned inside the transaction, so what is written matches what was compared.
        changes = plan(checked.records)
        if unconfirmed := [c for c in changes.conflicts if c.card_number not in confirmed]:
            problems = [conflict.problem for conflict in unconfirmed]
            return Report(problems, checked.warnings, conflicts=changes.conflicts)
        write(changes, progress or (lambda done, total: None))
    return Report([], checked.warnings, changes.counts(), changes.conflicts)


def _check(path: Path) -> Checked:
    try:
        return check_rows(read_rows(path))
    except FileProblem as problem:
        return Checked(problems=[Problem(None, "", problem.message)])


def plan(records: list[Record]) -> Plan:
    changes = Plan()
    existing = _existing([record.card_number for record in records])
    for record in records:
        member = existing.get(record.card_number)
        if member is None:
            changes.new.append(record)
            continue
        if conflict := Conflict.between(member, record):
            changes.conflicts.append(conflict)
        changed = [name for name, value in record.fields.items() if getattr(member, name) != value]
        for name in changed:
            setattr(member, name, record.fields[name])
        if "full_name" in changed:
            member.search_name = fold(member.full_name)
        changes.fields.update(changed)
        if member.cell_id != record.cell_id:
            member.cell_id = record.cell_id
            changes.moved.append(member)
        elif changed:
            changes.updated.append(member)
        else:
            changes.unchanged += 1
    return changes


def _existing(card_numbers: list[str]) -> dict[str, Member]:
    members: dict[str, Member] = {}
    for chunk in chunks(card_numbers):
        found = Member.objects.filter(card_number__in=chunk).order_by()
        found = found.only("card_number", "cell", "search_name", *MEMBER_FIELDS)
        members.update((member.card_number, member) for member in found)
    return members


def write(changes: Plan, progress: Progress) -> None:
    """Create, update and move members in bulk; the caller holds the transaction."""
    if not changes.size:
        return
    today = timezone.localdate()
    fields = sorted(changes.fields | ({"search_name"} if "full_name" in changes.fields else set()))
    if "citizen_id" in fields:
        _release_citizen_ids([*changes.updated, *changes.moved])
    done = 0
    for batch in chunks(changes.new, BATCH):
        members = Member.objects.bulk_create(_new_member(record) for record in batch)
        _open_memberships(members, lambda member: member.admitted_on)
        done += len(batch)
        progress(done, changes.size)
    for batch in chunks(changes.updated, BATCH):
        _update(batch, fields)
        done += len(batch)
        progress(done, changes.size)
    for batch in chunks(changes.moved, BATCH):
        # Closing the open membership and opening another keeps the member's history.
        ids = [member.pk for member in batch]
        Membership.objects.filter(member_id__in=ids, ended_on__isnull=True).update(ended_on=today)
        _open_memberships(batch, lambda member: today)
        _update(batch, [*fields, "cell"])
        done += len(batch)
        progress(done, changes.size)
    Organisation.objects.recount()
    if changes.moved:
        seats_changed()  # in bulk: their own cell is another


def _release_citizen_ids(members: list[Member]) -> None:
    """Blank the citizen IDs about to change first: members who swap them would otherwise
    meet the uniqueness constraint half-way through."""
    for batch in chunks([member.pk for member in members]):
        Member.objects.filter(pk__in=batch).update(citizen_id="")


def _update(members: Sequence[Member], names: list[str]) -> None:
    """One UPDATE per member, sent to the database as a single executemany.

    Django's bulk_update builds a CASE expression per member and field: 45 s for 50,000
    members on SQLite, against about one here.
    """
    fields = [Member._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table, pk = quote(Member._meta.db_table), quote(Member._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"
    rows = [
        [field.get_db_prep_save(getattr(member, field.attname), connection) for field in fields]
        + [member.pk]
        for member in members
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _new_member(record: Record) -> Member:
    # bulk_create skips save(), which is where search_name is usually kept.
    return Member(
        card_number=record.card_number,
        cell_id=record.cell_id,
        search_name=fold(record.fields["full_name"]),
        **record.fields,
    )


def _open_memberships(members: list[Member], started_on: Callable[[Member], object]) -> None:
    Membership.objects.bulk_create(
        Membership(member=member, cell_id=member.cell_id, started_on=started_on(member))
        for member in members
    )
