"""What the databases hold beyond the models: the full-text index over `SearchEntry` and the
triggers that queue a changed record for indexing.

The full-text index is made by the library's migration (`create_index`). The triggers are
(re)installed after every `migrate` (`install_triggers`, from the app's `post_migrate`): SQLite
rebuilds a table to alter it, dropping its triggers, and another app's later migration would
silently stop the index from staying current.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from chibo.library.index import keys
from chibo.library.index.engine import FTS, TABLE
from chibo.library.models import SearchEntry

QUEUE = "library_searchqueue"


def _words_index(kind: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS search_entry_{kind}_words ON {TABLE} "
        f"USING gin ((title_tsv || body_tsv), \"on\") WHERE kind = '{kind}'"
    )


# PostgreSQL's indexes over the words of both columns, which a search matches together, one per
# kind, with each entry's date: a search counts each kind up to the cap from its own, and reads a
# common phrase's newest matches first (decision record 28); one within a small reach reads the
# national documents from theirs (decision record 26). The dates are indexed beside the words
# by `btree_gin`, one of PostgreSQL's own extensions.
WORDS_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    *(_words_index(kind) for kind in SearchEntry.KINDS),
    # The titles' words alone, for the matches ranked by their title.
    f'CREATE INDEX IF NOT EXISTS search_entry_title_words ON {TABLE} USING gin (title_tsv, "on")',
]
WORDS_INDEX_NAMES = [
    *(f"search_entry_{kind}_words" for kind in SearchEntry.KINDS),
    "search_entry_title_words",
]

# Each indexed table: the kind of entry a change of its row touches (or "moved": the entries of
# an organisation), the column holding that entry's record id, and the columns whose change
# alters the entry.
WATCHED: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "library_document",
        "document",
        "id",
        ("title", "number", "issuer", "summary", "text", "issued_on", "audience_id", "type"),
    ),
    (
        "meetings_meeting",
        "meeting",
        "id",
        (
            "theme",
            "kind",
            "starts_at",
            "cell_id",
            "status",
            "published_at",
            "preparer_id",
        ),
    ),
    ("meetings_agendaitem", "meeting", "meeting_id", ("title", "body", "meeting_id")),
    ("meetings_minutes", "meeting", "meeting_id", ("status", "sections")),
    (
        "meetings_resolution",
        "meeting",
        "meeting_id",
        ("status", "number", "assessment", "assignment", "quality"),
    ),
    ("meetings_comment", "comment", "id", ("body", "item_id")),
    ("meetings_actionitem", "task", "id", ("what", "cell_id", "deadline", "owner_id")),
    ("meetings_actionupdate", "task", "item_id", ("note",)),
    ("orgs_member", "member", "id", ("full_name", "card_number", "cell_id")),
    (
        "voices_voice",
        "voice",
        "id",
        (
            "text",
            "place",
            "cell_id",
            "moderation",
            "received_at",
            "raised_by_id",
            "recorded_by_id",
        ),
    ),
    ("guidance_guidance", "guidance", "id", ("title", "status", "committee_id", "month")),
    ("guidance_point", "guidance", "guidance_id", ("title", "body")),
    # A move in the tree changes the path of the organisation and of each one under it; the
    # entries keep their organisation's path, which the rules of access read.
    ("orgs_organisation", "moved", "id", ("path",)),
]


def create_index(schema_editor) -> None:
    """The full-text index over the entries' words (run by the migration)."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for column in ("title", "body"):
            run(
                f"ALTER TABLE {TABLE} ADD COLUMN {column}_tsv tsvector GENERATED ALWAYS AS "
                f"(to_tsvector('simple'::regconfig, {column}_words)) STORED"
            )
        for statement in WORDS_INDEXES:
            run(statement)
    else:
        run(_fts_table("title_words", "body_words"))


def _fts_table(*columns: str) -> str:
    """SQLite's full-text table of the entries' `columns` (an external-content table)."""
    return (
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({', '.join(columns)}, content='{TABLE}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0', detail='full')"
    )


