"""A citizen's voice recorded by a member gets a tracking code, as one left at the public door
does: the member is shown it once saved, with the tracking page's address to hand the citizen,
and its handlers read it on the voice's page; the tracking page opens the voice with it. A
contact typed without the citizen's consent is refused on the consent box, not dropped."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chibo.meetings.tests.holding_data import count_queries, messages_in, opened
from chibo.voices import door
from chibo.voices.models import Voice
from chibo.voices.tests.voices_data import category, clock, recorded, url

pytestmark = [clock, pytest.mark.usefixtures("english")]
# Recording a voice, as measured when the citizen's code came (December 2026).
BUDGET = 54

SAID = "Bà con khu 1 đề nghị sửa đường vào nhà văn hóa trước mùa mưa."
TRACK = "http://testserver/voices/door/track/"


def from_a_citizen(**changes) -> dict:
    return {
        "text": SAID,
        "category": category().pk,
        "place": "Khu 1",
        "urgency": "normal",
        "source": "citizen",
        "citizen_name": "Bà Hoa",
        **changes,
    }


def code_in(text: str) -> str:
    found = re.search(r"tracking code ([0-9A-Z]{5}-[0-9A-Z]{5})", text)
    assert found, text
    return found.group(1)


def test_a_member_records_a_citizens_voice_and_is_given_its_code(world):
    client = world.client("member")
    response = client.post(url("record", world.cell.code), from_a_citizen(), follow=True)
    voice = Voice.objects.get()
    said = messages_in(response)
    assert "The voice was recorded" in said and TRACK in said
    assert code_in(said) == door.shown(voice.tracking_code)
    assert door.normalised(voice.tracking_code) == voice.tracking_code  # the door's alphabet
    # The tracking page opens it with the code, as it does one left at the door.
    page = Client().get(url("door_track"), {"code": code_in(said)}).content.decode()
    assert SAID in page and world.cell.name in page


def test_the_voices_page_shows_the_code_to_its_handlers_and_its_recorder(world):
    voice = recorded(world, source=Voice.Source.CITIZEN, citizen_name="Bà Hoa")
    shown = door.shown(voice.tracking_code)
    for persona in ("member", "secretary", "committee"):  # recorded it, handle it, sit above
        page = world.client(persona).get(url("voice", voice.code)).content.decode()
        assert shown in page and TRACK in page, persona
    other = recorded(world, "secretary", source=Voice.Source.CITIZEN)
    page = world.client("member").get(url("voice", other.code))
    assert page.status_code == 404  # nor is the page of another's voice open to a member


def test_a_secretary_records_a_citizens_voice_in_a_meeting_and_is_given_its_code(world):
    meeting = opened(world.cell)
    fields = {f"voice-{name}": value for name, value in from_a_citizen(language="km").items()}
    response = world.client("secretary").post(
        url("record_in_meeting", meeting.code), fields, follow=True
    )
    voice = Voice.objects.get()
    said = messages_in(response)
    assert "it goes into the minutes" in said and TRACK in said
    assert code_in(said) == door.shown(voice.tracking_code)
    assert (voice.meeting, voice.language) == (meeting, "km")
    assert SAID in Client().get(url("door_track"), {"code": voice.tracking_code}).content.decode()


def test_only_a_citizens_voice_gets_a_code(world):
    mine = recorded(world)
    response = world.client("member").post(
        url("record", world.cell.code), from_a_citizen(source="self"), follow=True
    )
    assert "tracking code" not in messages_in(response)
    assert list(Voice.objects.values_list("tracking_code", "language")) == [(None, "")] * 2
    assert (
        "Tracking code" not in world.client("member").get(url("voice", mine.code)).content.decode()
    )


def test_each_citizens_voice_gets_its_own_code_in_the_language_chosen(world):
    first = recorded(world, source=Voice.Source.CITIZEN, language="km")
    second = recorded(world, source=Voice.Source.CITIZEN, language="fr")  # not one of the door's
    assert first.tracking_code != second.tracking_code
    assert (first.language, second.language) == ("km", "vi")


def test_a_contact_without_consent_is_refused_on_the_consent_box(world):
    client = world.client("member")
    response = client.post(
        url("record", world.cell.code), from_a_citizen(citizen_contact="0912 345 678")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["consent"] == [
        "Tick the box if the citizen agrees that their contact is kept, or leave the contact empty."
    ]
    assert not Voice.objects.exists()
    kept = client.post(
        url("record", world.cell.code),
        from_a_citizen(citizen_contact="0912 345 678", consent="on"),
    )
    assert kept.status_code == 302
    assert Voice.objects.get().citizen_contact == "0912 345 678"


def test_a_contact_is_not_asked_consent_for_when_no_citizen_raised_it(world):
    # The citizen's fields stay on the form; for a member's voice they are ignored, as before.
    response = world.client("member").post(
        url("record", world.cell.code), from_a_citizen(source="self", citizen_contact="0912")
    )
    assert response.status_code == 302 and Voice.objects.get().citizen_contact == ""


def test_the_record_form_offers_the_doors_languages_in_the_members_own(world):
    page = world.client("member").get(url("record", world.cell.code)).content.decode()
    assert "The citizen&#x27;s language" in page
    # The member reads English, which the door does not speak: its first language is offered.
    choice = re.search(r'<select name="language".*?</select>', page, re.S).group(0)
    assert '<option value="vi" selected>' in choice and '<option value="km">' in choice
    assert '<option value="en"' not in choice


# -- query budgets --------------------------------------------------------------------------


def test_recording_a_citizens_voice_keeps_its_budget(world, django_assert_max_num_queries):
    # Most of it is the cell's month of indicators, counted again (`rollup.refresh`); the code
    # and the language cost nothing: a citizen's voice costs what a member's own does.
    client = world.client("member")
    client.post(url("record", world.cell.code), from_a_citizen())  # the month's rows exist
    costs = []
    for source in ("self", "citizen"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url("record", world.cell.code), from_a_citizen(source=source))
        assert response.status_code == 302
        costs.append(len(queries))
    assert costs[0] == costs[1]
    with django_assert_max_num_queries(BUDGET):
        client.post(url("record", world.cell.code), from_a_citizen())


def test_recording_in_a_meeting_costs_the_same_for_a_citizens_voice(world):
    meeting = opened(world.cell)
    client = world.client("secretary")
    target = url("record_in_meeting", meeting.code)
    mai = world.member.member.pk
    costs = []
    for changes in ({}, {"source": "member", "raised_by": mai}, {}):
        fields = {f"voice-{k}": v for k, v in from_a_citizen(**changes).items()}
        with CaptureQueriesContext(connection) as queries:
            assert client.post(target, fields).status_code == 302
        costs.append(len(queries))
    # After the first, which made the month's rows: no dearer than another member's voice
    # (which costs the look-up of that member).
    assert costs[2] <= costs[1]


def test_the_voice_page_with_a_code_keeps_its_budget(world):
    voice = recorded(
        world, source=Voice.Source.CITIZEN, citizen_contact="a@example.org", consent=True
    )
    plain = recorded(world)
    client = world.client("member")
    assert count_queries(client, url("voice", voice.code)) == count_queries(
        client, url("voice", plain.code)
    )
