"""The score page of a meeting (rule 13) per persona, and the grade in the minutes (rule 11)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from chibo.meetings.tests.holding_data import (
    ENGLISH,
    approved_minutes,
    count_queries,
    opened,
    present,
)
from chibo.meetings.tests.holding_data import url as meeting_url
from chibo.meetings.tests.test_attending import plan
from chibo.meetings.tests.test_budgets import held as held_with_records
from chibo.meetings.tests.test_pdf import text_of
from chibo.quality.models import MeetingScore
from chibo.quality.scoring import save_score
from chibo.supervision.models import Report

Role = MeetingScore.Role
# The PDF in the reader's language: the official one is in the cell's working language.
READERS_OWN = {"language": "en"}
FULL = dict(settings.CHIBO_MEETING_CRITERIA)


@pytest.fixture
def meeting(world):
    """The cell's meeting under way, both its members present: attendance takes 4 or 5."""
    meeting = opened(world.cell)
    present(meeting, "Nguyễn Thị Mai", "Trần Văn Sơn")
    return meeting


def url(meeting, role: str = "") -> str:
    address = reverse("quality:score", args=[meeting.code])
    return f"{address}?role={role}" if role else address


def form(role: str, points: dict | None = None, **texts) -> dict:
    return {"role": role, **(FULL if points is None else points), "note": "", **texts}


def post(world, persona: str, meeting, data: dict):
    return world.client(persona).post(url(meeting), data, headers=ENGLISH)


def scores(meeting) -> dict[str, MeetingScore]:
    return {s.role: s for s in MeetingScore.objects.filter(meeting=meeting)}


def test_it_sends_anonymous_visitors_to_sign_in(meeting):
    response = Client().get(url(meeting))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_hides_the_meeting_from_outsiders(world, meeting):
    assert world.client("outsider").get(url(meeting)).status_code == 404
    assert post(world, "outsider", meeting, form(Role.CELL)).status_code == 404
    assert not scores(meeting)


def test_it_lets_members_read_but_not_score(world, meeting):
    page = world.client("member").get(url(meeting), headers=ENGLISH)
    assert page.status_code == 200
    assert "What the records say" in page.content.decode()
    assert "score-form" not in page.content.decode()
    assert post(world, "member", meeting, form(Role.CELL)).status_code == 403
    assert not scores(meeting)


def test_it_refuses_other_methods(world, meeting):
    assert world.client("secretary").put(url(meeting)).status_code == 405


def test_it_shows_the_facts_and_suggests_the_points(world, meeting):
    page = world.client("secretary").get(url(meeting), headers=ENGLISH)
    text = page.content.decode()
    for expected in [
        "90 minutes planned, at least 90",
        "2 of 2 present (100%)",
        "Attendance takes 4 to 5 points.",
        "0 comments",
        "not recorded in the minutes",
        "No tasks from an earlier resolution.",
        "Your score: the cell&#x27;s self-score",
    ]:
        assert expected in text, expected
    form_ = page.context["form"]
    assert form_["attendance"].value() == 5
    assert form_["results"].value() == 30


def test_it_saves_the_cells_self_score(world, meeting):
    response = post(world, "secretary", meeting, form(Role.CELL, note="Chi bộ tự chấm"))
    assert response.status_code == 302
    cell = scores(meeting)[Role.CELL]
    assert (cell.total, cell.grade, cell.note) == (100, "good", "Chi bộ tự chấm")
    assert cell.by == world.secretary.member
    page = world.client("secretary").get(response["Location"], headers=ENGLISH)
    assert "Grade: Good (100/100), the cell&#x27;s self-score (Trần Văn Sơn)." in (
        page.content.decode()
    )
    # Opened again, the form holds their own points, not the suggestion.
    assert page.context["form"]["note"].value() == "Chi bộ tự chấm"


def test_it_lets_the_cell_revise_until_the_committee_decides(world, meeting):
    post(world, "secretary", meeting, form(Role.CELL))
    lower = {**FULL, "conduct": 20}
    assert post(world, "secretary", meeting, form(Role.CELL, lower)).status_code == 302
    assert scores(meeting)[Role.CELL].total == 80


def test_it_files_the_supervisors_score_with_their_report(world, meeting):
    data = form(Role.SUPERVISOR, went_well="Đông đủ", to_fix="Phát biểu còn ít")
    assert post(world, "supervisor", meeting, data).status_code == 302
    assert scores(meeting)[Role.SUPERVISOR].by == world.supervisor.member
    report = Report.objects.get(meeting=meeting, supervisor=world.supervisor.member)
    assert (report.went_well, report.to_fix) == ("Đông đủ", "Phát biểu còn ít")
    page = world.client("supervisor").get(url(meeting, Role.SUPERVISOR))
    assert page.context["form"]["to_fix"].value() == "Phát biểu còn ít"


def test_it_asks_the_supervisor_for_their_report(world, meeting):
    response = post(world, "supervisor", meeting, form(Role.SUPERVISOR, to_fix="Ít phát biểu"))
    assert response.status_code == 200
    assert "Say what went well" in response.content.decode()
    assert not scores(meeting) and not Report.objects.exists()


def test_it_refuses_a_role_the_user_does_not_hold(world, meeting):
    data = form(Role.SUPERVISOR, went_well="Tốt", to_fix="Không")
    response = post(world, "committee", meeting, data)
    assert response.status_code == 200
    assert "You do not supervise this cell" in response.content.decode()
    assert not scores(meeting) and not Report.objects.exists()


