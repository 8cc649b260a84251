"""Consistent copies of the database, and their restoration, on SQLite and PostgreSQL.

SQLite copies with its online backup API: one read transaction, so the copy is consistent
while the web server and worker keep writing. PostgreSQL copies with `pg_dump`, run on a
snapshot exported by a REPEATABLE READ transaction that also counts every table's rows, so the
counts in the manifest are those of the very data dumped. Both restore all or nothing.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

# Tables a freshly migrated database fills by itself: they do not make it "not empty".
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}


class Failed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def tables(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Rows per table, read in the connection's current transaction."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        found = {}
        for table in tables(connection):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            found[table] = cursor.fetchone()[0]
    return found


def is_empty(connection: BaseDatabaseWrapper) -> bool:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables(connection):
            if table not in BOOKKEEPING:
                cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
                if cursor.fetchone():
                    return False
    return True


def migrations(connection: BaseDatabaseWrapper) -> list[str]:
    """The migrations applied, as `app.name`, to tell which chibo made a backup."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


class Sqlite:
    dump_name = "database.sqlite3"

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def dump(self, into: Path) -> dict[str, int]:
        self.connection.ensure_connection()
        copy = sqlite3.connect(into)
        try:
            self.connection.connection.backup(copy)  # all pages in one step: one snapshot
            rows = {}
            for (table,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ):
                rows[table] = copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        finally:
            copy.close()
        return dict(sorted(rows.items()))

    def load(self, dump: Path) -> None:
        """Replace the whole database by the copy, in one step."""
        self.connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()


class Postgres:
    dump_name = "database.sql"

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def _run(self, program: str, *args: str) -> None:
        if shutil.which(program) is None:
            raise Failed(
                _(
                    "%(program)s was not found: install PostgreSQL's client programs "
                    "(Debian: postgresql-client)."
                )
                % {"program": program}
            )
        result = subprocess.run(
            [program, *args], env=self._environment(), capture_output=True, text=True
        )
        if result.returncode:
            raise Failed(
                _("%(program)s failed: %(error)s")
                % {"program": program, "error": result.stderr.strip()}
            )

    def _environment(self) -> dict[str, str]:
        """The connection's settings as libpq's variables: no password on a command line."""
        settings = self.connection.settings_dict
        variables = {
            "PGDATABASE": settings["NAME"],
            "PGUSER": settings["USER"],
            "PGPASSWORD": settings["PASSWORD"],
            "PGHOST": settings["HOST"],
            "PGPORT": str(settings["PORT"] or ""),
            "PGSSLMODE": settings.get("OPTIONS", {}).get("sslmode", ""),
        }
        return {**os.environ, **{k: v for k, v in variables.items() if v}}

    def dump(self, into: Path) -> dict[str, int]:
        connection = self.connection
        with connection.cursor() as cursor:
            # The transaction stays open while pg_dump reads the snapshot it exports.
            connection.set_autocommit(False)
            try:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                rows = counts(connection)
                self._run(
                    "pg_dump",
                    "--format=plain",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={into}",
                )
            finally:
                connection.rollback()
                connection.set_autocommit(True)
        return rows

    def load(self, dump: Path) -> None:
        """Drop every table and load the dump, in one transaction: all or nothing. A dump
        carries no planner statistics: gather them, or the first pages plan blind."""
        quote = self.connection.ops.quote_name
        drops = dump.with_name("drop.sql")
        names = ", ".join(quote(table) for table in tables(self.connection))
        drops.write_text(
            (f"DROP TABLE IF EXISTS {names} CASCADE;\n" if names else "") + DROP_FUNCTIONS
        )
        self._run(
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            f"--file={drops}",
            f"--file={dump}",
            "--command=ANALYZE",
        )


# The schema's own functions (the search index's trigger function), which the dump creates
# again; those of extensions are left to their extension.
DROP_FUNCTIONS = """
DO $$
DECLARE found record;
BEGIN
    FOR found IN
        SELECT p.oid::regprocedure AS signature FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND NOT EXISTS (
            SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'
        )
    LOOP
        EXECUTE 'DROP FUNCTION IF EXISTS ' || found.signature || ' CASCADE';
    END LOOP;
END $$;
"""


def engine_of(connection: BaseDatabaseWrapper) -> Sqlite | Postgres:
    if connection.vendor == "sqlite":
        return Sqlite(connection)
    if connection.vendor == "postgresql":
        return Postgres(connection)
    raise Failed(_("Backups are made of SQLite and PostgreSQL databases only."))
