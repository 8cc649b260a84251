"""The committee's pages of guidance: writing a draft and its points, whom it addresses,
publishing, correcting as a new version, passing on the guidance of the committees above."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from chibo.conftest import make_member, make_user, signed_in
from chibo.guidance import issuing
from chibo.guidance.models import Guidance, Point
from chibo.guidance.tests.guidance_data import JANUARY, issued
from chibo.meetings.tests.holding_data import count_queries, messages_in
from chibo.orgs.models import Organisation, Position

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are checked in English, whatever the translators have done."""
    settings.LANGUAGE_CODE = "en"


POINT = {"kind": "study", "required": "on", "title": "Học tập Nghị quyết 66-NQ/TW", "body": ""}


@pytest.fixture
def issuer(world) -> Client:
    """Lan sits on the city's standing committee: she issues its guidance."""
    lan = make_member(world.sister_cell, "Đỗ Thị Lan")
    standing = Position.Kind.STANDING
    Position.objects.create(
        member=lan, organisation=world.city, kind=standing, started_on=date(2020, 1, 1)
    )
    client = signed_in(make_user(lan, "lan"))
    client.get(reverse("home"))
    return client


def url(name: str, *args) -> str:
    return reverse(f"guidance:{name}", args=args)


def page_of(guidance: Guidance) -> str:
    return url("guidance", guidance.code)


def snapshot(guidance: Guidance) -> tuple:
    """What a refused change must leave as it was."""
    guidance.refresh_from_db()
    points = list(guidance.points.values_list("position", "title", "body", "links"))
    parts = list(guidance.parts.values_list("pk", flat=True))
    return (guidance.title, guidance.month, guidance.status, guidance.categories, parts, points)


# -- who may do what -----------------------------------------------------------------------


def routes(world) -> list[tuple[str, str, list[str]]]:
    """Every issuing action: (address, method, personas who see it but may not act)."""
    draft = issued(world.city, publish=False)
    published = issued(world.city, month=JANUARY.replace(month=2))
    above = issued(world.province)
    city = world.city.code
    on_draft = ["committee"]  # drafts are read by the committee only
    on_published = ["committee", "member", "secretary", "supervisor"]
    return [
        (url("new", city), "get", ["committee"]),
        (url("new", city), "post", ["committee"]),
        (page_of(draft), "post", on_draft),
        (url("edit", draft.code), "get", on_draft),
        (url("edit", draft.code), "post", on_draft),
        (url("audience", draft.code), "get", on_draft),
        (url("audience", draft.code), "post", on_draft),
        (url("point", draft.code, 1), "get", on_draft),
        (url("point", draft.code, 1), "post", on_draft),
        (url("point_remove", draft.code, 1), "post", on_draft),
        (url("publish", draft.code), "post", on_draft),
        (url("correct", published.code), "post", on_published),
        (url("pass_on", above.code, world.ward.code), "post", ["committee"]),
    ]


