"""The study of a document as a process: launching it, confirming, the learning note and
action plan, the secretary's return for improvement, the study held in a meeting, completion by
cell and level, and the monthly indicator it becomes."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import translation

from chibo.library import studying
from chibo.library.models import LearningNote, StudyCampaign
from chibo.library.studying import StudyError
from chibo.library.tests.library_data import shelved
from chibo.library.tests.study_data import launched
from chibo.quality import rollup
from chibo.quality.indicators import BY_KEY
from chibo.quality.models import MonthlyIndicators
from chibo.quality.risks import cells_at_risk
from chibo.quality.tests.history import held

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
NOTE = ("Nắm vững quan điểm chỉ đạo của Nghị quyết", "Ứng dụng chuyển đổi số trong công việc")


def member(world, persona: str):
    return getattr(world, persona).member


def test_a_member_confirms_writes_is_returned_and_resubmits(world):
    campaign = launched(world.city, date(2026, 12, 31), today=date(2026, 12, 15))
    mai = member(world, "member")
    note = studying.confirm(campaign, mai)
    assert (note.status, note.cell) == (LearningNote.Status.STUDIED, world.cell)
    note = studying.submit(campaign, mai, *NOTE)
    first = note.first_submitted_at
    assert note.status == LearningNote.Status.SUBMITTED and first is not None
    returned = studying.send_back(note, member(world, "secretary"), "Liên hệ bản thân cụ thể hơn")
    assert returned.status == LearningNote.Status.RETURNED
    with pytest.raises(StudyError):
        studying.send_back(returned, None, "again")  # not submitted any more
    again = studying.submit(campaign, mai, NOTE[0] + " và liên hệ bản thân", NOTE[1])
    assert again.status == LearningNote.Status.SUBMITTED
    assert again.first_submitted_at == first  # completion stays dated by the first sending
    assert LearningNote.objects.count() == 1


def test_who_is_addressed(world):
    ward_study = launched(world.ward, date(2026, 12, 31), parts=(world.cell,))
    assert studying.addressed(ward_study, member(world, "member"))
    assert not studying.addressed(ward_study, member(world, "supervisor"))  # the sister cell
    with pytest.raises(StudyError):
        studying.confirm(ward_study, member(world, "outsider"))
    assert set(StudyCampaign.objects.addressing(world.cell)) == {ward_study}
    assert not StudyCampaign.objects.addressing(world.sister_cell).exists()


def test_a_study_is_not_launched_past_its_deadline_nor_of_another_subtrees_document(world):
    internal = shelved(audience=world.other_city, number="04-NQ/TU")
    with pytest.raises(StudyError):
        launched(world.city, date(2026, 12, 31), document=internal, today=date(2026, 12, 1))
    with pytest.raises(StudyError):
        launched(world.city, date(2026, 12, 1), today=date(2026, 12, 2))
    assert not StudyCampaign.objects.exists()


def test_completion_by_cell_and_by_level(world):
    campaign = launched(world.city, date(2026, 12, 31))
    studying.submit(campaign, member(world, "member"), *NOTE)
    studying.submit(campaign, member(world, "secretary"), *NOTE)
    studying.submit(campaign, member(world, "supervisor"), *NOTE)
    studying.confirm(campaign, member(world, "committee"))  # studied, no note: not complete
    rows = studying.completion(campaign, [world.cell, world.sister_cell])
    assert [(r.organisation, r.due, r.done) for r in rows] == [
        (world.cell, 2, 2),
        (world.sister_cell, 2, 1),
    ]
    (ward,) = studying.completion(campaign, [world.ward])
    assert (ward.due, ward.done, ward.share) == (4, 3, 0.75)
    totals = studying.totals(campaign)
    assert (totals.due, totals.done) == (4, 3)


def test_the_study_held_in_a_meeting_records_those_present(world):
    with time_machine.travel(datetime(2026, 11, 2, 3, 0, tzinfo=UTC), tick=False):
        campaign = launched(world.ward, date(2026, 11, 30))
    meeting = held(world.cell, date(2026, 11, 10), ["Nguyễn Thị Mai"])
    before = held(world.sister_cell, date(2026, 11, 1), [])
    with pytest.raises(StudyError):
        studying.record_session(campaign, world.sister_cell, before, None)  # before the launch
    with pytest.raises(StudyError):
        studying.record_session(campaign, world.sister_cell, meeting, None)  # another cell's
    assert studying.record_session(campaign, world.cell, meeting, None) == 1
    mai = LearningNote.objects.get()
    assert (mai.member, mai.meeting, mai.status) == (
        member(world, "member"),
        meeting,
        LearningNote.Status.STUDIED,
    )
    # Studied in the meeting is not the note: completion waits for it.
    assert studying.totals(campaign).done == 0


def test_completion_by_the_deadline_is_a_monthly_indicator_and_a_reason_for_concern(
    world, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 10, 2, 3, 0, tzinfo=UTC), tick=False):
        campaign = launched(world.ward, date(2026, 10, 20))
    with time_machine.travel(datetime(2026, 10, 10, 3, 0, tzinfo=UTC), tick=False):
        studying.submit(campaign, member(world, "member"), *NOTE)
    with time_machine.travel(datetime(2026, 10, 25, 3, 0, tzinfo=UTC), tick=False):
        studying.submit(campaign, member(world, "secretary"), *NOTE)  # late
    for cell in (world.cell, world.sister_cell):
        held(cell, date(2026, 9, 8), [])
        held(cell, date(2026, 10, 8), [])
    rollup.rebuild(today=date(2026, 11, 15))

    def row(org):
        found = MonthlyIndicators.objects.get(organisation=org, month=date(2026, 10, 1))
        return found.study_due, found.study_done

    assert row(world.cell) == (2, 1)
    assert row(world.sister_cell) == (2, 0)
    assert row(world.ward) == (4, 1)
    study = BY_KEY["study"]
    assert (
        study.value(MonthlyIndicators.objects.get(organisation=world.ward, month=date(2026, 10, 1)))
        == 0.25
    )

    recent = [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    with translation.override("en"):
        at_risk = {
            r.cell_id: r.reasons for r in cells_at_risk(world.ward, recent, date(2026, 11, 15))
        }
    assert (
        "Only 0 of 2 members studied the resolution by its deadline"
        in at_risk[world.sister_cell.pk]
    )
    assert not any("studied the resolution" in r for r in at_risk.get(world.cell.pk, []))


def test_a_note_sent_in_time_refreshes_the_month_already_counted(
    world, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), tick=False):
        campaign = launched(world.ward, date(2026, 12, 20))
    held(world.cell, date(2026, 11, 8), [])
    rollup.rebuild(today=date(2026, 12, 15))
    with django_capture_on_commit_callbacks(execute=True):
        studying.submit(campaign, member(world, "supervisor"), *NOTE)
    kept = MonthlyIndicators.objects.get(organisation=world.sister_cell, month=date(2026, 12, 1))
    assert (kept.study_due, kept.study_done) == (2, 1)
    rollup.rebuild(today=date(2026, 12, 15))
    again = MonthlyIndicators.objects.get(organisation=world.sister_cell, month=date(2026, 12, 1))
    assert (again.study_due, again.study_done) == (2, 1)
