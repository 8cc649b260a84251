"""Rules 18–20 as properties over any facts, and worked by hand on a few cases: the highest
grade the facts allow, the quota of excellent members, a cell's proposed score."""

from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from chibo.quality.evaluation.rules import (
    RANK,
    Facts,
    Rated,
    cell_score,
    highest_grade,
    quota,
    refusal,
    shortfalls,
)
from chibo.quality.models import Classification, EvaluationRound, MonthlyIndicators
from chibo.quality.models.evaluation import period_of

EXCELLENT, GOOD = Classification.EXCELLENT, Classification.GOOD
COMPLETED, NOT_COMPLETED = Classification.COMPLETED, Classification.NOT_COMPLETED


@st.composite
def any_facts(draw) -> Facts:
    due = draw(st.integers(0, 40))
    done = draw(st.integers(0, due))
    return Facts(
        score=draw(st.integers(0, 100)),
        tasks_due=due,
        tasks_done=done,
        tasks_on_time=draw(st.integers(0, done)),
        tasks_exceeding=draw(st.integers(0, done)),
        shortcomings_fixed=draw(st.booleans()),
        disciplined=draw(st.booleans()),
    )


def by_the_text(f: Facts) -> Classification:
    """Rule 18 read straight from DOMAIN.md, as the oracle."""
    done_share = f.tasks_done / f.tasks_due if f.tasks_due else 1
    if f.score < 50 or f.disciplined or done_share < 0.5:
        return NOT_COMPLETED
    every_task_on_time = f.tasks_on_time == f.tasks_due
    exceeding = f.tasks_exceeding / f.tasks_due if f.tasks_due else 1
    if f.score >= 90 and every_task_on_time and exceeding >= 0.3 and f.shortcomings_fixed:
        return EXCELLENT
    if f.score >= 70 and every_task_on_time:
        return GOOD
    return COMPLETED


@given(any_facts())
def test_it_gives_the_grade_the_rule_reads(f):
    assert highest_grade(f) == by_the_text(f)


@given(any_facts())
def test_it_allows_the_highest_grade_and_every_lower_one_and_no_higher(f):
    best = RANK.index(highest_grade(f))
    for rank, grade in enumerate(RANK):
        assert (refusal(grade, f) is None) == (rank <= best)
        assert bool(shortfalls(grade, f)) == (rank > best)


@given(any_facts(), st.integers(0, 100))
def test_a_better_score_never_lowers_the_grade(f, more):
    better = replace(f, score=min(100, f.score + more))
    assert RANK.index(highest_grade(better)) >= RANK.index(highest_grade(f))


@given(any_facts())
def test_any_discipline_means_not_completed(f):
    assert highest_grade(replace(f, disciplined=True)) == NOT_COMPLETED


@pytest.mark.parametrize(
    "facts, expected",
    [
        # Ten tasks, all on time, three beyond what was asked, shortcomings fixed.
        (Facts(95, 10, 10, 10, 3, shortcomings_fixed=True), EXCELLENT),
        # Two beyond what was asked out of ten is under 30%.
        (Facts(95, 10, 10, 10, 2, shortcomings_fixed=True), GOOD),
        (Facts(95, 10, 10, 10, 5, shortcomings_fixed=False), GOOD),
        # A task late: neither excellent nor good, whatever the score.
        (Facts(95, 10, 10, 9, 5, shortcomings_fixed=True), COMPLETED),
        (Facts(72, 4, 4, 4), GOOD),
        (Facts(69, 4, 4, 4), COMPLETED),
        (Facts(50, 0), COMPLETED),
        (Facts(49, 0), NOT_COMPLETED),
        # Four of ten tasks done is under half.
        (Facts(80, 10, 4, 4), NOT_COMPLETED),
        (Facts(80, 10, 5, 5), COMPLETED),
        (Facts(99, 0, shortcomings_fixed=True, disciplined=True), NOT_COMPLETED),
        # No task recorded: the score decides.
        (Facts(90, 0, shortcomings_fixed=True), EXCELLENT),
    ],
)
def test_it_grades_worked_examples(facts, expected):
    assert highest_grade(facts) == expected


