"""Documents on agenda items: only files that are what their names say, kept with their hash."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo.meetings import documents
from chibo.meetings.models import Document
from chibo.meetings.tests.test_planning import make_meeting, member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = zipped("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files in a folder of their own; messages in English, whatever the translators have done."""
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"
    return tmp_path


def upload(name: str, content: bytes, browser_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=browser_type)


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("Nghị quyết tháng 11.pdf", PDF, documents.PDF),
        ("so-do.PNG", PNG, documents.PNG),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, documents.JPEG),
        ("anh.jpeg", b"\xff\xd8\xff\xdb" + b"\x00" * 32, documents.JPEG),
        ("hinh.gif", b"GIF89a" + b"\x00" * 32, documents.GIF),
        ("hinh.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32, documents.WEBP),
        ("Báo cáo.docx", DOCX, documents.DOCX),
        ("Danh sách.xlsx", XLSX, documents.XLSX),
    ],
)
def test_it_recognises_each_accepted_kind_by_its_content(name, content, content_type):
    checked = documents.check(upload(name, content))
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    "name, content",
    [
        ("bien-ban.pdf", EXE),
        ("bien-ban.pdf", PNG),
        ("anh.png", PDF),
        ("bao-cao.xlsx", DOCX),
        ("bao-cao.docx", XLSX),
        ("bao-cao.docx", zipped("word/document.xml")),
        ("bao-cao.docx", zipped("[Content_Types].xml", "word/a.xml", "xl/b.xml")),
        ("bao-cao.docx", b"PK\x03\x04 not really a zip at all"),
        ("ghi-chu.pdf", "Xin chào".encode()),
    ],
)
def test_it_refuses_a_file_that_lies_about_its_type(name, content):
    with pytest.raises(ValidationError) as refused:
        documents.check(upload(name, content, browser_type="application/pdf"))
    assert refused.value.code == "type"
    assert "is not what its name says" in refused.value.message


@pytest.mark.parametrize("name", ["setup.exe", "bien-ban", "trang.html", "a.pdf.exe"])
def test_it_refuses_other_kinds_of_file(name):
    with pytest.raises(ValidationError) as refused:
        documents.check(upload(name, PDF))
    assert refused.value.code == "suffix"


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError) as refused:
        documents.check(upload("trong.pdf", b""))
    assert refused.value.code == "empty"


def test_it_refuses_a_file_over_the_limit(settings):
    settings.CHIBO_DOCUMENT_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError) as refused:
        documents.check(upload("lon.pdf", PDF))
    assert refused.value.code == "too_big"
    settings.CHIBO_DOCUMENT_MAX_BYTES = len(PDF)
    assert documents.check(upload("vua.pdf", PDF)).size == len(PDF)


def test_it_names_documents_without_folders_or_hidden_characters():
    assert documents.display_name("C:\\Users\\son\\Biên bản.pdf") == "Biên bản.pdf"
    long = documents.display_name("ស" * 300 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")
    with pytest.raises(ValidationError):
        documents.display_name("invoice\u202efdp.exe")


# -- uploading through the agenda editor ----------------------------------------------------


def upload_url(meeting, position: int = 2) -> str:
    return reverse("meetings:agenda_upload", args=[meeting.code, position])


def test_it_stores_an_upload_under_a_name_of_its_own_with_its_hash(world, media):
    meeting = make_meeting(world.cell)
    file = upload("Kế hoạch tháng 12.pdf", PDF, browser_type="application/x-msdownload")
    response = world.client("secretary").post(upload_url(meeting), {"file": file}, follow=True)
    assert "The document was attached." in response.content.decode()
    document = Document.objects.get()
    assert (document.item.position, document.name) == (2, "Kế hoạch tháng 12.pdf")
    assert (document.content_type, document.size) == ("application/pdf", len(PDF))
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.uploaded_by == member("Trần Văn Sơn")
    assert document.file.name.startswith("meetings/")
    assert document.file.name.endswith(f"{document.code}.pdf")
    assert (media / document.file.name).read_bytes() == PDF


def test_it_checks_uploads_kept_on_disk_as_well_as_in_memory(world, media, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 16
    meeting = make_meeting(world.cell)
    client = world.client("secretary")
    client.post(upload_url(meeting), {"file": upload("Danh sách.xlsx", XLSX)})
    client.post(upload_url(meeting), {"file": upload("Danh sách.docx", XLSX)})
    assert list(Document.objects.values_list("name", "content_type")) == [
        ("Danh sách.xlsx", documents.XLSX)
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"file": upload("virus.pdf", EXE)}, "is not what its name says"),
        ({"file": upload("trong.pdf", b"")}, "The submitted file is empty."),
        ({"file": upload("setup.exe", EXE)}, "Send a PDF, Word (.docx)"),
        ({}, "This field is required."),
    ],
)
def test_it_refuses_a_bad_upload_with_a_message_and_keeps_nothing(world, media, data, message):
    meeting = make_meeting(world.cell)
    response = world.client("secretary").post(upload_url(meeting), data, follow=True)
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_it_refuses_a_file_too_big_with_a_message(world, media, settings):
    settings.CHIBO_DOCUMENT_MAX_BYTES = 10
    meeting = make_meeting(world.cell)
    response = world.client("secretary").post(
        upload_url(meeting), {"file": upload("lon.pdf", PDF)}, follow=True
    )
    assert "the largest accepted is 10\xa0bytes" in response.content.decode()
    assert not Document.objects.exists()


def test_it_uploads_only_to_an_item_that_exists(world, media):
    meeting = make_meeting(world.cell)
    response = world.client("secretary").post(
        upload_url(meeting, 99), {"file": upload("a.pdf", PDF)}
    )
    assert response.status_code == 404 and not Document.objects.exists()
