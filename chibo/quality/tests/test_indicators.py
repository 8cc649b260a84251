"""Indicators from small hand-made histories, the expected values worked out in each test."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from chibo.meetings.models import Meeting
from chibo.quality import rollup
from chibo.quality.indicators import BY_KEY, total
from chibo.quality.models import MeetingScore, MonthlyIndicators
from chibo.quality.tests.history import held, task

MAI, SON = "Nguyễn Thị Mai", "Trần Văn Sơn"
VU, CUONG = "Lê Văn Vũ", "Phạm Quốc Cường"
SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


def value(org, month: date, key: str):
    row = MonthlyIndicators.objects.get(organisation=org, month=month)
    return BY_KEY[key].value(row)


@pytest.fixture
def history(world, django_capture_on_commit_callbacks):
    """September: the cell meets fully, prepared, with talk and self-criticism; its sister cell
    meets with half its members. October: the cell holds only a thematic meeting, late, with
    one member absent without a reason; the sister cell does not meet."""
    with django_capture_on_commit_callbacks(execute=True):
        _make_history(world)
    rollup.rebuild()
    return world


def _make_history(world) -> None:
    september = held(
        world.cell,
        date(2026, 9, 10),
        [MAI, SON],
        comments=(MAI, MAI, SON),
        situation="Đồng chí Mai tự phê bình",
    )
    held(world.sister_cell, date(2026, 9, 12), [VU], notice_hours=None)
    held(
        world.cell, date(2026, 10, 8), [MAI], kind=Meeting.Kind.THEMATIC, notice_hours=12, late=True
    )
    task(september, date(2026, 9, 30), done_on=date(2026, 9, 28))
    task(september, date(2026, 9, 30), done_on=date(2026, 10, 5))
    task(september, date(2026, 10, 15), done_on=None)
    MeetingScore.objects.create(meeting=september, role="cell", points={}, total=80, grade="fair")
    MeetingScore.objects.create(
        meeting=september, role="committee", points={}, total=70, grade="fair"
    )


def test_a_cells_month_counts_what_its_records_say(history):
    cell = history.cell
    assert value(cell, SEP, "regular") == 1
    assert value(cell, SEP, "attendance") == 2 / 2
    assert value(cell, SEP, "lead_time") == 48
    assert value(cell, SEP, "comments") == 3 / 2
    assert value(cell, SEP, "speakers") == 2 / 2
    assert value(cell, SEP, "self_criticism") == 1
    # One task done by its deadline of the two due in September; the committee's 70 stands.
    assert value(cell, SEP, "tasks") == 1 / 2
    assert value(cell, SEP, "grade") == 70
    # A quarter (July–September) without a thematic meeting.
    assert value(cell, SEP, "thematic") == 0


def test_a_thematic_meeting_counts_for_its_whole_quarter_but_not_as_a_regular_one(history):
    cell = history.cell
    assert value(cell, OCT, "regular") == 0
    assert value(cell, OCT, "thematic") == 1
    assert value(cell, NOV, "thematic") == 1
    assert value(cell, OCT, "attendance") == 1 / 2
    assert value(cell, OCT, "lead_time") == 12
    assert value(cell, OCT, "tasks") == 0 / 1
    assert value(cell, OCT, "grade") is None
    assert value(cell, OCT, "self_criticism") == 0


def test_the_formalism_detector_counts_meetings_where_no_member_spoke(history):
    # September: Mai spoke beside the secretary; October: nobody commented at all.
    rows = MonthlyIndicators.objects.filter(organisation=history.cell)
    assert rows.get(month=SEP).formal == 0
    assert rows.get(month=OCT).formal == 1
    assert MonthlyIndicators.objects.get(organisation=history.ward, month=SEP).formal == 1, (
        "the sister cell's September meeting, where no one commented"
    )


def test_a_committee_sums_its_cells(history):
    ward, city = history.ward, history.city
    assert value(ward, SEP, "regular") == 2 / 2
    assert value(ward, SEP, "attendance") == (2 + 1) / (2 + 2)
    # Only the cell sent a notice: the lead time averages over meetings that had one.
    assert value(ward, SEP, "lead_time") == 48
    assert value(ward, OCT, "regular") == 0 / 2
    assert value(ward, OCT, "thematic") == 1 / 2
    rows = MonthlyIndicators.objects.filter(month=SEP)
    assert rows.get(organisation=city).present == rows.get(organisation=ward).present == 3
    # The other city's cell held nothing: its committees count it as a cell that did not meet.
    other = rows.get(organisation=history.other_city)
    assert (other.cells, other.regular_held) == (1, 0)
    province = rows.get(organisation=history.province)
    assert (province.cells, province.regular_held) == (3, 2)


def test_changes_after_the_rebuild_reach_every_level_when_they_commit(
    history, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held(history.sister_cell, date(2026, 10, 20), [VU, CUONG])
    assert value(history.sister_cell, OCT, "regular") == 1
    assert value(history.ward, OCT, "regular") == 1 / 2
    assert value(history.province, OCT, "attendance") == (1 + 2) / (2 + 2)
    incremental = list(MonthlyIndicators.objects.order_by("organisation", "month").values())
    rollup.rebuild()
    rebuilt = list(MonthlyIndicators.objects.order_by("organisation", "month").values())
    strip = [{k: v for k, v in row.items() if k != "id"} for row in incremental]
    assert strip == [{k: v for k, v in row.items() if k != "id"} for row in rebuilt]


def test_a_transaction_recomputes_once_whatever_it_touched(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        held(world.cell, date(2026, 9, 10), [MAI, SON], comments=(MAI, SON))
        held(world.sister_cell, date(2026, 9, 11), [VU])
    assert len(callbacks) == 1
    assert value(world.ward, SEP, "attendance") == (2 + 1) / (2 + 2)


def test_a_quarter_adds_up_its_months(history):
    rows = MonthlyIndicators.objects.filter(organisation=history.cell, month__in=[SEP, OCT])
    quarter = total(rows)
    assert BY_KEY["attendance"].value(quarter) == (2 + 1) / (2 + 2)
    assert BY_KEY["regular"].value(quarter) == 1 / 2


def test_the_rebuild_command_reports_what_it_wrote(history):
    out, err = StringIO(), StringIO()
    call_command("quality", "rebuild", stdout=out, stderr=err)
    rows = MonthlyIndicators.objects.count()
    assert f"{rows} " in out.getvalue()
    assert "3/3" in err.getvalue(), "a progress bar over the three cells"
