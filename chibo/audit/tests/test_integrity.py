"""Records the audit log seals, tampered with in the database behind the app: the evaluation
trail with its plain hashes recomputed, a decision dropped, approved minutes and an adopted
resolution rewritten. The page says so, and `chibo audit verify` names each."""

import pytest
from django.db import connection

from chibo.audit.tests.test_log import failing_verify, verify
from chibo.meetings.models import Minutes, Resolution, ResolutionTask
from chibo.meetings.tests.holding_data import ENGLISH, draft, opened, passed_vote, soon, url
from chibo.quality.evaluation.process import open_round
from chibo.quality.models import Evaluation, EvaluationEvent
from chibo.quality.models.evaluation import verify as plain_verify
from chibo.quality.tests.evaluation_data import YEAR
from chibo.quality.tests.test_evaluation_views import MAI, evaluation_of, seat_the_chain, walk

CHANGED = "This record was changed after approval."


@pytest.fixture
def decided(world) -> Evaluation:
    """Mai's evaluation taken through every step on the pages, each by its persona."""
    seat_the_chain(world)
    open_round(world.city, world.committee, **YEAR)
    walk(world, evaluation_of(MAI))
    return evaluation_of(MAI)


def rehash(evaluation: Evaluation) -> None:
    """Recompute the trail's plain SHA-256 chain, as anyone who can write the database can."""
    previous = ""
    for event in evaluation.events.order_by("sequence"):
        previous = event.digest(previous, evaluation.code)
        EvaluationEvent.objects.filter(pk=event.pk).update(hash=previous)


def test_a_decided_evaluation_verifies(decided):
    assert "no problem found" in verify()


def test_a_grade_changed_with_its_plain_hashes_recomputed_is_named(decided):
    decision = decided.events.get(sequence=4)
    EvaluationEvent.objects.filter(pk=decision.pk).update(
        payload={**decision.payload, "grade": "excellent", "score": 95}
    )
    Evaluation.objects.filter(pk=decided.pk).update(grade="excellent", score=95)
    rehash(decided)
    decided.refresh_from_db()
    # The trail's own check, without a secret, is fooled ...
    assert plain_verify(decided, list(decided.events.all())) is None
    # ... the keyed log is not.
    assert f"Step 5 of evaluation {decided.pk} was changed." in failing_verify()


def test_a_decision_deleted_and_the_evaluation_set_back_is_named(decided):
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {EvaluationEvent._meta.db_table} WHERE evaluation_id = %s"
            " AND sequence = 4",
            [decided.pk],
        )
    Evaluation.objects.filter(pk=decided.pk).update(
        status="appraised", score=None, grade="", decided_by=None, decided_at=None
    )
    decided.refresh_from_db()
    assert plain_verify(decided, list(decided.events.all())) is None
    assert f"Step 5 of evaluation {decided.pk} was removed." in failing_verify()


def test_a_step_added_behind_the_log_is_named(decided):
    last = decided.events.get(sequence=4)
    extra = EvaluationEvent(
        evaluation=decided, sequence=5, step="decided", actor=None, at=last.at, payload={}
    )
    extra.seal(last.hash, decided.code).save()
    assert f"Step 6 of evaluation {decided.pk} is missing from the audit log." in failing_verify()


def approved_on_the_page(world):
    meeting = opened(world.cell)
    Minutes.objects.create(meeting=meeting, sections={"1": "Chi bộ thống nhất"})
    response = world.client("secretary").post(url(meeting, "minutes_approve"))
    assert response.status_code == 302
    return meeting, meeting.minutes.get()


def test_approved_minutes_edited_in_the_database_show_a_warning_and_are_named(world):
    meeting, minutes = approved_on_the_page(world)
    page = url(meeting, "minutes_version", 1)
    assert CHANGED not in world.client("secretary").get(page, headers=ENGLISH).content.decode()
    assert "no problem found" in verify()
    Minutes.objects.filter(pk=minutes.pk).update(sections={"1": "Chi bộ không thống nhất"})
    for name in ("minutes_version", "minutes"):
        shown = world.client("secretary").get(
            url(meeting, name, *([1] if "version" in name else [])), headers=ENGLISH
        )
        assert CHANGED in shown.content.decode(), name
    out = failing_verify()
    assert f"Minutes {minutes.pk} (meeting {meeting.pk}, version 1): {CHANGED}" in out


def test_approved_minutes_without_their_seal_are_named(world):
    meeting, minutes = approved_on_the_page(world)
    Minutes.objects.create(
        meeting=meeting, version=2, status="approved", correction="Sửa", sections={"1": "X"}
    )
    out = failing_verify()
    assert f"Minutes {minutes.pk + 1} (meeting {meeting.pk}, version 2): " in out
    assert "The approval of this record is missing from the audit log." in out


def test_an_adopted_resolution_edited_in_the_database_is_named(world):
    meeting = opened(world.cell)
    vote = passed_vote(meeting)
    resolution = draft(meeting, ("Thu đảng phí", "Nguyễn Thị Mai", soon()))
    response = world.client("secretary").post(url(meeting, "resolution_adopt"), {"vote": vote.pk})
    assert response.status_code == 302
    assert Resolution.objects.get(pk=resolution.pk).status == "adopted"
    assert "no problem found" in verify()
    ResolutionTask.objects.filter(resolution=resolution).update(what="Không thu đảng phí")
    page = world.client("secretary").get(url(meeting, "resolution"), headers=ENGLISH)
    assert CHANGED in page.content.decode()
    assert f"Resolution {resolution.pk} (meeting {meeting.pk}, version 1): {CHANGED}" in (
        failing_verify()
    )
