"""Meetings to publish, shared by the tests of publishing, notifications, mail and calendars."""

from datetime import timedelta
from hashlib import sha256

from django.utils import timezone

from chibo.meetings.models import AgendaItem, Document, Meeting
from chibo.orgs.models import Organisation

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def plan(cell: Organisation, starts_in: timedelta = timedelta(days=3), **fields) -> Meeting:
    """A draft regular meeting with the official agenda."""
    meeting = Meeting.objects.create(
        cell=cell,
        kind=Meeting.Kind.REGULAR,
        starts_at=(timezone.now() + starts_in).replace(second=0, microsecond=0),
        place="Nhà văn hóa khu 1",
        **fields,
    )
    meeting.add_official_agenda()
    return meeting


def attach(item: AgendaItem, name: str, data: bytes) -> Document:
    """A document record; no test opens the file, so none is written."""
    return Document.objects.create(
        item=item,
        file=f"meetings/{name}",
        name=name,
        content_type="application/pdf",
        size=len(data),
        sha256=sha256(data).hexdigest(),
    )
