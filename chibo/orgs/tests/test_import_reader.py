"""Reading spreadsheets and checking every row, with a message per row and column."""

import tracemalloc
import zipfile
from datetime import date

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext

from chibo.orgs.imports.apply import check_file
from chibo.orgs.imports.reader import FileProblem, read_rows
from chibo.orgs.tests.import_data import (
    HEADER,
    bomb,
    give_refs,
    member_row,
    write_csv,
    write_xlsx,
)

CONTROL = "Remove the invisible or control character"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


@pytest.fixture
def refs(world):
    give_refs(world)
    return world


def problems(path) -> list[tuple[int | None, str, str]]:
    with translation.override("en"):
        return [(p.row, p.column, p.message) for p in check_file(path).problems]


def test_it_reads_xlsx_dates_as_dates_and_numbers_as_text(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [[123456, 1.5, date(1980, 5, 17), None, "Nữ"]])
    assert list(read_rows(path))[1] == (2, ["123456", "1.5", date(1980, 5, 17), "", "Nữ"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_it_reads_csv_in_utf8_with_or_without_bom_and_excel_unicode_text(tmp_path, encoding):
    path = write_csv(tmp_path / "m.csv", [member_row()], encoding=encoding, delimiter="\t")
    rows = list(read_rows(path))
    assert rows[0] == (1, HEADER)
    assert rows[1][1][1] == "Nguyễn Văn An 1"


def test_it_reads_semicolon_separated_csv(tmp_path):
    path = write_csv(tmp_path / "m.csv", [member_row()], delimiter=";")
    assert list(read_rows(path))[1][1][:2] == ["D0000001", "Nguyễn Văn An 1"]


def test_it_asks_for_utf8_when_a_csv_is_in_another_encoding(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("Họ và tên\n".encode() + "Hà\n".encode("latin-1"))
    with translation.override("en"), pytest.raises(FileProblem, match="not in UTF-8"):
        read_rows(path)


def not_a_workbook(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")


def truncated_xlsx(path):
    write_xlsx(path, [member_row()])
    path.write_bytes(path.read_bytes()[:300])


@pytest.mark.parametrize(
    "name, make",
    [
        ("photo.xlsx", lambda p: p.write_bytes(PNG)),
        ("photo.csv", lambda p: p.write_bytes(PNG)),
        ("archive.xlsx", not_a_workbook),
        ("broken.xlsx", truncated_xlsx),
        ("noise.xlsx", lambda p: p.write_bytes(bytes(range(256)) * 8)),
    ],
)
def test_it_says_when_a_file_is_not_a_spreadsheet(tmp_path, name, make):
    make(tmp_path / name)
    with translation.override("en"), pytest.raises(FileProblem, match="not a spreadsheet"):
        list(read_rows(tmp_path / name))


def test_it_recognises_old_excel_and_protected_workbooks(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with translation.override("en"), pytest.raises(FileProblem, match=r"\.xlsx"):
        read_rows(path)


def test_it_refuses_a_file_over_the_limit_before_reading_it(tmp_path, settings, monkeypatch):
    settings.CHIBO_IMPORT_MAX_BYTES = 1000
    monkeypatch.setattr(openpyxl, "load_workbook", pytest.fail)
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(n) for n in range(100)])
    with translation.override("en"), pytest.raises(FileProblem, match="largest accepted is"):
        read_rows(path)


def test_it_refuses_an_xlsx_that_unpacks_to_far_too_much(tmp_path, settings):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row()])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", bytes(2_000_000))
    settings.CHIBO_IMPORT_MAX_BYTES = 50_000
    with translation.override("en"), pytest.raises(FileProblem, match="largest accepted is"):
        read_rows(path)


def test_it_refuses_an_empty_file(tmp_path):
    (tmp_path / "m.csv").write_bytes(b"")
    with translation.override("en"), pytest.raises(FileProblem, match="empty"):
        read_rows(tmp_path / "m.csv")


def test_it_accepts_a_clean_file(refs, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(1), member_row(2, cell="CB2")])
    assert problems(path) == []


def test_it_matches_headers_ignoring_case_and_diacritics_or_in_english(refs, tmp_path):
    header = ["SO THE DANG VIEN", "full name", "ngay sinh", "Gender", "Date of admission"]
    header += ["date made official", "STATUS", "ma chi bo", "Citizen ID", "phone"]
    rows = [member_row(1, born=date(1980, 5, 17), admitted="2005-03-02", gender="nu")]
    assert problems(write_xlsx(tmp_path / "m.xlsx", rows, header)) == []


