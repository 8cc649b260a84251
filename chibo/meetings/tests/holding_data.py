"""Meetings being held and their records, shared by the tests of holding a meeting."""

from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chibo.meetings import holding
from chibo.meetings.models import Attendance, Meeting, Minutes, Resolution, Vote
from chibo.meetings.tests.test_attending import plan
from chibo.orgs.models import Member

ENGLISH = {"Accept-Language": "en"}
# Those who see the meeting but do not run it: the secretary's pages answer them 403.
READERS = ["member", "committee", "supervisor"]


def url(meeting: Meeting, name: str, *args) -> str:
    return reverse(f"meetings:{name}", args=[meeting.code, *args])


def member(name: str) -> Member:
    return Member.objects.get(full_name=name)


def opened(cell, **fields) -> Meeting:
    """A published meeting of the cell, opened, with its roll called."""
    meeting = plan(cell, **fields)
    holding.open_meeting(meeting, now=meeting.starts_at)
    return meeting


def present(meeting: Meeting, *names: str) -> None:
    for name in names:
        holding.check_in(meeting, member(name))


def absent(meeting: Meeting, *names: str) -> None:
    """Marked absent without a reason: the roll starts with everyone expected present."""
    for name in names:
        holding.mark(meeting, roll_line(meeting, name), Attendance.Presence.ABSENT)


def passed_vote(meeting: Meeting) -> Vote:
    """Everyone present votes for: the two members of the world's cell pass it."""
    present(meeting, "Nguyễn Thị Mai", "Trần Văn Sơn")
    return holding.record_vote(meeting, "Nghị quyết tháng", 2, 0, 0)


def draft(meeting: Meeting, *tasks: tuple[str, str, date]) -> Resolution:
    """A draft resolution with rows (what, owner's name, deadline)."""
    rows = [{"what": w, "owner": member(owner), "deadline": d} for w, owner, d in tasks]
    texts = {"assessment": "Hoàn thành", "assignment": "Bí thư", "quality": "Tốt"}
    return holding.save_resolution(meeting, None, texts, rows)


def soon(days: int = 30) -> date:
    return timezone.localdate() + timedelta(days=days)


def approved_minutes(meeting: Meeting, text: str = "Chi bộ thống nhất") -> Minutes:
    minutes = Minutes.objects.create(meeting=meeting, sections={"1": text})
    holding.approve_minutes(minutes)
    return minutes


def adopted(meeting: Meeting, *tasks) -> Resolution:
    resolution = draft(meeting, *tasks)
    holding.adopt_resolution(resolution, passed_vote(meeting))
    return resolution


def settled(meeting: Meeting, text: str = "Chi bộ thống nhất") -> tuple[Minutes, Resolution]:
    """The minutes approved and the resolution adopted: records ready to publish (rule 10)."""
    return approved_minutes(meeting, text), adopted(meeting)


def publish_together(meeting: Meeting) -> None:
    """Publish the records as rule 10 asks, both at once (`complete_records`)."""
    complete_records(meeting)
    holding.publish_records(meeting)


def complete_records(meeting: Meeting) -> None:
    """Whichever of the minutes and the resolution a test did not write, written short (never
    compared), approved or adopted by the official members present: the meeting is open."""
    if not meeting.minutes.exists():
        approved_minutes(meeting)
    if not meeting.resolutions.exists():
        texts = {"assessment": "Hoàn thành", "assignment": "Bí thư", "quality": "Tốt"}
        resolution = holding.save_resolution(meeting, None, texts, [])
        voters = holding.roll_of(meeting).count.voters_present
        vote = holding.record_vote(meeting, "Nghị quyết", voters, 0, 0)
        holding.adopt_resolution(resolution, vote)


def roll_line(meeting: Meeting, name: str) -> Attendance:
    return meeting.roll.get(member__full_name=name)


def messages_in(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def assert_guarded(world, target: str, method: str = "get") -> None:
    """Anonymous visitors sign in first, outsiders see nothing, readers may not act."""
    response = getattr(Client(), method)(target)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert getattr(world.client("outsider"), method)(target).status_code == 404
    for persona in READERS:
        assert getattr(world.client(persona), method)(target).status_code == 403, persona


def count_queries(client: Client, target: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)
