"""Action items: one "my tasks" page per person across cells, and progress reported on each."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.meetings import holding
from chibo.meetings.models import ActionItem, ActionUpdate
from chibo.meetings.tests.holding_data import (
    ENGLISH,
    count_queries,
    draft,
    opened,
    passed_vote,
    soon,
)

MAI, SON = "Nguyễn Thị Mai", "Trần Văn Sơn"
MY_TASKS = reverse("meetings:my_tasks")


def assign(world, *tasks) -> list[ActionItem]:
    """Tasks of an adopted resolution of the world's cell: (what, owner's name, deadline)."""
    meeting = opened(world.cell)
    resolution = draft(meeting, *tasks)
    holding.adopt_resolution(resolution, passed_vote(meeting))
    return list(ActionItem.objects.filter(task__resolution=resolution).order_by("task__position"))


@pytest.fixture
def item(world) -> ActionItem:
    return assign(world, ("Vận động đóng quỹ", MAI, soon()))[0]


def task_url(item: ActionItem) -> str:
    return reverse("meetings:task", args=[item.code])


def test_it_sends_anonymous_visitors_to_sign_in(world, item):
    for target in (MY_TASKS, task_url(item)):
        response = Client().get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_other_methods(world, item):
    client = world.client("member")
    assert client.post(MY_TASKS).status_code == 405
    assert client.put(task_url(item)).status_code == 405


def test_it_lists_my_tasks_across_cells_open_first_overdue_marked(world):
    late, done, later = assign(
        world,
        ("Nộp báo cáo", MAI, soon(1)),
        ("Dọn vệ sinh", MAI, soon(2)),
        ("Thăm hộ nghèo", MAI, soon(9)),
    )
    ActionItem.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    ActionItem.objects.filter(pk=done.pk).update(status="done", deadline=late.deadline)
    assign(world, ("Việc của Sơn", SON, soon()))
    page = world.client("member").get(MY_TASKS, headers=ENGLISH)
    tasks = list(page.context["tasks"])
    assert [t.what for t in tasks] == ["Nộp báo cáo", "Thăm hộ nghèo", "Dọn vệ sinh"]
    assert [t.overdue for t in tasks] == [True, False, False]
    html = page.content.decode()
    assert html.count("overdue</span>") == 1 and "Chi bộ khu 1" in html


def test_it_shows_no_tasks_to_someone_without_a_membership(world, item):
    page = world.client("admin").get(MY_TASKS)
    assert page.status_code == 200 and not list(page.context["tasks"])


def test_it_pages_a_long_list_at_the_same_cost(world, settings):
    settings.PAGE_SIZE = 10
    assign(world, *[(f"Việc {i}", MAI, soon(i + 1)) for i in range(3)])
    client = world.client("member")
    few = count_queries(client, MY_TASKS)
    assign(world, *[(f"Việc thêm {i}", MAI, soon(i + 1)) for i in range(27)])
    assert count_queries(client, MY_TASKS) == few
    assert len(client.get(MY_TASKS).context["tasks"]) == 10
    second = client.get(f"{MY_TASKS}?page=3").context["tasks"]
    assert len(second) == 10 and not second.has_next


@pytest.mark.parametrize("persona", ["member", "secretary"])
def test_it_takes_an_update_from_the_owner_or_the_secretary(world, item, persona):
    response = world.client(persona).post(
        task_url(item), {"status": "in_progress", "progress": 40, "note": "Đã thu 8/10 hộ"}
    )
    assert response.status_code == 302 and response["Location"] == task_url(item)
    item.refresh_from_db()
    assert (item.status, item.progress, item.done_on) == ("in_progress", 40, None)
    update = ActionUpdate.objects.get()
    assert (update.note, update.progress, update.author.user) == (
        "Đã thu 8/10 hộ",
        40,
        getattr(world, persona),
    )


def test_it_completes_a_task_in_full(world, item):
    world.client("member").post(task_url(item), {"status": "done", "progress": 30})
    item.refresh_from_db()
    assert (item.status, item.progress, item.done_on) == ("done", 100, timezone.localdate())


@pytest.mark.parametrize(
    "data",
    [
        {"status": "in_progress", "progress": 101},
        {"status": "in_progress", "progress": -1},
        {"status": "finished", "progress": 10},
        {"status": "open", "progress": 10, "note": "x" * 2001},
    ],
)
def test_it_refuses_a_bad_update(world, item, data):
    response = world.client("member").post(task_url(item), data)
    assert response.status_code == 200 and b"errorlist" in response.content
    item.refresh_from_db()
    assert (item.status, item.progress) == ("open", 0) and not ActionUpdate.objects.exists()


@pytest.mark.parametrize("persona", ["committee", "supervisor"])
def test_it_lets_readers_see_but_not_update(world, item, persona):
    client = world.client(persona)
    page = client.get(task_url(item), headers=ENGLISH)
    assert page.status_code == 200 and "Report progress" not in page.content.decode()
    assert client.post(task_url(item), {"status": "done", "progress": 100}).status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


def test_it_hides_tasks_from_outsiders(world, item):
    client = world.client("outsider")
    assert client.get(task_url(item)).status_code == 404
    assert client.post(task_url(item), {"status": "done", "progress": 100}).status_code == 404
    target = reverse("meetings:task", args=["00000000-0000-0000-0000-000000000000"])
    assert world.client("member").get(target).status_code == 404


def test_it_keeps_a_task_in_sight_of_its_owner_after_a_move(world, item):
    item.owner.move_to(world.foreign_cell)
    client = world.client("member")
    assert client.get(task_url(item)).status_code == 200
    assert client.post(task_url(item), {"status": "done", "progress": 100}).status_code == 302


def test_it_shows_the_history_of_updates(world, item):
    holding.follow_up(item, None, "in_progress", 20, "Bắt đầu")
    holding.follow_up(item, None, "in_progress", 60, "Gần xong")
    page = world.client("member").get(task_url(item), headers=ENGLISH).content.decode()
    assert page.index("Gần xong") < page.index("Bắt đầu") and "Report progress" in page
