"""The pages of a study: launching it from a document, a member's learning note, the cell
secretary's reading and return for improvement, the study held in a meeting, completion."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from chibo.conftest import child, make_member, signed_in
from chibo.library import studying
from chibo.library.models import LearningNote, StudyCampaign, StudySession
from chibo.library.tests.library_data import shelved
from chibo.library.tests.study_data import launched
from chibo.meetings.tests.holding_data import count_queries, messages_in
from chibo.quality.tests.history import held

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
NOTE = {"note": "Nắm vững 5 quan điểm chỉ đạo", "action_plan": "Học kỹ năng số"}


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def url(name: str, *args) -> str:
    return reverse(f"library:{name}", args=args)


@pytest.fixture
def campaign(world) -> StudyCampaign:
    return launched(world.city, date(2026, 12, 31), today=date(2026, 12, 15))


def test_every_page_asks_to_sign_in_and_hides_from_other_subtrees(world, campaign):
    note = studying.submit(campaign, world.member.member, NOTE["note"], NOTE["action_plan"])
    routes = [
        (url("studies"), "get", 200),
        (url("committee_studies", world.city.code), "get", 404),
        (url("launch", campaign.document.code, world.city.code), "get", 404),
        (url("study", campaign.code), "get", 404),
        (url("studied", campaign.code), "post", 404),
        (url("submit", campaign.code), "post", 404),
        (url("progress", campaign.code), "get", 404),
        (url("study_cell", campaign.code, world.cell.code), "get", 404),
        (url("session", campaign.code, world.cell.code), "post", 404),
        (url("send_back", campaign.code, note.code), "post", 404),
    ]
    outsider = world.client("outsider")
    for target, method, status in routes:
        response = getattr(Client(), method)(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert getattr(outsider, method)(target).status_code == status, target


def test_readers_may_not_act(world, campaign):
    note = studying.submit(campaign, world.member.member, NOTE["note"], NOTE["action_plan"])
    member = world.client("member")
    # The city is not hers to see; Cường sees it, but does not sit on its standing committee.
    assert member.get(url("launch", campaign.document.code, world.city.code)).status_code == 404
    launch = url("launch", campaign.document.code, world.city.code)
    assert world.client("committee").get(launch).status_code == 403
    assert member.get(url("progress", campaign.code)).status_code == 403
    assert member.get(url("study_cell", campaign.code, world.cell.code)).status_code == 403
    assert member.post(url("send_back", campaign.code, note.code)).status_code == 403
    # The supervisor sees the cell, but its members' notes are for its leaders and committees.
    back = url("send_back", campaign.code, note.code)
    assert world.client("supervisor").post(back, {"comment": "x"}).status_code == 403
    committee = world.client("committee")  # sits above: reads, may not return
    assert committee.get(url("study_cell", campaign.code, world.cell.code)).status_code == 200
    assert (
        committee.post(url("send_back", campaign.code, note.code), {"comment": "x"}).status_code
        == 403
    )
    assert committee.post(url("session", campaign.code, world.cell.code)).status_code == 403
    # The admin has no member record: nothing to study.
    assert world.client("admin").post(url("studied", campaign.code)).status_code == 403


def test_wrong_methods_are_refused(world, campaign):
    member = world.client("member")
    assert member.get(url("studied", campaign.code)).status_code == 405
    assert member.get(url("submit", campaign.code)).status_code == 405
    assert member.post(url("study", campaign.code)).status_code == 405
    assert member.post(url("studies")).status_code == 405


def test_the_city_launches_a_study_from_the_document(world, issuer):
    document = shelved(number="66-NQ/TW")
    lan = signed_in(issuer)
    page = lan.get(url("document", document.code)).content.decode()
    assert url("launch", document.code, world.city.code) in page
    target = url("launch", document.code, world.city.code)
    bad = lan.post(target, {"deadline": "2026-12-01", "materials": ""})
    assert "The deadline is over" in str(bad.context["form"].errors)
    outside = lan.post(target, {"deadline": "2026-12-31", "parts": [world.foreign_cell.pk]})
    assert "parts" in outside.context["form"].errors
    response = lan.post(target, {"deadline": "2026-12-31", "materials": "https://example.org/57"})
    assert response.status_code == 302
    campaign = StudyCampaign.objects.get()
    assert (campaign.committee, campaign.document) == (world.city, document)
    assert "66-NQ/TW" in world.client("member").get(url("studies")).content.decode()
    assert "66-NQ/TW" not in world.client("outsider").get(url("studies")).content.decode()


def test_a_member_studies_and_sends_a_note_the_secretary_returns_it_and_she_revises(
    world, campaign
):
    mai = world.client("member")
    assert "I have studied it" in mai.get(url("study", campaign.code)).content.decode()
    mai.post(url("studied", campaign.code))
    empty = mai.post(url("submit", campaign.code), {"note": "", "action_plan": ""})
    assert set(empty.context["form"].errors) == {"note", "action_plan"}
    response = mai.post(url("submit", campaign.code), NOTE, follow=True)
    assert "sent to your secretary" in messages_in(response)
    note = LearningNote.objects.get()

    son = world.client("secretary")
    cell_page = son.get(url("study_cell", campaign.code, world.cell.code)).content.decode()
    assert "Nắm vững 5 quan điểm chỉ đạo" in cell_page
    assert "Trần Văn Sơn" in cell_page  # he has not studied it yet himself
    refused = son.post(url("send_back", campaign.code, note.code), {"comment": ""}, follow=True)
    assert "Say what to improve" in messages_in(refused)
    son.post(url("send_back", campaign.code, note.code), {"comment": "Liên hệ bản thân"})
    note.refresh_from_db()
    assert note.status == LearningNote.Status.RETURNED

    page = mai.get(url("study", campaign.code)).content.decode()
    assert "Returned for improvement:" in page and "Liên hệ bản thân" in page
    mai.post(url("submit", campaign.code), {**NOTE, "note": NOTE["note"] + " — bản thân tôi"})
    note.refresh_from_db()
    assert note.status == LearningNote.Status.SUBMITTED and note.note.endswith("bản thân tôi")


def test_the_committee_sees_completion_by_level(world, campaign, issuer):
    studying.submit(campaign, world.member.member, NOTE["note"], NOTE["action_plan"])
    lan = signed_in(issuer)
    page = lan.get(url("progress", campaign.code)).content.decode()
    assert "Đảng bộ phường Quang Trung" in page
    cells = lan.get(url("progress", campaign.code), {"level": world.cell.depth}).content.decode()
    assert "Chi bộ khu 1" in cells and "50%" in cells
    assert lan.get(url("progress", campaign.code), {"level": "x"}).status_code == 200


def test_the_secretary_records_the_study_held_in_a_meeting(world):
    campaign = launched(world.ward, date(2026, 12, 31), today=date(2026, 12, 1))
    StudyCampaign.objects.filter(pk=campaign.pk).update(
        created_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    meeting = held(world.cell, date(2026, 12, 5), ["Nguyễn Thị Mai"])
    son = world.client("secretary")
    response = son.post(
        url("session", campaign.code, world.cell.code), {"meeting": meeting.pk}, follow=True
    )
    assert "1 members present" in messages_in(response)
    assert StudySession.objects.get().meeting == meeting
    bad = son.post(url("session", campaign.code, world.cell.code), {"meeting": "nope"})
    assert bad.status_code == 200 and bad.context["session_form"].errors


def test_study_pages_cost_the_same_for_2_and_40_studies(world, issuer):
    member = world.client("member")
    lan = signed_in(issuer)
    first = launched(world.city, date(2026, 12, 31), today=date(2026, 12, 15))
    launched(world.city, date(2026, 12, 30), today=date(2026, 12, 15))
    pages = [url("studies"), url("committee_studies", world.city.code)]
    small = [count_queries(member, pages[0]), count_queries(lan, pages[1])]
    cell_page = url("study_cell", first.code, world.cell.code)
    small_cell = count_queries(world.client("secretary"), cell_page)
    progress = url("progress", first.code) + f"?level={world.cell.depth}"
    small_progress = count_queries(lan, progress)
    for _ in range(38):
        launched(world.city, date(2026, 12, 31), today=date(2026, 12, 15))
    assert [count_queries(member, pages[0]), count_queries(lan, pages[1])] == small
    for i in range(20):
        make_member(world.cell, f"Đảng viên {i}")
        child(world.ward, name=f"Chi bộ mới {i}", kind="cell", level=world.cell.level)
    assert count_queries(world.client("secretary"), cell_page) == small_cell
    assert count_queries(lan, progress) == small_progress