def test_every_issuing_action_is_guarded(world):
    for target, method, readers in routes(world):
        response = getattr(Client(), method)(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert getattr(world.client("outsider"), method)(target).status_code == 404, target
        for persona in readers:
            status = getattr(world.client(persona), method)(target).status_code
            assert status == 403, (target, method, persona)
    assert Guidance.objects.count() == 3 and Point.objects.count() == 3


def test_the_pages_to_read_are_for_those_who_see_them(world):
    draft = issued(world.city, publish=False)
    published = issued(world.city, month=JANUARY.replace(month=2))
    committee_page = url("committee", world.city.code)
    assert "/accounts/login/" in Client().get(committee_page)["Location"]
    assert "/accounts/login/" in Client().get(page_of(published))["Location"]
    for persona in ("outsider", "member", "secretary"):
        assert world.client(persona).get(committee_page).status_code == 404, persona
        assert world.client(persona).get(page_of(draft)).status_code == 404, persona
    assert world.client("outsider").get(page_of(published)).status_code == 404
    # A cell's members read what reached it; the committee reads its drafts, without controls.
    for persona in ("member", "committee"):
        page = world.client(persona).get(page_of(published))
        assert page.status_code == 200 and b"Correct (new version)" not in page.content
    page = world.client("committee").get(page_of(draft))
    assert page.status_code == 200 and b"Publish" not in page.content
    assert world.client("committee").get(committee_page).status_code == 200


@pytest.mark.parametrize(
    "name, method",
    [
        ("committee", "post"),
        ("new", "delete"),
        ("guidance", "put"),
        ("edit", "delete"),
        ("audience", "delete"),
        ("point", "delete"),
        ("point_remove", "get"),
        ("publish", "get"),
        ("correct", "get"),
        ("pass_on", "get"),
    ],
)
def test_wrong_methods_are_refused(world, issuer, name, method):
    guidance = issued(world.province, publish=False)
    args = {
        "committee": [world.city.code],
        "new": [world.city.code],
        "point": [guidance.code, 1],
        "point_remove": [guidance.code, 1],
        "pass_on": [guidance.code, world.city.code],
    }.get(name, [guidance.code])
    assert getattr(issuer, method)(url(name, *args)).status_code == 405


def test_the_committee_page_links_its_guidance_for_those_who_sit_above(world, issuer):
    organisation = reverse("orgs:organisation", args=[world.city.code])
    link = url("committee", world.city.code).encode()
    assert link in issuer.get(organisation).content
    assert link in world.client("committee").get(organisation).content
    assert (
        link
        not in world.client("member")
        .get(reverse("orgs:organisation", args=[world.cell.code]))
        .content
    )


# -- writing a draft -----------------------------------------------------------------------


def test_it_begins_a_draft_for_a_month(world, issuer):
    response = issuer.post(
        url("new", world.city.code),
        {"title": "Hướng dẫn tháng 2/2027", "period": "month", "month": "2027-02"},
    )

    guidance = Guidance.objects.get()
    assert response["Location"] == page_of(guidance) + "#add"
    assert (guidance.committee, guidance.month, guidance.is_draft) == (
        world.city,
        date(2027, 2, 1),
        True,
    )
    assert guidance.written_by.full_name == "Đỗ Thị Lan"


def test_a_quarter_begins_with_its_first_month(world, issuer):
    issuer.post(
        url("new", world.city.code),
        {"title": "Chuyên đề quý I/2027", "period": "quarter", "month": "2027-02"},
    )

    assert Guidance.objects.get().month == date(2027, 1, 1)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": "Tháng trước", "period": "month", "month": "2026-11"}, "month"),
        ({"title": "Quý trước", "period": "quarter", "month": "2026-09"}, "month"),
        ({"title": "", "period": "month", "month": "2027-01"}, "title"),
        ({"title": "Không rõ tháng", "period": "month", "month": "tháng Giêng"}, "month"),
        ({"title": "Kỳ lạ", "period": "year", "month": "2027-01"}, "period"),
    ],
)
def test_it_refuses_a_draft_for_months_past_or_unclear(world, issuer, data, field):
    response = issuer.post(url("new", world.city.code), data)

    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Guidance.objects.exists()


def test_it_speaks_vietnamese_and_khmer(world, issuer):
    past = {"title": "T", "period": "month", "month": "2026-11"}
    for language, heading, refusal in [
        ("vi", "Soạn hướng dẫn mới", "Các tháng của hướng dẫn này đã qua"),
        ("km", "សរសេរការណែនាំថ្មី", "ខែដែលការណែនាំនេះសម្រាប់បានកន្លងផុតហើយ"),
    ]:
        headers = {"Accept-Language": language}
        page = issuer.get(url("committee", world.city.code), headers=headers)
        assert heading in page.content.decode()
        response = issuer.post(url("new", world.city.code), past, headers=headers)
        assert refusal in response.content.decode()


