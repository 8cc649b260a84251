"""The member list as a file (CSV or XLSX): the members a user reaches, each field as their role
may see it (`access.personal`); the view records every export in the audit log (rule 21)."""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from chibo.access.scope import Scope
from chibo.lib.spreadsheets import CsvWriter, csv_bytes, xlsx_bytes
from chibo.orgs.models import Member

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
    Field(_("Party card number"), lambda m: str(getattr(m.personal.card_number, "value", ""))),
    Field(_("Party cell"), lambda m: m.cell.name, 36),
    Field(_("Status"), lambda m: m.get_status_display()),
)


def fields_for(scope: Scope) -> tuple[Field, ...]:
    """What this user's role may export: for now what the member list shows them."""
    return LIST_FIELDS


def _rows(fields: tuple[Field, ...], members, scope: Scope) -> Iterable[list[str]]:
    yield [str(field.label) for field in fields]
    for member in members.select_related("cell").iterator(chunk_size=BATCH):
        member.personal = scope.personal(member)
        yield [field.value(member) for field in fields]


def to_csv(fields: tuple[Field, ...], members, scope: Scope) -> bytes:
    out = io.StringIO()
    writer = CsvWriter(out)
    for row in _rows(fields, members, scope):
        writer.writerow(row)
    return csv_bytes(out.getvalue())


def to_xlsx(fields: tuple[Field, ...], members, scope: Scope) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Members"))
    for row in _rows(fields, members, scope):
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
