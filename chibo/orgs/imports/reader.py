"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of cell values.

The file's content decides how it is read, not its name: people rename files, and a picture
called `members.xlsx` must get a clear message rather than a parser's traceback.
"""

import csv
import io
import logging
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

Value = str | date
Row = tuple[int, list[Value]]  # the row number as the spreadsheet shows it, and its cells

ZIP = b"PK\x03\x04"
# Old binary .xls files and password-protected workbooks are both OLE2 containers.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# An XLSX is compressed about tenfold, its largest sheets with repeated values some forty-fold;
# far more than this is a zip bomb, not members.
MAX_RATIO = 100
MAX_UNPACKED_RATIO = 20  # the whole unpacked, against the largest file accepted
DELIMITERS = ",;\t"
# More NUL bytes than this share of a CSV's start: UTF-16 without its mark (half its bytes), or
# not text at all. A few are typing accidents, named by row and column.
MAX_NUL_SHARE = 0.1
# The parts of a workbook that hold its cells' text.
TEXT_PARTS = re.compile(r"xl/(worksheets/[^/]+|sharedStrings)\.xml")
# Characters XML 1.0 forbids, raw or as references: one of them stops any XML parser. They are
# rewritten as Excel's own escape `_xHHHH_`, read back as the character, which the checks on
# each row then name by row and column.
ILLEGAL_XML = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f]"
    rb"|&#(?:0*([0-8]|1[124-9]|2[0-9]|3[01])|[xX]0*([0-8bBcCeEfF]|1[0-9a-fA-F]));"
)
LONGEST_REFERENCE = 12
EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
CHUNK = 1 << 20


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def not_a_spreadsheet() -> FileProblem:
    return FileProblem(_("This file is not a spreadsheet: send an .xlsx or a .csv file."))


def read_rows(path: Path) -> Iterator[Row]:
    """Every row of the first sheet, numbered from 1; raise FileProblem if it cannot be read."""
    check_size(path)
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(ZIP):
        return _xlsx_rows(path)
    if head.startswith(OLE2):
        raise FileProblem(
            _(
                "This is an old Excel (.xls) or password-protected file: "
                "save it as an Excel Workbook (.xlsx) without a password."
            )
        )
    if path.suffix.lower() in {".xlsx", ".xls", ".xlsm"}:
        raise not_a_spreadsheet()
    return _csv_rows(path)


def check_size(path: Path) -> None:
    size, limit = path.stat().st_size, settings.CHIBO_IMPORT_MAX_BYTES
    if size > limit:
        raise too_big(size, limit)
    if size == 0:
        raise FileProblem(_("The file is empty."))


def too_big(size: int, limit: int) -> FileProblem:
    return FileProblem(
        _("The file is %(size)s; the largest accepted is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
    )


def _xlsx_rows(path: Path) -> Iterator[Row]:
    try:
        with zipfile.ZipFile(path) as archive:
            check_unpacked(archive.infolist())
            legible = _legible(archive)
        workbook = openpyxl.load_workbook(legible or path, read_only=True, data_only=True)
    except FileProblem:
        raise
    except Exception as error:
        # openpyxl raises whatever its zip and XML layers raise on a damaged file.
        logger.info("Unreadable XLSX %s: %r", path.name, error)
        raise not_a_spreadsheet() from error
    return _sheet_rows(workbook)


def check_unpacked(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from the sizes its central directory declares, before inflating a byte
    (zipfile never inflates a member past its declared size)."""
    unpacked = sum(info.file_size for info in members)
    packed = sum(info.compress_size for info in members)
    limit = MAX_UNPACKED_RATIO * settings.CHIBO_IMPORT_MAX_BYTES
    if unpacked > limit:
        raise too_big(unpacked, limit)
    if unpacked > MAX_RATIO * max(packed, 1):
        raise FileProblem(
            _(
                "This file unpacks to %(ratio)d times its size: a spreadsheet never does. "
                "Save it again from Excel and send it again."
            )
            % {"ratio": unpacked // max(packed, 1)}
        )


def _legible(archive: zipfile.ZipFile) -> tempfile.SpooledTemporaryFile | None:
    """A copy of the workbook with characters XML forbids escaped, or None when it has none."""
    texts = [info for info in archive.infolist() if TEXT_PARTS.fullmatch(info.filename)]
    if not any(ILLEGAL_XML.search(piece) for info in texts for piece in _pieces(archive, info)):
        return None
    copy = tempfile.SpooledTemporaryFile(max_size=CHUNK)
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            with out.open(info.filename, "w") as target:
                if info in texts:
                    for piece in _pieces(archive, info):
                        target.write(ILLEGAL_XML.sub(_escape, piece))
                else:
                    with archive.open(info) as source:
                        shutil.copyfileobj(source, target, CHUNK)
    copy.seek(0)
    return copy


def _pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part in pieces of about a megabyte, never cut inside a character reference."""
    carry = b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            buffer = carry + chunk
            cut = buffer.rfind(b"&", max(0, len(buffer) - LONGEST_REFERENCE))
            cut = len(buffer) if cut < 0 else cut
            yield buffer[:cut]
            carry = buffer[cut:]
    yield carry


def _escape(match: re.Match) -> bytes:
    decimal, hexadecimal = match.groups()
    if decimal is not None:
        code = int(decimal)
    elif hexadecimal is not None:
        code = int(hexadecimal, 16)
    else:
        code = match.group()[0]
    return b"_x%04X_" % code


def _sheet_rows(workbook) -> Iterator[Row]:
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(value) for value in cells]
    except Exception as error:
        # A sheet can be damaged half-way through; the parser's error means nothing to users.
        logger.info("Unreadable XLSX sheet: %r", error)
        raise not_a_spreadsheet() from error
    finally:
        workbook.close()


def _cell(value: object) -> Value:
    """Dates stay dates; numbers become the text Excel shows (a card number is not 1.2e9)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and "_x" in value:
        # Excel writes the characters XML cannot hold as `_xHHHH_`: check what was meant.
        return EXCEL_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)
    return str(value)


def _csv_rows(path: Path) -> Iterator[Row]:
    text = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _numbered(rows)


def _numbered(rows: Iterator[list[str]]) -> Iterator[Row]:
    try:
        for number, cells in enumerate(rows, start=1):
            yield number, list(cells)
    except csv.Error as error:
        raise not_a_spreadsheet() from error


def _decode(data: bytes) -> str:
    # Excel's "Unicode Text" export is UTF-16 with a byte order mark.
    head = data[:8192]
    if data.startswith(UTF16_BOMS):
        encoding = "utf-16"
    elif head.count(b"\x00") > MAX_NUL_SHARE * len(head):
        raise not_a_spreadsheet()
    else:
        # A stray NUL in a name is a row's problem, named by the row checks.
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileProblem(
            _("This CSV file is not in UTF-8: save it as “CSV UTF-8” and send it again.")
        ) from error
