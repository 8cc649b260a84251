"""`chibo import FILE`: import members from a spreadsheet export of the national database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from chibo.orgs.imports.apply import EVERY_CONFLICT, Report, check_file, import_file


class Command(BaseCommand):
    help = "Import party members from an .xlsx or .csv export of the national member database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and tell what would change, without writing anything.",
        )
        parser.add_argument(
            "--confirm-conflicts",
            action="store_true",
            help="Overwrite the members whose card numbers the file gives another name or date "
            "of birth (see them with --dry-run first).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: the line's, from the locale).",
        )

    def handle(
        self,
        *args,
        file: Path,
        dry_run: bool,
        confirm_conflicts: bool,
        language: str | None,
        **options,
    ) -> None:
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            if not file.is_file():
                raise CommandError(_("There is no file at %(path)s.") % {"path": file})
            self.stderr.write(_("Checking %(name)s…") % {"name": file.name})
            report = check_file(file) if dry_run else self._import(file, confirm_conflicts)
            self._print(report, dry_run)

    def _import(self, file: Path, confirm_conflicts: bool) -> Report:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            # The bar appears once checking is over and writing starts. Its redraws must not end
            # in the newline Django's output wrapper adds by default.
            self.stderr.ending = ""
            bar = bar or tqdm(total=total, unit=_("members"), file=self.stderr)
            bar.update(done - bar.n)

        try:
            return import_file(file, progress, EVERY_CONFLICT if confirm_conflicts else ())
        finally:
            if bar is not None:
                bar.close()
                self.stderr.ending = "\n"

    def _print(self, report: Report, dry_run: bool) -> None:
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for problem in report.problems:
            self.stdout.write(str(problem))
        if report.counts is not None and report.conflicts:
            self.stderr.write(
                self.style.WARNING(
                    _("These rows change another person:")
                    if dry_run
                    else _("These members were overwritten, as confirmed:")
                )
            )
            for conflict in report.conflicts:
                self.stdout.write(str(conflict.problem))
            if dry_run:
                self.stderr.write(_("Import with --confirm-conflicts if the file is right."))
        if report.counts is None:
            if report.conflicts:
                self.stderr.write(
                    _("Check them with --dry-run, then import with --confirm-conflicts.")
                )
            count = len(report.problems)
            raise CommandError(
                ngettext(
                    "%(count)d problem in the file: nothing was written.",
                    "%(count)d problems in the file: nothing was written.",
                    count,
                )
                % {"count": count},
                returncode=1,
            )
        summary = (
            _(
                "Dry run: %(new)d new, %(updated)d updated, %(moved)d moved to another cell, "
                "%(unchanged)d unchanged. Nothing was written."
            )
            if dry_run
            else _(
                "Imported: %(new)d new, %(updated)d updated, %(moved)d moved to another cell, "
                "%(unchanged)d unchanged."
            )
        )
        self.stdout.write(self.style.SUCCESS(summary % report.counts))
