"""Rules 11 and 12 as properties: the grade of any points, the attendance band of any roll, and
the points the records suggest for a few meetings worked out by hand."""

from datetime import datetime
from fractions import Fraction

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from chibo.meetings.models import Meeting
from chibo.quality.facts import MeetingFacts
from chibo.quality.models import Grade, MeetingScore
from chibo.quality.scoring import Tasks, attendance_band, check, grade, suggest

WEIGHTS = settings.CHIBO_MEETING_CRITERIA
# Rule 11: "Good" also needs full marks on these.
FOR_GOOD = ("duration", "attendance", "conduct", "closing")
STARTS = timezone.make_aware(datetime(2026, 3, 5, 19, 30))


def facts(**fields) -> MeetingFacts:
    return MeetingFacts(
        **{
            "meeting_id": 1,
            "cell_id": 1,
            "kind": Meeting.Kind.REGULAR,
            "starts_at": STARTS,
            "planned_minutes": 90,
            "minimum_minutes": 90,
            **fields,
        }
    )


def any_points(low: int = 0, over: int = 0):
    return st.fixed_dictionaries(
        {key: st.integers(low, weight + over) for key, weight in WEIGHTS.items()}
    )


@st.composite
def near_full_marks(draw) -> dict[str, int]:
    """Full marks less up to ten points, taken one at a time from any criterion: a total of
    90 or more, with or without full marks where rule 11 asks for them."""
    points = dict(WEIGHTS)
    for _ in range(draw(st.integers(0, 10))):
        key = draw(st.sampled_from([k for k, v in points.items() if v > 0]))
        points[key] -= 1
    return points


@st.composite
def rolls(draw) -> tuple[int, int, int]:
    """(expected, present, absent without a reason) of a roll."""
    expected = draw(st.integers(1, 80))
    present = draw(st.integers(0, expected))
    unexcused = draw(st.integers(0, expected - present))
    return expected, present, unexcused


def by_band(total: int) -> Grade:
    if total >= 70:
        return Grade.FAIR
    if total >= 50:
        return Grade.AVERAGE
    return Grade.WEAK


@given(near_full_marks())
def test_it_grades_90_or_more_good_only_with_full_marks_where_rule_11_asks(points):
    assert sum(points.values()) >= 90
    full = all(points[key] == WEIGHTS[key] for key in FOR_GOOD)
    assert grade(points) == (Grade.GOOD if full else Grade.FAIR)


@given(any_points())
def test_it_grades_below_90_by_the_total_alone(points):
    total = sum(points.values())
    if total < 90:
        assert grade(points) == by_band(total)


@given(any_points(), st.sampled_from(list(WEIGHTS)))
def test_it_never_grades_lower_for_one_more_point(points, key):
    order = [Grade.WEAK, Grade.AVERAGE, Grade.FAIR, Grade.GOOD]
    if points[key] < WEIGHTS[key]:
        better = {**points, key: points[key] + 1}
        assert order.index(grade(better)) >= order.index(grade(points))


def totalling(total: int) -> dict[str, int]:
    """Points filling the criteria in order up to `total`."""
    points, left = {}, total
    for key, weight in WEIGHTS.items():
        points[key] = min(weight, left)
        left -= points[key]
    return points


@pytest.mark.parametrize(
    "total, expected",
    [
        (100, Grade.GOOD),
        (89, Grade.FAIR),
        (70, Grade.FAIR),
        (69, Grade.AVERAGE),
        (50, Grade.AVERAGE),
        (49, Grade.WEAK),
        (0, Grade.WEAK),
    ],
)
def test_it_grades_the_floors_of_each_band(total, expected):
    assert grade(totalling(total)) == expected


@given(rolls())
def test_it_bands_attendance_by_rule_12(roll):
    expected, present, unexcused = roll
    rate = Fraction(present, expected)
    if unexcused:
        band = (1, 1)
    elif rate >= Fraction(9, 10):
        band = (4, 5)
    elif rate >= Fraction(3, 4):
        band = (3, 3)
    elif rate >= Fraction(65, 100):
        band = (2, 2)
    else:
        band = (1, 1)
    assert attendance_band(facts(expected=expected, present=present, unexcused=unexcused)) == band


def test_it_gives_the_lowest_band_when_no_roll_was_called():
    assert attendance_band(facts()) == (1, 1)


@given(rolls(), st.integers(0, 5))
def test_it_accepts_attendance_points_only_inside_the_band(roll, value):
    expected, present, unexcused = roll
    known = facts(expected=expected, present=present, unexcused=unexcused)
    low, high = attendance_band(known)
    points = {**WEIGHTS, "attendance": value}
    if low <= value <= high:
        check(points, known)
    else:
        with pytest.raises(ValidationError) as refused:
            check(points, known)
        assert set(refused.value.error_dict) == {"attendance"}


