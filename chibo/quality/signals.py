"""Keep the monthly indicators current as the records behind them change.

Each save or delete of a record that an indicator reads marks its cell's month; once the
transaction commits, those months and the committees above them are recomputed, once each,
however many records the transaction touched. Bulk inserts (the demo) skip this and end with
`rollup.rebuild()`.
"""

import threading
from datetime import date

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from chibo.lib.months import month_of
from chibo.meetings.models import (
    ActionItem,
    Attendance,
    Comment,
    Meeting,
    Minutes,
    Notice,
    Resolution,
    Vote,
)
from chibo.quality import rollup
from chibo.quality.models import MeetingScore
from chibo.supervision.models import Report

_pending = threading.local()


class Changes:
    """What one transaction touched, resolved to cells' months only when it commits, so that
    saving a record costs no query."""

    def __init__(self) -> None:
        self.months: set[tuple[int, date]] = set()
        self.meeting_ids: set[int] = set()
        self.item_ids: set[int] = set()
        self.done = False

    def resolve(self) -> set[tuple[int, date]]:
        meetings = Meeting.objects.filter(
            Q(pk__in=self.meeting_ids) | Q(agenda_items__in=self.item_ids)
        ).values_list("cell_id", "starts_at")
        return self.months | {(cell, month_of(at)) for cell, at in meetings}

    def flush(self) -> None:
        self.done = True
        rollup.refresh(self.resolve())


def _mark(add) -> None:
    """Note a change in the transaction under way, with a new set of changes once the last one
    committed or rolled back (its flush then no longer waits on the connection). Outside a
    transaction, on_commit flushes at once."""
    changes = getattr(_pending, "changes", None)
    waiting = (
        changes is not None
        and not changes.done
        and any(func == changes.flush for _sids, func, _robust in connection.run_on_commit)
    )
    if not waiting:
        changes = _pending.changes = Changes()
    add(changes)
    if not waiting:
        transaction.on_commit(changes.flush)


def _meeting_changed(instance: Meeting, **kwargs) -> None:
    _mark(lambda c: c.months.add((instance.cell_id, month_of(instance.starts_at))))


def _part_changed(instance, **kwargs) -> None:
    """A record that belongs to a meeting: its roll, notices, votes, records, scores."""
    _mark(lambda c: c.meeting_ids.add(instance.meeting_id))


def _comment_changed(instance: Comment, **kwargs) -> None:
    _mark(lambda c: c.item_ids.add(instance.item_id))


def _task_changed(instance: ActionItem, **kwargs) -> None:
    _mark(lambda c: c.months.add((instance.cell_id, month_of(instance.deadline))))


for event, signal in (("save", post_save), ("delete", post_delete)):
    signal.connect(_meeting_changed, sender=Meeting, dispatch_uid=f"quality-meeting-{event}")
    signal.connect(_comment_changed, sender=Comment, dispatch_uid=f"quality-comment-{event}")
    signal.connect(_task_changed, sender=ActionItem, dispatch_uid=f"quality-task-{event}")
    for part in (Attendance, Notice, Vote, Minutes, Resolution, MeetingScore, Report):
        signal.connect(_part_changed, sender=part, dispatch_uid=f"quality-{part.__name__}-{event}")
