"""Publishing a meeting's notice to its members and supervisors (DOMAIN.md rules 5 and 14).

A notice is a snapshot of what was sent: time, place, agenda and the hashes of its documents.
Each publication that changes something is a new version, and earlier versions stay readable.
`Meeting.published_at` is the first publication, when members first learnt of the meeting; each
`Notice` keeps its own time and whether it came later than rule 5 allows.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.meetings.models import AgendaItem, Document, Meeting, Notice, Step
from chibo.orgs.models import Member, User
from chibo.supervision.models import Assignment


class PublishError(Exception):
    """A publication refused, with a message for the person who asked."""


class NothingChanged(PublishError):
    """The meeting is as the last notice said: sending it again would only add noise."""


def recipients(meeting: Meeting) -> QuerySet[User]:
    """Who receives the notice: summoned members and the supervisors of the cell (rule 14)."""
    supervisors = Assignment.objects.current().filter(cell_id=meeting.cell_id)
    return User.objects.filter(is_active=True).filter(
        Q(member__in=Member.objects.filter(cell_id=meeting.cell_id).summoned())
        | Q(member__in=supervisors.values("supervisor_id"))
    )


def notice_content(meeting: Meeting) -> dict:
    """What members are told: plain JSON, so a later edit of the meeting cannot change it."""
    items = meeting.agenda_items.prefetch_related("documents")
    return snapshot(meeting, [(item, item.documents.all()) for item in items])


def snapshot(meeting: Meeting, items: Iterable[tuple[AgendaItem, Iterable[Document]]]) -> dict:
    """The notice's JSON from a meeting and its agenda items with their documents."""
    return {
        "kind": meeting.kind,
        "theme": meeting.theme,
        "starts_at": meeting.starts_at.astimezone(UTC).isoformat(),
        "planned_minutes": meeting.planned_minutes,
        "place": meeting.place,
        "items": [
            {
                "title": item.title,
                # An official step's own name is worded when read (`readable`).
                **({} if item.title else {"step": item.step}),
                "body": item.body,
                "documents": [
                    {"name": doc.name, "sha256": doc.sha256, "size": doc.size} for doc in documents
                ],
            }
            for item, documents in items
        ],
    }


def readable(content: dict) -> dict:
    """A notice's JSON as templates want it: datetimes, and the kind and the official steps'
    names in the current language."""
    starts_at = datetime.fromisoformat(content["starts_at"])
    kind = content["kind"]
    return {
        **content,
        "kind_label": Meeting.Kind(kind).label if kind in Meeting.Kind.values else kind,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=content["planned_minutes"]),
        "items": [{**item, "heading": _heading(item)} for item in content["items"]],
    }


def _heading(item: dict) -> str:
    step = item.get("step")
    if item["title"] or step not in Step.values:
        return item["title"]
    return str(Step(step).label)


def publish(meeting: Meeting, by: Member | None) -> Notice:
    """Record a new version of the notice and have it sent once the transaction commits.

    Raises `PublishError` when the meeting can no longer be published, and `NothingChanged` when
    it is exactly as the last notice said.
    """
    with transaction.atomic():
        # Locked, so two people publishing at once make two versions rather than one twice.
        meeting.refresh_from_db(from_queryset=Meeting.objects.select_for_update())
        if not meeting.is_editable:
            raise PublishError(
                _("A meeting that is %(status)s cannot be published.")
                % {"status": meeting.get_status_display()}
            )
        content = notice_content(meeting)
        last = meeting.notices.first()
        if last is not None and last.content == content:
            raise NothingChanged(
                _("Nothing has changed since version %(version)d of the notice: nothing was sent.")
                % {"version": last.version}
            )
        now = timezone.now()
        notice = Notice.objects.create(
            meeting=meeting,
            version=last.version + 1 if last else 1,
            published_at=now,
            published_by=by,
            late=now > meeting.notice_due,
            content=content,
        )
        meeting.status = Meeting.Status.PUBLISHED
        meeting.published_at = meeting.published_at or now
        meeting.save(update_fields=["status", "published_at", "updated_at"])
        # The fan-out to a large cell happens in the worker, after the notice is really saved.
        from chibo.meetings.tasks import send_notice  # the task module imports this one

        transaction.on_commit(partial(send_notice.enqueue, meeting.pk, notice.version))
    return notice
