"""Query budgets of the meeting pages not counted elsewhere: each costs a fixed number of
queries, the same for a small cell with one task as for a big one with a dozen."""

import pytest
from django.urls import reverse

from chibo.conftest import make_member
from chibo.meetings import holding
from chibo.meetings.publishing import publish
from chibo.meetings.tests.holding_data import (
    approved_minutes,
    count_queries,
    draft,
    soon,
    url,
)
from chibo.meetings.tests.test_attending import plan

PAGES = [
    ("minutes", ()),
    ("minutes_version", (1,)),
    ("resolution", ()),
    ("resolution_version", (1,)),
    ("records", ()),
    ("notices", ()),
    ("notice", (1,)),
    ("cell", None),
]
BUDGET = 16


def held(cell, members: int, tasks: int):
    """A published, opened meeting with approved minutes and an adopted resolution."""
    owners = [make_member(cell, f"Đảng viên {cell.pk}-{i:02d}") for i in range(members)]
    meeting = plan(cell)
    publish(meeting, by=None)
    holding.open_meeting(meeting)
    approved_minutes(meeting)
    rows = [(f"Nhiệm vụ {i}", owners[i % members].full_name, soon()) for i in range(tasks)]
    resolution = draft(meeting, *rows)
    everyone = list(cell.members.all())
    for member in everyone:
        holding.check_in(meeting, member)
    vote = holding.record_vote(meeting, "Nghị quyết", len(everyone), 0, 0)
    holding.adopt_resolution(resolution, vote)
    return meeting


def page(meeting, name: str, args) -> str:
    if args is None:
        return reverse(f"meetings:{name}", args=[meeting.cell.code])
    return url(meeting, name, *args)


@pytest.mark.parametrize("name, args", PAGES)
def test_it_keeps_each_page_within_a_fixed_budget(world, name, args):
    small = held(world.cell, members=2, tasks=1)
    big = held(world.sister_cell, members=40, tasks=12)
    client = world.client("admin")
    few = count_queries(client, page(small, name, args))
    assert count_queries(client, page(big, name, args)) == few
    assert few <= BUDGET
