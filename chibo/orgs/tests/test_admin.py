"""The back office: administrators manage the tree and people; nobody else gets in."""

from django.urls import reverse
from django.utils import timezone

from chibo.audit.models import Action, Entry
from chibo.orgs.models import Member, Membership, Organisation


def test_it_keeps_others_out_of_the_admin(world):
    for persona in ("member", "secretary", "committee"):
        response = world.client(persona).get(reverse("admin:index"))
        assert response.status_code == 302


def test_it_lists_every_model_for_an_administrator(world):
    client = world.client("admin")
    for name in ("organisation", "member", "level", "position", "user"):
        url = reverse(f"admin:orgs_{name}_changelist")
        assert client.get(url).status_code == 200, name
    assert client.get(reverse("admin:supervision_assignment_changelist")).status_code == 200


def test_it_adds_a_member_with_their_first_membership(world):
    response = world.client("admin").post(
        reverse("admin:orgs_member_add"),
        {
            "full_name": "Đỗ Thị Hạnh",
            "birth_date": "1990-02-03",
            "gender": "female",
            "admitted_on": "2015-05-19",
            "card_number": "A0000099",
            "status": "probationary",
            "cell": world.cell.pk,
            "positions-TOTAL_FORMS": 0,
            "positions-INITIAL_FORMS": 0,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content
    hanh = Member.objects.get(card_number="A0000099")
    assert hanh.memberships.get().cell == world.cell
    world.cell.refresh_from_db()
    assert world.cell.member_count == 3


def test_it_transfers_a_member_keeping_history(world):
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    url = reverse("admin:orgs_member_change", args=[mai.pk])
    membership = mai.memberships.get()
    response = world.client("admin").post(
        url,
        {
            "full_name": mai.full_name,
            "birth_date": "1980-05-17",
            "gender": "female",
            "admitted_on": "2005-03-02",
            "official_on": "2006-03-02",
            "card_number": mai.card_number,
            "citizen_id": mai.citizen_id,
            "phone": mai.phone,
            "status": "official",
            "cell": world.foreign_cell.pk,
            "positions-TOTAL_FORMS": 0,
            "positions-INITIAL_FORMS": 0,
            "memberships-TOTAL_FORMS": 1,
            "memberships-INITIAL_FORMS": 1,
            "memberships-0-id": membership.pk,
            "memberships-0-member": mai.pk,
        },
    )
    assert response.status_code == 302, response.content
    history = list(Membership.objects.filter(member=mai).order_by("started_on"))
    assert [m.cell for m in history] == [world.cell, world.foreign_cell]
    assert history[0].ended_on == timezone.localdate()
    counts = dict(Organisation.objects.values_list("name", "member_count"))
    assert counts["Chi bộ khu 1"] == 1 and counts["Chi bộ khu 5"] == 2
    assert counts["Đảng bộ thành phố Uông Bí"] == 3
    change = Entry.objects.get(action=Action.MEMBER_CHANGED)
    assert (change.username, change.object_id, change.detail) == (
        "admin",
        str(mai.pk),
        {"fields": ["user", "cell"]},  # the form posted no sign-in: it drops hers
    )


def post_member(client, member, **changes):
    data = {
        "full_name": member.full_name,
        "birth_date": "1980-05-17",
        "gender": "female",
        "admitted_on": "2005-03-02",
        "card_number": member.card_number,
        "status": "official",
        "cell": member.cell_id,
        "positions-TOTAL_FORMS": 0,
        "positions-INITIAL_FORMS": 0,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }
    return client.post(reverse("admin:orgs_member_change", args=[member.pk]), {**data, **changes})


def post_cell(client, world, name):
    return client.post(
        reverse("admin:orgs_organisation_change", args=[world.cell.pk]),
        {
            "name": name,
            "kind": "cell",
            "level": world.cell.level_id,
            "language": "vi",
            "treebeard_position": "first-child",
            "_ref_node_id": world.ward.pk,
        },
    )


def test_it_refuses_control_characters_and_overlong_names(world):
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    client = world.client("admin")
    assert post_member(client, mai, full_name="Nguyễn Thị Mai Anh").status_code == 302
    assert post_cell(client, world, "Chi bộ khu 1A").status_code == 302
    for bad in ("Nguyễn\x00Thị Mai", "Mai\u202e", "M" * 201):
        response = post_member(client, mai, full_name=bad)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors.keys() == {"full_name"}
        response = post_cell(client, world, bad)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors.keys() == {"name"}
    assert Member.objects.get(pk=mai.pk).full_name == "Nguyễn Thị Mai Anh"
    assert Organisation.objects.get(pk=world.cell.pk).name == "Chi bộ khu 1A"
