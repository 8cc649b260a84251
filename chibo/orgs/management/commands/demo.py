"""`chibo demo`: Uông Bí's party organisation with generated members, ready to try, then served."""

import random
import time
from collections.abc import Collection
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from chibo.guidance.demo import generate_guidance
from chibo.lib import bulk, workers
from chibo.library.demo import generate_library
from chibo.library.index import indexing, schema
from chibo.meetings.demo import generate_history
from chibo.orgs.demo.accounts import (
    PASSWORD,
    create_accounts,
    demo_authenticators,
    describe_accounts,
)
from chibo.orgs.demo.build import COUNTRY, generate
from chibo.orgs.demo.names import PROVINCE_REF
from chibo.orgs.demo.plan import SCALES
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.quality.demo import generate_scores, open_year_round
from chibo.voices.consult_demo import generate_consultations
from chibo.voices.demo import VoiceDemo


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a plain string, translated when asked
        return _("Fill an empty database with a demo city and its demo accounts, then serve it.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help=_("Stop once the data is ready.")
        )
        parser.add_argument("--port", type=int, default=8000, help=_("Port to serve on."))
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help=_("The same seed always gives the same people and tree."),
        )
        parser.add_argument(
            "--months",
            type=int,
            default=24,
            choices=range(0, 61),
            metavar="0-60",
            help=_("Months of meeting history to make."),
        )
        parser.add_argument(
            "--scale",
            choices=sorted([*SCALES, COUNTRY]),
            default="city",
            help=_(
                "city: Uông Bí; province: all of Quảng Ninh; country: Vietnam's 34 provinces, "
                "with meetings in Quảng Ninh only. The last two are for benchmarks."
            ),
        )

    def handle(
        self,
        *args,
        no_serve: bool,
        port: int,
        seed: int,
        months: int,
        scale: str,
        verbosity: int,
        **options,
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if Organisation.objects.exists():
            self.stdout.write(_("The database already has organisations: using them as they are."))
        else:
            self.generate(scale, seed, months, timezone.now(), progress=verbosity > 0)
        self.show_accounts()
        if not no_serve:
            call_command("serve", port=port)

    def generate(
        self,
        scale: str,
        seed: int,
        months: int,
        now: datetime,
        progress: bool,
        only: Collection[str] | None = None,
    ) -> None:
        """The demo as it stands at `now`: one reading of the clock for every part of it. At
        the country scale, `only` names the provinces to make (all if None)."""
        started = time.monotonic()
        today = timezone.localdate(now)
        # A new database: nothing kept for an earlier one (sessions, reach, dashboards) may be
        # read for this one.
        cache.clear()
        # The demo's records are written in the installation's language, whatever the line's;
        # not queued for the search index one by one, as it is made whole at the end.
        with (
            transaction.atomic(),
            translation.override(settings.LANGUAGE_CODE),
            schema.unqueued(connection),
        ):
            tree = generate(scale, seed, today, progress=progress, only=only)
            create_accounts(seed)
            # A country's history would take hours: its meetings are Quảng Ninh's alone.
            sample = Organisation.objects.get(ref=PROVINCE_REF) if scale == COUNTRY else None
            # The guidance comes first: the history puts what cells took up on their agendas.
            guidance = generate_guidance(random.Random(seed), now, months, under=sample)
            # Voices follow each cell's habit, which the history gives it.
            voices = VoiceDemo(random.Random(seed), now, months)
            generate_history(
                random.Random(seed),
                now,
                months,
                progress=progress,
                under=sample,
                extra=voices.watching(guidance.take_up),
            )
            guidance.record()
            voices.record()
            generate_consultations(random.Random(seed), now)
            generate_library(random.Random(seed), now, under=sample)
            # The scores read the history: PostgreSQL plans those reads from the statistics of
            # what it holds (a city's five years took 13 s to score without them, 5 s with).
            bulk.refresh_statistics(vacuum=False)
            generate_scores(random.Random(seed), today, progress=progress, under=sample)
            open_year_round(today)
        # The indicators and the index read what was just written: planned without statistics,
        # a province's index read each span's agendas by scanning every table (300 entries a
        # second, against 7,000).
        bulk.refresh_statistics(vacuum=False)
        self.indicators(today, progress)
        records = sum(indexing.count(kind) for kind in indexing.SOURCES)
        with tqdm(total=records, desc=_("search index"), disable=not progress) as bar:
            indexing.rebuild_all(progress=bar.update, workers=workers.available())
        bulk.refresh_statistics()
        self.stdout.write(
            _("Made %(organisations)d organisations and %(members)d members in %(seconds).1f s.")
            % {
                "organisations": sum(1 for _node in tree.walk()),
                "members": sum(cell.size for cell in tree.cells()),
                "seconds": time.monotonic() - started,
            }
        )

    def indicators(self, today: date, progress: bool) -> None:
        """Every monthly indicator from the records just committed: by a worker process per
        core, each taking a city (a province of the country) at a time."""
        cells = Organisation.objects.cells().count()
        with tqdm(total=cells, desc=_("monthly indicators"), disable=not progress) as bar:
            rollup.rebuild(progress=bar.update, today=today, workers=workers.available())

    def show_accounts(self) -> None:
        rows = describe_accounts()
        if not rows:
            self.stdout.write(_("There are no demo accounts in this database."))
            return
        self.stdout.write(
            _("Demo accounts, all with the password %(password)s:") % {"password": PASSWORD}
        )
        header = (_("Role"), _("Username"), _("Person"), _("Sees"))
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        for row in [header, *rows]:
            cells = [text.ljust(width) for text, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[-1]]))
        authenticators = demo_authenticators()
        if authenticators:
            self.stdout.write(
                _(
                    "These accounts also ask for a code after the password. Add the key to an "
                    "authenticator app, or print the current code with the command beside it:"
                )
            )
            width = max(len(username) for username, _key in authenticators)
            for username, key in authenticators:
                self.stdout.write(f"  {username.ljust(width)}  {key}  chibo otp {username}")