def drop_index(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in WORDS_INDEX_NAMES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        for column in ("title", "body"):
            schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {column}_tsv")
    else:
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


# The triggers by which SQLite's full-text table follows the entries.
FTS_TRIGGERS = ["search_fts_ai", "search_fts_ad", "search_fts_au"]
UNFOLLOWED = [f"DROP TRIGGER IF EXISTS {name}" for name in FTS_TRIGGERS]
# SQLite's full-text table made anew from the entries, whatever it held.
REBUILT = f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"

# SQLite: each entry's keys (`keys.sql`), computed from its row when read, for the full-text table
# to hold beside its words.
ADD_KEYS = f"ALTER TABLE {TABLE} ADD COLUMN keys TEXT GENERATED ALWAYS AS ({keys.sql()}) VIRTUAL"


def key_index(schema_editor) -> None:
    """SQLite's full-text table made again with each entry's keys, as `keys.sql` computes them
    now, beside its words (run by the migrations that change them; the triggers follow)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    keyed = _has_keys(schema_editor.connection)
    for statement in [
        *UNFOLLOWED,
        f"DROP TABLE IF EXISTS {FTS}",
        *([f"ALTER TABLE {TABLE} DROP COLUMN keys"] if keyed else []),
        ADD_KEYS,
        _fts_table("title_words", "body_words", "keys"),
        REBUILT,
    ]:
        schema_editor.execute(statement)


def _has_keys(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_xinfo({TABLE})")
        return "keys" in {row[1] for row in cursor.fetchall()}


def unkey_index(schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in UNFOLLOWED:
        schema_editor.execute(statement)
    drop_index(schema_editor)
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN keys")
    create_index(schema_editor)
    schema_editor.execute(REBUILT)


def _sqlite_triggers() -> list[str]:
    sql = []
    # The FTS5 table follows the entries (an external-content table, as SQLite documents).
    fts_in = (
        f"INSERT INTO {FTS}(rowid, title_words, body_words, keys) "
        "VALUES (new.id, new.title_words, new.body_words, new.keys);"
    )
    fts_out = (
        f"INSERT INTO {FTS}({FTS}, rowid, title_words, body_words, keys) "
        "VALUES ('delete', old.id, old.title_words, old.body_words, old.keys);"
    )
    sql += [
        f"CREATE TRIGGER search_fts_ai AFTER INSERT ON {TABLE} BEGIN {fts_in} END",
        f"CREATE TRIGGER search_fts_ad AFTER DELETE ON {TABLE} BEGIN {fts_out} END",
        f"CREATE TRIGGER search_fts_au AFTER UPDATE ON {TABLE} BEGIN {fts_out} {fts_in} END",
    ]
    for table, kind, column, columns in WATCHED:
        queue = f"INSERT INTO {QUEUE}(kind, object_id) VALUES ('{kind}', %s.{column});"
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
        moved = f"old.{column} IS NOT new.{column}"
        sql += [
            f"CREATE TRIGGER search_q_{table}_ai AFTER INSERT ON {table} BEGIN {queue % 'new'} END",
            f"CREATE TRIGGER search_q_{table}_ad AFTER DELETE ON {table} BEGIN {queue % 'old'} END",
            f"CREATE TRIGGER search_q_{table}_au AFTER UPDATE ON {table} WHEN {changed} "
            f"BEGIN {queue % 'new'} "
            f"INSERT INTO {QUEUE}(kind, object_id) "
            f"SELECT '{kind}', old.{column} WHERE {moved}; END",
        ]
    return sql


def _sqlite_names() -> list[str]:
    return [*FTS_TRIGGERS, *_sqlite_queue_names()]


def _sqlite_queue_names() -> list[str]:
    return [f"search_q_{table}_{op}" for table, *_ in WATCHED for op in ("ai", "ad", "au")]


PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION chibo_search_queue() RETURNS trigger AS $$
DECLARE
    kind text := TG_ARGV[0];
    id_new bigint;
    id_old bigint;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        id_new := (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
        IF id_new IS NOT NULL THEN
            INSERT INTO {QUEUE}(kind, object_id) VALUES (kind, id_new);
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        id_old := (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
        IF id_old IS NOT NULL AND id_old IS DISTINCT FROM id_new THEN
            INSERT INTO {QUEUE}(kind, object_id) VALUES (kind, id_old);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _pg_triggers() -> list[str]:
    sql = [PG_FUNCTION]
    for table, kind, column, columns in WATCHED:
        args = f"'{kind}', '{column}'"
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        sql += [
            f"DROP TRIGGER IF EXISTS search_q_{table}_aid ON {table}",
            f"DROP TRIGGER IF EXISTS search_q_{table}_au ON {table}",
            f"CREATE TRIGGER search_q_{table}_aid AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION chibo_search_queue({args})",
            f"CREATE TRIGGER search_q_{table}_au AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN ({changed}) EXECUTE FUNCTION chibo_search_queue({args})",
        ]
    return sql


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """(Re)create every trigger of the index; harmless to run again."""
    tables = set(connection.introspection.table_names())
    if TABLE not in tables or QUEUE not in tables:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statements = _pg_triggers()
        else:
            statements = [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_names()]
            # A later migration that rebuilds the table leaves out the keys, no field of it.
            if not _has_keys(connection):
                statements.append(ADD_KEYS)
            statements += _sqlite_triggers()
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def unqueued(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """The indexed tables written without queueing each changed row, for a caller that then
    rebuilds the whole index (`chibo demo`): on the demo's history a trigger per row was a
    third of the writes. Only inside the caller's transaction, so that a failure rolls the
    triggers back with the rest."""
    if not connection.in_atomic_block:
        raise RuntimeError("Write without the queue only inside a transaction.")
    if connection.vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS search_q_{table}_{ops} ON {table}"
            for table, *_ in WATCHED
            for ops in ("aid", "au")
        ]
    else:
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in _sqlite_queue_names()]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    yield
    install_triggers(connection)


@contextmanager
def words_index_set_aside(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """The index over the entries' words set aside while every entry is written anew, and made
    whole at the end; searches meanwhile read the entries without it.

    - PostgreSQL's indexes are dropped: kept, each batch of a province's four million entries
      updated them (a GIN index grows slowly row by row; made whole, it is sorted once).
    - SQLite's full-text table loses the triggers that follow the entries, and is rebuilt from
      them at the end: a trigger per row was three quarters of a city's rebuild (24 s, against
      5 s to write the entries and 2 s to rebuild the table from them).

    A caller's transaction keeps them (PostgreSQL makes no index over rows whose deferred checks
    are pending)."""
    if connection.in_atomic_block:
        yield
        return
    postgresql = connection.vendor == "postgresql"
    dropped = [f"DROP INDEX IF EXISTS {name}" for name in WORDS_INDEX_NAMES]
    with connection.cursor() as cursor:
        for statement in dropped if postgresql else UNFOLLOWED:
            cursor.execute(statement)
    try:
        yield
    finally:
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '256MB'")
                for statement in WORDS_INDEXES:
                    cursor.execute(statement)
                cursor.execute("RESET maintenance_work_mem")
        else:
            # One transaction: no entry written between the two would miss the table.
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(REBUILT)
                install_triggers(connection)
