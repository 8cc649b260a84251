"""Every "one per person" write arriving twice at once (two quick taps, two tabs) succeeds and
leaves one row (issue 10, races).

Each test runs the same write in two threads, each on its own database connection, released
together by a barrier, several rounds over. Only PostgreSQL runs writers side by side: SQLite
takes one writer at a time (`transaction_mode` IMMEDIATE), and the in-memory test database
refuses a second one outright instead of waiting, so there is no race to see there.
"""

import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from chibo.audit.models import Entry
from chibo.conftest import make_member, make_user, signed_in
from chibo.meetings import holding
from chibo.meetings.models import ActionItem, Answer, Attendance, Minutes, Receipt
from chibo.meetings.publishing import recipients
from chibo.meetings.tests.holding_data import (
    approved_minutes,
    draft,
    member,
    opened,
    passed_vote,
    settled,
    soon,
    url,
)
from chibo.meetings.tests.test_attending import plan
from chibo.notify.models import CalendarFeed, Notification
from chibo.quality.evaluation.process import open_round, take_step
from chibo.quality.models import Evaluation, MeetingScore
from chibo.quality.models.evaluation import verify
from chibo.quality.scoring import facts_for, previous_tasks, save_score, suggest
from chibo.quality.tests.evaluation_data import YEAR
from chibo.quality.tests.test_evaluation_views import SELF, evaluation_of, seat_the_chain
from chibo.supervision.models import Report
from chibo.supervision.reports import file_report

ROUNDS = 4

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="only PostgreSQL runs two writers at once"
    ),
]


def at_once(call: Callable[..., object], *args) -> list[object]:
    """`call(*args)` in two threads released together; what each returned or raised."""
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = call(*args)
        except Exception as error:  # noqa: BLE001 - the test reports what escaped
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def client_of(user) -> Client:
    return signed_in(user, raise_request_exception=True)


def test_two_taps_on_i_will_attend_leave_one_answer(world):
    client = client_of(world.member)
    for _ in range(ROUNDS):
        meeting = plan(world.cell)
        target = url(meeting, "answer")
        responses = at_once(client.post, target, {"choice": "attending"})
        assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
        assert Answer.objects.filter(meeting=meeting).count() == 1


def test_two_check_ins_leave_one_line_on_the_roll(world):
    """A member who joined after the roll was called gets a line at check-in, once."""
    meeting = opened(world.cell, days=0)
    for i in range(ROUNDS):
        newcomer = make_member(world.cell, f"Đỗ Văn Tư {i}")
        client = client_of(make_user(newcomer, f"tu{i}"))
        responses = at_once(client.post, url(meeting, "check_in"))
        assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
        line = Attendance.objects.get(meeting=meeting, member=newcomer)
        assert line.presence == Attendance.Presence.PRESENT


