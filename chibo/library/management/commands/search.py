"""`chibo search rebuild [--kind KIND] | drain`: the search index made anew, or the records
changed since they were indexed indexed again."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from chibo.library.index import indexing
from chibo.library.searching import KINDS


class Command(BaseCommand):
    help = (
        "The search index: `rebuild` makes every entry anew from the records (or those of one "
        "kind); `drain` indexes the records changed since they were indexed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser("rebuild", help="Make the index anew from the records.")
        rebuild.add_argument("--kind", choices=KINDS, help="Only the entries of this kind.")
        rebuild.add_argument("--quiet", action="store_true", help="No progress bar.")
        rebuild.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes making the entries, while this one writes them.",
        )
        actions.add_parser("drain", help="Index the records changed since they were indexed.")

    def handle(
        self,
        *args,
        action: str,
        kind: str | None = None,
        quiet: bool = False,
        workers: int = 1,
        **options,
    ):
        started = time.monotonic()
        if action == "drain":
            handled = indexing.drain()
            self.stdout.write(_("%(count)d changes indexed.") % {"count": handled})
            return
        if workers < 1:
            raise CommandError(_("--workers must be 1 or more."))
        total = sum(indexing.count(k) for k in ([kind] if kind else KINDS))
        # tqdm redraws its line with \r: Django's output wrapper must not end each write in \n.
        self.stderr.ending = ""
        try:
            with tqdm(total=total, unit=_("records"), file=self.stderr, disable=quiet) as bar:
                if kind:
                    bar.set_description(kind)
                    written = indexing.rebuild(kind, progress=bar.update, workers=workers)
                else:
                    written = indexing.rebuild_all(bar.update, workers, bar.set_description)
        finally:
            self.stderr.ending = "\n"
        self.stdout.write(
            _("%(count)d records indexed in %(seconds).1f s.")
            % {"count": written, "seconds": time.monotonic() - started}
        )
