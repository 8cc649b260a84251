"""`chibo stats`: counts of the database, for people and for benchmark scripts."""

import json
from io import StringIO

from django.core.management import call_command
from django.utils import translation

from chibo.meetings.tests.publishing_data import plan
from chibo.orgs.management.commands.stats import Command


def stats(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_counts_as_json(world):
    assert json.loads(stats("--json")) == {
        "committees": 5,
        "cells": 3,
        "members": 5,
        "meetings": 0,
        "levels": {"Tỉnh": 1, "Thành phố": 2, "Cơ sở": 2, "Chi bộ": 3},
    }


def test_it_keeps_vietnamese_level_names_readable_in_json(world):
    assert '"Tỉnh": 1' in stats("--json")


def test_it_counts_an_empty_database(db):
    assert json.loads(stats("--json")) == {
        "committees": 0,
        "cells": 0,
        "members": 0,
        "meetings": 0,
        "levels": {},
    }


def test_it_prints_a_table_for_people(world):
    with translation.override("en"):
        lines = stats().splitlines()
    assert lines[0].split() == ["Party", "committees", "5"]
    assert lines[2].split() == ["Party", "members", "5"]
    assert lines[3].split() == ["Meetings", "0"]
    assert lines[4] == "Organisations by level"
    assert [line.split() for line in lines[5:]] == [
        ["Province", "1"],
        ["City", "2"],
        ["Grassroots", "2"],
        ["Cell", "3"],
    ]


def test_it_counts_meetings(world):
    plan(world.cell)
    plan(world.sister_cell)
    assert json.loads(stats("--json"))["meetings"] == 2


def test_it_explains_its_options():
    assert "--json" in Command().create_parser("chibo", "stats").format_help()
