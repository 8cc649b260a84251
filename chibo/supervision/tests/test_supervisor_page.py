"""The supervisor's page (rule 14): their cells at a glance, and their visits against the minimum
of their level."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.conftest import child, make_member
from chibo.meetings import holding
from chibo.meetings.models import Meeting
from chibo.meetings.tests.holding_data import ENGLISH, count_queries
from chibo.meetings.tests.test_attending import plan
from chibo.orgs.models import Level, Position
from chibo.quality.models import MeetingScore
from chibo.quality.scoring import save_score
from chibo.supervision.models import Assignment
from chibo.supervision.reports import file_report, required_visits, visits_of

URL = reverse("supervision:mine")
FULL = dict(settings.CHIBO_MEETING_CRITERIA)


def held(cell, days_ago: int = 7) -> Meeting:
    """A meeting of the cell a few days ago, held with everyone present and a resolution whose
    one task was due yesterday and is not done."""
    starts_at = timezone.now() - timedelta(days=days_ago)
    meeting = Meeting.objects.create(
        cell=cell,
        kind=Meeting.Kind.REGULAR,
        starts_at=starts_at,
        place="Nhà văn hóa",
        status=Meeting.Status.PUBLISHED,
        published_at=starts_at - timedelta(days=3),
    )
    meeting.add_official_agenda()
    holding.open_meeting(meeting, now=meeting.starts_at)
    everyone = list(cell.members.all())
    for member in everyone:
        holding.check_in(meeting, member)
    yesterday = timezone.localdate() - timedelta(days=1)
    row = {"what": "Thu đảng phí", "owner": everyone[0], "deadline": yesterday}
    texts = {"assessment": "Tốt", "assignment": "Bí thư", "quality": "Tốt"}
    resolution = holding.save_resolution(meeting, None, texts, [row])
    vote = holding.record_vote(meeting, "Nghị quyết", len(everyone), 0, 0)
    holding.adopt_resolution(resolution, vote)
    holding.close_meeting(meeting)
    return meeting


def supervised(world, n: int) -> list:
    """`n` more cells of the ward in the supervisor's charge, each with a member, a meeting
    held and scored, and the next one planned."""
    cells = []
    for i in range(n):
        cell = child(world.ward, name=f"Chi bộ tổ {i + 10}", kind="cell", level=world.cell.level)
        make_member(cell, f"Đảng viên tổ {i + 10}")
        Assignment.objects.create(
            supervisor=world.supervisor.member, cell=cell, started_on=date(2024, 1, 1)
        )
        meeting = held(cell)
        save_score(meeting, MeetingScore.Role.CELL, FULL, None)
        plan(cell, days=10 + i)
        cells.append(cell)
    return cells


def seat(member, committee) -> None:
    Position.objects.create(
        member=member,
        organisation=committee,
        kind=Position.Kind.COMMITTEE,
        started_on=date(2024, 1, 1),
    )


def page(world, persona: str = "supervisor") -> str:
    response = world.client(persona).get(URL, headers=ENGLISH)
    assert response.status_code == 200
    return response.content.decode()


def test_it_sends_anonymous_visitors_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["member", "committee", "admin"])
def test_it_explains_itself_to_those_who_supervise_no_cell(world, persona):
    text = page(world, persona)
    assert "You supervise no cell at present." in text
    assert "Chi bộ khu 1" not in text


def test_it_shows_each_cell_at_a_glance(world):
    meeting = held(world.cell)
    save_score(meeting, MeetingScore.Role.CELL, {**FULL, "conduct": 30}, None)
    coming = plan(world.cell, status=Meeting.Status.DRAFT, days=20)
    text = page(world)
    assert "Chi bộ khu 1" in text
    assert "Chi bộ khu 2" not in text  # their own cell, which they do not supervise
    assert "not yet published" in text
    assert reverse("meetings:meeting", args=[coming.code]) not in text  # a draft: not theirs
    assert "Fair (90/100)" in text
    overdue = text.split("Overdue tasks", 1)[1]
    assert '<span class="warning">1</span>' in overdue.split("</dd>", 1)[0]
    score = reverse("quality:score", args=[meeting.code]) + "?role=supervisor"
    assert score in text


def test_it_shows_the_last_three_meetings_held(world):
    meetings = [held(world.cell, days_ago=days) for days in (40, 30, 20, 10)]
    text = page(world)
    for meeting in meetings[1:]:
        assert reverse("meetings:meeting", args=[meeting.code]) in text
    assert reverse("meetings:meeting", args=[meetings[0].code]) not in text
    assert "none planned" in text


def test_it_drops_the_link_once_the_supervisor_reported(world):
    meeting = held(world.cell)
    file_report(meeting, world.supervisor.member, FULL, "Đông đủ", "Ít phát biểu")
    text = page(world)
    assert reverse("quality:score", args=[meeting.code]) + "?role=supervisor" not in text
    assert "reported" in text


def test_it_counts_visits_against_the_minimum_of_their_level(world):
    vu = world.supervisor.member
    assert required_visits(vu.pk) == Level._meta.get_field("supervision_visits").default
    commune = world.ward.level
    commune.supervision_visits = 6
    commune.save(update_fields=["supervision_visits"])
    seat(vu, world.ward)
    assert required_visits(vu.pk) == 6
    # Also on the city committee, whose members owe fewer: the stricter minimum stands.
    seat(vu, world.city)
    assert required_visits(vu.pk) == 6

    meeting = held(world.cell)
    file_report(meeting, vu, FULL, "Tốt", "Không")
    # A visit counts in the year of its meeting, which a week ago may be last year.
    this_year = timezone.localtime(meeting.starts_at).year
    march = visits_of(vu.pk, date(this_year, 3, 31))
    assert (march.done, march.required, march.due, march.behind) == (1, 6, 1, False)
    june = visits_of(vu.pk, date(this_year, 6, 30))
    assert (june.due, june.behind) == (3, True)
    assert visits_of(vu.pk, date(this_year + 1, 1, 31)).done == 0


def test_it_flags_a_supervisor_who_is_behind(world):
    # Twelve a year: a steady pace needs one by the end of January already.
    level = world.ward.level
    level.supervision_visits = 12
    level.save(update_fields=["supervision_visits"])
    seat(world.supervisor.member, world.ward)
    text = page(world)
    assert "this year: 0; the minimum for your level is 12." in text
    assert "Behind: a steady pace reaches" in text


# Two meetings held this year by the time the page is read: not so early in January.
@pytest.mark.time_machine(datetime(2026, 6, 15, 3, 0, tzinfo=UTC))
def test_it_says_when_the_years_minimum_is_met(world):
    # The default minimum of two meetings a year, for a supervisor on no committee.
    for days in (20, 10):
        file_report(held(world.cell, days), world.supervisor.member, FULL, "Tốt", "Không")
    text = page(world)
    assert "this year: 2; the minimum for your level is 2." in text
    assert "This year's minimum is met." in text
    assert "Behind" not in text


def test_it_costs_the_same_for_one_cell_as_for_eight(world):
    meeting = held(world.cell)
    save_score(meeting, MeetingScore.Role.CELL, FULL, None)
    plan(world.cell)
    client = world.client("supervisor")
    one = count_queries(client, URL)
    cells = supervised(world, 7)
    text = client.get(URL, headers=ENGLISH).content.decode()
    assert all(cell.name in text for cell in cells)
    assert count_queries(client, URL) == one
    assert one <= 15


def test_it_lists_only_current_assignments(world):
    yesterday = timezone.localdate() - timedelta(days=1)
    Assignment.objects.filter(cell=world.cell).update(ended_on=yesterday)
    assert "You supervise no cell at present." in page(world)


def test_it_shows_the_supervisors_own_score_once_reported_not_not_scored(world):
    meeting = held(world.cell)
    file_report(meeting, world.supervisor.member, FULL, "Đông đủ", "Ít phát biểu")
    text = page(world).split("Last meetings held", 1)[1]
    assert "not scored" not in text
    assert "my score: Good (100/100)" in text
    score_page = world.client("supervisor").get(
        reverse("quality:score", args=[meeting.code]) + "?role=supervisor", headers=ENGLISH
    )
    assert "Not scored yet." not in score_page.content.decode()
    assert "No grade stands yet" in score_page.content.decode()


def test_it_offers_no_link_to_a_grade_already_decided(world):
    decided, scored = held(world.cell, days_ago=14), held(world.cell, days_ago=7)
    for meeting in (decided, scored):
        save_score(meeting, MeetingScore.Role.CELL, FULL, None)
    save_score(decided, MeetingScore.Role.COMMITTEE, {**FULL, "conduct": 30}, None)
    text = page(world)
    score_url = reverse("quality:score", args=[decided.code])
    assert score_url not in text
    assert "Fair (90/100)" in text and "decided" in text
    # The meeting whose grade is still open keeps its link.
    assert reverse("quality:score", args=[scored.code]) + "?role=supervisor" in text
