"""The demo's guidance on a small tree: issued every month from the province and the cities,
passed on by wards, taken up by strong cells more than by weak ones, in Khmer for the Khmer
hamlets, and counted in the monthly indicators."""

import random
import re
from collections import defaultdict
from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from chibo.conftest import child, make_member
from chibo.guidance.demo import generate_guidance
from chibo.guidance.models import Adoption, Guidance, Point
from chibo.lib.months import month_of, months
from chibo.meetings.demo import STRONG, WEAK, generate_history
from chibo.meetings.publishing import notice_content
from chibo.meetings.tests.test_demo_history import thirty_cells
from chibo.orgs.demo.names import KHMER_HAMLETS
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.quality.models import MonthlyIndicators
from chibo.quality.risks import cells_at_risk

NOW = datetime(2026, 6, 20, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam, this month's meetings held
TODAY = date(2026, 6, 20)
MONTHS = months(date(2025, 12, 1), date(2026, 7, 1))  # six months back, this one and the next
KHMER = re.compile("[\u1780-\u17ff]")
pytestmark = pytest.mark.time_machine(NOW)


@pytest.fixture
def demo(world):
    """Thirty cells in the ward, three Khmer hamlets in a commune of the city; six months of
    history with guidance, and the indicators rebuilt. Returns each cell's habit."""
    thirty_cells(world)
    commune = child(
        world.city, name="Đảng bộ xã Điền Công", kind="committee", level=world.ward.level
    )
    for i, hamlet in enumerate(KHMER_HAMLETS[:3]):
        cell = child(
            commune,
            name=f"Chi bộ {hamlet}",
            kind="cell",
            level=world.cell.level,
            category=Organisation.Category.VILLAGE,
        )
        for j in range(5):
            make_member(cell, f"Thạch Văn {i}-{j}")
    guidance = generate_guidance(random.Random(7), NOW, months=6)
    habits = {}

    def spy(cell, meeting, take):
        habits[cell.pk] = cell.habit
        return guidance.take_up(cell, meeting, take)

    generate_history(random.Random(7), NOW, months=6, progress=False, extra=spy)
    guidance.record()
    rollup.rebuild(today=TODAY)
    world.commune = commune
    world.habits = habits
    return world


def test_the_province_and_each_city_issue_guidance_every_month(demo):
    for committee in (demo.province, demo.city, demo.other_city):
        issued = Guidance.objects.published().filter(
            committee=committee, period=Guidance.Period.MONTH
        )
        assert sorted(issued.values_list("month", flat=True)) == MONTHS, committee
        for guidance in issued:
            assert 3 <= guidance.points.count() <= 5
            assert guidance.points.filter(required=True).exists()
            assert guidance.points.filter(required=False).exists() or committee != demo.city
            assert guidance.published_at < NOW
            assert month_of(guidance.published_at) < guidance.month or guidance.month > TODAY
    study = Point.objects.filter(guidance__committee=demo.province, kind=Point.Kind.STUDY)
    assert study.filter(title__contains="Nghị quyết 57-NQ/TW").exists()
    assert Point.objects.filter(title__contains="tư tưởng, đạo đức, phong cách Hồ Chí Minh")
    quarters = Guidance.objects.filter(committee=demo.province, period=Guidance.Period.QUARTER)
    assert set(quarters.values_list("month", flat=True)) == {
        date(2025, 10, 1),
        date(2026, 1, 1),
        date(2026, 4, 1),
        date(2026, 7, 1),
    }
    assert not Point.objects.filter(guidance__in=quarters).exclude(kind=Point.Kind.THEME)


def test_wards_pass_the_citys_guidance_on_with_points_of_their_own(demo):
    passed = Guidance.objects.filter(committee=demo.commune, passes_on__isnull=False)
    assert sorted(passed.values_list("month", flat=True)) == MONTHS
    for guidance in passed.select_related("passes_on__passes_on"):
        assert guidance.passes_on.committee == demo.city
        assert guidance.passes_on.month == guidance.month
        assert guidance.passes_on.passes_on.committee == demo.province
        assert 1 <= guidance.points.count() <= 2


def test_adoptions_are_items_of_the_cells_meeting_of_the_month(demo):
    adoptions = Adoption.objects.select_related("point__guidance", "meeting", "item")
    assert adoptions.on_agenda().count() > 100
    for adoption in adoptions:
        meeting = adoption.meeting
        assert meeting.cell_id == adoption.cell_id
        assert adoption.lineage == adoption.point.lineage
        assert month_of(meeting.starts_at) in adoption.point.guidance.months
        if adoption.item is None:
            assert adoption.reason and adoption.point.required
        else:
            assert adoption.item.meeting == meeting and not adoption.reason
    taken = adoptions.on_agenda()
    copied = [a for a in taken if a.item.title == a.point.title]
    own = [a for a in taken if a.item.title != a.point.title]
    assert copied and own
    assert adoptions.left_out().exists()
    # The notices show the agenda with the guidance taken up, as publishing would.
    meeting = taken.first().meeting
    assert meeting.notices.get().content == notice_content(meeting)


def test_strong_cells_take_required_guidance_up_more_than_weak_ones(demo):
    rows = MonthlyIndicators.objects.filter(
        organisation__kind=Organisation.Kind.CELL, guidance_required__gt=0
    )
    required, adopted = defaultdict(int), defaultdict(int)
    for cell, due, done in rows.values_list(
        "organisation", "guidance_required", "guidance_adopted"
    ):
        required[demo.habits[cell]] += due
        adopted[demo.habits[cell]] += done
    assert required[STRONG] and required[WEAK]
    strong = adopted[STRONG] / required[STRONG]
    weak = adopted[WEAK] / required[WEAK]
    assert strong > 0.9 and weak < 0.5
    assert sum(required.values()) > sum(adopted.values())


def test_some_cells_are_at_risk_for_leaving_guidance_out(demo):
    recent = months(date(2026, 4, 1), date(2026, 6, 1))
    with translation.override("en"):
        risks = cells_at_risk(demo.province, recent, TODAY)
    reasons = [reason for risk in risks for reason in risk.reasons]
    assert any(reason.startswith("Required guidance left out") for reason in reasons)


def test_the_khmer_hamlets_get_guidance_in_khmer_and_take_it_up_in_khmer(demo):
    hamlets = set(Organisation.objects.cells().filter(path__startswith=demo.commune.path))
    in_khmer = Guidance.objects.filter(committee=demo.commune, passes_on__isnull=True)
    assert sorted(in_khmer.values_list("month", flat=True)) == MONTHS
    for guidance in in_khmer:
        assert KHMER.search(guidance.title)
        assert set(guidance.audience()) == hamlets
        assert all(KHMER.search(point.title) for point in guidance.points.all())
    taken = Adoption.objects.on_agenda().filter(cell__in=hamlets).select_related("item")
    assert taken.exists()
    assert any(KHMER.search(a.item.title) for a in taken)
    others = Adoption.objects.exclude(cell__in=hamlets).select_related("item", "point")
    assert not any(KHMER.search(a.point.title) for a in others)