def test_it_names_the_missing_required_columns_once(refs, tmp_path):
    path = write_csv(tmp_path / "m.csv", [["D1", "An"]], header=["Số thẻ đảng viên", "Họ và tên"])
    [(row, column, message)] = problems(path)
    assert row is None
    assert "Ngày sinh (Date of birth)" in message and "Mã chi bộ (Cell code)" in message
    assert "Điện thoại" not in message


def test_it_ignores_unknown_columns_with_a_warning(refs, tmp_path):
    path = write_csv(tmp_path / "m.csv", [[*member_row(), "x"]], header=[*HEADER, "Quê quán"])
    with translation.override("en"):
        report = check_file(path)
    assert report.problems == []
    assert report.warnings == ["These columns are not known and were ignored: Quê quán."]


def test_it_reports_a_column_given_twice(refs, tmp_path):
    path = write_csv(tmp_path / "m.csv", [[*member_row(), "B"]], header=[*HEADER, "Full name"])
    assert problems(path) == [(1, "Full name", "This column appears more than once.")]


@pytest.mark.parametrize(
    "change, column, message",
    [
        ({"name": "  "}, "Họ và tên", "This value is required."),
        ({"card": ""}, "Số thẻ đảng viên", "This value is required."),
        ({"born": "31/02/1980"}, "Ngày sinh", "There is no such date as “31/02/1980”."),
        ({"born": "May 1980"}, "Ngày sinh", "“May 1980” is not a date: write it as dd/mm/yyyy."),
        ({"official": "01/01/2999"}, "Ngày chính thức", "This date is in the future."),
        ({"admitted": "01/01/1995"}, "Ngày vào Đảng", "Admitted before the age of 18."),
        ({"official": "01/01/2005"}, "Ngày chính thức", "Made official before the date of"),
        ({"gender": "X"}, "Giới tính", "Unknown gender “X”: write Nam or Nữ."),
        ({"status": "retired"}, "Trạng thái", "Unknown status “retired”"),
        ({"cell": "NOPE"}, "Mã chi bộ", "No party organisation has the code “NOPE”."),
        ({"cell": "W1"}, "Mã chi bộ", "“W1” is the code of a party committee, not of a cell."),
        ({"name": "A" * 121}, "Họ và tên", "At most 120 characters (this has 121)."),
        ({"card": "1" * 21}, "Số thẻ đảng viên", "At most 20 characters (this has 21)."),
        ({"name": "An\u202eVăn"}, "Họ và tên", f"{CONTROL} (U+202E)."),
        ({"name": "An\x07"}, "Họ và tên", f"{CONTROL} (U+0007)."),
        ({"citizen_id": "02218000123"}, "Số CCCD", "A citizen ID number has exactly 12 digits."),
        ({"phone": "call me"}, "Điện thoại", "Enter a phone number"),
    ],
)
def test_it_reports_each_bad_value_by_row_and_column(refs, tmp_path, change, column, message):
    # One good row first, so the problem is on row 3 and row numbers are seen to be counted.
    path = write_csv(tmp_path / "m.csv", [member_row(1), member_row(2, **change)])
    [(row, found_column, found)] = problems(path)
    assert (row, found_column) == (3, column)
    assert found.startswith(message)


def test_it_accepts_empty_optional_values_and_every_status(refs, tmp_path):
    statuses = ["", "Dự bị", "MIEN SINH HOAT", "Chuyển sinh hoạt tạm thời", "suspended"]
    rows = [member_row(n, status=s, official="", phone="") for n, s in enumerate(statuses)]
    assert problems(write_csv(tmp_path / "m.csv", rows)) == []


def test_it_names_both_rows_of_a_duplicated_card_number(refs, tmp_path):
    rows = [member_row(1), member_row(2), member_row(1, citizen_id="000000000009")]
    expected = [
        (2, "Số thẻ đảng viên", "The same party card number is on row 4."),
        (4, "Số thẻ đảng viên", "The same party card number is on row 2."),
    ]
    assert problems(write_csv(tmp_path / "m.csv", rows)) == expected


