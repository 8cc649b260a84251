"""The voices' monthly indicators on hand-made histories (issue 12): any history of a cell's
voices — received on some day, answered or not, passed up or not, resolved, declined or left
open, urgent or not — made through the process functions with the clock handed in, leaves the
cell's rows (and so the committees' above) counting what measures.py says they count, as
counted here again from the history alone; and a rebuild from the records finds the same.

The histories keep to one quarter, the tests' own (October to the clock's now, mid-December
2026), and are made with the clock standing at its now, as the hand-made history of
test_indicators.py is: each step recomputes the cell's quarter up to the current month. (A
history dated back across quarters would not be whole: a step's refresh stops at the end of
its quarter, where the process functions, always called at the clock's now, need no more.)"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chibo.quality import rollup
from chibo.quality.models import MonthlyIndicators
from chibo.voices import handling
from chibo.voices.models import Category, Voice
from chibo.voices.tests.voices_data import NOW, category, recorded, scope, standing

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo(django_settings.TIME_ZONE)
START = datetime(2026, 10, 1, tzinfo=LOCAL)  # the quarter's first moment, in Vietnam
MONTHS = [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
HOURS = int((NOW - START).total_seconds() // 3600)
# Two categories: one on the installation's times (by default 7 days to a first answer, 30 to
# resolve; 2 and 10 when urgent), one with its own.
TIMES = django_settings.CHIBO_VOICE_DAYS
DAYS = {"land_environment": (TIMES["answer"], TIMES["resolve"]), "economy": (3, 14)}
URGENT_DAYS = (TIMES["urgent_answer"], TIMES["urgent_resolve"])
FIELDS = [
    "received",
    "answered",
    "answered_on_time",
    "answered_1d",
    "answered_3d",
    "answered_7d",
    "answered_30d",
    "passed_up",
    "overdue",
]


@dataclass
class Told:
    """One voice of the history, its moments as hours after `START`."""

    received: int
    category: str
    urgent: bool
    answered: int | None  # its holder answers it
    passes: list[int]  # passed up: by the cell, then by the ward
    closed: tuple[str, int] | None  # resolved or declined


# The moments where a rule turns: the first of a month (its end for the month before), and
# whole days after a voice was received (its due moments, the answer-time buckets), an hour
# either side too. Steps are drawn there as often as anywhere.
MONTH_STARTS = [
    int((datetime(m.year, m.month, 1, tzinfo=LOCAL) - START).total_seconds() // 3600)
    for m in MONTHS[1:3]
]
KEY_DAYS = (0, 1, 2, 3, 7, 10, 14, 30)


def moment_after(draw, lower: int, around: int) -> int | None:
    """A moment from `lower` to the clock's now, or None (the step never came)."""
    if lower > HOURS or not draw(st.booleans()):
        return None
    turns = [
        hours
        for hours in [
            *MONTH_STARTS,
            *(around + 24 * days + shift for days in KEY_DAYS for shift in (-1, 0, 1)),
        ]
        if lower <= hours <= HOURS
    ]
    anywhere = st.integers(lower, HOURS)
    return draw(st.one_of(st.sampled_from(turns), anywhere) if turns else anywhere)


@st.composite
def told(draw) -> Told:
    due_at_a_turn = [start - 24 * days for start in MONTH_STARTS for days in KEY_DAYS]
    received = draw(st.one_of(st.sampled_from(due_at_a_turn), st.integers(0, HOURS)))
    answered = moment_after(draw, received, received)
    passes = []
    while len(passes) < 2 and (at := moment_after(draw, received, received)) is not None:
        passes.append(at)
    passes.sort()
    last = max([received, *passes, *([answered] if answered is not None else [])])
    closing = moment_after(draw, last, received)
    return Told(
        received=received,
        category=draw(st.sampled_from(sorted(DAYS))),
        urgent=draw(st.booleans()),
        answered=answered,
        passes=passes,
        closed=None
        if closing is None
        else (draw(st.sampled_from(["resolve", "decline"])), closing),
    )


def moment(hours: int) -> datetime:
    return START + timedelta(hours=hours)


def month_of(moment_: datetime) -> date:
    return moment_.astimezone(LOCAL).date().replace(day=1)