def test_it_adds_edits_and_removes_points_of_a_draft(world, issuer):
    guidance = issued(world.city, publish=False, points=())

    response = issuer.post(page_of(guidance), {**POINT, "links": "https://example.org/66.pdf"})
    assert response["Location"] == page_of(guidance) + "#point-1"
    cleaning = {**POINT, "kind": "task", "required": "", "title": "Dọn vệ sinh"}
    issuer.post(page_of(guidance), cleaning)
    point = guidance.points.get(position=1)
    assert (point.kind, point.required, point.links) == (
        "study",
        True,
        "https://example.org/66.pdf",
    )

    issuer.post(url("point", guidance.code, 2), {**POINT, "kind": "campaign", "title": "Ra quân"})
    assert guidance.points.get(position=2).title == "Ra quân"

    issuer.post(url("point_remove", guidance.code, 1))
    assert list(guidance.points.values_list("position", "title")) == [(1, "Ra quân")]
    assert issuer.get(url("point", guidance.code, 2)).status_code == 404


def test_the_editor_shows_points_with_their_kind_and_links_as_links(world, issuer):
    guidance = issued(world.city, publish=False, points=())
    issuing.add_point(
        guidance,
        kind=Point.Kind.STUDY,
        required=True,
        title="Học tập 66",
        links="https://example.org/66.pdf\njavascript:alert(1)",  # written past the form
    )

    page = issuer.get(page_of(guidance)).content.decode()
    assert '<a href="https://example.org/66.pdf" rel="noopener">' in page
    assert 'href="javascript' not in page
    assert "study a document" in page and "required" in page
    assert "Add a point" in page and "Publish" in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": "T" * 201}, "Keep it within 200 characters (it has 201)."),
        ({"body": "Nội dung. " * 201}, "Keep it within 2000 characters (it has 2009)."),
        ({"links": "ftp://example.org/66.pdf"}, "is not a web address"),
        ({"links": "\n".join(f"https://example.org/{i}" for i in range(6))}, "at most 5 links"),
        ({"kind": "rumour"}, "Select a valid choice"),
    ],
)
def test_it_refuses_a_point_too_long_or_with_bad_links(world, issuer, change, message):
    guidance = issued(world.city, publish=False)
    before = snapshot(guidance)

    response = issuer.post(page_of(guidance), {**POINT, **change})
    assert response.status_code == 200 and message in response.content.decode()
    response = issuer.post(url("point", guidance.code, 1), {**POINT, **change})
    assert response.status_code == 200 and message in response.content.decode()
    assert snapshot(guidance) == before


def test_it_edits_the_title_and_the_period_of_a_draft(world, issuer):
    guidance = issued(world.city, publish=False)

    quarter = {"title": "Hướng dẫn quý I", "period": "quarter", "month": "2027-03"}
    issuer.post(url("edit", guidance.code), quarter)
    guidance.refresh_from_db()
    assert (guidance.title, guidance.period, guidance.month) == (
        "Hướng dẫn quý I",
        "quarter",
        date(2027, 1, 1),
    )


# -- whom it addresses ---------------------------------------------------------------------


def test_it_chooses_whom_the_guidance_addresses_and_says_it_in_words(world, issuer):
    guidance = issued(world.city, publish=False)
    page = issuer.get(page_of(guidance)).content.decode()
    assert "Every cell under the committee." in page and "It reaches 2 cells today." in page

    response = issuer.post(
        url("audience", guidance.code),
        {
            "categories": ["residential", "village"],
            "levels": [world.ward.level_id],
            "parts": [world.ward.code],
        },
    )
    assert response["Location"] == page_of(guidance)
    page = issuer.get(page_of(guidance)).content.decode()
    assert "Kinds of cell: residential group and village." in page
    assert "Cells under committees of these levels: Grassroots." in page
    assert f"Only: {world.ward.name}." in page
    assert list(guidance.audience()) == [world.cell, world.sister_cell]

    issuer.post(url("audience", guidance.code), {})
    assert snapshot(guidance)[3:5] == ([], [])


@pytest.mark.parametrize("outside", ["other_city", "cell", "province"])
def test_it_refuses_to_address_what_is_not_directly_below(world, issuer, outside):
    guidance = issued(world.city, publish=False)
    before = snapshot(guidance)

    response = issuer.post(
        url("audience", guidance.code), {"parts": [getattr(world, outside).code]}
    )
    assert "Guidance reaches only the organisations directly below its committee." in (
        response.content.decode()
    )
    assert snapshot(guidance) == before


