"""Writing the audit log: `record` one entry, or `append` several made at once.

Appends are serialised, so that two writers never chain to the same entry: PostgreSQL takes a
transaction-scoped advisory lock; SQLite's IMMEDIATE transactions (settings) hold the write
lock from the first statement.
"""

from collections.abc import Sequence

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from chibo.audit.keys import seal
from chibo.audit.models import SEALED, Entry, message
from chibo.orgs.models import Organisation, User

# Any number of our own, the same in every process: the one lock of the log.
LOCK = 0x6368_6962_6F41  # "chiboA"
BATCH = 2000


def record(
    request: HttpRequest | None, action: str, subject: models.Model | None = None, **fields
) -> Entry:
    """Log that the request's user (or `user`) did `action` to `subject`, about `organisation`
    (by default the subject's cell, or the subject itself when it is an organisation); the
    `fields` are those of `entry`."""
    return append([entry(request, action, subject, **fields)])[0]


def entry(
    request: HttpRequest | None,
    action: str,
    subject: models.Model | None = None,
    *,
    organisation: Organisation | int | None = None,
    user: User | None = None,
    username: str = "",
    detail: dict | None = None,
) -> Entry:
    """An unsaved entry, for `append`."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if organisation is None and subject is not None:
        is_org = isinstance(subject, Organisation)
        organisation = subject if is_org else getattr(subject, "cell_id", None)
    return Entry(
        user_id=user.pk if user else None,
        username=user.get_username() if user else username[:150],
        action=action,
        organisation_id=getattr(organisation, "pk", organisation),
        kind=subject._meta.model_name if subject is not None else "",
        object_id=str(subject.pk) if subject is not None else "",
        detail=detail or {},
        address=request.META.get("REMOTE_ADDR", "")[:45] if request is not None else "",
    )


def append(entries: Sequence[Entry]) -> Sequence[Entry]:
    """Number, time, seal and save `entries` at the end of the chain."""
    alone = not connection.in_atomic_block
    with transaction.atomic():
        return _append(entries, alone)


def _append(entries: Sequence[Entry], alone: bool) -> Sequence[Entry]:
    if connection.vendor == "postgresql":
        # When only the log rides on this transaction (a page read, a sign-in), it need not
        # wait for the disk: a crash may lose the last fraction of a second of such entries,
        # never a link in the middle, as a later durable commit flushes every one before it.
        lock = "pg_advisory_xact_lock(%s)"
        if alone:
            lock = f"set_config('synchronous_commit', 'off', true), {lock}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {lock}", [LOCK])
    last = Entry.objects.order_by("-number").values_list("number", "mac").first()
    number, previous = last or (0, "")
    now = timezone.now()
    for item in entries:
        number += 1
        item.number, item.at = number, now
        item.mac = previous = seal(message(previous, [getattr(item, f) for f in SEALED]))
    Entry.objects.bulk_create(entries, batch_size=BATCH)
    return entries
