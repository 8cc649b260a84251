"""`chibo restore FILE [--force]`: put back a backup made by `chibo backup`."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import translation
from django.utils.translation import gettext as _

from chibo.backups import archive, databases, media


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Restore a backup into an empty database and media folder.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Replace a database and uploaded files that are not empty."),
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help=_("Database alias."))

    def handle(self, *args, file: Path, force: bool, database: str, **options) -> None:
        with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
            if not file.is_file():
                raise CommandError(_("There is no file at %(path)s.") % {"path": file})
            connection = connections[database]
            media.root().mkdir(parents=True, exist_ok=True)
            try:
                engine = databases.engine_of(connection)
                # Unpacked beside MEDIA_ROOT, so restored files move into it without a copy.
                with tempfile.TemporaryDirectory(dir=media.root().parent) as tmp:
                    unpacked = Path(tmp)
                    manifest = archive.unpack(file, unpacked)
                    self._check(manifest, connection, force)
                    engine.load(unpacked / engine.dump_name)
                    restored = databases.counts(connection)
                    if restored != manifest["tables"]:
                        raise CommandError(
                            _("The restored database does not hold the rows the backup lists.")
                        )
                    prefix = f"{archive.MEDIA}/"
                    uploads = {
                        name.removeprefix(prefix): unpacked / name
                        for name in manifest["files"]
                        if name.startswith(prefix)
                    }
                    media.replace(uploads)
            except archive.Damaged as damage:
                raise CommandError(damage.message) from damage
            except databases.Failed as failure:
                raise CommandError(failure.message) from failure
            # Everything kept in the shared cache describes the database that was replaced.
            cache.clear()
            self.stdout.write(
                _(
                    "Restored %(rows)d rows in %(tables)d tables and %(files)d files, "
                    "backed up at %(made_at)s."
                )
                % {
                    "rows": sum(restored.values()),
                    "tables": len(restored),
                    "files": len(uploads),
                    "made_at": manifest.get("made_at"),
                }
            )

    def _check(self, manifest: dict, connection, force: bool) -> None:
        if manifest.get("engine") != connection.vendor:
            raise CommandError(
                _(
                    "This is a backup of a %(engine)s database: "
                    "restore it into one of the same kind."
                )
                % {"engine": manifest.get("engine")}
            )
        known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
        if set(manifest.get("migrations", [])) - known:
            raise CommandError(
                _("This backup was made by a newer chibo (version %(version)s): upgrade first.")
                % {"version": manifest.get("chibo")}
            )
        if not force and not (databases.is_empty(connection) and not media.files()):
            raise CommandError(
                _(
                    "The database or the uploaded files are not empty: restoring would replace "
                    "them. Restore into an empty database, or add --force to replace them."
                )
            )
