"""A history the dashboard's tests share: one cell slipping, its sister cell steady."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from chibo.lib.months import month_of, shift
from chibo.meetings.models import Meeting
from chibo.quality import rollup
from chibo.quality.tests.history import held, task

MAI, SON, VU, CUONG = "Nguyễn Thị Mai", "Trần Văn Sơn", "Lê Văn Vũ", "Phạm Quốc Cường"


def months_ago(n: int) -> date:
    return shift(month_of(timezone.localdate()), -n).replace(day=10)


@pytest.fixture
def slipping(world):
    """The cell met well three and four months ago, then missed two of the last three months
    and let three tasks pass their deadline; its sister cell met every month, fully, on the
    regular business and a theme together, with its own matter each month and both members
    speaking."""
    for n in (4, 5):
        held(world.cell, months_ago(n), [MAI, SON])
    last = held(world.cell, months_ago(1), [MAI])
    world.weak_meeting = last
    for _ in range(3):
        task(last, timezone.localdate() - timedelta(days=3), done_on=None)
    for n in (1, 2, 3, 4, 5):
        held(
            world.sister_cell,
            months_ago(n),
            [VU, CUONG],
            kind=Meeting.Kind.COMBINED,
            comments=(VU, CUONG),
            topic=f"Việc riêng của tháng {n}",
        )
    rollup.rebuild()
    return world
