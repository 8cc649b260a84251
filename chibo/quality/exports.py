"""A report written out: CSV for other tools, a workbook for Excel with its own charts, a PDF to
print and file. Each writer reads the same `Report` and returns the file's bytes."""

import io
import re
from collections.abc import Callable, Iterable
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from chibo.lib import pdf
from chibo.lib.spreadsheets import CsvWriter, csv_bytes, xlsx_bytes
from chibo.quality.charts import CHARTS, STYLE, SVG, charts, cropped
from chibo.quality.dashboard import Cell
from chibo.quality.indicators import BY_KEY, HOURS, INDICATORS, PERCENT, Indicator
from chibo.quality.reports import Report

# How Excel shows each unit; percentages stay fractions, so formulas on them work.
NUMBER_FORMATS = {PERCENT: "0%", HOURS: '0 "h"'}
DECIMALS = "0.0"
MONTH_FORMAT = "mm/yyyy"
# Sheet names are cut at this length by Excel.
SHEET_NAME = 31


def _sheets() -> list[str]:
    """The parts of a report, named alike as the workbook's sheets and in the CSV's first column."""
    return [_("Summary"), _("Organisations"), _("Cells at risk"), _("Months")]


def _values(cells: Iterable[Cell]) -> list[float | None]:
    return [c.value for c in cells]


# -- CSV ---------------------------------------------------------------------------------------


def _csv_number(indicator: Indicator, value: float | None) -> float | str:
    """Percentages as people write them (75.0 under "Attendance (%)"), other values rounded."""
    if value is None:
        return ""
    return round(value * 100, 1) if indicator.unit == PERCENT else round(value, 2)


def _csv_header(indicator: Indicator) -> str:
    return f"{indicator.label} ({indicator.unit})" if indicator.unit else str(indicator.label)


def to_csv(report: Report) -> bytes:
    """One table, one row per organisation and period, its part of the report named first."""
    summary, children, risks, monthly = _sheets()
    out = io.StringIO()
    writer = CsvWriter(out)

    def row(part: str, name: str, period: str, values: list, reasons: str = "") -> None:
        numbers = [_csv_number(i, v) for i, v in zip(INDICATORS, values, strict=True)]
        writer.writerow([part, name, period, *numbers, reasons])

    writer.writerow(
        [_("Part"), _("Party organisation"), _("Period")]
        + [_csv_header(i) for i in INDICATORS]
        + [_("Reasons")]
    )
    name, label = report.org.name, report.period.label
    row(summary, name, label, [line.now.value for line in report.summary])
    row(summary, name, report.previous.label, [line.before.value for line in report.summary])
    for child in report.children:
        row(children, child.org.name, label, _values(child.cells))
    for risk in report.risks:
        row(risks, risk.cell.name, label, [None] * len(INDICATORS), "; ".join(risk.reasons))
    for month, cells in report.monthly:
        row(monthly, name, f"{month:%m/%Y}", _values(cells))
    return csv_bytes(out.getvalue())


# -- XLSX --------------------------------------------------------------------------------------


def _number_format(unit: str) -> str:
    return NUMBER_FORMATS.get(unit, DECIMALS)


def _header(sheet: Worksheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    # A coordinate, not a cell: making the cell would push the next rows down.
    sheet.freeze_panes = f"B{sheet.max_row + 1}"


def _table(sheet: Worksheet, first: str, rows: list[tuple]) -> None:
    """Rows of a name (or a month) and the indicators' values, under a header."""
    _header(sheet, [first, *(str(i.label) for i in INDICATORS)])
    for name, cells in rows:
        sheet.append([name, *_values(cells)])
        for indicator, cell in zip(INDICATORS, sheet[sheet.max_row][1:], strict=True):
            cell.number_format = _number_format(indicator.unit)
    sheet.column_dimensions["A"].width = 36


def _summary(sheet: Worksheet, report: Report) -> None:
    """The organisation's indicators in the period beside the period before, one a row."""
    sheet.append([report.org.name])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"{_('Quality of cell life')} · {report.period.label}"])
    sheet.append([_("Made on %(date)s") % {"date": f"{report.made_on:%d/%m/%Y}"}])
    sheet.append([])
    _header(
        sheet,
        [_("Indicator"), report.period.label, report.previous.label, _("Target"), _("Rule")],
    )
    for line in report.summary:
        indicator = line.indicator
        sheet.append(
            [
                str(indicator.label),
                line.now.value,
                line.before.value,
                indicator.target,
                str(indicator.rule),
            ]
        )
        for cell in sheet[sheet.max_row][1:4]:
            cell.number_format = _number_format(indicator.unit)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["E"].width = 80


