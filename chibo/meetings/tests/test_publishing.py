"""Publishing a meeting's notice: who may, versions, lateness, and the fan-out to the cell."""

from datetime import timedelta
from hashlib import sha256

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from chibo.conftest import make_member, make_user
from chibo.meetings.models import Meeting, Notice
from chibo.meetings.publishing import NothingChanged, PublishError, publish
from chibo.meetings.tasks import send_notice
from chibo.meetings.tests.publishing_data import IMMEDIATE, attach, plan
from chibo.notify.models import Notification
from chibo.orgs.models import Member, User

LATE = "Rule 5 (Guidance 42-HD/BTCTW): documents reach members at least 1 day before"


@pytest.fixture
def tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def meeting(world) -> Meeting:
    return plan(world.cell)


def url(meeting: Meeting, name: str = "meetings:publish", *args) -> str:
    return reverse(name, args=[meeting.code, *args])


def secretary(world):
    client = world.client("secretary")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def subject(message) -> str:
    # Python's parser keeps the space that folding a long encoded subject leaves in front.
    return str(message["Subject"]).strip()


def kinds(meeting: Meeting) -> dict[str, str]:
    """The newest kind of notification each person had about the meeting."""
    notifications = meeting.notifications.order_by("created_at", "pk")
    return dict(notifications.values_list("recipient__username", "kind"))


def test_it_sends_anonymous_visitors_to_sign_in(client, meeting):
    publish(meeting, by=None)
    for response in [
        client.post(url(meeting)),
        client.get(url(meeting, "meetings:notices")),
        client.get(url(meeting, "meetings:notice", 1)),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_hides_the_meeting_from_other_cells_and_changes_nothing(world, meeting):
    client = world.client("outsider")
    assert client.post(url(meeting)).status_code == 404
    assert not Notice.objects.exists()
    publish(meeting, by=None)
    assert client.get(url(meeting, "meetings:notices")).status_code == 404
    assert client.get(url(meeting, "meetings:notice", 1)).status_code == 404


def test_it_hides_a_draft_from_members_and_forbids_them_to_publish(world, meeting):
    client = world.client("member")
    assert client.post(url(meeting)).status_code == 404
    publish(meeting, by=None)
    assert client.post(url(meeting)).status_code == 403
    assert meeting.notices.count() == 1


def test_it_refuses_other_methods(world, meeting):
    client = world.client("secretary")
    assert client.get(url(meeting)).status_code == 405
    assert client.post(url(meeting, "meetings:notices")).status_code == 405
    assert client.post(url(meeting, "meetings:notice", 1)).status_code == 405


def test_it_publishes_a_snapshot_of_the_notice(world, meeting, tasks):
    item = meeting.agenda_items.get(position=2)
    attach(item, "Báo cáo tháng 11.pdf", b"%PDF report")
    response = secretary(world).post(url(meeting))
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.code}/"
    notice = meeting.notices.get()
    assert (notice.version, notice.late, notice.published_by.full_name) == (
        1,
        False,
        "Trần Văn Sơn",
    )
    assert notice.content["place"] == "Nhà văn hóa khu 1"
    assert notice.content["starts_at"] == meeting.starts_at.isoformat()
    # Titles are content, kept in the language the secretary planned in.
    assert [i["title"] for i in notice.content["items"]] == list(
        meeting.agenda_items.values_list("title", flat=True)
    )
    assert notice.content["items"][1]["documents"] == [
        {"name": "Báo cáo tháng 11.pdf", "sha256": sha256(b"%PDF report").hexdigest(), "size": 11}
    ]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at == notice.published_at
    assert said(response) == ["Version 1 of the notice was published; 3 people are being notified."]


def test_it_records_and_shows_a_late_notice(world, tasks):
    meeting = plan(world.cell, starts_in=timedelta(hours=12))
    response = secretary(world).post(url(meeting))
    assert meeting.notices.get().late
    assert LATE in said(response)[1]
    meeting.refresh_from_db()
    assert meeting.published_late
    page = secretary(world).get(url(meeting, "meetings:notices")).content.decode()
    assert "published late" in page and LATE in page


def test_it_sends_nothing_again_when_nothing_changed(world, meeting, tasks):
    client = secretary(world)
    client.post(url(meeting))
    response = client.post(url(meeting))
    # The first answer's message was never shown: the redirect was not followed.
    assert said(response)[-1] == (
        "Nothing has changed since version 1 of the notice: nothing was sent."
    )
    assert meeting.notices.count() == 1
    with pytest.raises(NothingChanged):
        publish(meeting, by=None)


@pytest.mark.parametrize("status", [Meeting.Status.OPEN, Meeting.Status.CANCELLED])
def test_it_refuses_to_publish_a_meeting_past_preparation(world, meeting, status):
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    response = world.client("admin").post(url(meeting), HTTP_ACCEPT_LANGUAGE="en")
    assert said(response) == [f"A meeting that is {status.label} cannot be published."]
    assert not meeting.notices.exists()
    with pytest.raises(PublishError):
        publish(meeting, by=None)