def test_two_quick_taps_on_the_roll_both_answer_and_both_are_logged(world):
    """htmx sends each tap at once: the second waits for the first (`Meeting.lock`)."""
    client = client_of(world.secretary)
    meeting = opened(world.cell, days=0)
    mai = member("Nguyễn Thị Mai")
    tap = partial(client.post, url(meeting, "mark", mai.code), headers={"HX-Request": "true"})
    for presence in ["absent", "present"] * (ROUNDS // 2):
        logged = Entry.objects.count()
        responses = at_once(tap, {"presence": presence})
        assert [getattr(r, "status_code", r) for r in responses] == [200, 200]
        assert Attendance.objects.get(meeting=meeting, member=mai).presence == presence
        assert Entry.objects.count() == logged + 2


def test_two_openings_of_a_notice_leave_one_receipt(world):
    for _ in range(ROUNDS):
        meeting = plan(world.cell)
        mai = member("Nguyễn Thị Mai")
        assert at_once(Receipt.note, meeting.pk, mai.pk) == [None, None]
        assert Receipt.objects.filter(meeting=meeting).count() == 1


def test_two_scores_in_one_role_leave_one_score(world):
    son = member("Trần Văn Sơn")
    for _ in range(ROUNDS):
        meeting = opened(world.cell, days=0)
        points = suggest(facts_for(meeting), previous_tasks(meeting))
        results = at_once(save_score, meeting, MeetingScore.Role.CELL, points, son)
        assert all(isinstance(r, MeetingScore) for r in results), results
        assert meeting.scores.filter(role=MeetingScore.Role.CELL).count() == 1


def test_two_supervision_reports_leave_one_report(world):
    vu = member("Lê Văn Vũ")
    for _ in range(ROUNDS):
        meeting = opened(world.cell, days=0)
        points = suggest(facts_for(meeting), previous_tasks(meeting))
        results = at_once(file_report, meeting, vu, points, "Đúng giờ", "Ít phát biểu")
        assert all(isinstance(r, Report) for r in results), results
        assert Report.objects.filter(meeting=meeting).count() == 1
        assert meeting.scores.filter(role=MeetingScore.Role.SUPERVISOR).count() == 1


def test_two_first_saves_of_the_minutes_leave_one_version(world):
    son = member("Trần Văn Sơn")
    for _ in range(ROUNDS):
        meeting = opened(world.cell, days=0)
        results = at_once(holding.save_minutes, meeting, None, {"1": "Khai mạc"}, son.pk)
        assert all(isinstance(r, Minutes) for r in results), results
        assert meeting.minutes.count() == 1


def test_two_first_saves_of_the_resolution_leave_one_draft(world):
    texts = {"assessment": "Hoàn thành", "assignment": "Bí thư", "quality": "Tốt"}
    for _ in range(ROUNDS):
        meeting = opened(world.cell, days=0)
        results = at_once(holding.save_resolution, meeting, None, texts, [])
        assert not [r for r in results if isinstance(r, Exception)], results
        assert meeting.resolutions.count() == 1


def outcomes(results: list[object]) -> list[str]:
    """What each of two calls came to: done, refused in words, or failed."""
    return sorted(
        "refused"
        if isinstance(r, ValidationError)
        else "failed"
        if isinstance(r, Exception)
        else "done"
        for r in results
    )


def test_two_adoptions_of_a_resolution_adopt_it_once(world):
    for _ in range(ROUNDS):
        meeting = opened(world.cell, days=0)
        vote = passed_vote(meeting)
        draft(meeting, ("Thu đảng phí", "Trần Văn Sơn", soon()))
        # Each tap reads the draft afresh, as each request does.
        results = at_once(
            lambda m=meeting, v=vote: holding.adopt_resolution(m.resolutions.get(), v)
        )
        assert outcomes(results) == ["done", "refused"], results
        assert ActionItem.objects.filter(task__resolution__meeting=meeting).count() == 1


def test_two_corrections_make_one_new_version(world):
    for _ in range(ROUNDS):
        meeting = opened(world.cell, days=0)
        minutes = approved_minutes(meeting)
        results = at_once(lambda pk=minutes.pk: holding.correct(Minutes.objects.get(pk=pk), "Sửa"))
        assert outcomes(results) == ["done", "refused"], results
        assert meeting.minutes.count() == 2


def test_two_publications_of_the_records_notify_once(world):
    for _ in range(ROUNDS):
        meeting = opened(world.cell, days=0)
        settled(meeting)
        before = Notification.objects.count()
        results = at_once(holding.publish_records, meeting)
        assert outcomes(results) == ["done", "refused"], results
        assert Notification.objects.count() - before == recipients(meeting).count()


def test_two_self_assessments_at_once_leave_one_evaluation_and_an_unbroken_trail(world):
    seat_the_chain(world)
    open_round(world.city, world.committee, **YEAR)
    mai = evaluation_of("Nguyễn Thị Mai")
    data = {**SELF, "shortcomings_fixed": False}
    results = at_once(
        lambda: take_step(
            Evaluation.objects.get(pk=mai.pk), Evaluation.Step.SELF_ASSESSED, world.member, data
        )
    )
    assert outcomes(results) == ["done", "done"], results
    assert Evaluation.objects.filter(member__full_name="Nguyễn Thị Mai").count() == 1
    assert list(mai.events.values_list("sequence", flat=True)) == [0, 1, 2]
    mai.refresh_from_db()
    assert verify(mai, list(mai.events.order_by("sequence"))) is None


def test_two_openings_of_the_calendar_settings_give_one_feed_each(world):
    client = client_of(world.member)
    responses = at_once(client.get, reverse("notify:settings"))
    assert [getattr(r, "status_code", r) for r in responses] == [200, 200]
    feeds = CalendarFeed.objects.filter(owner=world.member)
    assert feeds.count() == feeds.values("cell").distinct().count()
