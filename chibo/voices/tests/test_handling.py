"""Recording a voice and each step of handling it: what changes, who hears of it, and what is
refused with nothing changed."""

from datetime import timedelta

import pytest
from django.utils import translation

from chibo.lib.months import month_of
from chibo.notify.models import Notification
from chibo.quality import rollup
from chibo.quality.models import MonthlyIndicators
from chibo.voices import handling
from chibo.voices.handling import VoiceError
from chibo.voices.models import Step, Voice
from chibo.voices.tests.voices_data import NOW, category, clock, recorded, scope, standing

pytestmark = clock
State = Voice.State


def snapshot(voice: Voice) -> tuple:
    voice.refresh_from_db()
    steps = list(voice.steps.values_list("kind", "by_org_id", "to_org_id", "text"))
    return (voice.state, voice.holder_id, voice.first_answered_at, voice.resolved_at, steps)


def test_a_member_records_a_voice_held_by_their_cell(world):
    voice = recorded(world)
    assert (voice.cell, voice.holder, voice.state) == (world.cell, world.cell, State.RECEIVED)
    mai = world.member.member.pk
    assert voice.raised_by_id == mai and voice.recorded_by_id == mai
    assert voice.answer_due == NOW + timedelta(days=7)
    assert voice.resolve_due == NOW + timedelta(days=30)
    assert list(voice.steps.values_list("kind", "by_org")) == [(Step.Kind.RECORDED, world.cell.pk)]


def test_a_citizens_contact_is_kept_only_with_consent(world):
    # Given without consent, it is refused rather than dropped (the door's rule).
    with translation.override("en"), pytest.raises(VoiceError, match="Tick the box"):
        recorded(world, source=Voice.Source.CITIZEN, citizen_name="Bà Hoa", citizen_contact="0912")
    assert not Voice.objects.exists()
    named = recorded(world, source=Voice.Source.CITIZEN, citizen_name="Bà Hoa")
    assert (named.citizen_name, named.citizen_contact, named.raised_by) == ("Bà Hoa", "", None)
    kept = recorded(world, source=Voice.Source.CITIZEN, citizen_contact="0912", consent=True)
    assert kept.citizen_contact == "0912" and kept.citizen_name == ""


