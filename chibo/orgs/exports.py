"""The member list as a file (CSV or XLSX): the members a user reaches, with the fields their
role may export; every export logged (rule 21)."""

import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from chibo.access.scope import Scope
from chibo.lib.spreadsheets import CsvWriter, csv_bytes, xlsx_bytes
from chibo.orgs.models import Member

logger = logging.getLogger("chibo.exports")
# Members read from the database at a time: a city's 8,000 never sit in memory together.
BATCH = 2000


@dataclass(frozen=True)
class Field:
    label: Promise
    value: Callable[[Member], str]
    width: int = 20


# The fields of the member list page, which shows them to everyone who may open it.
LIST_FIELDS = (
    Field(_("Full name"), lambda m: m.full_name, 32),
    Field(_("Party card number"), lambda m: m.card_number),
    Field(_("Party cell"), lambda m: m.cell.name, 36),
    Field(_("Status"), lambda m: m.get_status_display()),
)


def fields_for(scope: Scope) -> tuple[Field, ...]:
    """What this user's role may export: for now what the member list shows them."""
    return LIST_FIELDS


def _rows(fields: tuple[Field, ...], members) -> Iterable[list[str]]:
    yield [str(field.label) for field in fields]
    for member in members.select_related("cell").iterator(chunk_size=BATCH):
        yield [field.value(member) for field in fields]


def to_csv(fields: tuple[Field, ...], members) -> bytes:
    out = io.StringIO()
    writer = CsvWriter(out)
    for row in _rows(fields, members):
        writer.writerow(row)
    return csv_bytes(out.getvalue())


def to_xlsx(fields: tuple[Field, ...], members) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Members"))
    for row in _rows(fields, members):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for cell, field in zip(sheet[1], fields, strict=True):
        sheet.column_dimensions[cell.column_letter].width = field.width
    return xlsx_bytes(workbook)


WRITERS = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def log_export(request: HttpRequest, what: str) -> None:
    """Who exported what, when: the one place every personal-data export is recorded."""
    logger.info(
        "%s (user %s) exported %s at %s",
        request.user.get_username(),
        request.user.pk,
        what,
        timezone.now().isoformat(timespec="seconds"),
    )