def expected(history: list[Told]) -> dict[date, dict[str, int]]:
    """Each month's counts, from the history alone, as issue 12 and measures.py define them."""
    found = {month: dict.fromkeys(FIELDS, 0) for month in MONTHS[:-1]}
    for voice in history:
        received = moment(voice.received)
        answer_days, resolve_days = DAYS[voice.category]
        if voice.urgent:
            answer_days = min(answer_days, URGENT_DAYS[0])
            resolve_days = min(resolve_days, URGENT_DAYS[1])
        answer_due = received + timedelta(days=answer_days)
        resolve_due = received + timedelta(days=resolve_days)
        # Closing it answers it, if nothing had.
        first = [h for h in (voice.answered, voice.closed and voice.closed[1]) if h is not None]
        answered = moment(min(first)) if first else None
        closed = moment(voice.closed[1]) if voice.closed else None
        found[month_of(received)]["received"] += 1
        if answered is not None:
            row = found[month_of(answered)]
            row["answered"] += 1
            row["answered_on_time"] += answered <= answer_due
            for days in (1, 3, 7, 30):
                row[f"answered_{days}d"] += answered - received <= timedelta(days=days)
        if voice.passes:  # only the cell's own passing up is the cell's
            found[month_of(moment(voice.passes[0]))]["passed_up"] += 1
        for month, following in zip(MONTHS, MONTHS[1:], strict=False):
            # The end of the month; for the month under way, the clock's now.
            end = min(datetime(following.year, following.month, 1, tzinfo=LOCAL), NOW)
            still_open = received < end and (closed is None or closed >= end)
            unanswered = answered is None or answered >= end
            if still_open and ((answer_due < end and unanswered) or resolve_due < end):
                found[month]["overdue"] += 1
    return found


def made(world, history: list[Told]) -> None:
    """The history through the process functions, every step in the order of the clock, each
    by one who handles the voice where it is then: the cell, the ward, the city."""
    hai = standing(world, world.ward, "Bùi Văn Hải", "hai")
    by = {world.cell.pk: scope(world.secretary), world.ward.pk: scope(hai)}
    admin = scope(world.admin)
    steps = []
    for n, voice in enumerate(history):
        steps.append((voice.received, 0, n, "record"))
        if voice.answered is not None:
            steps.append((voice.answered, 1, n, "answer"))
        steps += [(hours, 2, n, "pass_up") for hours in voice.passes]
        if voice.closed:
            steps.append((voice.closed[1], 3, n, voice.closed[0]))
    voices: dict[int, Voice] = {}
    for hours, _order, n, action in sorted(steps):
        at = moment(hours)
        if action == "record":
            told = history[n]
            urgency = Voice.Urgency.URGENT if told.urgent else Voice.Urgency.NORMAL
            voices[n] = recorded(world, at=at, category=category(told.category), urgency=urgency)
            continue
        voice = voices[n]
        voice.refresh_from_db()
        who = by.get(voice.holder_id, admin)
        getattr(handling, action)(voice, f"Ghi chú {action}.", who, at=at)


def counts(org, month: date) -> dict[str, int]:
    row = MonthlyIndicators.objects.filter(organisation=org, month=month).first()
    if row is None:
        return dict.fromkeys(FIELDS, 0)
    return {name: getattr(row, f"voices_{name}") for name in FIELDS}


# Each example makes a history through the database: its time is no failure, in any profile.
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=st.lists(told(), min_size=1, max_size=5))
def test_the_rows_count_what_happened_in_each_month(world, history):
    # Each example in a transaction rolled back: the world is shared, the voices are not.
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        Category.objects.filter(slug="economy").update(
            answer_days=DAYS["economy"][0], resolve_days=DAYS["economy"][1]
        )
        made(world, history)
        wanted = expected(history)
        for month, figures in wanted.items():
            assert counts(world.cell, month) == figures, month
            # The committees' rows are the sums of their cells': here, of the one cell.
            assert counts(world.ward, month) == figures, month
            assert counts(world.province, month) == figures, month
        assert counts(world.sister_cell, MONTHS[2]) == dict.fromkeys(FIELDS, 0)
        rollup.rebuild()
        assert {month: counts(world.cell, month) for month in wanted} == wanted
        transaction.set_rollback(True)
