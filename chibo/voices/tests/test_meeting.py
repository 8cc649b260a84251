"""Voices raised during a meeting (issue 12, part 1): those who hold the meeting record them from
its page, with the same form and process as any voice; the minutes list them, and an approved
version of the minutes never changes when one is recorded later."""

import pytest
from django.urls import reverse

from chibo.conftest import make_member
from chibo.meetings import holding
from chibo.meetings.models import Meeting, Minutes
from chibo.meetings.tests.holding_data import (
    approved_minutes,
    assert_guarded,
    count_queries,
    messages_in,
    opened,
)
from chibo.meetings.tests.test_attending import plan
from chibo.meetings.tests.test_pdf import text_of
from chibo.voices.models import Step, Voice
from chibo.voices.tests.voices_data import category, clock, recorded

pytestmark = [clock, pytest.mark.usefixtures("english")]

SAID = "Bà con khu 1 đề nghị sửa đường vào nhà văn hóa trước mùa mưa."
# The minutes' PDF in the reader's language (the official one is in the cell's working language).
ENGLISH_PDF = {"language": "en"}


def record_url(meeting: Meeting) -> str:
    return reverse("voices:record_in_meeting", args=[meeting.code])


def hold_url(meeting: Meeting) -> str:
    return reverse("meetings:hold", args=[meeting.code])


def said(**changes) -> dict:
    """The form of the meeting's page, as the secretary fills it."""
    fields = {
        "text": SAID,
        "category": category().pk,
        "place": "Khu 1",
        "urgency": "normal",
        "source": "citizen",
        "citizen_name": "Bà Hoa",
        **changes,
    }
    return {f"voice-{name}": value for name, value in fields.items()}


def test_the_secretary_records_a_voice_raised_in_the_meeting(world):
    meeting = opened(world.cell)
    client = world.client("secretary")
    page = client.get(hold_url(meeting)).content.decode()
    assert "Record a voice raised in this meeting" in page and record_url(meeting) in page
    response = client.post(record_url(meeting), said(), follow=True)
    assert response.redirect_chain[-1][0] == hold_url(meeting) + "#voices"
    assert "it goes into the minutes" in messages_in(response)
    voice = Voice.objects.get()
    assert (voice.meeting, voice.cell, voice.holder, voice.source) == (
        meeting,
        world.cell,
        world.cell,
        Voice.Source.CITIZEN,
    )
    assert voice.recorded_by == world.secretary.member
    assert list(voice.steps.values_list("kind", flat=True)) == [Step.Kind.RECORDED]
    # Listed on the meeting's pages for those who hold it, the citizen unnamed.
    for target in (hold_url(meeting), reverse("meetings:meeting", args=[meeting.code])):
        page = client.get(target).content.decode()
        assert SAID in page and "a citizen" in page and "Bà Hoa" not in page


def test_a_member_raised_it_and_reads_it_among_their_voices(world):
    meeting = opened(world.cell)
    mai = world.member.member
    world.client("secretary").post(record_url(meeting), said(source="member", raised_by=mai.pk))
    voice = Voice.objects.get()
    assert voice.raised_by == mai and voice.meeting == meeting
    assert SAID in world.client("member").get(reverse("voices:mine")).content.decode()


def test_only_those_who_hold_the_meeting_record_and_see_its_voices(world):
    meeting = opened(world.cell)
    assert_guarded(world, record_url(meeting), "post")
    recorded(world, "secretary", meeting=meeting, text=SAID)
    # Those who read the meeting do not see the panel; nor do other subtrees see the meeting.
    for persona in ("member", "supervisor", "committee"):
        page = world.client(persona).get(reverse("meetings:meeting", args=[meeting.code]))
        assert page.status_code == 200 and SAID not in page.content.decode(), persona
    assert world.client("outsider").get(hold_url(meeting)).status_code == 404
    assert Voice.objects.count() == 1


