"""Rolling the indicators up the tree: a cell's month from its records, a committee's month as
the sum of its children's.

Every cell has a row for every month from the first one kept to the current one. The process
functions that change what a row counts say which cells' months they changed (`held_months`,
`task_months`) and call `refresh` in their own transaction; `open_month` gives each cell its row
when a month begins; `rebuild` starts over from every record, and equals what they keep.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import as_completed
from contextlib import contextmanager
from datetime import date, datetime, time

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chibo.guidance.cascade import required_counts
from chibo.lib import bulk
from chibo.lib.months import month_of, months, next_month, quarter_end, quarter_start
from chibo.lib.workers import forked
from chibo.library.studying import study_counts
from chibo.meetings.models import DONE_ON_TIME, ActionItem, Meeting
from chibo.meetings.overview import REGULAR_KINDS, THEMATIC_KINDS
from chibo.orgs.models import Organisation
from chibo.quality.facts import facts_of
from chibo.quality.formalism import flagged_meetings
from chibo.quality.models import Grade, MeetingScore, MonthlyIndicators
from chibo.supervision.models import Report
from chibo.voices.consult_counts import people_counts
from chibo.voices.measures import voice_counts
from chibo.voices.models import Voice

COUNTS = [
    f.name
    for f in MonthlyIndicators._meta.concrete_fields
    if f.name not in ("id", "organisation", "month")
]
BATCH = 200
# What an organisation's rows are at, kept in the shared cache: a token per organisation and
# one for every organisation at once, changed after each write commits.
EVERY = "indicators:every"


def _local(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def cell_months(cell_ids: Collection[int], first: date, last: date) -> list[MonthlyIndicators]:
    """Every cell's row for every month from `first` to `last`, from the records."""
    # A month's thematic indicator looks at its whole quarter.
    start, end = quarter_start(first), next_month(quarter_end(last))
    span = months(start, quarter_end(last))
    rows = {
        (cell, month): MonthlyIndicators(organisation_id=cell, month=month, cells=1)
        for cell in cell_ids
        for month in span
    }
    held = Meeting.objects.filter(
        cell_id__in=cell_ids,
        status=Meeting.Status.CLOSED,
        starts_at__gte=_local(start),
        starts_at__lt=_local(end),
    )
    facts = facts_of(held)
    standing = {
        score.meeting_id: score
        for score in MeetingScore.objects.filter(meeting__in=held.values("pk"))
        .standing()
        .only("meeting_id", "total", "grade")
    }
    formal = flagged_meetings(cell_ids, start)
    visits = defaultdict(int)
    for meeting_id in Report.objects.filter(meeting__in=held.values("pk")).values_list(
        "meeting_id", flat=True
    ):
        visits[meeting_id] += 1
    thematic = set()
    for f in facts.values():
        month = month_of(f.starts_at)
        row = rows[(f.cell_id, month)]
        row.meetings += 1
        row.regular_held = int(row.regular_held or f.kind in REGULAR_KINDS)
        if f.kind in THEMATIC_KINDS:
            thematic.add((f.cell_id, month))
        row.expected += f.expected
        row.present += f.present
        if f.first_notice_at is not None:
            row.notices += 1
            row.notices_on_time += not f.notice_late
            row.lead_hours += f.lead_hours
        row.comments += f.comments
        row.speakers += f.speakers
        row.self_criticism += f.self_criticism
        row.formal += f.meeting_id in formal
        row.visits += visits[f.meeting_id]
        if score := standing.get(f.meeting_id):
            row.scored += 1
            row.score_sum += score.total
            row.good += score.grade == Grade.GOOD
            row.weak += score.grade == Grade.WEAK
    for (cell_id, month), (due, on_time) in task_counts(cell_ids, start, end).items():
        row = rows[(cell_id, month)]
        row.tasks_due, row.tasks_on_time = due, on_time
    cells = list(Organisation.objects.filter(pk__in=cell_ids).only("pk", "path", "category"))
    for (cell_id, month), (required, adopted) in required_counts(cells, start, last).items():
        row = rows[(cell_id, month)]
        row.guidance_required, row.guidance_adopted = required, adopted
    for (cell_id, month), (due, done) in study_counts(cells, start, end).items():
        row = rows[(cell_id, month)]
        row.study_due, row.study_done = due, done
    for (cell_id, month), counts in voice_counts(cell_ids, start, last).items():
        row = rows[(cell_id, month)]
        for name, value in counts.items():
            setattr(row, name, value)
    for (cell_id, month), (touching, consulted) in people_counts(cell_ids, start, end).items():
        row = rows[(cell_id, month)]
        row.people_resolutions, row.people_consulted = touching, consulted
    for (cell_id, month), row in rows.items():
        quarter = months(quarter_start(month), quarter_end(month))
        row.thematic_quarter = int(any((cell_id, m) in thematic for m in quarter))
    return [row for (_cell, month), row in rows.items() if first <= month <= last]


