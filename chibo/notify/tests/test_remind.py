"""`chibo remind`: reminders once, notices due once, immediate mail and the daily digest."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from chibo.conftest import make_member, make_user
from chibo.meetings.models import Answer, Meeting
from chibo.meetings.publishing import publish
from chibo.meetings.tests.publishing_data import plan
from chibo.notify.management.commands import remind
from chibo.notify.models import Notification
from chibo.orgs.models import Member, User

Kind = Notification.Kind


def run(*args: str) -> str:
    out = StringIO()
    call_command("remind", *args, "--language", "en", stdout=out, stderr=StringIO())
    return out.getvalue()


def published(cell, starts_in: timedelta) -> Meeting:
    meeting = plan(cell, starts_in=starts_in)
    publish(meeting, by=None)
    return meeting


def told(kind: str) -> set[tuple[str, int]]:
    return set(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "meeting_id")
    )


@pytest.fixture
def quiet(world):
    """Everyone reads notices in the app only, so a test sees just the mail it is about."""
    User.objects.update(email="")


def test_it_reminds_members_who_have_not_answered_once(world, quiet):
    tomorrow = published(world.cell, timedelta(hours=20))
    published(world.cell, timedelta(hours=30))
    plan(world.cell, starts_in=timedelta(hours=20))  # a draft: no reminder
    Answer.objects.create(
        meeting=tomorrow, member=world.secretary.member, choice=Answer.Choice.ATTENDING
    )
    make_user(make_member(world.cell, "Đỗ Văn Miễn", status=Member.Status.EXEMPT), "mien")
    assert "Reminders of coming meetings: 1." in run()
    assert told(Kind.REMINDER) == {("mai", tomorrow.pk)}
    assert "Reminders of coming meetings: 0." in run()
    assert told(Kind.REMINDER) == {("mai", tomorrow.pk)}


def test_it_tells_the_secretary_and_the_preparer_once_when_a_notice_is_due(world, quiet):
    preparer = make_member(world.cell, "Hà Thị Chuẩn")
    make_user(preparer, "chuan")
    due = plan(world.cell, starts_in=timedelta(hours=40), preparer=preparer)
    overdue = plan(world.cell, starts_in=timedelta(hours=5))
    plan(world.cell, starts_in=timedelta(days=5))  # not due yet
    plan(world.cell, starts_in=timedelta(hours=-5))  # over: too late to help
    published(world.cell, timedelta(hours=30))  # done
    assert "Notices due: 3." in run()
    assert told(Kind.NOTICE_DUE) == {("son", due.pk), ("chuan", due.pk), ("son", overdue.pk)}
    assert "Notices due: 0." in run()


def test_it_mails_each_notification_once_to_those_who_want_it_at_once(world, mailbox):
    published(world.cell, timedelta(hours=20))
    assert "E-mails: 2." in run()
    assert "E-mails: 0." in run()
    assert sorted(m["To"] for m in mailbox.messages) == ["mai@example.org", "son@example.org"]


def test_it_leaves_old_notifications_in_the_app(world, mailbox):
    meeting = published(world.cell, timedelta(days=3))
    Notification.objects.create(recipient=world.member, meeting=meeting, kind=Kind.CHANGED)
    Notification.objects.update(created_at=timezone.now() - timedelta(days=3))
    assert "E-mails: 0." in run()
    assert not mailbox.messages


def test_it_sends_the_daily_digest_only_when_asked(world, mailbox):
    User.objects.exclude(username="mai").update(email="")
    User.objects.filter(username="mai").update(mail=User.Mail.DAILY, language="en")
    for days in [3, 4]:
        meeting = published(world.cell, timedelta(days=days))
        Notification.objects.create(recipient=world.member, meeting=meeting, kind=Kind.PUBLISHED)
    assert "E-mails: 0. Digests: 0." in run()
    assert "E-mails: 0. Digests: 1." in run("--digest")
    assert "Digests: 0." in run("--digest")
    (digest,) = mailbox.messages
    assert str(digest["Subject"]).strip() == "chibo: 2 new notifications"


def test_it_shows_progress_when_there_is_much_to_do(world, mailbox, monkeypatch):
    monkeypatch.setattr(remind, "BAR_FROM", 2)
    published(world.cell, timedelta(hours=20))
    err = StringIO()
    call_command("remind", "--language", "en", stdout=StringIO(), stderr=err)
    assert "2/2" in err.getvalue() and "e-mails" in err.getvalue()


def test_it_reminds_the_secretary_once_of_minutes_due(world, mailbox):
    from chibo.meetings import holding
    from chibo.meetings.models import Minutes

    meeting = published(world.cell, timedelta(days=3))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=5))
    meeting.refresh_from_db()
    holding.open_meeting(meeting)
    assert "Minutes due: 1." in run()
    assert "Minutes due: 0." in run()
    [note] = Notification.objects.filter(kind=Kind.MINUTES_DUE)
    assert note.recipient == world.secretary
    minutes = Minutes.objects.create(meeting=meeting, sections={"1": "Khai mạc"})
    holding.approve_minutes(minutes)
    Notification.objects.filter(kind=Kind.MINUTES_DUE).delete()
    assert "Minutes due: 0." in run()  # approved minutes are not due
