"""The secretary plans a meeting of the cell, and changes the plan later."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from chibo.conftest import make_member
from chibo.lib.months import month_of, shift
from chibo.meetings.models import REGULAR_STEPS, Meeting, Notice, Step
from chibo.meetings.tests.test_roles import seat
from chibo.orgs.models import Member

PLACE = "Nhà văn hóa khu 1"
READ_ONLY = ["member", "committee", "supervisor"]


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are checked in English, whatever the translators have done."""
    settings.LANGUAGE_CODE = "en"


def future(days: int = 7, at: time = time(19, 30)) -> datetime:
    """A local time some days ahead."""
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days), at))


def make_meeting(cell, status=Meeting.Status.DRAFT, starts_at=None, **fields) -> Meeting:
    fields = {"kind": Meeting.Kind.REGULAR, "place": PLACE, **fields}
    meeting = Meeting.objects.create(
        cell=cell, status=status, starts_at=starts_at or future(), **fields
    )
    meeting.add_official_agenda()
    return meeting


def plan_data(start: datetime | None = None, **changes) -> dict:
    start = timezone.localtime(start or future())
    return {
        "kind": "regular",
        "theme": "",
        "date": start.date().isoformat(),
        "time": start.strftime("%H:%M"),
        "planned_minutes": 90,
        "place": PLACE,
        "preparer": "",
    } | changes


def plan_url(world) -> str:
    return reverse("meetings:plan", args=[world.cell.code])


def edit_url(meeting: Meeting) -> str:
    return reverse("meetings:edit", args=[meeting.code])


def member(name: str) -> Member:
    return Member.objects.get(full_name=name)


def test_it_sends_anonymous_visitors_to_sign_in(client, world):
    meeting = make_meeting(world.cell)
    for url in (plan_url(world), edit_url(meeting)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


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
def test_it_lets_only_those_who_manage_the_cell_plan(world, persona, status):
    client = world.client(persona)
    assert client.get(plan_url(world)).status_code == status
    response = client.post(plan_url(world), plan_data())
    assert response.status_code == (302 if status == 200 else status)
    assert Meeting.objects.exists() == (status == 200)


def test_it_starts_the_plan_as_a_regular_meeting(world):
    form = world.client("secretary").get(plan_url(world)).context["form"]
    assert form["kind"].value() == Meeting.Kind.REGULAR
    assert [value for value, label in form.fields["kind"].choices] == Meeting.Kind.values


def test_it_plans_only_for_cells(world):
    url = reverse("meetings:plan", args=[world.ward.code])
    assert world.client("admin").get(url).status_code == 404


def test_it_refuses_other_methods(world):
    meeting = make_meeting(world.cell)
    client = world.client("secretary")
    assert client.delete(plan_url(world)).status_code == 405
    assert client.put(edit_url(meeting)).status_code == 405


def test_it_plans_a_draft_with_the_official_agenda(world):
    seat(member("Nguyễn Thị Mai"), world.cell)
    response = world.client("secretary").post(
        plan_url(world), plan_data(preparer=str(member("Nguyễn Thị Mai").code))
    )
    meeting = Meeting.objects.get(cell=world.cell)
    assert response["Location"] == reverse("meetings:agenda", args=[meeting.code])
    assert meeting.status == Meeting.Status.DRAFT
    assert timezone.localtime(meeting.starts_at) == timezone.localtime(future())
    assert meeting.preparer.full_name == "Nguyễn Thị Mai"
    items = list(meeting.agenda_items.values_list("position", "step"))
    assert items == [(i, step.value) for i, step in enumerate(REGULAR_STEPS, start=1)]


@pytest.mark.parametrize("kind", ["thematic", "combined"])
def test_it_requires_the_theme_of_a_thematic_meeting(world, kind):
    client = world.client("secretary")
    response = client.post(plan_url(world), plan_data(kind=kind, planned_minutes=120))
    assert response.status_code == 200
    assert "Give the theme." in response.content.decode()
    assert not Meeting.objects.exists()
    client.post(plan_url(world), plan_data(kind=kind, planned_minutes=120, theme="Học tập Bác"))
    meeting = Meeting.objects.get()
    assert meeting.theme == "Học tập Bác"
    assert Step.PRESENTATION in meeting.agenda_items.values_list("step", flat=True)


def test_it_offers_only_the_cells_active_committee_members_to_prepare(world):
    seat(member("Nguyễn Thị Mai"), world.cell)
    seat(make_member(world.cell, "Vũ Thị Hoa", status=Member.Status.EXEMPT), world.cell)
    form = world.client("secretary").get(plan_url(world)).context["form"]
    names = {m.full_name for m in form.fields["preparer"].queryset}
    assert names == {"Nguyễn Thị Mai", "Trần Văn Sơn"}
    outsider = member("Hoàng Thị Oanh")
    response = world.client("secretary").post(plan_url(world), plan_data(preparer=outsider.code))
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_it_refuses_a_meeting_in_the_past(world):
    past = timezone.now() - timedelta(hours=1)
    response = world.client("secretary").post(plan_url(world), plan_data(start=past))
    assert "Choose a time in the future." in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "hour, minute, overlaps", [(20, 0, True), (18, 30, True), (21, 0, False), (18, 0, False)]
)
def test_it_refuses_to_overlap_another_meeting_of_the_cell(world, hour, minute, overlaps):
    # Thematic, so that only the time and not rule 1 stands between the two.
    make_meeting(world.cell, starts_at=future(at=time(19, 30)), kind=Meeting.Kind.THEMATIC)
    start = future(at=time(hour, minute))  # 19:30 to 21:00
    response = world.client("secretary").post(plan_url(world), plan_data(start=start))
    assert ("This overlaps another meeting" in response.content.decode()) == overlaps
    assert Meeting.objects.count() == (1 if overlaps else 2)


