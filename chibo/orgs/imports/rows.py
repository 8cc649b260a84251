"""The columns of a member export and the checks on every row.

The file is an export of the national member database (CSDL đảng viên): one header row, then
one row per member. Headers are matched ignoring case and Vietnamese diacritics, in Vietnamese
or in English; columns in another order, and unknown columns (ignored, with a warning), are
fine.

| Vietnamese header | English header     | required | value                                      |
| ----------------- | ------------------ | -------- | ------------------------------------------ |
| Số thẻ đảng viên  | Party card number  | yes      | at most 20 characters; the key of a member |
| Họ và tên         | Full name          | yes      | at most 120 characters                     |
| Ngày sinh         | Date of birth      | yes      | dd/mm/yyyy, yyyy-mm-dd or an Excel date    |
| Giới tính         | Gender             | yes      | Nam / Nữ, Male / Female                    |
| Ngày vào Đảng     | Date of admission  | yes      | a date, at least 16 years after birth      |
| Ngày chính thức   | Date made official | no       | a date, not before admission               |
| Trạng thái        | Status             | no       | Chính thức (default) / Dự bị / Miễn sinh   |
|                   |                    |          | hoạt / Chuyển sinh hoạt tạm thời / Đình chỉ|
|                   |                    |          | sinh hoạt, or official / probationary /    |
|                   |                    |          | exempt / transferred / suspended           |
| Mã chi bộ         | Cell code          | yes      | the reference code of a party cell         |
| Số CCCD           | Citizen ID         | no       | 12 digits                                  |
| Điện thoại        | Phone              | no       | digits, spaces, dots, dashes, a leading +  |

An optional column left out of the file leaves that field of existing members as it is; an
empty cell in a column that is present clears it.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chibo.lib.text import fold, validate_plain_text
from chibo.orgs.imports.reader import Row, Value
from chibo.orgs.models import Member, Organisation
from chibo.orgs.validators import validate_citizen_id, validate_phone

# An admission younger than this is a mistyped date; it stays below the Charter's 18 so that
# a real but unusual record still goes in.
MIN_ADMISSION_AGE = 18  # the Party Charter's minimum age
DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
SHOWN_UNKNOWN = 10
# Below the oldest SQLite limit on parameters in one query.
CHUNK = 900

GENDERS = {
    "nam": Member.Gender.MALE,
    "male": Member.Gender.MALE,
    "nu": Member.Gender.FEMALE,
    "female": Member.Gender.FEMALE,
}
STATUSES = {
    "chinh thuc": Member.Status.OFFICIAL,
    "du bi": Member.Status.PROBATIONARY,
    "mien sinh hoat": Member.Status.EXEMPT,
    "chuyen sinh hoat tam thoi": Member.Status.TRANSFERRED,
    "dinh chi sinh hoat": Member.Status.SUSPENDED,
    **{status.value: status for status in Member.Status},
}


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Problem:
    """Something to fix in the file; `row` is None for the file as a whole."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Value) -> str:
    return value.isoformat() if isinstance(value, date) else value


def _date(value: Value) -> date:
    if isinstance(value, date):
        return value
    # Two patterns by hand: strptime is ten times slower, which shows on 100,000 rows.
    if match := DAY_FIRST.fullmatch(value):
        day, month, year = match.groups()
    elif match := ISO.fullmatch(value):
        year, month, day = match.groups()
    else:
        raise Invalid(_("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": value})
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise Invalid(_("There is no such date as “%(value)s”.") % {"value": value}) from None


def _choice(choices: dict[str, str], message) -> Callable[[Value], str]:
    """A parser for one of `choices`; `message` is lazy, to be said in the language of the day."""

    def parse(value: Value) -> str:
        if (choice := choices.get(fold(_text(value)))) is None:
            raise Invalid(message % {"value": value})
        return choice

    return parse


def _validated(validator: Callable[[str], None]) -> Callable[[Value], str]:
    """A Django validator as a parser, so the form and the import say the same thing."""

    def parse(value: Value) -> str:
        text = _text(value)
        try:
            validator(text)
        except ValidationError as error:
            raise Invalid(error.messages[0]) from None
        return text

    return parse


_plain_text = _validated(validate_plain_text)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    alias: str
    parse: Callable[[Value], object]
    required: bool = True
    max_length: int = 50
    blank: object = ""

    def __str__(self) -> str:
        return f"{self.header} ({self.alias})"

    def read(self, raw: Value) -> object | None:
        """The typed value of one cell, None if empty; raise Invalid if it is wrong."""
        if isinstance(raw, str):
            raw = raw.strip()
            if not raw:
                return None
            if len(raw) > self.max_length:
                raise Invalid(
                    _("At most %(limit)d characters (this has %(length)d).")
                    % {"limit": self.max_length, "length": len(raw)}
                )
            if not raw.isprintable():  # the fast path: printable text has no control character
                _plain_text(raw)
        return self.parse(raw)


