"""The dashboard: who may open it, what it shows, the cells at risk and its query budget."""

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from chibo.conftest import child, make_member
from chibo.lib.months import months
from chibo.meetings.models import ActionItem, Meeting
from chibo.meetings.tests.holding_data import count_queries
from chibo.quality import rollup
from chibo.quality.charts import CHARTS, stylesheet
from chibo.quality.dashboard import glance, last_complete_month, period, series
from chibo.quality.indicators import BY_KEY, INDICATORS
from chibo.quality.models import MonthlyIndicators
from chibo.quality.reports import Period, build
from chibo.quality.risks import cells_at_risk
from chibo.quality.tests.conftest import MAI, SON, months_ago
from chibo.quality.tests.history import held

ENGLISH = {"Accept-Language": "en"}
CHARTS_CSS = Path(__file__).resolve().parents[2] / "static" / "chibo" / "charts.css"


def url(org) -> str:
    return reverse("quality:dashboard", args=[org.code])


def test_a_committee_sees_the_cell_at_risk_with_its_reasons_in_words(slipping):
    response = slipping.client("committee").get(url(slipping.city), headers=ENGLISH)
    assert response.status_code == 200
    risks = {risk.cell: risk.reasons for risk in response.context["risks"]}
    assert list(risks) == [slipping.cell]
    assert risks[slipping.cell] == [
        "No regular meeting in 2 of the last 3 months",
        "Attendance fell from 100% to 50%",
        "Signs of formalism in 1 of 1 meetings",
        "3 tasks overdue",
        "No thematic meeting last quarter",
    ]
    page = response.content.decode()
    assert "3 tasks overdue" in page and "<svg" in page


def test_the_ranking_lists_the_children_with_a_link_down(slipping):
    response = slipping.client("committee").get(url(slipping.city) + "?sort=regular")
    ranking = response.context["ranking"]
    assert [row.org for row in ranking] == [slipping.ward]
    ward = slipping.client("committee").get(url(slipping.ward) + "?sort=regular")
    ranked = [row.org for row in ward.context["ranking"]]
    assert ranked == [slipping.sister_cell, slipping.cell], "best first"
    assert url(slipping.cell) in ward.content.decode()


def test_a_phone_shows_the_figure_ranked_by_and_two_key_ones():
    """The other columns of the ranking are for wider screens (test_dashboard_browser.py)."""
    assert {INDICATORS[n].key for n in glance("grade")} == {"grade", "regular", "attendance"}
    assert {INDICATORS[n].key for n in glance("tasks")} == {"tasks", "grade", "regular"}


def test_a_cell_page_lists_its_meetings(slipping):
    formalism = reverse("quality:formalism", args=[slipping.cell.code])
    response = slipping.client("supervisor").get(url(slipping.cell))
    assert response.status_code == 200
    assert len(response.context["meetings"]) == 3
    assert formalism in response.content.decode()
    # The secretary sees the cell's indicators, but judging formalism is for those above it.
    assert formalism not in slipping.client("secretary").get(url(slipping.cell)).content.decode()


def test_each_chart_has_its_table(slipping):
    response = slipping.client("committee").get(url(slipping.ward) + "?months=24")
    charts = response.context["charts"]
    assert all(len(chart["rows"]) == 24 for chart in charts)
    attendance = next(c for c in charts if any(i.key == "attendance" for i in c["indicators"]))
    last_month = attendance["rows"][-1][1][0]
    assert last_month.text == "75%", "one of two in the cell, two of two in its sister cell"


def test_who_may_open_it(world):
    assert Client().get(url(world.city)).status_code == 302
    assert world.client("outsider").get(url(world.city)).status_code == 404
    assert world.client("member").get(url(world.cell)).status_code == 403
    assert world.client("secretary").get(url(world.cell)).status_code == 200
    assert world.client("supervisor").get(url(world.cell)).status_code == 200
    assert world.client("supervisor").get(url(world.ward)).status_code == 404
    assert world.client("committee").get(url(world.other_city)).status_code == 404
    assert world.client("committee").post(url(world.city)).status_code == 405


def test_bad_parameters_fall_back_to_the_defaults(world):
    response = world.client("committee").get(url(world.city) + "?months=9999&sort=%3Cx%3E")
    assert response.status_code == 200
    assert (response.context["months"], response.context["sort"]) == (12, "grade")


def test_the_query_count_does_not_grow_with_cells_or_history(slipping):
    """Drawn afresh (the cache emptied before each request), as the committee."""
    client = slipping.client("committee")
    cache.clear()
    small = count_queries(client, url(slipping.ward))
    for n in range(8):
        cell = child(slipping.ward, name=f"Chi bộ {n}", kind="cell", level=slipping.cell.level)
        make_member(cell, f"Đảng viên {n}")
        held(cell, months_ago(1), [])
    rollup.rebuild()
    cache.clear()
    assert count_queries(client, url(slipping.ward)) == small
    cache.clear()
    assert count_queries(client, url(slipping.ward) + "?months=60") == small