def test_it_ignores_cancelled_meetings_and_other_cells_when_checking_overlaps(world):
    make_meeting(world.cell, status=Meeting.Status.CANCELLED)
    make_meeting(world.sister_cell)
    response = world.client("secretary").post(plan_url(world), plan_data())
    assert response.status_code == 302
    assert Meeting.objects.filter(cell=world.cell).count() == 2


@pytest.mark.parametrize(
    "kind, minutes, short",
    [("regular", 60, True), ("combined", 100, True), ("combined", 120, False)],
)
def test_it_warns_of_a_short_meeting_and_asks_for_permission(world, kind, minutes, short):
    client = world.client("secretary")
    data = plan_data(kind=kind, planned_minutes=minutes, theme="Chuyển đổi số")
    page = client.post(plan_url(world), data).content.decode()
    assert ('role="alert">Rule 3 (Directive 50-CT/TW, Guidance 42-HD/BTCTW)' in page) == short
    assert Meeting.objects.count() == (0 if short else 1)
    if short:
        assert "shorter than rule 3 asks" in page
        assert client.post(plan_url(world), data | {"short_allowed": "on"}).status_code == 302
        assert Meeting.objects.get().planned_minutes == minutes


def test_it_takes_the_length_rule_from_the_settings(world, settings):
    settings.CHIBO_RULES = {**settings.CHIBO_RULES, "meeting_minutes": 60}
    response = world.client("secretary").post(plan_url(world), plan_data(planned_minutes=60))
    assert response.status_code == 302


@pytest.mark.parametrize("minutes", [0, 5, 601, "many"])
def test_it_refuses_a_senseless_length(world, minutes):
    data = plan_data(planned_minutes=minutes, short_allowed="on")
    assert world.client("secretary").post(plan_url(world), data).status_code == 200
    assert not Meeting.objects.exists()


def test_it_shows_the_plan_form_in_khmer(world):
    response = world.client("secretary").get(plan_url(world), HTTP_ACCEPT_LANGUAGE="km")
    assert response.status_code == 200
    assert '<html lang="km">' in response.content.decode()


# -- changing the plan ----------------------------------------------------------------------


def test_it_changes_the_plan_of_a_draft(world):
    meeting = make_meeting(world.cell)
    later = future(days=8, at=time(8, 0))
    data = plan_data(start=later, place="Hội trường phường", planned_minutes=100)
    response = world.client("secretary").post(edit_url(meeting), data, follow=True)
    meeting.refresh_from_db()
    assert (meeting.place, meeting.planned_minutes, meeting.starts_at) == (
        "Hội trường phường",
        100,
        later,
    )
    assert "The plan of the meeting was saved." in response.content.decode()
    assert meeting.agenda_items.count() == len(REGULAR_STEPS)


def test_it_says_members_hear_of_a_change_to_a_published_meeting_at_its_next_publication(world):
    meeting = make_meeting(world.cell, status=Meeting.Status.PUBLISHED)
    data = plan_data(place="Hội trường phường")
    response = world.client("secretary").post(edit_url(meeting), data, follow=True)
    assert "when you publish the meeting again" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.place == "Hội trường phường"
    assert not Notice.objects.exists()


@pytest.mark.parametrize("persona", READ_ONLY)
def test_it_lets_others_only_read_a_published_meeting(world, persona):
    meeting = make_meeting(world.cell, status=Meeting.Status.PUBLISHED)
    client = world.client(persona)
    assert client.get(edit_url(meeting)).status_code == 403
    assert client.post(edit_url(meeting), plan_data(place="X")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.place == PLACE


@pytest.mark.parametrize("persona", [*READ_ONLY, "outsider"])
def test_it_hides_a_draft_from_those_who_do_not_prepare_it(world, persona):
    meeting = make_meeting(world.cell)
    assert world.client(persona).get(edit_url(meeting)).status_code == 404


def test_it_lets_the_assigned_member_change_the_plan(world):
    seat(member("Nguyễn Thị Mai"), world.cell)
    meeting = make_meeting(world.cell, preparer=member("Nguyễn Thị Mai"))
    assert world.client("member").get(edit_url(meeting)).status_code == 200


def test_it_keeps_a_meeting_that_has_opened(world):
    meeting = make_meeting(world.cell, status=Meeting.Status.OPEN)
    response = world.client("secretary").post(edit_url(meeting), plan_data(place="X"))
    assert response["Location"] == reverse("meetings:meeting", args=[meeting.code])
    meeting.refresh_from_db()
    assert meeting.place == PLACE


def test_it_refuses_a_change_that_overlaps_and_changes_nothing(world):
    make_meeting(world.cell, starts_at=future(days=9))
    meeting = make_meeting(world.cell)
    data = plan_data(start=future(days=9, at=time(20, 0)), place="Hội trường")
    response = world.client("secretary").post(edit_url(meeting), data)
    assert response.status_code == 200
    assert "This overlaps another meeting" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.place, meeting.starts_at) == (PLACE, future())