def _risks(sheet: Worksheet, report: Report) -> None:
    _header(sheet, [_("Party cell"), _("Reasons")])
    for risk in report.risks:
        sheet.append([risk.cell.name, "\n".join(risk.reasons)])
        sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 70


def _monthly(sheet: Worksheet, report: Report) -> None:
    _table(sheet, _("Month"), report.monthly)
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.number_format = MONTH_FORMAT
    sheet.column_dimensions["A"].width = 12
    _charts(sheet, len(report.monthly))


def _charts(sheet: Worksheet, count: int) -> None:
    """Excel's own line charts of the table above them, grouped as on the dashboard."""
    column_of = {key: n for n, key in enumerate(BY_KEY, 2)}
    for n, (title, keys) in enumerate(CHARTS):
        chart = LineChart()
        chart.title = str(title)
        chart.width, chart.height = 16, 8
        for key in keys:
            column = column_of[key]
            data = Reference(sheet, min_col=column, min_row=1, max_row=count + 1)
            chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=count + 1))
        chart.x_axis.number_format = MONTH_FORMAT
        # A chart groups indicators of one unit.
        chart.y_axis.number_format = _number_format(BY_KEY[keys[0]].unit)
        # openpyxl 3.1 hides the axes unless told otherwise.
        chart.x_axis.delete = chart.y_axis.delete = False
        # Two charts side by side under the table.
        row, column = count + 3 + n // 2 * 17, "A" if n % 2 == 0 else "J"
        sheet.add_chart(chart, f"{column}{row}")


def to_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    children, risks, monthly = (workbook.create_sheet() for _sheet in range(3))
    for sheet, title in zip((summary, children, risks, monthly), _sheets(), strict=True):
        sheet.title = title[:SHEET_NAME]
    _summary(summary, report)
    _table(children, _("Party organisation"), [(c.org.name, c.cells) for c in report.children])
    _risks(risks, report)
    _monthly(monthly, report)
    return xlsx_bytes(workbook)


# -- PDF ---------------------------------------------------------------------------------------


def _for_print(svg: str) -> str:
    """The chart's plot and axes (`charts.cropped`).

    WeasyPrint draws an SVG's text a letter at a time, unshaped, and Khmer falls apart; the
    HTML around the chart writes the title and legend instead. The axes' labels are digits:
    they come to no harm, and take the document's bundled serif rather than the screen's sans.
    """
    root = cropped(svg)
    style = root.find(f".//{{{SVG}}}style")
    style.text = re.sub(r"font-family:[^;}]*", "font-family:'Noto Serif'", style.text)
    return ElementTree.tostring(root, encoding="unicode")


def to_pdf(report: Report) -> bytes:
    """An A4 document in the active language, with the dashboard's charts."""
    figures = [
        {
            "title": chart["title"],
            "svg": _for_print(chart["svg"]),
            "empty": all(c.value is None for _month, cells in chart["rows"] for c in cells),
            "legend": list(zip(chart["indicators"], STYLE.colors, strict=False)),
        }
        for chart in charts(report.span, report.monthly)
    ]
    return pdf.render(
        "quality/reports/pdf.html", {"report": report, "charts": figures, "indicators": INDICATORS}
    )


WRITERS: dict[str, tuple[Callable[[Report], bytes], str]] = {
    "pdf": (to_pdf, "application/pdf"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (to_csv, "text/csv; charset=utf-8"),
}
