"""The menu's way to the quality of cell life: one tap to the dashboard that is one's own, a
short list for those who follow several, nothing for a plain member."""

from datetime import date

from django.test import Client
from django.urls import reverse

from chibo.meetings.tests.holding_data import count_queries
from chibo.orgs.models import Position
from chibo.supervision.models import Assignment

MINE = reverse("quality:mine")
ENGLISH = {"Accept-Language": "en"}


def dashboard(org) -> str:
    return reverse("quality:dashboard", args=[org.code])


def test_the_menu_offers_it_to_those_who_follow_an_organisation(world):
    for persona in ("committee", "secretary", "supervisor", "admin"):
        home = world.client(persona).get(reverse("home"), headers=ENGLISH).content.decode()
        assert f'href="{MINE}">Quality</a>' in home, persona
    for persona in ("member", "outsider"):
        home = world.client(persona).get(reverse("home"), headers=ENGLISH).content.decode()
        assert f'href="{MINE}"' not in home, persona


def test_one_dashboard_is_one_tap_away(world):
    expected = {
        "committee": world.city,
        "secretary": world.cell,
        "supervisor": world.cell,
        "admin": world.province,
    }
    for persona, org in expected.items():
        response = world.client(persona).get(MINE)
        assert response.status_code == 302, persona
        assert response["Location"] == dashboard(org), persona
        assert world.client(persona).get(response["Location"]).status_code == 200, persona


def test_several_are_listed_from_the_top_each_with_its_parent(world):
    cuong = world.committee.member
    Assignment.objects.create(supervisor=cuong, cell=world.cell, started_on=date(2024, 1, 1))
    Position.objects.create(
        member=cuong,
        organisation=world.ward,
        kind=Position.Kind.COMMITTEE,
        started_on=date(2024, 1, 1),
    )
    client = world.client("committee")
    response = client.get(MINE, headers=ENGLISH)
    assert response.status_code == 200
    # The ward is in the city's subtree, but it is a seat of its own: both are listed.
    assert [o.name for o in response.context["orgs"]] == [
        world.city.name,
        world.ward.name,
        world.cell.name,
    ]
    page = response.content.decode()
    cell = f'<a href="{dashboard(world.cell)}">{world.cell.name}</a>'
    assert f'{cell} <span class="help">{world.ward.name}</span>' in page
    for org in (world.city, world.ward, world.cell):
        assert client.get(dashboard(org)).status_code == 200, org.name


def test_a_plain_member_is_told_whose_it_is(world):
    response = world.client("member").get(MINE, headers=ENGLISH)
    assert response.status_code == 200
    assert response.context["orgs"] == []
    assert "it is for the committees" in response.content.decode()


def test_it_asks_to_sign_in_and_answers_only_get(world):
    assert Client().get(MINE).status_code == 302
    assert world.client("committee").post(MINE).status_code == 405


def test_the_list_costs_the_same_queries_for_one_or_many(world):
    client = world.client("committee")
    cuong = world.committee.member
    Position.objects.create(
        member=cuong,
        organisation=world.ward,
        kind=Position.Kind.COMMITTEE,
        started_on=date(2024, 1, 1),
    )
    two = count_queries(client, MINE)
    for cell in (world.cell, world.sister_cell):
        Assignment.objects.create(supervisor=cuong, cell=cell, started_on=date(2024, 1, 1))
    assert count_queries(client, MINE) == two
