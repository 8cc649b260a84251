"""An organisation's working language: set by those who may change the organisation."""

import pytest
from django.urls import reverse

from chibo.audit.models import Action, Entry
from chibo.orgs.models import Organisation


def edit(org: Organisation) -> str:
    return reverse("orgs:organisation_edit", args=[org.code])


def test_a_new_organisation_works_in_vietnamese(world):
    assert world.cell.language == "vi"


def test_the_secretary_sets_the_cells_working_language(world):
    client = world.client("secretary")
    page = client.get(reverse("orgs:organisation", args=[world.cell.code])).content.decode()
    assert f'href="{edit(world.cell)}"' in page
    response = client.post(edit(world.cell), {"language": "km"})
    assert response.status_code == 302
    world.cell.refresh_from_db()
    assert world.cell.language == "km"
    # In the audit log, which the committees above read: who, where, from what to what.
    (logged,) = Entry.objects.filter(action=Action.SETTINGS_CHANGED)
    assert logged.user == world.secretary
    assert logged.organisation_id == world.cell.pk
    assert logged.detail == {"fields": {"language": ["vi", "km"]}}
    # Saved again unchanged: nothing changed, nothing logged.
    assert client.post(edit(world.cell), {"language": "km"}).status_code == 302
    assert Entry.objects.filter(action=Action.SETTINGS_CHANGED).count() == 1


def test_an_unknown_language_is_refused_with_a_reason(world):
    response = world.client("secretary").post(
        edit(world.cell), {"language": "fr"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    world.cell.refresh_from_db()
    assert world.cell.language == "vi"
    assert not Entry.objects.filter(action=Action.SETTINGS_CHANGED).exists()


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("supervisor", 403)])
def test_others_may_not_change_it(world, persona, status):
    client = world.client(persona)
    assert client.post(edit(world.cell), {"language": "en"}).status_code == status
    page = client.get(reverse("orgs:organisation", args=[world.cell.code])).content.decode()
    assert edit(world.cell) not in page
    world.cell.refresh_from_db()
    assert world.cell.language == "vi"


def test_the_admin_sets_a_committees(world):
    response = world.client("admin").post(edit(world.ward), {"language": "en"})
    assert response.status_code == 302
    world.ward.refresh_from_db()
    assert world.ward.language == "en"
