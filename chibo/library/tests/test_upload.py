"""Files sent to the library: what they really are, their size, and the ones that give no
text (stored all the same, marked so)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from chibo.conftest import signed_in
from chibo.library.models import Document
from chibo.library.tests.library_data import (
    IMMEDIATE,
    docx_bytes,
    encrypted_pdf,
    pdf_bytes,
    scanned_pdf,
    upload,
)

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
NEW = reverse("library:new")


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.TASKS = IMMEDIATE


def sent(world, issuer, name: str, data: bytes, capture, **changes):
    fields = {
        "type": "resolution",
        "number": "05-NQ/TU",
        "issuer": "Ban Chấp hành Đảng bộ thành phố",
        "issued_on": "2025-06-01",
        "title": "Nghị quyết về chuyển đổi số",
        "language": "vi",
        "audience": world.city.pk,
        "file": upload(name, data),
        **changes,
    }
    with capture(execute=True):
        return signed_in(issuer).post(NEW, fields)


def errors(response) -> str:
    return str(response.context["form"].errors)


def test_a_file_that_is_not_what_its_name_says_is_refused(
    world, issuer, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    response = sent(world, issuer, "nghi-quyet.pdf", docx_bytes("Word, not PDF"), capture)
    assert "is not what its name says" in errors(response)
    response = sent(world, issuer, "nghi-quyet.docx", b"%PDF-1.7 a PDF in disguise", capture)
    assert "is not what its name says" in errors(response)
    assert not Document.objects.exists()


def test_only_pdf_and_word_files_are_taken(world, issuer, django_capture_on_commit_callbacks):
    response = sent(
        world, issuer, "anh.png", b"\x89PNG\r\n\x1a\n....", django_capture_on_commit_callbacks
    )
    assert "Send a PDF or Word (.docx) file." in errors(response)


def test_a_file_too_large_is_refused(world, issuer, settings, django_capture_on_commit_callbacks):
    settings.CHIBO_DOCUMENT_MAX_BYTES = 1000
    response = sent(
        world, issuer, "dai.pdf", pdf_bytes("Dài " * 500), django_capture_on_commit_callbacks
    )
    assert "the largest accepted is" in errors(response)


def test_an_unofficial_number_is_refused_with_examples(
    world, issuer, django_capture_on_commit_callbacks
):
    for number in ("Số 5", "57/NQ-TW-", "57-nq/tw", "NQ 57", "57 - NQ/TW"):
        response = sent(
            world,
            issuer,
            "a.pdf",
            pdf_bytes("x"),
            django_capture_on_commit_callbacks,
            number=number,
        )
        assert "is not written as an official number" in errors(response), number
        assert "57-NQ/TW" in errors(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "number", ["57-NQ/TW", "42-HD/BTCTW", "15-QĐi/TW", "05-CT/ĐU", "13/2023/NĐ-CP", "123/QĐ-TTg"]
)
def test_official_numbers_are_taken_as_written(
    world, issuer, number, django_capture_on_commit_callbacks
):
    response = sent(
        world, issuer, "a.pdf", pdf_bytes("x"), django_capture_on_commit_callbacks, number=number
    )
    assert response.status_code == 302
    assert Document.objects.get().number == number


@pytest.mark.parametrize("make", [encrypted_pdf, scanned_pdf], ids=["encrypted", "scanned"])
def test_a_pdf_without_text_is_stored_and_marked(
    world, issuer, make, django_capture_on_commit_callbacks
):
    response = sent(world, issuer, "ban-chup.pdf", make(), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.no_text and document.text == "" and document.extracted_at is not None
    assert document.file and document.size > 0
    page = signed_in(issuer).get(reverse("library:document", args=[document.code]))
    assert "gives no text to read here" in page.content.decode()


def test_a_new_file_replaces_the_text_of_the_old(world, issuer, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    sent(world, issuer, "a.pdf", pdf_bytes("Bản cũ của nghị quyết chuyển đổi số"), capture)
    document = Document.objects.get()
    assert document.text == "Bản cũ của nghị quyết chuyển đổi số"
    old = document.file.name
    fields = {
        "type": "resolution",
        "number": "05-NQ/TU",
        "issuer": document.issuer,
        "issued_on": "2025-06-01",
        "title": document.title,
        "language": "vi",
        "audience": world.city.pk,
        "file": upload("b.docx", docx_bytes("Bản mới")),
    }
    with capture(execute=True):
        response = signed_in(issuer).post(reverse("library:edit", args=[document.code]), fields)
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.text, document.file_name) == ("Bản mới", "b.docx")
    assert document.file.name != old
    assert not document.file.storage.exists(old)
