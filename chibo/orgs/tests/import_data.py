"""Spreadsheets for the import tests, written by the tests themselves: no binary fixtures."""

import csv
import zipfile
from pathlib import Path

import openpyxl

from chibo.orgs.models import Organisation

HEADER = [
    "Số thẻ đảng viên",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Trạng thái",
    "Mã chi bộ",
    "Số CCCD",
    "Điện thoại",
]
KEYS = [
    "card",
    "name",
    "born",
    "gender",
    "admitted",
    "official",
    "status",
    "cell",
    "citizen_id",
    "phone",
]


def member_row(n: int = 1, **values) -> list:
    """One member as the national database exports them; keyword arguments change a cell."""
    row = {
        "card": f"D{n:07d}",
        "name": f"Nguyễn Văn An {n}",
        "born": "17/05/1980",
        "gender": "Nam",
        "admitted": "02/03/2005",
        "official": "02/03/2006",
        "status": "Chính thức",
        "cell": "CB1",
        "citizen_id": f"{n:012d}",
        "phone": "0912 345 678",
    }
    row.update(values)
    return [row[key] for key in KEYS]


def write_csv(path: Path, rows: list[list], header: list = HEADER, **options) -> Path:
    encoding = options.pop("encoding", "utf-8-sig")
    with open(path, "w", newline="", encoding=encoding) as f:
        writer = csv.writer(f, **options)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], header: list = HEADER) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def give_refs(world) -> None:
    """The world's organisations have no reference codes; the import needs them."""
    refs = {"CB1": world.cell, "CB2": world.sister_cell, "CB5": world.foreign_cell}
    for ref, org in {**refs, "W1": world.ward}.items():
        Organisation.objects.filter(pk=org.pk).update(ref=ref)


def bomb(path, unpacked: int) -> None:
    """A workbook whose sheet hides `unpacked` bytes of blanks, which deflate a thousandfold."""
    good = write_xlsx(path.with_suffix(".good.xlsx"), [member_row()])
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</worksheet>")
            with out.open(info.filename, "w") as sheet:
                sheet.write(head)
                for _chunk in range(unpacked // 2**20):
                    sheet.write(b" " * 2**20)
                sheet.write(b"</worksheet>" + tail)
