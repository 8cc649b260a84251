"""The voices' indicators on a hand-made history: the counts of each month, the median read
from the buckets for a cell and for the committee above (the same whatever rows are summed),
what a rebuild finds, and a cell with overdue voices among the cells at risk."""

from datetime import UTC, date, datetime

from django.utils import translation

from chibo.quality import rollup
from chibo.quality.indicators import BY_KEY, shown, total
from chibo.quality.models import MonthlyIndicators
from chibo.quality.risks import cells_at_risk
from chibo.voices import handling
from chibo.voices.measures import FIELDS
from chibo.voices.tests.voices_data import clock, recorded, scope, standing

pytestmark = clock
OCT, NOV, DEC = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)


def day(month: int, d: int) -> datetime:
    return datetime(2026, month, d, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


def history(world) -> None:
    """October: one answered the next day, one after ten days (late), both resolved. November:
    one passed up to the ward, which resolves it after fifteen days. December: one unanswered,
    overdue on the 15th."""
    sec = scope(world.secretary)
    quick = recorded(world, at=day(10, 1))
    handling.answer(quick, "Đã nhận.", sec, at=day(10, 2))
    handling.resolve(quick, "Đã xong.", sec, at=day(10, 5))
    slow = recorded(world, at=day(10, 10))
    handling.answer(slow, "Đã nhận.", sec, at=day(10, 20))
    handling.resolve(slow, "Đã xong.", sec, at=day(10, 25))
    up = recorded(world, at=day(11, 5))
    handling.pass_up(up, "Cần phường.", sec, at=day(11, 6))
    hai = standing(world, world.ward, "Bùi Văn Hải", "hai")
    handling.resolve(up, "Phường đã làm.", scope(hai), at=day(11, 20))
    recorded(world, at=day(12, 1))


def counts(org, month) -> dict[str, int]:
    row = MonthlyIndicators.objects.get(organisation=org, month=month)
    return {name.removeprefix("voices_"): getattr(row, name) for name in FIELDS}


def test_each_month_counts_what_happened_in_it(world):
    history(world)
    zero = dict.fromkeys(name.removeprefix("voices_") for name in FIELDS)
    zero = dict.fromkeys(zero, 0)
    assert counts(world.cell, OCT) == {
        **zero,
        "received": 2,
        "answered": 2,
        "answered_on_time": 1,
        "answered_1d": 1,
        "answered_3d": 1,
        "answered_7d": 1,
        "answered_30d": 2,
    }
    assert counts(world.cell, NOV) == {
        **zero,
        "received": 1,
        "answered": 1,
        "answered_30d": 1,
        "passed_up": 1,
    }
    assert counts(world.cell, DEC) == {**zero, "received": 1, "overdue": 1}
    # The committees' rows are the sums of their cells'.
    for month in (OCT, NOV, DEC):
        assert counts(world.ward, month) == counts(world.cell, month)
        assert counts(world.province, month) == counts(world.cell, month)


def test_the_median_is_read_from_the_buckets_for_any_sum_of_rows(world):
    history(world)
    median = BY_KEY["voices_answer_days"]
    october = MonthlyIndicators.objects.get(organisation=world.cell, month=OCT)
    assert median.value(october) == 1.0
    rows = MonthlyIndicators.objects.filter(organisation=world.ward, month__in=[OCT, NOV, DEC])
    quarter = total(rows)
    assert median.value(quarter) == 30.0  # three answers: 1 day, 10 days, 15 days
    assert shown(median, median.value(quarter)) == "30 d"
    assert median.concern(30.0) and not median.concern(1.0)
    on_time = BY_KEY["voices_on_time"]
    assert on_time.value(quarter) == 1 / 3
    assert median.value(MonthlyIndicators(voices_answered=0)) is None


def test_a_rebuild_finds_what_the_handling_kept(world):
    history(world)
    kept = {
        (row.organisation_id, row.month): tuple(getattr(row, name) for name in FIELDS)
        for row in MonthlyIndicators.objects.all()
    }
    rollup.rebuild()
    rebuilt = {
        (row.organisation_id, row.month): tuple(getattr(row, name) for name in FIELDS)
        for row in MonthlyIndicators.objects.all()
    }
    assert rebuilt == kept


def test_a_cell_with_overdue_voices_is_at_risk_with_the_reason_in_words(world):
    history(world)
    with translation.override("en"):
        found = cells_at_risk(world.ward, [NOV], date(2026, 12, 15))
    reasons = {risk.cell_id: risk.reasons for risk in found}
    assert "1 voice of the people overdue for an answer" in reasons[world.cell.pk]
    assert world.sister_cell.pk not in reasons
