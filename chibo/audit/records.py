"""Approved minutes and adopted resolutions, sealed: a keyed hash of each version as it was
approved, kept in the audit log, so that a version changed behind the app's back shows on its
page and in `chibo audit verify`."""

import json
from collections.abc import Iterable, Iterator
from datetime import UTC

from django.db import DEFAULT_DB_ALIAS
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext as _

from chibo.audit import log
from chibo.audit.keys import seal
from chibo.audit.models import Action, Entry
from chibo.meetings.models import Minutes, Resolution

Record = Minutes | Resolution
SEALING = {"minutes": Action.MINUTES_APPROVED, "resolution": Action.RESOLUTION_ADOPTED}
DRAFT = "draft"  # the one status of both that may still change
BATCH = 2000


def _when(moment) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def content(record: Record) -> dict:
    """What an approved version says: everything but its publication, which comes after."""
    if isinstance(record, Minutes):
        return {
            "meeting": record.meeting_id,
            "version": record.version,
            "sections": record.sections,
            "correction": record.correction,
            "written_by": record.written_by_id,
            "approved_at": _when(record.approved_at),
        }
    # Through `all()`, so that a prefetch serves it (`chibo audit verify`).
    tasks = sorted(record.tasks.all(), key=lambda task: (task.position, task.pk))
    return {
        "meeting": record.meeting_id,
        "cell": record.cell_id,
        "version": record.version,
        "year": record.year,
        "number": record.number,
        "assessment": record.assessment,
        "assignment": record.assignment,
        "quality": record.quality,
        "tasks": [[t.position, t.what, t.owner_id, t.deadline.isoformat()] for t in tasks],
        "vote": record.vote_id,
        "correction": record.correction,
        "adopted_at": _when(record.adopted_at),
    }


def seal_of(record: Record) -> str:
    kind = record._meta.model_name
    body = json.dumps(content(record), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return seal(f"{kind}\x1f{record.pk}\x1f{body}")


def _entry(request: HttpRequest | None, record: Record) -> Entry:
    cell = record.cell_id if isinstance(record, Resolution) else record.meeting.cell_id
    return log.entry(
        request,
        SEALING[record._meta.model_name],
        record,
        organisation=cell,
        detail={"version": record.version, "seal": seal_of(record)},
    )


def approved(request: HttpRequest, record: Record) -> None:
    """Log the approval (or adoption) of `record`, with its seal."""
    log.append([_entry(request, record)])


def seal_all(records: Iterable[Record]) -> None:
    """Seal records approved in bulk (the demo's history), in one append."""
    records = list(records)
    prefetch_related_objects([r for r in records if isinstance(r, Resolution)], "tasks")
    log.append([_entry(None, record) for record in records])


def problem(record: Record, sealed: dict | None) -> str | None:
    """What is wrong with a version as it stands, given the detail of the entry that sealed it
    (None if none did), or None: drafts may change."""
    if record.status == DRAFT:
        return None
    if sealed is None:
        return _("The approval of this record is missing from the audit log.")
    if sealed.get("seal") != seal_of(record):
        return _("This record was changed after approval.")
    return None


def sealed(record: Record) -> dict | None:
    """The detail of the entry that sealed `record`, if any."""
    kind = record._meta.model_name
    found = Entry.objects.filter(kind=kind, object_id=str(record.pk), action=SEALING[kind])
    return found.values_list("detail", flat=True).first()


def all_problems(
    seals: dict[tuple[str, str], tuple[int, dict]], using: str = DEFAULT_DB_ALIAS
) -> Iterator[tuple[int | None, str]]:
    """Every approved version that differs from its seal, or has none, and every seal whose
    version is gone, each with the number of the entry that sealed it; `seals` maps
    (kind, id) to (entry number, detail) as read from the log."""
    seals = dict(seals)
    versions = [
        Minutes.objects.using(using).exclude(status=DRAFT).select_related("meeting"),
        Resolution.objects.using(using).exclude(status=DRAFT).prefetch_related("tasks"),
    ]
    for queryset in versions:
        for record in queryset.order_by("pk").iterator(BATCH):
            key = (record._meta.model_name, str(record.pk))
            number, detail = seals.pop(key, (None, None))
            if found := problem(record, detail):
                yield number, f"{_describe(record)}: {found}"
    for (kind, pk), (number, _detail) in seals.items():
        yield number, _("The sealed %(kind)s %(id)s was removed.") % {"kind": kind, "id": pk}


def _describe(record: Record) -> str:
    what = _("Minutes") if isinstance(record, Minutes) else _("Resolution")
    return _("%(what)s %(id)d (meeting %(meeting)d, version %(version)d)") % {
        "what": what,
        "id": record.pk,
        "meeting": record.meeting_id,
        "version": record.version,
    }


def check(record: Record | None) -> Record | None:
    """`record` with `seal_problem` set, for its page to say."""
    if record is not None:
        record.seal_problem = problem(record, sealed(record))
    return record
