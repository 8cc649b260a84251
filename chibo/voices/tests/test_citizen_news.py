"""A citizen hears of their voice (issue 12, part 3): one who left an e-mail address, with their
consent, is mailed each step meant for them (an answer, where it was passed, how it was resolved,
why it was declined) in the language of the door, with their tracking code and the tracking
page's address; never a member's name, nor the note passing it up. A phone number gets nothing
(there is no SMS), and its handlers are told to call."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from chibo.meetings.tests.holding_data import count_queries
from chibo.voices import door, handling
from chibo.voices.models import Step, Voice
from chibo.voices.tasks import tell_citizen
from chibo.voices.tests.voices_data import NOW, category, clock, recorded, scope

pytestmark = clock

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SITE = "https://chibo.example.org"
ADDRESS = "lan.nguyen@example.org"
SAID = "Bãi rác tự phát ở đầu ngõ 5 bốc mùi, xin chi bộ kiến nghị dọn."
SAID_KM = "ផ្លូវចូលភូមិខូចខាតខ្លាំង សូមកោសិកាជួយស្នើឱ្យជួសជុល។"
NOTE = "Ghi chú nội bộ: cần phường bố trí kinh phí."
ANSWER = "Phường đã giao đội vệ sinh dọn trong tuần."
SECRETARY = "Trần Văn Sơn"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.CHIBO_SITE_URL = SITE
    settings.TASKS = IMMEDIATE


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what a process leaves for after its commit (the mail's task), as when served."""

    def run(process, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return process(*args, **kwargs)

    return run


def url(name: str, *args) -> str:
    return reverse(f"voices:{name}", args=args)


def left_at_the_door(world, **fields) -> Voice:
    """A citizen's voice from the door, accepted by the cell's secretary."""
    fields = {"category": category(), "text": SAID, "contact": ADDRESS, "consent": True, **fields}
    voice = door.submit(world.cell, at=NOW, **fields)
    door.accept(voice, scope(world.secretary), at=NOW)
    return voice


def test_each_step_meant_for_the_citizen_is_mailed_once(world, mailbox, after_commit):
    voice = left_at_the_door(world, language="vi")
    secretary = scope(world.secretary)
    after_commit(handling.start, voice, secretary)  # taken up: nothing to tell
    assert mailbox.messages == []
    after_commit(handling.answer, voice, "Chi bộ đã báo tổ dân phố.", secretary)
    after_commit(handling.pass_up, voice, NOTE, secretary)
    ward = scope(world.admin)
    after_commit(handling.answer, voice, ANSWER, ward)
    after_commit(handling.resolve, voice, "Đã dọn xong bãi rác.", ward)
    assert [m["To"] for m in mailbox.messages] == [ADDRESS] * 4
    kinds = [Step.Kind.ANSWERED, Step.Kind.PASSED_UP, Step.Kind.ANSWERED, Step.Kind.RESOLVED]
    mailed = voice.steps.filter(mailed_at__isnull=False).order_by("at", "pk")
    assert list(mailed.values_list("kind", flat=True)) == kinds
    passed = mailbox.messages[1].get_content()
    assert world.ward.name in passed and NOTE not in passed  # where it went, not why


def test_the_mail_has_the_code_and_the_link_and_no_name_nor_note(world, mailbox, after_commit):
    voice = left_at_the_door(world, language="vi")
    secretary = scope(world.secretary)
    after_commit(handling.pass_up, voice, NOTE, secretary)
    after_commit(handling.answer, voice, ANSWER, scope(world.committee))
    answered = mailbox.messages[-1]
    body = answered.get_content()
    with translation.override("vi"):
        assert translation.gettext("Your tracking code:") in body
    code = door.shown(voice.tracking_code)
    assert code in body and code in answered["Subject"]
    assert f"{SITE}/voices/door/track/?code={voice.tracking_code}" in body
    assert ANSWER in body and world.ward.name in body
    for secret in (NOTE, SECRETARY, "Phạm Quốc Cường", world.secretary.email):
        assert all(secret not in m.get_content() for m in mailbox.messages), secret
        assert all(secret not in m["Subject"] for m in mailbox.messages), secret
    assert answered["Auto-Submitted"] == "auto-generated"
    # The link opens the voice with its answer.
    page = Client().get(f"/voices/door/track/?code={voice.tracking_code}").content.decode()
    assert ANSWER in page


def test_a_voice_left_in_khmer_is_answered_in_khmer(world, mailbox, after_commit):
    citizen = Client(REMOTE_ADDR="203.0.113.7")
    citizen.post(reverse("set_language"), {"language": "km", "next": url("door", world.cell.code)})
    citizen.post(
        url("door", world.cell.code),
        {"category": category().pk, "text": SAID_KM, "contact": ADDRESS, "consent": "on"},
    )
    voice = Voice.everything.get()
    assert voice.language == "km"
    door.accept(voice, scope(world.secretary), at=NOW)
    after_commit(handling.decline, voice, "មិនមែនជាសមត្ថកិច្ចរបស់កោសិកាទេ។", scope(world.secretary))
    (mail,) = mailbox.messages
    body = mail.get_content()
    with translation.override("km"):
        expected = [translation.gettext("Your tracking code:"), translation.gettext("declined")]
    assert expected == ["លេខកូដតាមដានរបស់អ្នក៖", "បានបដិសេធ"]
    assert expected[0] in body and expected[1] in mail["Subject"]
    assert "Your tracking code" not in body and "declined" not in mail["Subject"]
    assert "មិនមែនជាសមត្ថកិច្ចរបស់កោសិកាទេ។" in body  # the reason, for the citizen


def test_a_phone_number_gets_nothing_and_its_handlers_are_told_to_call(
    world, mailbox, after_commit
):
    voice = left_at_the_door(world, contact="0912 345 678")
    assert voice.citizen_email == ""
    after_commit(handling.answer, voice, ANSWER, scope(world.secretary))
    assert mailbox.messages == []
    assert not Step.objects.filter(mailed_at__isnull=False).exists()
    page = world.client("secretary").get(url("voice", voice.code)).content.decode()
    assert "0912 345 678" in page and "call or visit the citizen" in page
    assert "is e-mailed to the citizen" not in page


def test_handlers_read_that_an_e_mail_address_is_written_to(world):
    voice = left_at_the_door(world)
    page = world.client("secretary").get(url("voice", voice.code)).content.decode()
    assert ADDRESS in page and "is e-mailed to the citizen" in page


def test_without_consent_or_contact_nobody_is_mailed(world, mailbox, after_commit):
    # No consent, no contact kept: the door and the record form refuse one given without it.
    refused = world.client("secretary").post(
        url("record", world.cell.code),
        {
            "text": SAID,
            "category": category().pk,
            "urgency": "normal",
            "source": "citizen",
            "citizen_contact": ADDRESS,
        },
    )
    assert refused.status_code == 200 and "consent" in refused.context["form"].errors
    assert not Voice.objects.exists()
    nameless = recorded(world, "secretary", source=Voice.Source.CITIZEN)
    mine = recorded(world, "member", citizen_contact=ADDRESS, consent=True)  # not a citizen's
    assert mine.citizen_contact == ""
    for voice in (nameless, mine):
        after_commit(handling.answer, voice, ANSWER, scope(world.secretary))
    assert mailbox.messages == []


def test_a_voice_not_accepted_at_the_door_mails_nobody(world, mailbox, after_commit):
    voice = door.submit(world.cell, category=category(), text=SAID, contact=ADDRESS, consent=True)
    after_commit(door.reject, voice, "Quảng cáo.", scope(world.secretary))
    assert mailbox.messages == []


def test_a_member_recorded_citizens_voice_is_mailed_too(world, mailbox, after_commit):
    voice = recorded(
        world,
        "secretary",
        source=Voice.Source.CITIZEN,
        citizen_contact=ADDRESS,
        consent=True,
        language="km",
    )
    after_commit(handling.answer, voice, ANSWER, scope(world.secretary))
    (mail,) = mailbox.messages
    assert door.shown(voice.tracking_code) in mail.get_content()
    assert "លេខកូដតាមដានរបស់អ្នក៖" in mail.get_content()


def test_the_task_mails_a_step_once_and_only_one_meant_for_the_citizen(world, mailbox):
    voice = left_at_the_door(world)
    started = handling.start(voice, scope(world.secretary))
    answered = handling.answer(voice, ANSWER, scope(world.secretary))
    assert tell_citizen.call(started.pk) == 0
    assert tell_citizen.call(answered.pk) == 1
    assert tell_citizen.call(answered.pk) == 0  # run twice: mailed once
    assert tell_citizen.call(999999) == 0
    assert len(mailbox.messages) == 1


def test_a_step_stays_unmailed_while_the_mail_server_is_down(world, mailbox, settings):
    voice = left_at_the_door(world)
    answered = handling.answer(voice, ANSWER, scope(world.secretary))
    settings.EMAIL_PORT = 1  # nothing listens: the worker's task fails, nothing is marked
    with pytest.raises(OSError):
        tell_citizen.call(answered.pk)
    answered.refresh_from_db()
    assert answered.mailed_at is None


def test_the_mail_waits_for_the_commit_and_a_rollback_sends_none(
    world, mailbox, django_capture_on_commit_callbacks
):
    voice = left_at_the_door(world)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            handling.answer(voice, ANSWER, scope(world.secretary))
            assert mailbox.messages == []  # not before the commit
            raise RuntimeError("the request failed after the answer")
    assert mailbox.messages == [] and not voice.steps.filter(kind=Step.Kind.ANSWERED).exists()


def test_acting_on_a_citizens_voice_keeps_its_budget(world, mailbox, after_commit):
    # The handler's page and their answer cost the same whether the citizen is written to or not.
    written = left_at_the_door(world)
    called = left_at_the_door(world, contact="0912 345 678")
    client = world.client("secretary")
    costs = [count_queries(client, url("voice", v.code)) for v in (written, called)]
    assert costs[0] == costs[1]
    for i in range(20):
        after_commit(handling.answer, written, f"Trả lời {i}.", scope(world.secretary))
    assert count_queries(client, url("voice", written.code)) == costs[0]
    assert len(mailbox.messages) == 20
    # Answering costs the same: the mail is queued after the commit, and sent by the worker.
    answers = []
    for voice in (written, called):
        with CaptureQueriesContext(connection) as queries:
            client.post(url("act", voice.code, "answer"), {"answer-text": ANSWER})
        answers.append(len(queries))
    assert answers[0] == answers[1]
