"""The thematic topic bank: proposing topics, planning the quarter's thematic meeting from one,
and the examples a committee chooses for its other cells, without the cell's personal data."""

import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.conftest import make_member, make_user, signed_in
from chibo.guidance import topics
from chibo.guidance.models import Example, Topic
from chibo.meetings.models import Meeting, Minutes, Resolution, ResolutionTask, Step
from chibo.orgs.models import Member, Organisation, Position
from chibo.quality.tests.history import held

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
OCTOBER = date(2026, 10, 1)  # this quarter
JANUARY = date(2027, 1, 1)  # the next
MAI, SON = "Nguyễn Thị Mai", "Trần Văn Sơn"


def proposed(org: Organisation, title: str = "Phòng chống lừa đảo qua mạng", **fields) -> Topic:
    return topics.propose(
        org, by=None, quarter=fields.pop("quarter", OCTOBER), title=title, **fields
    )


def province_standing(world) -> Client:
    """A member of the province's standing committee, who issues its guidance."""
    tinh = make_member(world.sister_cell, "Đặng Văn Tỉnh", gender=Member.Gender.MALE)
    Position.objects.create(
        member=tinh,
        organisation=world.province,
        kind=Position.Kind.STANDING,
        started_on=date(2020, 1, 1),
    )
    client = signed_in(make_user(tinh, "tinh"))
    client.get(reverse("home"))
    return client


def in_english(client: Client) -> Client:
    """The client reading the site in English, so the tests read the messages as written."""
    client.cookies["django_language"] = "en"
    return client


def anonymous(world) -> Client:
    client = world.client("member")
    client.logout()
    return client


def bank_url(org: Organisation, quarter: date = OCTOBER) -> str:
    return f"{reverse('guidance:topics', args=[org.code])}?quarter={quarter:%Y-%m}"


def thematic(world, title: str = "Phòng chống lừa đảo qua mạng") -> Meeting:
    """A thematic meeting of the cell held in November on the city's topic, closed, with its
    minutes and resolution naming the cell's members."""
    topic = proposed(world.city, title)
    meeting = held(world.cell, date(2026, 11, 10), [MAI], kind=Meeting.Kind.THEMATIC)
    meeting.theme = title
    meeting.save(update_fields=["theme"])
    topic.meetings.add(meeting)
    items = {item.step: item.position for item in meeting.agenda_items.all()}
    Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.PUBLISHED,
        sections={
            str(items[Step.OPENING]): f"Vắng không lý do: {SON}.",
            str(items[Step.PRESENTATION]): "Đồng chí Mai trình bày các thủ đoạn lừa đảo.",
            str(items[Step.THEME_DISCUSSION]): "Cần hướng dẫn người cao tuổi cài ứng dụng.",
        },
    )
    Minutes.objects.create(
        meeting=meeting, version=2, correction="Sửa", sections={"1": "Bản nháp riêng"}
    )
    resolution = Resolution.objects.create(
        meeting=meeting,
        cell=world.cell,
        year=2026,
        number=7,
        status=Resolution.Status.ADOPTED,
        assessment="Chi bộ nắm được các hình thức lừa đảo.",
        assignment=f"Đ/c {MAI} phụ trách tuyên truyền; đồng chí Sơn theo dõi.",
    )
    ResolutionTask.objects.create(
        resolution=resolution,
        position=1,
        what="Tổ chức buổi tuyên truyền tại nhà văn hóa",
        owner=Member.objects.get(full_name=MAI),
        deadline=date(2026, 12, 20),
    )
    return meeting


# -- the bank ---------------------------------------------------------------------------------


def test_a_cell_sees_the_topics_of_the_committees_above_and_its_own(world):
    proposed(world.province, "Học tập và làm theo tư tưởng Hồ Chí Minh")
    proposed(world.city, "Phòng chống lừa đảo qua mạng")
    proposed(world.cell, "Rác thải ở chợ khu 1")
    proposed(world.sister_cell, "Đường ngập khu 2")
    proposed(world.other_city, "Du lịch Hạ Long")
    proposed(world.city, "Chuyển đổi số", quarter=JANUARY)

    page = world.client("member").get(bank_url(world.cell)).content.decode()

    for title in ("Học tập và làm theo", "Phòng chống lừa đảo", "Rác thải ở chợ khu 1"):
        assert title in page
    for title in ("Đường ngập khu 2", "Du lịch Hạ Long", "Chuyển đổi số"):
        assert title not in page
    assert reverse("guidance:topic_new", args=[world.cell.code]) not in page  # a member reads


