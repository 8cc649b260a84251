"""In a real browser on a phone: a city committee member finds the weak cell and the meeting
that made it weak."""

import pytest
from django.conf import settings
from django.urls import reverse

from chibo.conftest import sign_in
from chibo.quality import rollup
from chibo.quality.models import MeetingScore

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
    # One chart to a row on a phone.
    lefts = page.eval_on_selector_all(
        "figure.chart", "figures => figures.map(f => f.getBoundingClientRect().left)"
    )
    assert len(set(lefts)) == 1
