"""Query budgets of the voices' pages that had none: recording a voice, from the cell's page
and from a meeting's, the public door's thanks, its poster, and opening a consultation. Each is
measured as the person who uses it, in a small world and in one twenty times larger: the count
must not grow with the cell's members, its voices, its categories or its consultations."""

from collections.abc import Callable

import pytest
from django.test import Client

from chibo.conftest import make_member
from chibo.meetings.tests.holding_data import count_queries, opened
from chibo.voices import door, handling
from chibo.voices.consultations import Consultation
from chibo.voices.models import Category
from chibo.voices.tests.consult_data import meeting
from chibo.voices.tests.consult_data import opened as consulted
from chibo.voices.tests.voices_data import NOW, category, clock, recorded, scope, url

pytestmark = [clock, pytest.mark.usefixtures("english")]


def members(world, count: int, start: int = 0) -> None:
    """More members of the home cell, two by two of one name: the form's picker tells them
    apart (`Scope.member_labels`), which must not cost a query each."""
    for i in range(start, start + count):
        make_member(world.cell, f"Đảng viên {i // 2:02d}")


def categories(count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        Category.objects.create(slug=f"extra-{i}", name=f"Loại {i}", position=100 + i)


def grows(more: Callable[[int], None], measure: Callable[[], int]) -> None:
    """The page costs as much with 40 of each thing as with 2: `more(n)` adds n of each."""
    more(2)
    few = measure()
    more(38)
    assert measure() == few


def test_recording_a_voice_keeps_its_budget(world):
    # The member of the cell records; the picker lists the cell's members, the categories.
    client = world.client("member")
    made = {"n": 0}

    def more(count: int) -> None:
        members(world, count, made["n"])
        categories(count, made["n"])
        for i in range(count):
            recorded(world, text=f"Ý kiến {made['n'] + i}.")
        made["n"] += count

    grows(more, lambda: count_queries(client, url("record", world.cell.code)))
    page = client.get(url("record", world.cell.code)).content.decode()
    assert "Đảng viên 19 (born 1980" in page and "Loại 39" in page  # the large world was drawn


def test_recording_in_a_meeting_keeps_its_budget(world):
    # The secretary, who holds the meeting, records what was raised in it.
    held = opened(world.cell)
    client = world.client("secretary")
    target = url("record_in_meeting", held.code)
    client.get(target)  # measured as met again, not as the first page of the meeting seen
    made = {"n": 0}

    def more(count: int) -> None:
        members(world, count, made["n"])
        categories(count, made["n"])
        for i in range(count):
            recorded(world, "secretary", meeting=held, text=f"Ý kiến {made['n'] + i}.")
        made["n"] += count

    grows(more, lambda: count_queries(client, target))
    assert held.voices.count() == 40


def test_the_doors_thanks_keeps_its_budget(world):
    # A citizen without an account, just after leaving a voice: the page shows its code once.
    made = {"n": 0}

    def thanks() -> int:
        client = Client(REMOTE_ADDR=f"203.0.113.{made['n']}")
        left = client.post(url("door", world.cell.code), {"category": category().pk, "text": "Ý"})
        assert left["Location"] == url("door_thanks", world.cell.code)
        return count_queries(client, left["Location"])

    def more(count: int) -> None:
        secretary = scope(world.secretary)
        for i in range(count):
            voice = door.submit(world.cell, category=category(), text=f"Ý kiến {i}.", at=NOW)
            if i % 2:
                door.accept(voice, secretary, at=NOW)
                handling.answer(voice, "Đã nhận.", secretary, at=NOW)
        categories(count, made["n"])
        made["n"] += count

    grows(more, thanks)


def test_the_doors_poster_keeps_its_budget(world):
    # The cell's secretary prints it.
    client = world.client("secretary")
    secretary = scope(world.secretary)

    def more(count: int) -> None:
        for i in range(count):
            voice = door.submit(world.cell, category=category(), text=f"Ý kiến {i}.", at=NOW)
            if i % 2:
                door.accept(voice, secretary, at=NOW)
            recorded(world)

    grows(more, lambda: count_queries(client, url("door_poster", world.cell.code)))
    page = client.get(url("door_poster", world.cell.code)).content.decode()
    assert 'class="qr"' in page


def test_opening_a_consultation_keeps_its_budget(world):
    # The secretary, who prepares the meeting, opens its consultation; the cell has others.
    found = meeting(world)
    client = world.client("secretary")
    made = {"n": 0}

    def more(count: int) -> None:
        members(world, count, made["n"])
        for _ in range(count):
            consulted(world, on=meeting(world))
        made["n"] += count

    # Drawn as the form each time (200), not sent on to a consultation of its own.
    grows(more, lambda: count_queries(client, url("consult_open", found.code)))
    assert Consultation.objects.filter(cell=world.cell).count() == 40
