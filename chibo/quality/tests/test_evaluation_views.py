"""The evaluation chain of rule 17, per persona: the city opens a round; Mai self-assesses; Sơn,
her secretary, comments; Vũ, on the ward's committee, appraises; Cường, on the city's standing
committee, decides. Each step tells the next person; what the rules refuse changes nothing;
the trail verifies and shows tampering; every list keeps its query budget."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from chibo.conftest import make_member
from chibo.meetings.tests.holding_data import ENGLISH, count_queries
from chibo.notify.mail import notification_message
from chibo.notify.models import Notification
from chibo.orgs.models import Member, Position
from chibo.quality.evaluation.process import open_round, take_step
from chibo.quality.models import Evaluation, EvaluationEvent, EvaluationRound
from chibo.quality.models.evaluation import verify
from chibo.quality.tests.evaluation_data import YEAR

Step = Evaluation.Step
Kind = Notification.Kind
MAI, SON, VU, CUONG = "Nguyễn Thị Mai", "Trần Văn Sơn", "Lê Văn Vũ", "Phạm Quốc Cường"
# The same round as the form posts it: a year's dates come from the year.
POSTED = {**YEAR, "quarter": "", "starts_on": "", "ends_on": ""}
SELF = {
    "strengths": "Gương mẫu, đoàn kết",
    "shortcomings": "Đôi khi chậm báo cáo",
    "results": "Hoàn thành các nhiệm vụ được giao",
    "leadership": "Chi bộ hoàn thành nhiệm vụ",
    "tasks_exceeding": 0,
    "self_score": 85,
    "self_grade": "good",
}
COMMENT = {"comment": "Chi bộ nhất trí với bản tự kiểm điểm"}
APPRAISAL = {"appraisal": "Đảng ủy nhất trí", "appraised_score": 85, "appraised_grade": "good"}
DECISION = {"score": 85, "grade": "good", "quota_reason": ""}
EXCELLENT = {"shortcomings_fixed": "on", "self_score": 95, "self_grade": "excellent"}
# Who takes each step of Mai's evaluation, and what they post.
CHAIN = [
    ("member", "self-assessment", SELF),
    ("secretary", "comment", COMMENT),
    ("supervisor", "appraisal", APPRAISAL),
    ("committee", "decision", DECISION),
]


def member(name: str) -> Member:
    return Member.objects.get(full_name=name)


def seat_the_chain(world) -> None:
    """Vũ joins the ward's committee; Cường, already on the city's, its standing committee."""
    started = date(2020, 1, 1)
    Position.objects.create(
        member=member(VU), organisation=world.ward, kind=Position.Kind.COMMITTEE, started_on=started
    )
    Position.objects.create(
        member=member(CUONG),
        organisation=world.city,
        kind=Position.Kind.STANDING,
        started_on=started,
    )


@pytest.fixture
def chain(world):
    seat_the_chain(world)
    world.round = open_round(world.city, world.committee, **YEAR)
    return world


def evaluation_of(name: str) -> Evaluation:
    return Evaluation.objects.select_related("round", "member", "cell", "grassroots").get(
        member__full_name=name
    )


def url(evaluation: Evaluation, step: str | None = None) -> str:
    if step is None:
        return reverse("quality:evaluation", args=[evaluation.code])
    return reverse("quality:evaluation_step", args=[evaluation.code, step])


def post(world, persona: str, evaluation: Evaluation, step: str, data: dict):
    return world.client(persona).post(url(evaluation, step), data, headers=ENGLISH)


def walk(world, evaluation: Evaluation, steps=CHAIN, **changes) -> None:
    """Take the steps through the pages, each by its persona; `changes` alter what is posted."""
    for persona, step, data in steps:
        response = post(world, persona, evaluation, step, {**data, **changes.get(step, {})})
        assert response.status_code == 302, response.content.decode()


def state(evaluation: Evaluation) -> tuple:
    """Everything a refused step must leave as it was."""
    return (
        Evaluation.objects.filter(pk=evaluation.pk).values().get(),
        list(EvaluationEvent.objects.filter(evaluation=evaluation).values_list("hash", flat=True)),
        Notification.objects.count(),
    )


def told(user, kind: str, evaluation: Evaluation) -> bool:
    return Notification.objects.filter(recipient=user, kind=kind, evaluation=evaluation).exists()


# -- opening a round ---------------------------------------------------------------------


def test_it_opens_a_round_for_every_member_and_cell_of_the_subtree(world):
    seat_the_chain(world)
    address = reverse("quality:open_round", args=[world.city.code])
    response = world.client("committee").post(address, POSTED, headers=ENGLISH)
    opened = EvaluationRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:round", args=[opened.code])
    forms = {
        (e.member.full_name if e.member else e.organisation.name): e.form
        for e in Evaluation.objects.select_related("member", "organisation")
    }
    assert forms == {
        MAI: "2a",
        SON: "2b",
        VU: "2b",
        CUONG: "2b",
        world.cell.name: "2c",
        world.sister_cell.name: "2c",
    }
    assert set(Evaluation.objects.values_list("grassroots", flat=True)) == {world.ward.pk}
    assert (opened.starts_on, opened.ends_on) == (date(2025, 1, 1), date(2025, 12, 31))
    for evaluation in Evaluation.objects.all():
        assert verify(evaluation, list(evaluation.events.all())) is None
    mai, cell = evaluation_of(MAI), Evaluation.objects.get(organisation=world.cell)
    assert told(world.member, Kind.EVALUATION_DUE, mai)
    assert told(world.secretary, Kind.EVALUATION_DUE, cell)
    assert not Notification.objects.filter(recipient=world.outsider).exists()


def test_it_refuses_a_second_round_over_the_same_period(chain):
    address = reverse("quality:open_round", args=[chain.ward.code])
    data = {**POSTED, "title": "Lần hai"}
    response = chain.client("supervisor").post(address, data, headers=ENGLISH)
    assert response.status_code == 200
    assert "already evaluates this period" in response.content.decode()
    assert EvaluationRound.objects.count() == 1
    assert Evaluation.objects.count() == 6


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"period": "ad_hoc"}, "Give the first and the last day of the period."),
        ({"period": "quarter"}, "Choose the quarter, from 1 to 4."),
        ({"deadline": "2024-12-31"}, "The deadline comes after the period starts."),
    ],
)
def test_it_refuses_a_round_with_no_clear_period(chain, changes, error):
    address = reverse("quality:open_round", args=[chain.ward.code])
    data = {**POSTED, "title": "Quý", "year": 2026, **changes}
    response = chain.client("supervisor").post(address, data, headers=ENGLISH)
    assert error in response.content.decode()
    assert EvaluationRound.objects.count() == 1


def test_a_quarter_has_its_own_days(chain):
    address = reverse("quality:open_round", args=[chain.ward.code])
    data = {**POSTED, "title": "Quý 2", "period": "quarter", "quarter": "2"}
    assert chain.client("supervisor").post(address, data).status_code == 302
    quarter = EvaluationRound.objects.get(period="quarter")
    assert (quarter.starts_on, quarter.ends_on) == (date(2025, 4, 1), date(2025, 6, 30))
    assert quarter.evaluations.count() == 6


def test_only_a_committee_opens_a_round(world):
    # A cell's address is no committee's, even to its secretary (`get_committee_for_user`).
    for persona, org, status in [
        ("secretary", world.cell, 404),
        ("member", world.ward, 404),
        ("outsider", world.city, 404),
    ]:
        address = reverse("quality:open_round", args=[org.code])
        assert world.client(persona).post(address, POSTED).status_code == status
    response = Client().get(reverse("quality:open_round", args=[world.city.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not EvaluationRound.objects.exists()


# -- the chain ---------------------------------------------------------------------------


def test_the_chain_runs_from_self_assessment_to_a_locked_decision(chain):
    mai = evaluation_of(MAI)
    page = chain.client("member").get(url(mai), headers=ENGLISH).content.decode()
    assert 'name="strengths"' in page and 'name="leadership"' not in page
    expected = [
        (Kind.EVALUATION_COMMENT, "secretary", Step.SELF_ASSESSED),
        (Kind.EVALUATION_APPRAISE, "supervisor", Step.COMMENTED),
        (Kind.EVALUATION_DECIDE, "committee", Step.APPRAISED),
        (Kind.EVALUATION_DECIDED, "member", Step.DECIDED),
    ]
    for (persona, step, data), (kind, next_persona, status) in zip(CHAIN, expected, strict=True):
        assert post(chain, persona, mai, step, data).status_code == 302
        mai.refresh_from_db()
        assert mai.status == status
        assert told(getattr(chain, next_persona), kind, mai)
    assert (mai.grade, mai.score, mai.locked) == ("good", 85, True)
    assert mai.decided_by == member(CUONG) and mai.decided_at is not None
    assert [e.step for e in mai.events.all()] == [s.value for s in Step]
    page = chain.client("member").get(url(mai), headers=ENGLISH).content.decode()
    assert "Good" in page and "The trail verifies: 5 steps" in page
    assert "step-form" not in page


def test_a_step_may_be_taken_again_until_the_next_one_is(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai, CHAIN[:1])
    walk(chain, mai, CHAIN[:1], **{"self-assessment": {"self_score": 80}})
    mai.refresh_from_db()
    assert mai.self_score == 80 and mai.events.count() == 3
    # The secretary is told once.
    assert Notification.objects.filter(kind=Kind.EVALUATION_COMMENT).count() == 1
    walk(chain, mai, CHAIN[1:2])
    response = post(chain, "member", mai, "self-assessment", SELF)
    assert "This step is over" in response.content.decode()


def test_a_leader_reports_on_what_they_lead(chain):
    son = evaluation_of(SON)
    page = chain.client("secretary").get(url(son), headers=ENGLISH).content.decode()
    assert "Form 2B" in page and 'name="leadership"' in page


def test_the_cell_self_assesses_on_form_2c_from_what_its_year_suggests(chain):
    cell = Evaluation.objects.select_related("cell", "grassroots").get(organisation=chain.cell)
    page = chain.client("secretary").get(url(cell), headers=ENGLISH).content.decode()
    assert "Form 2C" in page and "Proposed from the cell's year (rule 20)" in page
    assert post(chain, "secretary", cell, "self-assessment", SELF).status_code == 302
    # Sơn self-assessed the cell, so he cannot also comment on it; with no deputy, the
    # ward's committee is asked to.
    assert post(chain, "secretary", cell, "comment", COMMENT).status_code == 403
    assert told(chain.supervisor, Kind.EVALUATION_COMMENT, cell)
    assert post(chain, "supervisor", cell, "comment", COMMENT).status_code == 302


# -- what is refused ---------------------------------------------------------------------


def test_it_refuses_a_decision_before_the_appraisal(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai, CHAIN[:2])
    before = state(mai)
    response = post(chain, "committee", mai, "decision", DECISION)
    assert response.status_code == 200
    assert "The standing committee decides after the committee&#x27;s appraisal." in (
        response.content.decode()
    )
    assert state(mai) == before


def test_it_refuses_a_second_decision(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai)
    before = state(mai)
    response = post(chain, "committee", mai, "decision", {**DECISION, "grade": "completed"})
    assert "This evaluation has been decided; it can no longer change." in (
        response.content.decode()
    )
    assert state(mai) == before


def test_it_refuses_a_grade_the_facts_do_not_allow(chain):
    mai = evaluation_of(MAI)
    before = state(mai)
    response = post(chain, "member", mai, "self-assessment", {**SELF, "self_grade": "excellent"})
    text = response.content.decode()
    assert "Rule 18: “Excellent” needs a score of at least 90 (it is 85)" in text
    assert state(mai) == before


def test_discipline_found_at_the_appraisal_allows_only_not_completed(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai, CHAIN[:2])
    before = state(mai)
    response = post(chain, "supervisor", mai, "appraisal", {**APPRAISAL, "disciplined": "on"})
    assert "no discipline during the period" in response.content.decode()
    assert state(mai) == before
    walk(
        chain, mai, CHAIN[2:3], appraisal={"disciplined": "on", "appraised_grade": "not_completed"}
    )


def test_an_excellent_grade_beyond_the_quota_needs_a_recorded_reason(chain):
    mai = evaluation_of(MAI)
    excellent = {
        "self-assessment": EXCELLENT,
        "appraisal": {"appraised_score": 95, "appraised_grade": "excellent"},
    }
    walk(chain, mai, CHAIN[:3], **excellent)
    # Nobody in the ward is rated good yet: the quota allows no excellent member.
    page = chain.client("committee").get(url(mai), headers=ENGLISH).content.decode()
    assert "The quota is exceeded by 1" in page
    before = state(mai)
    decision = {"score": 95, "grade": "excellent", "quota_reason": "  "}
    response = post(chain, "committee", mai, "decision", decision)
    assert "Rule 19: Đảng bộ phường Quang Trung would have 1 members rated excellent" in (
        response.content.decode()
    )
    assert state(mai) == before
    reason = "Lập thành tích đột xuất trong phòng chống bão"
    walk(chain, mai, CHAIN[3:], decision={**decision, "quota_reason": reason})
    mai.refresh_from_db()
    assert (mai.grade, mai.quota_reason) == ("excellent", reason)


def test_it_hides_evaluations_from_outsiders(chain):
    mai = evaluation_of(MAI)
    before = state(mai)
    assert chain.client("outsider").get(url(mai)).status_code == 404
    assert post(chain, "outsider", mai, "self-assessment", SELF).status_code == 404
    son = evaluation_of(SON)
    assert chain.client("member").get(url(son)).status_code == 404
    assert state(mai) == before


def test_it_refuses_a_step_to_whoever_may_not_take_it(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai, CHAIN[:1])
    before = state(mai)
    for persona, step, data in [
        ("secretary", "self-assessment", SELF),
        ("member", "comment", COMMENT),
        ("secretary", "decision", DECISION),
        ("supervisor", "decision", DECISION),
    ]:
        assert post(chain, persona, mai, step, data).status_code == 403
    assert state(mai) == before


def test_nobody_takes_two_steps_of_one_evaluation(chain):
    """Cường may appraise, sitting above the ward; then the decision is someone else's."""
    mai = evaluation_of(MAI)
    walk(chain, mai, CHAIN[:2])
    assert post(chain, "committee", mai, "appraisal", APPRAISAL).status_code == 302
    assert post(chain, "committee", mai, "decision", DECISION).status_code == 403
    assert post(chain, "admin", mai, "decision", DECISION).status_code == 302


