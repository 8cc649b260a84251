"""A person's notifications and their e-mail and calendar settings."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.library.tests.study_data import launched
from chibo.meetings.publishing import publish
from chibo.meetings.tests.publishing_data import plan
from chibo.notify.models import CalendarFeed, Notification
from chibo.notify.wording import worded
from chibo.orgs.models import User

Kind = Notification.Kind
LIST = reverse("notify:list")
READ = reverse("notify:read")
SETTINGS = reverse("notify:settings")
NEW_ADDRESS = reverse("notify:new_address")


def english(world, persona: str):
    client = world.client(persona)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def notify(user: User, count: int = 1, kind=Notification.Kind.PUBLISHED) -> list[Notification]:
    """Notifications about `count` published meetings of the user's cell."""
    cell = user.member.cell
    notifications = []
    for _ in range(count):
        meeting = plan(cell)
        publish(meeting, by=None)
        notifications.append(
            Notification.objects.create(recipient=user, meeting=meeting, kind=kind)
        )
    return notifications


@pytest.mark.parametrize(
    "method, url", [("get", LIST), ("post", READ), ("get", SETTINGS), ("post", NEW_ADDRESS)]
)
def test_it_sends_anonymous_visitors_to_sign_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "method, url", [("post", LIST), ("get", READ), ("put", SETTINGS), ("get", NEW_ADDRESS)]
)
def test_it_refuses_other_methods(world, method, url):
    assert getattr(world.client("member"), method)(url).status_code == 405


def test_it_lists_only_ones_own_notifications_in_the_current_language(world):
    (mine,) = notify(world.member)
    notify(world.secretary, kind=Notification.Kind.NOTICE_DUE)
    page = english(world, "member").get(LIST).content.decode()
    assert "Regular meeting of Chi bộ khu 1 on" in page
    assert "the notice and documents are out." in page
    assert reverse("meetings:meeting", args=[mine.meeting.code]) in page
    assert "is due by" not in page
    assert page.count("<strong>New</strong>") == 1
    assert "Nothing yet" in english(world, "outsider").get(LIST).content.decode()


def test_it_lists_a_page_in_the_same_number_of_queries_however_many(world):
    client = world.client("member")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    notify(world.member, 2)
    few = count()
    notify(world.member, 30)
    assert count() == few


def test_a_subject_none_of_them_has_costs_no_query(world):
    """Meetings come joined; an evaluation, guidance, study or voice in a query of its own, only
    when some notification listed is about one."""
    notify(world.member, 2)

    def listed() -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as queries:
            shown = worded(Notification.objects.filter(recipient=world.member).with_subjects())
            headlines = [notification.headline for notification in shown]
        return headlines, len(queries)

    headlines, meetings_only = listed()
    assert meetings_only == 1 and all("Chi bộ khu 1" in headline for headline in headlines)
    campaign = launched(world.city, date(2027, 1, 10), today=date(2026, 12, 15))
    Notification.objects.create(recipient=world.member, study=campaign, kind=Kind.STUDY_DUE)
    headlines, with_a_study = listed()
    assert with_a_study == meetings_only + 1
    assert any("57-NQ/TW" in headline for headline in headlines)


def test_it_marks_as_read_only_what_was_shown(world):
    shown, later = notify(world.member, 2)
    (other,) = notify(world.secretary)
    response = world.client("member").post(READ, {"upto": shown.pk})
    assert response["Location"] == LIST
    assert Notification.objects.unread().filter(recipient=world.member).get() == later
    assert Notification.objects.unread().filter(pk=other.pk).exists()


@pytest.mark.parametrize("upto", ["", "abc", "-1"])
def test_it_marks_nothing_on_bad_input(world, upto):
    notify(world.member)
    response = english(world, "member").post(READ, {"upto": upto}, follow=True)
    assert "Nothing was marked as read" in response.content.decode()
    assert Notification.objects.unread().count() == 1


def test_it_saves_the_choice_of_mail_and_language(world):
    client = english(world, "member")
    page = client.get(SETTINGS).content.decode()
    assert "one digest a day" in page
    response = client.post(SETTINGS, {"channels": "email", "mail": "daily", "language": "km"})
    assert response["Location"] == SETTINGS
    world.member.refresh_from_db()
    assert (world.member.mail, world.member.language) == (User.Mail.DAILY, "km")


def test_it_refuses_an_unknown_choice(world):
    response = english(world, "member").post(SETTINGS, {"mail": "weekly", "language": "en"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.mail == User.Mail.IMMEDIATE


@pytest.mark.parametrize(
    "persona, names",
    [
        ("member", ["My meetings", "Chi bộ khu 1"]),
        ("supervisor", ["My meetings", "Chi bộ khu 1", "Chi bộ khu 2"]),
        ("admin", ["My meetings"]),
    ],
)
def test_it_shows_a_feed_for_me_and_each_of_my_cells(world, persona, names):
    client = english(world, persona)
    page = client.get(SETTINGS).content.decode()
    feeds = CalendarFeed.objects.filter(owner=getattr(world, persona))
    assert sorted(f.cell.name if f.cell else "My meetings" for f in feeds) == sorted(names)
    for feed in feeds:
        assert f"http://testserver/calendar/{feed.token}.ics" in page
        assert f"webcal://testserver/calendar/{feed.token}.ics" in page
    client.get(SETTINGS)
    assert feeds.count() == len(names)


def test_it_gives_a_feed_a_new_address(world):
    client = english(world, "member")
    client.get(SETTINGS)
    feed = CalendarFeed.objects.get(owner=world.member, cell=None)
    old = feed.token
    response = client.post(NEW_ADDRESS, {"token": old}, follow=True)
    assert "the old one no longer works" in response.content.decode()
    feed.refresh_from_db()
    assert feed.token != old
    assert client.get(reverse("notify:feed", args=[old])).status_code == 404
    assert client.get(reverse("notify:feed", args=[feed.token])).status_code == 200


def test_it_replaces_no_one_elses_address(world):
    world.client("member").get(SETTINGS)
    feed = CalendarFeed.objects.get(owner=world.member, cell=None)
    assert world.client("outsider").post(NEW_ADDRESS, {"token": feed.token}).status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).token == feed.token


@pytest.mark.parametrize("data", [{}, {"token": ""}, {"token": "x" * 65}, {"token": "unknown"}])
def test_it_replaces_nothing_on_bad_input(world, data):
    world.client("member").get(SETTINGS)
    tokens = set(CalendarFeed.objects.values_list("token", flat=True))
    assert world.client("member").post(NEW_ADDRESS, data).status_code == 404
    assert set(CalendarFeed.objects.values_list("token", flat=True)) == tokens
