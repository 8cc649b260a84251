"""Private calendar feeds: valid iCalendar, linked back, up to date, and only what one may see."""

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from chibo.meetings.models import Meeting
from chibo.meetings.publishing import publish
from chibo.meetings.tests.publishing_data import plan
from chibo.notify.models import CalendarFeed


def feed_url(owner, cell=None) -> str:
    feed, _created = CalendarFeed.objects.get_or_create(owner=owner, cell=cell)
    return reverse("notify:feed", args=[feed.token])


def published(cell, **fields) -> Meeting:
    meeting = plan(cell, **fields)
    publish(meeting, by=None)
    meeting.refresh_from_db()
    return meeting


def fetch(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, dict]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def uid(meeting: Meeting) -> str:
    return f"{meeting.code}@chibo"


def test_it_lists_the_published_meetings_of_ones_cells_with_links_back(client, world):
    meeting = published(world.cell, theme="Học tập Nghị quyết")
    draft = plan(world.cell)
    foreign = published(world.foreign_cell)
    world.member.language = "en"
    world.member.save(update_fields=["language"])
    calendar = fetch(client, feed_url(world.member))

    assert calendar["version"] == "2.0" and calendar["method"] == "PUBLISH"
    assert "chibo" in str(calendar["prodid"])
    assert str(calendar["x-wr-calname"]) == "chibo: my meetings"
    found = events(calendar)
    assert set(found) == {uid(meeting)}
    assert uid(draft) not in found and uid(foreign) not in found
    event = found[uid(meeting)]
    link = f"http://testserver/meetings/{meeting.code}/"
    assert str(event["url"]) == link and link in str(event["description"])
    assert "Học tập Nghị quyết" in str(event["description"])
    assert f"1. {meeting.agenda_items.get(position=1).title}" in str(event["description"])
    assert event.decoded("dtstart") == meeting.starts_at.astimezone(UTC)
    assert event.decoded("dtend") == meeting.ends_at.astimezone(UTC)
    assert f"DTSTART:{meeting.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in event.to_ical().decode()
    assert str(event["summary"]) == "Regular meeting · Chi bộ khu 1"
    assert str(event["location"]) == "Nhà văn hóa khu 1"
    assert (event["sequence"], str(event["status"])) == (1, "CONFIRMED")
    assert event.walk("VALARM")[0].decoded("trigger") == timedelta(days=-1)


def test_it_moves_a_meeting_that_moved_and_marks_it_revised(client, world):
    meeting = published(world.cell)
    url = feed_url(world.member, world.cell)
    meeting.starts_at += timedelta(days=2)
    meeting.save()
    publish(meeting, by=None)
    calendar = fetch(client, url)
    assert str(calendar["x-wr-calname"]) == "Chi bộ khu 1"
    event = events(calendar)[uid(meeting)]
    assert event.decoded("dtstart") == meeting.starts_at.astimezone(UTC)
    assert event["sequence"] == 2


def test_it_keeps_a_cancelled_meeting_marked_cancelled(client, world):
    meeting = published(world.cell)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    event = events(fetch(client, feed_url(world.member)))[uid(meeting)]
    assert (str(event["status"]), event["sequence"]) == ("CANCELLED", 2)


@pytest.mark.parametrize("persona", ["member", "secretary", "supervisor", "committee"])
def test_it_lists_what_its_owner_may_open_and_no_draft(world, persona):
    """The feed is the owner's list of meetings, read through their scope: each event opens
    for them; a draft, theirs or another's, is nobody's appointment yet."""
    announced = published(world.cell)
    called_off = published(world.cell, starts_in=timedelta(days=5))
    Meeting.objects.filter(pk=called_off.pk).update(status=Meeting.Status.CANCELLED)
    mai = world.member.member
    drafts = [plan(world.cell, starts_in=timedelta(days=7)), plan(world.cell, preparer=mai)]
    never_told = plan(world.sister_cell, starts_in=timedelta(days=9))
    Meeting.objects.filter(pk=never_told.pk).update(status=Meeting.Status.CANCELLED)
    owner = getattr(world, persona)
    found = set(events(fetch(Client(), feed_url(owner))))
    expected = {"committee": set()}.get(persona, {uid(announced), uid(called_off)})
    assert found == expected
    client = world.client(persona)
    for meeting in (announced, called_off, *drafts, never_told):
        if uid(meeting) in found:
            assert client.get(reverse("meetings:meeting", args=[meeting.code])).status_code == 200


def test_it_shows_three_months_back_and_a_year_ahead(client, world):
    recent = published(world.cell, starts_in=timedelta(days=-80))
    old = published(world.cell, starts_in=timedelta(days=-100))
    far = published(world.cell, starts_in=timedelta(days=400))
    found = events(fetch(client, feed_url(world.member)))
    assert uid(recent) in found and uid(old) not in found and uid(far) not in found


def test_a_supervisor_sees_their_own_and_supervised_cells(client, world):
    mine = published(world.sister_cell)
    supervised = published(world.cell)
    assert set(events(fetch(client, feed_url(world.supervisor)))) == {uid(mine), uid(supervised)}


def test_a_member_moved_to_another_cell_stops_seeing_the_old_one(client, world):
    old = published(world.cell)
    personal, cell_feed = feed_url(world.member), feed_url(world.member, world.cell)
    assert uid(old) in events(fetch(client, personal))
    world.member.member.move_to(world.sister_cell)
    new = published(world.sister_cell)
    assert set(events(fetch(client, personal))) == {uid(new)}
    assert client.get(cell_feed).status_code == 404


def test_it_answers_404_for_a_cell_out_of_reach_and_for_a_wrong_token(client, world):
    published(world.foreign_cell)
    assert client.get(feed_url(world.member, world.foreign_cell)).status_code == 404
    assert client.get(reverse("notify:feed", args=["not-a-token"])).status_code == 404
    world.member.is_active = False
    world.member.save(update_fields=["is_active"])
    assert client.get(feed_url(world.member)).status_code == 404


def test_it_refuses_other_methods(client, world):
    assert client.post(feed_url(world.member)).status_code == 405


def test_it_builds_a_feed_in_the_same_number_of_queries_however_many_meetings(client, world):
    url = feed_url(world.member)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            fetch(client, url)
        return len(queries)

    published(world.cell)
    fetch(client, url)  # calendars fetch again and again: measured as they do, reach kept
    few = count()
    for days in range(4, 14):
        published(world.cell, starts_in=timedelta(days=days))
    assert count() == few
