"""In a real browser on a 360 px phone, a consultation from its opening to the minutes: the
secretary opens it from the meeting's page with its statements; a member answers one and adds
her own; the secretary accepts it; a citizen answers through the cell's public door; once it
has closed, the meeting page shows the result and the minutes' PDF records it."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from chibo.conftest import sign_in
from chibo.meetings import holding
from chibo.meetings.models import Meeting
from chibo.meetings.tests.holding_data import approved_minutes
from chibo.voices.consultations import Consultation, Stance, Statement

pytestmark = pytest.mark.browser
QUESTION = "Chi bộ nên ưu tiên việc gì để chống ngập khu 3?"
STATEMENTS = ["Nạo vét cống dọc đường khu 3 trước mùa mưa.", "Mỗi hộ góp một ngày công."]
OWN = "Lắp lưới chắn rác ở miệng cống."


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def counts(language: str, agree: int, disagree: int, passed: int, pdf: bool = False) -> str:
    """A statement's counts as the page (or the minutes) words them, in `language`."""
    said = (
        "agree %(agree)s, disagree %(disagree)s, pass %(passed)s"
        if pdf
        else "Agree %(agree)s · disagree %(disagree)s · pass %(passed)s"
    )
    with translation.override(language):
        return translation.gettext(said) % {"agree": agree, "disagree": disagree, "passed": passed}


def participants(language: str, members: int, citizens: int) -> str:
    n = members + citizens
    with translation.override(language):
        said = translation.ngettext(
            "%(n)s participant (%(members)s members, %(citizens)s citizens).",
            "%(n)s participants (%(members)s members, %(citizens)s citizens).",
            n,
        )
    return said % {"n": n, "members": members, "citizens": citizens}


def test_a_consultation_from_its_opening_to_the_minutes(world, page, time_machine):
    today = timezone.localdate()
    starts_at = timezone.make_aware(datetime.combine(today + timedelta(days=4), time(19, 30)))
    meeting = Meeting.objects.create(
        cell=world.cell,
        kind=Meeting.Kind.REGULAR,
        starts_at=starts_at,
        place="Nhà văn hóa khu 1",
        status=Meeting.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    meeting.add_official_agenda()
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in(page, "son")
    page.goto(reverse("meetings:meeting", args=[meeting.code]))
    page.click(f"a[href='{reverse('voices:consult_open', args=[meeting.code])}']")
    page.fill("input[name=question]", QUESTION)
    page.fill("textarea[name=statements]", "\n".join(STATEMENTS))
    page.check("input[name=open_to_citizens]")
    fits(page)
    page.click("main form button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.closes_on == today + timedelta(days=3)
    first, second = consultation.statements.order_by("pk")

    page.context.clear_cookies()
    sign_in(page, "mai")
    page.goto(reverse("meetings:meeting", args=[meeting.code]))
    page.click(f"a[href='{reverse('voices:consultation', args=[consultation.code])}']")
    page.click(f"#s-{first.code} button[value=agree]")
    expect(page.locator(".messages")).to_be_visible()
    page.click(f"#s-{second.code} button[value=pass]")
    expect(page.locator(f"#s-{second.code} button")).to_have_count(0)
    page.fill("textarea[name=text]", OWN)
    page.click("form[action$='/add/'] button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    fits(page)
    own = Statement.objects.get(text=OWN)
    assert own.moderation == "waiting"

    page.context.clear_cookies()
    sign_in(page, "son")
    page.goto(reverse("voices:consultation", args=[consultation.code]))
    page.click(f"#w-{own.code} form[action$='/accept/'] button")
    expect(page.locator(f"#s-{own.code}")).to_be_visible()
    fits(page)

    page.context.clear_cookies()
    page.goto(reverse("voices:door", args=[world.cell.code]))
    door = reverse("voices:door_consult", args=[world.cell.code, consultation.code])
    page.click(f"a[href='{door}']")
    page.click(f"#s-{first.code} button[value=disagree]")
    expect(page.locator(f"#s-{first.code} button")).to_have_count(0)
    page.click(f"#s-{own.code} button[value=agree]")
    expect(page.locator(f"#s-{own.code} button")).to_have_count(0)
    fits(page)
    assert Stance.objects.filter(member__isnull=True).count() == 2

    # The day of the meeting: the consultation closed the evening before.
    time_machine.move_to(starts_at - timedelta(hours=2))
    page.context.clear_cookies()
    sign_in(page, "son")
    page.goto(reverse("meetings:meeting", args=[meeting.code]))
    # Each statement's counts, exactly: the member agreed with the first and passed the
    # second; the citizen disagreed with the first and agreed with the member's own.
    expected = {first: (1, 1, 0), second: (0, 0, 1), own: (1, 0, 0)}
    language = page.locator("html").get_attribute("lang")
    panel = page.locator("#consultation")
    expect(panel).to_contain_text(QUESTION)
    expect(panel).to_contain_text(participants(language, members=1, citizens=1))
    fits(page)
    panel.get_by_role("link", name=QUESTION).click()
    page.wait_for_url(f"**{reverse('voices:consultation', args=[consultation.code])}")
    expect(page.locator("section.statement")).to_have_count(3)
    for statement, (agree, disagree, passed) in expected.items():
        line = page.locator(f"#s-{statement.code}")
        expect(line.locator("p").first).to_have_text(statement.text)
        expect(line.locator("p.help")).to_have_text(counts(language, agree, disagree, passed))
    fits(page)

    holding.open_meeting(meeting, now=starts_at)
    minutes = approved_minutes(meeting)
    response = page.request.get(reverse("meetings:minutes_pdf", args=[meeting.code, 1]))
    assert response.ok, response.status
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert QUESTION in text and OWN in text, text
    for statement, numbers in expected.items():
        said = f"– {statement.text}: {counts(world.cell.language, *numbers, pdf=True)}."
        assert said in text, (said, text)
    assert minutes.version == 1
