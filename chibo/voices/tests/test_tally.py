"""The tally (decision 21) always agrees with counting the voices, whatever happens to them:
recorded in any cell and month, taken up, answered, passed up (moved up the tree), resolved,
declined, left at the public door and accepted or rejected; and the committee's summary reads
it, month by month over the last twelve."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chibo.conftest import make_member, make_user
from chibo.voices import door, handling, tally
from chibo.voices.handling import VoiceError
from chibo.voices.models import Category, Tally, Voice
from chibo.voices.tests.voices_data import NOW, category, recorded, scope

pytestmark = pytest.mark.django_db
SLUGS = ["land_environment", "economy", "other"]
HANDLED = ["start", "answer", "pass_up", "resolve", "decline"]

heard_in = st.tuples(
    st.just("record"),
    st.sampled_from(["cell", "sister_cell", "foreign_cell"]),
    st.sampled_from(SLUGS),
    st.integers(min_value=0, max_value=800),  # days before now
)
at_the_door = st.tuples(
    st.just("door"), st.sampled_from(["accept", "reject", "wait"]), st.sampled_from(SLUGS)
)
handled = st.tuples(st.sampled_from(HANDLED), st.integers(min_value=0, max_value=20))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.one_of(heard_in, at_the_door, handled), max_size=14))
def test_the_tally_agrees_with_counting_the_voices_after_any_changes(world, changes):
    # Each example in a transaction rolled back: the world is shared, the voices are not.
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        recorders = {
            "cell": world.member,
            "sister_cell": make_user(make_member(world.sister_cell, "Vũ Thị Hạnh"), "hanh"),
            "foreign_cell": world.outsider,
        }
        admin = scope(world.admin)
        for change in changes:
            if change[0] == "record":
                _kind, where, slug, days = change
                handling.record(
                    getattr(world, where),
                    scope(recorders[where]),
                    category=category(slug),
                    text="Đèn đường hỏng.",
                    at=NOW - timedelta(days=days),
                )
            elif change[0] == "door":
                voice = door.submit(world.cell, category=category(change[2]), text="Ngập nước.")
                if change[1] == "accept":
                    door.accept(voice, admin)
                elif change[1] == "reject":
                    door.reject(voice, "Không phù hợp.", admin)
            else:
                action, which = change
                voices = list(Voice.objects.order_by("pk"))
                if not voices:
                    continue
                voice = voices[which % len(voices)]
                try:
                    if action == "start":
                        handling.start(voice, admin)
                    else:
                        getattr(handling, action)(voice, "Ghi chú.", admin)
                except VoiceError:
                    pass  # refused: nothing changed, which the comparison checks too
            assert tally.kept() == tally.counted()
        transaction.set_rollback(True)


def test_a_rebuild_gives_what_was_kept(world):
    with time_machine.travel(NOW, tick=False):
        voice = recorded(world)
        recorded(world, category=category("economy"), at=NOW - timedelta(days=400))
        handling.resolve(voice, "Đã xong.", scope(world.secretary))
        kept = tally.kept()
        Tally.objects.all().delete()
        tally.rebuild()
    assert tally.kept() == kept == tally.counted()
    # The cell, the ward, the city and the province each count both voices.
    assert sum(kept.values()) == 2 * 4


def test_the_summary_counts_this_month_and_the_eleven_before(world):
    with time_machine.travel(NOW, tick=False):
        recorded(world, at=NOW.replace(day=1) - timedelta(days=330))  # January 2026: counted
        recorded(world, at=NOW.replace(day=1) - timedelta(days=340))  # December 2025: not
        page = world.client("committee").get(f"/voices/summary/{world.city.code}/")
    land = Category.objects.get(slug="land_environment")
    assert [(c, row["n"], row["open"]) for c, row in page.context["categories"]] == [(land, 1, 1)]
