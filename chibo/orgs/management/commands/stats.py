"""`chibo stats`: how big the database is, for benchmarks and for a glance after an import."""

import json

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chibo.meetings.models import Meeting
from chibo.orgs.models import Level, Member, Organisation


def levels() -> list[Level]:
    """Every level, root first, with `n`: how many organisations are at it."""
    return list(Level.objects.annotate(n=Count("organisations")).order_by("pk"))


def counts() -> dict:
    orgs = Organisation.objects.order_by()
    return {
        "committees": orgs.committees().count(),
        "cells": orgs.cells().count(),
        "members": Member.objects.count(),
        "meetings": Meeting.objects.count(),
        "levels": {level.name: level.n for level in levels()},
    }


class Command(BaseCommand):
    @property
    def help(self) -> str:  # argparse needs a plain string, translated when asked
        return _("Count the committees, cells, members and meetings in the database.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("Print JSON."))

    def handle(self, *args, as_json: bool, **options) -> None:
        totals = counts()
        if as_json:
            self.stdout.write(json.dumps(totals, ensure_ascii=False))
            return
        rows = [
            (_("Party committees"), totals["committees"]),
            (_("Party cells"), totals["cells"]),
            (_("Party members"), totals["members"]),
            (_("Meetings"), totals["meetings"]),
            (_("Organisations by level"), None),
            *((f"  {level.label}", level.n) for level in levels()),
        ]
        width = max(len(label) for label, _n in rows) + 2
        for label, n in rows:
            number = "" if n is None else number_format(n, force_grouping=True)
            self.stdout.write(f"{label.ljust(width)}{number:>9}".rstrip())
