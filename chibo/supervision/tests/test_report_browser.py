"""In a real browser on a phone: a supervisor finds a meeting of their cell on their page,
scores it and files their report."""

from django.urls import reverse

from chibo.conftest import sign_in
from chibo.meetings import holding
from chibo.meetings.tests.holding_data import opened, present
from chibo.quality.models import MeetingScore
from chibo.supervision.models import Report


def test_a_supervisor_files_a_report_from_their_page(world, page):
    meeting = opened(world.cell)
    present(meeting, "Nguyễn Thị Mai", "Trần Văn Sơn")
    holding.close_meeting(meeting)
    sign_in(page, "vu")

    page.goto(reverse("supervision:mine"))
    page.click(f"a[href^='{reverse('quality:score', args=[meeting.code])}?role=supervisor']")
    page.wait_for_selector("#score-form")
    page.fill("textarea[name=went_well]", "Đảng viên phát biểu sôi nổi.")
    page.fill("textarea[name=to_fix]", "Tài liệu cần gửi sớm hơn.")
    page.click("#score-form button[type=submit]")
    page.wait_for_selector(".messages .success")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    report = Report.objects.get(meeting=meeting)
    assert (report.supervisor.full_name, report.to_fix) == (
        "Lê Văn Vũ",
        "Tài liệu cần gửi sớm hơn.",
    )
    score = MeetingScore.objects.get(meeting=meeting, role=MeetingScore.Role.SUPERVISOR)
    assert score.total == sum(score.points.values()) > 0
    page.goto(reverse("supervision:mine"))
    assert page.locator(f"a[href^='{reverse('quality:score', args=[meeting.code])}']").count() == 0