def attendance_last_month(response) -> str:
    """The figure of the "Last month" card's attendance, as the page writes it."""
    page = response if isinstance(response, str) else response.content.decode()
    return re.search(r">Attendance</dt><dd>(?:<span[^>]*>[^<]*</span>)*([^<]*)</dd>", page)[1]


def test_a_drawn_dashboard_is_kept_until_its_rows_change(
    slipping, django_capture_on_commit_callbacks
):
    """Kept under the version of the ward's rows: a second request draws nothing; a meeting
    held in the ward shows on the next request; one held in another city changes nothing."""
    client = slipping.client("committee")
    drawn = count_queries(client, url(slipping.ward))
    kept = count_queries(client, url(slipping.ward))
    assert kept <= 8 < drawn
    assert attendance_last_month(client.get(url(slipping.ward), headers=ENGLISH)) == "75%"
    with django_capture_on_commit_callbacks(execute=True):
        held(slipping.foreign_cell, months_ago(1), [])
    assert count_queries(client, url(slipping.ward)) == kept
    with django_capture_on_commit_callbacks(execute=True):
        held(slipping.cell, months_ago(1), [MAI, SON])
    after = client.get(url(slipping.ward), headers=ENGLISH)
    assert attendance_last_month(after) == "83%", "(1 + 2 + 2) of (2 + 2 + 2)"


def test_a_rebuild_and_a_new_month_draw_every_dashboard_again(
    slipping, django_capture_on_commit_callbacks
):
    client = slipping.client("committee")
    drawn = count_queries(client, url(slipping.ward))
    with django_capture_on_commit_callbacks(execute=True):
        rollup.rebuild()
    assert count_queries(client, url(slipping.ward)) == drawn
    # A cell added to the ward is given its rows, and the ward counts it.
    child(slipping.ward, name="Chi bộ khu 3", kind="cell", level=slipping.cell.level)
    with django_capture_on_commit_callbacks(execute=True):
        assert rollup.open_month() > 0
    assert count_queries(client, url(slipping.ward)) == drawn
    ward = MonthlyIndicators.objects.get(
        organisation=slipping.ward, month=months_ago(1).replace(day=1)
    )
    assert ward.cells == 3


def test_risks_look_only_at_the_subtree(slipping):
    recent = period(last_complete_month(), 3)
    elsewhere = cells_at_risk(slipping.other_city, recent, timezone.localdate())
    assert [risk.cell_id for risk in elsewhere] == [slipping.foreign_cell.pk]
    assert ActionItem.objects.overdue().count() == 3


def test_the_thematic_indicator_reads_its_quarter_so_far_until_it_ends(world):
    held(world.cell, date(2026, 4, 9), [])
    rollup.rebuild()
    rows = series(world.ward, months(date(2026, 4, 1), date(2026, 8, 1)))
    thematic = [cells[INDICATORS.index(BY_KEY["thematic"])] for _month, cells in rows]
    # April to June make a whole quarter; July and August are the quarter so far, which a
    # thematic meeting in September may still mend: no concern yet.
    assert [c.settled for c in thematic] == [True, True, True, False, False]
    assert [c.concern for c in thematic] == [True, True, True, False, False]
    assert thematic[-1].text == "0%"


