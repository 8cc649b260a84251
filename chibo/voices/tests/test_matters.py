"""A large subtree's places and recurring matters are counted in the background (decision 24):
its committee reads the last count at once, told when it was made, while the worker makes the
next; a small subtree's are counted while its committee waits."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from chibo.conftest import make_member, make_user
from chibo.voices import handling
from chibo.voices.tests.voices_data import NOW, category, clock, recorded, scope

pytestmark = clock

# What the page says, in the committee member's Vietnamese.
BEING_COUNTED = "Các địa bàn và vấn đề của cấp này đang được đếm."
AS_COUNTED = "Các địa bàn và vấn đề dưới đây là số liệu đếm lúc"


def summary(world):
    page = world.client("committee").get(reverse("voices:summary", args=[world.city.code]))
    assert page.status_code == 200
    return page


def places(page) -> list[tuple[str, int, int]]:
    return [(row["where"], row["cells"], row["n"]) for row in page.context["places"]]


def from_the_sister_cell(world, place: str) -> None:
    """A voice of the ward's other cell: the same matter raised by a second cell."""
    user = make_user(make_member(world.sister_cell, "Vũ Thị Hạnh"), "hanh")
    handling.record(
        world.sister_cell, scope(user), at=NOW, category=category(), text="Ngập.", place=place
    )


def work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def seeded_categories() -> None:
    """The categories every installation starts with, as their migration seeds them: a test
    run before this one in a transaction of its own emptied every table when it ended."""
    importlib.import_module("chibo.voices.migrations.0002_categories").seed(apps, None)


# The worker closes connections it finds inside a transaction, as a test's would be.
@pytest.mark.django_db(transaction=True)
def test_a_large_subtree_reads_the_last_count_while_the_next_is_made(world, settings):
    seeded_categories()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CHIBO_VOICES_COUNTED_AT_ONCE = 2
    recorded(world, place="Khu 3")
    recorded(world, place="Chợ")
    from_the_sister_cell(world, "Khu 3")

    first = summary(world)
    assert places(first) == [] and BEING_COUNTED in first.content.decode()
    assert [c.slug for c, _row in first.context["categories"]] == ["land_environment"]
    summary(world)  # asked again before the worker came: not asked of it twice
    assert DBTaskResult.objects.count() == 1

    work()
    counted = summary(world)
    assert places(counted) == [("khu 3", 2, 2), ("chợ", 1, 1)]
    assert counted.context["current"] and AS_COUNTED not in counted.content.decode()

    recorded(world, place="Chợ")
    stale = summary(world)
    assert places(stale) == places(counted)  # the last count, said to be so
    assert AS_COUNTED in stale.content.decode()
    assert stale.context["counted_at"] == counted.context["counted_at"]
    work()
    assert places(summary(world)) == [("chợ", 1, 2), ("khu 3", 2, 2)]
    assert DBTaskResult.objects.count() == 2


def test_a_small_subtree_is_counted_while_its_committee_waits(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.CHIBO_VOICES_COUNTED_AT_ONCE = 2
    with django_capture_on_commit_callbacks(execute=True):
        recorded(world, place="Khu 3")
    assert places(summary(world)) == [("khu 3", 1, 1)]
    with django_capture_on_commit_callbacks(execute=True):
        from_the_sister_cell(world, "Khu 3")
    page = summary(world)
    assert places(page) == [("khu 3", 2, 2)] and page.context["current"]
    assert not DBTaskResult.objects.exists()
