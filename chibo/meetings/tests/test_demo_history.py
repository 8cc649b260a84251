"""The demo's two years of meetings: complete records, consistent numbers, varied cells."""

import random
from collections import Counter, defaultdict

import pytest
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


@pytest.fixture
def history(world):
    for i in range(27):
        cell = child(world.ward, name=f"Chi bộ thôn {i}", kind="cell", level=world.cell.level)
        for j in range(4):
            make_member(cell, f"Đảng viên {i}-{j}")
    generate_history(random.Random(7), timezone.localdate(), months=12, progress=False)
    return world


def test_it_holds_the_past_and_publishes_next_month(history):
    now = timezone.now()
    closed = Meeting.objects.filter(status=Meeting.Status.CLOSED)
    assert closed.exists() and not closed.filter(starts_at__gt=now).exists()
    upcoming = Meeting.objects.filter(status=Meeting.Status.PUBLISHED)
    assert upcoming.count() == 30  # every cell's meeting of next month
    assert not Meeting.objects.filter(published_at__gt=now).exists()


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
    today = timezone.localdate()
    assert ActionItem.objects.filter(status=ActionItem.Status.DONE, deadline__lt=today).exists()
    assert ActionItem.objects.overdue(today).exists()  # the weak cells leave some undone
    assert not ActionItem.objects.filter(status=ActionItem.Status.DONE, done_on=None).exists()
