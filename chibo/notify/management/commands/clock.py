"""`chibo clock`: run `chibo remind` on its schedule, for installations without cron, and
open each month's indicators as it begins (`chibo quality month`, a no-op once done), and
index for search every minute what changed (`chibo search drain`).

`chibo serve` starts it beside the web server; a larger installation may use cron or a systemd
timer instead (the README says how).
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from chibo.library.index import indexing
from chibo.notify.clock import Clock

# How often the clock wakes to look at its schedule.
TICK_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Run `chibo remind` and `chibo quality month` every hour and `chibo remind --digest` "
        "once a day."
    )

    def handle(self, *args, **options) -> None:
        clock = Clock()
        while True:
            now = timezone.now()
            run, digest = clock.due(now)
            if run:
                call_command("quality", "month", stdout=self.stdout)
                call_command("remind", *(["--digest"] if digest else []), stdout=self.stdout)
                clock.ran(now, digest)
            # What changed since the last tick, indexed for search (the triggers queued it).
            indexing.drain()
            time.sleep(TICK_SECONDS)
