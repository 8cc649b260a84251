"""Members before the meeting: the meeting page, documents, comments and answers."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chibo.conftest import make_member
from chibo.lib.fragments import CSRF_PLACEHOLDER
from chibo.meetings.models import AgendaItem, Answer, Comment, Document, Meeting, Receipt
from chibo.orgs.models import Member


def plan(cell, status=Meeting.Status.PUBLISHED, days=3, **fields) -> Meeting:
    meeting = Meeting.objects.create(
        cell=cell,
        kind=Meeting.Kind.REGULAR,
        starts_at=timezone.now() + timedelta(days=days),
        place="Nhà văn hóa khu 1",
        status=status,
        published_at=timezone.now() if status != Meeting.Status.DRAFT else None,
        **fields,
    )
    meeting.add_official_agenda()
    return meeting


@pytest.fixture
def meeting(world) -> Meeting:
    return plan(world.cell)


def url(meeting: Meeting, name: str = "meetings:meeting") -> str:
    return reverse(name, args=[meeting.code])


def comments_url(meeting: Meeting, position: int = 2) -> str:
    return reverse("meetings:comments", args=[meeting.code, position])


def member(name: str) -> Member:
    return Member.objects.get(full_name=name)


@pytest.mark.parametrize(
    "persona, status",
    [
        ("member", 200),
        ("secretary", 200),
        ("supervisor", 200),
        ("committee", 200),
        ("outsider", 404),
        ("admin", 200),
    ],
)
def test_it_shows_a_published_meeting_to_those_who_see_the_cell(world, meeting, persona, status):
    assert world.client(persona).get(url(meeting)).status_code == status


@pytest.mark.parametrize(
    "persona, status",
    [("member", 404), ("supervisor", 404), ("committee", 404), ("secretary", 200)],
)
def test_it_keeps_drafts_with_those_who_prepare_them(world, persona, status):
    draft = plan(world.cell, status=Meeting.Status.DRAFT)
    assert world.client(persona).get(url(draft)).status_code == status


def test_it_shows_the_draft_to_the_member_assigned_to_prepare_it(world):
    draft = plan(world.cell, status=Meeting.Status.DRAFT, preparer=member("Nguyễn Thị Mai"))
    assert world.client("member").get(url(draft)).status_code == 200


@pytest.mark.parametrize("persona", ["member", "supervisor", "committee"])
def test_it_lists_and_opens_a_meeting_called_off_only_once_members_were_told(world, persona):
    """Called off after its notice, the meeting stays in the cell's list, marked cancelled, as in
    the members' calendars; called off before, it never was anyone's but its secretary's."""
    after = plan(world.cell, status=Meeting.Status.CANCELLED)
    before = plan(world.cell, status=Meeting.Status.CANCELLED, days=5)
    Meeting.objects.filter(pk=before.pk).update(published_at=None)
    client = world.client(persona)
    listed = client.get(reverse("meetings:cell", args=[world.cell.code])).content.decode()
    assert url(after) in listed and url(before) not in listed
    assert client.get(url(after)).status_code == 200
    assert client.get(url(before)).status_code == 404
    secretary = world.client("secretary")
    assert (
        url(before)
        in secretary.get(reverse("meetings:cell", args=[world.cell.code])).content.decode()
    )
    assert secretary.get(url(before)).status_code == 200


def test_it_sends_anonymous_visitors_to_sign_in(client, world, meeting):
    for target in (url(meeting), reverse("meetings:list"), comments_url(meeting)):
        response = client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_other_methods(world, meeting):
    client = world.client("member")
    assert client.post(url(meeting)).status_code == 405
    assert client.get(url(meeting, "meetings:answer")).status_code == 405
    assert client.delete(comments_url(meeting)).status_code == 405


def test_it_answers_404_for_unknown_meetings_items_and_documents(world, meeting):
    client = world.client("member")
    assert client.get("/meetings/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/meetings/not-a-uuid/").status_code == 404
    assert client.get(comments_url(meeting, 99)).status_code == 404
    assert (
        client.get("/meetings/documents/00000000-0000-0000-0000-000000000000/").status_code == 404
    )