def test_a_committee_sees_what_its_cells_propose(world):
    proposed(world.sister_cell, "Đường ngập khu 2")
    proposed(world.foreign_cell, "Bến thuyền khu 5")

    page = world.client("committee").get(bank_url(world.city)).content.decode()

    assert "Đường ngập khu 2" in page
    assert "Bến thuyền khu 5" not in page


def test_the_bank_is_guarded(world):
    assert anonymous(world).get(bank_url(world.cell)).status_code == 302
    assert world.client("outsider").get(bank_url(world.cell)).status_code == 404
    assert world.client("secretary").post(bank_url(world.cell)).status_code == 405
    # A quarter that is not one shows this quarter.
    url = reverse("guidance:topics", args=[world.cell.code]) + "?quarter=nonsense"
    assert world.client("secretary").get(url).status_code == 200


def test_the_bank_costs_the_same_queries_for_two_topics_as_for_ten(world):
    client = world.client("committee")
    meeting = thematic(world)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(bank_url(world.city)).status_code == 200
        return len(queries)

    proposed(world.sister_cell, "Đường ngập khu 2")
    few = cost()
    for n in range(8):
        topic = proposed(world.city if n % 2 else world.cell, f"Chủ đề {n}")
        topic.meetings.add(meeting)
    assert cost() == few


# -- proposing ------------------------------------------------------------------------------


def new_url(org: Organisation) -> str:
    return reverse("guidance:topic_new", args=[org.code])


def test_a_secretary_proposes_the_cells_own_issue(world):
    client = world.client("secretary")
    assert client.get(new_url(world.cell)).status_code == 200

    response = client.post(
        new_url(world.cell),
        {"quarter": "2027-01", "title": "Rác thải ở chợ khu 1", "description": "Chợ tạm."},
    )

    topic = Topic.objects.get()
    assert response.url == bank_url(world.cell, JANUARY)
    assert (topic.organisation, topic.quarter, topic.title) == (
        world.cell,
        JANUARY,
        "Rác thải ở chợ khu 1",
    )
    assert topic.proposed_by.full_name == SON


def test_the_standing_committee_proposes_for_its_subtree(world):
    client = province_standing(world)

    client.post(new_url(world.province), {"quarter": "2026-10", "title": "Chuyển đổi số"})

    assert Topic.objects.get().organisation == world.province
    assert "Chuyển đổi số" in world.client("member").get(bank_url(world.cell)).content.decode()


