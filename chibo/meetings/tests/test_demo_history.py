"""The demo's two years of meetings: complete records, consistent numbers, varied cells."""

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chibo.conftest import child, make_member
from chibo.meetings.demo import STRONG, WEAK, generate_history
from chibo.meetings.models import (
    ActionItem,
    Attendance,
    Comment,
    Meeting,
    Minutes,
    Resolution,
    Vote,
)
from chibo.meetings.publishing import notice_content

# The history is made as it stands at a fixed instant, never the day the tests run. Cells meet
# between the 3rd and the 12th: on the 20th this month's meetings are over, on the 2nd not yet.
NOW = datetime(2026, 6, 20, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
EARLY_IN_THE_MONTH = datetime(2026, 6, 2, 3, 0, tzinfo=UTC)


def thirty_cells(world) -> None:
    for i in range(27):
        cell = child(world.ward, name=f"Chi bộ thôn {i}", kind="cell", level=world.cell.level)
        for j in range(4):
            make_member(cell, f"Đảng viên {i}-{j}")


@pytest.fixture
def history(world):
    thirty_cells(world)
    generate_history(random.Random(7), NOW, months=12, progress=False)
    return world


def test_it_holds_the_past_and_publishes_next_month(history):
    closed = Meeting.objects.filter(status=Meeting.Status.CLOSED)
    assert closed.exists() and not closed.filter(starts_at__gt=NOW).exists()
    upcoming = Meeting.objects.filter(status=Meeting.Status.PUBLISHED)
    assert upcoming.count() == 30  # every cell's meeting of next month
    assert {timezone.localtime(m.starts_at).month for m in upcoming} == {7}
    assert not Meeting.objects.filter(published_at__gt=NOW).exists()


def test_it_publishes_this_months_meetings_still_ahead(world):
    thirty_cells(world)
    generate_history(random.Random(7), EARLY_IN_THE_MONTH, months=12, progress=False)
    upcoming = Meeting.objects.filter(status=Meeting.Status.PUBLISHED)
    assert upcoming.count() == 60  # this month's and next month's, every cell
    assert not upcoming.filter(starts_at__lt=EARLY_IN_THE_MONTH).exists()
    closed = Meeting.objects.filter(status=Meeting.Status.CLOSED)
    assert closed.exists() and not closed.filter(starts_at__gt=EARLY_IN_THE_MONTH).exists()
    assert not Meeting.objects.filter(published_at__gt=EARLY_IN_THE_MONTH).exists()


def test_it_keeps_a_full_record_of_every_held_meeting(history):
    closed = Meeting.objects.filter(status=Meeting.Status.CLOSED)
    n = closed.count()
    assert Minutes.objects.filter(status=Minutes.Status.PUBLISHED).count() == n
    assert Resolution.objects.filter(status=Resolution.Status.PUBLISHED).count() == n
    assert Vote.objects.count() == n
    lines = Attendance.objects.values("meeting").distinct().count()
    assert lines == n
    for meeting in closed.select_related("cell")[:20]:
        assert meeting.roll.count() == meeting.cell.members.count()


def test_it_writes_notices_as_publishing_one_does(history):
    """Each notice is the snapshot publishing takes, so its page reads like any other."""
    meeting = Meeting.objects.filter(cell=history.cell).latest("starts_at")
    assert meeting.notices.get().content == notice_content(meeting)
    response = history.client("member").get(reverse("meetings:notice", args=[meeting.code, 1]))
    assert response.status_code == 200
    assert meeting.place in response.content.decode()


def test_it_numbers_resolutions_per_cell_and_year_without_gaps(history):
    numbers = defaultdict(list)
    for cell, year, number in Resolution.objects.values_list("cell", "year", "number"):
        numbers[cell, year].append(number)
    for found in numbers.values():
        assert sorted(found) == list(range(1, len(found) + 1))


def test_it_computes_votes_by_rule_nine(history):
    for vote in Vote.objects.all():
        assert vote.passed == (vote.adjusted_count > 0 and vote.votes_for >= vote.needed)
        assert vote.needed == vote.adjusted_count // 2 + 1


def test_it_dates_comments_between_the_notice_and_the_meeting(history):
    for comment in Comment.objects.select_related("item__meeting")[:500]:
        meeting = comment.item.meeting
        assert meeting.published_at <= comment.created_at <= meeting.starts_at


def test_it_makes_some_cells_strong_and_some_weak(history):
    per_cell = Counter(Meeting.objects.values_list("cell", flat=True))
    assert max(per_cell.values()) - min(per_cell.values()) >= 3  # some cells miss months
    present, total = Counter(), Counter()
    for cell, presence in Attendance.objects.values_list("meeting__cell", "presence"):
        total[cell] += 1
        present[cell] += presence == Attendance.Presence.PRESENT
    rates = [present[cell] / total[cell] for cell in total]
    assert max(rates) - min(rates) > 0.15
    late = Meeting.objects.filter(notices__late=True).count()
    assert 0 < late < Meeting.objects.count() / 2
    assert STRONG.skip < WEAK.skip


def test_it_follows_tasks_up(history):
    today = timezone.localdate(NOW)
    assert ActionItem.objects.filter(status=ActionItem.Status.DONE, deadline__lt=today).exists()
    assert ActionItem.objects.overdue(today).exists()  # the weak cells leave some undone
    assert not ActionItem.objects.filter(status=ActionItem.Status.DONE, done_on=None).exists()


def history_rows() -> dict[str, list[tuple]]:
    """What the seed decides, table by table: every column but generated codes and times."""
    return {
        "meetings": list(
            Meeting.objects.order_by("pk").values_list(
                "pk",
                "cell_id",
                "kind",
                "theme",
                "starts_at",
                "planned_minutes",
                "status",
                "agreed_on",
            )
        ),
        "roll": list(
            Attendance.objects.order_by("pk").values_list("meeting_id", "member_id", "presence")
        ),
        "minutes": list(Minutes.objects.order_by("pk").values_list("meeting_id", "sections")),
        "votes": list(Vote.objects.order_by("pk").values_list("meeting_id", "votes_for")),
        "tasks": list(
            ActionItem.objects.order_by("pk").values_list("task_id", "owner_id", "status")
        ),
        "comments": list(
            Comment.objects.order_by("pk").values_list("item_id", "author_id", "created_at")
        ),
    }


def test_the_same_seed_makes_the_same_history_and_another_seed_another(world):
    thirty_cells(world)
    generate_history(random.Random(7), NOW, months=3, progress=False)
    first = history_rows()
    Resolution.objects.all().delete()
    Meeting.objects.all().delete()
    generate_history(random.Random(7), NOW, months=3, progress=False)
    again = history_rows()
    # Keys may go on from the first run's: compare what the rows say, in the order they came.
    shift = again["meetings"][0][0] - first["meetings"][0][0]
    assert [row[1:] for row in again["meetings"]] == [row[1:] for row in first["meetings"]]
    for table in ("roll", "minutes", "votes"):
        assert [(m - shift, *rest) for m, *rest in again[table]] == first[table], table
    assert [row[1:] for row in again["tasks"]] == [row[1:] for row in first["tasks"]]
    assert [row[1:] for row in again["comments"]] == [row[1:] for row in first["comments"]]
    Resolution.objects.all().delete()
    Meeting.objects.all().delete()
    generate_history(random.Random(8), NOW, months=3, progress=False)
    other = history_rows()["meetings"]
    assert [row[1:] for row in other] != [row[1:] for row in first["meetings"]]


def history_by_place() -> list[tuple]:
    """Each meeting and its roll, named by the cell's place in the tree, not by keys."""
    meetings = Meeting.objects.order_by("cell__path", "starts_at")
    return [
        *meetings.values_list(
            "cell__path", "starts_at", "kind", "theme", "status", "published_at", "agreed_on"
        ),
        *Attendance.objects.order_by(
            "meeting__cell__path", "meeting__starts_at", "member__full_name"
        ).values_list("meeting__cell__path", "meeting__starts_at", "member__full_name", "presence"),
    ]


def test_the_same_seed_makes_the_same_history_whatever_keys_the_cells_have(world):
    with transaction.atomic():
        thirty_cells(world)
        generate_history(random.Random(7), NOW, months=6, progress=False, under=world.ward)
        first = history_by_place()
        transaction.set_rollback(True)
    # A key spent elsewhere first: the same cells come back under other keys.
    child(world.city, name="Chi bộ khác", kind="cell", level=world.cell.level)
    thirty_cells(world)
    generate_history(random.Random(7), NOW, months=6, progress=False, under=world.ward)
    assert history_by_place() == first
