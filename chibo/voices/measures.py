"""What the monthly indicator rows count of voices (`chibo.quality.rollup`), per cell and month,
all additive so that a committee's row is the sum of its children's (decision 15):

- received: voices received in the month;
- answered, answered on time: voices first answered in the month, and those by their due date;
- answered within 1, 3, 7 and 30 days (cumulative): the buckets from which the median time to a
  first answer is read for any subtree and any span of months (`median_answer_days`);
- passed up: voices the cell passed up to the committee above in the month;
- overdue: voices open and past a due date at the end of the month (for the current month, at
  the moment the row was last computed: `chibo remind` recomputes it as voices fall overdue).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone

from chibo.lib.months import month_of, months, next_month
from chibo.voices.models import Step, Voice

BUCKETS = (1, 3, 7, 30)
FIELDS = [
    "voices_received",
    "voices_answered",
    "voices_answered_on_time",
    *(f"voices_answered_{days}d" for days in BUCKETS),
    "voices_passed_up",
    "voices_overdue",
]


def _start(month: date) -> datetime:
    return timezone.make_aware(datetime(month.year, month.month, 1))


def voice_counts(cell_ids, first: date, last: date) -> dict[tuple[int, date], dict[str, int]]:
    """The counts of `FIELDS` for each cell and month from `first` to `last`, in two queries."""
    span = months(first, last)
    begin, end = _start(first), _start(next_month(last))
    now = timezone.now()
    found: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    voices = (
        Voice.objects.filter(cell_id__in=cell_ids, received_at__lt=end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=begin))
        .values_list(
            "cell_id",
            "received_at",
            "first_answered_at",
            "resolved_at",
            "answer_due",
            "resolve_due",
        )
    )
    ends = {month: min(_start(next_month(month)), now) for month in span}
    for cell_id, received, answered, resolved, answer_due, resolve_due in voices:
        if received >= begin:
            found[(cell_id, month_of(received))]["voices_received"] += 1
        if answered is not None and begin <= answered < end:
            row = found[(cell_id, month_of(answered))]
            row["voices_answered"] += 1
            row["voices_answered_on_time"] += answered <= answer_due
            waited = answered - received
            for days in BUCKETS:
                row[f"voices_answered_{days}d"] += waited <= timedelta(days=days)
        for month, at in ends.items():
            open_then = received < at and (resolved is None or resolved >= at)
            late = (answer_due < at and (answered is None or answered >= at)) or resolve_due < at
            if open_then and late:
                found[(cell_id, month)]["voices_overdue"] += 1
    passed = Step.objects.filter(
        kind=Step.Kind.PASSED_UP,
        voice__cell_id__in=cell_ids,
        by_org_id=F("voice__cell_id"),
        at__gte=begin,
        at__lt=end,
    ).values_list("voice__cell_id", "at")
    for cell_id, at in passed:
        found[(cell_id, month_of(at))]["voices_passed_up"] += 1
    return found


def median_answer_days(row) -> float | None:
    """The median time to a first answer, in days, read from a row's buckets: the smallest
    bucket holding at least half the voices answered (31 for "more than 30 days"); None when
    none was answered. Exact to the bucket, and the same whatever rows were summed."""
    answered = row.voices_answered
    if not answered:
        return None
    for days in BUCKETS:
        if 2 * getattr(row, f"voices_answered_{days}d") >= answered:
            return float(days)
    return float(BUCKETS[-1] + 1)
