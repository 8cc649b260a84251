"""`chibo quality rebuild | month`: the monthly indicators, recomputed or opened for the month."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from chibo.orgs.models import Organisation
from chibo.quality import rollup


class Command(BaseCommand):
    help = (
        "Quality of cell life: `rebuild` recomputes every monthly indicator from the records; "
        "`month` gives every cell its row of each month kept, the one just begun included."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        rebuild = actions.add_parser(
            "rebuild", help="Recompute every indicator of every cell and committee."
        )
        rebuild.add_argument(
            "--under",
            metavar="REF",
            help="Only the subtree of the organisation with this reference code (a province), "
            "then the committees above it.",
        )
        rebuild.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes computing the cells' rows, one subtree below the top at a time.",
        )
        actions.add_parser(
            "month", help="Give each cell its row of the month just begun (run it hourly)."
        )

    def handle(
        self, *args, action: str, under: str | None = None, workers: int = 1, **options
    ) -> None:
        started = time.monotonic()
        if action == "month":
            if rows := rollup.open_month():
                self.stdout.write(_("%(rows)d monthly rows of cells added.") % {"rows": rows})
            return
        top = self.organisation(under) if under else None
        subtree = Organisation.objects.get_tree(top) if top else Organisation.objects.all()
        cells = subtree.filter(kind=Organisation.Kind.CELL).count()
        if workers < 1:
            raise CommandError(_("--workers must be 1 or more."))
        # tqdm redraws its line with \r: Django's output wrapper must not end each write in \n.
        self.stderr.ending = ""
        try:
            with tqdm(total=cells, unit=_("cells"), file=self.stderr) as bar:
                rows = rollup.rebuild(progress=bar.update, under=top, workers=workers)
        finally:
            self.stderr.ending = "\n"
        self.stdout.write(
            _("%(rows)d monthly rows for %(cells)d cells and their committees in %(seconds).1f s.")
            % {"rows": rows, "cells": cells, "seconds": time.monotonic() - started}
        )

    def organisation(self, ref: str) -> Organisation:
        try:
            return Organisation.objects.get(ref=ref)
        except Organisation.DoesNotExist:
            raise CommandError(
                _("There is no organisation with the reference code %(ref)s.") % {"ref": ref}
            ) from None
