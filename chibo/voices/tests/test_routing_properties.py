"""Properties of routing and timing, from rule 15's text: passing up always lands on the
organisation directly above; never past the root; every step recorded; due dates follow the
category and urgency; a voice is overdue exactly when a due date passed unmet."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chibo.orgs.models import Organisation
from chibo.voices import handling
from chibo.voices.handling import VoiceError
from chibo.voices.models import Category, Step, Voice
from chibo.voices.tests.voices_data import NOW, recorded, scope

pytestmark = pytest.mark.django_db
ACTIONS = ["start", "answer", "pass_up", "resolve", "decline"]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from(ACTIONS), max_size=8))
def test_routing_lands_on_the_parent_never_past_the_root_and_every_step_is_kept(world, actions):
    # Each example in a transaction rolled back: the world is shared, the voices are not.
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        voice = recorded(world)
        admin = scope(world.admin)
        done = 1
        for action in actions:
            voice.refresh_from_db()
            before = (voice.holder, voice.state)
            try:
                if action == "start":
                    handling.start(voice, admin)
                else:
                    getattr(handling, action)(voice, "Ghi chú.", admin)
            except VoiceError:
                voice.refresh_from_db()
                assert (voice.holder, voice.state) == before
                # Refused only for a reason: closed, already taken up, or at the top.
                assert (
                    before[1] in Voice.CLOSED
                    or (action == "start" and before[1] == Voice.State.IN_PROGRESS)
                    or (action == "pass_up" and before[0].depth == 1)
                )
                continue
            done += 1
            voice.refresh_from_db()
            if action == "pass_up":
                assert voice.holder.path == before[0].path[: -Organisation.steplen]
                step = voice.steps.order_by("-pk").first()
                assert (step.by_org, step.to_org) == (before[0], voice.holder)
            else:
                assert voice.holder == before[0]
        assert voice.steps.count() == done
        assert voice.holder.depth >= 1 and voice.cell.path.startswith(voice.holder.path)
        passed = voice.steps.filter(kind=Step.Kind.PASSED_UP).count()
        assert voice.holder.depth == world.cell.depth - passed
        transaction.set_rollback(True)


@settings(max_examples=40)
@given(
    answer_days=st.one_of(st.none(), st.integers(1, 60)),
    resolve_extra=st.integers(0, 60),
    urgent=st.booleans(),
    offset_hours=st.integers(0, 24 * 100),
    answered_after=st.one_of(st.none(), st.integers(0, 24 * 100)),
)
def test_due_dates_and_overdue_follow_the_rule(
    answer_days, resolve_extra, urgent, offset_hours, answered_after
):
    category = Category(
        answer_days=answer_days,
        resolve_days=(answer_days or 7) + resolve_extra if answer_days else None,
    )
    answer_due, resolve_due = category.due_dates(NOW, urgent)
    expected_answer = answer_days or 7
    expected_resolve = (answer_days or 7) + resolve_extra if answer_days else 30
    if urgent:
        expected_answer, expected_resolve = min(expected_answer, 2), min(expected_resolve, 10)
    assert answer_due == NOW + timedelta(days=expected_answer)
    assert resolve_due == NOW + timedelta(days=expected_resolve)
    at = NOW + timedelta(hours=offset_hours)
    answered = None if answered_after is None else NOW + timedelta(hours=answered_after)
    voice = Voice(
        received_at=NOW,
        answer_due=answer_due,
        resolve_due=resolve_due,
        first_answered_at=answered if answered is not None and answered <= at else None,
    )
    late_answer = voice.first_answered_at is None and at > answer_due
    assert voice.is_overdue(at) == (late_answer or at > resolve_due)
    voice.state = Voice.State.RESOLVED
    assert not voice.is_overdue(at)
