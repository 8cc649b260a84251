"""A committee's audit log page: its subtree's entries only, filtered, paged, within a fixed
budget of queries, never kept by a cache."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.audit.log import record
from chibo.audit.models import Action, Entry
from chibo.meetings.tests.holding_data import ENGLISH, count_queries


def log_url(org, **query) -> str:
    return reverse("audit:log", args=[org.code])


def rows(world, persona: str, org, **query) -> list[tuple[str, str]]:
    response = world.client(persona).get(log_url(org), query)
    assert response.status_code == 200
    return [(e.username, e.action) for e in response.context["entries"]]


@pytest.fixture
def logged(world):
    """Son looked at Mai (Uông Bí's subtree), Oanh at herself (Hạ Long's), the admin signed in
    (no organisation)."""
    record(None, Action.MEMBER_VIEWED, world.member.member, user=world.secretary)
    record(None, Action.MEMBER_CHANGED, world.member.member, user=world.secretary)
    record(None, Action.MEMBER_VIEWED, world.outsider.member, user=world.outsider)
    record(None, Action.SIGNED_IN, user=world.admin)
    return world


def test_a_committee_sees_its_subtree_and_nothing_of_another(logged):
    mine = rows(logged, "committee", logged.city)
    assert ("son", Action.MEMBER_VIEWED) in mine and ("son", Action.MEMBER_CHANGED) in mine
    # Son's, and Cường's own signing in (his cell is in the city): not Oanh's, not the admin's.
    assert {name for name, _action in mine} == {"son", "cuong"}
    ward = rows(logged, "committee", logged.ward, action=Action.MEMBER_VIEWED)
    assert ward == [("son", Action.MEMBER_VIEWED)]
    # Another city's log, a committee above, a cell: never shown.
    client = logged.client("committee")
    for org in (logged.other_city, logged.province, logged.cell):
        assert client.get(log_url(org)).status_code == 404


def test_administrators_see_every_subtree(logged):
    names = {name for name, _action in rows(logged, "admin", logged.province)}
    assert names == {"son", "oanh"}  # the admin's sign-in concerns no organisation


@pytest.mark.parametrize("persona", ["member", "secretary", "supervisor", "outsider"])
def test_those_on_no_committee_above_see_no_log(logged, persona):
    assert logged.client(persona).get(log_url(logged.city)).status_code == 404


def test_anonymous_visitors_sign_in_first(logged):
    response = Client().get(log_url(logged.city))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_other_methods(logged):
    assert logged.client("committee").post(log_url(logged.city)).status_code == 405


def test_it_filters_by_action_person_and_dates(logged):
    today = timezone.localdate(Entry.objects.first().at).isoformat()
    changed = rows(logged, "committee", logged.city, action=Action.MEMBER_CHANGED)
    assert changed == [("son", Action.MEMBER_CHANGED)]
    # By the name they sign in with, or their name without its marks.
    assert len(rows(logged, "committee", logged.city, person="SON")) == 2
    assert len(rows(logged, "committee", logged.city, person="tran van")) == 2
    assert rows(logged, "committee", logged.city, person="mai") == []
    assert len(rows(logged, "committee", logged.city, since=today, until=today)) >= 2
    assert rows(logged, "committee", logged.city, until="2001-01-01") == []


@pytest.mark.parametrize(
    "query, message",
    [
        ({"since": "2026-02-01", "until": "2026-01-01"}, "The end of the period comes before"),
        ({"since": "0001-01-01"}, "Give a year from 2000 to 2100."),
        ({"action": "nonsense"}, "Select a valid choice."),
    ],
)
def test_it_says_what_is_wrong_with_a_filter(logged, query, message):
    response = logged.client("committee").get(log_url(logged.city), query, headers=ENGLISH)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_is_never_kept_by_a_cache(logged):
    response = logged.client("committee").get(log_url(logged.city))
    assert "no-store" in response["Cache-Control"]


def test_the_committee_page_links_to_its_log_for_those_who_may_read_it(logged):
    page = reverse("orgs:organisation", args=[logged.city.code])
    assert log_url(logged.city) in logged.client("committee").get(page).content.decode()
    assert (
        log_url(logged.ward)
        not in logged.client("supervisor")
        .get(reverse("orgs:organisation", args=[logged.cell.code]))
        .content.decode()
    )


def test_it_costs_the_same_queries_for_a_long_log_as_a_short_one(logged):
    client = logged.client("committee")
    few = count_queries(client, log_url(logged.city))
    mai = logged.member.member
    for n in range(60):
        record(None, Action.MEMBER_VIEWED, mai, user=logged.secretary, detail={"n": n})
    assert count_queries(client, log_url(logged.city)) == few
    assert count_queries(client, log_url(logged.city) + "?page=2") == few
    assert few <= 8
