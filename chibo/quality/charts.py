"""Charts of the indicators, drawn on the server as SVG by pygal: nothing to download or run on
an old phone, and the same picture goes into the PDF reports."""

import re
from datetime import date

import pygal
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pygal.style import Style

from chibo.quality.indicators import BY_KEY, PERCENT, Indicator

LEGEND_ID = re.compile(r' id="activate-serie-\d+"')
# pygal writes its configuration in a <script> even without scripts, and hides its tooltip with
# a style attribute: neither is needed, and the Content Security Policy refuses both.
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
TOOLTIP_STYLE = ' style="opacity: 0"'
STYLE_TAG = '<style type="text/css">'
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
    chart.title = str(title)
    chart.x_labels = [date_format(m, "m/Y") for m in months]
    for indicator, points in zip(indicators, values, strict=True):
        scale = 100 if percent else 1
        chart.add(str(indicator.label), [None if v is None else v * scale for v in points])
    # The legend's ids serve pygal's script, which is off; several charts on a page would
    # repeat them.
    svg = LEGEND_ID.sub("", chart.render(is_unicode=True))
    return SCRIPT.sub("", svg).replace(TOOLTIP_STYLE, "")


def with_nonce(html: str, nonce: str) -> str:
    """The charts' own stylesheets in `html`, let through by the Content Security Policy.
    A nonce is the response's own, so it is added to a page after the page leaves the cache."""
    return html.replace(STYLE_TAG, f'<style nonce="{nonce}" type="text/css">')


def charts(span: list[date], rows: list[tuple[date, list]]) -> list[dict]:
    """Each chart with the table behind it: its title, SVG, indicators and rows of values."""
    position = {key: n for n, key in enumerate(BY_KEY)}
    drawn = []
    for title, keys in CHARTS:
        indicators = [BY_KEY[key] for key in keys]
        columns = [position[key] for key in keys]
        values = [[cells[c].value for _month, cells in rows] for c in columns]
        drawn.append(
            {
                "title": title,
                "svg": line_chart(title, indicators, span, values),
                "indicators": indicators,
                "rows": [(month, [cells[c] for c in columns]) for month, cells in rows],
            }
        )
    return drawn
