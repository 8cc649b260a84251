"""Who sees and handles which voices: no role reaches another subtree's."""

from chibo.access.scope import Scope
from chibo.voices import handling
from chibo.voices.tests.voices_data import clock, recorded, scope, standing

pytestmark = clock


def test_no_role_sees_another_subtrees_voices(world):
    home = recorded(world)
    sister = recorded(world, persona="supervisor", cell=world.sister_cell)
    foreign = recorded(world, persona="outsider", cell=world.foreign_cell)
    hai = standing(world, world.ward, "Bùi Văn Hải", "hai")
    seen = {
        persona: set(Scope(getattr(world, persona)).voices())
        for persona in ("member", "secretary", "supervisor", "committee", "outsider", "admin")
    }
    seen["ward"] = set(Scope(hai).voices())
    assert seen["member"] == {home}  # their own
    assert seen["secretary"] == {home}  # their cell's
    assert seen["supervisor"] == {sister}  # their own, not the cell they supervise
    assert seen["committee"] == seen["ward"] == {home, sister}
    assert seen["outsider"] == {foreign}
    assert seen["admin"] == {home, sister, foreign}


def test_passed_up_voices_stay_out_of_other_subtrees(world):
    foreign = recorded(world, persona="outsider", cell=world.foreign_cell)
    handling.pass_up(foreign, "Lên phường.", scope(world.admin))
    handling.pass_up(foreign, "Lên thành phố.", scope(world.admin))
    for persona in ("member", "secretary", "committee", "supervisor"):
        assert not Scope(getattr(world, persona)).voices().filter(pk=foreign.pk).exists()
        assert not Scope(getattr(world, persona)).can_handle_voices(world.other_city)


def test_who_handles_what_each_organisation_holds(world):
    hai = standing(world, world.ward, "Bùi Văn Hải", "hai")
    may = {
        persona: {
            org: Scope(user).can_handle_voices(getattr(world, org))
            for org in ("cell", "sister_cell", "ward", "city", "province", "foreign_cell")
        }
        for persona, user in [
            ("member", world.member),
            ("secretary", world.secretary),
            ("committee", world.committee),
            ("ward", hai),
            ("outsider", world.outsider),
        ]
    }
    handled = {persona: {org for org, yes in orgs.items() if yes} for persona, orgs in may.items()}
    assert handled == {
        "member": set(),
        "secretary": {"cell"},
        "committee": {"cell", "sister_cell", "ward", "city"},
        "ward": {"cell", "sister_cell", "ward"},
        "outsider": set(),
    }


def test_recording_is_for_ones_own_cell(world):
    assert Scope(world.member).can_record_voice(world.cell)
    assert not Scope(world.member).can_record_voice(world.sister_cell)
    assert not Scope(world.committee).can_record_voice(world.cell)
    assert not Scope(world.member).can_record_voice(world.ward)