def test_it_lets_the_committee_decide_after_the_cell(world, meeting):
    early = post(world, "committee", meeting, form(Role.COMMITTEE))
    assert early.status_code == 200
    assert "The committee decides after the cell has scored its meeting." in early.content.decode()
    assert not scores(meeting)

    post(world, "secretary", meeting, form(Role.CELL))
    decision = {**FULL, "conduct": 30}
    assert post(world, "committee", meeting, form(Role.COMMITTEE, decision)).status_code == 302
    assert scores(meeting)[Role.COMMITTEE].total == 90
    page = world.client("member").get(url(meeting), headers=ENGLISH)
    assert page.context["standing"].role == Role.COMMITTEE
    # 90 without full marks on conduct: "Fair" (rule 11).
    assert "Grade: Fair (90/100), the superior committee&#x27;s decision (Phạm Quốc Cường)." in (
        page.content.decode()
    )


def test_it_refuses_a_second_decision_and_any_change_after_it(world, meeting):
    save_score(meeting, Role.CELL, FULL, world.secretary.member)
    save_score(meeting, Role.COMMITTEE, FULL, world.committee.member)
    for persona, role in [("committee", Role.COMMITTEE), ("secretary", Role.CELL)]:
        response = post(world, persona, meeting, form(role, {**FULL, "conduct": 10}))
        assert response.status_code == 200
        assert "it can no longer change" in response.content.decode()
    assert {s.total for s in scores(meeting).values()} == {100}
    page = world.client("committee").get(url(meeting), headers=ENGLISH)
    assert not page.context["show_form"]
    assert "it can no longer change" in page.content.decode()


@pytest.mark.parametrize(
    "points, field, message",
    [
        ({**FULL, "attendance": 2}, "attendance", "Attendance takes 4 to 5 points."),
        ({**FULL, "conduct": 41}, "conduct", "takes 0 to 40 points."),
        ({**FULL, "results": -1}, "results", "takes 0 to 30 points."),
        ({**FULL, "closing": "five"}, "closing", "Enter a whole number."),
        ({k: v for k, v in FULL.items() if k != "duration"}, "duration", "required"),
    ],
)
def test_it_refuses_points_out_of_band_and_saves_nothing(world, meeting, points, field, message):
    response = post(world, "secretary", meeting, form(Role.CELL, points))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not scores(meeting)


def test_it_scores_only_a_meeting_that_was_held(world):
    coming = plan(world.cell)
    response = post(world, "secretary", coming, form(Role.CELL))
    assert response.status_code == 200
    assert "A meeting is scored once it has been held." in response.content.decode()
    assert not scores(coming)
    page = world.client("secretary").get(url(coming), headers=ENGLISH)
    assert "score-form" not in page.content.decode()


def test_it_lets_an_administrator_score_in_both_roles(world, meeting):
    page = world.client("admin").get(url(meeting, Role.COMMITTEE), headers=ENGLISH)
    assert page.context["role"] == Role.COMMITTEE
    assert [r.value for r in page.context["other_roles"]] == [Role.CELL]
    assert post(world, "admin", meeting, form(Role.CELL)).status_code == 302
    assert scores(meeting)[Role.CELL].by is None


def test_it_links_the_score_from_the_holding_screen(world, meeting):
    hold = world.client("secretary").get(meeting_url(meeting, "hold"), headers=ENGLISH)
    assert url(meeting) in hold.content.decode()


def test_it_writes_the_grade_in_the_minutes(world, meeting):
    minutes = approved_minutes(meeting)
    version = meeting_url(meeting, "minutes_version", minutes.version)
    client = world.client("secretary")
    assert "Grade:" not in client.get(version, headers=ENGLISH).content.decode()
    save_score(meeting, Role.CELL, {**FULL, "conduct": 35}, world.secretary.member)
    line = "Grade: Fair (95/100), the cell&#x27;s self-score (Trần Văn Sơn)."
    assert line in client.get(version, headers=ENGLISH).content.decode()
    assert line in client.get(meeting_url(meeting, "minutes"), headers=ENGLISH).content.decode()
    pdf = client.get(
        meeting_url(meeting, "minutes_pdf", minutes.version), READERS_OWN, headers=ENGLISH
    )
    assert "Grade: Fair (95/100), the cell's self-score (Trần Văn Sơn)." in text_of(pdf.content)


def test_it_writes_the_committees_decision_in_the_pdf(world, meeting):
    minutes = approved_minutes(meeting)
    save_score(meeting, Role.CELL, {**FULL, "conduct": 35}, world.secretary.member)
    save_score(meeting, Role.COMMITTEE, FULL, world.committee.member)
    pdf = world.client("secretary").get(
        meeting_url(meeting, "minutes_pdf", minutes.version), READERS_OWN, headers=ENGLISH
    )
    text = text_of(pdf.content)
    assert "Grade: Good (100/100), the superior committee's decision (Phạm Quốc Cường)." in text


@pytest.mark.parametrize("persona", ["secretary", "supervisor", "committee"])
def test_it_keeps_the_score_page_within_a_fixed_budget(world, persona):
    """Measured as each who scores: the cell, its supervisor, the committee above."""
    client = world.client(persona)
    small = held_with_records(world.cell, members=2, tasks=1)
    save_score(small, Role.CELL, {**FULL, "attendance": 4}, None)
    few = count_queries(client, url(small))
    # Before the small one, so that neither follows up on the other's tasks (rule 6).
    big = held_with_records(world.cell, members=40, tasks=12, days=1, name="Thành viên")
    save_score(big, Role.CELL, {**FULL, "attendance": 4}, None)
    assert count_queries(client, url(big)) == few
    assert few <= 25