def test_another_member_must_be_of_the_cell(world):
    son = world.secretary.member
    voice = recorded(world, source=Voice.Source.MEMBER, raised_by=son)
    assert voice.raised_by == son
    with pytest.raises(VoiceError):
        recorded(world, source=Voice.Source.MEMBER, raised_by=world.outsider.member)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"text": "   "}, "Say what was raised."),
        ({"text": "x" * 2001}, "Keep it to 2000 characters (it has 2001)."),
        ({"text": "Đường\u202engập"}, "Remove the invisible or control character (U+202E)."),
        ({"text": "Đường\x00ngập"}, "Remove the invisible or control character (U+0000)."),
        ({"category": "no-such-category"}, "Choose one of the categories."),
        ({"category": 999999}, "Choose one of the categories."),
        ({"urgency": "tomorrow"}, "Choose one of the options."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(world, fields, message):
    with translation.override("en"), pytest.raises(VoiceError) as refused:
        recorded(world, **fields)
    assert str(refused.value) == message
    assert not Voice.objects.exists() and not Step.objects.exists()


def test_no_one_records_for_a_cell_not_theirs(world):
    for persona in ("outsider", "committee", "supervisor"):
        with pytest.raises(VoiceError):
            recorded(world, persona=persona)
    assert not Voice.objects.exists()


def test_links_and_markup_are_kept_as_plain_text(world):
    voice = recorded(world, text="<script>alert(1)</script> https://example.org")
    assert voice.text == "<script>alert(1)</script> https://example.org"


def test_the_secretary_answers_and_the_member_is_told(world):
    voice = recorded(world)
    step = handling.answer(voice, "Tổ dân phố sẽ khơi thông cống.", scope(world.secretary))
    voice.refresh_from_db()
    assert step.kind == Step.Kind.ANSWERED and step.by_org == world.cell
    assert voice.state == State.ANSWERED and voice.first_answered_at == NOW
    told = Notification.objects.get(kind=Notification.Kind.VOICE)
    assert told.recipient == world.member and told.voice == voice
    # A second answer keeps the first answer's time.
    later = NOW + timedelta(days=2)
    handling.answer(voice, "Đã khơi thông xong.", scope(world.secretary), at=later)
    voice.refresh_from_db()
    assert voice.first_answered_at == NOW


def test_passing_up_goes_to_the_parent_with_a_note_and_the_due_dates_stay(world):
    voice = recorded(world)
    due = (voice.answer_due, voice.resolve_due)
    step = handling.pass_up(voice, "Cần phường đầu tư cống mới.", scope(world.secretary))
    voice.refresh_from_db()
    assert (step.by_org, step.to_org, step.text) == (
        world.cell,
        world.ward,
        "Cần phường đầu tư cống mới.",
    )
    assert (voice.holder, voice.state) == (world.ward, State.PASSED_UP)
    assert (voice.answer_due, voice.resolve_due) == due
    # The cell's secretary no longer handles it; the ward's standing committee does.
    with pytest.raises(VoiceError):
        handling.answer(voice, "Xong.", scope(world.secretary))
    hai = standing(world, world.ward, "Bùi Văn Hải", "hai")
    handling.resolve(voice, "Phường đã làm cống mới.", scope(hai))
    voice.refresh_from_db()
    assert voice.state == State.RESOLVED and voice.resolved_at == NOW
    assert voice.first_answered_at == NOW


def test_passing_up_past_the_top_is_refused(world):
    voice = recorded(world)
    city = scope(world.committee)
    for _ in range(3):  # cell → ward → city → province
        handling.pass_up(voice, "Lên trên.", city) if voice.holder.depth > 2 else None
        voice.refresh_from_db()
        if voice.holder.depth <= 2:
            break
    handling.pass_up(voice, "Lên tỉnh.", scope(world.admin))
    voice.refresh_from_db()
    assert voice.holder == world.province
    before = snapshot(voice)
    with translation.override("en"), pytest.raises(VoiceError, match="no organisation above"):
        handling.pass_up(voice, "Lên nữa.", scope(world.admin))
    assert snapshot(voice) == before


@pytest.mark.parametrize("action", ["answer", "pass_up", "resolve", "decline"])
def test_a_step_without_words_changes_nothing(world, action):
    voice = recorded(world)
    before = snapshot(voice)
    with pytest.raises(VoiceError):
        getattr(handling, action)(voice, "  ", scope(world.secretary))
    assert snapshot(voice) == before


def test_acting_outside_ones_subtree_changes_nothing(world):
    voice = recorded(world)
    before = snapshot(voice)
    for persona in ("outsider", "member", "supervisor"):
        with pytest.raises(VoiceError):
            handling.answer(voice, "Trả lời.", scope(getattr(world, persona)))
        with pytest.raises(VoiceError):
            handling.start(voice, scope(getattr(world, persona)))
    assert snapshot(voice) == before


def test_declining_needs_a_reason_and_closes_it(world):
    voice = recorded(world)
    handling.start(voice, scope(world.secretary))
    handling.decline(voice, "Không thuộc thẩm quyền.", scope(world.secretary))
    voice.refresh_from_db()
    assert voice.state == State.DECLINED and voice.resolved_at == NOW
    with pytest.raises(VoiceError):
        handling.answer(voice, "Trả lời.", scope(world.secretary))
    kinds = list(voice.steps.values_list("kind", flat=True))
    assert kinds == [Step.Kind.RECORDED, Step.Kind.STARTED, Step.Kind.DECLINED]


def test_urgent_voices_and_a_categorys_own_times(world):
    urgent = recorded(world, urgency=Voice.Urgency.URGENT)
    assert urgent.answer_due == NOW + timedelta(days=2)
    assert urgent.resolve_due == NOW + timedelta(days=10)
    own = category("social_welfare")
    own.answer_days, own.resolve_days = 3, 14
    own.save()
    voice = recorded(world, category=own)
    assert (voice.answer_due, voice.resolve_due) == (
        NOW + timedelta(days=3),
        NOW + timedelta(days=14),
    )


def test_overdue_voices_are_flagged_once_to_the_holder_and_the_committee_above(world):
    voice = recorded(world)
    hai = standing(world, world.ward, "Bùi Văn Hải", "hai")
    assert handling.flag_overdue(NOW + timedelta(days=6)) == 0
    assert list(Voice.objects.overdue(NOW + timedelta(days=8))) == [voice]
    assert handling.flag_overdue(NOW + timedelta(days=8)) == 1
    told = set(
        Notification.objects.filter(kind=Notification.Kind.VOICE_OVERDUE).values_list(
            "recipient", flat=True
        )
    )
    assert told == {world.secretary.pk, hai.pk}
    assert handling.flag_overdue(NOW + timedelta(days=9)) == 0


def test_a_voice_answered_late_is_flagged_again_when_its_resolution_falls_due(world):
    heard = NOW - timedelta(days=31)  # resolved by 30 days later, this month
    voice = recorded(world, at=heard)
    assert handling.flag_overdue(heard + timedelta(days=8)) == 1
    handling.answer(voice, "Đã báo phường", scope(world.secretary), at=heard + timedelta(days=9))
    assert handling.flag_overdue(heard + timedelta(days=20)) == 0, "answered, not yet due"
    late = voice.resolve_due + timedelta(hours=1)
    assert late < NOW
    assert handling.flag_overdue(late) == 1
    assert handling.flag_overdue(late + timedelta(hours=1)) == 0, "once for each time"
    month = month_of(late)
    kept = MonthlyIndicators.objects.get(organisation=world.cell, month=month).voices_overdue
    assert kept == 1
    assert kept == rollup.cell_months([world.cell.pk], month, month)[0].voices_overdue
