"""The public door: a citizen leaves a voice without an account and follows it by tracking code;
the door resists abuse (limits per address, a honeypot, bad input refused, markup shown as text);
nothing from it reaches an inbox, a summary or a count until a handler of the cell accepts it."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from chibo.lib.months import month_of
from chibo.meetings.tests.holding_data import count_queries, messages_in
from chibo.quality.models import MonthlyIndicators
from chibo.voices import door, handling
from chibo.voices.handling import VoiceError
from chibo.voices.models import Step, Voice
from chibo.voices.tests.voices_data import NOW, category, clock, scope, url

pytestmark = [clock, pytest.mark.usefixtures("english")]

TOO_MANY = "Too many attempts from your connection in one hour. Try again in %(minutes)d min."
SAID = "Bãi rác tự phát ở đầu ngõ 5 bốc mùi, xin chi bộ kiến nghị dọn."


def posted(**changes) -> dict:
    return {"category": category().pk, "text": SAID, "place": "Ngõ 5", **changes}


def citizen(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def leave(client: Client, cell, **changes):
    return client.post(url("door", cell.code), posted(**changes))


def code_shown(response) -> str:
    found = re.search(rb'id="tracking-code">([^<]+)<', response.content)
    assert found, response.content
    return found.group(1).decode()


def submitted(world, **fields) -> Voice:
    fields = {"category": category(), "text": SAID, **fields}
    return door.submit(world.cell, at=NOW, **fields)


# -- leaving a voice -----------------------------------------------------------------------


def test_a_citizen_leaves_a_voice_and_gets_a_tracking_code(world):
    client = citizen()
    page = client.get(url("door", world.cell.code))
    assert page.status_code == 200 and world.cell.name.encode() in page.content
    response = client.post(
        url("door", world.cell.code),
        posted(name="Chị Lan", contact="0912 345 678", consent="on"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("door_thanks", world.cell.code)
    voice = Voice.everything.get()
    shown = code_shown(response)
    assert shown.replace("-", "") == voice.tracking_code and len(voice.tracking_code) == 10
    assert not set(voice.tracking_code) & set("0O1I")
    assert (voice.source, voice.moderation, voice.text) == ("citizen", "waiting", SAID)
    assert (voice.citizen_name, voice.citizen_contact) == ("Chị Lan", "0912 345 678")
    assert voice.received_at == NOW and voice.answer_due > NOW
    # Shown once: opened again, the page leads back to the door.
    again = client.get(url("door_thanks", world.cell.code))
    assert again.status_code == 302 and again["Location"] == url("door", world.cell.code)


def test_the_door_is_a_cells_and_is_open_to_anyone(world):
    assert citizen().get(url("door", world.ward.code)).status_code == 404
    assert world.client("outsider").get(url("door", world.cell.code)).status_code == 200
    assert citizen().get(url("door_track")).status_code == 200


def test_the_door_speaks_khmer_when_asked(world):
    client = citizen()
    client.post(reverse("set_language"), {"language": "km", "next": url("door", world.cell.code)})
    page = client.get(url("door", world.cell.code))
    with translation.override("km"):
        assert translation.gettext("Leave a voice").encode() in page.content
    assert b'lang="km"' in page.content


def test_the_door_keeps_its_csrf_check(world):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
    assert client.post(url("door", world.cell.code), posted()).status_code == 403
    assert not Voice.everything.exists()


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"text": ""}, "Say what you want to raise."),
        ({"text": "   "}, "Say what you want to raise."),
        ({"text": "x" * 2001}, "Keep it within 2000 characters (it has 2001)."),
        ({"text": "Rác\u200engõ 5"}, "Remove the invisible or control character (U+200E)."),
        ({"text": "Rác\x07ngõ 5"}, "Remove the invisible or control character (U+0007)."),
        ({"place": "Ngõ\u202e5"}, "Remove the invisible or control character (U+202E)."),
        ({"category": "999999"}, "Choose one of the categories."),
        ({"category": "land"}, "Choose one of the categories."),
        ({"contact": "0912 345 678"}, "Tick the box to let us keep your contact"),
    ],
)
def test_bad_input_is_shown_and_nothing_stored(world, changes, error):
    response = leave(citizen(), world.cell, **changes)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Voice.everything.exists()


def test_a_link_or_markup_is_stored_as_text_and_shown_escaped(world):
    said = 'Xem <a href="https://lừa.example">đây</a> <script>alert(1)</script>'
    voice = submitted(world, text=said)
    assert voice.text == said
    page = citizen().get(url("door_track"), {"code": voice.tracking_code})
    assert b"<script>alert(1)" not in page.content and b'<a href="https://l' not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content
    queue = world.client("secretary").get(url("door_queue", world.cell.code))
    assert b"&lt;a href=" in queue.content and b"<script>alert" not in queue.content


def test_the_process_refuses_what_the_form_would(world):
    for fields, error in [
        ({"text": ""}, "Say what you want to raise."),
        ({"category": "nothing"}, "Choose one of the categories."),
        ({"contact": "0912", "consent": False}, "Tick the box"),
    ]:
        with translation.override("en"), pytest.raises(VoiceError, match=error):
            submitted(world, **fields)
    assert not Voice.everything.exists()


# -- abuse: limits per address, the honeypot -----------------------------------------------


def test_one_address_leaves_so_many_voices_an_hour_and_another_still_gets_in(world, settings):
    settings.CHIBO_DOOR_LIMITS = {"voices": 3, "lookups": 30}
    client = citizen("198.51.100.1")
    for _ in range(3):
        assert leave(client, world.cell).status_code == 302
    refused = leave(client, world.cell)
    assert refused.status_code == 429
    assert "Too many attempts from your connection in one hour" in refused.content.decode()
    assert Voice.everything.count() == 3
    khmer = citizen("198.51.100.1")
    khmer.cookies[settings.LANGUAGE_COOKIE_NAME] = "km"
    with translation.override("km"):
        said = translation.gettext(TOO_MANY).split("%")[0]
    assert said and said in leave(khmer, world.cell).content.decode()
    assert Voice.everything.count() == 3
    assert leave(citizen("198.51.100.2"), world.cell).status_code == 302
    assert Voice.everything.count() == 4


def test_the_limit_counts_per_window(world, settings, time_machine):
    settings.CHIBO_DOOR_LIMITS = {"voices": 1, "lookups": 30}
    client = citizen("198.51.100.3")
    assert leave(client, world.cell).status_code == 302
    assert leave(client, world.cell).status_code == 429
    time_machine.move_to(NOW + timezone.timedelta(hours=1, minutes=1), tick=False)
    assert leave(client, world.cell).status_code == 302
    assert Voice.everything.count() == 2


def test_a_filled_honeypot_is_answered_as_a_success_and_nothing_kept(world):
    response = leave(citizen(), world.cell, homepage="http://spam.example")
    assert response.status_code == 302
    thanks = citizen().get(response["Location"])  # another browser: no code waits for it
    assert thanks.status_code == 302
    client = citizen()
    response = client.post(
        url("door", world.cell.code), posted(homepage="http://spam.example"), follow=True
    )
    fake = code_shown(response)
    assert not Voice.everything.exists()
    # Its code looks like any other and finds nothing.
    missed = client.get(url("door_track"), {"code": fake})
    assert "No voice has this code" in missed.content.decode()


# -- following a voice by its code ----------------------------------------------------------


def test_the_citizen_reads_every_answer_and_no_internal_note(world):
    voice = submitted(world)
    secretary = scope(world.secretary)
    door.accept(voice, secretary, at=NOW)
    handling.pass_up(voice, "Ghi chú nội bộ cho phường.", secretary, at=NOW)
    ward = scope(world.admin)
    handling.answer(voice, "Phường đã giao đội vệ sinh dọn trong tuần.", ward, at=NOW)
    page = citizen().get(url("door_track"), {"code": door.shown(voice.tracking_code).lower()})
    text = page.content.decode()
    assert "Phường đã giao đội vệ sinh dọn trong tuần." in text
    assert "Ghi chú nội bộ" not in text  # the note passing it up is for the ward
    assert world.ward.name in text and SAID in text
    assert "Trần Văn Sơn" not in text  # members' names are not the citizen's to read
    assert "answered" in text


@pytest.mark.parametrize(
    "typed", ["", "ABCDE", "23456789AB", "0O1I0O1I0O", "' OR 1=1 --", "A" * 40]
)
def test_a_wrong_or_malformed_code_gets_the_same_not_found(world, typed):
    submitted(world)
    page = citizen().get(url("door_track"), {"code": typed})
    assert page.status_code == 200
    expected = "Type the tracking code you were given." if not typed else "No voice has this code"
    assert expected in page.content.decode()
    assert SAID not in page.content.decode()


def test_a_code_shows_its_own_voice_only(world):
    mine = submitted(world, text="Của tôi.")
    other = submitted(world, text="Của người khác.")
    page = citizen().get(url("door_track"), {"code": mine.tracking_code}).content.decode()
    assert "Của tôi." in page and "Của người khác." not in page
    assert other.tracking_code not in page


def test_lookups_are_limited_per_address(world, settings):
    settings.CHIBO_DOOR_LIMITS = {"voices": 5, "lookups": 2}
    voice = submitted(world)
    client = citizen("198.51.100.9")
    for typed in ("23456789AB", "23456789AC"):
        assert client.get(url("door_track"), {"code": typed}).status_code == 200
    refused = client.get(url("door_track"), {"code": voice.tracking_code})
    assert refused.status_code == 429 and SAID not in refused.content.decode()
    assert "Too many attempts" in refused.content.decode()
    assert (
        SAID
        in citizen("198.51.100.10")
        .get(url("door_track"), {"code": voice.tracking_code})
        .content.decode()
    )


def test_a_rejected_voice_shows_its_reason_to_the_citizen(world):
    voice = submitted(world)
    door.reject(voice, "Nội dung quảng cáo.", scope(world.secretary), at=NOW)
    page = citizen().get(url("door_track"), {"code": voice.tracking_code}).content.decode()
    assert "not accepted" in page and "Nội dung quảng cáo." in page


# -- moderation: nothing counts before it --------------------------------------------------


def _counts(world) -> tuple:
    """What the cell's handlers and the ward see: the inbox, the ward's summary, the row."""
    inbox = world.client("secretary").get(url("inbox", world.cell.code)).content.decode()
    summary = world.client("committee").get(url("summary", world.ward.code)).content.decode()
    row = MonthlyIndicators.objects.filter(
        organisation=world.cell, month=month_of(NOW)
    ).values_list("voices_received", flat=True)
    return SAID[:40] in inbox, "Ngõ 5".lower() in summary.lower(), (list(row) or [0])[0]


def test_nothing_from_the_door_counts_before_it_is_accepted(
    world, django_capture_on_commit_callbacks
):
    voice = submitted(world, place="Ngõ 5")
    assert _counts(world) == (False, False, 0)
    assert not Voice.objects.exists() and not Voice.objects.overdue(NOW.replace(year=2027))
    assert handling.flag_overdue(NOW.replace(year=2027)) == 0
    target = url("voice", voice.code)
    assert world.client("secretary").get(target).status_code == 404
    inbox = world.client("secretary").get(url("inbox", world.cell.code)).content.decode()
    assert "From the public door, waiting for review: 1" in inbox

    client = world.client("secretary")
    # Committed, the acceptance moves the version under which the ward's summary is kept.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("door_moderate", world.cell.code, voice.code, "accept"))
    assert response["Location"] == target
    voice = Voice.objects.get()
    assert (voice.moderation, voice.state, voice.received_at) == ("accepted", "received", NOW)
    assert _counts(world) == (True, True, 1)
    assert list(voice.steps.values_list("kind", flat=True)) == ["recorded", "accepted"]


def test_a_rejected_voice_never_counts(world):
    voice = submitted(world, place="Ngõ 5")
    client = world.client("secretary")
    empty = client.post(url("door_moderate", world.cell.code, voice.code, "reject"), {})
    assert "Give the reason for not accepting it." in messages_in(client.get(empty["Location"]))
    assert Voice.everything.get().moderation == "waiting"
    client.post(
        url("door_moderate", world.cell.code, voice.code, "reject"), {"reason": "Quảng cáo."}
    )
    assert Voice.everything.get().moderation == "rejected"
    assert _counts(world) == (False, False, 0)
    again = client.post(url("door_moderate", world.cell.code, voice.code, "accept"))
    assert "reviewed already" in messages_in(client.get(again["Location"]))
    assert Step.objects.filter(kind="accepted").count() == 0


def test_reviewing_is_for_the_cells_handlers(world):
    voice = submitted(world)
    queue = url("door_queue", world.cell.code)
    accept = url("door_moderate", world.cell.code, voice.code, "accept")
    assert Client().get(queue).status_code == 302
    assert world.client("outsider").get(queue).status_code == 404
    assert world.client("member").get(queue).status_code == 403
    assert world.client("member").post(accept).status_code == 403
    assert world.client("outsider").post(accept).status_code == 404
    assert world.client("secretary").get(accept).status_code == 405
    # Another cell's queue does not reach this cell's voice.
    assert (
        world.client("admin")
        .post(url("door_moderate", world.sister_cell.code, voice.code, "accept"))
        .status_code
        == 404
    )
    assert (
        world.client("secretary")
        .post(url("door_moderate", world.cell.code, voice.code, "erase"))
        .status_code
        == 404
    )
    assert Voice.everything.get().moderation == "waiting"
    with translation.override("en"), pytest.raises(VoiceError, match="outside yours"):
        door.accept(voice, scope(world.member))
    assert world.client("secretary").get(queue).status_code == 200
    assert world.client("committee").get(url("door_poster", world.cell.code)).status_code == 200
    assert world.client("member").get(url("door_poster", world.cell.code)).status_code == 403


def test_the_poster_has_the_qr_code_and_both_languages(world):
    page = world.client("secretary").get(url("door_poster", world.cell.code)).content.decode()
    assert "<svg" in page and world.cell.name in page
    assert 'lang="vi"' in page and 'lang="km"' in page
    assert url("door", world.cell.code) in page


# -- query budgets --------------------------------------------------------------------------


def test_the_door_the_tracking_page_and_the_queue_keep_their_budgets(world):
    first = submitted(world)
    door.accept(first, scope(world.secretary), at=NOW)
    handling.answer(first, "Đã dọn.", scope(world.secretary), at=NOW)
    client = citizen()
    secretary = world.client("secretary")
    track = f"{url('door_track')}?code={first.tracking_code}"
    few = [
        count_queries(client, url("door", world.cell.code)),
        count_queries(client, track),
        count_queries(secretary, url("door_queue", world.cell.code)),
    ]
    for n in range(40):
        submitted(world, text=f"Ý kiến số {n}.")
    for _ in range(10):
        handling.answer(first, "Thêm một câu trả lời.", scope(world.secretary), at=NOW)
    many = [
        count_queries(client, url("door", world.cell.code)),
        count_queries(client, track),
        count_queries(secretary, url("door_queue", world.cell.code)),
    ]
    assert many == few


def test_a_signed_in_officer_without_a_second_factor_still_opens_the_door(world):
    client = Client()
    client.force_login(world.secretary)  # holds an office: pages ask for the second factor
    assert client.get(reverse("voices:mine")).status_code == 302
    assert client.get(url("door", world.cell.code)).status_code == 200
    assert client.get(url("door_track")).status_code == 200
    assert client.get(url("door_poster", world.cell.code)).status_code == 302


def test_the_admin_reads_what_waits_for_review(world):
    submitted(world)
    page = world.client("admin").get(reverse("admin:voices_voice_changelist"))
    assert page.status_code == 200 and SAID[:40] in page.content.decode()


def test_leaving_a_voice_costs_few_queries(world, django_assert_num_queries):
    # As a citizen on a first visit, with no session: the cell, the category chosen, the voice
    # and its step (in a savepoint here, in a transaction when served), the cell's handlers
    # and their notice. The tracking code waits in a signed cookie, not in a new session
    # (which cost four more).
    client = citizen()
    with django_assert_num_queries(9):
        response = leave(client, world.cell)
    assert response.status_code == 302
    code = Voice.everything.get().tracking_code
    assert door.shown(code) in client.get(response["Location"]).content.decode()