def test_a_meeting_of_another_cell_is_not_found(world):
    foreign = opened(world.foreign_cell)
    assert world.client("secretary").post(record_url(foreign), said()).status_code == 404
    assert not Voice.objects.exists()


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"text": ""}, "Say what was raised."),
        ({"text": "   "}, "Say what was raised."),
        ({"text": "x" * 2001}, "Keep it within 2000 characters (it has 2001)."),
        ({"text": "Đèn\u202ehỏng"}, "Remove the invisible or control character (U+202E)."),
        ({"category": "999999"}, "Choose one of the categories."),
        ({"category": ""}, "Choose one of the categories."),
        ({"source": "member"}, "Choose the member of the cell who raised it."),
        ({"urgency": "now"}, "Select a valid choice."),
    ],
)
def test_bad_input_gives_the_forms_message_and_nothing_changes(world, changes, error):
    meeting = opened(world.cell)
    response = world.client("secretary").post(record_url(meeting), said(**changes))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Voice.objects.exists() and not Step.objects.exists()


def test_a_member_of_another_cell_cannot_be_named_as_raising_it(world):
    meeting = opened(world.cell)
    stranger = make_member(world.sister_cell, "Đỗ Văn Lạ")
    response = world.client("secretary").post(
        record_url(meeting), said(source="member", raised_by=stranger.pk)
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Voice.objects.exists()


def test_not_before_the_meeting_opens(world):
    meeting = plan(world.cell)
    client = world.client("secretary")
    assert "Record a voice raised" not in client.get(hold_url(meeting)).content.decode()
    response = client.post(record_url(meeting), said(), follow=True)
    assert "once it has opened" in messages_in(response)
    assert not Voice.objects.exists()


def test_wrong_methods_are_refused(world):
    meeting = opened(world.cell)
    assert world.client("secretary").put(record_url(meeting)).status_code == 405


def test_the_minutes_list_the_voices_raised_and_an_approved_version_stays_as_it_was(world):
    meeting = opened(world.cell)
    recorded(world, "secretary", meeting=meeting, text=SAID, urgency="urgent")
    recorded(world, "secretary", text="Không nêu trong cuộc họp.")  # not of this meeting
    minutes = approved_minutes(meeting)
    client = world.client("secretary")
    page = client.get(reverse("meetings:minutes", args=[meeting.code])).content.decode()
    assert "Opinions and aspirations raised" in page and SAID in page
    assert "Không nêu trong cuộc họp." not in page
    pdf = text_of(
        client.get(reverse("meetings:minutes_pdf", args=[meeting.code, 1]), ENGLISH_PDF).content
    )
    assert "Opinions and aspirations raised" in pdf and "Bà con khu 1" in pdf
    assert "Không nêu" not in pdf
    # Recorded after the approval: in the next version only.
    later = recorded(world, "secretary", meeting=meeting, text="Đề nghị lắp đèn khu 1.")
    Voice.objects.filter(pk=later.pk).update(received_at=minutes.approved_at.replace(year=2027))
    assert "Đề nghị lắp đèn" not in text_of(
        client.get(reverse("meetings:minutes_pdf", args=[meeting.code, 1]), ENGLISH_PDF).content
    )
    holding.correct(minutes, "Bổ sung ý kiến")
    draft = Minutes.objects.get(meeting=meeting, version=2)
    assert draft.status == Minutes.Status.DRAFT
    assert "Đề nghị lắp đèn" in text_of(
        client.get(reverse("meetings:minutes_pdf", args=[meeting.code, 2])).content
    )


def test_the_draft_pdf_shows_a_voice_recorded_after_it_was_first_made(world):
    meeting = opened(world.cell)
    Minutes.objects.create(meeting=meeting, sections={"1": "Khai mạc"})
    holding.close_meeting(meeting)
    client = world.client("secretary")
    target = reverse("meetings:minutes_pdf", args=[meeting.code, 1])
    assert "Opinions and aspirations" not in text_of(client.get(target).content)
    recorded(world, "secretary", meeting=meeting, text=SAID)
    assert "Bà con khu 1" in text_of(client.get(target).content)


def test_the_meeting_pages_keep_their_budget_as_voices_are_raised(world):
    meeting = opened(world.cell)
    client = world.client("secretary")
    recorded(world, "secretary", meeting=meeting)
    for name in PAGES:  # the first visit notes that the secretary has read the notice
        count_queries(client, reverse(name, args=[meeting.code]))
    few = {name: count_queries(client, reverse(name, args=[meeting.code])) for name in PAGES}
    for i in range(20):
        make_member(world.cell, f"Đảng viên {i}")
        recorded(world, "secretary", meeting=meeting, category=category("economy"))
    for name in PAGES:
        assert count_queries(client, reverse(name, args=[meeting.code])) == few[name], name


PAGES = ["meetings:hold", "meetings:meeting"]
