"""The demo's voices on a small tree: heard every month, in Khmer in the Khmer hamlets, answered
in time by strong cells more than by weak ones, some passed up and settled above, some overdue
in weak cells; their steps agree with their state; counted in the monthly rows."""

import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Count, Sum
from django.utils import translation

from chibo.conftest import child, make_member
from chibo.lib.months import month_of
from chibo.meetings.demo import STRONG, WEAK, generate_history
from chibo.meetings.models import Meeting
from chibo.meetings.tests.test_demo_history import thirty_cells
from chibo.orgs.demo.names import KHMER_HAMLETS
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.quality.models import MonthlyIndicators
from chibo.quality.risks import cells_at_risk
from chibo.voices.demo import VoiceDemo
from chibo.voices.models import Step, Voice

NOW = datetime(2026, 6, 20, 3, 0, tzinfo=UTC)
TODAY = date(2026, 6, 20)
KHMER = re.compile("[\u1780-\u17ff]")
pytestmark = pytest.mark.time_machine(NOW, tick=False)


@pytest.fixture
def demo(world):
    thirty_cells(world)
    commune = child(
        world.city, name="Đảng bộ xã Điền Công", kind="committee", level=world.ward.level
    )
    for i, hamlet in enumerate(KHMER_HAMLETS[:3]):
        cell = child(commune, name=f"Chi bộ {hamlet}", kind="cell", level=world.cell.level)
        for j in range(5):
            make_member(cell, f"Thạch Văn {i}-{j}")
    voices = VoiceDemo(random.Random(7), NOW, months=6)
    generate_history(
        random.Random(7), NOW, months=6, progress=False, extra=voices.watching(lambda *a: [])
    )
    assert voices.record() == Voice.everything.count() > 0
    rollup.rebuild(today=TODAY)
    world.habits = voices.habits
    world.commune = commune
    return world


def test_voices_are_heard_every_month_and_in_khmer_in_the_khmer_hamlets(demo):
    months = {month_of(at) for at in Voice.objects.values_list("received_at", flat=True)}
    assert len(months) == 7 and max(months) == date(2026, 6, 1)
    assert not Voice.objects.filter(received_at__gte=NOW).exists()
    hamlets = Voice.objects.filter(cell__path__startswith=demo.commune.path)
    assert hamlets.exists() and all(KHMER.search(v.text) for v in hamlets)
    others = Voice.objects.exclude(cell__path__startswith=demo.commune.path)
    assert not any(KHMER.search(v.text) for v in others)


def test_steps_agree_with_each_voices_state(demo):
    assert not Step.objects.filter(at__gt=NOW).exists()
    for voice in Voice.objects.prefetch_related("steps").select_related("cell"):
        steps = list(voice.steps.all())
        assert steps[0].kind == Step.Kind.RECORDED and steps[0].at == voice.received_at
        ups = [s for s in steps if s.kind == Step.Kind.PASSED_UP]
        assert voice.holder_id == (ups[-1].to_org_id if ups else voice.cell_id)
        assert voice.cell.path.startswith(voice.holder.path)
        closed = [s for s in steps if s.kind == Step.Kind.RESOLVED]
        assert bool(closed) == (voice.state == Voice.State.RESOLVED)
        assert voice.resolved_at == (closed[0].at if closed else None)
        answered = [s.at for s in steps if s.kind in (Step.Kind.ANSWERED, Step.Kind.RESOLVED)]
        assert voice.first_answered_at == (answered[0] if answered else None)
        assert [s.at for s in steps] == sorted(s.at for s in steps)


def test_strong_cells_answer_in_time_more_than_weak_ones_and_weak_ones_leave_voices_overdue(demo):
    def on_time(habit) -> float:
        cells = [pk for pk, h in demo.habits.items() if h is habit]
        rows = MonthlyIndicators.objects.filter(organisation__in=cells).aggregate(
            answered=Sum("voices_answered"), on_time=Sum("voices_answered_on_time")
        )
        return rows["on_time"] / rows["answered"]

    assert on_time(STRONG) > 0.9 > on_time(WEAK)
    overdue = Voice.objects.overdue(NOW).values("cell_id").annotate(n=Count("pk"))
    weak = {pk for pk, h in demo.habits.items() if h is WEAK}
    assert weak & {row["cell_id"] for row in overdue}
    with translation.override("en"):
        at_risk = cells_at_risk(demo.province, [date(2026, 5, 1)], TODAY)
    said = [r for risk in at_risk for r in risk.reasons if "overdue for an answer" in r]
    assert said


def test_some_are_passed_up_and_settled_by_the_ward_or_the_city(demo):
    settled_above = Voice.objects.filter(state=Voice.State.RESOLVED).exclude(
        holder__kind=Organisation.Kind.CELL
    )
    assert settled_above.filter(holder=demo.ward).exists()
    assert Step.objects.filter(kind=Step.Kind.PASSED_UP, to_org=demo.city).exists() or (
        settled_above.count() < 10
    )
    row = MonthlyIndicators.objects.filter(organisation=demo.province).aggregate(
        received=Sum("voices_received"), passed=Sum("voices_passed_up")
    )
    assert row["received"] == Voice.objects.count() and 0 < row["passed"] < row["received"]


def test_some_are_raised_at_the_cells_meetings_and_minuted(demo):
    at_meetings = Voice.objects.filter(meeting__isnull=False).select_related("meeting")
    assert 0.1 < at_meetings.count() / Voice.objects.count() < 0.4
    for voice in at_meetings:
        assert voice.meeting.cell_id == voice.cell_id
        assert voice.meeting.status == Meeting.Status.CLOSED
        assert voice.meeting.starts_at < voice.received_at < NOW


def test_citizens_left_a_handful_at_the_door_of_a_vietnamese_and_a_khmer_cell(demo):
    door = Voice.everything.filter(tracking_code__isnull=False)
    cells = {voice.cell for voice in door}
    assert len(cells) == 2 and any(c.path.startswith(demo.commune.path) for c in cells)
    for cell in cells:
        here = door.filter(cell=cell)
        khmer = cell.path.startswith(demo.commune.path)
        assert all(bool(KHMER.search(v.text)) == khmer for v in here)
        assert here.filter(moderation=Voice.Moderation.ACCEPTED).count() >= 3
        (waiting,) = here.filter(moderation=Voice.Moderation.WAITING)
        assert waiting.received_at > NOW - timedelta(days=1)
        (rejected,) = here.filter(moderation=Voice.Moderation.REJECTED)
        reason = rejected.steps.get(kind=Step.Kind.REJECTED).text
        assert reason and bool(KHMER.search(reason)) == khmer
        assert len({v.tracking_code for v in here}) == here.count()
        for voice in here.filter(moderation=Voice.Moderation.ACCEPTED):
            kinds = list(voice.steps.values_list("kind", flat=True))
            assert kinds[:3] == [Step.Kind.RECORDED, Step.Kind.ACCEPTED, Step.Kind.ANSWERED]
    # Only the accepted ones count; the waiting and the rejected are in no inbox.
    assert not Voice.objects.filter(moderation__in=["waiting", "rejected"]).exists()