def test_it_records_that_a_member_opened_the_notice(world, meeting):
    world.client("member").get(url(meeting))
    world.client("member").get(url(meeting))
    assert Receipt.objects.filter(meeting=meeting).count() == 1
    world.client("committee").get(url(meeting))  # reading from above is not receiving
    assert Receipt.objects.filter(meeting=meeting).count() == 1


def test_reading_a_meeting_again_asks_and_writes_nothing_of_receipts(world, meeting):
    client = world.client("member")
    client.get(url(meeting))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(meeting)).status_code == 200
    sql = " ".join(query["sql"] for query in queries)
    assert "meetings_receipt" not in sql
    assert not any(q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) for q in queries)


def test_it_shows_the_secretary_who_has_not_opened_the_notice(world, meeting):
    make_member(world.cell, "Đỗ Văn Tư")
    make_member(world.cell, "Vũ Thị Hoa", status=Member.Status.EXEMPT)  # no obligation to read
    world.client("member").get(url(meeting))
    page = world.client("secretary").get(url(meeting), headers={"Accept-Language": "en"})
    preparation = page.content.decode().split("Before the meeting")[1].split("Agenda")[0]
    assert "Đỗ Văn Tư" in preparation
    assert "Nguyễn Thị Mai" not in preparation and "Vũ Thị Hoa" not in preparation
    assert "Trần Văn Sơn" not in preparation  # opening the page is opening the notice


def test_it_takes_an_answer_and_changes_it(world, meeting):
    client = world.client("member")
    client.post(url(meeting, "meetings:answer"), {"choice": "attending"})
    client.post(url(meeting, "meetings:answer"), {"choice": "absent", "reason": "Đi công tác"})
    answer = Answer.objects.get(meeting=meeting)
    assert (answer.choice, answer.reason) == ("absent", "Đi công tác")


def test_it_refuses_an_absence_without_reason(world, meeting):
    client = world.client("member")
    response = client.post(
        url(meeting, "meetings:answer"), {"choice": "absent", "reason": " "}, follow=True
    )
    assert not Answer.objects.exists()
    assert len(list(response.context["messages"])) == 1


def test_it_lets_only_the_cell_and_its_supervisors_answer(world, meeting):
    assert (
        world.client("committee")
        .post(url(meeting, "meetings:answer"), {"choice": "attending"})
        .status_code
        == 403
    )
    assert (
        world.client("supervisor")
        .post(url(meeting, "meetings:answer"), {"choice": "attending"})
        .status_code
        == 302
    )
    assert list(Answer.objects.values_list("member__full_name", flat=True)) == ["Lê Văn Vũ"]


def test_it_threads_comments_and_replies(world, meeting):
    client = world.client("member")
    client.post(comments_url(meeting), {"body": "Đề nghị bổ sung\nnội dung về an ninh"})
    first = Comment.objects.get()
    world.client("secretary").post(comments_url(meeting), {"body": "Đồng ý", "parent": first.code})
    reply = Comment.objects.exclude(pk=first.pk).get()
    assert reply.parent == first and reply.item.position == 2
    page = world.client("member").get(url(meeting)).content.decode()
    assert "Đề nghị bổ sung<br>nội dung về an ninh" in page and "Đồng ý" in page


def test_it_refuses_a_reply_to_another_items_comment(world, meeting):
    client = world.client("member")
    client.post(comments_url(meeting, 2), {"body": "Ý kiến"})
    parent = Comment.objects.get()
    assert (
        client.post(
            comments_url(meeting, 3), {"body": "Trả lời", "parent": parent.code}
        ).status_code
        == 404
    )
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001, "bad\x00byte"])
def test_it_refuses_bad_comments(world, meeting, body):
    response = world.client("member").post(comments_url(meeting), {"body": body})
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not Comment.objects.exists()


def test_it_closes_comments_and_answers_once_the_meeting_opens(world, meeting):
    meeting.status = Meeting.Status.OPEN
    meeting.save(update_fields=["status"])
    client = world.client("member")
    response = client.post(
        comments_url(meeting), {"body": "Muộn rồi"}, follow=True, headers={"Accept-Language": "en"}
    )
    assert "no longer takes answers or comments" in response.content.decode()
    client.post(url(meeting, "meetings:answer"), {"choice": "attending"})
    assert not Comment.objects.exists() and not Answer.objects.exists()


