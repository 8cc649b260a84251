"""Charts of the indicators, drawn on the server as SVG by pygal: nothing to download or run on
an old phone, and the same picture goes into the PDF reports.

On a page a chart is its plot alone: its title and legend are HTML around it, which wraps on a
phone where the SVG's text would be cut off, and its styles come from one stylesheet,
`static/chibo/charts.css`, made by `stylesheet()`, rather than a copy inside every chart."""

import html
import re
from datetime import date
from xml.etree import ElementTree

import pygal
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pygal.style import Style

from chibo.quality.indicators import BY_KEY, PERCENT, Indicator

SVG = "http://www.w3.org/2000/svg"
LEGEND_ID = re.compile(r' id="activate-serie-\d+"')
# pygal writes its configuration in a <script> even without scripts, and hides its tooltip with
# a style attribute: neither is needed, and the Content Security Policy refuses both.
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
TOOLTIP_STYLE = ' style="opacity: 0"'
# What the tooltip script would show, and pygal's signature: nothing anyone reads.
UNREAD = re.compile(r"<desc\b[^>]*>.*?</desc>|<!--.*?-->", re.DOTALL)
# A chart's own id in its stylesheet, made general so that one stylesheet serves every chart.
CHART_ID = re.compile(r"#chart-[0-9a-f-]{36}")
# Parts of a chart whose words the HTML around it writes instead.
WORDS = {"titles", "legends"}
# Room kept around the plot for the axes' labels.
LABELS_ABOVE, LABELS_BELOW = 10, 25
# Charts group indicators measured in the same unit.
CHARTS: list[tuple[Promise, list[str]]] = [
    (_("Meetings held"), ["regular", "thematic"]),
    (_("Participation"), ["attendance", "speakers", "self_criticism"]),
    (_("Results of resolutions"), ["tasks"]),
    (_("Meeting score"), ["grade"]),
    (_("Documents' lead time"), ["lead_time"]),
    (_("Comments and supervision"), ["comments", "visits"]),
]
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    font_family="'Noto Sans', 'Noto Sans Khmer', sans-serif",
    colors=("#b71c1c", "#1565c0", "#2e7d32"),
    title_font_size=20,
    label_font_size=15,
    major_label_font_size=15,
    legend_font_size=17,
)


def _label(value: float) -> str:
    """An axis's figure as the page writes its numbers: 85,4 in Vietnamese, 85.4 in English."""
    value = round(value, 2)
    return number_format(int(value) if value == int(value) else value)


def line_chart(
    title: Promise, indicators: list[Indicator], months: list[date], values: list[list]
) -> str:
    """An SVG line chart of `values` (one list per indicator, one value per month)."""
    percent = all(i.unit == PERCENT for i in indicators)
    chart = pygal.Line(
        # Drawn about as wide as a phone, so its words stay readable there.
        width=420,
        height=320,
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        legend_at_bottom=True,
        # One series per line: long labels in two columns overlap on a phone.
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        truncate_label=-1,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, len(months) // 4),
        range=(0, 100) if percent else None,
        allow_interruptions=True,
    )
    chart.value_formatter = _label
    chart.title = str(title)
    chart.x_labels = [date_format(m, "m/Y") for m in months]
    for indicator, points in zip(indicators, values, strict=True):
        scale = 100 if percent else 1
        chart.add(str(indicator.label), [None if v is None else v * scale for v in points])
    # The legend's ids serve pygal's script, which is off; several charts on a page would
    # repeat them.
    svg = LEGEND_ID.sub("", chart.render(is_unicode=True))
    return UNREAD.sub("", SCRIPT.sub("", svg)).replace(TOOLTIP_STYLE, "")


def cropped(svg: str) -> ElementTree.Element:
    """The chart without its title and legend, cropped to the plot and its axes."""
    ElementTree.register_namespace("", SVG)
    root = ElementTree.fromstring(svg)
    for parent in root.iter():
        for child in list(parent):
            if WORDS & set(child.get("class", "").split()):
                parent.remove(child)
    plot = root.find(f".//{{{SVG}}}g[@class='plot']")
    top = float(re.findall(r"[\d.]+", plot.get("transform"))[1])
    height = float(plot.find(f"{{{SVG}}}rect").get("height"))
    width = root.get("viewBox").split()[2]
    root.set("viewBox", f"0 {top - LABELS_ABOVE} {width} {LABELS_ABOVE + height + LABELS_BELOW}")
    return root


def for_page(svg: str) -> str:
    """The chart as a page shows it: its plot, styled by `charts.css`."""
    root = cropped(svg)
    for defs in root.iter(f"{{{SVG}}}defs"):
        for style in defs.findall(f"{{{SVG}}}style"):
            defs.remove(style)
    return ElementTree.tostring(root, encoding="unicode")


def stylesheet() -> str:
    """`static/chibo/charts.css`: pygal's stylesheet for a chart of as many lines as any has,
    for every chart of a page, and the keys of the legends in the lines' colours."""
    most = max(len(keys) for _title, keys in CHARTS)
    indicators = [BY_KEY[key] for key in CHARTS[0][1]][:1] * most
    months = [date(2026, 1, 1), date(2026, 2, 1)]
    svg = line_chart(CHARTS[0][0], indicators, months, [[1, 1]] * most)
    rules = html.unescape(re.search(r"<style[^>]*>(.*?)</style>", svg, re.DOTALL).group(1))
    keys = "".join(
        f".chart-legend .color-{n}{{background:{colour}}}\n"
        for n, colour in enumerate(STYLE.colors[:most])
    )
    return (
        "/* Made by chibo.quality.charts.stylesheet() from pygal's own: do not edit. */\n"
        + CHART_ID.sub(".pygal-chart", rules).strip()
        + "\n"
        + keys
    )


def charts(span: list[date], rows: list[tuple[date, list]]) -> list[dict]:
    """Each chart with the table behind it: its title, SVG (whole, and as a page shows it),
    indicators and rows of values."""
    position = {key: n for n, key in enumerate(BY_KEY)}
    drawn = []
    for title, keys in CHARTS:
        indicators = [BY_KEY[key] for key in keys]
        columns = [position[key] for key in keys]
        values = [[cells[c].value for _month, cells in rows] for c in columns]
        svg = line_chart(title, indicators, span, values)
        drawn.append(
            {
                "title": title,
                "svg": svg,
                "plot": for_page(svg),
                "indicators": indicators,
                "rows": [(month, [cells[c] for c in columns]) for month, cells in rows],
            }
        )
    return drawn