def task_counts(
    cell_ids: Collection[int], start: date | None = None, end: date | None = None
) -> dict[tuple[int, date], tuple[int, int]]:
    """Per cell and month: the tasks falling due (cancelled ones aside) and those done on time,
    counted by the database, from `start` to before `end` if given."""
    tasks = ActionItem.objects.filter(cell_id__in=cell_ids).exclude(
        status=ActionItem.Status.CANCELLED
    )
    if start is not None:
        tasks = tasks.filter(deadline__gte=start)
    if end is not None:
        tasks = tasks.filter(deadline__lt=end)
    rows = (
        tasks.values("cell_id", month=TruncMonth("deadline"))
        .annotate(due=Count("pk"), on_time=Count("pk", filter=DONE_ON_TIME))
        .order_by()
    )
    return {(row["cell_id"], row["month"]): (row["due"], row["on_time"]) for row in rows}


def _save(rows: Iterable[MonthlyIndicators]) -> None:
    MonthlyIndicators.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organisation", "month"],
        update_fields=COUNTS,
    )


def _sums(children, parent_of: Callable[[dict], int]) -> list[MonthlyIndicators]:
    """Committee rows summed from their children's rows, grouped by month and `parent_of`."""
    rows = children.annotate(**{c: Sum(c) for c in COUNTS})
    return [
        MonthlyIndicators(
            organisation_id=parent_of(row), month=row["month"], **{c: row[c] for c in COUNTS}
        )
        for row in rows
    ]


CellMonths = set[tuple[int, date]]


def held_months(meeting: Meeting, onwards: bool = False) -> CellMonths:
    """The cell's months that a change to `meeting` alters: its own once it is held (only held
    meetings count), and with `onwards` every month after it too, up to now, for the changes
    that later meetings are judged against (formalism compares them with the ones before)."""
    if meeting.status != Meeting.Status.CLOSED:
        return set()
    month = month_of(meeting.starts_at)
    last = max(month, month_of(timezone.now())) if onwards else month
    return {(meeting.cell_id, month), (meeting.cell_id, last)}


def task_months(cell_id: int, deadlines: Iterable[date]) -> CellMonths:
    """The cell's months in which tasks due by these deadlines are counted."""
    return {(cell_id, month_of(deadline)) for deadline in deadlines}


@transaction.atomic
def refresh(changed: Collection[tuple[int, date]]) -> None:
    """Recompute the months of cells whose records changed, and every committee above them.

    Each cell's rows are recomputed from its first changed month through its last (a thematic
    meeting counts for its whole quarter), within the months kept: from the first one to the
    current one. Cells without a row in a month kept get theirs (`open_month`)."""
    current = month_of(timezone.now())
    kept = first_month() or current
    by_cell: dict[int, set[date]] = defaultdict(set)
    for cell_id, month in changed:
        by_cell[cell_id].add(month)
    touched: set[date] = set()
    paths: set[str] = set()
    # Cells with the same span are computed together: a guidance's fan-out changes one month
    # of thousands of cells.
    spans: dict[tuple[date, date], list[int]] = defaultdict(list)
    cells = Organisation.objects.filter(pk__in=by_cell).values_list("pk", "path")
    for cell_id, path in cells:
        changed_months = by_cell[cell_id]
        span = months(
            max(quarter_start(min(changed_months)), kept),
            min(max(quarter_end(m) for m in changed_months), current),
        )
        if not span:
            continue
        spans[(span[0], span[-1])].append(cell_id)
        touched.update(span)
        paths.update(Organisation(path=path).ancestor_paths())
    for (first, last), ids in spans.items():
        for start in range(0, len(ids), BATCH):
            _save(cell_months(ids[start : start + BATCH], first, last))
    _sum_committees(paths, touched)
    above = Organisation.objects.filter(path__in=paths).values_list("pk", flat=True)
    changed = [*by_cell, *above]
    transaction.on_commit(lambda: _changed([f"indicators:{pk}" for pk in changed]))
    open_month()