def test_it_lets_authors_edit_their_comment_until_the_meeting_opens(world, meeting):
    world.client("member").post(comments_url(meeting), {"body": "Lần đầu"})
    comment = Comment.objects.get()
    edit = reverse("meetings:comment_edit", args=[comment.code])
    assert world.client("secretary").post(edit, {"body": "Sửa hộ"}).status_code == 403
    world.client("member").post(edit, {"body": "Lần hai"})
    comment.refresh_from_db()
    assert comment.body == "Lần hai" and comment.edited_at is not None
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    world.client("member").post(edit, {"body": "Lần ba"})
    comment.refresh_from_db()
    assert comment.body == "Lần hai"


def test_it_serves_documents_only_to_those_who_see_the_meeting(world, meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = meeting.agenda_items.get(position=2)
    doc = Document(
        item=item, name="Báo cáo.pdf", content_type="application/pdf", size=9, sha256="0" * 64
    )
    doc.file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    target = reverse("meetings:document", args=[doc.code])
    response = world.client("member").get(target)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert response["Content-Type"] == "application/pdf"
    assert world.client("outsider").get(target).status_code == 404


def read_comments(client, target: str) -> tuple[str, bool]:
    """The page, and whether it read comments themselves (not only their counts)."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(target).content.decode()
    return page, any('"meetings_comment"."body"' in q["sql"] for q in queries)


def test_a_discussion_kept_between_views_shows_each_change_on_the_next_view(world, meeting):
    """Items' latest comments are kept rendered between members' views: a kept fragment must
    never hide a new or edited comment, nor give one member another's "Edit" links."""
    world.client("member").post(comments_url(meeting), {"body": "Ý kiến thứ nhất"})
    comment = Comment.objects.get()
    edit = reverse("meetings:comment_edit", args=[comment.code])
    secretary = world.client("secretary")
    page, read = read_comments(secretary, url(meeting))
    assert "Ý kiến thứ nhất" in page and edit not in page and read
    page, read = read_comments(secretary, url(meeting))
    assert "Ý kiến thứ nhất" in page and not read  # kept
    page, _ = read_comments(world.client("member"), url(meeting))
    assert edit in page  # the author's own view has their link
    world.client("member").post(edit, {"body": "Ý kiến đã sửa"})
    page, read = read_comments(secretary, url(meeting))
    assert "Ý kiến đã sửa" in page and "Ý kiến thứ nhất" not in page and read
    secretary.post(comments_url(meeting), {"body": "Trả lời", "parent": comment.code})
    assert "Trả lời</p>" in read_comments(secretary, url(meeting))[0]
    english = secretary.get(url(meeting), headers={"Accept-Language": "en"}).content.decode()
    assert ">Reply</a>" in english
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.OPEN)
    assert f"#comment-{comment.code}" not in read_comments(secretary, url(meeting))[0]


def drawn(client, target: str) -> tuple[str, bool]:
    """The page, and whether its agenda was drawn for this view (not taken as kept)."""
    response = client.get(target)
    names = [template.name for template in response.templates]
    return response.content.decode(), "meetings/attending/agenda.html" in names


