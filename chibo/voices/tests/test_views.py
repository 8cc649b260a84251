"""The pages of voices: recording, my voices, a holder's inbox, one voice and the forms to act
on it, a committee's summary. Each guarded, each with its happy path, its bad input, its wrong
methods and its query budget."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from chibo.conftest import make_member, make_user, signed_in
from chibo.meetings.tests.holding_data import count_queries, messages_in
from chibo.voices import handling
from chibo.voices.models import Step, Voice
from chibo.voices.tests.voices_data import category, clock, recorded, scope, standing, url

pytestmark = [clock, pytest.mark.usefixtures("english")]


VOICE = {
    "text": "Đèn đường khu 3 hỏng đã hai tuần.",
    "category": "",
    "place": "Khu 3",
    "urgency": "normal",
    "source": "self",
}


def posted_voice(**changes) -> dict:
    return {**VOICE, "category": category().pk, **changes}


def assert_signs_in(target: str, method: str = "get") -> None:
    response = getattr(Client(), method)(target)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- recording -----------------------------------------------------------------------------


def test_recording_is_for_the_cells_members(world):
    target = url("record", world.cell.code)
    assert_signs_in(target)
    assert_signs_in(target, "post")
    assert world.client("outsider").get(target).status_code == 404
    for persona in ("supervisor", "committee"):  # they see the cell, but are not of it
        assert world.client(persona).get(target).status_code == 403, persona
        assert world.client(persona).post(target, posted_voice()).status_code == 403
    assert world.client("member").get(url("record", world.ward.code)).status_code == 404
    assert not Voice.objects.exists()


def test_a_member_records_a_voice_and_reads_it(world):
    client = world.client("member")
    page = client.get(url("record", world.cell.code))
    assert page.status_code == 200 and b"Record a voice" in page.content
    response = client.post(url("record", world.cell.code), posted_voice(), follow=True)
    voice = Voice.objects.get()
    assert response.redirect_chain[-1][0] == url("voice", voice.code)
    assert "The voice was recorded" in messages_in(response)
    assert (voice.cell, voice.place, voice.source) == (world.cell, "Khu 3", "self")
    assert b"Take it up" not in response.content  # the member reads, the cell handles


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"text": ""}, "Say what was raised."),
        ({"text": "x" * 2001}, "Keep it within 2000 characters (it has 2001)."),
        ({"text": "Đèn\u200ehỏng"}, "Remove the invisible or control character (U+200E)."),
        ({"category": "999999"}, "Choose one of the categories."),
        ({"source": "member"}, "Choose the member of the cell who raised it."),
        ({"urgency": "now"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_and_nothing_recorded(world, changes, error):
    response = world.client("member").post(url("record", world.cell.code), posted_voice(**changes))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Voice.objects.exists()


def test_markup_in_a_voice_is_shown_as_text(world):
    voice = recorded(world, text="<b>đậm</b> https://example.org")
    page = world.client("member").get(url("voice", voice.code)).content.decode()
    assert "&lt;b&gt;đậm&lt;/b&gt;" in page and 'href="https://example.org"' not in page


@pytest.mark.parametrize(
    "name, method", [("record", "put"), ("mine", "post"), ("voice", "post"), ("inbox", "post")]
)
def test_wrong_methods_are_refused(world, name, method):
    voice = recorded(world)
    args = {
        "record": [world.cell.code],
        "mine": [],
        "voice": [voice.code],
        "inbox": [world.cell.code],
    }[name]
    assert getattr(world.client("secretary"), method)(url(name, *args)).status_code == 405


def test_acting_is_by_post_only_and_unknown_actions_are_not_found(world):
    voice = recorded(world)
    client = world.client("secretary")
    assert client.get(url("act", voice.code, "answer")).status_code == 405
    assert client.post(url("act", voice.code, "delete")).status_code == 404


# -- my voices -----------------------------------------------------------------------------


def test_my_voices_show_every_step_and_answer(world):
    assert_signs_in(url("mine"))
    voice = recorded(world)
    handling.answer(voice, "Điện lực sẽ thay bóng đèn.", scope(world.secretary))
    page = world.client("member").get(url("mine")).content.decode()
    assert "Đường vào khu 3" in page and "Điện lực sẽ thay bóng đèn." in page
    assert "Đường vào khu 3" not in world.client("outsider").get(url("mine")).content.decode()


def test_my_voices_keep_their_budget(world):
    client = world.client("member")
    for _ in range(2):
        handling.answer(recorded(world), "Đã trả lời.", scope(world.secretary))
    few = count_queries(client, url("mine"))
    for _ in range(38):
        voice = recorded(world)
        handling.answer(voice, "Đã trả lời.", scope(world.secretary))
        handling.resolve(voice, "Đã xong.", scope(world.secretary))
    assert count_queries(client, url("mine")) == few


# -- the inbox -----------------------------------------------------------------------------


def test_the_inbox_is_for_those_who_handle(world):
    target = url("inbox", world.cell.code)
    assert_signs_in(target)
    assert world.client("outsider").get(target).status_code == 404
    for persona in ("member", "supervisor"):
        assert world.client(persona).get(target).status_code == 403, persona
    for persona in ("secretary", "committee", "admin"):
        assert world.client(persona).get(target).status_code == 200, persona


def test_the_inbox_filters_and_flags_overdue(world):
    land = recorded(world, text="Đất lấn chiếm vỉa hè.")
    welfare = recorded(world, text="Hộ nghèo cần hỗ trợ.", category=category("social_welfare"))
    handling.resolve(welfare, "Đã hỗ trợ.", scope(world.secretary))
    client = world.client("secretary")
    page = client.get(url("inbox", world.cell.code)).content.decode()
    assert land.text in page and welfare.text not in page  # open ones by default
    page = client.get(url("inbox", world.cell.code), {"state": "all"}).content.decode()
    assert land.text in page and welfare.text in page
    chosen = {"state": "all", "category": category("social_welfare").pk}
    page = client.get(url("inbox", world.cell.code), chosen).content.decode()
    assert land.text not in page and welfare.text in page
    page = client.get(url("inbox", world.cell.code), {"overdue": "on"}).content.decode()
    assert land.text not in page
    # Nonsense in the query string is ignored rather than refused.
    assert client.get(url("inbox", world.cell.code), {"state": "x", "page": "y"}).status_code == 200


def test_a_committees_inbox_holds_what_was_passed_up(world):
    voice = recorded(world)
    handling.pass_up(voice, "Cần phường giải quyết.", scope(world.secretary))
    hai = standing(world, world.ward, "Bùi Văn Hải", "hai")
    page = signed_in(hai).get(url("inbox", world.ward.code)).content.decode()
    assert voice.text in page
    assert (
        voice.text
        not in world.client("secretary").get(url("inbox", world.cell.code)).content.decode()
    )


def test_the_inbox_keeps_its_budget(world):
    client = world.client("secretary")
    for _ in range(2):
        recorded(world)
    few = count_queries(client, url("inbox", world.cell.code))
    for i in range(38):
        recorded(world, category=category("economy" if i % 2 else "other"))
    assert count_queries(client, url("inbox", world.cell.code)) == few


# -- one voice -----------------------------------------------------------------------------


def test_a_voice_is_seen_by_its_raiser_and_its_handlers_only(world):
    voice = recorded(world)
    target = url("voice", voice.code)
    assert_signs_in(target)
    for persona in ("outsider", "supervisor"):
        assert world.client(persona).get(target).status_code == 404, persona
    for persona in ("member", "secretary", "committee", "admin"):
        assert world.client(persona).get(target).status_code == 200, persona


def test_a_citizens_contact_is_shown_to_handlers_only(world):
    voice = recorded(
        world,
        source=Voice.Source.CITIZEN,
        citizen_name="Bà Hoa",
        citizen_contact="0987 654 321",
        consent=True,
    )
    target = url("voice", voice.code)
    assert "0987 654 321" not in world.client("member").get(target).content.decode()
    assert "0987 654 321" in world.client("secretary").get(target).content.decode()


@pytest.mark.parametrize("action", ["start", "answer", "pass_up", "resolve", "decline"])
def test_acting_is_for_handlers(world, action):
    voice = recorded(world)
    target = url("act", voice.code, action)
    assert_signs_in(target, "post")
    assert world.client("outsider").post(target, {f"{action}-text": "Xong."}).status_code == 404
    assert world.client("member").post(target, {f"{action}-text": "Xong."}).status_code == 403
    assert list(voice.steps.values_list("kind", flat=True)) == [Step.Kind.RECORDED]


def test_the_secretary_answers_passes_up_and_the_ward_resolves(world):
    voice = recorded(world)
    client = world.client("secretary")
    response = client.post(url("act", voice.code, "start"), follow=True)
    assert "The voice is taken up." in messages_in(response)
    response = client.post(
        url("act", voice.code, "answer"), {"answer-text": "Chi bộ đã báo tổ dân phố."}, follow=True
    )
    assert "The answer was sent." in messages_in(response)
    client.post(url("act", voice.code, "pass_up"), {"pass_up-text": "Cần phường đầu tư."})
    voice.refresh_from_db()
    assert voice.holder == world.ward and voice.state == Voice.State.PASSED_UP
    # The secretary reads it still, but no longer acts on it.
    assert client.post(url("act", voice.code, "resolve"), {"resolve-text": "x"}).status_code == 403
    ward = world.client("committee")  # the city's committee member sits above the ward
    ward.post(url("act", voice.code, "resolve"), {"resolve-text": "Phường đã sửa."})
    voice.refresh_from_db()
    assert voice.state == Voice.State.RESOLVED
    page = world.client("member").get(url("voice", voice.code)).content.decode()
    for said in ("Chi bộ đã báo tổ dân phố.", "Cần phường đầu tư.", "Phường đã sửa."):
        assert said in page


@pytest.mark.parametrize(
    "action, data, error",
    [
        ("answer", {}, "Write the answer."),
        ("pass_up", {"pass_up-text": " "}, "Say why it is passed up."),
        ("resolve", {"resolve-text": "x" * 2001}, "Keep it within 2000 characters"),
        ("decline", {"decline-text": "Không\u202e"}, "Remove the invisible or control character"),
    ],
)
def test_bad_steps_are_shown_and_nothing_changes(world, action, data, error):
    voice = recorded(world)
    response = world.client("secretary").post(url("act", voice.code, action), data)
    assert response.status_code == 200 and error in response.content.decode()
    voice.refresh_from_db()
    assert voice.state == Voice.State.RECEIVED and voice.steps.count() == 1


def test_passing_up_past_the_top_is_refused_with_a_message(world):
    voice = recorded(world)
    admin = world.client("admin")
    for _ in range(3):
        admin.post(url("act", voice.code, "pass_up"), {"pass_up-text": "Lên trên."})
    voice.refresh_from_db()
    assert voice.holder == world.province
    page = admin.get(url("voice", voice.code)).content.decode()
    assert 'id="pass_up"' not in page
    response = admin.post(url("act", voice.code, "pass_up"), {"pass_up-text": "Lên nữa."})
    assert "no organisation above" in response.content.decode()
    assert voice.steps.filter(kind=Step.Kind.PASSED_UP).count() == 3


def test_a_closed_voice_is_not_acted_on(world):
    voice = recorded(world)
    handling.decline(voice, "Không thuộc thẩm quyền.", scope(world.secretary))
    client = world.client("secretary")
    response = client.post(url("act", voice.code, "start"), follow=True)
    assert "closed already" in messages_in(response)
    assert b'id="answer"' not in client.get(url("voice", voice.code)).content


def test_the_voice_page_keeps_its_budget(world):
    voice = recorded(world)
    client = world.client("secretary")
    handling.answer(voice, "Một.", scope(world.secretary))
    few = count_queries(client, url("voice", voice.code))
    for i in range(38):
        handling.answer(voice, f"Trả lời {i}.", scope(world.secretary))
    assert count_queries(client, url("voice", voice.code)) == few


# -- a committee's summary -----------------------------------------------------------------


def test_the_summary_is_for_those_who_sit_above(world):
    target = url("summary", world.ward.code)
    assert_signs_in(target)
    for persona in ("outsider", "member", "secretary", "supervisor"):
        assert world.client(persona).get(target).status_code == 404, persona
    assert world.client("committee").get(url("summary", world.cell.code)).status_code == 404
    assert world.client("committee").get(target).status_code == 200


def test_the_summary_groups_what_several_cells_raised(world):
    sister = make_user(make_member(world.sister_cell, "Vũ Thị Hạnh"), "hanh")
    recorded(world, place="Khu 3")
    recorded(world, place="khu 3 ")
    handling.record(
        world.sister_cell,
        scope(sister),
        category=category(),
        text="Đường vào khu 3 ngập nước mỗi khi mưa to.",
        place="Khu 3",
    )
    recorded(world, place="Chợ", category=category("economy"))
    page = world.client("committee").get(url("summary", world.ward.code))
    recurring = page.context["recurring"]
    assert [(r["category"].slug, r["where"], r["cells"], r["n"]) for r in recurring] == [
        ("land_environment", "khu 3", 2, 3)
    ]
    alike = [(row["cells"], row["n"]) for row in page.context["alike"]]
    assert alike == [(2, 4)]  # the same words, three times from the cell, once from its sister
    counts = {c.slug: row["n"] for c, row in page.context["categories"]}
    assert counts == {"land_environment": 3, "economy": 1}


def drawn(client: Client, target: str) -> int:
    """The queries of the page as first drawn: the kept figures forgotten, the reach kept."""
    cache.clear()
    client.get(reverse("home"))
    return count_queries(client, target)


def test_the_summary_keeps_its_budget(world):
    client = world.client("committee")
    recorded(world)
    recorded(world, category=category("economy"))
    few = drawn(client, url("summary", world.city.code))
    for i in range(38):
        recorded(world, place=f"Khu {i % 5}", category=category(["economy", "other"][i % 2]))
    assert drawn(client, url("summary", world.city.code)) == few
    # Kept, the page reads no voice at all: not the tally, the open voices, the three lists,
    # nor (for the open voices and for the lists) whether the subtree is the whole tree.
    assert count_queries(client, url("summary", world.city.code)) == few - 7


def test_the_summary_is_counted_again_once_a_voice_of_the_subtree_changes(
    world, django_capture_on_commit_callbacks
):
    client = world.client("committee")
    with django_capture_on_commit_callbacks(execute=True):
        voice = recorded(world)
    page = client.get(url("summary", world.city.code))
    assert [row["open"] for _c, row in page.context["categories"]] == [1]
    with django_capture_on_commit_callbacks(execute=True):
        handling.resolve(voice, "Đã xong.", scope(world.secretary))
    page = client.get(url("summary", world.city.code))
    assert [row["open"] for _c, row in page.context["categories"]] == [0]
    # A voice elsewhere in the tree does not move the city's figures: they are read as kept.
    kept = count_queries(client, url("summary", world.city.code))
    with django_capture_on_commit_callbacks(execute=True):
        handling.record(
            world.foreign_cell, scope(world.outsider), category=category(), text="Ở nơi khác."
        )
    assert count_queries(client, url("summary", world.city.code)) == kept


def test_the_raiser_reads_the_news_among_their_notifications(world):
    voice = recorded(world)
    handling.answer(voice, "Đã nhận.", scope(world.secretary))
    page = world.client("member").get(reverse("notify:list")).content.decode()
    assert "is now answered, with Chi bộ khu 1" in page
    assert url("voice", voice.code) in page
