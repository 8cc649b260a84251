"""Minutes along the agenda: written, approved, never changed, corrected by a new version."""

import pytest
from django.test import Client

from chibo.meetings import holding
from chibo.meetings.models import Meeting, Minutes
from chibo.meetings.tests.holding_data import (
    ENGLISH,
    approved_minutes,
    assert_guarded,
    messages_in,
    opened,
    settled,
    url,
)
from chibo.meetings.tests.test_attending import plan

SITUATION = "3"  # the position of the ideological situation and criticism step
KHMER = "កោសិកាបក្សឯកភាព"


@pytest.fixture
def meeting(world) -> Meeting:
    return opened(world.cell)


@pytest.mark.parametrize(
    "name, method",
    [
        ("minutes", "get"),
        ("minutes", "post"),
        ("minutes_approve", "post"),
        ("minutes_correct", "post"),
    ],
)
def test_it_guards_the_minutes(world, meeting, name, method):
    assert_guarded(world, url(meeting, name), method)
    assert not Minutes.objects.exists()


def test_it_refuses_other_methods(world, meeting):
    client = world.client("secretary")
    assert client.put(url(meeting, "minutes")).status_code == 405
    assert client.get(url(meeting, "minutes_approve")).status_code == 405
    assert client.get(url(meeting, "minutes_correct")).status_code == 405
    assert client.post(url(meeting, "minutes_version", 1)).status_code == 405


def test_it_prompts_who_spoke_on_the_situation_step(world, meeting):
    page = world.client("secretary").get(url(meeting, "minutes"), headers=ENGLISH)
    form = page.context["form"]
    assert list(form.fields) == [str(i) for i in range(1, 10)]
    assert "Who spoke" in str(form.fields[SITUATION].help_text)
    assert not form.fields["1"].help_text


def test_it_writes_the_minutes_along_the_agenda(world, meeting):
    client = world.client("secretary")
    sections = {"1": " Khai mạc ", SITUATION: f"Đồng chí Mai: Chi bộ thống nhất.\n{KHMER}", "4": ""}
    response = client.post(url(meeting, "minutes"), sections)
    assert response.status_code == 302 and response["Location"] == url(meeting, "minutes")
    minutes = Minutes.objects.get()
    assert minutes.sections == {
        "1": "Khai mạc",
        SITUATION: f"Đồng chí Mai: Chi bộ thống nhất.\n{KHMER}",
    }
    assert minutes.written_by.full_name == "Trần Văn Sơn" and minutes.status == Minutes.Status.DRAFT
    client.post(url(meeting, "minutes"), {"1": "Khai mạc lúc 19:30"})
    minutes.refresh_from_db()
    assert minutes.sections == {"1": "Khai mạc lúc 19:30"} and Minutes.objects.count() == 1


@pytest.mark.parametrize("text", ["x" * 20_001, "bad\x00byte", "hidden\u202eoverride"])
def test_it_refuses_bad_text(world, meeting, text):
    response = world.client("secretary").post(url(meeting, "minutes"), {"1": text})
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not Minutes.objects.exists()


def test_it_waits_for_the_meeting_to_open(world):
    meeting = plan(world.cell)
    client = world.client("secretary")
    assert (
        b"once the meeting has opened"
        in client.get(url(meeting, "minutes"), headers=ENGLISH).content
    )
    response = client.post(url(meeting, "minutes"), {"1": "Sớm quá"}, follow=True)
    assert messages_in(response) and not Minutes.objects.exists()


def test_it_approves_the_minutes(world, meeting):
    client = world.client("secretary")
    client.post(url(meeting, "minutes"), {SITUATION: "Chi bộ thống nhất"})
    response = client.post(url(meeting, "minutes_approve"))
    assert response["Location"] == url(meeting, "minutes")
    minutes = Minutes.objects.get()
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_at


def test_it_does_not_approve_empty_minutes(world, meeting):
    client = world.client("secretary")
    response = client.post(url(meeting, "minutes_approve"), follow=True, headers=ENGLISH)
    assert "Write the minutes before approving them." in messages_in(response)
    client.post(url(meeting, "minutes"), {"1": ""})
    client.post(url(meeting, "minutes_approve"))
    assert Minutes.objects.get().status == Minutes.Status.DRAFT


