"""`chibo serve`: gunicorn, a background worker and the reminders' clock in one command, for a
laptop or small office.

A larger installation runs gunicorn (or granian) and `chibo db_worker` as separate services;
the README says how.
"""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication


class Server(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from chibo.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve chibo on localhost, with a background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        # One process per core, one request at a time each: bench/bench_http.py's meeting
        # evening held the most requests with the shortest waits so; more processes or threads
        # only queued on the CPU and on SQLite's writer (decision record 11).
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker nor the reminders' clock.",
        )

    def handle(
        self, *args, port: int, host: str, workers: int, threads: int, no_worker: bool, **options
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        # Only files changed since the last start are copied and compressed again.
        call_command("collectstatic", interactive=False, verbosity=0)
        helpers = [] if no_worker else [background("db_worker"), background("clock")]
        self.stdout.write(
            _("chibo is running at http://%(host)s:%(port)d/ (Ctrl+C stops it)")
            % {"host": host, "port": port}
        )
        self.stdout.flush()
        try:
            Server(
                {
                    "bind": f"{host}:{port}",
                    "workers": workers,
                    "threads": threads,
                    "accesslog": "-",
                    "graceful_timeout": 5,
                }
            ).run()
        finally:
            for helper in helpers:
                helper.terminate()
            for helper in helpers:
                helper.wait(timeout=10)


def background(command: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "chibo.cli", command])
