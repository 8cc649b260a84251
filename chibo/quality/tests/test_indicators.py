"""Indicators from small hand-made histories, the expected values worked out in each test."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from chibo.meetings import holding
from chibo.meetings.models import ActionItem, Meeting, Step
from chibo.meetings.tests.holding_data import complete_records
from chibo.quality import rollup
from chibo.quality.indicators import BY_KEY, total
from chibo.quality.models import MeetingScore, MonthlyIndicators
from chibo.quality.tests.history import held, task

MAI, SON = "Nguyễn Thị Mai", "Trần Văn Sơn"
VU, CUONG = "Lê Văn Vũ", "Phạm Quốc Cường"
SEP, OCT, NOV, DEC = (date(2026, month, 1) for month in (9, 10, 11, 12))
# The histories are of last autumn: December has begun, whatever the day the tests run.
pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


def value(org, month: date, key: str):
    row = MonthlyIndicators.objects.get(organisation=org, month=month)
    return BY_KEY[key].value(row)


@pytest.fixture
def history(world):
    """September: the cell meets fully, prepared, with talk and self-criticism; its sister cell
    meets with half its members. October: the cell holds only a thematic meeting, late, with
    one member absent without a reason; the sister cell does not meet."""
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


def rows() -> list[dict]:
    return [
        {k: v for k, v in row.items() if k != "id"}
        for row in MonthlyIndicators.objects.order_by("organisation", "month").values()
    ]


def test_a_meeting_closed_after_the_rebuild_reaches_every_level_at_once(history):
    held(history.sister_cell, date(2026, 10, 20), [VU, CUONG])
    assert value(history.sister_cell, OCT, "regular") == 1
    assert value(history.ward, OCT, "regular") == 1 / 2
    assert value(history.province, OCT, "attendance") == (1 + 2) / (2 + 2)
    live = rows()
    rollup.rebuild()
    assert live == rows()


def _adopted(meeting: Meeting, deadline: date):
    """A resolution of `meeting` with one task, adopted by a vote of everyone present."""
    holding.record_vote(meeting, "Nghị quyết", 2, 0, 0)
    draft = holding.save_resolution(
        meeting,
        None,
        {"assessment": "", "assignment": "", "quality": ""},
        [{"what": "Thu gom rác thải", "owner": None, "deadline": deadline}],
    )
    holding.adopt_resolution(draft, meeting.votes.get())
    return draft


def test_a_correction_that_moves_a_deadline_recounts_both_months(world):
    """The task falls due in September, then a correction moves it to November: September
    counts nothing due any more, November one task."""
    august = held(world.cell, date(2026, 8, 20), [MAI, SON], close=False)
    adopted = _adopted(august, date(2026, 9, 25))
    holding.close_meeting(august)
    assert MonthlyIndicators.objects.get(organisation=world.cell, month=SEP).tasks_due == 1
    draft = holding.correct(adopted, "Lùi thời hạn")
    task = draft.tasks.get()
    row = {"position": task.position, "what": task.what, "owner": None}
    holding.save_resolution(august, draft, {}, [{**row, "deadline": date(2026, 11, 20)}])
    holding.adopt_resolution(draft, None)
    due = dict(
        MonthlyIndicators.objects.filter(organisation=world.cell).values_list("month", "tasks_due")
    )
    assert (due[SEP], due[NOV]) == (0, 1)
    assert ActionItem.objects.get().deadline == date(2026, 11, 20)
    assert value(world.ward, NOV, "tasks") == 0 / 1
    live = rows()
    rollup.rebuild()
    assert live == rows()


def test_records_published_late_reach_the_meetings_judged_against_them(world):
    """October's minutes copy September's; while September's are unpublished there is nothing
    to compare with. Publishing them flags October's meeting, in October's row."""
    text = " ".join(["Chi bộ bàn việc thu gom rác thải và giữ vệ sinh đường làng."] * 4)
    meetings = [
        held(world.cell, day, [MAI, SON], comments=(MAI,), close=False)
        for day in (date(2026, 9, 10), date(2026, 10, 8))
    ]
    for meeting in meetings:
        item = meeting.agenda_items.get(step=Step.DISCUSSION)
        minutes = holding.save_minutes(meeting, None, {str(item.position): text}, None)
        holding.approve_minutes(minutes)
        complete_records(meeting)  # rule 10: the resolution is published with the minutes
        holding.close_meeting(meeting)
    september, october = meetings
    holding.publish_records(october)
    assert MonthlyIndicators.objects.get(organisation=world.cell, month=OCT).formal == 0
    holding.publish_records(september)
    assert MonthlyIndicators.objects.get(organisation=world.cell, month=OCT).formal == 1
    assert MonthlyIndicators.objects.get(organisation=world.ward, month=OCT).formal == 1


def test_each_month_opens_with_a_row_for_every_cell(history):
    """December has begun: every cell counts as a cell of the month before anything happens
    in it, so a committee's rate of regular meetings has all its cells below it."""
    MonthlyIndicators.objects.filter(month=DEC).delete()
    out = StringIO()
    call_command("quality", "month", stdout=out)
    assert "3" in out.getvalue()
    ward = MonthlyIndicators.objects.get(organisation=history.ward, month=DEC)
    assert (ward.cells, ward.regular_held) == (2, 0)
    live = rows()
    rollup.rebuild()
    assert live == rows()
    assert rollup.open_month() == 0, "a second run finds every cell's row there"


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
