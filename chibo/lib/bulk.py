"""Loading many rows at once, for generated data: COPY on PostgreSQL, one prepared INSERT run
over every row on SQLite.

Rows are plain tuples in the order of the fields named, so no model instance is built and no
signal is sent. Fields left out get what `bulk_create` would give them: their default, the
time of the load for `auto_now` fields, else "" or NULL. A caller that hands in primary keys
(to point other rows at them before they are written) takes them from `next_id`.
"""

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC
from itertools import islice

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

# Python values the database drivers take as they are; other types go through the field.
PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}
# Types psycopg writes in COPY as they are.
NATIVE = {"DateField", "DateTimeField", "UUIDField"}
CHUNK = 5000


@contextmanager
def uncollected() -> Iterator[None]:
    """Python's collector of reference cycles paused for one batch of generated data. A batch
    makes hundreds of thousands of objects that live until it ends (rows, and the records they
    are made from), and the collector, run every few hundred of them, walks the live ones again
    each time: a quarter of the time to make a meeting's search entry. What the batch leaves in
    cycles is collected once it is resumed."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def next_id(model: type[Model]) -> int:
    """The first primary key above every row of `model`'s table (every row: a default manager
    may leave some out, as voices' leaves those waiting for review)."""
    last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def refresh_statistics(vacuum: bool = True) -> None:
    """Tell PostgreSQL's planner what a bulk load wrote. Until autovacuum gets round to it, the
    planner guesses; on the demo city it guessed a meeting's agenda would cost 400,000 and
    took 55 ms over a 1 ms query. Outside a transaction, VACUUM also marks the pages as seen
    by everyone, so that a count covered by an index reads the index alone: the voices
    summary's overdue count of a province took 114 ms reading the table, 9 ms without; without
    `vacuum`, only the statistics (a sample: seconds, where VACUUM reads every page). (SQLite
    plans these pages the same with or without.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run inside a transaction; ANALYZE can.
            alone = vacuum and not connection.in_atomic_block
            cursor.execute("VACUUM (ANALYZE)" if alone else "ANALYZE")


def load(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write `rows`, each holding the values of `fields` (attribute names: "meeting_id"), into
    `model`'s table; returns how many. Values are Python ones, as on a model instance."""
    given = [model._meta.get_field(name) for name in fields]
    rest = [
        field
        for field in model._meta.concrete_fields
        if field not in given
        and not (field.primary_key and field.get_internal_type().endswith("AutoField"))
    ]
    now = timezone.now()
    fills = [_fill(field, now) for field in rest]
    converters = [_converter(field) for field in [*given, *rest]]
    convert = [(i, c) for i, c in enumerate(converters) if c]
    columns = [field.column for field in [*given, *rest]]

    def prepared(row: Sequence) -> list:
        values = [*row, *(fill() for fill in fills)]
        for i, c in convert:
            values[i] = c(values[i])
        return values

    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"
            rows = iter(rows)
            while chunk := [prepared(row) for row in islice(rows, CHUNK)]:
                cursor.executemany(sql, chunk)
                count += len(chunk)
        if model._meta.pk in given and connection.vendor == "postgresql":
            # Keys handed in leave the sequence behind: the next ordinary insert must not reuse one.
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)
    return count


def _fill(field: Field, now) -> Callable[[], object]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda: now
    if field.has_default() and callable(field.default):
        return field.default
    # A constant default, or what Django gives a field without one: "" or NULL.
    value = field.get_default()
    return lambda: value


def _converter(field: Field) -> Callable | None:
    kind = field.get_internal_type()
    if kind in PLAIN:
        return None
    if connection.vendor == "postgresql" and kind in NATIVE:
        return None
    if connection.vendor == "sqlite" and kind == "DateTimeField":
        # What Django's adapter writes (naive UTC), without its checks on each value.
        return lambda value: value and str(value.astimezone(UTC).replace(tzinfo=None))
    return lambda value: field.get_db_prep_save(value, connection)
