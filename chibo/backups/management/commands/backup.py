"""`chibo backup FILE`: a consistent copy of the database and the uploaded files."""

import tempfile
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.backups import archive, databases, media


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Copy the database and the uploaded files into one archive.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help=_("Database alias."))

    def handle(self, *args, file: Path, database: str, **options) -> None:
        with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
            if file.is_dir() or not file.parent.is_dir():
                raise CommandError(_("Give the path of a file to write, in an existing folder."))
            connection = connections[database]
            try:
                engine = databases.engine_of(connection)
                with tempfile.TemporaryDirectory(dir=file.parent) as tmp:
                    dump = Path(tmp) / engine.dump_name
                    rows = engine.dump(dump)
                    # Files after the database: a record never names a file the copy lacks.
                    uploads = media.files()
                    manifest = {
                        "chibo": version("chibo"),
                        "made_at": timezone.now().isoformat(timespec="seconds"),
                        "engine": connection.vendor,
                        "migrations": databases.migrations(connection),
                        "tables": rows,
                    }
                    files = {engine.dump_name: dump}
                    files.update((f"{archive.MEDIA}/{n}", p) for n, p in uploads.items())
                    archive.write(file, manifest, files)
            except databases.Failed as failure:
                raise CommandError(failure.message) from failure
            self.stdout.write(
                _(
                    "Backed up %(rows)d rows in %(tables)d tables and %(files)d files "
                    "to %(path)s (%(size)s)."
                )
                % {
                    "rows": sum(rows.values()),
                    "tables": len(rows),
                    "files": len(uploads),
                    "path": file,
                    "size": filesizeformat(file.stat().st_size),
                }
            )
