"""Rule 9 over random rolls: the adjusted count, the majority, and what a tally may hold."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from chibo.meetings.quorum import Line, Presence, Standing, count

lines = st.builds(Line, st.sampled_from(Standing.values), st.sampled_from(Presence.values))
rolls = st.lists(lines, max_size=300)


def test_it_counts_the_example_of_the_guidance():
    roll = (
        [Line(Standing.OFFICIAL, Presence.PRESENT)] * 20
        + [Line(Standing.OFFICIAL, Presence.EXCUSED)] * 3
        + [Line(Standing.OFFICIAL, Presence.ABSENT)] * 2
        + [Line(Standing.EXEMPT, Presence.ABSENT)] * 4
        + [Line(Standing.EXEMPT, Presence.PRESENT)] * 1
        + [Line(Standing.TRANSFERRED, Presence.ABSENT)] * 2
        + [Line(Standing.SUSPENDED, Presence.ABSENT)] * 1
        + [Line(Standing.PROBATIONARY, Presence.PRESENT)] * 3
    )
    result = count(roll)
    assert result.official == 33
    assert result.adjusted == 33 - 2 - 4 - 1 - 3 == 23
    assert result.needed == 12
    assert result.voters_present == 21
    assert result.passes(12) and not result.passes(11)


@given(rolls)
def test_it_never_counts_more_voters_than_the_adjusted_count(roll):
    result = count(roll)
    assert 0 <= result.voters_present <= result.adjusted <= result.official


@given(rolls)
def test_it_needs_more_than_half(roll):
    result = count(roll)
    assert result.needed * 2 > result.adjusted
    assert (result.needed - 1) * 2 <= result.adjusted


@given(rolls, st.sampled_from(Presence.values))
def test_it_ignores_probationary_members(roll, presence):
    assert count([*roll, Line(Standing.PROBATIONARY, presence)]) == count(roll)


@given(rolls)
def test_it_counts_exempt_members_only_when_they_attend(roll):
    before = count(roll).adjusted
    assert count([*roll, Line(Standing.EXEMPT, Presence.ABSENT)]).adjusted == before
    assert count([*roll, Line(Standing.EXEMPT, Presence.EXCUSED)]).adjusted == before
    assert count([*roll, Line(Standing.EXEMPT, Presence.PRESENT)]).adjusted == before + 1


@given(rolls)
def test_it_counts_an_unexcused_absence_against_the_majority(roll):
    before = count(roll)
    after = count([*roll, Line(Standing.OFFICIAL, Presence.ABSENT)])
    assert after.adjusted == before.adjusted + 1 and after.voters_present == before.voters_present


@given(rolls, st.integers(min_value=0, max_value=300))
def test_it_passes_monotonically_in_votes_for(roll, votes):
    result = count(roll)
    if result.passes(votes):
        assert result.passes(votes + 1)
    assert not result.passes(result.needed - 1)


@given(rolls, st.integers(0, 300), st.integers(0, 300), st.integers(0, 300))
def test_it_refuses_tallies_larger_than_those_present(roll, votes_for, against, abstain):
    result = count(roll)
    if votes_for + against + abstain > result.voters_present:
        with pytest.raises(ValidationError):
            result.check(votes_for, against, abstain)
    else:
        result.check(votes_for, against, abstain)


def test_it_passes_nothing_when_no_one_can_vote():
    result = count([Line(Standing.PROBATIONARY, Presence.PRESENT)])
    assert result.adjusted == 0 and not result.passes(0) and not result.passes(1)
