"""E-mail for notifications: one mail each, or one digest a day, in the recipient's language."""

import logging
import smtplib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

from django.core.mail import EmailMessage, get_connection
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from chibo.meetings.models import Notice
from chibo.meetings.publishing import readable
from chibo.notify.models import Notification
from chibo.notify.wording import headline, link, site_url, subject
from chibo.orgs.models import User

logger = logging.getLogger(__name__)

# These carry the notice itself (time, place, agenda, documents), as rule 5 asks.
NOTICE_KINDS = {Notification.Kind.PUBLISHED, Notification.Kind.CHANGED}
# Those who asked for e-mail, alone or with push (the others are told on their phones only).
MAIL_CHANNELS = [User.Channels.EMAIL, User.Channels.BOTH]
# Mail is sent with this header so that out-of-office replies are not sent back (RFC 3834).
HEADERS = {"Auto-Submitted": "auto-generated"}


@dataclass(frozen=True)
class Outgoing:
    message: EmailMessage
    notification_ids: list[int]


def outbox_each(notifications: Sequence[Notification]) -> Iterator[Outgoing]:
    """One mail per notification, for those who take e-mail. Notifications need `recipient`
    loaded, and `with_subjects`."""
    notifications = [n for n in notifications if n.recipient.channels in MAIL_CHANNELS]
    contents = _latest_contents(
        {n.meeting_id for n in notifications if n.kind in NOTICE_KINDS and n.meeting_id}
    )
    for notification in notifications:
        message = notification_message(notification, contents.get(notification.meeting_id))
        yield Outgoing(message, [notification.pk])


def outbox_digests(notifications: Sequence[Notification]) -> Iterator[Outgoing]:
    """One mail per recipient listing all their notifications, for those who take e-mail; pass
    them ordered by recipient."""
    for _recipient_id, group in groupby(notifications, key=lambda n: n.recipient_id):
        items = list(group)
        if items[0].recipient.channels not in MAIL_CHANNELS:
            continue
        yield Outgoing(digest_message(items[0].recipient, items), [n.pk for n in items])


def notification_message(notification: Notification, content: dict | None) -> EmailMessage:
    user = notification.recipient
    with translation.override(user.language):
        context = {
            "headline": headline(notification),
            "notice": readable(content) if content and notification.kind in NOTICE_KINDS else None,
            "url": site_url(link(notification)),
            "evaluation": notification.evaluation_id is not None,
            "settings_url": site_url(reverse("notify:settings")),
        }
        body = render_to_string("notify/mail/notification.txt", context)
        return _message(user, subject(notification), body)


def digest_message(user: User, notifications: list[Notification]) -> EmailMessage:
    with translation.override(user.language):
        count = len(notifications)
        title = ngettext(
            "chibo: %(count)d new notification", "chibo: %(count)d new notifications", count
        ) % {"count": count}
        lines = [(headline(n), site_url(link(n))) for n in notifications]
        body = render_to_string(
            "notify/mail/digest.txt",
            {"lines": lines, "settings_url": site_url(reverse("notify:settings"))},
        )
        return _message(user, title, body)


def send(outbox: Iterable[Outgoing]) -> int:
    """Send over one SMTP connection, opened only if there is something to send.

    Each notification is marked as mailed right after its mail leaves, so a failure half-way
    neither loses nor repeats the mails before it.
    """
    connection = None
    sent = 0
    try:
        for outgoing in outbox:
            if connection is None:
                connection = get_connection()
                connection.open()
            try:
                connection.send_messages([outgoing.message])
            except smtplib.SMTPRecipientsRefused:
                # One bad address must not stop the others; the in-app notification stays.
                logger.warning("Mail server refused %s", outgoing.message.to)
                continue
            Notification.objects.filter(pk__in=outgoing.notification_ids).update(
                mailed_at=timezone.now()
            )
            sent += 1
    finally:
        if connection is not None:
            connection.close()
    return sent


def _message(user: User, title: str, body: str) -> EmailMessage:
    return EmailMessage(subject=title, body=body, to=[user.email], headers=HEADERS)


def _latest_contents(meeting_ids: set[int]) -> dict[int, dict]:
    """The content of each meeting's newest notice, in one query."""
    newest = Notice.objects.filter(meeting_id=OuterRef("meeting_id")).order_by("-version")
    notices = Notice.objects.filter(
        meeting_id__in=meeting_ids, version=Subquery(newest.values("version")[:1])
    )
    return dict(notices.values_list("meeting_id", "content"))
