"""The library's pages: the shelves and their filters, a document with its file, links,
bookmark and private note, and the form that adds and changes documents."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from chibo.conftest import signed_in
from chibo.library.models import Bookmark, Document, Note
from chibo.library.tests.library_data import IMMEDIATE, docx_bytes, pdf_bytes, shelved, upload
from chibo.meetings.tests.holding_data import messages_in

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.TASKS = IMMEDIATE


def url(name: str, *args) -> str:
    return reverse(f"library:{name}", args=args)


@pytest.fixture
def national(world, django_capture_on_commit_callbacks) -> Document:
    """A national resolution with its file, its text read."""
    with django_capture_on_commit_callbacks(execute=True):
        document = shelved(file=("57-NQ-TW.pdf", pdf_bytes("Nghị quyết 57-NQ/TW về khoa học")))
    document.refresh_from_db()
    return document


@pytest.fixture
def internal(world) -> Document:
    """A document of the other city's committee: the home subtree never sees it."""
    return shelved(audience=world.other_city, number="05-NQ/TU", title="Nghị quyết nội bộ")


# -- who may do what -----------------------------------------------------------------------


def test_every_page_asks_to_sign_in_first(world, national):
    for target, method in [
        (url("index"), "get"),
        (url("bookmarks"), "get"),
        (url("new"), "get"),
        (url("document", national.code), "get"),
        (url("download", national.code), "get"),
        (url("edit", national.code), "get"),
        (url("bookmark", national.code), "post"),
        (url("note", national.code), "post"),
    ]:
        response = getattr(Client(), method)(target)
        assert response.status_code == 302, target
        assert "/accounts/login/" in response["Location"]


def test_another_subtrees_internal_document_is_not_found_on_any_page(world, internal):
    member = world.client("member")
    for name, method in [
        ("document", "get"),
        ("download", "get"),
        ("edit", "get"),
        ("edit", "post"),
        ("bookmark", "post"),
        ("note", "post"),
    ]:
        assert getattr(member, method)(url(name, internal.code)).status_code == 404, name
    assert world.client("outsider").get(url("document", internal.code)).status_code == 200


def test_readers_may_not_change_documents_nor_add_them(world, national, issuer):
    for persona in ("member", "secretary", "committee"):
        client = world.client(persona)
        assert client.get(url("new")).status_code == 403, persona
        assert client.post(url("new")).status_code == 403, persona
        assert client.get(url("edit", national.code)).status_code == 403, persona
    # The city's standing committee adds the city's documents, not national ones.
    lan = signed_in(issuer)
    assert lan.get(url("new")).status_code == 200
    assert lan.get(url("edit", national.code)).status_code == 403


def test_wrong_methods_are_refused(world, national):
    member = world.client("member")
    for name in ("index", "bookmarks"):
        assert member.post(url(name)).status_code == 405
    assert member.post(url("document", national.code)).status_code == 405
    assert member.post(url("download", national.code)).status_code == 405
    assert member.get(url("bookmark", national.code)).status_code == 405
    assert member.get(url("note", national.code)).status_code == 405
    assert member.delete(url("new")).status_code == 405


# -- the shelves -----------------------------------------------------------------------------


def test_the_library_lists_what_the_member_may_read_and_filters_it(world, national, internal):
    city = shelved(
        audience=world.city,
        number="12-CT/TU",
        title="Chỉ thị về phòng chống thiên tai",
        type=Document.Type.DIRECTIVE,
        issuer="Ban Thường vụ Thành ủy",
        issued_on=date(2025, 3, 1),
    )
    member = world.client("member")
    page = member.get(url("index")).content.decode()
    assert "57-NQ/TW" in page and "12-CT/TU" in page
    assert "05-NQ/TU" not in page and "Nghị quyết nội bộ" not in page
    directives = member.get(url("index"), {"type": "directive"}).content.decode()
    assert "12-CT/TU" in directives and "57-NQ/TW" not in directives
    of_2024 = member.get(url("index"), {"year": "2024"}).content.decode()
    assert "57-NQ/TW" in of_2024 and "12-CT/TU" not in of_2024
    by_city = member.get(url("index"), {"issuer": city.issuer}).content.decode()
    assert "12-CT/TU" in by_city and "57-NQ/TW" not in by_city
    # The other subtree's issuer is not even offered as a filter.
    assert internal.issuer == "Bộ Chính trị" or internal.issuer not in page


def test_filters_that_make_no_sense_are_shown_not_fatal(world, national):
    response = world.client("member").get(
        url("index"), {"year": "abc", "type": "nope", "page": "x"}
    )
    assert response.status_code == 200
    assert "57-NQ/TW" in response.content.decode()


# -- a document ------------------------------------------------------------------------------


