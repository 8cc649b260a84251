"""Two members of one name are told apart wherever a member is picked: preparer, the cell
committee who agreed the content, a task's owner, who raised a voice; with only what the
picking role may see."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from chibo.access.scope import Scope
from chibo.conftest import make_member
from chibo.meetings.tests.holding_data import opened
from chibo.meetings.tests.test_planning import make_meeting
from chibo.meetings.tests.test_roles import seat

TRINH = "Nguyễn Thị Trinh"


@pytest.fixture(autouse=True)
def english(settings):
    """Labels are checked in English, whatever the translators have done."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def trinhs(world):
    """Two of one name in the cell, both on its committee: born in 1975 and 1988."""
    older = make_member(world.cell, TRINH, birth_date=date(1975, 2, 3), card_number="TR1975")
    younger = make_member(world.cell, TRINH, birth_date=date(1988, 9, 9), card_number="TR1988")
    for person in (older, younger):
        seat(person, world.cell)
    return older, younger


def options(html: str) -> list[str]:
    return [line for line in html.split("<option") if TRINH in line]


def test_the_preparer_picker_tells_them_apart_by_year_of_birth(world, trinhs):
    page = world.client("secretary").get(reverse("meetings:plan", args=[world.cell.code]))
    found = options(page.content.decode())
    assert len(found) == 2
    assert any(f"{TRINH} (born 1975)" in o for o in found)
    assert any(f"{TRINH} (born 1988)" in o for o in found)


def test_the_cell_committee_checklist_tells_them_apart(world, trinhs):
    meeting = make_meeting(world.cell)
    page = world.client("secretary").get(reverse("meetings:agenda", args=[meeting.code]))
    html = page.content.decode()
    assert f"{TRINH} (born 1975)" in html and f"{TRINH} (born 1988)" in html


def test_the_task_owner_picker_tells_them_apart(world, trinhs):
    meeting = opened(world.cell)
    page = world.client("secretary").get(reverse("meetings:resolution", args=[meeting.code]))
    html = page.content.decode()
    assert f"{TRINH} (born 1975)" in html and f"{TRINH} (born 1988)" in html
    # A name nobody else has stays as it is.
    assert "Nguyễn Thị Mai (" not in html and "Nguyễn Thị Mai" in html


def test_born_the_same_year_they_differ_by_the_card_as_far_as_the_role_sees_it(world):
    one = make_member(world.cell, TRINH, card_number="TR004321")
    two = make_member(world.cell, TRINH, card_number="TR008765")
    secretary = Scope(world.secretary).member_labels([one, two])
    assert secretary == {
        one.pk: f"{TRINH} (born 1980, card …4321)",
        two.pk: f"{TRINH} (born 1980, card …8765)",
    }
    # A member sees the card masked, all but its last three characters.
    member = Scope(world.member).member_labels([one, two])
    assert member[one.pk] == f"{TRINH} (born 1980, card …321)"


def test_across_cells_the_cell_is_named(world):
    here = make_member(world.cell, TRINH)
    there = make_member(world.sister_cell, TRINH, birth_date=date(1990, 1, 1))
    labels = Scope(world.admin).member_labels([here, there])
    assert labels[here.pk] == f"{TRINH} ({world.cell.name}, born 1980)"
    assert labels[there.pk] == f"{TRINH} ({world.sister_cell.name}, born 1990)"


def test_the_member_who_raised_a_voice_is_told_apart(world, trinhs):
    page = world.client("secretary").get(reverse("voices:record", args=[world.cell.code]))
    html = page.content.decode()
    assert f"{TRINH} (born 1975)" in html and f"{TRINH} (born 1988)" in html


def test_a_voice_raised_in_the_meeting_names_them_apart_on_its_page(world, trinhs):
    meeting = opened(world.cell)
    page = world.client("secretary").get(reverse("meetings:hold", args=[meeting.code]))
    html = page.content.decode()
    assert f"{TRINH} (born 1975)" in html and f"{TRINH} (born 1988)" in html