COLUMNS = (
    Column("card_number", "Số thẻ đảng viên", "Party card number", _text, max_length=20),
    Column("full_name", "Họ và tên", "Full name", _text, max_length=120),
    Column("birth_date", "Ngày sinh", "Date of birth", _date),
    Column(
        "gender",
        "Giới tính",
        "Gender",
        _choice(GENDERS, gettext_lazy("Unknown gender “%(value)s”: write Nam or Nữ.")),
    ),
    Column("admitted_on", "Ngày vào Đảng", "Date of admission", _date),
    Column(
        "official_on", "Ngày chính thức", "Date made official", _date, required=False, blank=None
    ),
    Column(
        "status",
        "Trạng thái",
        "Status",
        _choice(
            STATUSES,
            gettext_lazy(
                "Unknown status “%(value)s”: write Chính thức, Dự bị, Miễn sinh hoạt, "
                "Chuyển sinh hoạt tạm thời or Đình chỉ sinh hoạt."
            ),
        ),
        required=False,
        blank=Member.Status.OFFICIAL,
    ),
    Column("cell", "Mã chi bộ", "Cell code", _text),
    Column("citizen_id", "Số CCCD", "Citizen ID", _validated(validate_citizen_id), required=False),
    Column(
        "phone", "Điện thoại", "Phone", _validated(validate_phone), required=False, max_length=20
    ),
)
HEADERS = {fold(name): column for column in COLUMNS for name in (column.header, column.alias)}
DATE_KEYS = ("birth_date", "admitted_on", "official_on")
MEMBER_FIELDS = tuple(c.key for c in COLUMNS if c.key not in {"card_number", "cell"})


@dataclass
class Record:
    """One valid row: the member it names, their cell and the fields the file gives."""

    row: int
    card_number: str
    cell_id: int
    fields: dict[str, object]


@dataclass
class Checked:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Where each known column is in the file: its index and the header as the user wrote it.
Layout = dict[str, tuple[int, str]]
Parsed = list[tuple[int, dict]]  # every row's number and the values that could be read


def check_rows(rows: Iterator[Row]) -> Checked:
    """Validate a whole sheet; records are only returned when there is no problem at all."""
    header = next(rows, None)
    if header is None:
        return Checked(problems=[Problem(None, "", _("The file is empty."))])
    sheet = _Sheet(header)
    if sheet.checked.problems:
        return sheet.checked
    parsed = [(n, sheet.check_row(n, cells)) for n, cells in rows if _filled(cells)]
    if not parsed:
        sheet.checked.problems.append(
            Problem(None, "", _("There are no members under the header row."))
        )
        return sheet.checked
    sheet.check_duplicates(parsed)
    sheet.check_citizen_ids(parsed)
    cell_ids = sheet.resolve_cells(parsed)
    checked = sheet.checked
    checked.problems.sort(key=lambda problem: problem.row or 0)
    if not checked.problems:
        checked.records = [
            Record(
                row=n,
                card_number=values["card_number"],
                cell_id=cell_ids[values["cell"]],
                fields={k: v for k, v in values.items() if k in MEMBER_FIELDS},
            )
            for n, values in parsed
        ]
    return checked


def _filled(cells: list[Value]) -> bool:
    """Spreadsheets keep blank rows around; they are not members."""
    return any(_text(cell).strip() for cell in cells)


