"""What a notification says, in the language active when it is shown or mailed."""

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.meetings.models import Meeting
from chibo.notify.models import Notification

Kind = Notification.Kind

SENTENCES = {
    Kind.PUBLISHED: gettext_lazy(
        "%(meeting)s of %(cell)s on %(when)s at %(place)s: the notice and documents are out."
    ),
    Kind.CHANGED: gettext_lazy(
        "The notice of the %(meeting)s of %(cell)s on %(when)s has changed: please read it again."
    ),
    Kind.REMINDER: gettext_lazy(
        "Coming soon: %(meeting)s of %(cell)s on %(when)s at %(place)s. "
        "Please say whether you will attend."
    ),
    Kind.NOTICE_DUE: gettext_lazy(
        "The notice of the %(meeting)s of %(cell)s on %(when)s is due by %(due)s (rule 5): "
        "publish it so members can study the documents."
    ),
    Kind.MINUTES_DUE: gettext_lazy(
        "The minutes of the %(meeting)s of %(cell)s on %(when)s are due."
    ),
    Kind.RECORDS: gettext_lazy(
        "The minutes and resolution of the %(meeting)s of %(cell)s on %(when)s are published."
    ),
}


def when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def headline(notification: Notification) -> str:
    """One sentence saying what happened and to which meeting."""
    sentence = SENTENCES.get(notification.kind)
    if notification.meeting is None or sentence is None:
        return capfirst(notification.get_kind_display())
    return capfirst(sentence % _facts(notification.meeting))


def subject(notification: Notification) -> str:
    """A mail subject: what happened, then which meeting, so a list of mails reads well."""
    what = capfirst(notification.get_kind_display())
    meeting = notification.meeting
    if meeting is None:
        return what
    return _("%(what)s: %(meeting)s, %(cell)s, %(date)s") % {
        "what": what,
        **_facts(meeting),
        "date": formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT"),
    }


def _facts(meeting: Meeting) -> dict[str, str]:
    return {
        "meeting": meeting.get_kind_display(),
        "cell": meeting.cell.name,
        "when": when(meeting.starts_at),
        "place": meeting.place,
        "due": when(meeting.notice_due),
    }


def site_url(path: str) -> str:
    """An absolute link for places with no request to build it from: e-mails."""
    return settings.CHIBO_SITE_URL.rstrip("/") + path
