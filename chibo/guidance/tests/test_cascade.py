"""Guidance cascading down the tree: what a cell sees for a month, and versions."""

from datetime import UTC, datetime

import pytest

from chibo.guidance import issuing
from chibo.guidance.cascade import addressed_to
from chibo.guidance.models import Guidance
from chibo.guidance.tests.guidance_data import JANUARY, issued
from chibo.orgs.models import Organisation

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


def titles(cell, month=JANUARY) -> list[tuple[str, str]]:
    return [(a.committee.name, a.point.title) for a in addressed_to(cell, month)]


def test_it_merges_the_guidance_of_every_committee_above_top_first(world):
    city = issued(world.city, points=(("Thành phố 1", True), ("Thành phố 2", False)))
    issued(world.province, points=(("Tỉnh 1", True),))
    issued(world.ward, passes_on=city, points=(("Phường 1", False),))

    assert titles(world.cell) == [
        (world.province.name, "Tỉnh 1"),
        (world.city.name, "Thành phố 1"),
        (world.city.name, "Thành phố 2"),
        (world.ward.name, "Phường 1"),
    ]
    # Another city's cell hears only the province.
    assert titles(world.foreign_cell) == [(world.province.name, "Tỉnh 1")]
    # Nor does guidance for another month reach January.
    assert titles(world.cell, JANUARY.replace(month=2)) == []


def test_drafts_reach_nobody(world):
    issued(world.city, publish=False)

    assert titles(world.cell) == []


def test_a_quarters_guidance_reaches_each_of_its_months(world):
    issued(world.city, period=Guidance.Period.QUARTER, points=(("Chuyên đề quý", False),))

    for month in (1, 2, 3):
        assert titles(world.cell, JANUARY.replace(month=month)) == [
            (world.city.name, "Chuyên đề quý")
        ]
    assert titles(world.cell, JANUARY.replace(month=4)) == []


def test_it_addresses_only_the_kinds_of_cell_and_the_parts_chosen(world):
    villages = issued(world.province, categories=[Organisation.Category.VILLAGE])
    assert titles(world.cell) == []
    assert [a.guidance for a in addressed_to(world.foreign_cell, JANUARY)] == [villages]

    only_sister = issued(world.ward, publish=False, points=(("Riêng khu 2", True),))
    only_sister.parts.set([world.sister_cell])
    issuing.publish(only_sister, by=None)
    assert titles(world.cell) == []
    assert titles(world.sister_cell) == [(world.ward.name, "Riêng khu 2")]


def test_it_addresses_cells_under_committees_of_the_levels_chosen(world):
    guidance = issued(world.province, publish=False)
    guidance.levels.set([world.ward.level])
    issuing.publish(guidance, by=None)

    assert len(addressed_to(world.cell, JANUARY)) == 1
    assert list(guidance.audience()) == [world.cell, world.sister_cell, world.foreign_cell]


def test_a_correction_replaces_the_version_in_force_and_keeps_the_points_lineage(world):
    first = issued(world.city, points=(("Học tập 57", True),))
    draft = issuing.correct(first, by=None)
    assert issuing.correct(first, by=None) == draft  # one correction at a time
    point = draft.points.get()
    point.title = "Học tập Nghị quyết 57-NQ/TW và 66-NQ/TW"
    point.save()
    draft.correction = "Thêm Nghị quyết 66-NQ/TW"
    draft.save(update_fields=["correction"])

    assert titles(world.cell) == [(world.city.name, "Học tập 57")]  # the draft changes nothing
    assert issuing.publish(draft, by=None) == first

    first.refresh_from_db()
    assert (first.status, draft.version) == (Guidance.Status.CORRECTED, 2)
    assert titles(world.cell) == [(world.city.name, "Học tập Nghị quyết 57-NQ/TW và 66-NQ/TW")]
    assert point.lineage == first.points.get().lineage


@pytest.mark.parametrize(
    "change",
    ["publish_again", "add_point", "past_month", "no_points", "pass_on_upwards", "pass_on_draft"],
)
def test_it_refuses_what_guidance_may_not_do_and_changes_nothing(world, change):
    published = issued(world.city)
    draft = issued(world.ward, publish=False, points=())
    before = list(Guidance.objects.values_list("pk", "status", "version").order_by("pk"))
    attempts = {
        "publish_again": lambda: issuing.publish(published, by=None),
        "add_point": lambda: issuing.add_point(published, kind="task", title="Thêm"),
        "past_month": lambda: issuing.publish(
            issued(world.ward, JANUARY.replace(year=2026, month=11), publish=False), by=None
        ),
        "no_points": lambda: issuing.publish(draft, by=None),
        "pass_on_upwards": lambda: issuing.pass_on(published, world.province, by=None),
        "pass_on_draft": lambda: issuing.pass_on(draft, world.ward, by=None),
    }
    with pytest.raises(issuing.GuidanceError):
        attempts[change]()

    after = Guidance.objects.values_list("pk", "status", "version").order_by("pk")
    assert [row for row in after if row[0] in {pk for pk, *_ in before}] == before