def test_a_document_shows_its_text_its_links_both_ways_and_its_file(world, national):
    newer = shelved(number="193-NQ/QH15", title="Nghị quyết thí điểm", issued_on=date(2025, 2, 19))
    newer.amends = national
    newer.save(update_fields=["amends"])
    member = world.client("member")
    page = member.get(url("document", national.code)).content.decode()
    assert "Nghị quyết 57-NQ/TW về khoa học" in page  # the extracted text
    assert "Amended by" in page and "193-NQ/QH15" in page
    assert "Amends" in member.get(url("document", newer.code)).content.decode()
    response = member.get(url("download", national.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert member.get(url("download", newer.code)).status_code == 404  # it has no file


def test_a_member_bookmarks_and_unbookmarks(world, national):
    member = world.client("member")
    response = member.post(url("bookmark", national.code), follow=True)
    assert "The document was bookmarked." in messages_in(response)
    assert Bookmark.objects.filter(document=national).count() == 1
    assert "57-NQ/TW" in member.get(url("bookmarks")).content.decode()
    assert "57-NQ/TW" not in world.client("secretary").get(url("bookmarks")).content.decode()
    member.post(url("bookmark", national.code))
    assert not Bookmark.objects.exists()


def test_a_members_note_is_theirs_alone(world, national):
    member = world.client("member")
    response = member.post(url("note", national.code), {"text": "Đọc kỹ phần III"}, follow=True)
    assert "Your note was saved" in messages_in(response)
    assert "Đọc kỹ phần III" in member.get(url("document", national.code)).content.decode()
    secretary_page = world.client("secretary").get(url("document", national.code))
    assert "Đọc kỹ phần III" not in secretary_page.content.decode()
    member.post(url("note", national.code), {"text": "  "})
    assert not Note.objects.exists()


def test_a_note_too_long_or_with_control_characters_is_refused(world, national):
    member = world.client("member")
    response = member.post(url("note", national.code), {"text": "x" * 5001})
    assert response.status_code == 200 and response.context["note_form"].errors
    response = member.post(url("note", national.code), {"text": "bad\x00text"})
    assert response.context["note_form"].errors
    assert not Note.objects.exists()


def test_an_account_without_a_member_record_has_no_bookmarks(world, national):
    admin = world.client("admin")
    assert admin.post(url("bookmark", national.code)).status_code == 403


# -- adding and changing -------------------------------------------------------------------


def _fields(**changes) -> dict:
    return {
        "type": "guidance",
        "number": "42-HD/BTCTW",
        "issuer": "Ban Tổ chức Trung ương",
        "issued_on": "2025-10-10",
        "title": "Hướng dẫn nâng cao chất lượng sinh hoạt chi bộ",
        "summary": "",
        "language": "vi",
        **changes,
    }


def test_the_city_adds_an_internal_document_whose_text_is_read(
    world, issuer, django_capture_on_commit_callbacks
):
    lan = signed_in(issuer)
    data = _fields(audience=world.city.pk, file=upload("hd.docx", docx_bytes("Nội dung hướng dẫn")))
    with django_capture_on_commit_callbacks(execute=True):
        response = lan.post(url("new"), data)
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.audience, document.file_name) == (world.city, "hd.docx")
    assert document.text == "Nội dung hướng dẫn" and not document.no_text
    assert world.client("member").get(url("document", document.code)).status_code == 200
    assert world.client("outsider").get(url("document", document.code)).status_code == 404


def test_only_an_administrator_adds_a_document_for_everyone(world, issuer):
    data = _fields(file=upload("hd.pdf", pdf_bytes("Hướng dẫn")))
    response = signed_in(issuer).post(url("new"), data)
    assert response.status_code == 200 and "audience" in response.context["form"].errors
    # Nor for another subtree.
    data["audience"] = world.other_city.pk
    data["file"] = upload("hd.pdf", pdf_bytes("Hướng dẫn"))
    response = signed_in(issuer).post(url("new"), data)
    assert "audience" in response.context["form"].errors
    data.pop("audience")
    data["file"] = upload("hd.pdf", pdf_bytes("Hướng dẫn"))
    assert world.client("admin").post(url("new"), data).status_code == 302
    assert Document.objects.get().audience is None


def test_an_administrator_changes_a_document_and_links_what_it_replaces(world, national):
    old = shelved(number="12-HD/BTCTW", title="Hướng dẫn cũ", type=Document.Type.GUIDANCE)
    admin = world.client("admin")
    data = _fields(replaces_number="12-HD/BTCTW")
    response = admin.post(url("edit", national.code), data)
    assert response.status_code == 302
    national.refresh_from_db()
    assert (national.number, national.replaces) == ("42-HD/BTCTW", old)
    assert national.file  # the file is kept when none is sent
    page = world.client("member").get(url("document", old.code)).content.decode()
    assert "Replaced by" in page and "42-HD/BTCTW" in page


def test_links_to_unknown_or_unofficial_numbers_are_refused(world, national):
    admin = world.client("admin")
    response = admin.post(url("edit", national.code), _fields(amends_number="99-NQ/TW"))
    assert "No document numbered 99-NQ/TW" in str(response.context["form"].errors)
    response = admin.post(url("edit", national.code), _fields(amends_number="nghị quyết 5"))
    assert "amends_number" in response.context["form"].errors
