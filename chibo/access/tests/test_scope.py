from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.access.personal import Role
from chibo.access.scope import (
    Scope,
    get_cell_for_user,
    get_committee_for_user,
    get_organisation_for_user,
)
from chibo.conftest import give_second_factor
from chibo.orgs.models import Member, Organisation, Position


def names(qs) -> set[str]:
    field = "full_name" if qs.model is Member else "name"
    return set(qs.values_list(field, flat=True))


def test_it_shows_a_member_only_their_cell(world):
    scope = Scope(world.member)
    assert names(scope.organisations()) == {"Chi bộ khu 1"}
    assert names(scope.members()) == {"Nguyễn Thị Mai", "Trần Văn Sơn"}
    assert not scope.can_manage(world.cell)


def test_it_lets_a_secretary_manage_their_cell_only(world):
    scope = Scope(world.secretary)
    assert scope.can_manage(world.cell)
    assert not scope.can_manage(world.sister_cell)
    assert not scope.can_see(world.sister_cell)


def test_it_shows_a_supervisor_the_cells_assigned_and_their_own(world):
    scope = Scope(world.supervisor)
    assert names(scope.organisations()) == {"Chi bộ khu 1", "Chi bộ khu 2"}
    assert not scope.can_manage(world.cell)


def test_it_shows_a_committee_member_their_subtree_and_nothing_else(world):
    scope = Scope(world.committee)
    visible = names(scope.organisations())
    assert visible == {
        "Đảng bộ thành phố Uông Bí",
        "Đảng bộ phường Quang Trung",
        "Chi bộ khu 1",
        "Chi bộ khu 2",
    }
    assert "Hoàng Thị Oanh" not in names(scope.members())
    assert not scope.can_see(world.foreign_cell)
    assert not scope.can_manage(world.cell)
    assert [o.name for o in scope.roots()] == ["Đảng bộ thành phố Uông Bí"]


def test_it_shows_an_administrator_everything(world):
    scope = Scope(world.admin)
    assert scope.organisations().count() == Organisation.objects.count()
    assert scope.members().count() == Member.objects.count()
    assert scope.can_manage(world.foreign_cell)


def test_it_finds_the_role_in_which_each_sees_a_members_personal_data(world):
    mai = Member.objects.select_related("cell").get(full_name="Nguyễn Thị Mai")
    assert Scope(world.member).role_towards(mai) == Role.SELF
    assert Scope(world.secretary).role_towards(mai) == Role.SECRETARY
    assert Scope(world.supervisor).role_towards(mai) == Role.SUPERVISOR
    assert Scope(world.committee).role_towards(mai) == Role.COMMITTEE
    assert Scope(world.admin).role_towards(mai) == Role.ADMIN
    son = Member.objects.select_related("cell").get(full_name="Trần Văn Sơn")
    assert Scope(world.member).role_towards(son) == Role.MEMBER


def test_it_opens_personal_data_to_committee_staff_with_the_permission(world):
    from django.contrib.auth.models import Permission

    world.committee.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    mai = Member.objects.select_related("cell").get(full_name="Nguyễn Thị Mai")
    oanh = Member.objects.select_related("cell").get(full_name="Hoàng Thị Oanh")
    scope = Scope(world.committee.__class__.objects.get(pk=world.committee.pk))
    assert scope.role_towards(mai) == Role.STAFF
    assert scope.personal(mai).citizen_id.value == mai.citizen_id
    assert scope.role_towards(oanh) != Role.STAFF


def test_it_ends_reach_when_a_position_ends(world):
    """The reach is kept between requests; the end of a position closes it on the next one."""
    client, ward = world.client("committee"), reverse("orgs:organisation", args=[world.ward.code])
    assert client.get(ward).status_code == 200
    seat = world.committee.member.positions.get()
    seat.ended_on = date(2021, 1, 1)
    seat.save(update_fields=["ended_on"])
    assert client.get(ward).status_code == 404
    assert not Scope(world.committee).can_see(world.ward)


def test_it_opens_reach_when_a_position_begins(world):
    client, cell = world.client("member"), reverse("meetings:plan", args=[world.cell.code])
    assert client.get(cell).status_code == 403
    Position.objects.create(
        member=world.member.member,
        organisation=world.cell,
        kind=Position.Kind.DEPUTY,
        started_on=date(2025, 1, 1),
    )
    # A deputy sees members' personal data: first the second factor, then the cell's pages.
    assert client.get(cell)["Location"].startswith(reverse("signin:enrol"))
    give_second_factor(client, world.member)
    assert client.get(cell).status_code == 200


def test_it_ends_reach_when_the_admin_deletes_seats_in_bulk(world):
    client, ward = world.client("committee"), reverse("orgs:organisation", args=[world.ward.code])
    assert client.get(ward).status_code == 200
    admin = world.client("admin")
    response = admin.post(
        reverse("admin:orgs_position_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [world.committee.member.positions.get().pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Position.objects.filter(member=world.committee.member).exists()
    assert client.get(ward).status_code == 404


def request_of(user) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_it_opens_a_cell_or_a_committee_only_where_one_is_expected(world):
    """404 out of reach or for the wrong kind of organisation, 403 for a right not held."""
    committee, member = request_of(world.committee), request_of(world.member)
    assert get_cell_for_user(committee, world.cell.code, may="oversee") == (world.cell, False)
    assert get_committee_for_user(committee, world.ward.code) == (world.ward, False)
    assert get_cell_for_user(request_of(world.secretary), world.cell.code, may="manage")[1]
    for getter, org in [(get_cell_for_user, world.ward), (get_committee_for_user, world.cell)]:
        with pytest.raises(Http404):
            getter(committee, org.code)
    with pytest.raises(PermissionDenied):
        get_cell_for_user(member, world.cell.code, may="manage")
    with pytest.raises(Http404):
        get_cell_for_user(request_of(world.outsider), world.cell.code, may="manage")
    with pytest.raises(PermissionDenied):
        get_organisation_for_user(member, world.cell.code, may="see_quality")


@pytest.mark.parametrize(
    "persona, shown",
    [("admin", True), ("committee", False), ("secretary", False), ("member", False)],
)
def test_it_shows_the_administration_links_to_administrators_only(world, persona, shown):
    page = world.client(persona).get(reverse("notify:list")).content.decode()
    assert (reverse("imports:new") in page) is shown
    assert (reverse("admin:index") in page) is shown


def test_it_reads_nothing_of_the_users_reach_for_a_page_that_needs_none(world):
    """The menu asks `scope.is_admin` on every page; a page that shows no list of the tree must
    not pay for the user's positions and supervisions."""
    client = world.client("committee")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notify:list")).status_code == 200
    tables = " ".join(query["sql"] for query in queries)
    assert "orgs_position" not in tables and "supervision_assignment" not in tables
