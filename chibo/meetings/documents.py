"""Files attached to agenda items: what they really are, their hash, and where they are kept.

A file's type is read from its first bytes and must agree with its name's extension; what the
browser claims is never trusted. Office files are zips: only their list of entries is read,
nothing is ever extracted.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from chibo.lib.text import validate_plain_text
from chibo.meetings.models import AgendaItem, Document

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TYPES_BY_SUFFIX = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".gif": GIF,
    ".webp": WEBP,
    ".docx": DOCX,
    ".xlsx": XLSX,
}
SIGNATURES = [
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
]
# The folder inside an Office zip that tells a Word document from an Excel workbook.
OFFICE_FOLDERS = {"word/": DOCX, "xl/": XLSX}
HEAD_BYTES = 16
LONGEST_NAME = 200


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    size: int
    sha256: str


def check(file: UploadedFile) -> Checked:
    """The file's real type, size and hash; ValidationError if it is empty, too big or lies."""
    name = display_name(file.name or "")
    expected = TYPES_BY_SUFFIX.get(Path(name).suffix.lower())
    if expected is None:
        raise ValidationError(
            _("Send a PDF, Word (.docx), Excel (.xlsx) or image (PNG, JPEG, GIF, WEBP) file."),
            code="suffix",
        )
    size, digest, head = _read(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if _detect(file, head) != expected:
        raise ValidationError(
            _("“%(name)s” is not what its name says: its content is not a %(suffix)s file.")
            % {"name": name, "suffix": Path(name).suffix.lower()},
            code="type",
        )
    return Checked(name=name, content_type=expected, size=size, sha256=digest)


def display_name(name: str) -> str:
    """The name members see: no folders, no control characters, short enough to store."""
    name = Path(name.replace("\\", "/")).name.strip()
    validate_plain_text(name)
    suffix = Path(name).suffix[:10]  # an accepted one has at most five characters
    return name if len(name) <= LONGEST_NAME else name[: LONGEST_NAME - len(suffix)] + suffix


def _read(file: UploadedFile) -> tuple[int, str, bytes]:
    """Size, sha256 and first bytes, streamed; stops as soon as the file is over the limit."""
    limit = settings.CHIBO_DOCUMENT_MAX_BYTES
    sha, size, head = hashlib.sha256(), 0, b""
    for chunk in file.chunks():
        size += len(chunk)
        if size > limit:
            raise ValidationError(
                _("The file is %(size)s; the largest accepted is %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
                code="too_big",
            )
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        sha.update(chunk)
    return size, sha.hexdigest(), head


def _detect(file: UploadedFile, head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _office_type(file)
    return None


def _office_type(file: UploadedFile) -> str | None:
    """DOCX or XLSX from the zip's table of contents; a damaged zip is neither."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    found = {
        kind for folder, kind in OFFICE_FOLDERS.items() if any(n.startswith(folder) for n in names)
    }
    return found.pop() if len(found) == 1 else None


def store(
    item: AgendaItem, file: UploadedFile, checked: Checked, member_id: int | None
) -> Document:
    """Save a checked file under a random name (never the user's) and record it."""
    document = Document(
        item=item,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by_id=member_id,
    )
    document.file.save(f"{document.code}{Path(checked.name).suffix.lower()}", file, save=False)
    document.save()
    return document


def discard(names: list[str]) -> None:
    """Delete stored files once the rows that pointed at them are gone for good."""

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def delete(document: Document) -> None:
    """The record now, the file once that is committed: a rollback keeps both."""
    document.delete()
    discard([document.file.name])
