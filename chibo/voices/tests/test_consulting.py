"""Consulting the people before resolving (rule 16), through its process functions: opening,
statements and their review, stances once each within the window, the result and its
thresholds, who may do what, and the indicator of resolutions consulted first."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibo.meetings.models import Meeting, Resolution
from chibo.quality.models import MonthlyIndicators
from chibo.voices import consulting
from chibo.voices.consult_counts import people_counts
from chibo.voices.consultations import Consultation, Stance, Statement
from chibo.voices.consulting import ConsultationError, Line
from chibo.voices.tests.consult_data import CLOSES, OPENS, QUESTION, meeting, members, opened
from chibo.voices.tests.voices_data import NOW, clock, scope

pytestmark = [clock, pytest.mark.usefixtures("english")]
Choice = Stance.Choice


def accepted(consultation) -> list[Statement]:
    return list(consultation.statements.filter(moderation="accepted").order_by("pk"))


def vote(statement, choice, user=None, citizen="", at=NOW):
    return consulting.take_stance(
        statement, choice, scope=scope(user) if user else None, citizen=citizen, at=at
    )


# -- opening ---------------------------------------------------------------------------------


def test_the_secretary_opens_a_consultation_with_its_statements_accepted(world):
    consultation = opened(world)
    assert consultation.question == QUESTION and consultation.cell == world.cell
    assert [s.moderation for s in consultation.statements.all()] == ["accepted"] * 3


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"question": ""}, "Write the question you ask."),
        ({"statements": ["", "  "]}, "Write at least one statement for people to answer."),
        ({"statements": ["x" * 281]}, r"Keep it to 280 characters \(it has 281\)\."),
        ({"statements": [f"Ý kiến {i}" for i in range(11)]}, "Keep to 10 statements"),
        ({"opens_on": date(2026, 12, 14)}, "The consultation cannot open before today."),
        ({"closes_on": date(2026, 12, 14)}, "The consultation must close on or after"),
        ({"closes_on": date(2026, 12, 20)}, "must close before the day of the meeting"),
        ({"question": "Hỏi\u202e"}, "."),
    ],
)
def test_bad_openings_are_refused_and_nothing_is_stored(world, changes, message):
    with pytest.raises(ConsultationError, match=message):
        opened(world, **changes)
    assert not Consultation.objects.exists() and not Statement.objects.exists()


def test_only_those_who_prepare_open_it_and_only_once_before_the_meeting(world):
    found = meeting(world)
    for persona in ("member", "supervisor", "committee", "outsider"):
        with pytest.raises(ConsultationError, match="Only those who prepare"):
            consulting.open_consultation(
                found,
                scope(getattr(world, persona)),
                question=QUESTION,
                statements=["Một"],
                opens_on=OPENS,
                closes_on=CLOSES,
                at=NOW,
            )
    opened(world, on=found)
    with pytest.raises(ConsultationError, match="open already"):
        opened(world, on=found)
    held = meeting(world, status=Meeting.Status.OPEN)
    with pytest.raises(ConsultationError, match="too late"):
        opened(world, on=held)
    assert Consultation.objects.count() == 1


# -- stances ---------------------------------------------------------------------------------


def test_a_member_answers_each_statement_once_and_a_second_answer_changes_nothing(world):
    statement = accepted(opened(world))[0]
    vote(statement, Choice.AGREE, world.member)
    with pytest.raises(ConsultationError, match="answered this statement already"):
        vote(statement, Choice.DISAGREE, world.member)
    assert list(Stance.objects.values_list("choice", flat=True)) == ["agree"]


def test_the_database_refuses_a_second_stance_too(world):
    from django.db import IntegrityError, transaction

    statement = accepted(opened(world))[0]
    stance = vote(statement, Choice.AGREE, world.member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(statement=statement, member=stance.member, choice="pass", at=NOW)
    vote(statement, Choice.PASS, citizen="token-a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(statement=statement, citizen="token-a", choice="agree", at=NOW)


# The window in Vietnam time: 15 December 00:00 to 18 December 23:59:59 (UTC+7).
@pytest.mark.parametrize(
    "at, allowed",
    [
        (datetime(2026, 12, 14, 16, 59, 59, tzinfo=UTC), False),
        (datetime(2026, 12, 14, 17, 0, tzinfo=UTC), True),
        (datetime(2026, 12, 18, 16, 59, 59, tzinfo=UTC), True),
        (datetime(2026, 12, 18, 17, 0, tzinfo=UTC), False),
    ],
)
def test_stances_are_taken_within_the_window_in_vietnam_time(world, at, allowed):
    consultation = opened(world)
    statement = accepted(consultation)[0]
    if allowed:
        vote(statement, Choice.AGREE, world.member, at=at)
        assert Stance.objects.count() == 1
    else:
        with pytest.raises(ConsultationError, match="opens on 15/12/2026|is closed"):
            vote(statement, Choice.AGREE, world.member, at=at)
        with pytest.raises(ConsultationError):
            consulting.add_statement(consultation, "Ý kiến mới", scope=scope(world.member), at=at)
        assert not Stance.objects.exists() and consultation.statements.count() == 3


def test_a_wrong_choice_an_unreviewed_statement_or_a_citizen_where_not_invited_is_refused(world):
    consultation = opened(world, citizens=False)
    statement = accepted(consultation)[0]
    with pytest.raises(ConsultationError, match="Choose agree, disagree or pass"):
        vote(statement, "maybe", world.member)
    waiting = consulting.add_statement(consultation, "Lắp thêm đèn", scope=scope(world.member))
    with pytest.raises(ConsultationError, match="not open to answers"):
        vote(waiting, Choice.AGREE, world.member)
    with pytest.raises(ConsultationError, match="members only"):
        vote(statement, Choice.AGREE, citizen="token")
    with pytest.raises(ConsultationError, match="members only"):
        consulting.add_statement(consultation, "Ý kiến", citizen="token")
    assert not Stance.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "supervisor", "committee", "outsider", "admin"])
def test_only_the_cells_members_take_part(world, persona):
    """The secretary is a member of the cell; the others are not, whatever they may see."""
    statement = accepted(opened(world))[0]
    if persona == "secretary":
        vote(statement, Choice.PASS, world.secretary)
        return
    with pytest.raises(ConsultationError, match="Only the members of the cell"):
        vote(statement, Choice.AGREE, getattr(world, persona))
    assert not Stance.objects.exists()


# -- statements and their review -------------------------------------------------------------


def test_a_participants_statement_waits_for_review_then_is_answered(world):
    consultation = opened(world)
    mine = consulting.add_statement(consultation, "Lắp đèn ở ngõ 5", scope=scope(world.member))
    theirs = consulting.add_statement(consultation, "Quảng cáo vay tiền", citizen="tok")
    assert mine.moderation == theirs.moderation == "waiting" and theirs.by_citizen
    assert consulting.result_of(consultation).lines.__len__() == 3
    with pytest.raises(ConsultationError, match="Only those who handle"):
        consulting.moderate(mine, True, scope(world.member))
    consulting.moderate(mine, True, scope(world.secretary))
    consulting.moderate(theirs, False, scope(world.secretary))
    with pytest.raises(ConsultationError, match="reviewed already"):
        consulting.moderate(theirs, True, scope(world.secretary))
    assert [line.statement.pk for line in consulting.result_of(consultation).lines][-1] == mine.pk
    vote(mine, Choice.AGREE, citizen="tok")
    with pytest.raises(ConsultationError, match="there already"):
        consulting.add_statement(consultation, "Lắp đèn ở ngõ 5", citizen="tok2")


def test_once_the_meeting_begins_the_review_is_over(world):
    consultation = opened(world)
    waiting = consulting.add_statement(consultation, "Ý kiến muộn", scope=scope(world.member))
    with pytest.raises(ConsultationError, match="result is final"):
        consulting.moderate(
            waiting, True, scope(world.secretary), at=consultation.meeting.starts_at
        )
    waiting.refresh_from_db()
    assert waiting.moderation == "waiting"


# -- the result ------------------------------------------------------------------------------


def test_the_result_counts_participants_and_each_statements_answers(world):
    consultation = opened(world)
    first, second, third = accepted(consultation)
    users = members(world, 5)
    for user in users:
        vote(first, Choice.AGREE, user)
    vote(first, Choice.PASS, world.member)
    for i, user in enumerate(users[:4]):
        vote(second, Choice.AGREE if i % 2 else Choice.DISAGREE, user)
    vote(second, Choice.PASS, citizen="a")
    vote(third, Choice.AGREE, citizen="a")
    vote(third, Choice.AGREE, citizen="b")
    result = consulting.result_of(consultation)
    assert (result.participants, result.members, result.citizens) == (8, 6, 2)
    counts = [(line.agree, line.disagree, line.passed) for line in result.lines]
    assert counts == [(5, 0, 1), (2, 2, 1), (2, 0, 0)]
    assert [line.statement for line in result.broad] == [first]
    assert [line.statement for line in result.divided] == [second]


def test_a_rejected_statements_answers_count_nowhere(world):
    consultation = opened(world)
    extra = consulting.add_statement(consultation, "Ý kiến", scope=scope(world.member))
    consulting.moderate(extra, True, scope(world.secretary))
    vote(extra, Choice.AGREE, citizen="only-here")
    Statement.objects.filter(pk=extra.pk).update(moderation="rejected")
    result = consulting.result_of(consultation)
    assert result.participants == 0 and len(result.lines) == 3


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_broad_and_divided_follow_their_thresholds(agree, disagree, passed):
    line = Line(statement=None, agree=agree, disagree=disagree, passed=passed)
    total = agree + disagree + passed
    enough = total >= consulting.MIN_VOTES
    assert line.broad == (enough and agree / total >= 2 / 3 - 1e-12)
    assert line.divided == (enough and agree / total >= 1 / 3 - 1e-12 <= disagree / total)
    assert not (line.broad and line.divided) or (agree * 3 == total * 2 and disagree * 3 >= total)
    assert not (line.broad and disagree * 3 > total)


# -- access ----------------------------------------------------------------------------------


def test_consultations_are_seen_within_reach(world):
    consultation = opened(world)
    for persona, sees in [
        ("member", True),
        ("secretary", True),
        ("supervisor", True),
        ("committee", True),
        ("outsider", False),
    ]:
        found = scope(getattr(world, persona)).consultations().filter(pk=consultation.pk)
        assert found.exists() == sees, persona


# -- the indicator ---------------------------------------------------------------------------


def adopted(world, found: Meeting, at: datetime, touches: bool = True) -> Resolution:
    return Resolution.objects.create(
        meeting=found,
        cell=world.cell,
        year=at.year,
        number=Resolution.objects.count() + 1,
        status=Resolution.Status.ADOPTED,
        adopted_at=at,
        touches_people=touches,
    )


def test_the_indicator_counts_resolutions_touching_the_people_and_those_consulted_first(world):
    """A hand-made history: December, one consulted and one not, and one not touching the
    people; January, a correction of the consulted one (not counted twice)."""
    consulted = meeting(world)
    opened(world, on=consulted)
    december = consulted.starts_at + timedelta(hours=2)
    first = adopted(world, consulted, december)
    adopted(world, meeting(world, at=datetime(2026, 12, 27, 12, tzinfo=UTC)), december)
    adopted(world, meeting(world), december, touches=False)
    correction = Resolution.objects.get(pk=first.pk)
    correction.pk, correction.version, correction.correction = None, 2, "Sửa"
    correction.adopted_at = datetime(2027, 1, 5, tzinfo=UTC)
    correction.save()
    counts = people_counts([world.cell.pk], date(2026, 11, 1), date(2027, 2, 1))
    assert counts == {(world.cell.pk, date(2026, 12, 1)): (2, 1)}


def test_adopting_a_resolution_refreshes_the_months_counts(world, time_machine):
    from chibo.meetings import holding

    found = meeting(world)
    opened(world, on=found)
    resolution = Resolution.objects.create(
        meeting=found, cell=world.cell, year=2026, touches_people=True
    )
    time_machine.move_to(found.starts_at + timedelta(hours=1), tick=False)
    holding.open_meeting(found, now=found.starts_at)
    for member in world.cell.members.all():
        holding.check_in(found, member)
    vote = holding.record_vote(found, "Nghị quyết", world.cell.members.count(), 0, 0)
    holding.adopt_resolution(resolution, vote)
    row = MonthlyIndicators.objects.get(organisation=world.cell, month=date(2026, 12, 1))
    assert (row.people_resolutions, row.people_consulted) == (1, 1)
    ward = MonthlyIndicators.objects.get(organisation=world.ward, month=date(2026, 12, 1))
    assert (ward.people_resolutions, ward.people_consulted) == (1, 1)