def test_it_answers_wrong_methods_and_unknown_steps(chain):
    mai = evaluation_of(MAI)
    client = chain.client("member")
    assert client.get(url(mai, "self-assessment")).status_code == 405
    assert client.post(url(mai, "opened"), SELF).status_code == 404
    assert client.post(url(mai)).status_code == 405


# -- the audit trail ---------------------------------------------------------------------


def test_the_trail_verifies_and_shows_tampering(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai)
    mai.refresh_from_db()
    assert verify(mai, list(mai.events.all())) is None
    appraised = mai.events.get(step=Step.APPRAISED)
    EvaluationEvent.objects.filter(pk=appraised.pk).update(
        payload={**appraised.payload, "appraised_score": 99}
    )
    problem = verify(mai, list(mai.events.all()))
    assert (
        problem
        == "Step 4 (appraised by the committee) was altered or removed after it was recorded."
    )
    page = chain.client("member").get(url(mai), headers=ENGLISH).content.decode()
    assert "was altered or removed after it was recorded" in page


def test_a_decision_changed_behind_the_trail_shows(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai)
    Evaluation.objects.filter(pk=mai.pk).update(grade="excellent")
    mai.refresh_from_db()
    assert verify(mai, list(mai.events.all())) == (
        "The evaluation differs from what its trail recorded: grade."
    )