def test_it_keeps_earlier_versions_readable_after_a_change(
    world, meeting, tasks, django_capture_on_commit_callbacks
):
    client = secretary(world)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(meeting))
    meeting.refresh_from_db()
    first_published = meeting.published_at
    meeting.place = "Hội trường phường"
    meeting.starts_at += timedelta(days=1)
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(meeting))
    assert list(meeting.notices.values_list("version", flat=True)) == [2, 1]
    meeting.refresh_from_db()
    assert meeting.published_at == first_published
    assert set(kinds(meeting).values()) == {Notification.Kind.CHANGED}
    assert meeting.notifications.filter(kind=Notification.Kind.PUBLISHED).count() == 3

    english = {"Accept-Language": "en"}
    old = world.client("member").get(url(meeting, "meetings:notice", 1), headers=english)
    old = old.content.decode()
    assert "Nhà văn hóa khu 1" in old and "Hội trường phường" not in old
    assert "A later version replaces it." in old
    new = world.client("member").get(url(meeting, "meetings:notice", 2), headers=english)
    new = new.content.decode()
    assert "Hội trường phường" in new and "A later version replaces it." not in new
    listing = world.client("supervisor").get(url(meeting, "meetings:notices")).content.decode()
    assert url(meeting, "meetings:notice", 1) in listing and "Trần Văn Sơn" in listing


@pytest.mark.parametrize("version", [0, 3, 99999999999])
def test_it_answers_404_for_a_version_that_was_never_sent(world, meeting, version):
    publish(meeting, by=None)
    assert world.client("member").get(url(meeting, "meetings:notice", version)).status_code == 404


def test_it_notifies_members_with_obligations_and_supervisors_in_their_language(
    world, meeting, mailbox, tasks, django_capture_on_commit_callbacks
):
    make_user(make_member(world.cell, "Đỗ Văn Miễn", status=Member.Status.EXEMPT), "mien")
    make_user(make_member(world.cell, "Vũ Thị Chuyển", status=Member.Status.TRANSFERRED), "chuyen")
    make_user(make_member(world.cell, "Lý Văn Ngày"), "ngay", mail=User.Mail.DAILY)
    make_member(world.cell, "Đinh Thị Giấy")  # no account: nobody to tell
    User.objects.filter(username="mai").update(language="en")
    User.objects.filter(username="son").update(language="vi")
    with django_capture_on_commit_callbacks(execute=True):
        secretary(world).post(url(meeting))

    assert kinds(meeting) == {
        name: Notification.Kind.PUBLISHED for name in ["mai", "son", "vu", "ngay"]
    }
    mails = {m["To"]: m for m in mailbox.messages}
    assert set(mails) == {"mai@example.org", "son@example.org", "vu@example.org"}
    assert meeting.notifications.filter(mailed_at__isnull=False).count() == 3

    english = mails["mai@example.org"]
    assert subject(english).startswith("Meeting published: regular meeting, Chi bộ khu 1")
    assert english["Auto-Submitted"] == "auto-generated"
    body = english.get_content()
    assert "Place: Nhà văn hóa khu 1" in body and "Open the meeting in chibo:" in body
    assert f"http://127.0.0.1:8000/meetings/{meeting.code}/" in body
    assert formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT") in body

    vietnamese = mails["son@example.org"]
    with translation.override("vi"):
        label = capfirst(gettext("meeting published"))
        when = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
        place = gettext("Place")
    assert subject(vietnamese).startswith(label)
    assert when in vietnamese.get_content() and f"{place}: " in vietnamese.get_content()


def test_it_does_not_notify_twice_when_the_task_runs_again(world, meeting, mailbox, tasks):
    notice = publish(meeting, by=None)
    send_notice.call(meeting.pk, notice.version)
    assert send_notice.call(meeting.pk, notice.version) == 0
    assert meeting.notifications.count() == 3
    assert len(mailbox.messages) == 3


def test_it_tells_newcomers_of_a_changed_meeting_that_it_was_published(world, meeting, tasks):
    send_notice.call(meeting.pk, publish(meeting, by=None).version)
    make_user(make_member(world.cell, "Hà Văn Mới"), "moi")
    Meeting.objects.filter(pk=meeting.pk).update(place="Hội trường phường")
    send_notice.call(meeting.pk, publish(meeting, by=None).version)
    assert kinds(meeting)["moi"] == Notification.Kind.PUBLISHED
    assert kinds(meeting)["mai"] == Notification.Kind.CHANGED


def test_it_leaves_a_superseded_version_to_the_newer_one(world, meeting, tasks):
    publish(meeting, by=None)
    Meeting.objects.filter(pk=meeting.pk).update(place="Hội trường phường")
    publish(meeting, by=None)
    assert send_notice.call(meeting.pk, 1) == 0
    assert not meeting.notifications.exists()


def test_the_request_does_the_same_work_for_150_members_as_for_5(world):
    client = secretary(world)

    def publish_and_count() -> int:
        meeting = plan(world.cell)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url(meeting)).status_code == 302
        return len(queries)

    for i in range(3):
        make_member(world.cell, f"Thành viên {i}")
    small = publish_and_count()
    for i in range(3, 150):
        make_user(make_member(world.cell, f"Thành viên {i}"), f"tv{i}")
    client.get(reverse("home"))  # new sign-ins: the secretary's reach is read again, once
    assert publish_and_count() == small


def test_the_task_tells_a_cell_of_150(world, meeting, mailbox, tasks):
    for i in range(147):
        make_user(make_member(world.cell, f"Thành viên {i}"), f"tv{i}")
    send_notice.call(meeting.pk, publish(meeting, by=None).version)
    assert meeting.notifications.count() == 150
    assert len(mailbox.messages) == 150


# The worker closes connections it finds inside a transaction, as a test's would be.
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_the_notice(world, mailbox, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    meeting = plan(world.cell)
    secretary(world).post(url(meeting))
    assert not meeting.notifications.exists()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert set(kinds(meeting)) == {"mai", "son", "vu"}
    assert {m["To"] for m in mailbox.messages} == {
        "mai@example.org",
        "son@example.org",
        "vu@example.org",
    }