def test_only_those_who_lead_or_issue_guidance_propose(world):
    assert anonymous(world).get(new_url(world.cell)).status_code == 302
    assert world.client("outsider").get(new_url(world.cell)).status_code == 404
    assert world.client("member").post(new_url(world.cell), {}).status_code == 403
    # A committee seat, not the standing committee: reads the bank, proposes nothing.
    assert world.client("committee").get(new_url(world.city)).status_code == 403
    assert world.client("secretary").put(new_url(world.cell)).status_code == 405
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quarter": "2026-07", "title": "Cũ"}, "This quarter is over"),
        ({"quarter": "2027-02", "title": "Lệch"}, "Choose the first month of a quarter"),
        ({"quarter": "2027-01", "title": "x" * 201}, "at most 200 characters"),
        ({"quarter": "2027-01", "title": "Dài", "description": "x" * 2001}, "at most 2000"),
        ({"quarter": "2027-01", "title": "Ẩn\u202e"}, "invisible or control character"),
        ({"quarter": "", "title": "Trống"}, "This field is required"),
    ],
)
def test_bad_proposals_are_refused_with_a_reason(world, data, message):
    response = in_english(world.client("secretary")).post(new_url(world.cell), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Topic.objects.exists()


def test_a_bad_proposal_is_refused_in_vietnamese(world):
    client = world.client("secretary")
    client.cookies["django_language"] = "vi"

    page = client.post(new_url(world.cell), {"quarter": "2026-07", "title": "Cũ"}).content.decode()

    assert "Quý này đã qua: hãy chọn quý hiện tại hoặc một quý sắp tới." in page
    assert not Topic.objects.exists()


# -- a topic and planning from it -----------------------------------------------------------


def topic_url(topic: Topic) -> str:
    return reverse("guidance:topic", args=[topic.code])


def test_a_cells_own_topic_is_seen_by_the_cell_and_the_committees_above(world):
    topic = proposed(world.sister_cell, "Đường ngập khu 2")

    assert world.client("committee").get(topic_url(topic)).status_code == 200
    assert world.client("member").get(topic_url(topic)).status_code == 404
    assert world.client("outsider").get(topic_url(topic)).status_code == 404
    assert anonymous(world).get(topic_url(topic)).status_code == 302
    assert world.client("committee").post(topic_url(topic)).status_code == 405


def plan_url(topic: Topic, cell: Organisation) -> str:
    return reverse("guidance:topic_plan", args=[topic.code, cell.code])


PLAN = {"kind": "thematic", "theme": "Phòng chống lừa đảo", "date": "2026-12-20", "time": "19:30"}
PLAN |= {"planned_minutes": "120", "place": "Nhà văn hóa khu 1"}


def test_the_secretary_plans_the_thematic_meeting_from_a_topic(world):
    topic = proposed(world.city, description="Các thủ đoạn mới qua điện thoại.")
    client = world.client("secretary")
    page = client.get(topic_url(topic)).content.decode()
    assert plan_url(topic, world.cell) in page
    form = client.get(plan_url(topic, world.cell)).content.decode()
    assert 'value="Phòng chống lừa đảo qua mạng"' in form  # the theme is the topic's

    response = client.post(plan_url(topic, world.cell), PLAN)

    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:agenda", args=[meeting.code])
    assert (meeting.cell, meeting.kind, meeting.status) == (world.cell, "thematic", "draft")
    assert list(meeting.topics.all()) == [topic]
    steps = [item.step for item in meeting.agenda_items.all()]
    assert steps == meeting.official_steps()
    presentation = meeting.agenda_items.get(step=Step.PRESENTATION)
    assert presentation.body == "Các thủ đoạn mới qua điện thoại."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "2027-01-08"}, "choose a day in that quarter"),
        ({"date": "2026-12-01"}, "Choose a time in the future."),
        ({"kind": "regular"}, "Select a valid choice"),
        ({"place": ""}, "This field is required"),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_is_planned(world, change, message):
    topic = proposed(world.city)

    client = in_english(world.client("secretary"))
    response = client.post(plan_url(topic, world.cell), PLAN | change)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_only_the_cells_leaders_plan_and_only_from_a_topic_offered_to_it(world):
    city = proposed(world.city)
    sister = proposed(world.sister_cell, "Đường ngập khu 2")
    admin = world.client("admin")

    assert anonymous(world).get(plan_url(city, world.cell)).status_code == 302
    assert world.client("member").get(plan_url(city, world.cell)).status_code == 403
    assert world.client("outsider").get(plan_url(city, world.cell)).status_code == 404
    assert world.client("secretary").get(plan_url(city, world.sister_cell)).status_code == 404
    assert admin.post(plan_url(sister, world.cell), PLAN).status_code == 404
    assert world.client("secretary").put(plan_url(city, world.cell)).status_code == 405
    assert not Meeting.objects.exists()


# -- examples -------------------------------------------------------------------------------


def mark_url(meeting: Meeting) -> str:
    return reverse("guidance:example_mark", args=[meeting.code])


def example_url(meeting: Meeting) -> str:
    return reverse("guidance:example", args=[meeting.code])


