"""The pages of guidance taken up: the secretary's month of guidance beside the meeting, one tap
to put a point on the agenda or a reason to leave a required one out; the committee's table of
what its cells did with its guidance."""

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.conftest import child
from chibo.guidance import adopting, issuing
from chibo.guidance.models import Adoption
from chibo.guidance.tests.guidance_data import issued
from chibo.meetings.models import Meeting, Resolution
from chibo.meetings.tests.test_attending import plan
from chibo.orgs.models import Organisation

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
# The adoption table: the user and their rights, the guidance with its audience and points,
# the count of cells and a page of them, their parents, decisions, tallies, meetings.
BUDGET = 16
REQUIRED, SUGGESTED = "Học tập Nghị quyết 57-NQ/TW", "Vệ sinh môi trường khu dân cư"


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are checked in English, whatever the translators have done."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def january(world):
    """The city's January guidance, a required point and a suggested one, and the cell's
    January meeting being prepared (published, 8 January)."""
    guidance = issued(world.city, points=((REQUIRED, True), (SUGGESTED, False)))
    return guidance, plan(world.cell, days=24)


def month_url(meeting: Meeting) -> str:
    return reverse("guidance:meeting", args=[meeting.code])


def adopt_url(meeting: Meeting, point) -> str:
    return reverse("guidance:adopt", args=[meeting.code, point.lineage])


def leave_out_url(meeting: Meeting, point) -> str:
    return reverse("guidance:leave_out", args=[meeting.code, point.lineage])


def adoption_url(guidance) -> str:
    return reverse("guidance:adoption", args=[guidance.code])