def test_a_removed_event_breaks_the_chain(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai)
    events = [e for e in mai.events.all() if e.step != Step.COMMENTED]
    assert "Step 3" in verify(mai, events)


def test_events_are_append_only(chain):
    event = evaluation_of(MAI).events.get()
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


# -- lists and notifications ---------------------------------------------------------------


def test_the_secretary_lists_the_cells_evaluations_to_comment_on(chain):
    walk(chain, evaluation_of(MAI), CHAIN[:1])
    address = reverse("quality:round_list", args=[chain.round.code, chain.cell.code])
    page = chain.client("secretary").get(f"{address}?status=self_assessed", headers=ENGLISH)
    text = page.content.decode()
    assert MAI in text and SON not in text and "Self-assessed (1)" in text
    assert chain.client("member").get(address).status_code == 403
    assert chain.client("outsider").get(address).status_code == 404
    elsewhere = reverse("quality:round_list", args=[chain.round.code, chain.foreign_cell.code])
    assert chain.client("admin").get(elsewhere).status_code == 404


def test_the_committee_sees_the_quota_per_grassroots_organisation(chain):
    mai = evaluation_of(MAI)
    excellent = {
        "self-assessment": EXCELLENT,
        "appraisal": {"appraised_score": 95, "appraised_grade": "excellent"},
    }
    walk(chain, mai, CHAIN[:3], **excellent)
    address = reverse("quality:round_list", args=[chain.round.code, chain.ward.code])
    text = chain.client("committee").get(address, headers=ENGLISH).content.decode()
    assert "Quota of excellent members (rule 19)" in text
    assert "The quota is exceeded by 1" in text and "to reconsider (rule 19)" in text
    round_page = chain.client("committee").get(
        reverse("quality:round", args=[chain.round.code]), headers=ENGLISH
    )
    assert "Rule 19: 1 excellent, 0 allowed." in round_page.content.decode()