def test_a_committee_chooses_a_held_meeting_as_an_example(world):
    meeting = thematic(world)
    client = world.client("committee")
    topic = meeting.topics.get()
    assert mark_url(meeting) in client.get(topic_url(topic)).content.decode()

    response = client.post(mark_url(meeting))

    example = Example.objects.get()
    assert response.url == example_url(meeting)
    assert (example.meeting, example.committee, example.marked_by.full_name) == (
        meeting,
        world.city,
        "Phạm Quốc Cường",
    )
    assert client.post(mark_url(meeting)).url == example_url(meeting)  # once is enough
    assert Example.objects.count() == 1
    page = world.client("supervisor").get(topic_url(topic)).content.decode()
    assert example_url(meeting) in page


def test_a_meeting_not_held_is_no_example(world):
    meeting = held(world.cell, date(2026, 11, 10), [MAI], kind="thematic", close=False)

    response = in_english(world.client("committee")).post(mark_url(meeting), follow=True)

    assert "Only a meeting that was held and closed can be an example." in response.content.decode()
    assert not Example.objects.exists()


def test_only_the_committees_above_the_cell_choose(world):
    meeting = thematic(world)

    assert anonymous(world).post(mark_url(meeting)).status_code == 302
    assert world.client("outsider").post(mark_url(meeting)).status_code == 404
    assert world.client("secretary").post(mark_url(meeting)).status_code == 403
    assert world.client("committee").get(mark_url(meeting)).status_code == 405
    assert not Example.objects.exists()


def test_an_example_shows_the_records_without_the_cells_names(world):
    meeting = thematic(world)
    topics.mark(meeting, world.province, by=None)
    client = in_english(world.client("outsider"))  # a cell under the province, far away

    html = client.get(example_url(meeting)).content.decode()
    page = html[html.index("<main>") : html.index("</main>")]

    assert "Phòng chống lừa đảo qua mạng" in page
    assert "Chi bộ khu 1" in page
    assert "Cần hướng dẫn người cao tuổi cài ứng dụng." in page  # the minutes published
    assert "Tổ chức buổi tuyên truyền tại nhà văn hóa" in page  # the resolution's task
    assert "Chi bộ nắm được các hình thức lừa đảo." in page
    assert "Bản nháp riêng" not in page  # a draft of the minutes
    for name in (MAI, SON, "Mai", "Sơn"):
        assert not re.search(rf"\b{name}\b", page)
    assert "Đồng chí … trình bày" in page
    assert "Stop showing it as an example" not in page


def test_an_example_is_read_only_under_the_committee_that_chose_it(world):
    meeting = thematic(world)
    topics.mark(meeting, world.city, by=None)

    assert world.client("supervisor").get(example_url(meeting)).status_code == 200
    assert world.client("outsider").get(example_url(meeting)).status_code == 404
    assert anonymous(world).get(example_url(meeting)).status_code == 302
    assert world.client("supervisor").post(example_url(meeting)).status_code == 405
    other = held(world.cell, date(2026, 10, 10), [MAI], kind="thematic")
    assert world.client("committee").get(example_url(other)).status_code == 404  # not chosen


def test_the_committee_takes_its_choice_back(world):
    meeting = thematic(world)
    topics.mark(meeting, world.city, by=None)
    client = in_english(world.client("committee"))
    assert "Stop showing it as an example" in client.get(example_url(meeting)).content.decode()

    assert (
        world.client("secretary")
        .post(reverse("guidance:example_unmark", args=[meeting.code]))
        .status_code
        == 403
    )
    client.post(reverse("guidance:example_unmark", args=[meeting.code]))

    assert not Example.objects.exists()


def test_a_topic_costs_the_same_queries_for_one_meeting_as_for_five(world):
    meeting = thematic(world)
    topic = meeting.topics.get()
    topics.mark(meeting, world.city, by=None)
    client = world.client("committee")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(topic_url(topic)).status_code == 200
        return len(queries)

    few = cost()
    for day in (1, 3, 5, 7):
        other = held(world.sister_cell, date(2026, 10, day), [], kind="thematic")
        topic.meetings.add(other)
        if day > 3:
            topics.mark(other, world.ward, by=None)
    assert cost() == few