def test_it_refuses_a_level_no_committee_of_the_subtree_has(world, issuer):
    guidance = issued(world.city, publish=False)

    response = issuer.post(url("audience", guidance.code), {"levels": [world.province.level_id]})
    assert "Choose among the levels of the committees" in response.content.decode()
    assert not guidance.levels.exists()


# -- published guidance does not change in place --------------------------------------------


@pytest.mark.parametrize(
    "name, data",
    [
        ("guidance", POINT),
        ("edit", {"title": "Sửa tại chỗ", "period": "month", "month": "2027-01"}),
        ("audience", {"categories": ["agency"]}),
        ("point", {**POINT, "title": "Sửa tại chỗ"}),
        ("point_remove", {}),
    ],
)
def test_published_guidance_is_not_changed_in_place(world, issuer, name, data):
    guidance = issued(world.city)
    before = snapshot(guidance)
    args = [guidance.code, 1] if name.startswith("point") else [guidance.code]

    response = issuer.post(url(name, *args), data, follow=True)
    assert "Published guidance is not changed in place" in messages_in(response)
    assert snapshot(guidance) == before


def test_published_guidance_shows_no_editing_controls(world, issuer):
    guidance = issued(world.city)

    page = issuer.get(page_of(guidance)).content.decode()
    assert url("edit", guidance.code) not in page and "Add a point" not in page
    assert url("point_remove", guidance.code, 1) not in page
    assert url("correct", guidance.code) in page and url("adoption", guidance.code) in page


# -- publishing ----------------------------------------------------------------------------


def test_it_publishes_a_draft_to_the_cells_it_addresses(world, issuer):
    guidance = issued(world.city, publish=False)

    response = issuer.post(url("publish", guidance.code), follow=True)
    assert "it is on its way to 2 cells" in messages_in(response)
    guidance.refresh_from_db()
    assert guidance.status == Guidance.Status.PUBLISHED
    assert guidance.published_by.full_name == "Đỗ Thị Lan"


@pytest.mark.parametrize("problem", ["no_points", "past", "nobody", "twice"])
def test_it_refuses_to_publish_what_may_not_go_out(world, issuer, problem):
    month = date(2026, 11, 1) if problem == "past" else JANUARY
    points = () if problem == "no_points" else (("Việc", False),)
    guidance = issued(world.city, month=month, points=points, publish=problem == "twice")
    if problem == "nobody":
        guidance.categories = [Organisation.Category.AGENCY]
        guidance.save()
    before = snapshot(guidance)

    response = issuer.post(url("publish", guidance.code), follow=True)
    expected = {
        "no_points": "Add at least one point before publishing.",
        "past": "The months this guidance is for are over",
        "nobody": "This guidance addresses no cell",
        "twice": "Published guidance is not changed in place",
    }[problem]
    assert expected in messages_in(response)
    assert snapshot(guidance) == before


# -- corrections ---------------------------------------------------------------------------


def test_a_correction_is_a_new_version_published_with_what_it_changes(world, issuer):
    first = issued(world.city)

    response = issuer.post(url("correct", first.code))
    draft = Guidance.objects.get(lineage=first.lineage, version=2)
    assert response["Location"] == page_of(draft)
    assert issuer.post(url("correct", first.code))["Location"] == page_of(draft)
    page = issuer.get(page_of(draft)).content.decode()
    assert page_of(first) in page and "Correct (new version)" not in page

    response = issuer.post(url("publish", draft.code), follow=True)
    assert "Say what the correction changes before publishing it." in messages_in(response)
    assert snapshot(draft)[2] == Guidance.Status.DRAFT

    issuer.post(
        url("edit", draft.code),
        {"title": first.title, "period": "month", "month": "2027-01", "correction": "Thêm hạn"},
    )
    issuer.post(url("publish", draft.code))
    first.refresh_from_db()
    draft.refresh_from_db()
    assert (first.status, draft.status) == (Guidance.Status.CORRECTED, Guidance.Status.PUBLISHED)
    page = world.client("member").get(page_of(first)).content.decode()
    assert page_of(draft) in page  # the version in force, from the one it replaced
    assert "Thêm hạn" in world.client("member").get(page_of(draft)).content.decode()