def test_it_says_what_a_refused_grade_needs():
    with translation.override("en"):
        message = refusal(EXCELLENT, Facts(92, 10, 10, 9, 1, shortcomings_fixed=False))
    assert "every task done on time (9 of 10)" in message
    assert "at least 30% of tasks exceeding what was asked (1 of 10)" in message
    assert "every earlier shortcoming fixed" in message
    assert "at most “Completed”" in message


grades = st.lists(
    st.tuples(st.sampled_from(RANK), st.one_of(st.none(), st.integers(0, 100))), max_size=60
)


def rated(rows) -> list[Rated]:
    return [Rated(i, f"Đảng viên {i:02d}", grade, score) for i, (grade, score) in enumerate(rows)]


@given(grades)
def test_the_quota_is_a_fifth_of_those_rated_good(rows):
    found = quota(rated(rows))
    good = sum(grade == GOOD for grade, _score in rows)
    excellent = sum(grade == EXCELLENT for grade, _score in rows)
    assert (found.good, found.excellent) == (good, excellent)
    assert found.allowed * 5 <= good < (found.allowed + 1) * 5
    assert found.exceeded == (excellent * 100 > 20 * good)


@given(grades)
def test_it_lists_every_excellent_member_to_reconsider_the_lowest_first(rows):
    found = quota(rated(rows))
    if not found.exceeded:
        assert found.reconsider == ()
        return
    assert {r.key for r in found.reconsider} == {r.key for r in rated(rows) if r.grade == EXCELLENT}
    scores = [-1 if r.score is None else r.score for r in found.reconsider]
    assert scores == sorted(scores)


@given(grades)
def test_reconsidering_as_many_as_it_is_over_keeps_the_quota(rows):
    """Lowering the listed members to "good", lowest first, meets the quota within `over`
    steps: each lowers the excellent count and may raise the allowance."""
    members = rated(rows)
    found = quota(members)
    for step, lowered in enumerate(found.reconsider[: found.over], start=1):
        members = [Rated(r.key, r.name, GOOD, r.score) if r == lowered else r for r in members]
        if not quota(members).exceeded:
            assert step <= found.over
            return
    assert not quota(members).exceeded


@pytest.mark.parametrize(
    "good, excellent, allowed, exceeded",
    [(10, 2, 2, False), (10, 3, 2, True), (4, 1, 0, True), (5, 1, 1, False), (0, 0, 0, False)],
)
def test_it_counts_the_quota_of_worked_examples(good, excellent, allowed, exceeded):
    found = quota(rated([(GOOD, 80)] * good + [(EXCELLENT, 95)] * excellent))
    assert (found.allowed, found.exceeded) == (allowed, exceeded)


def test_it_scores_a_cell_from_its_year_and_its_members():
    year = MonthlyIndicators(
        cells=12, regular_held=12, scored=12, score_sum=12 * 80, tasks_due=10, tasks_on_time=8
    )
    found = cell_score(year, [GOOD, GOOD, COMPLETED, EXCELLENT])
    # 40 × 0.8 + 20 × 1 + 20 × 0.8 + 20 × 0.75 = 83
    assert found.score == 83
    assert [p.value for p in found.parts] == [0.8, 1.0, 0.8, 0.75]


def test_a_part_with_nothing_to_measure_leaves_the_weighting():
    # Half the months with a regular meeting, nothing else measured: 50.
    assert cell_score(MonthlyIndicators(cells=12, regular_held=6), []).score == 50
    assert cell_score(MonthlyIndicators(), []).score == 0
    # Meetings averaging 90 and every member decided good: (40 × 0.9 + 20 × 1) / 60 = 93.
    year = MonthlyIndicators(scored=3, score_sum=270)
    assert cell_score(year, [GOOD, EXCELLENT]).score == 93


@pytest.mark.parametrize(
    "period, quarter, first, last",
    [
        (EvaluationRound.Period.YEAR, None, date(2026, 1, 1), date(2026, 12, 31)),
        (EvaluationRound.Period.QUARTER, 1, date(2026, 1, 1), date(2026, 3, 31)),
        (EvaluationRound.Period.QUARTER, 4, date(2026, 10, 1), date(2026, 12, 31)),
        (EvaluationRound.Period.AD_HOC, None, None, None),
    ],
)
def test_it_knows_the_days_of_a_period(period, quarter, first, last):
    assert period_of(period, 2026, quarter) == ((first, last) if first else None)
