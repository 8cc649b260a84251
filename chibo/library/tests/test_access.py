"""Who reads which documents: those for everyone; internal ones only in their committee's
subtree (and above it); never another subtree's, on any page or in any count."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from chibo.access.scope import Scope
from chibo.library.models import Bookmark
from chibo.library.tests.library_data import shelved

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


@pytest.fixture
def shelves(world) -> dict:
    return {
        "national": shelved(number="57-NQ/TW"),
        "province": shelved(audience=world.province, number="01-NQ/TU", issuer="Tỉnh ủy"),
        "city": shelved(audience=world.city, number="02-NQ/TU", issuer="Thành ủy Uông Bí"),
        "ward": shelved(audience=world.ward, number="03-NQ/ĐU", issuer="Đảng ủy Quang Trung"),
        "other": shelved(audience=world.other_city, number="04-NQ/TU", issuer="Thành ủy Hạ Long"),
    }


def readable(world, persona: str) -> set[str]:
    user = getattr(world, persona)
    return set(Scope(user).library_documents().values_list("number", flat=True))


def test_each_persona_reads_what_is_for_everyone_and_for_the_committees_above_it(world, shelves):
    home = {"57-NQ/TW", "01-NQ/TU", "02-NQ/TU", "03-NQ/ĐU"}
    for persona in ("member", "secretary", "supervisor"):
        assert readable(world, persona) == home, persona
    # Cường sits on the city's committee: the city's, the ward's below it, the province's above.
    assert readable(world, "committee") == home
    assert readable(world, "outsider") == {"57-NQ/TW", "01-NQ/TU", "04-NQ/TU"}
    assert readable(world, "admin") == home | {"04-NQ/TU"}


def test_nothing_of_another_subtree_shows_on_the_list_its_filters_or_bookmarks(world, shelves):
    other = shelves["other"]
    # Bookmarked while it was readable, then made internal to another subtree.
    mai = world.member.member
    Bookmark.objects.create(member=mai, document=other)
    member = world.client("member")
    for target in (reverse("library:index"), reverse("library:bookmarks")):
        page = member.get(target).content.decode()
        assert "04-NQ/TU" not in page and "Thành ủy Hạ Long" not in page, target
    assert "Thành ủy Uông Bí" in member.get(reverse("library:index")).content.decode()
    for name in ("document", "download", "bookmark", "note"):
        method = "post" if name in ("bookmark", "note") else "get"
        target = reverse(f"library:{name}", args=[other.code])
        assert getattr(member, method)(target).status_code == 404


def test_links_to_a_document_the_reader_may_not_see_are_left_out(world, shelves):
    national = shelves["national"]
    national.replaces = shelves["other"]
    national.save(update_fields=["replaces"])
    page = world.client("member").get(reverse("library:document", args=[national.code]))
    assert "04-NQ/TU" not in page.content.decode()
    outsider = world.client("outsider").get(reverse("library:document", args=[national.code]))
    assert "04-NQ/TU" in outsider.content.decode()


def test_who_adds_for_which_committee(world, issuer):
    lan = Scope(issuer)
    assert set(lan.document_committees()) == {world.city, world.ward}
    assert lan.can_publish_documents(world.ward)
    assert not lan.can_publish_documents(world.province)
    assert not lan.can_publish_documents(world.other_city)
    assert not lan.can_publish_documents(world.cell)  # a cell has no internal documents
    for persona in ("member", "secretary", "committee", "outsider"):
        assert not Scope(getattr(world, persona)).may_publish_documents(), persona
    national = shelved(issued_on=date(2020, 1, 1))
    assert not lan.can_change_document(national)
    assert Scope(world.admin).can_change_document(national)


def test_a_member_authorised_by_permission_adds_for_the_committees_they_sit_on(world):
    from django.contrib.auth.models import Permission

    cuong = world.committee
    cuong.user_permissions.add(Permission.objects.get(codename="publish_documents"))
    scope = Scope(type(cuong).objects.get(pk=cuong.pk))
    assert set(scope.document_committees()) == {world.city, world.ward}
    assert not scope.can_publish_documents(world.other_city)