def test_only_the_version_in_force_is_corrected(world, issuer):
    draft = issued(world.city, publish=False)

    response = issuer.post(url("correct", draft.code), follow=True)
    assert "Only the version in force can be corrected." in messages_in(response)
    assert Guidance.objects.count() == 1


# -- the committee's page and passing on ----------------------------------------------------


def test_the_committee_page_lists_its_guidance_and_what_came_from_above(world, issuer):
    issued(world.city, publish=False)
    issued(world.city, month=JANUARY.replace(month=2))
    from_province = issued(world.province)
    issued(world.province, month=date(2026, 10, 1), publish=False)  # a draft: not shown
    with_others = issued(world.province, month=JANUARY.replace(month=3), publish=False)
    with_others.parts.set([world.other_city])
    issuing.publish(with_others, by=None)

    response = issuer.get(url("committee", world.city.code))
    page = response.content.decode()
    assert [g.month.month for g in response.context["page"]] == [2, 1]
    assert page.count(">draft<") == 1
    assert [g for g, _passed in response.context["above"]] == [from_province]
    assert url("pass_on", from_province.code, world.city.code) in page

    response = issuer.post(url("pass_on", from_province.code, world.city.code))
    passed = Guidance.objects.get(passes_on=from_province)
    assert response["Location"] == page_of(passed) + "#add"
    assert passed.committee == world.city and passed.is_draft
    page = issuer.get(url("committee", world.city.code)).content.decode()
    assert "Already passed on" in page
    assert url("pass_on", from_province.code, world.city.code) not in page
    assert world.province.name in issuer.get(page_of(passed)).content.decode()
    # Once more: the one begun.
    issuer.post(url("pass_on", from_province.code, world.city.code))
    assert Guidance.objects.filter(passes_on=from_province).count() == 1


def test_a_pass_on_keeps_the_period_of_what_it_passes_on(world, issuer):
    passed = issuing.pass_on(issued(world.province), world.city, by=None)

    issuer.post(url("edit", passed.code), {"title": "Thành phố triển khai", "month": "2027-05"})
    passed.refresh_from_db()
    assert (passed.title, passed.month) == ("Thành phố triển khai", JANUARY)


def test_readers_of_the_committee_page_are_offered_no_actions(world):
    from_province = issued(world.province)

    page = world.client("committee").get(url("committee", world.city.code)).content.decode()
    assert url("pass_on", from_province.code, world.city.code) not in page
    assert url("new", world.city.code) not in page


def test_it_refuses_to_pass_on_a_draft_or_upwards(world, issuer):
    draft = issued(world.province, publish=False)
    mine = issued(world.city)

    # A draft of the province is not theirs to see at all.
    assert issuer.post(url("pass_on", draft.code, world.city.code)).status_code == 404
    response = issuer.post(url("pass_on", mine.code, world.city.code), follow=True)
    assert "passed on by a committee below the one that wrote it" in messages_in(response)
    assert Guidance.objects.count() == 2


# -- query budgets -------------------------------------------------------------------------


def test_the_committee_page_and_the_guidance_page_keep_their_budgets(world, issuer):
    """One guidance of one point, then eight of eight: the same queries."""
    first = issued(world.city, points=(("Điểm 1", True),))
    issued(world.province)
    committee_page = url("committee", world.city.code)
    few = (count_queries(issuer, committee_page), count_queries(issuer, page_of(first)))
    reader = world.client("member")
    few_read = count_queries(reader, page_of(first))
    draft = issued(world.city, publish=False, points=(("Điểm", False),))
    few_draft = count_queries(issuer, page_of(draft))

    many = tuple((f"Điểm {i}", i % 2 == 0) for i in range(8))
    for month in range(2, 9):
        issued(world.city, month=JANUARY.replace(month=month), points=many)
        issued(world.province, month=JANUARY.replace(month=month))
    big = issued(world.city, month=JANUARY.replace(month=10), points=many)
    big_draft = issued(world.city, month=JANUARY.replace(month=11), points=many, publish=False)
    big_draft.parts.set([world.ward])
    assert (count_queries(issuer, committee_page), count_queries(issuer, page_of(big))) == few
    assert count_queries(reader, page_of(big)) == few_read
    assert count_queries(issuer, page_of(big_draft)) == few_draft
