"""A limit counts per address and per window, and a refusal does not count."""

from datetime import UTC, datetime, timedelta

from chibo.lib.limits import Limit

NOON = datetime(2028, 2, 29, 12, 0, 0, tzinfo=UTC)


def test_the_one_too_many_in_a_window_is_refused_and_the_next_window_is_new():
    limit = Limit("test-door", times=3, seconds=600)
    start = NOON - timedelta(seconds=NOON.timestamp() % 600)
    assert [limit.take("10.0.0.1", start + timedelta(seconds=s)) for s in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert limit.retry_in(start + timedelta(seconds=3)) == 597
    assert limit.take("10.0.0.2", start), "another address counts for itself"
    assert limit.take("10.0.0.1", start + timedelta(seconds=600)), "the next window starts anew"


def test_refusals_do_not_count_against_the_window():
    limit = Limit("test-refused", times=1, seconds=60)
    assert limit.take("10.0.0.3", NOON)
    for _ in range(5):
        assert not limit.take("10.0.0.3", NOON)
    other = Limit("test-refused-other", times=1, seconds=60)
    assert other.take("10.0.0.3", NOON), "each limit counts its own thing"
