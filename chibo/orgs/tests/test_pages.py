"""The tree, cell, member and search pages, for every persona."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.conftest import make_member
from chibo.meetings.publishing import publish
from chibo.meetings.tests.publishing_data import plan
from chibo.orgs.models import Member, Position


def org_url(org) -> str:
    return reverse("orgs:organisation", args=[org.code])


def member_url(name: str, view: str = "orgs:member") -> str:
    return reverse(view, args=[Member.objects.get(full_name=name).code])


PAGES = [
    lambda w: reverse("home"),
    lambda w: reverse("orgs:tree"),
    lambda w: org_url(w.cell),
    lambda w: reverse("orgs:members"),
    lambda w: member_url("Nguyễn Thị Mai"),
    lambda w: member_url("Nguyễn Thị Mai", "orgs:member_edit"),
]


@pytest.mark.parametrize("page", PAGES)
def test_it_sends_anonymous_visitors_to_sign_in(client, world, page):
    response = client.get(page(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES[2:])
def test_it_refuses_other_methods(world, page):
    assert world.client("admin").delete(page(world)).status_code == 405


@pytest.mark.parametrize(
    "persona, visible, hidden",
    [
        ("member", ["cell"], ["sister_cell", "ward", "city", "foreign_cell"]),
        ("secretary", ["cell"], ["sister_cell", "ward", "foreign_cell"]),
        ("supervisor", ["cell", "sister_cell"], ["ward", "city", "foreign_cell"]),
        (
            "committee",
            ["city", "ward", "cell", "sister_cell"],
            ["province", "other_city", "foreign_cell"],
        ),
        ("outsider", ["foreign_cell"], ["cell", "city", "ward"]),
        ("admin", ["province", "city", "cell", "foreign_cell"], []),
    ],
)
def test_it_shows_each_role_its_subtree_and_nothing_else(world, persona, visible, hidden):
    client = world.client(persona)
    for name in visible:
        assert client.get(org_url(getattr(world, name))).status_code == 200, name
    for name in hidden:
        assert client.get(org_url(getattr(world, name))).status_code == 404, name


@pytest.mark.parametrize(
    "persona, visible, hidden",
    [
        ("member", ["Trần Văn Sơn"], ["Lê Văn Vũ", "Hoàng Thị Oanh"]),
        ("supervisor", ["Trần Văn Sơn", "Phạm Quốc Cường"], ["Hoàng Thị Oanh"]),
        ("committee", ["Nguyễn Thị Mai", "Lê Văn Vũ"], ["Hoàng Thị Oanh"]),
        ("outsider", ["Hoàng Thị Oanh"], ["Nguyễn Thị Mai"]),
    ],
)
def test_it_keeps_member_profiles_and_search_inside_the_scope(world, persona, visible, hidden):
    client = world.client(persona)
    listing = client.get(reverse("orgs:members")).content.decode()
    for name in visible:
        assert client.get(member_url(name)).status_code == 200
        assert name in listing
    for name in hidden:
        assert client.get(member_url(name)).status_code == 404
        assert name not in listing


def test_it_answers_404_for_unknown_and_malformed_ids(world):
    client = world.client("admin")
    assert client.get(f"/orgs/{uuid.uuid4()}/").status_code == 404
    assert client.get("/orgs/12/").status_code == 404
    assert client.get("/members/not-a-uuid/").status_code == 404
    assert client.get("/members/%00%27;drop/").status_code == 404


def test_it_shows_the_tree_with_counts_and_drills_down(world):
    client = world.client("committee")
    response = client.get(reverse("orgs:tree"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == org_url(world.city)
    assert "Đảng bộ phường Quang Trung" in page
    ward = client.get(org_url(world.ward), headers={"Accept-Language": "en"}).content.decode()
    assert "Chi bộ khu 1" in ward and "Chi bộ khu 2" in ward
    assert "2 cells · 4 members" in ward


def test_it_lists_several_roots_for_a_supervisor(world):
    page = world.client("supervisor").get(reverse("orgs:tree")).content.decode()
    assert "Chi bộ khu 1" in page and "Chi bộ khu 2" in page


def test_it_shows_a_cell_with_its_secretary_supervisor_and_members(world):
    page = world.client("member").get(org_url(world.cell)).content.decode()
    assert "Trần Văn Sơn" in page
    assert "Lê Văn Vũ" in page  # the supervising committee member
    assert "Nguyễn Thị Mai" in page
    # Breadcrumbs name the ancestors without linking to what the member may not open.
    assert "Đảng bộ phường Quang Trung" in page
    assert org_url(world.ward) not in page
    # Each member's status in the reader's language.
    assert '<span class="badge official">chính thức</span>' in page
    khmer = world.client("member").get(org_url(world.cell), headers={"Accept-Language": "km"})
    assert '<span class="badge official">ផ្លូវការ</span>' in khmer.content.decode()


def test_it_masks_personal_data_for_those_not_entitled(world):
    url = member_url("Nguyễn Thị Mai")
    assert "022180001234" in world.client("member").get(url).content.decode()
    assert "022180001234" in world.client("secretary").get(url).content.decode()
    shown = world.client("committee").get(url).content.decode()
    assert "022180001234" not in shown and "0912345678" not in shown
    assert "•••••••••234" in shown


def test_it_finds_members_without_diacritics_and_by_card(world):
    client = world.client("admin")
    page = client.get(reverse("orgs:members"), {"q": "nguyen thi mai"}).content.decode()
    assert "Nguyễn Thị Mai" in page and "Trần Văn Sơn" not in page
    card = Member.objects.get(full_name="Trần Văn Sơn").card_number
    page = client.get(reverse("orgs:members"), {"q": card}).content.decode()
    assert "Trần Văn Sơn" in page and "Nguyễn Thị Mai" not in page


def test_it_finds_khmer_names(world):
    make_member(world.foreign_cell, "សុខ ចាន់ថា")
    page = world.client("admin").get(reverse("orgs:members"), {"q": "ចាន់ថា"}).content.decode()
    assert "សុខ ចាន់ថា" in page


def test_it_returns_only_the_results_to_htmx(world):
    response = world.client("admin").get(
        reverse("orgs:members"), {"q": "mai"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "Nguyễn Thị Mai" in page and "<html" not in page


def test_it_refuses_an_overlong_search(world):
    response = world.client("admin").get(reverse("orgs:members"), {"q": "a" * 500})
    assert response.status_code == 200
    assert "Nguyễn Thị Mai" in response.content.decode()  # the bad query is ignored, not run


def test_it_lets_the_secretary_edit_contact_details(world):
    url = member_url("Nguyễn Thị Mai", "orgs:member_edit")
    response = world.client("secretary").post(
        url, {"phone": "0987 654 321", "citizen_id": "022180009999"}
    )
    assert response.status_code == 302
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    assert (mai.phone, mai.citizen_id) == ("0987 654 321", "022180009999")


@pytest.mark.parametrize(
    "data",
    [
        {"phone": "call me maybe", "citizen_id": "022180001234"},
        {"phone": "0912345678", "citizen_id": "12345"},
        {"phone": "0912345678", "citizen_id": "０２２１８０００１２３４"},
    ],
)
def test_it_rejects_bad_contact_details_and_changes_nothing(world, data):
    url = member_url("Nguyễn Thị Mai", "orgs:member_edit")
    response = world.client("secretary").post(url, data)
    assert response.status_code == 200
    assert b"errorlist" in response.content
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    assert (mai.phone, mai.citizen_id) == ("0912345678", "022180001234")


@pytest.mark.parametrize(
    "persona, status", [("committee", 403), ("supervisor", 403), ("member", 403), ("outsider", 404)]
)
def test_it_forbids_editing_to_those_who_only_read(world, persona, status):
    url = member_url("Nguyễn Thị Mai", "orgs:member_edit")
    response = world.client(persona).post(url, {"phone": "0900000000", "citizen_id": ""})
    assert response.status_code == status
    assert Member.objects.get(full_name="Nguyễn Thị Mai").phone == "0912345678"


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_costs_the_same_queries_for_a_big_cell_as_a_small_one(world):
    client = world.client("secretary")
    small = count_queries(client, org_url(world.cell))
    for i in range(54):
        make_member(world.cell, f"Thành viên {i:02d}")
    assert count_queries(client, org_url(world.cell)) == small
    assert small <= 12


def test_it_costs_the_same_queries_for_a_wide_committee_as_a_narrow_one(world):
    from chibo.conftest import child

    client = world.client("committee")
    narrow = count_queries(client, org_url(world.ward))
    for i in range(20):
        child(world.ward, name=f"Chi bộ {i}", kind="cell", level=world.cell.level)
    assert count_queries(client, org_url(world.ward)) == narrow
    assert narrow <= 10


def test_it_costs_the_same_queries_for_a_long_search_as_a_short_one(world):
    client = world.client("committee")
    short = count_queries(client, reverse("orgs:members"))
    for i in range(40):
        make_member(world.sister_cell, f"Nguyễn Văn {i:02d}")
    assert count_queries(client, reverse("orgs:members")) == short
    assert short <= 10


def test_it_costs_a_fixed_number_of_queries_for_a_profile(world):
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    client = world.client("secretary")
    few = count_queries(client, member_url("Nguyễn Thị Mai"))
    for kind in (Position.Kind.CELL_COMMITTEE, Position.Kind.DEPUTY):
        Position.objects.create(
            member=mai, organisation=world.cell, kind=kind, started_on="2021-01-01"
        )
    mai.move_to(world.sister_cell)
    mai.move_to(world.cell)
    # Seats changed: the secretary's reach is read again once, then kept.
    assert count_queries(client, member_url("Nguyễn Thị Mai")) == few + 3
    assert count_queries(client, member_url("Nguyễn Thị Mai")) == few
    assert few <= 10


def test_it_greets_a_member_in_the_same_queries_however_many_meetings(world):
    client = world.client("member")
    publish(plan(world.cell), by=None)
    few = count_queries(client, reverse("home"))
    for days in range(4, 12):
        publish(plan(world.cell, starts_in=timedelta(days=days)), by=None)
    assert count_queries(client, reverse("home")) == few
    assert few <= 10


def test_it_greets_a_member_with_their_cell_and_positions(world):
    page = world.client("secretary").get(reverse("home")).content.decode()
    assert "Trần Văn Sơn" in page and "Chi bộ khu 1" in page
