"""Spreadsheets written for people to open: no cell of ours may become a live formula.

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` (and, in some versions,
a tab or carriage return) as a formula, even in a CSV: a member named `=HYPERLINK(…)` would
otherwise send whoever opens the export somewhere. Such text gets a leading quote (OWASP's
advice), which shows it as it was typed.
"""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """`value`, with a quote before text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvWriter:
    """A `csv.writer` whose every cell is made inert."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, values: Iterable[object]) -> None:
        self._writer.writerow([inert(value) for value in values])


def csv_bytes(text: str) -> bytes:
    # The byte order mark tells Excel the file is UTF-8, or Vietnamese names come out garbled.
    return ("\ufeff" + text).encode()


def xlsx_bytes(workbook: Workbook) -> bytes:
    """The workbook saved, every text cell made inert first (openpyxl takes any text that
    starts with `=` for a formula)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = inert(cell.value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