def _sum_committees(paths: Collection[str], touched: Collection[date]) -> None:
    """The rows of the committees at `paths` for the months `touched`, deepest first."""
    committees = Organisation.objects.filter(path__in=paths).order_by("-depth")
    for committee in committees.only("pk", "path", "depth"):
        children = MonthlyIndicators.objects.filter(
            organisation__path__startswith=committee.path,
            organisation__depth=committee.depth + 1,
            month__in=touched,
        ).values("month")
        _save(_sums(children, lambda row, pk=committee.pk: pk))


@transaction.atomic
def open_month(progress: Callable[[int], None] = lambda done: None) -> int:
    """Give every cell its row in each month kept that has none for it yet: the month just
    begun, before anything happens in it; the first months of a history; a cell added. Safe to
    repeat: a glance at the top committees' rows finds nothing missing (`chibo clock` runs it
    every hour). Returns the rows added; `progress` hears of each batch of cells."""
    current = month_of(timezone.now())
    span = months(first_month() or current, current)
    roots = Organisation.objects.filter(depth=1)
    expected = sum(roots.values_list("cell_count", flat=True))
    counted = dict(
        MonthlyIndicators.objects.filter(organisation__in=roots, month__in=span)
        .values_list("month")
        .annotate(n=Sum("cells"))
        .order_by()
    )
    added, paths, gaps = 0, set(), [month for month in span if counted.get(month, 0) < expected]
    for month in gaps:
        missing = list(
            Organisation.objects.cells()
            .exclude(monthly_indicators__month=month)
            .values_list("pk", "path")
        )
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            _save(cell_months([pk for pk, _path in batch], month, month))
            for _pk, path in batch:
                paths.update(Organisation(path=path).ancestor_paths())
            progress(len(batch))
        added += len(missing)
    _sum_committees(paths, gaps)
    if added:
        transaction.on_commit(lambda: _changed([EVERY]))
    return added


def version(org: Organisation) -> str:
    """What the organisation's rows are at: it changes once a write to a row of its subtree
    commits, so whatever is drawn from those rows can be kept under it."""
    keys = [EVERY, f"indicators:{org.pk}"]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:  # never set, or evicted: a new token, the first one set wins
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    return "-".join(found[key] for key in keys)


def _changed(keys: list[str]) -> None:
    token = uuid.uuid4().hex
    cache.set_many(dict.fromkeys(keys, token), timeout=None)


def rebuild(
    progress: Callable[[int], None] = lambda done: None,
    today: date | None = None,
    under: Organisation | None = None,
    workers: int = 1,
) -> int:
    """Recompute every row of `under`'s subtree (of the whole tree if None) from every record,
    up to the month of `today`, then the rows of the committees above it; `progress` hears of
    the cells done. Returns the number of rows written in the subtree.

    With `workers` above one, that many processes read the records and compute the cells' rows
    of each subtree below `under` (a province of a country) at once; this process writes them,
    all in one transaction, and sums the committees once. They read what is committed, so
    a caller inside a transaction keeps to one worker."""
    current = month_of(today or timezone.localdate())
    first = min(first_month() or current, current)
    subtree = Organisation.objects.all() if under is None else Organisation.objects.get_tree(under)
    parts = _parts(subtree, under, split=workers > 1)
    written = 0
    with _computed(parts, first, current, workers) as computed, transaction.atomic():
        MonthlyIndicators.objects.filter(organisation__in=subtree.values("pk")).delete()
        for rows, done in computed:
            written += bulk.load(MonthlyIndicators, ROW, rows)
            progress(done)
        written += _roll_up_committees(under)
        if under is not None:
            _sum_committees(under.ancestor_paths(), months(first, current))
        transaction.on_commit(lambda: _changed([EVERY]))
    return written


