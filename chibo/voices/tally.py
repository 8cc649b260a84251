"""The voices' tally (`Tally`): per organisation, month received, category and open or closed,
how many heard voices its subtree holds (decision 21).

The functions that change voices say here what they changed: a voice heard (recorded, or
accepted at the public door) and a voice closed. Taking it up, answering and passing it up
change neither its cell, its month, its category nor whether it is open, so nothing here.
A bulk load (the demo, the benchmark) writes voices without these functions and calls
`rebuild` after.
"""

from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from chibo.lib import bulk
from chibo.lib.months import month_of
from chibo.orgs.models import Organisation
from chibo.voices.models import Tally, Voice

FIELDS = ["organisation_id", "month", "category_id", "open", "n"]


def heard(voice: Voice) -> None:
    """A voice now counted: recorded by a member, or accepted at the public door."""
    _add(voice, open_=voice.is_open, n=1)


def closed(voice: Voice) -> None:
    """A voice counted as open now resolved or declined."""
    _add(voice, open_=True, n=-1)
    _add(voice, open_=False, n=1)


def _add(voice: Voice, open_: bool, n: int) -> None:
    """`n` more in the row of the voice's cell and of every organisation above it: one
    statement, the rows found by their paths (no organisation read first)."""
    path = voice.cell.path
    paths = [path[:end] for end in range(Organisation.steplen, len(path) + 1, Organisation.steplen)]
    table, orgs = Tally._meta.db_table, Organisation._meta.db_table
    marks = ", ".join(["%s"] * len(paths))
    sql = (
        f"INSERT INTO {table} (organisation_id, month, category_id, open, n) "
        f"SELECT id, %s, %s, %s, %s FROM {orgs} WHERE path IN ({marks}) "
        f"ON CONFLICT (organisation_id, month, category_id, open) "
        f"DO UPDATE SET n = {table}.n + excluded.n"
    )
    params = [month_of(voice.received_at), voice.category_id, open_, n, *paths]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def counts(org: Organisation, since: date) -> dict[int, dict[str, int]]:
    """For each category, the voices of the organisation's subtree received from the month
    `since` on, and how many of them are open: one query over its own rows."""
    found: dict[int, dict[str, int]] = {}
    rows = Tally.objects.filter(organisation=org, month__gte=since).values_list(
        "category_id", "open", "n"
    )
    for category_id, open_, n in rows:
        row = found.setdefault(category_id, {"n": 0, "open": 0})
        row["n"] += n
        row["open"] += n if open_ else 0
    return {pk: row for pk, row in found.items() if row["n"]}


def counted() -> Counter:
    """The tally as counting the voices gives it, keyed by (organisation, month, category,
    open): what `rebuild` writes, and what the tests compare the kept tally with."""
    local = timezone.get_current_timezone()
    by_cell = (
        Voice.objects.annotate(month=TruncMonth("received_at", tzinfo=local))
        .values_list("cell__path", "month", "category_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ids = dict(Organisation.objects.values_list("path", "pk"))
    found: Counter = Counter()
    steplen = Organisation.steplen
    for path, month, category_id, state, n in by_cell:
        month = month.date() if hasattr(month, "date") else month
        open_ = state not in Voice.CLOSED
        for end in range(steplen, len(path) + 1, steplen):
            found[(ids[path[:end]], month, category_id, open_)] += n
    return found


def kept() -> Counter:
    return Counter(
        {
            (org, month, category, open_): n
            for org, month, category, open_, n in Tally.objects.values_list(*FIELDS)
            if n
        }
    )


@transaction.atomic
def rebuild() -> int:
    """The whole tally again from the voices, after a bulk load; returns the rows written."""
    rows = [(*key, n) for key, n in counted().items()]
    Tally.objects.all().delete()
    return bulk.load(Tally, FIELDS, rows)
