"""`chibo audit verify`: check the audit log's chain, the approved records and the evaluation
trails against it; name every problem and exit with 1 if there is any."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from chibo.audit.models import Entry
from chibo.audit.verify import everything


class Command(BaseCommand):
    help = "Check the audit log and the records it seals."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args, database: str, **options) -> None:
        start = time.perf_counter()
        problems = 0
        for problem in everything(database):
            problems += 1
            self.stdout.write(str(problem))
        seconds = time.perf_counter() - start
        checked = Entry.objects.using(database).count()
        if problems:
            raise CommandError(f"{problems} problem(s) in {checked} entries ({seconds:.1f} s).")
        self.stdout.write(f"{checked} entries checked in {seconds:.1f} s: no problem found.")