@given(any_points(low=-3, over=3))
def test_it_refuses_exactly_the_criteria_out_of_range(points):
    # A full roll: attendance takes 4 or 5.
    known = facts(expected=10, present=10)
    ranges = {key: (0, weight) for key, weight in WEIGHTS.items()} | {"attendance": (4, 5)}
    wrong = {key for key, (low, high) in ranges.items() if not low <= points[key] <= high}
    if not wrong:
        check(points, known)
        return
    with pytest.raises(ValidationError) as refused:
        check(points, known)
    assert set(refused.value.error_dict) == wrong


def test_it_refuses_a_missing_criterion():
    points = {key: weight for key, weight in WEIGHTS.items() if key != "closing"}
    with pytest.raises(ValidationError) as refused:
        check(points, facts(expected=2, present=2))
    assert set(refused.value.error_dict) == {"closing"}


@given(
    rolls(),
    st.integers(10, 600),
    st.sampled_from([None, True, False]),
    st.integers(0, 80),
    st.booleans(),
    st.sampled_from(Meeting.Kind.values),
    st.integers(0, 12).flatmap(lambda due: st.tuples(st.just(due), st.integers(0, due))),
)
def test_it_suggests_points_the_rules_accept(roll, planned, late, speakers, flag, kind, tasks):
    expected, present, unexcused = roll
    known = facts(
        kind=kind,
        planned_minutes=planned,
        expected=expected,
        present=present,
        unexcused=unexcused,
        notice_late=late,
        speakers=min(speakers, expected),
        self_criticism=flag,
        voted=flag,
        resolution_adopted=not flag,
        minutes_approved=flag,
    )
    check(suggest(known, Tasks(*tasks)), known)


def test_it_suggests_full_marks_for_a_meeting_that_did_everything():
    known = facts(
        expected=10,
        present=9,
        content_agreed=True,
        notice_late=False,
        speakers=5,
        self_criticism=True,
        voted=True,
        resolution_adopted=True,
        minutes_approved=True,
    )
    # 4 of 5 tasks on time: 30 × 4/5 = 24 for results; every other criterion in full.
    points = suggest(known, Tasks(due=5, on_time=4))
    assert points == {
        "duration": 5,
        "attendance": 5,
        "preparation": 10,
        "conduct": 40,
        "principles": 5,
        "results": 24,
        "closing": 5,
    }
    assert grade(points) == Grade.GOOD


def test_it_suggests_little_for_a_short_meeting_with_no_notice():
    known = facts(planned_minutes=60, expected=10, present=6, unexcused=1, speakers=1)
    points = suggest(known, Tasks())
    assert points == {
        "duration": 3,  # 5 × 60/90 = 3.3
        "attendance": 1,  # someone absent without a reason
        "preparation": 0,  # no notice at all
        "conduct": 26,  # 40 × (0.6 + 0.3 × 2/10) = 26.4
        "principles": 2,  # no vote: 5 × 0.4
        "results": 30,  # no earlier tasks to assess
        "closing": 0,  # no resolution, minutes not approved
    }
    assert grade(points) == Grade.AVERAGE


def test_it_suggests_for_a_thematic_meeting_without_a_vote():
    known = facts(
        kind=Meeting.Kind.THEMATIC,
        expected=4,
        present=3,
        notice_late=True,
        speakers=1,
    )
    points = suggest(known, Tasks(due=2, on_time=0))
    assert points == {
        "duration": 5,
        "attendance": 3,  # 75%
        "preparation": 2,  # content not agreed; the notice went out late: a quarter
        "conduct": 30,  # 40 × (0.6 + 0.3 × 2/4)
        "principles": 5,  # nothing to vote on a thematic meeting
        "results": 0,
        "closing": 2,  # 5 × 0.4: no resolution expected; minutes not approved
    }


@pytest.mark.parametrize(
    "roles, stands",
    [
        ((), None),
        (("supervisor",), None),
        (("cell",), "cell"),
        (("cell", "supervisor"), "cell"),
        (("cell", "supervisor", "committee"), "committee"),
        (("supervisor", "committee"), "committee"),
    ],
)
def test_the_committees_decision_stands_else_the_cells_own_score(world, roles, stands):
    """Rule 13, for one meeting and for several at once: the supervisor's score never stands."""
    meetings = [
        Meeting.objects.create(
            cell=world.cell, kind="regular", starts_at=STARTS, place="Hội trường"
        )
        for _ in range(2)
    ]
    for meeting in meetings:
        for points, role in enumerate(roles, start=70):
            MeetingScore.objects.create(
                meeting=meeting, role=role, points={}, total=points, grade=Grade.FAIR
            )
    standing = MeetingScore.objects.filter(meeting__in=meetings).standing()
    assert sorted(standing.values_list("meeting_id", "role")) == (
        [(meeting.pk, stands) for meeting in meetings] if stands else []
    )
    assert getattr(meetings[0].scores.standing().first(), "role", None) == stands
