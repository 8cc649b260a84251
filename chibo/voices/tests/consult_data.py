"""Consultations opened and answered through the app's own functions, for the tests."""

from datetime import UTC, date, datetime

from chibo.conftest import make_member, make_user
from chibo.meetings.models import Meeting
from chibo.voices import consulting
from chibo.voices.consultations import Consultation
from chibo.voices.tests.voices_data import NOW, scope

# The meeting: 20 December 2026, 19:30 in Vietnam. The consultation: 15 to 18 December.
MEETING_AT = datetime(2026, 12, 20, 12, 30, tzinfo=UTC)
OPENS, CLOSES = date(2026, 12, 15), date(2026, 12, 18)
QUESTION = "Chi bộ nên ưu tiên sửa tuyến đường nào trong quý tới?"
STATEMENTS = [
    "Sửa đường vào khu 3 trước mùa mưa.",
    "Mỗi hộ góp 200.000 đồng cho quỹ sửa đường.",
    "Làm thêm rãnh thoát nước dọc ngõ 5.",
]


def meeting(world, status=Meeting.Status.PUBLISHED, at=MEETING_AT) -> Meeting:
    found = Meeting.objects.create(
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        starts_at=at,
        place="Nhà văn hóa khu 1",
        status=status,
        published_at=NOW if status != Meeting.Status.DRAFT else None,
    )
    found.add_official_agenda()
    return found


def opened(world, citizens: bool = True, on=None, **fields) -> Consultation:
    fields = {
        "question": QUESTION,
        "statements": STATEMENTS,
        "opens_on": OPENS,
        "closes_on": CLOSES,
        "open_to_citizens": citizens,
        **fields,
    }
    return consulting.open_consultation(
        on or meeting(world), scope(world.secretary), at=NOW, **fields
    )


def members(world, count: int, prefix: str = "dv") -> list:
    """More members of the home cell, each with a user to take part as."""
    return [
        make_user(make_member(world.cell, f"Đảng viên {prefix} {i:02d}"), f"{prefix}{i}")
        for i in range(count)
    ]
