"""Query budgets of the meeting pages not counted elsewhere, each measured as the person who
uses the page: the secretary writes the minutes and the resolution, members read the records,
the notices and the cell's meetings. Each page costs a fixed number of queries, the same for a
small cell with one task as for a big one with a dozen."""

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
    ("minutes", (), "secretary"),
    ("resolution", (), "secretary"),
    ("minutes_version", (1,), "member"),
    ("resolution_version", (1,), "member"),
    ("records", (), "member"),
    ("notices", (), "member"),
    ("notice", (1,), "member"),
    ("cell", None, "member"),
    ("list", None, "member"),
]
BUDGET = 16


def held(cell, members: int, tasks: int, days: int = 3, name: str = "Đảng viên"):
    """A published, opened meeting with approved minutes and an adopted resolution, both
    published to the members."""
    owners = [make_member(cell, f"{name} {cell.pk}-{i:02d}") for i in range(members)]
    meeting = plan(cell, days=days)
    publish(meeting, by=None)
    holding.open_meeting(meeting, now=meeting.starts_at)
    approved_minutes(meeting)
    rows = [(f"Nhiệm vụ {i}", owners[i % members].full_name, soon()) for i in range(tasks)]
    resolution = draft(meeting, *rows)
    everyone = list(cell.members.all())
    for member in everyone:
        holding.check_in(meeting, member)
    vote = holding.record_vote(meeting, "Nghị quyết", len(everyone), 0, 0)
    holding.adopt_resolution(resolution, vote)
    holding.publish_records(meeting)
    return meeting


def page(meeting, name: str, args) -> str:
    if name == "list":
        return reverse("meetings:list")
    if args is None:
        return reverse(f"meetings:{name}", args=[meeting.cell.code])
    return url(meeting, name, *args)


@pytest.mark.parametrize("name, args, persona", PAGES)
def test_it_keeps_each_page_within_a_fixed_budget(world, name, args, persona):
    """The cell grows from 2 members and a task to 40 more, 12 tasks and 11 more meetings."""
    client = world.client(persona)
    small = held(world.cell, members=2, tasks=1)
    few = count_queries(client, page(small, name, args))
    # Before the small one, so that neither follows up on the other's tasks (rule 6).
    big = held(world.cell, members=40, tasks=12, days=1, name="Thành viên")
    for days in range(6, 16):
        publish(plan(world.cell, days=days), by=None)
    assert count_queries(client, page(big, name, args)) == few
    assert few <= BUDGET
