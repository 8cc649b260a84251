"""E-mail of notifications through a real SMTP server: wording, links, language, failures."""

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from chibo.conftest import Mailbox
from chibo.meetings.publishing import publish
from chibo.meetings.tests.publishing_data import attach, plan
from chibo.notify.mail import outbox_digests, outbox_each, send
from chibo.notify.models import Notification
from chibo.orgs.models import User


def notification(user: User, kind: str, meeting=None) -> Notification:
    """A notification loaded as the senders load it."""
    meeting = meeting or plan(user.member.cell)
    made = Notification.objects.create(recipient=user, meeting=meeting, kind=kind)
    return Notification.objects.select_related("recipient", "meeting__cell").get(pk=made.pk)


def in_english(*users: User) -> None:
    User.objects.filter(pk__in=[u.pk for u in users]).update(language="en")


def test_it_mails_the_notice_with_its_agenda_and_documents(world, mailbox):
    in_english(world.member)
    meeting = plan(world.cell, theme="Chuyển đổi số")
    attach(meeting.agenda_items.get(position=2), "Báo cáo tháng 11.pdf", b"x" * 2048)
    publish(meeting, by=None)
    assert send(outbox_each([notification(world.member, "published", meeting)])) == 1
    body = mailbox.messages[0].get_content()
    assert "Theme: Chuyển đổi số" in body
    assert f"2. {meeting.agenda_items.get(position=2).title}" in body
    assert "- Báo cáo tháng 11.pdf (2.0\xa0KB)" in body
    assert "http://127.0.0.1:8000/notifications/settings/" in body


def test_it_links_to_the_site_it_is_told(world, mailbox, settings):
    settings.CHIBO_SITE_URL = "https://chibo.example.org/"
    found = notification(world.member, "reminder")
    send(outbox_each([found]))
    body = mailbox.messages[0].get_content()
    assert f"https://chibo.example.org/meetings/{found.meeting.code}/" in body


def test_it_words_reminders_and_notices_due(world, mailbox):
    in_english(world.member, world.secretary)
    send(
        outbox_each(
            [notification(world.member, "reminder"), notification(world.secretary, "notice_due")]
        )
    )
    reminder, due = (m.get_content() for m in mailbox.messages)
    assert reminder.startswith("Coming soon: regular meeting of Chi bộ khu 1 on ")
    assert "Please say whether you will attend." in reminder
    assert "Agenda" not in reminder
    assert "is due by" in due and "(rule 5)" in due


def test_it_sends_one_digest_per_person_with_all_their_news(world, mailbox):
    in_english(world.member, world.secretary)
    mine = [notification(world.member, kind) for kind in ["published", "changed", "reminder"]]
    theirs = [notification(world.secretary, "notice_due")]
    assert send(outbox_digests(mine + theirs)) == 2
    digests = {m["To"]: m for m in mailbox.messages}
    digest = digests["mai@example.org"]
    assert str(digest["Subject"]).strip() == "chibo: 3 new notifications"
    body = digest.get_content()
    assert body.count("* ") == 3 and body.count("/meetings/") == 3
    assert "To get each notice as it comes instead" in body
    assert Notification.objects.unmailed().count() == 0


def test_it_marks_what_was_mailed_and_nothing_else(world, mailbox):
    sent, kept = notification(world.member, "reminder"), notification(world.member, "reminder")
    send(outbox_each([sent]))
    assert Notification.objects.unmailed().get() == kept
    sent.refresh_from_db()
    assert timezone.now() - sent.mailed_at < timedelta(minutes=1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_opens_no_connection_when_there_is_nothing_to_send(mailbox, settings):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    assert send(iter([])) == 0


class Refusing(Mailbox):
    """A server that knows no one at gone.example.org."""

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:
        if address.endswith("@gone.example.org"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing(mailbox, settings):
    handler = Refusing()
    settings.EMAIL_PORT = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    yield handler
    controller.stop()


def test_one_refused_address_does_not_stop_the_others(world, refusing):
    User.objects.filter(pk=world.member.pk).update(email="mai@gone.example.org")
    refused, delivered = (notification(u, "reminder") for u in [world.member, world.secretary])
    assert send(outbox_each([refused, delivered])) == 1
    assert [m["To"] for m in refusing.messages] == ["son@example.org"]
    assert Notification.objects.unmailed().get() == refused


def test_each_mail_is_in_its_recipients_language(world, mailbox):
    in_english(world.member)
    meeting = plan(world.cell)
    mails = [notification(u, "reminder", meeting) for u in [world.member, world.secretary]]
    send(outbox_digests(mails))
    local = timezone.localtime(meeting.starts_at)
    for message, language in zip(mailbox.messages, ["en", "vi"], strict=True):
        with translation.override(language):
            when = formats.date_format(local, "DATETIME_FORMAT")
            intro = gettext("New in chibo since your last digest:")
        assert message.get_content().startswith(intro)
        assert when in message.get_content()
