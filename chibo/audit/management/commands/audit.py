"""`chibo audit verify`: check the audit log's chain, the approved records and the evaluation
trails against it; name every problem and exit with 1 if there is any."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from chibo.audit import verify
from chibo.audit.models import Entry


class Command(BaseCommand):
    help = "Check the audit log and the records it seals."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args, database: str, **options) -> None:
        start = time.perf_counter()
        problems = 0
        # The checkpoint belongs to this installation's database, not to a restored copy.
        ours = database == DEFAULT_DB_ALIAS
        head: list = []
        for problem in verify.everything(database, verify.remembered() if ours else None, head):
            problems += 1
            self.stdout.write(str(problem))
        seconds = time.perf_counter() - start
        checked = Entry.objects.using(database).count()
        if problems:
            raise CommandError(f"{problems} problem(s) in {checked} entries ({seconds:.1f} s).")
        if ours:
            verify.remember(head)
        self.stdout.write(f"{checked} entries checked in {seconds:.1f} s: no problem found.")
