"""Members' personal data by role (rule 21): one table in `access`, and every page and form
that shows the fields follows it; their pages are never kept by a cache, and every view of a
profile or an edit form goes to the audit log."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from chibo.access.personal import FIELDS, TABLE, Role, Shown
from chibo.audit.models import Action, Entry
from chibo.conftest import make_member, make_user
from chibo.meetings.tests.holding_data import ENGLISH
from chibo.orgs.models import Member, Position

CARD, CITIZEN, PHONE, BORN = "T77770123", "022180005678", "0988777456", date(1979, 4, 23)
FULL_BORN, MASKED_BORN = "04/23/1979", "••/••/1979"  # in English
MASKED = {
    "card_number": "••••••123",
    "citizen_id": "•••••••••678",
    "phone": "•••••••456",
}


@pytest.fixture
def people(world):
    """Hà, of the home cell, with numbers of her own; Dũng its deputy; Lan on the city's
    committee with the permission to see personal data."""
    make_member(
        world.cell, "Vũ Thị Hà", card_number=CARD, citizen_id=CITIZEN, phone=PHONE, birth_date=BORN
    )
    dung = make_member(world.cell, "Đỗ Văn Dũng")
    Position.objects.create(
        member=dung, organisation=world.cell, kind=Position.Kind.DEPUTY, started_on=date(2020, 1, 1)
    )
    world.deputy = make_user(dung, "dung")
    lan = make_member(world.sister_cell, "Lê Thị Lan")
    Position.objects.create(
        member=lan,
        organisation=world.city,
        kind=Position.Kind.COMMITTEE,
        started_on=date(2020, 1, 1),
    )
    world.staff = make_user(lan, "lan")
    world.staff.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    return world


def ha() -> Member:
    return Member.objects.get(full_name="Vũ Thị Hà")


def profile(world, persona: str) -> str:
    url = reverse("orgs:member", args=[ha().code])
    return world.client(persona).get(url, headers=ENGLISH).content.decode()


# Each persona's standing towards Hà, and what the table lets them see.
ROLES = {
    "admin": Role.ADMIN,
    "secretary": Role.SECRETARY,
    "staff": Role.STAFF,
    "deputy": Role.DEPUTY,
    "committee": Role.COMMITTEE,
    "supervisor": Role.SUPERVISOR,
    "member": Role.MEMBER,
}
FULL_TEXT = {"card_number": CARD, "citizen_id": CITIZEN, "phone": PHONE, "birth_date": FULL_BORN}
MASKED_TEXT = {**MASKED, "birth_date": MASKED_BORN}


def test_each_role_sees_no_less_than_the_roles_after_it():
    """What lets a list be narrowed role by role (`Scope.members_showing`)."""
    roles = list(Role)
    for better, worse in zip(roles, roles[1:], strict=False):
        for field in FIELDS:
            assert TABLE[better][field] >= TABLE[worse][field], (better, worse, field)


def test_card_numbers_are_masked_for_ordinary_members_and_citizen_ids_hidden():
    assert TABLE[Role.MEMBER]["card_number"] == Shown.MASKED
    assert TABLE[Role.MEMBER]["citizen_id"] == Shown.HIDDEN
    assert TABLE[Role.DEPUTY]["citizen_id"] == Shown.MASKED


@pytest.mark.parametrize("persona, role", ROLES.items())
def test_the_profile_shows_each_field_as_the_table_says(people, persona, role):
    page = profile(people, persona)
    for field in FIELDS:
        shown = TABLE[role][field]
        assert (FULL_TEXT[field] in page) == (shown == Shown.FULL), (field, shown)
        assert (MASKED_TEXT[field] in page) == (shown == Shown.MASKED), (field, shown)
    assert ("Citizen ID number" in page) == (TABLE[role]["citizen_id"] != Shown.HIDDEN)


def test_a_member_sees_all_of_their_own(people):
    mai = people.member.member
    own = people.client("member").get(reverse("orgs:member", args=[mai.code])).content.decode()
    assert mai.card_number in own and mai.citizen_id in own and mai.phone in own


def edit_url() -> str:
    return reverse("orgs:member_edit", args=[ha().code])


def test_a_deputys_edit_form_masks_what_the_profile_masks(people):
    form = people.client("deputy").get(edit_url(), headers=ENGLISH).content.decode()
    assert CITIZEN not in form and PHONE not in form
    assert MASKED["citizen_id"] in form and MASKED["phone"] in form
    assert "Leave empty to keep it." in form
    full = people.client("secretary").get(edit_url()).content.decode()
    assert CITIZEN in full and PHONE in full


def test_a_deputy_keeps_masked_fields_by_leaving_them_empty_or_replaces_them(people):
    client = people.client("deputy")
    assert client.post(edit_url(), {"phone": "", "citizen_id": ""}).status_code == 302
    assert (ha().phone, ha().citizen_id) == (PHONE, CITIZEN)
    assert not Entry.objects.filter(action=Action.MEMBER_CHANGED).exists()
    assert client.post(edit_url(), {"phone": "0900 000 111", "citizen_id": ""}).status_code == 302
    assert (ha().phone, ha().citizen_id) == ("0900 000 111", CITIZEN)
    change = Entry.objects.get(action=Action.MEMBER_CHANGED)
    assert (change.username, change.object_id, change.detail) == (
        "dung",
        str(ha().pk),
        {"fields": ["phone"]},
    )


@pytest.mark.parametrize("persona", ["member", "deputy", "secretary"])
def test_member_lists_show_card_numbers_as_the_table_says(people, persona):
    role = ROLES[persona]
    shown = TABLE[role]["card_number"]
    for url in (reverse("orgs:members"), reverse("orgs:organisation", args=[people.cell.code])):
        page = people.client(persona).get(url).content.decode()
        assert "Vũ Thị Hà" in page
        assert (CARD in page) == (shown == Shown.FULL), url
        assert (MASKED["card_number"] in page) == (shown == Shown.MASKED), url


def found(world, persona: str, query: str) -> bool:
    page = world.client(persona).get(reverse("orgs:members"), {"q": query}).content.decode()
    return "Vũ Thị Hà" in page


def test_only_those_who_see_a_card_number_may_search_by_it(people):
    assert not found(people, "member", CARD)
    assert found(people, "member", "vu thi ha")  # by name, as before
    for persona in ("secretary", "deputy", "committee", "supervisor", "admin"):
        assert found(people, persona, CARD), persona
    mai = people.member.member
    page = people.client("member").get(reverse("orgs:members"), {"q": mai.card_number})
    assert "Nguyễn Thị Mai" in page.content.decode()  # their own card, they see


def test_pages_with_personal_data_are_never_kept_by_a_cache(people):
    client = people.client("secretary")
    for url in (
        reverse("orgs:member", args=[ha().code]),
        edit_url(),
        reverse("orgs:members"),
        reverse("orgs:organisation", args=[people.cell.code]),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_every_view_of_a_profile_or_an_edit_form_is_recorded(people):
    profile(people, "committee")
    people.client("secretary").get(edit_url())
    views = Entry.objects.filter(action=Action.MEMBER_VIEWED).order_by("number")
    assert [(e.username, e.object_id, e.organisation_id, e.detail) for e in views] == [
        ("cuong", str(ha().pk), people.cell.pk, {}),
        ("son", str(ha().pk), people.cell.pk, {"form": 1}),
    ]


def test_a_member_reading_their_own_profile_is_not_recorded(people):
    mai = people.member.member
    people.client("member").get(reverse("orgs:member", args=[mai.code]))
    assert not Entry.objects.filter(action=Action.MEMBER_VIEWED).exists()
