"""`chibo quality rebuild | month`: the monthly indicators, recomputed or opened for the month."""

import time

from django.core.management.base import BaseCommand, CommandParser
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
        actions.add_parser("rebuild", help="Recompute every indicator of every cell and committee.")
        actions.add_parser(
            "month", help="Give each cell its row of the month just begun (run it hourly)."
        )

    def handle(self, *args, action: str, **options) -> None:
        started = time.monotonic()
        if action == "month":
            if rows := rollup.open_month():
                self.stdout.write(_("%(rows)d monthly rows of cells added.") % {"rows": rows})
            return
        cells = Organisation.objects.cells().count()
        # tqdm redraws its line with \r: Django's output wrapper must not end each write in \n.
        self.stderr.ending = ""
        try:
            with tqdm(total=cells, unit=_("cells"), file=self.stderr) as bar:
                rows = rollup.rebuild(progress=bar.update)
        finally:
            self.stderr.ending = "\n"
        self.stdout.write(
            _("%(rows)d monthly rows for %(cells)d cells and their committees in %(seconds).1f s.")
            % {"rows": rows, "cells": cells, "seconds": time.monotonic() - started}
        )