def test_it_lets_a_late_meeting_keep_its_time_while_its_place_changes(world):
    an_hour_ago = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
    meeting = make_meeting(world.cell, status=Meeting.Status.PUBLISHED, starts_at=an_hour_ago)
    data = plan_data(start=an_hour_ago, place="Hội trường")
    assert world.client("secretary").post(edit_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Hội trường"


def test_it_keeps_a_saved_short_meeting_allowed(world):
    meeting = make_meeting(world.cell, planned_minutes=60)
    form = world.client("secretary").get(edit_url(meeting)).context["form"]
    assert form.initial["short_allowed"] is True


def test_it_warns_when_the_kind_changes_but_the_agenda_does_not(world):
    meeting = make_meeting(world.cell)
    data = plan_data(kind="extraordinary")
    response = world.client("secretary").post(edit_url(meeting), data, follow=True)
    assert "check its steps" in response.content.decode()
    assert meeting.agenda_items.count() == len(REGULAR_STEPS)


# -- rule 1: one regular meeting a month --------------------------------------------------


def in_two_months(day: int, at: time = time(19, 30)) -> datetime:
    """A local time on `day` of the month after next: always ahead, always one month."""
    first = shift(month_of(timezone.localdate()), 2)
    return timezone.make_aware(datetime.combine(first.replace(day=day), at))


@pytest.mark.parametrize("kind", ["regular", "combined"])
def test_it_warns_of_a_second_regular_meeting_in_a_month_and_asks_to_confirm(world, kind):
    first = make_meeting(world.cell, starts_at=in_two_months(5), kind=Meeting.Kind.COMBINED)
    client = world.client("secretary")
    data = plan_data(start=in_two_months(25), kind=kind, theme="Chuyển đổi số", planned_minutes=120)
    page = client.post(plan_url(world), data).content.decode()
    assert 'role="alert">Rule 1 (Directive 50-CT/TW, Guidance 42-HD/BTCTW)' in page
    assert "The cell already has a regular meeting this month" in page
    assert 'name="second_regular"' in page
    assert list(Meeting.objects.all()) == [first]
    assert client.post(plan_url(world), data | {"second_regular": "on"}).status_code == 302
    assert Meeting.objects.count() == 2


@pytest.mark.parametrize(
    "kind, other, status",
    [
        ("thematic", Meeting.Kind.REGULAR, Meeting.Status.DRAFT),
        ("extraordinary", Meeting.Kind.REGULAR, Meeting.Status.DRAFT),
        ("regular", Meeting.Kind.THEMATIC, Meeting.Status.DRAFT),
        ("regular", Meeting.Kind.REGULAR, Meeting.Status.CANCELLED),
    ],
)
def test_it_says_nothing_of_rule_1_when_the_month_keeps_one_regular_meeting(
    world, kind, other, status
):
    make_meeting(world.cell, starts_at=in_two_months(5), kind=other, status=status)
    make_meeting(world.sister_cell, starts_at=in_two_months(6))
    data = plan_data(start=in_two_months(25), kind=kind, theme="Chuyển đổi số")
    response = world.client("secretary").post(plan_url(world), data)
    assert response.status_code == 302
    assert "Rule 1" not in response.content.decode()


def test_it_asks_again_when_a_change_moves_a_meeting_into_a_month_that_has_one(world):
    make_meeting(world.cell, starts_at=in_two_months(5))
    meeting = make_meeting(world.cell, starts_at=in_two_months(5) + timedelta(days=40))
    client = world.client("secretary")
    page = client.post(edit_url(meeting), plan_data(start=in_two_months(20))).content.decode()
    assert "The cell already has a regular meeting this month" in page
    meeting.refresh_from_db()
    assert meeting.starts_at == in_two_months(5) + timedelta(days=40)
    data = plan_data(start=in_two_months(20), second_regular="on")
    assert client.post(edit_url(meeting), data).status_code == 302
    # Confirmed once: changing its place later asks nothing more.
    data = plan_data(start=in_two_months(21), place="Hội trường phường")
    assert client.post(edit_url(meeting), data).status_code == 302
