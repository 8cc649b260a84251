"""The committee's month-by-month grid of which cells met (rules 1 and 2)."""

from datetime import date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chibo.conftest import child
from chibo.meetings.models import Meeting
from chibo.meetings.overview import grid

CLOSED = Meeting.Status.CLOSED


def held(cell, year: int, month: int, kind=Meeting.Kind.REGULAR, status=CLOSED) -> Meeting:
    starts = timezone.make_aware(datetime(year, month, 4, 19, 30))
    return Meeting.objects.create(
        cell=cell, kind=kind, starts_at=starts, place="Hội trường", status=status
    )


def test_it_flags_months_without_a_regular_meeting_and_quarters_without_a_theme(world):
    held(world.cell, 2025, 1)
    held(world.cell, 2025, 2, kind=Meeting.Kind.COMBINED)
    held(world.cell, 2025, 3, status=Meeting.Status.CANCELLED)
    held(world.cell, 2025, 4, kind=Meeting.Kind.THEMATIC)
    held(world.cell, 2025, 6, status=Meeting.Status.PUBLISHED)  # planned, not yet held
    [row] = grid(Meeting.objects.all(), [world.cell], 2025, today=date(2025, 7, 15))
    assert [m.held_regular for m in row.months[:6]] == [True, True, False, False, False, False]
    assert [m.missing_regular for m in row.months[:7]] == [
        False,
        False,
        True,
        True,
        True,
        True,
        False,
    ]
    assert row.months[5].planned and not row.months[6].past
    assert row.quarters_missing == []  # Q1 had the combined meeting, Q2 the thematic one
    [later] = grid(Meeting.objects.all(), [world.cell], 2025, today=date(2026, 1, 2))
    assert later.quarters_missing == [3, 4]
    assert later.missing_count == 10 + 2


def test_it_shows_the_grid_of_a_committee_subtree_only(world):
    held(world.cell, 2025, 1)
    held(world.foreign_cell, 2025, 1)
    client = world.client("committee")
    page = client.get(reverse("meetings:calendar", args=[world.city.code]), {"year": 2025})
    text = page.content.decode()
    assert "Chi bộ khu 1" in text and "Chi bộ khu 2" in text and "Chi bộ khu 5" not in text
    assert text.split("<tbody>")[1].count("✗") == 11 + 12
    response = client.get(reverse("meetings:calendar", args=[world.other_city.code]))
    assert response.status_code == 404


def test_it_marks_as_planned_only_the_meetings_the_viewer_may_open(world):
    """The secretary's draft is theirs: to the members and the committee above, the month stays
    empty until the notice is out, as the meeting itself answers them 404 until then."""
    draft = held(world.cell, 2030, 3, status=Meeting.Status.DRAFT)
    held(world.cell, 2030, 4, status=Meeting.Status.PUBLISHED)

    def planned(persona: str, org) -> list[int]:
        page = world.client(persona).get(
            reverse("meetings:calendar", args=[org.code]), {"year": 2030}
        )
        row = page.content.decode().split("<tbody>")[1].split("</tr>")[0]
        months = row.split('<td class="num')[1:]
        return [number for number, text in enumerate(months, start=1) if "○" in text]

    assert planned("secretary", world.cell) == [3, 4]
    assert planned("member", world.cell) == [4]
    assert planned("committee", world.city) == [4]
    target = reverse("meetings:meeting", args=[draft.code])
    assert world.client("secretary").get(target).status_code == 200
    assert world.client("member").get(target).status_code == 404
    assert world.client("committee").get(target).status_code == 404


def test_it_ignores_a_nonsense_year(world):
    client = world.client("committee")
    response = client.get(reverse("meetings:calendar", args=[world.city.code]), {"year": "x'1"})
    assert response.status_code == 200
    assert str(timezone.localdate().year) in response.content.decode()


def test_it_costs_the_same_queries_for_many_cells(world):
    client = world.client("committee")
    target = reverse("meetings:calendar", args=[world.ward.code]) + "?year=2025"
    with CaptureQueriesContext(connection) as few:
        client.get(target)
    for i in range(30):
        cell = child(world.ward, name=f"Chi bộ {i}", kind="cell", level=world.cell.level)
        held(cell, 2025, 3)
    with CaptureQueriesContext(connection) as many:
        client.get(target)
    assert len(many) == len(few)