def test_it_reports_one_citizen_id_on_two_card_numbers(refs, tmp_path):
    rows = [member_row(1), member_row(2, citizen_id="000000000001")]
    message = "The same citizen ID is on row %d, under another party card number."
    assert problems(write_csv(tmp_path / "m.csv", rows)) == [
        (2, "Số CCCD", message % 3),
        (3, "Số CCCD", message % 2),
    ]


def test_it_skips_blank_rows_but_keeps_the_row_numbers_people_see(refs, tmp_path):
    rows = [member_row(1), ["", " "], [], member_row(2, gender="?")]
    assert [p[:2] for p in problems(write_csv(tmp_path / "m.csv", rows))] == [(5, "Giới tính")]


@pytest.mark.parametrize("rows", [[], [["", ""]]])
def test_it_reports_a_file_without_members(refs, tmp_path, rows):
    path = write_csv(tmp_path / "m.csv", rows)
    assert problems(path) == [(None, "", "There are no members under the header row.")]


def test_it_says_problems_in_the_active_language(refs, tmp_path):
    path = write_csv(tmp_path / "m.csv", [member_row(1, name="")])
    with translation.override("en"):
        assert str(check_file(path).problems[0]) == (
            "row 2, column Họ và tên: This value is required."
        )
    with translation.override("vi"):
        problem = check_file(path).problems[0]
        assert problem.message == gettext("This value is required.")


def forbid_inflating(monkeypatch) -> None:
    """From now on, reading any member of a zip or handing a file to openpyxl fails the test."""
    monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda *args: pytest.fail("inflated"))
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kw: pytest.fail("loaded"))


def test_it_refuses_a_thousandfold_bomb_from_its_directory_alone(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    bomb(path, 200 * 2**20)
    forbid_inflating(monkeypatch)
    assert path.stat().st_size < 400_000  # 200 MB in a file of a few hundred kilobytes
    tracemalloc.start()
    with translation.override("en"), pytest.raises(FileProblem) as refused:
        read_rows(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "unpacks to" in refused.value.message and "times its size" in refused.value.message
    assert peak < 5 * 2**20


def test_it_refuses_a_workbook_that_unpacks_past_the_limit_before_inflating(
    tmp_path, settings, monkeypatch
):
    settings.CHIBO_IMPORT_MAX_BYTES = 100_000
    path = tmp_path / "big.xlsx"
    bomb(path, 3 * 2**20)  # over 20 times the largest file accepted
    forbid_inflating(monkeypatch)
    with translation.override("en"), pytest.raises(FileProblem, match="largest accepted is"):
        read_rows(path)


def with_cell_text(path, replacement: bytes):
    """A real workbook whose name on row 2 is rewritten in its XML to hold `replacement`."""
    marked = write_xlsx(path.with_suffix(".marked.xlsx"), [member_row(name="AnMARKVăn")])
    with zipfile.ZipFile(marked) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info).replace(b"MARK", replacement))
    return path


@pytest.mark.parametrize(
    "replacement, code",
    [
        (b"\x00", "U+0000"),  # a raw NUL byte: no XML parser reads it
        (b"&#1;", "U+0001"),  # a reference to a character XML forbids
        (b"&#x1B;", "U+001B"),
        (b"_x0000_", "U+0000"),  # what Excel itself writes for a NUL
    ],
)
def test_it_names_the_row_and_column_of_a_bad_character_in_a_workbook(
    refs, tmp_path, replacement, code
):
    path = with_cell_text(tmp_path / "m.xlsx", replacement)
    assert problems(path) == [(2, "Họ và tên", f"{CONTROL} ({code}).")]


def test_it_names_the_row_and_column_of_a_nul_in_a_csv(refs, tmp_path):
    rows = [member_row(1, name="An\x00Văn"), member_row(2, name="\x00\x00Bình")]
    path = write_csv(tmp_path / "m.csv", rows)
    assert problems(path) == [
        (2, "Họ và tên", f"{CONTROL} (U+0000)."),
        (3, "Họ và tên", f"{CONTROL} (U+0000)."),
    ]


def test_it_still_says_a_csv_of_nul_bytes_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("Họ và tên;Ngày sinh\n".encode("utf-16-le"))  # UTF-16 without its mark
    with translation.override("en"), pytest.raises(FileProblem, match="not a spreadsheet"):
        list(read_rows(path))