def test_a_kept_agenda_shows_each_change_on_the_next_view(world, meeting, settings, tmp_path):
    """The agenda is kept drawn between members' views under a digest of what it shows, so no
    change needs to remember to forget it, not even an update no code of ours sees."""
    settings.MEDIA_ROOT = tmp_path
    reader, secretary = world.client("member"), world.client("secretary")
    assert drawn(secretary, url(meeting))[1]
    page, again = drawn(reader, url(meeting))
    assert not again, "the member's view takes the secretary's drawing"
    item = meeting.agenda_items.get(position=3)
    AgendaItem.objects.filter(pk=item.pk).update(title="Bàn việc làm đường liên thôn")
    page, again = drawn(reader, url(meeting))
    assert again and "Bàn việc làm đường liên thôn" in page
    doc = Document(item=item, name="Dự toán.pdf", content_type="application/pdf", size=9)
    doc.file.save("du-toan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    assert "Dự toán.pdf" in drawn(reader, url(meeting))[0]
    Member.objects.filter(full_name="Nguyễn Thị Mai").update(full_name="Nguyễn Thị Mai Anh")
    Comment.objects.create(item=item, author=member("Nguyễn Thị Mai Anh"), body="Đồng ý")
    page = drawn(reader, url(meeting))[0]
    assert "Đồng ý" in page and "Nguyễn Thị Mai Anh" in page
    english = reader.get(url(meeting), headers={"Accept-Language": "en"}).content.decode()
    assert "<h2>Agenda</h2>" in english and "<h2>Agenda</h2>" not in page


def test_each_viewer_of_a_kept_agenda_comments_with_their_own_token(world, meeting):
    world.client("secretary").get(url(meeting))  # drawn with the secretary's session
    client = world.client("member")
    client.handler.enforce_csrf_checks = True
    page = client.get(url(meeting)).content.decode()
    assert CSRF_PLACEHOLDER not in page
    form = page.split('class="comment-form"')[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    posted = {"csrfmiddlewaretoken": token, "body": "Tán thành"}
    response = client.post(comments_url(meeting), posted)
    assert response.status_code == 302
    assert Comment.objects.filter(body="Tán thành", author=world.member.member).exists()


def count_queries(client, target: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["member", "secretary"])
def test_it_costs_the_same_queries_however_long_the_discussion(world, meeting, persona):
    """Measured as those who use the page: a member reads and answers, the secretary also
    sees who answered and who has not opened the notice."""
    client = world.client(persona)
    client.get(url(meeting))  # the first visit also records the reader's receipt
    item = meeting.agenda_items.first()
    Comment.objects.create(item=item, author=member("Nguyễn Thị Mai"), body="Ý kiến đầu tiên")
    few = count_queries(client, url(meeting))
    writers = [make_member(world.cell, f"Đảng viên {i:02d}") for i in range(60)]
    items = list(meeting.agenda_items.all())
    for i in range(100):
        parent = Comment.objects.create(
            item=items[i % len(items)], author=writers[i % 60], body=f"Ý kiến số {i}"
        )
        if i % 4 == 0:
            Comment.objects.create(
                item=parent.item, author=writers[(i + 1) % 60], body="Đồng ý", parent=parent
            )
    assert count_queries(client, url(meeting)) == few
    assert few <= 17
    thread = comments_url(meeting, 1)
    assert count_queries(client, thread) <= 12


def test_it_lists_a_members_upcoming_meetings(world, meeting):
    plan(world.foreign_cell)
    page = world.client("member").get(reverse("meetings:list")).content.decode()
    assert url(meeting) in page
    assert "Chi bộ khu 5" not in page


def test_the_list_offers_to_plan_a_meeting_only_in_the_cells_one_leads(world, meeting):
    planning = reverse("meetings:plan", args=[world.cell.code])
    page = world.client("secretary").get(
        reverse("meetings:list"), headers={"Accept-Language": "en"}
    )
    assert f'href="{planning}">Plan a meeting</a>' in page.content.decode()
    assert planning not in world.client("member").get(reverse("meetings:list")).content.decode()


def test_it_lists_last_months_tasks_under_the_assessment_item(world, meeting):
    from chibo.meetings.models import ActionItem, Resolution, ResolutionTask

    earlier = plan(world.cell, status=Meeting.Status.CLOSED, days=-30)
    resolution = Resolution.objects.create(
        meeting=earlier, cell=world.cell, year=2026, number=1, status=Resolution.Status.ADOPTED
    )
    task = ResolutionTask.objects.create(
        resolution=resolution,
        position=1,
        what="Vận động vệ sinh môi trường",
        owner=member("Nguyễn Thị Mai"),
        deadline=timezone.localdate(),
    )
    ActionItem.objects.create(
        task=task,
        cell=world.cell,
        what=task.what,
        owner=task.owner,
        deadline=task.deadline,
        progress=60,
        status=ActionItem.Status.IN_PROGRESS,
    )
    page = world.client("member").get(url(meeting)).content.decode()
    assessment = page.split('id="item-2"')[1].split('id="item-3"')[0]
    assert "Vận động vệ sinh môi trường" in assessment and "60%" in assessment
