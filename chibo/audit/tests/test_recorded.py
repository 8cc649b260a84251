"""What goes to the audit log as it happens: the roll, the minutes and their approval, PDFs and
documents downloaded, each with who, where from and the cell it concerns."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo.audit.models import Action, Entry
from chibo.meetings.models import Document, Minutes
from chibo.meetings.tests.holding_data import member, opened, url
from chibo.meetings.tests.test_pdf import text_of
from chibo.meetings.tests.test_planning import make_meeting

MAI = "Nguyễn Thị Mai"


def last(action: str) -> Entry:
    return Entry.objects.filter(action=action).latest("number")


def test_the_roll_and_the_minutes_are_recorded_as_they_change(world):
    meeting = opened(world.cell)
    client = world.client("secretary")
    client.post(url(meeting, "mark", member(MAI).code), {"presence": "present"})
    roll = last(Action.ROLL_CHANGED)
    assert (roll.username, roll.kind, roll.object_id, roll.organisation_id) == (
        "son",
        "meeting",
        str(meeting.pk),
        world.cell.pk,
    )
    assert roll.detail == {"member": member(MAI).pk, "presence": "present"}
    assert roll.address == "127.0.0.1"
    client.post(url(meeting, "minutes"), {"1": "Khai mạc"})
    assert last(Action.MINUTES_CHANGED).object_id == str(meeting.pk)
    client.post(url(meeting, "minutes_approve"))
    minutes = Minutes.objects.get(meeting=meeting)
    approval = last(Action.MINUTES_APPROVED)
    assert (approval.kind, approval.object_id) == ("minutes", str(minutes.pk))
    assert len(approval.detail["seal"]) == 64


def test_a_refused_step_records_nothing(world):
    meeting = opened(world.cell)
    client = world.client("secretary")
    client.post(url(meeting, "close"))
    client.post(url(meeting, "mark", member(MAI).code), {"presence": "present"})
    assert not Entry.objects.filter(action=Action.ROLL_CHANGED).exists()


def test_a_pdf_download_is_recorded_and_shows_no_personal_data(world):
    meeting = opened(world.cell)
    minutes = Minutes.objects.create(meeting=meeting, sections={"1": "Chi bộ thống nhất"})
    client = world.client("secretary")
    client.post(url(meeting, "minutes_approve"))
    response = client.get(url(meeting, "minutes_pdf", 1))
    assert response.status_code == 200
    download = last(Action.PDF_DOWNLOADED)
    assert (download.username, download.object_id, download.organisation_id) == (
        "son",
        str(minutes.pk),
        world.cell.pk,
    )
    assert download.detail == {"version": 1}
    text = text_of(response.content)
    mai = member(MAI)
    for value in (mai.card_number, mai.citizen_id, mai.phone):
        assert value not in text


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_document_download_is_recorded(world, media):
    meeting = make_meeting(world.cell)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    upload = SimpleUploadedFile("Kế hoạch.pdf", pdf, content_type="application/pdf")
    target = reverse("meetings:agenda_upload", args=[meeting.code, 2])
    world.client("secretary").post(target, {"file": upload})
    document = Document.objects.get()
    # A draft's documents: its secretary reads them.
    response = world.client("secretary").get(reverse("meetings:document", args=[document.code]))
    assert response.status_code == 200
    entry = last(Action.DOCUMENT_DOWNLOADED)
    assert (entry.username, entry.kind, entry.object_id, entry.organisation_id) == (
        "son",
        "document",
        str(document.pk),
        world.cell.pk,
    )