def said(response) -> str:
    """The last message the response leaves (those before it wait in the cookie, unread)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def points(guidance):
    return list(guidance.points.order_by("position"))


# -- access --------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client, world, january):
    guidance, meeting = january
    point = points(guidance)[0]
    for method, url in [
        ("get", month_url(meeting)),
        ("post", adopt_url(meeting, point)),
        ("post", leave_out_url(meeting, point)),
        ("get", adoption_url(guidance)),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("secretary", 200),
        ("admin", 200),
        ("member", 403),
        ("committee", 403),
        ("supervisor", 403),
        ("outsider", 404),
    ],
)
def test_only_those_who_prepare_the_meeting_see_its_guidance_page(world, january, persona, status):
    assert world.client(persona).get(month_url(january[1])).status_code == status


@pytest.mark.parametrize(
    "persona, status", [("member", 403), ("committee", 403), ("supervisor", 403), ("outsider", 404)]
)
def test_those_who_may_only_read_the_meeting_cannot_decide(world, january, persona, status):
    guidance, meeting = january
    required = points(guidance)[0]
    client = world.client(persona)
    items = meeting.agenda_items.count()

    assert client.post(adopt_url(meeting, required)).status_code == status
    assert client.post(leave_out_url(meeting, required), {"reason": "Không"}).status_code == status

    assert meeting.agenda_items.count() == items
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("committee", 200),  # a seat on the city's committee
        ("admin", 200),
        ("secretary", 403),  # the cell reads the city's guidance, not the other cells' choices
        ("member", 404),  # guidance reaches the leaders of the cell, not every member
        ("outsider", 404),  # another city: its guidance is out of reach
    ],
)
def test_the_adoption_table_is_for_those_on_or_above_the_committee(world, january, persona, status):
    assert world.client(persona).get(adoption_url(january[0])).status_code == status


def test_the_province_table_answers_403_to_a_cell_that_reads_its_guidance(world):
    guidance = issued(world.province)

    assert world.client("secretary").get(adoption_url(guidance)).status_code == 403
    assert world.client("outsider").get(adoption_url(guidance)).status_code == 404  # no office
    assert world.client("committee").get(adoption_url(guidance)).status_code == 403


def test_wrong_methods_are_refused(world, january):
    guidance, meeting = january
    client = world.client("secretary")
    required = points(guidance)[0]

    assert client.post(month_url(meeting)).status_code == 405
    assert client.get(adopt_url(meeting, required)).status_code == 405
    assert client.get(leave_out_url(meeting, required)).status_code == 405
    assert world.client("committee").post(adoption_url(guidance)).status_code == 405
    assert not Adoption.objects.exists()


# -- the secretary's month of guidance -----------------------------------------------------


def test_it_shows_each_point_with_its_committee_and_what_to_do(world, january):
    guidance, meeting = january
    issued(world.ward, passes_on=guidance, points=(("Phường: ra quân dọn vệ sinh", False),))
    required, suggested = points(guidance)

    page = world.client("secretary").get(month_url(meeting)).content.decode()

    assert world.city.name in page and world.ward.name in page
    assert page.index(REQUIRED) < page.index(SUGGESTED) < page.index("Phường: ra quân")
    assert "3 points to decide" in page
    assert page.count(">Put on the agenda<") == 3
    # Only the required point asks for a reason to leave it out.
    assert page.count('name="reason"') == 1
    assert leave_out_url(meeting, required) in page
    assert leave_out_url(meeting, suggested) not in page


def test_one_tap_puts_the_point_on_the_agenda_and_opens_it_to_adapt(world, january):
    guidance, meeting = january
    required = points(guidance)[0]
    client = world.client("secretary")
    last = meeting.agenda_items.count()

    response = client.post(adopt_url(meeting, required))

    item = meeting.agenda_items.get(position=last + 1)
    assert item.title == REQUIRED
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:agenda_item", args=[meeting.code, last + 1])
    assert f"is on the agenda as item {last + 1}" in said(response)
    assert "own words" in said(response)
    adoption = Adoption.objects.get()
    assert (adoption.item, adoption.decided_by.user) == (item, world.secretary)

    page = client.get(month_url(meeting)).content.decode()
    assert f"On the agenda as item {last + 1}." in page
    assert reverse("meetings:agenda_item", args=[meeting.code, last + 1]) in page
    assert "1 point to decide" in page


def test_a_required_point_is_left_out_with_a_reason(world, january):
    guidance, meeting = january
    required = points(guidance)[0]
    client = world.client("secretary")

    response = client.post(leave_out_url(meeting, required), {"reason": " Đã học tháng 12 "})

    assert response.status_code == 302
    assert response["Location"] == f"{month_url(meeting)}#point-{required.lineage}"
    assert "left out this time" in said(response)
    adoption = Adoption.objects.get()
    assert (adoption.item, adoption.reason) == (None, "Đã học tháng 12")
    page = client.get(month_url(meeting)).content.decode()
    assert "Đã học tháng 12" in page
    # The reason can be said better, in the same form, filled in.
    assert 'value="Đã học tháng 12"' in page
    client.post(leave_out_url(meeting, required), {"reason": "Đã học tại hội nghị phường"})
    assert Adoption.objects.get().reason == "Đã học tại hội nghị phường"
    # Taken up after all, it goes on the agenda.
    client.post(adopt_url(meeting, required))
    assert Adoption.objects.get().item.title == REQUIRED


def test_the_agenda_editor_links_to_the_months_guidance(world, january):
    guidance, meeting = january
    client = world.client("secretary")
    agenda = reverse("meetings:agenda", args=[meeting.code])

    assert "Guidance for this month (2 to decide)" in client.get(agenda).content.decode()
    adopting.adopt(meeting, points(guidance)[1], by=None)
    page = client.get(agenda).content.decode()
    assert "Guidance for this month (1 to decide)" in page
    assert month_url(meeting) in page

    february = plan(world.cell, days=55)
    page = client.get(reverse("meetings:agenda", args=[february.code])).content.decode()
    assert "no guidance for this month" in page


# -- bad input: a message, nothing changed -------------------------------------------------


def nothing_changed(meeting: Meeting, items: int) -> None:
    assert meeting.agenda_items.count() == items
    assert not Adoption.objects.exists()


def test_a_required_point_is_not_left_out_without_a_reason_or_with_a_long_one(world, january):
    guidance, meeting = january
    required = points(guidance)[0]
    client = world.client("secretary")
    items = meeting.agenda_items.count()

    response = client.post(leave_out_url(meeting, required), {"reason": "   "})
    assert said(response) == "Say in a few words why the cell leaves this point out this time."
    response = client.post(leave_out_url(meeting, required), {"reason": "x" * 301})
    assert said(response) == "Keep the reason within 300 characters (it has 301)."
    response = client.post(leave_out_url(meeting, required), {"reason": "Lý do\u202e"})
    assert "control character" in said(response)
    nothing_changed(meeting, items)


def test_a_point_not_addressed_to_the_cell_that_month_is_refused(world, january):
    _guidance, meeting = january
    elsewhere = issued(world.other_city, points=(("Hạ Long", True),)).points.get()
    february = issued(world.city, month=january[0].month.replace(month=2)).points.get()
    client = world.client("secretary")
    items = meeting.agenda_items.count()

    for point in (elsewhere, february):
        for url in (adopt_url(meeting, point), leave_out_url(meeting, point)):
            response = client.post(url, {"reason": "Không phù hợp"})
            assert response.status_code == 302
            assert said(response) == "This point is not in the cell's guidance for that month."
    unknown = reverse("guidance:adopt", args=[meeting.code, uuid.uuid4()])
    assert client.post(unknown).status_code == 302
    nothing_changed(meeting, items)


def test_a_point_is_put_on_the_agenda_once(world, january):
    guidance, meeting = january
    required = points(guidance)[0]
    client = world.client("secretary")
    client.post(adopt_url(meeting, required))
    items = meeting.agenda_items.count()

    response = client.post(adopt_url(meeting, required))
    assert "already on an agenda" in said(response)
    response = client.post(leave_out_url(meeting, required), {"reason": "Thôi"})
    assert "remove the item first" in said(response)

    assert meeting.agenda_items.count() == items
    assert Adoption.objects.get().reason == ""


@pytest.mark.parametrize("status", [Meeting.Status.OPEN, Meeting.Status.CLOSED])
def test_a_meeting_that_has_opened_no_longer_takes_guidance(world, january, status):
    guidance, meeting = january
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    client = world.client("secretary")
    items = meeting.agenda_items.count()

    required = points(guidance)[0]
    for response in (
        client.post(adopt_url(meeting, required)),
        client.post(leave_out_url(meeting, required), {"reason": "Muộn"}),
        client.get(month_url(meeting)),
    ):
        assert response["Location"] == reverse("meetings:meeting", args=[meeting.code])
        assert (
            said(response)
            == "This meeting has opened, ended or been cancelled: it no longer changes."
        )
    nothing_changed(meeting, items)


# -- the committee's adoption table --------------------------------------------------------


def close_with_resolution(meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CLOSED)
    Resolution.objects.create(
        meeting=meeting, cell=meeting.cell, year=2027, number=1, status=Resolution.Status.ADOPTED
    )


def test_the_table_counts_each_point_and_shows_each_cells_decision(world, january):
    guidance, meeting = january
    required, suggested = points(guidance)
    adopting.adopt(meeting, required, by=None)
    adopting.adopt(meeting, suggested, by=None)
    close_with_resolution(meeting)
    sister = plan(world.sister_cell, days=25)
    adopting.leave_out(sister, required, by=None, reason="Chi bộ đã học tháng 12")

    response = world.client("committee").get(adoption_url(guidance))

    tallies = {t.point.title: t for t in response.context["tallies"]}
    assert response.context["addressed"] == 2
    one = tallies[REQUIRED]
    assert (one.on_agenda, one.held, one.resolved, one.left_out, one.undecided) == (1, 1, 1, 1, 0)
    two = tallies[SUGGESTED]
    assert (two.on_agenda, two.held, two.resolved, two.left_out, two.undecided) == (1, 1, 1, 0, 1)
    page = response.content.decode()
    assert "Chi bộ đã học tháng 12" in page
    assert "held on 01/08/2027, resolution adopted" in page
    assert world.ward.name in page  # whose cell it is, as cells' names repeat
    assert reverse("meetings:meeting", args=[meeting.code]) in page


def test_a_draft_meeting_is_named_but_not_linked_for_the_committee(world, january):
    guidance, _meeting = january
    draft = plan(world.sister_cell, status=Meeting.Status.DRAFT, days=25)
    adopting.adopt(draft, points(guidance)[0], by=None)

    page = world.client("committee").get(adoption_url(guidance)).content.decode()

    assert "on the agenda of 01/09/2027" in page
    assert reverse("meetings:meeting", args=[draft.code]) not in page


def test_decisions_on_an_earlier_version_count_for_the_correction(world, january):
    guidance, meeting = january
    adopting.adopt(meeting, points(guidance)[0], by=None)
    draft = issuing.correct(guidance, by=None)
    point = draft.points.get(position=1)
    point.body = "Gắn với chuyển đổi số"
    point.save()
    draft.correction = "Gắn với chuyển đổi số"
    draft.save(update_fields=["correction"])
    issuing.publish(draft, by=None)

    response = world.client("committee").get(adoption_url(draft))

    assert response.context["tallies"][0].on_agenda == 1
    assert "Version 2" in response.content.decode()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_table_costs_the_same_queries_for_2_cells_and_42(world):
    guidance = issued(world.city, points=((REQUIRED, True), (SUGGESTED, False)))
    first, second = points(guidance)
    meeting = plan(world.cell, days=24)
    adopting.adopt(meeting, first, by=None)
    adopting.leave_out(plan(world.sister_cell, days=25), first, by=None, reason="Đã học")
    client = world.client("committee")
    url = adoption_url(guidance)
    few = count_queries(client, url)

    for i in range(40):
        cell = child(
            world.ward,
            name=f"Chi bộ tổ {i}",
            kind=Organisation.Kind.CELL,
            level=world.cell.level,
            category=Organisation.Category.RESIDENTIAL,
        )
        if i % 3 == 0:
            adopting.adopt(plan(cell, days=26), [first, second][i % 2], by=None)
        elif i % 3 == 1:
            adopting.leave_out(plan(cell, days=26), first, by=None, reason="Lý do")

    response = client.get(url)
    assert response.context["addressed"] == 42
    assert count_queries(client, url) == few
    assert few <= BUDGET


@pytest.mark.parametrize("language", ["vi", "km"])
def test_the_pages_speak_vietnamese_and_khmer(world, january, settings, language):
    settings.LANGUAGE_CODE = language
    guidance, meeting = january
    adopting.leave_out(meeting, points(guidance)[0], by=None, reason="Đã học")
    adopting.adopt(meeting, points(guidance)[1], by=None)
    words = {"vi": ("Đưa vào chương trình", "Từng chi bộ"), "km": ("របៀបវារៈ", "កោសិកានីមួយៗ")}
    cell_page, committee_page = words[language]

    assert cell_page in world.client("secretary").get(month_url(meeting)).content.decode()
    assert committee_page in world.client("committee").get(adoption_url(guidance)).content.decode()
