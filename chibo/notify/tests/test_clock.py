"""`chibo clock`'s schedule: remind every hour, the digests once a day after their hour."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chibo.notify.clock import Clock

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def digest_at_six(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    settings.CHIBO_DIGEST_HOUR = 6


def test_a_new_clock_runs_at_once_without_the_digest_before_its_hour():
    assert Clock().due(at(3, 2)) == (True, False)


def test_it_runs_again_an_hour_later_and_not_before():
    clock = Clock()
    clock.ran(at(3, 2), digest=False)
    assert clock.due(at(3, 2, 59)) == (False, False)
    assert clock.due(at(3, 3)) == (True, False)


def test_the_digest_goes_once_a_day_from_its_hour():
    clock = Clock()
    clock.ran(at(3, 5, 30), digest=False)
    assert clock.due(at(3, 6)) == (True, True)
    clock.ran(at(3, 6), digest=True)
    assert clock.due(at(3, 6) + timedelta(hours=1)) == (True, False)
    assert clock.due(at(3, 23, 59)) == (True, False)
    assert clock.due(at(4, 5)) == (True, False)
    assert clock.due(at(4, 6, 1)) == (True, True)


def test_a_clock_started_after_the_hour_sends_the_days_digest():
    assert Clock().due(at(3, 20)) == (True, True)
