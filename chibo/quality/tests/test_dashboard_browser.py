"""In a real browser on a phone: a city committee member finds the weak cell and the meeting
that made it weak."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from chibo.conftest import child, make_member, sign_in
from chibo.quality import rollup
from chibo.quality.indicators import BY_KEY
from chibo.quality.models import MeetingScore
from chibo.quality.views.dashboard import WORST, WORST_ON_A_PHONE

pytestmark = pytest.mark.browser


def test_a_committee_member_drills_down_to_the_weak_meeting(slipping, page):
    weak = slipping.weak_meeting
    MeetingScore.objects.create(meeting=weak, role="cell", points={}, total=42, grade="weak")
    rollup.rebuild()
    sign_in(page, "cuong")

    page.goto(reverse("orgs:organisation", args=[slipping.city.code]))
    page.click(f"a[href='{reverse('quality:dashboard', args=[slipping.city.code])}']")
    page.wait_for_selector("#risks")
    assert page.locator("figure.chart svg").count() >= 4
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.click(f"#risks a[href='{reverse('quality:dashboard', args=[slipping.cell.code])}']")
    page.wait_for_selector("#meetings")
    assert "42/100" in page.inner_text("#meetings")

    page.click(f"#meetings a[href='{reverse('meetings:meeting', args=[weak.code])}']")
    page.wait_for_url(f"**{reverse('meetings:meeting', args=[weak.code])}")
    assert slipping.cell.name in page.inner_text("main")


# Every chart legend's item and drawing inside its figure, and nothing wider than the screen.
CLIPPED = """() => {
  const out = [];
  for (const figure of document.querySelectorAll("figure.chart")) {
    const box = figure.getBoundingClientRect();
    for (const part of figure.querySelectorAll(".chart-legend li, svg, h3")) {
      const r = part.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(part.textContent);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("language", ["vi", "km"])
def test_the_charts_legends_fit_a_phone(slipping, page, live_server, language):
    page.set_viewport_size({"width": 360, "height": 740})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    sign_in(page, "cuong")
    page.goto(reverse("quality:dashboard", args=[slipping.ward.code]))
    assert page.locator(".chart-legend li").count() >= 9
    assert page.evaluate(CLIPPED) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # On a phone the charts make a row to swipe, each nearly as wide as the row.
    boxes = page.eval_on_selector_all(
        ".charts, figure.chart", "all => all.map(e => e.getBoundingClientRect().toJSON())"
    )
    row, figures = boxes[0], boxes[1:]
    assert len({round(f["top"]) for f in figures}) == 1
    assert all(f["width"] >= 0.8 * row["width"] for f in figures)


# A ward name as long as many of the demo city's, where a name wraps in a narrow column.
WARDS = [f"Đảng bộ Công ty Cổ phần Than khu vực Uông Bí số {n}" for n in range(24)]
# Measured at 360 px on this world: 7,819 px before the dashboard read at a glance on a phone
# (every ward a row of the wide table, ten cells at risk with a line for each reason, six
# charts one under another), 4,552 px after; at 1,280 px 5,292 px before and after. The wide
# table back made it 7,851 px, the charts one under another 6,129 px; the cells at risk are
# counted below.
BUDGET = 5_000


def test_a_city_dashboard_reads_at_a_glance_on_a_phone(slipping, page, settings):
    """Two dozen wards, each with a cell that has not met: every one at risk. The page stays
    short, and every ward and every cell at risk is still a tap or two away."""
    for n, name in enumerate(WARDS):
        ward = child(slipping.city, name=name, kind="committee", level=slipping.ward.level)
        cell = child(ward, name=f"Chi bộ khu dân cư số {n}", kind="cell", level=slipping.cell.level)
        make_member(cell, f"Đảng viên {n}")
    rollup.rebuild()
    at_risk = {slipping.cell.name} | {f"Chi bộ khu dân cư số {n}" for n in range(len(WARDS))}
    settings.PAGE_SIZE = 10
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "cuong")
    page.goto(reverse("quality:dashboard", args=[slipping.city.code]))

    assert page.evaluate("document.documentElement.scrollHeight") < BUDGET
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The ranking: every ward, the weakest too, a line each with the figure ranked by and two
    # more.
    assert page.locator("#ranking tbody tr:visible").count() == len(WARDS) + 1
    assert page.locator("#ranking thead th:visible").count() == 1 + 3
    # Any other figure by ranking by it.
    page.select_option("#rank-by", "tasks")
    page.click(".rank-by button")
    page.wait_for_url("**sort=tasks**")
    shown = page.locator("#ranking thead th:visible").all_inner_texts()
    with translation.override("vi"):
        assert len(shown) == 1 + 3 and f"{BY_KEY['tasks'].label} ▼" in shown
    # The cells at risk: the first few, and a link to the list of all, a page at a time.
    assert page.locator("#risks ul.risks > li:visible").count() == WORST_ON_A_PHONE
    assert page.locator("#risks ul.risks > li").count() == WORST
    # Each click waits for the page it leads to: read too soon, the list is the page before's.
    risks = reverse("quality:risks", args=[slipping.city.code])
    page.click(f"#risks a[href='{risks}']")
    page.wait_for_url(f"**{risks}")
    found = set()
    while True:
        found |= set(page.locator("ul.risks > li > a").all_inner_texts())
        if not page.locator("a[rel=next]").count():
            break
        following = page.get_attribute("a[rel=next]", "href")
        page.click("a[rel=next]")
        page.wait_for_url(re.compile(re.escape(following) + "$"))
    assert found == at_risk
