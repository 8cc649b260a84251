"""In a real browser on a phone: a city committee member finds the weak cell and the meeting
that made it weak."""

from django.urls import reverse

from chibo.conftest import sign_in
from chibo.quality import rollup
from chibo.quality.models import MeetingScore


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
