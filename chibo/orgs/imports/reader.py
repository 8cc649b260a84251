"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of cell values.

The file's content decides how it is read, not its name: people rename files, and a picture
called `members.xlsx` must get a clear message rather than a parser's traceback.
"""

import csv
import io
import logging
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
# An XLSX is compressed about tenfold; far more than this unpacked is a zip bomb, not members.
MAX_UNPACKED_RATIO = 20
DELIMITERS = ",;\t"


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
            unpacked = sum(info.file_size for info in archive.infolist())
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        # openpyxl raises whatever its zip and XML layers raise on a damaged file.
        logger.info("Unreadable XLSX %s: %r", path.name, error)
        raise not_a_spreadsheet() from error
    if unpacked > MAX_UNPACKED_RATIO * settings.CHIBO_IMPORT_MAX_BYTES:
        workbook.close()
        raise too_big(unpacked, MAX_UNPACKED_RATIO * settings.CHIBO_IMPORT_MAX_BYTES)
    return _sheet_rows(workbook)


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
    if data.startswith(UTF16_BOMS):
        encoding = "utf-16"
    elif b"\x00" in data[:8192]:
        raise not_a_spreadsheet()
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileProblem(
            _("This CSV file is not in UTF-8: save it as “CSV UTF-8” and send it again.")
        ) from error
    if "\x00" in text:
        raise not_a_spreadsheet()
    return text
