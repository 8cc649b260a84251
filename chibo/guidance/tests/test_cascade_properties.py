"""The merge of cascaded guidance, against a model written from the rule: a cell sees, for its
month, every point of the version in force of each guidance of the committees above it that
addresses it; the committees top first, each guidance's points in their order, each point with
the committee that wrote it. Any sequence of publications, corrections and pass-ons."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chibo.guidance import issuing
from chibo.guidance.cascade import addressed_to
from chibo.guidance.models import Guidance, Point
from chibo.guidance.tests.guidance_data import JANUARY
from chibo.orgs.models import Organisation

COMMITTEES = ["province", "city", "ward", "other_city"]
CATEGORIES = [[], [Organisation.Category.RESIDENTIAL], [Organisation.Category.VILLAGE]]
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("publish"),
            st.sampled_from(COMMITTEES),
            st.sampled_from(range(len(CATEGORIES))),
            st.integers(min_value=1, max_value=3),
        ),
        st.tuples(st.just("correct"), st.integers(0, 20), st.booleans(), st.just(0)),
        st.tuples(st.just("pass_on"), st.integers(0, 20), st.just(0), st.just(0)),
    ),
    min_size=1,
    max_size=8,
)


def in_force() -> list[Guidance]:
    return list(Guidance.objects.published().select_related("committee").order_by("pk"))


def expected(cell: Organisation, model: dict) -> set[tuple[str, str]]:
    """(committee, point) pairs the rule gives: the versions in force above the cell that
    address its kind."""
    found = set()
    for committee, categories, titles in model.values():
        above = cell.path.startswith(committee.path) and cell.pk != committee.pk
        if above and (not categories or cell.category in categories):
            found |= {(committee.name, title) for title in titles}
    return found


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=steps)
def test_every_cell_sees_what_the_rule_says_in_the_order_it_says(world, steps):
    with time_machine.travel(datetime(2026, 12, 15, 3, 0, tzinfo=UTC), tick=False):
        with transaction.atomic():
            model: dict = {}  # lineage -> (committee, categories, titles of the points)
            for n, (action, a, b, c) in enumerate(steps):
                published = in_force()
                if action == "publish":
                    committee = getattr(world, a)
                    guidance = Guidance.objects.create(
                        committee=committee, month=JANUARY, title=f"G{n}", categories=CATEGORIES[b]
                    )
                    titles = [f"{n}.{i}" for i in range(c)]
                    for title in titles:
                        issuing.add_point(guidance, kind=Point.Kind.TASK, title=title)
                    issuing.publish(guidance, by=None)
                    model[guidance.lineage] = (committee, CATEGORIES[b], titles)
                elif action == "correct" and published:
                    old = published[a % len(published)]
                    draft = issuing.correct(old, by=None)
                    draft.correction = "Bổ sung nội dung"
                    draft.save(update_fields=["correction"])
                    if b:  # a point added; the others kept
                        issuing.add_point(draft, kind=Point.Kind.TOPIC, title=f"{n}.new")
                    issuing.publish(draft, by=None)
                    committee, categories, titles = model[old.lineage]
                    model[old.lineage] = (committee, categories, titles + [f"{n}.new"] * b)
                elif action == "pass_on" and published:
                    source = published[a % len(published)]
                    below = [
                        getattr(world, name)
                        for name in COMMITTEES
                        if getattr(world, name).path.startswith(source.committee.path)
                        and getattr(world, name) != source.committee
                    ]
                    if not below:
                        continue
                    draft = issuing.pass_on(source, below[0], by=None)
                    if draft.status == Guidance.Status.DRAFT:
                        issuing.add_point(draft, kind=Point.Kind.TASK, title=f"{n}.p")
                        issuing.publish(draft, by=None)
                        model[draft.lineage] = (below[0], [], [f"{n}.p"])

            for cell in (world.cell, world.sister_cell, world.foreign_cell):
                merged = addressed_to(cell, JANUARY)
                got = [(a.committee.name, a.point.title) for a in merged]
                assert set(got) == expected(cell, model)
                assert len(got) == len(set(got))  # no point twice
                depths = [a.committee.depth for a in merged]
                assert depths == sorted(depths)  # top committee first
                for a, b in zip(merged, merged[1:], strict=False):
                    if a.guidance == b.guidance:
                        assert a.point.position < b.point.position
            transaction.set_rollback(True)