# A row of a cell as the rebuild writes it.
ROW = ["organisation_id", "month", *COUNTS]


def _parts(
    subtree: QuerySet[Organisation], under: Organisation | None, split: bool
) -> list[list[int]]:
    """The subtree's cells in path order, in one list; or, for workers, split by the children
    of the subtree's top (each a province of a country, or a city of a province)."""
    cells = list(subtree.filter(kind=Organisation.Kind.CELL).values_list("pk", "path"))
    if not split:
        return [[pk for pk, _path in cells]]
    top = under.path if under else "-" * Organisation.steplen  # the roots' length
    cut = len(top) + Organisation.steplen
    parts: dict[str, list[int]] = defaultdict(list)
    for pk, path in cells:
        parts[path[:cut]].append(pk)
    return list(parts.values())


@contextmanager
def _computed(
    parts: list[list[int]], first: date, last: date, workers: int
) -> Iterator[Iterator[tuple[list[tuple], int]]]:
    """The cells' rows of each part as tuples of ROW, with the number of cells they are for:
    computed here as they are asked for, or by `workers` processes started at once."""
    if workers <= 1:
        batches = [part[i : i + BATCH] for part in parts for i in range(0, len(part), BATCH)]
        yield ((_as_rows(batch, first, last), len(batch)) for batch in batches)
        return
    with forked(workers) as pool:
        futures = {pool.submit(_as_rows, part, first, last): len(part) for part in parts}
        yield ((future.result(), futures[future]) for future in as_completed(futures))


def _as_rows(cell_ids: list[int], first: date, last: date) -> list[tuple]:
    rows = []
    with bulk.uncollected():
        for start in range(0, len(cell_ids), BATCH):
            for row in cell_months(cell_ids[start : start + BATCH], first, last):
                rows.append(tuple(getattr(row, name) for name in ROW))
    return rows


def first_month() -> date | None:
    """The first month kept: that of the first meeting or voice, or of the first row if earlier
    (rows begin with the first month the installation opened, meetings or not)."""
    starts = Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True)[:1]
    rows = MonthlyIndicators.objects.order_by("month").values_list("month", flat=True)[:1]
    heard = Voice.objects.order_by("received_at").values_list("received_at", flat=True)[:1]
    found = [month_of(starts[0])] if starts else []
    found += [month_of(heard[0])] if heard else []
    found += list(rows)
    return min(found, default=None)


def _roll_up_committees(under: Organisation | None) -> int:
    """The rows of the committees of `under`'s subtree (of the tree), level by level from the
    deepest: each sums its children's rows, in one INSERT … SELECT … GROUP BY per level."""
    steplen = Organisation.steplen
    orgs = Organisation.objects.all() if under is None else Organisation.objects.get_tree(under)
    top = under.depth if under else 1
    deepest = orgs.order_by("-depth").values_list("depth", flat=True).first() or top
    table = MonthlyIndicators._meta.db_table
    tree = Organisation._meta.db_table
    counts = ", ".join(MonthlyIndicators._meta.get_field(c).column for c in COUNTS)
    sums = ", ".join(f"SUM(ind.{MonthlyIndicators._meta.get_field(c).column})" for c in COUNTS)
    written = 0
    with connection.cursor() as cursor:
        for depth in range(deepest - 1, top - 1, -1):
            cursor.execute(
                f"""INSERT INTO {table} (organisation_id, month, {counts})
                SELECT parent.id, ind.month, {sums}
                FROM {table} ind
                JOIN {tree} child ON child.id = ind.organisation_id
                JOIN {tree} parent ON parent.path = SUBSTR(child.path, 1, %s)
                WHERE child.depth = %s AND child.path LIKE %s
                GROUP BY parent.id, ind.month""",
                [steplen * depth, depth + 1, f"{under.path if under else ''}%"],
            )
            written += cursor.rowcount
    return written
