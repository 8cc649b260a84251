"""The agenda editor: items in order, moved, added, changed and removed, with their documents."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from chibo.meetings.models import REGULAR_STEPS, Comment, Document, Meeting, Step
from chibo.meetings.tests.test_planning import PLACE, READ_ONLY, future, make_meeting, member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files in a folder of their own; messages in English, whatever the translators have done."""
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"
    return tmp_path


@pytest.fixture
def meeting(world) -> Meeting:
    return make_meeting(world.cell)


def url(meeting: Meeting, name: str = "meetings:agenda", *args) -> str:
    return reverse(name, args=[meeting.code, *args])


def attach(meeting: Meeting, position: int, name: str = "ke-hoach.pdf") -> Document:
    item = meeting.agenda_items.get(position=position)
    document = Document(item=item, name=name, content_type="application/pdf", size=len(PDF))
    document.file.save(f"{document.code}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def steps(meeting: Meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("step", flat=True))


def positions(meeting: Meeting) -> list[int]:
    return list(meeting.agenda_items.order_by("position").values_list("position", flat=True))


ACTIONS = [
    ("meetings:agenda", ()),
    ("meetings:agenda_item", (2,)),
    ("meetings:agenda_up", (2,)),
    ("meetings:agenda_down", (2,)),
    ("meetings:agenda_remove", (2,)),
    ("meetings:agenda_upload", (2,)),
]


@pytest.mark.parametrize("name, args", ACTIONS)
def test_it_sends_anonymous_visitors_to_sign_in(client, meeting, name, args):
    response = client.post(url(meeting, name, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert steps(meeting) == REGULAR_STEPS


@pytest.mark.parametrize("name, args", ACTIONS)
@pytest.mark.parametrize("persona", READ_ONLY)
def test_it_lets_others_only_read_a_published_agenda(world, name, args, persona):
    published = make_meeting(world.cell, status=Meeting.Status.PUBLISHED)
    response = world.client(persona).post(url(published, name, *args), {"title": "X"})
    assert response.status_code == 403
    assert steps(published) == REGULAR_STEPS


@pytest.mark.parametrize("persona", [*READ_ONLY, "outsider"])
def test_it_hides_a_draft_agenda(world, meeting, persona):
    assert world.client(persona).get(url(meeting)).status_code == 404
    assert world.client(persona).post(url(meeting, "meetings:agenda_down", 1)).status_code == 404


@pytest.mark.parametrize("name", ["meetings:agenda_up", "meetings:agenda_remove"])
def test_it_refuses_to_change_the_agenda_by_get(world, meeting, name):
    assert world.client("secretary").get(url(meeting, name, 2)).status_code == 405
    assert world.client("secretary").delete(url(meeting)).status_code == 405


def test_it_shows_the_official_agenda_in_order(world, meeting):
    page = world.client("secretary").get(url(meeting)).content.decode()
    places = [page.index(f'id="item-{i}"') for i in range(1, len(REGULAR_STEPS) + 1)]
    assert places == sorted(places)
    assert str(Step.OPENING.label) in page and str(Step.MINUTES.label) in page


def test_it_adds_an_item_at_the_end(world, meeting):
    data = {"title": "ការរៀបចំពិធីបុណ្យភូមិ", "body": "Ý kiến của bà con\nvề đường làng"}
    response = world.client("secretary").post(url(meeting), data, follow=True)
    item = meeting.agenda_items.get(position=len(REGULAR_STEPS) + 1)
    assert (item.title, item.body, item.step) == (data["title"], data["body"], Step.OTHER)
    assert response.redirect_chain[-1][0].endswith(f"#item-{item.position}")
    assert "The item was added to the agenda." in response.content.decode()


@pytest.mark.parametrize("title", ["", "   ", "Bầu\u202eCử", "x" * 201])
def test_it_refuses_an_item_without_a_sound_title(world, meeting, title):
    response = world.client("secretary").post(url(meeting), {"title": title, "body": ""})
    assert response.status_code == 200
    assert response.context["add_form"].errors["title"]
    assert positions(meeting) == list(range(1, len(REGULAR_STEPS) + 1))


def test_it_moves_an_item_down_and_up(world, meeting):
    client = world.client("secretary")
    response = client.post(url(meeting, "meetings:agenda_down", 1))
    assert response["Location"].endswith("#item-2")
    assert steps(meeting)[:3] == [Step.ASSESSMENT, Step.OPENING, Step.SITUATION]
    client.post(url(meeting, "meetings:agenda_up", 3))
    assert steps(meeting)[:3] == [Step.ASSESSMENT, Step.SITUATION, Step.OPENING]
    assert positions(meeting) == list(range(1, len(REGULAR_STEPS) + 1))


def test_it_moves_nothing_past_either_end(world, meeting):
    client = world.client("secretary")
    client.post(url(meeting, "meetings:agenda_up", 1))
    client.post(url(meeting, "meetings:agenda_down", len(REGULAR_STEPS)))
    assert steps(meeting) == REGULAR_STEPS
    assert client.post(url(meeting, "meetings:agenda_down", 99)).status_code == 404


def test_it_answers_htmx_with_the_list_alone(world, meeting):
    response = world.client("secretary").post(url(meeting, "meetings:agenda_down", 1), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="agenda"') and "<html" not in page
    assert "was moved." in page
    listing = page[page.index('<ol class="agenda">') :]
    assert listing.index(escape(str(Step.ASSESSMENT.label))) < listing.index(
        escape(str(Step.OPENING.label))
    )


def test_it_removes_an_item_with_its_documents(
    world, meeting, media, django_capture_on_commit_callbacks
):
    document = attach(meeting, 3)
    path = media / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("secretary").post(url(meeting, "meetings:agenda_remove", 3))
    assert response.status_code == 302
    assert Step.SITUATION not in steps(meeting)
    assert positions(meeting) == list(range(1, len(REGULAR_STEPS)))
    assert not Document.objects.exists() and not path.exists()


def test_it_keeps_an_item_members_have_commented_on(world):
    published = make_meeting(world.cell, status=Meeting.Status.PUBLISHED)
    item = published.agenda_items.get(position=2)
    Comment.objects.create(item=item, author=member("Nguyễn Thị Mai"), body="Tôi đồng ý.")
    client = world.client("secretary")
    response = client.post(url(published, "meetings:agenda_remove", 2), follow=True)
    assert "Members have commented on" in response.content.decode()
    assert steps(published) == REGULAR_STEPS and Comment.objects.exists()


def test_it_changes_an_item(world, meeting):
    client = world.client("secretary")
    assert client.get(url(meeting, "meetings:agenda_item", 4)).status_code == 200
    data = {"title": "Nhiệm vụ tháng 12", "body": "1. Vệ sinh môi trường"}
    response = client.post(url(meeting, "meetings:agenda_item", 4), data)
    assert response["Location"].endswith("#item-4")
    item = meeting.agenda_items.get(position=4)
    assert (item.title, item.body, item.step) == (data["title"], data["body"], Step.NEXT_TASKS)


def test_it_refuses_an_added_item_without_a_title(world, meeting):
    added = meeting.add_item("Việc khác")
    response = world.client("secretary").post(
        url(meeting, "meetings:agenda_item", added.position), {}
    )
    assert response.status_code == 200 and response.context["form"].errors["title"]
    assert meeting.agenda_items.get(position=added.position).title == "Việc khác"


@pytest.mark.parametrize("title", ["", "Nhiệm vụ tháng tới", "ភារកិច្ចខែបន្ទាប់"])
def test_it_leaves_an_official_steps_title_to_the_step(world, meeting, title):
    """Blank, or the step's own name in any language: each reader sees the name in theirs."""
    client = world.client("secretary")
    response = client.post(url(meeting, "meetings:agenda_item", 4), {"title": title})
    assert response.status_code == 302
    item = meeting.agenda_items.get(position=4)
    assert (item.title, item.step) == ("", Step.NEXT_TASKS)
    page = client.get(url(meeting), HTTP_ACCEPT_LANGUAGE="km").content.decode()
    assert "ភារកិច្ចខែបន្ទាប់" in page and "Nhiệm vụ tháng tới" not in page


def test_it_shows_a_published_meeting_changes_wait_for_the_next_publication(world):
    published = make_meeting(world.cell, status=Meeting.Status.PUBLISHED)
    client = world.client("secretary")
    response = client.post(url(published), {"title": "Việc khác"}, follow=True)
    assert "when you publish the meeting again" in response.content.decode()


@pytest.mark.parametrize("status", [Meeting.Status.OPEN, Meeting.Status.CANCELLED])
def test_it_leaves_the_agenda_of_a_meeting_that_opened_or_was_cancelled(world, status):
    closed = make_meeting(world.cell, status=status)
    client = world.client("secretary")
    response = client.post(url(closed, "meetings:agenda_remove", 1), follow=True)
    assert response.redirect_chain[0][0] == reverse("meetings:meeting", args=[closed.code])
    assert steps(closed) == REGULAR_STEPS


def test_it_deletes_a_document(world, meeting, media, django_capture_on_commit_callbacks):
    document = attach(meeting, 2)
    path = media / document.file.name
    delete = reverse("meetings:document_delete", args=[meeting.code, document.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("secretary").post(delete, **HTMX)
    assert "ke-hoach.pdf” was deleted." in response.content.decode()
    assert not Document.objects.exists() and not path.exists()


def test_it_deletes_documents_only_through_their_own_meeting(world, meeting):
    other = make_meeting(world.cell, starts_at=future(days=10))
    document = attach(other, 1)
    delete = reverse("meetings:document_delete", args=[meeting.code, document.code])
    assert world.client("secretary").post(delete).status_code == 404
    assert world.client("secretary").get(delete).status_code == 405
    assert Document.objects.exists()


def count_queries(client, meeting: Meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(meeting)).status_code == 200
    return len(queries)


def test_it_costs_the_same_queries_however_long_the_agenda(world):
    small = Meeting.objects.create(
        cell=world.cell, kind=Meeting.Kind.EXTRAORDINARY, starts_at=future(days=3), place=PLACE
    )
    small.add_item("Bầu tổ trưởng")
    small.add_item("Đường làng")
    attach(small, 1)
    large = make_meeting(world.cell)
    for n in range(12 - len(REGULAR_STEPS)):
        large.add_item(f"Việc {n}")
    for position in (1, 2, 2, 5, 12):
        attach(large, position)
    assert large.agenda_items.count() == 12
    client = world.client("secretary")
    assert count_queries(client, large) == count_queries(client, small)
