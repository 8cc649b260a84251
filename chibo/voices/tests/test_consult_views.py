"""The pages of a consultation: the secretary opens it from the meeting, members answer and
add statements, handlers review them, citizens answer through the public door (a token in a
signed cookie, the door's limits per address, its honeypot). Each page guarded, its bad input
answered with a message and nothing changed, and its query budget measured as its persona."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from chibo.meetings.tests.holding_data import count_queries, messages_in
from chibo.voices import consulting
from chibo.voices.consultations import Consultation, Stance, Statement
from chibo.voices.tests.consult_data import CLOSES, OPENS, QUESTION, meeting, members, opened
from chibo.voices.tests.voices_data import clock, scope, url

pytestmark = [clock, pytest.mark.usefixtures("english")]
BUDGET = 20


def citizen(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def first(consultation) -> Statement:
    return consultation.statements.order_by("pk").first()


# -- opening ---------------------------------------------------------------------------------


def test_the_secretary_opens_a_consultation_from_the_meeting_page(world):
    found = meeting(world)
    client = world.client("secretary")
    page = client.get(reverse("meetings:meeting", args=[found.code])).content.decode()
    assert url("consult_open", found.code) in page
    form = client.get(url("consult_open", found.code))
    assert form.context["form"]["closes_on"].value().isoformat() == "2026-12-19"
    response = client.post(
        url("consult_open", found.code),
        {
            "question": QUESTION,
            "statements": "Sửa đường khu 3.\r\nLàm rãnh ngõ 5.\r\n",
            "opens_on": OPENS.isoformat(),
            "closes_on": CLOSES.isoformat(),
            "open_to_citizens": "on",
        },
        follow=True,
    )
    consultation = Consultation.objects.get()
    assert response.redirect_chain[-1][0] == url("consultation", consultation.code)
    assert consultation.statements.count() == 2 and consultation.open_to_citizens
    page = client.get(reverse("meetings:meeting", args=[found.code])).content.decode()
    assert QUESTION in page and url("consult_open", found.code) not in page


def test_a_bad_opening_is_shown_and_nothing_stored(world):
    found = meeting(world)
    response = world.client("secretary").post(
        url("consult_open", found.code),
        {
            "question": QUESTION,
            "statements": "Một",
            "opens_on": "2026-12-15",
            "closes_on": "2026-12-25",
        },
    )
    assert (
        response.status_code == 200 and "before the day of the meeting" in response.content.decode()
    )
    assert not Consultation.objects.exists()


def test_only_those_who_prepare_may_open_one(world):
    found = meeting(world)
    assert world.client("member").get(url("consult_open", found.code)).status_code == 403
    assert world.client("outsider").get(url("consult_open", found.code)).status_code == 404


# -- members ---------------------------------------------------------------------------------


def test_a_member_answers_adds_a_statement_and_sees_the_result_after_answering(world):
    consultation = opened(world)
    client = world.client("member")
    page = client.get(url("consultation", consultation.code)).content.decode()
    assert QUESTION in page and 'value="agree"' in page and "participants" not in page
    for statement in consultation.statements.all():
        response = client.post(
            url("consult_stance", consultation.code),
            {"statement": statement.code, "choice": "agree"},
            follow=True,
        )
        assert "Your answer is counted." in messages_in(response)
    twice = client.post(
        url("consult_stance", consultation.code),
        {"statement": first(consultation).code, "choice": "disagree"},
        follow=True,
    )
    assert "answered this statement already" in messages_in(twice)
    assert set(Stance.objects.values_list("choice", flat=True)) == {"agree"}
    page = twice.content.decode()
    assert "1 participant (1 members, 0 citizens)." in page and 'value="agree"' not in page
    added = client.post(
        url("consult_add", consultation.code), {"text": "Lắp đèn ngõ 5"}, follow=True
    )
    assert "once the cell reviews it" in messages_in(added)
    assert Statement.objects.filter(text="Lắp đèn ngõ 5", moderation="waiting").exists()


def test_a_too_long_statement_is_refused_and_nothing_stored(world):
    consultation = opened(world)
    response = world.client("member").post(
        url("consult_add", consultation.code), {"text": "x" * 281}
    )
    assert response.status_code == 200 and "Keep it within 280" in response.content.decode()
    assert consultation.statements.count() == 3


def test_another_cells_member_neither_sees_nor_answers(world):
    consultation = opened(world)
    client = world.client("outsider")
    assert client.get(url("consultation", consultation.code)).status_code == 404
    posted = client.post(
        url("consult_stance", consultation.code),
        {"statement": first(consultation).code, "choice": "agree"},
    )
    assert posted.status_code == 404 and not Stance.objects.exists()


def test_the_supervisor_sees_but_may_not_answer(world):
    consultation = opened(world)
    client = world.client("supervisor")
    assert (
        'value="agree"' not in client.get(url("consultation", consultation.code)).content.decode()
    )
    response = client.post(
        url("consult_stance", consultation.code),
        {"statement": first(consultation).code, "choice": "agree"},
        follow=True,
    )
    assert "Only the members of the cell" in messages_in(response) and not Stance.objects.exists()


def test_the_secretary_reviews_waiting_statements_on_the_page(world):
    consultation = opened(world)
    waiting = consulting.add_statement(consultation, "Lắp đèn ngõ 5", scope=scope(world.member))
    client = world.client("secretary")
    assert "Lắp đèn ngõ 5" in client.get(url("consultation", consultation.code)).content.decode()
    target = url("consult_moderate", consultation.code, waiting.code, "accept")
    assert world.client("member").post(target).status_code == 403
    response = client.post(target, follow=True)
    assert "open to answers" in messages_in(response)
    again = client.post(target, follow=True)
    assert "reviewed already" in messages_in(again)
    waiting.refresh_from_db()
    assert waiting.moderation == "accepted"


def test_the_members_page_keeps_its_budget(world):
    consultation = opened(world)
    users = members(world, 12)  # before the member's browser keeps their reach
    client = world.client("member")
    consulting.take_stance(first(consultation), "agree", scope=scope(world.member))
    few = count_queries(client, url("consultation", consultation.code))
    for i in range(7):
        consulting.add_statement(consultation, f"Ý kiến {i}", scope=scope(users[i]))
    for statement in consultation.statements.all():
        if statement.moderation == "waiting":
            consulting.moderate(statement, True, scope(world.secretary))
        for user in users:
            consulting.take_stance(statement, "pass", scope=scope(user))
    assert count_queries(client, url("consultation", consultation.code)) == few
    assert few <= BUDGET


def test_the_secretarys_page_keeps_its_budget(world):
    consultation = opened(world)
    client = world.client("secretary")
    consulting.add_statement(consultation, "Ý kiến", scope=scope(world.member))
    few = count_queries(client, url("consultation", consultation.code))
    for i in range(10):
        consulting.add_statement(consultation, f"Ý kiến {i}", citizen=f"t{i}")
    assert count_queries(client, url("consultation", consultation.code)) == few
    assert few <= BUDGET


def test_the_meeting_page_with_its_result_keeps_its_budget(world, time_machine):
    consultation = opened(world)
    client = world.client("member")
    consulting.take_stance(first(consultation), "agree", scope=scope(world.member))
    target = reverse("meetings:meeting", args=[consultation.meeting.code])
    time_machine.move_to(consultation.meeting.starts_at - timedelta(hours=20), tick=False)
    # The first page of the new day reads the member's reach again, as for anyone.
    assert "1 participant (1 members, 0 citizens)." in client.get(target).content.decode()
    few = count_queries(client, target)
    for i in range(10):
        for statement in consultation.statements.all():
            Stance.objects.create(
                statement=statement, citizen=f"c{i}", choice="agree", at=consultation.created_at
            )
    assert count_queries(client, target) == few
    page = client.get(target).content.decode()
    assert "broad agreement" in page.lower()
    # Each statement with its counts: hers and ten citizens' on the first, theirs on the rest.
    lines = consultation.statements.order_by("pk")
    panel = page[page.index('id="consultation"') :]
    panel = panel[panel.index('<ul class="documents">') :]
    for statement in lines:
        agree = 11 if statement == first(consultation) else 10
        said = panel[panel.index(statement.text) :]
        assert said.index(f"Agree {agree} · disagree 0 · pass 0") < said.index("</li>")


# -- citizens --------------------------------------------------------------------------------


def test_a_citizen_answers_through_the_door_once_per_statement(world):
    consultation = opened(world)
    door_page = url("door", world.cell.code)
    browser = citizen()
    assert QUESTION in browser.get(door_page).content.decode()
    target = url("door_consult", world.cell.code, consultation.code)
    statement = first(consultation)
    response = browser.post(
        target, {"action": "stance", "statement": statement.code, "choice": "agree"}, follow=True
    )
    assert "Your answer is counted." in messages_in(response)
    again = browser.post(
        target, {"action": "stance", "statement": statement.code, "choice": "disagree"}, follow=True
    )
    assert "answered this statement already" in messages_in(again)
    assert list(Stance.objects.values_list("choice", flat=True)) == ["agree"]
    # Another phone is another participant.
    citizen("203.0.113.8").post(
        target, {"action": "stance", "statement": statement.code, "choice": "pass"}
    )
    assert Stance.objects.filter(member__isnull=True).values("citizen").distinct().count() == 2


def test_a_citizen_adds_a_statement_and_a_robot_is_answered_as_if_it_had(world):
    consultation = opened(world)
    target = url("door_consult", world.cell.code, consultation.code)
    added = citizen().post(target, {"action": "add", "text": "Dọn rác chợ mỗi tối"}, follow=True)
    assert "once the cell reviews it" in messages_in(added)
    robot = citizen("198.51.100.9").post(
        target, {"action": "add", "text": "Vay tiền nhanh", "homepage": "http://x"}, follow=True
    )
    assert "once the cell reviews it" in messages_in(robot)
    assert list(Statement.objects.filter(by_citizen=True).values_list("text", flat=True)) == [
        "Dọn rác chợ mỗi tối"
    ]


def test_the_door_is_closed_to_a_members_only_consultation_and_after_the_window(
    world, time_machine
):
    members_only = opened(world, citizens=False)
    assert citizen().get(url("door_consult", world.cell.code, members_only.code)).status_code == 404
    consultation = opened(world, on=meeting(world))
    target = url("door_consult", world.cell.code, consultation.code)
    time_machine.move_to(consultation.meeting.starts_at - timedelta(hours=10), tick=False)
    response = citizen().post(
        target,
        {"action": "stance", "statement": first(consultation).code, "choice": "agree"},
        follow=True,
    )
    assert "The consultation is closed" in messages_in(response) and not Stance.objects.exists()


def test_the_door_limits_each_address(world, settings):
    settings.CHIBO_DOOR_LIMITS = {**settings.CHIBO_DOOR_LIMITS, "consult": 2}
    consultation = opened(world)
    target = url("door_consult", world.cell.code, consultation.code)
    statements = list(consultation.statements.order_by("pk"))
    browser = citizen()
    for statement in statements[:2]:
        browser.post(target, {"action": "stance", "statement": statement.code, "choice": "agree"})
    refused = browser.post(
        target, {"action": "stance", "statement": statements[2].code, "choice": "agree"}
    )
    assert refused.status_code == 429 and "Too many attempts" in messages_in(refused)
    assert Stance.objects.count() == 2


def test_the_door_page_keeps_its_budget(world):
    consultation = opened(world)
    browser = citizen()
    target = url("door_consult", world.cell.code, consultation.code)
    browser.post(
        target, {"action": "stance", "statement": first(consultation).code, "choice": "agree"}
    )
    few = count_queries(browser, target)
    for i in range(6):
        statement = consulting.add_statement(consultation, f"Ý kiến {i}", citizen=f"t{i}")
        consulting.moderate(statement, True, scope(world.secretary))
        for j in range(5):
            consulting.take_stance(statement, "agree", citizen=f"u{j}")
    assert count_queries(browser, target) == few
    assert few <= 10


# -- the records -----------------------------------------------------------------------------


def test_the_secretary_marks_a_resolution_as_touching_the_people(world):
    found = meeting(world)
    Meeting = type(found)
    Meeting.objects.filter(pk=found.pk).update(status=Meeting.Status.OPEN)
    client = world.client("secretary")
    page = client.get(reverse("meetings:resolution", args=[found.code]))
    assert 'name="touches_people"' in page.content.decode()
    form = page.context["task_forms"]
    data = {
        "assessment": "Hoàn thành",
        "assignment": "Bí thư",
        "quality": "Tốt",
        "touches_people": "on",
        **{f"{form.prefix}-{k}": v for k, v in form.management_form.initial.items()},
    }
    client.post(reverse("meetings:resolution", args=[found.code]), data)
    assert found.resolutions.get().touches_people


def test_the_resolution_and_the_minutes_say_the_people_were_consulted(world, time_machine):
    from chibo.meetings import holding, pdf
    from chibo.meetings.tests.holding_data import approved_minutes, draft
    from chibo.meetings.tests.test_pdf import text_of

    consultation = opened(world)
    statement = first(consultation)
    for i in range(4):
        consulting.take_stance(statement, "agree", citizen=f"c{i}")
    consulting.take_stance(statement, "disagree", scope=scope(world.member))
    found = consultation.meeting
    other = meeting(world)
    time_machine.move_to(found.starts_at, tick=False)
    for held in (found, other):
        resolution = draft(held)
        resolution.touches_people = True
        resolution.save()
    consulted = text_of(pdf.resolution_pdf(found.resolutions.get(), "en"))
    assert "The people were consulted from 15/12/2026 to 18/12/2026" in consulted
    assert "5 participants" in consulted and "Members: 1; citizens: 4." in consulted
    assert "were not consulted" in text_of(pdf.resolution_pdf(other.resolutions.get(), "en"))
    holding.open_meeting(found, now=found.starts_at)
    minutes = text_of(pdf.minutes_pdf(approved_minutes(found), "en"))
    assert "Consultation of the people" in minutes
    assert f"{statement.text}: agree 4, disagree 1, pass 0 (broad agreement)." in minutes


def test_the_poster_is_for_those_who_review_and_keeps_its_budget(world):
    consultation = opened(world)
    target = url("consult_poster", consultation.code)
    assert world.client("member").get(target).status_code == 403
    client = world.client("secretary")
    page = client.get(target).content.decode()
    assert "<svg" in page and url("door_consult", world.cell.code, consultation.code) in page
    assert count_queries(client, target) <= 8
    members_only = opened(world, citizens=False, on=meeting(world))
    assert client.get(url("consult_poster", members_only.code)).status_code == 403


def test_a_statement_typed_on_two_lines_is_kept_on_one_and_markup_stays_text(world):
    consultation = opened(world)
    client = world.client("member")
    client.post(url("consult_add", consultation.code), {"text": "Lắp đèn\r\nngõ <b>5</b>"})
    assert Statement.objects.filter(text="Lắp đèn ngõ <b>5</b>").exists()
    page = world.client("secretary").get(url("consultation", consultation.code)).content.decode()
    assert "ngõ &lt;b&gt;5&lt;/b&gt;" in page and "<b>5</b>" not in page