def test_my_evaluations_lists_mine_and_my_cells(chain):
    text = chain.client("secretary").get(reverse("quality:evaluations"), headers=ENGLISH)
    text = text.content.decode()
    assert f"{YEAR['title']}: {SON}" in text and f"{YEAR['title']}: {chain.cell.name}" in text
    assert MAI not in text
    committee = chain.client("committee").get(reverse("quality:evaluations")).content.decode()
    assert reverse("quality:open_round", args=[chain.city.code]) in committee
    assert reverse("quality:round", args=[chain.round.code]) in committee


def test_notifications_say_which_evaluation_and_lead_to_it(chain):
    mai = evaluation_of(MAI)
    walk(chain, mai, CHAIN[:1])
    text = chain.client("secretary").get(reverse("notify:list"), headers=ENGLISH).content.decode()
    assert (
        f"{YEAR['title']}: {MAI} has been self-assessed; the cell&#x27;s comment is awaited."
        in text
    )
    assert f'href="{url(mai)}"' in text
    notification = (
        Notification.objects.with_subjects()
        .select_related("recipient")
        .get(kind=Kind.EVALUATION_COMMENT)
    )
    notification.recipient.language = "en"
    message = notification_message(notification, None)
    assert message.subject == f"Self-assessment to comment on: {MAI}, {YEAR['title']}"
    assert f"http://127.0.0.1:8000{url(mai)}" in message.body
    assert "Open the evaluation in chibo:" in message.body


