"""A member on a phone the night before: reads the agenda, answers, comments; later downloads
the published minutes as PDF."""

import io

import pytest
from pypdf import PdfReader

from chibo.conftest import SIGN_OUT, sign_in
from chibo.meetings.models import Answer, Comment, Meeting
from chibo.meetings.tests.test_attending import plan
from chibo.meetings.tests.test_pdf import VIETNAMESE, write_minutes

pytestmark = pytest.mark.browser

REMARK = "Đề nghị bổ sung nội dung an toàn giao thông · សូមបន្ថែមខ្លឹមសារ"


def test_it_lets_a_member_answer_and_comment_on_a_phone(world, page):
    meeting = plan(world.cell)
    sign_in(page, "mai")
    page.click(f"main a[href='/meetings/{meeting.code}/']")
    page.check("input[name=choice][value=absent]")
    page.fill("input[name=reason]", "Đi công tác Hà Nội")
    page.click("#answer button[type=submit]")
    page.wait_for_selector(".messages .success")
    answer = Answer.objects.get(meeting=meeting)
    assert (answer.choice, answer.reason) == ("absent", "Đi công tác Hà Nội")
    page.fill("#item-2 textarea[name=body]", REMARK)
    page.click("#item-2 .comment-form button[type=submit]")
    page.wait_for_selector(f"#item-2 .comment >> text={REMARK[:20]}")
    assert Comment.objects.get().body == REMARK
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_it_shows_the_secretary_what_members_said(world, page):
    meeting = plan(world.cell)
    item = meeting.agenda_items.get(position=2)
    Comment.objects.create(item=item, author=world.member.member, body=REMARK)
    sign_in(page, "son")
    page.goto(f"/meetings/{meeting.code}/")
    assert REMARK in page.inner_text("#item-2")
    assert "Nguyễn Thị Mai" in page.inner_text("#item-2")


def test_it_downloads_the_published_minutes_as_pdf(world, page):
    minutes = write_minutes(world)
    assert minutes.meeting.status != Meeting.Status.DRAFT
    sign_in(page, "mai")
    response = page.request.get(f"/meetings/{minutes.meeting.code}/minutes/{minutes.version}.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert VIETNAMESE in " ".join(text.split())


def test_it_lets_the_secretary_publish_and_the_member_then_sees_it(world, page):
    draft = plan(world.cell, status=Meeting.Status.DRAFT)
    sign_in(page, "son")
    page.goto(f"/meetings/{draft.code}/")
    page.click("#notice button[type=submit]")
    page.wait_for_selector(".messages li")
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.PUBLISHED and draft.notices.count() == 1
    page.click(SIGN_OUT)
    sign_in(page, "mai")
    assert page.locator(f"main a[href='/meetings/{draft.code}/']").count() == 1