def test_it_refuses_to_edit_approved_minutes(world, meeting):
    approved = approved_minutes(meeting)
    response = world.client("secretary").post(
        url(meeting, "minutes"), {"1": "Sửa lén"}, follow=True, headers=ENGLISH
    )
    assert "Approved minutes never change." in messages_in(response)
    approved.refresh_from_db()
    assert approved.sections == {"1": "Chi bộ thống nhất"} and Minutes.objects.count() == 1
    response = world.client("secretary").post(url(meeting, "minutes_approve"), follow=True)
    assert messages_in(response)


def test_it_shows_approved_minutes_read_only_with_a_correction_form(world, meeting):
    approved_minutes(meeting)
    page = world.client("secretary").get(url(meeting, "minutes"), headers=ENGLISH)
    html = page.content.decode()
    assert "Chi bộ thống nhất" in html and "Make a corrected version" in html
    assert "<textarea" not in html.split("Correct")[0]


def test_it_corrects_approved_minutes_with_a_new_version(world, meeting):
    approved = approved_minutes(meeting)
    client = world.client("secretary")
    client.post(url(meeting, "minutes_correct"), {"reason": "Sai tên người phát biểu"})
    correction = Minutes.objects.get(version=2)
    assert correction.status == Minutes.Status.DRAFT
    assert correction.correction == "Sai tên người phát biểu"
    assert correction.sections == approved.sections
    client.post(url(meeting, "minutes"), {"1": "Chi bộ thống nhất (đã sửa)"})
    approved.refresh_from_db()
    correction.refresh_from_db()
    assert approved.sections == {"1": "Chi bộ thống nhất"}
    assert approved.status == Minutes.Status.APPROVED
    assert correction.sections == {"1": "Chi bộ thống nhất (đã sửa)"}
    page = client.get(url(meeting, "minutes_version", 1)).content.decode()
    assert "Chi bộ thống nhất" in page and "(đã sửa)" not in page


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_it_asks_a_reason_for_a_correction(world, meeting, reason):
    approved_minutes(meeting)
    response = world.client("secretary").post(
        url(meeting, "minutes_correct"), {"reason": reason}, follow=True
    )
    assert messages_in(response) and Minutes.objects.count() == 1


def test_it_does_not_correct_a_draft(world, meeting):
    Minutes.objects.create(meeting=meeting, sections={"1": "Nháp"})
    response = world.client("secretary").post(
        url(meeting, "minutes_correct"), {"reason": "Sửa"}, follow=True, headers=ENGLISH
    )
    assert "A draft is changed directly" in messages_in(response)
    assert Minutes.objects.count() == 1


def test_it_answers_404_for_a_correction_of_nothing(world, meeting):
    response = world.client("secretary").post(url(meeting, "minutes_correct"), {"reason": "Sửa"})
    assert response.status_code == 404


def test_it_shows_published_versions_to_members_and_drafts_only_to_the_secretary(world, meeting):
    minutes = approved_minutes(meeting)
    target = url(meeting, "minutes_version", 1)
    assert world.client("member").get(target).status_code == 404
    assert world.client("secretary").get(target).status_code == 200
    minutes.status = Minutes.Status.PUBLISHED
    minutes.save(update_fields=["status"])
    for persona in ("member", "committee", "supervisor"):
        assert world.client(persona).get(target).status_code == 200
    assert world.client("outsider").get(target).status_code == 404
    assert world.client("secretary").get(url(meeting, "minutes_version", 9)).status_code == 404
    assert Client().get(target).status_code == 302


def test_it_lists_the_published_records_for_members(world, meeting):
    published, _resolution = settled(meeting)
    holding.publish_records(meeting)
    holding.correct(published, "Sai chính tả")
    client = world.client("member")
    page = client.get(url(meeting, "records"), headers=ENGLISH).content.decode()
    assert url(meeting, "minutes_version", 1) in page
    assert url(meeting, "minutes_version", 2) not in page
    assert url(meeting, "resolution_version", 1) in page
    secretary = world.client("secretary").get(url(meeting, "records")).content.decode()
    assert url(meeting, "minutes_version", 2) in secretary
    assert world.client("outsider").get(url(meeting, "records")).status_code == 404
    assert client.post(url(meeting, "records")).status_code == 405
    assert Client().get(url(meeting, "records")).status_code == 302


def test_it_tells_those_who_got_the_notice_that_the_records_are_out(world, meeting):
    from chibo.notify.models import Notification

    settled(meeting)
    holding.publish_records(meeting)
    told = set(
        Notification.objects.filter(meeting=meeting, kind=Notification.Kind.RECORDS).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"mai", "son", "vu"}  # the cell's members and its supervisor, nobody else
