"""Reading writes nothing: a member's pages, read again, ask the database only what they show
and write nothing to it, so that a meeting evening's readers never queue behind its writers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.meetings.tests.test_attending import plan
from chibo.orgs.models import Member

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def pages(world) -> list[str]:
    mai = Member.objects.get(user=world.member)
    meeting = plan(world.cell)
    item = meeting.agenda_items.first()
    return [
        reverse("home"),
        reverse("meetings:meeting", args=[meeting.code]),
        reverse("meetings:comments", args=[meeting.code, item.position]),
        reverse("meetings:my_tasks"),
        reverse("meetings:list"),
        reverse("orgs:organisation", args=[world.cell.code]),
        reverse("orgs:member", args=[mai.code]),
        reverse("notify:list"),
    ]


def test_a_members_pages_read_again_write_nothing(world, pages):
    client = world.client("member")
    for page in pages:
        assert client.get(page).status_code == 200
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert not writes, (page, writes)
        sessions = [q["sql"] for q in queries if "django_session" in q["sql"]]
        assert not sessions, f"{page}: the session is read from the cache"