@pytest.mark.time_machine(datetime(2026, 12, 10, 3, tzinfo=UTC), tick=False)
def test_the_thematic_tile_shows_what_the_months_report_says(world):
    """November's tile and November's report (its PDF too) read one figure, the quarter so
    far: one of the ward's two cells held its thematic meeting in October."""
    held(world.cell, date(2026, 10, 9), [MAI, SON], kind=Meeting.Kind.COMBINED)
    rollup.rebuild()
    response = world.client("committee").get(url(world.ward), headers=ENGLISH)
    tile = dict(response.context["latest"])[BY_KEY["thematic"]]
    assert (tile.text, tile.concern, tile.settled) == ("50%", False, False)
    # Grey, as what is not final yet, rather than green, as a target met.
    assert '<div class="unknown"><dt title="Rule 2' in response.content.decode()
    tiles = response.content.decode()
    assert ">Thematic meeting this quarter</dt><dd>50% <small>so far</small>" in tiles

    november = Period("month", 2026, 11)
    report = build(world.ward, november, date(2026, 12, 10))
    line = next(line for line in report.summary if line.indicator.key == "thematic")
    assert (line.now.text, line.now.concern) == ("50%", False)
    pdf = world.client("committee").get(
        reverse("quality:report", args=[world.ward.code, "month", 2026, 11, "pdf"]),
        {"language": "en"},  # the reader's own: the official one is in the ward's language
        headers=ENGLISH,
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "50% (so far)" in text


def test_the_cells_at_risk_come_a_page_at_a_time(slipping, settings):
    settings.PAGE_SIZE = 1
    client = slipping.client("admin")
    target = reverse("quality:risks", args=[slipping.province.code])
    first, second = client.get(target), client.get(target + "?page=2")
    assert first.context["risk_count"] == second.context["risk_count"] == 2
    cells = [page.context["risks"].object_list[0].cell for page in (first, second)]
    assert cells == [slipping.cell, slipping.foreign_cell], "the most worrying first"
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()


def test_the_list_of_cells_at_risk_is_a_committees_own(slipping):
    target = reverse("quality:risks", args=[slipping.city.code])
    assert Client().get(target).status_code == 302
    assert slipping.client("outsider").get(target).status_code == 404
    assert slipping.client("committee").post(target).status_code == 405
    cell = reverse("quality:risks", args=[slipping.cell.code])
    assert slipping.client("supervisor").get(cell).status_code == 404


def test_it_reads_at_a_glance(slipping):
    """The tiles and their legend, then the children, then the most worrying cells, each with
    its parent, then the charts side by side."""
    response = slipping.client("committee").get(url(slipping.city), headers=ENGLISH)
    page = response.content.decode()
    order = [
        page.index('class="indicators"'),
        page.index('class="tile-legend"'),
        page.index('id="ranking"'),
        page.index('id="risks"'),
        page.index('class="charts"'),
    ]
    assert order == sorted(order)
    legend = page[order[1] : order[2]]
    for words in ("At or beyond the target", "Needs attention", "Not final yet, or nothing"):
        assert words in legend
    # Each tile says by its colour which of the three it is, and a concern says it in words.
    tiles = re.findall(r'<div class="(met|concern|unknown)"><dt', page)
    assert len(tiles) == len(INDICATORS) and {"concern", "unknown"} <= set(tiles)
    assert page.count("Needs attention: ") == tiles.count("concern")
    risks = page[order[3] : order[4]]
    assert f'{slipping.cell.name}</a> <span class="parent">· {slipping.ward.name}' in risks


def test_it_names_the_ten_most_worrying_cells_and_links_to_all(slipping):
    for n in range(11):
        cell = child(slipping.ward, name=f"Chi bộ {n}", kind="cell", level=slipping.cell.level)
        make_member(cell, f"Đảng viên {n}")
        held(cell, months_ago(4), [])
    rollup.rebuild()
    response = slipping.client("committee").get(url(slipping.city), headers=ENGLISH)
    assert response.context["risk_count"] == 12
    assert [risk.cell.parent_name for risk in response.context["risks"]] == [
        slipping.ward.name
    ] * 10
    assert response.context["risks"][0].cell == slipping.cell, "the most reasons first"
    page = response.content.decode()
    assert "The 10 most worrying:" in page and "All 12 cells at risk" in page
    assert reverse("quality:risks", args=[slipping.city.code]) in page


def test_the_list_of_cells_at_risk_costs_the_same_queries_for_more_cells(slipping):
    client = slipping.client("committee")
    target = reverse("quality:risks", args=[slipping.city.code])
    few = count_queries(client, target)
    for n in range(5):
        cell = child(slipping.ward, name=f"Chi bộ {n}", kind="cell", level=slipping.cell.level)
        held(cell, months_ago(4), [])
    rollup.rebuild()
    assert count_queries(client, target) == few


TEXT = re.compile(r">([^<]+)<")


@pytest.mark.parametrize(
    "language, decimal, foreign", [("vi", ",", "."), ("km", ",", "."), ("en", ".", ",")]
)
def test_it_writes_its_numbers_one_way_per_language(slipping, language, decimal, foreign):
    """Axes, tiles, tables: every decimal of the page with the language's own separator."""
    client = slipping.client("committee")
    page = client.get(url(slipping.ward), headers={"Accept-Language": language})
    written = " ".join(TEXT.findall(page.content.decode()))
    assert re.search(rf"\d\{decimal}\d", written), "the page has decimals"
    assert not re.search(rf"\d\{foreign}\d", written)


def test_the_charts_are_drawn_once_without_what_only_a_script_would_read(slipping):
    page = slipping.client("committee").get(url(slipping.ward)).content.decode()
    assert page.count("<svg") == len(CHARTS)
    assert "<style" not in page and "<desc" not in page and "<!--" not in page
    # Their words are HTML, which wraps on a phone: no title or legend inside a drawing.
    assert 'class="legends"' not in page and 'class="titles"' not in page
    assert page.count('<ul class="chart-legend">') == len(CHARTS)


def test_the_charts_stylesheet_is_the_one_pygal_makes():
    """`static/chibo/charts.css` is made by `stylesheet()`; after changing the charts' style,
    write it again: python -c 'import django; django.setup(); from chibo.quality.charts import
    stylesheet; print(stylesheet(), end="")' > chibo/static/chibo/charts.css"""
    assert CHARTS_CSS.read_text(encoding="utf-8") == stylesheet()
