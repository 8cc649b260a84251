"""Home is each role's next step: the member's next meeting, notifications, tasks and studies;
the secretary's month with its one-tap actions; the supervisor's visits; a committee's
headline with its most worrying cells. Never anything from outside the viewer's reach."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from chibo.access.scope import Scope
from chibo.library import studying
from chibo.library.models import LearningNote
from chibo.library.tests.study_data import launched
from chibo.meetings.publishing import publish
from chibo.meetings.tests.holding_data import count_queries
from chibo.meetings.tests.publishing_data import plan
from chibo.notify.models import Notification
from chibo.orgs.home import home
from chibo.orgs.models import Member
from chibo.quality.tests.history import held, task

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
MAI = "Nguyễn Thị Mai"
HOME = reverse("home")


def page(world, persona: str) -> str:
    return world.client(persona).get(HOME, headers={"Accept-Language": "en"}).content.decode()


def announced(world, starts_in: timedelta):
    meeting = plan(world.cell, starts_in=starts_in)
    publish(meeting, by=None)
    return meeting


def mai() -> Member:
    return Member.objects.get(full_name=MAI)


def test_the_member_sees_the_next_meeting_her_notifications_tasks_and_studies(world):
    meeting = announced(world, timedelta(days=5))
    Notification.objects.create(
        recipient=world.member, kind=Notification.Kind.PUBLISHED, meeting=meeting
    )
    november = held(world.cell, date(2026, 11, 10), [MAI])
    mine = task(november, date(2026, 12, 20), done_on=None)
    mine.owner = mai()
    mine.save(update_fields=["owner"])
    campaign = launched(world.city, date(2027, 1, 10), today=date(2026, 12, 15))
    Notification.objects.create(
        recipient=world.member, kind=Notification.Kind.RECORDS, meeting=november
    )

    shown = page(world, "member")

    assert reverse("meetings:meeting", args=[meeting.code]) in shown
    assert "2 unread notifications" in shown
    # The newest first, in words: a new resolution is named on the home page.
    news = shown[shown.index("2 unread notifications") :]
    records = news.index(
        f'<a href="{reverse("meetings:meeting", args=[november.code])}">The minutes and '
        "resolution of the regular meeting of"
    )
    assert records < news.index(f'<a href="{reverse("meetings:meeting", args=[meeting.code])}">')
    assert reverse("meetings:task", args=[mine.code]) in shown
    assert "1 task of yours is open" in shown
    assert reverse("library:study", args=[campaign.code]) in shown


def test_a_study_leaves_the_home_page_once_its_note_is_sent(world):
    campaign = launched(world.city, date(2027, 1, 10), today=date(2026, 12, 15))
    assert reverse("library:study", args=[campaign.code]) in page(world, "member")
    LearningNote.objects.create(
        campaign=campaign,
        member=mai(),
        cell=world.cell,
        note="Nắm vững năm quan điểm",
        action_plan="Hướng dẫn hai hộ dân",
        status=LearningNote.Status.SUBMITTED,
        studied_at=timezone.now(),
    )
    assert reverse("library:study", args=[campaign.code]) not in page(world, "member")


def test_a_study_returned_for_improvement_stays(world):
    campaign = launched(world.city, date(2027, 1, 10), today=date(2026, 12, 15))
    LearningNote.objects.create(
        campaign=campaign,
        member=mai(),
        cell=world.cell,
        note="Nắm vững",
        action_plan="Hướng dẫn",
        status=LearningNote.Status.RETURNED,
        studied_at=timezone.now(),
    )
    found = studying.to_study(Scope(world.member).study_campaigns(), mai(), date(2026, 12, 15))
    assert list(found) == [campaign]


def test_the_secretary_sees_the_month_with_one_tap_actions(world):
    shown = page(world, "secretary")
    assert "Plan this month&#x27;s regular meeting (rule 1)" in shown
    assert reverse("meetings:plan", args=[world.cell.code]) in shown
    assert reverse("guidance:month", args=[world.cell.code]) in shown
    assert reverse("meetings:plan", args=[world.cell.code]) not in page(world, "member")


def test_a_meeting_today_is_one_tap_from_the_secretary_s_home(world):
    today = timezone.localtime().replace(hour=19, minute=30, second=0, microsecond=0)
    meeting = announced(world, today - timezone.now())
    shown = page(world, "secretary")
    assert reverse("meetings:hold", args=[meeting.code]) in shown
    assert "Hold the regular meeting at" in shown


def test_the_supervisor_sees_the_next_visits(world):
    meeting = announced(world, timedelta(days=5))
    shown = page(world, "supervisor")
    assert 'id="visits"' in shown
    assert reverse("meetings:meeting", args=[meeting.code]) in shown


def test_the_committee_sees_its_headline_and_the_cells_at_risk_with_their_ward(slipping):
    shown = page(slipping, "committee")
    headline = shown[shown.index(f'id="headline-{slipping.city.code}"') :]
    assert reverse("quality:dashboard", args=[slipping.city.code]) in headline
    assert "1 cell at risk" in headline
    at_risk = headline[headline.index(reverse("quality:dashboard", args=[slipping.cell.code])) :]
    assert at_risk.index(slipping.ward.name) < at_risk.index("No regular meeting in 2 of the last")
    assert "3 tasks overdue" not in at_risk  # the first two reasons: the dashboard has all
    assert "Regular meeting held" in headline


def test_the_committee_s_headline_is_drawn_once_a_day(slipping):
    client = slipping.client("committee")
    cache.clear()
    first = count_queries(client, HOME)
    assert count_queries(client, HOME) < first
    cache.clear()
    assert count_queries(client, HOME) == first


def test_no_one_sees_another_cell_s_meetings_or_tasks_at_home(world):
    meeting = announced(world, timedelta(days=5))
    launched(world.city, date(2027, 1, 10), today=date(2026, 12, 15))
    shown = page(world, "outsider")
    assert reverse("meetings:meeting", args=[meeting.code]) not in shown
    assert 'id="visits"' not in shown
    assert "Study 57-NQ/TW" not in shown
    assert home(Scope(world.outsider)).led == []


def test_the_member_s_home_costs_the_same_with_one_or_many_of_everything(world):
    client = world.client("member")
    november = held(world.cell, date(2026, 11, 10), [MAI])

    def more(count: int, start: int) -> None:
        for i in range(start, start + count):
            announced(world, timedelta(days=4 + i))
            item = task(november, date(2026, 12, 20) + timedelta(days=i), done_on=None)
            item.owner = mai()
            item.save(update_fields=["owner"])
            launched(world.city, date(2027, 1, 10) + timedelta(days=i), today=date(2026, 12, 15))

    more(1, 0)
    few = count_queries(client, HOME)
    more(6, 1)
    assert count_queries(client, HOME) == few
    assert few <= 9  # no office, no cell to supervise: no query for positions or visits