# -- query budgets -----------------------------------------------------------------------


def test_every_list_costs_the_same_for_2_members_as_for_20(world):
    """The cell has 2 members; its sister cell grows to 20, all of them appraised."""
    seat_the_chain(world)
    small = open_round(world.city, world.committee, **YEAR)
    client = world.client("committee")
    mine = reverse("quality:evaluations")
    before = count_queries(client, mine)
    for i in range(18):
        make_member(world.sister_cell, f"Đảng viên {i:02d}")
    big = open_round(world.city, world.committee, **{**YEAR, "period": "ad_hoc", "title": "B"})
    sister = Evaluation.objects.filter(round=big, cell=world.sister_cell, member__isnull=False)
    for evaluation in sister.exclude(member__full_name=CUONG):
        for step, data in [
            (Step.SELF_ASSESSED, SELF),
            (Step.COMMENTED, COMMENT),
            (Step.APPRAISED, APPRAISAL),
        ]:
            take_step(evaluation, step, world.admin, data)
    assert count_queries(client, mine) == before

    def pages(opened, cell) -> list[str]:
        return [
            reverse("quality:round", args=[opened.code]),
            reverse("quality:round_list", args=[opened.code, world.ward.code]),
            reverse("quality:round_list", args=[opened.code, cell.code]),
            url(Evaluation.objects.get(round=opened, organisation=cell)),
        ]

    for few, many in zip(pages(small, world.cell), pages(big, world.sister_cell), strict=True):
        assert count_queries(client, few) == count_queries(client, many), many
