"""Documents and studies made through the library's own functions, for the library tests."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from weasyprint import HTML

from chibo.conftest import make_member, make_user
from chibo.library import shelving
from chibo.library.models import Document
from chibo.meetings import documents as files
from chibo.orgs.models import Organisation, Position, User

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def pdf_bytes(*paragraphs: str) -> bytes:
    """A real PDF with a text layer, typeset by WeasyPrint."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def scanned_pdf() -> bytes:
    """A PDF of drawings only, as a scanner makes: pages without a text layer."""
    drawing = '<svg width="400" height="300"><rect width="400" height="300" fill="#888"/></svg>'
    return HTML(string=f"<html><body>{drawing}</body></html>").write_pdf()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="mật khẩu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    """The smallest Word document: its content types and its main part."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        )
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def shelved(
    audience: Organisation | None = None,
    number: str = "57-NQ/TW",
    title: str = "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo",
    file: tuple[str, bytes] | None = None,
    **fields,
) -> Document:
    """A document added as the library's form adds it, with its file if given."""
    values = {
        "issuer": "Bộ Chính trị",
        "issued_on": date(2024, 12, 22),
        "type": Document.Type.RESOLUTION,
        "language": Document.Language.VI,
        **fields,
    }
    document = Document(audience=audience, number=number, title=title, **values)
    document.full_clean()
    sent = upload(*file) if file else None
    checked = files.check(sent) if sent else None
    return shelving.add(document, sent, checked)


def standing(world, organisation: Organisation, username: str, cell=None) -> User:
    """A member on the organisation's standing committee, who adds its documents."""
    member = make_member(cell or world.sister_cell, f"Ủy viên thường vụ {username}")
    Position.objects.create(
        member=member,
        organisation=organisation,
        kind=Position.Kind.STANDING,
        started_on=date(2020, 1, 1),
    )
    return make_user(member, username)


@pytest.fixture
def issuer(world):
    """Lan sits on the city's standing committee: she adds the city's documents and launches
    its studies."""
    return standing(world, world.city, "lan")