class _Sheet:
    """The checks of one sheet, sharing its layout, the date of today and the problems found."""

    def __init__(self, header: Row) -> None:
        self.checked = Checked()
        self.today = timezone.localdate()
        self.layout = self._layout(header)

    def problem(self, row: int, key: str, message: str) -> None:
        self.checked.problems.append(Problem(row, self.layout[key][1], message))

    def _layout(self, header: Row) -> Layout:
        number, cells = header
        layout: Layout = {}
        unknown = []
        for index, cell in enumerate(cells):
            text = _text(cell).strip()
            column = HEADERS.get(fold(text))
            if column is None:
                if text:
                    unknown.append(text)
            elif column.key in layout:
                message = _("This column appears more than once.")
                self.checked.problems.append(Problem(number, text, message))
            else:
                layout[column.key] = (index, text)
        if missing := [str(c) for c in COLUMNS if c.required and c.key not in layout]:
            message = _("These required columns are missing: %(columns)s.")
            self.checked.problems.append(
                Problem(None, "", message % {"columns": ", ".join(missing)})
            )
        if unknown:
            # A sheet can have thousands of columns; naming a few is enough to be understood.
            names = ", ".join(unknown[:SHOWN_UNKNOWN])
            if len(unknown) > SHOWN_UNKNOWN:
                names += "…"
            message = _("These columns are not known and were ignored: %(columns)s.")
            self.checked.warnings.append(message % {"columns": names})
        return layout

    def check_row(self, number: int, cells: list[Value]) -> dict:
        """The typed values of one row; what is wrong goes into the problems."""
        values: dict[str, object] = {}
        for column in COLUMNS:
            if column.key not in self.layout:
                continue
            index = self.layout[column.key][0]
            try:
                value = column.read(cells[index] if index < len(cells) else "")
            except Invalid as error:
                self.problem(number, column.key, error.message)
                continue
            if value is None and column.required:
                self.problem(number, column.key, _("This value is required."))
            else:
                values[column.key] = column.blank if value is None else value
        for key, message in self._date_problems(values):
            self.problem(number, key, message)
        return values

    def _date_problems(self, values: dict) -> Iterator[tuple[str, str]]:
        for key in DATE_KEYS:
            if (values.get(key) or self.today) > self.today:
                yield key, _("This date is in the future.")
        born, admitted = values.get("birth_date"), values.get("admitted_on")
        official = values.get("official_on")
        if born and admitted and _age(born, admitted) < MIN_ADMISSION_AGE:
            yield (
                "admitted_on",
                _("Admitted before the age of %(age)d.") % {"age": MIN_ADMISSION_AGE},
            )
        if admitted and official and official < admitted:
            yield "official_on", _("Made official before the date of admission.")

    def check_duplicates(self, parsed: Parsed) -> None:
        """A card number on two rows, or a citizen ID on two card numbers, names both rows."""
        rows_by_card: defaultdict[str, list[int]] = defaultdict(list)
        rows_by_citizen_id: defaultdict[str, dict[str, int]] = defaultdict(dict)
        for number, values in parsed:
            if card := values.get("card_number"):
                rows_by_card[card].append(number)
                if citizen_id := values.get("citizen_id"):
                    rows_by_citizen_id[citizen_id].setdefault(card, number)
        for numbers in rows_by_card.values():
            for number in numbers if len(numbers) > 1 else ():
                others = [n for n in numbers if n != number]
                self.problem(number, "card_number", _also_on(others))
        for cards in rows_by_citizen_id.values():
            numbers = list(cards.values())
            for number in numbers if len(numbers) > 1 else ():
                others = [n for n in numbers if n != number]
                self.problem(number, "citizen_id", _also_on(others, citizen_id=True))

    def check_citizen_ids(self, parsed: Parsed) -> None:
        """A citizen ID already held by a member the file does not list is someone else's."""
        cards = {values.get("card_number") for _n, values in parsed}
        ids = sorted({values["citizen_id"] for _n, values in parsed if values.get("citizen_id")})
        holders: dict[str, str] = {}
        for chunk in chunks(ids):
            found = Member.objects.filter(citizen_id__in=chunk).order_by()
            holders.update(found.values_list("citizen_id", "card_number"))
        for number, values in parsed:
            holder = holders.get(values.get("citizen_id"))
            if holder is not None and holder not in cards:
                message = _(
                    "This citizen ID already belongs to the member with party card number %(card)s."
                )
                self.problem(number, "citizen_id", message % {"card": holder})

    def resolve_cells(self, parsed: Parsed) -> dict[str, int]:
        """Cell codes to cell ids, in one query per chunk of distinct codes, not one per row."""
        refs = sorted({values["cell"] for _n, values in parsed if values.get("cell")})
        found: dict[str, tuple[int, str]] = {}
        for chunk in chunks(refs):
            orgs = Organisation.objects.filter(ref__in=chunk).order_by()
            found.update((r, (pk, kind)) for r, pk, kind in orgs.values_list("ref", "pk", "kind"))
        for number, values in parsed:
            if not (ref := values.get("cell")):
                continue
            if ref not in found:
                message = _("No party organisation has the code “%(code)s”.")
                self.problem(number, "cell", message % {"code": ref})
            elif found[ref][1] != Organisation.Kind.CELL:
                message = _("“%(code)s” is the code of a party committee, not of a cell.")
                self.problem(number, "cell", message % {"code": ref})
        return {ref: pk for ref, (pk, kind) in found.items() if kind == Organisation.Kind.CELL}


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _also_on(numbers: list[int], citizen_id: bool = False) -> str:
    rows = {"rows": ", ".join(str(n) for n in numbers)}
    if citizen_id:
        return (
            ngettext(
                "The same citizen ID is on row %(rows)s, under another party card number.",
                "The same citizen ID is on rows %(rows)s, under other party card numbers.",
                len(numbers),
            )
            % rows
        )
    return (
        ngettext(
            "The same party card number is on row %(rows)s.",
            "The same party card number is on rows %(rows)s.",
            len(numbers),
        )
        % rows
    )
