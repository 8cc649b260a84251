"""The resolution in four parts: drafted, adopted by a vote and numbered, corrected, published."""

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chibo.meetings import holding
from chibo.meetings.models import ActionItem, Meeting, Minutes, Resolution
from chibo.meetings.tests.holding_data import (
    ENGLISH,
    adopted,
    approved_minutes,
    assert_guarded,
    draft,
    member,
    messages_in,
    opened,
    passed_vote,
    soon,
    url,
)
from chibo.notify.models import Notification

MAI, SON = "Nguyễn Thị Mai", "Trần Văn Sơn"


@pytest.fixture
def meeting(world) -> Meeting:
    return opened(world.cell)


def form_data(*rows, saved: int = 0, **texts) -> dict:
    """The resolution form as a browser posts it: the texts, then the rows of part II, of which
    the first `saved` are rows saved before."""
    data = {
        "assessment": "Hoàn thành 3/3 nhiệm vụ",
        "assignment": "Bí thư chỉ đạo chung",
        "quality": "Tốt",
        "tasks-TOTAL_FORMS": len(rows),
        "tasks-INITIAL_FORMS": saved,
        **texts,
    }
    for i, row in enumerate(rows):
        data |= {f"tasks-{i}-{name}": value for name, value in row.items()}
    return data


def row(what: str, owner: str = MAI, days: int = 30, **extra) -> dict:
    return {"what": what, "owner": member(owner).code, "deadline": soon(days).isoformat(), **extra}


@pytest.mark.parametrize(
    "name, method",
    [
        ("resolution", "get"),
        ("resolution", "post"),
        ("resolution_adopt", "post"),
        ("resolution_correct", "post"),
        ("publish_records", "post"),
    ],
)
def test_it_guards_the_resolution(world, meeting, name, method):
    assert_guarded(world, url(meeting, name), method)
    assert not Resolution.objects.exists()


def test_it_refuses_other_methods(world, meeting):
    client = world.client("secretary")
    assert client.put(url(meeting, "resolution")).status_code == 405
    for name in ("resolution_adopt", "resolution_correct", "publish_records"):
        assert client.get(url(meeting, name)).status_code == 405
    assert client.post(url(meeting, "resolution_version", 1)).status_code == 405


def test_it_starts_part_one_from_last_months_tasks(world):
    last = opened(world.cell, days=-30)
    adopted(last, ("Vận động đóng quỹ", MAI, soon(-20)), ("Dọn vệ sinh", SON, soon(-10)))
    ActionItem.objects.filter(what="Dọn vệ sinh").update(status="done", progress=100)
    meeting = opened(world.cell)
    page = world.client("secretary").get(url(meeting, "resolution"), headers=ENGLISH)
    assessment = page.context["form"].initial["assessment"]
    assert assessment.splitlines()[0].startswith(f"1. Vận động đóng quỹ. {MAI}, by ")
    assert assessment.splitlines()[0].endswith(": not started, 0%.")
    assert assessment.splitlines()[1].endswith(": done, 100%.")
    assert [item.what for item in page.context["previous"]] == ["Vận động đóng quỹ", "Dọn vệ sinh"]


def test_it_saves_the_draft_with_its_tasks(world, meeting):
    client = world.client("secretary")
    data = form_data(row("Vận động đóng quỹ"), row("Dọn vệ sinh", SON, 10))
    response = client.post(url(meeting, "resolution"), data)
    assert response.status_code == 302 and response["Location"] == url(meeting, "resolution")
    resolution = Resolution.objects.get()
    assert (resolution.status, resolution.number, resolution.year) == (
        "draft",
        None,
        timezone.localtime(meeting.starts_at).year,
    )
    tasks = list(resolution.tasks.values_list("position", "what", "owner__full_name"))
    assert tasks == [(1, "Vận động đóng quỹ", MAI), (2, "Dọn vệ sinh", SON)]
    page = client.get(url(meeting, "resolution"))
    rows = page.context["task_forms"]
    assert len(rows.forms) == 4 and rows.initial[1]["what"] == "Dọn vệ sinh"


def test_it_removes_and_keeps_rows(world, meeting):
    client = world.client("secretary")
    client.post(url(meeting, "resolution"), form_data(row("Một"), row("Hai"), row("Ba")))
    data = form_data(
        row("Một", position=1),
        row("Hai", position=2, DELETE="on"),
        row("Ba (sửa)", position=3),
        row("Bốn"),
        {},
        saved=3,
        assessment="Sửa",
    )
    client.post(url(meeting, "resolution"), data)
    resolution = Resolution.objects.get()
    assert resolution.assessment == "Sửa"
    # Rows keep their place, so a later correction still knows which row is which.
    assert list(resolution.tasks.values_list("position", "what")) == [
        (1, "Một"),
        (3, "Ba (sửa)"),
        (4, "Bốn"),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"what": ""},
        {"owner": "00000000-0000-0000-0000-000000000000"},
        {"deadline": "2000-01-01"},
        {"deadline": "ngày mai"},
        {"what": "x" * 501},
    ],
)
def test_it_refuses_bad_rows(world, meeting, bad):
    response = world.client("secretary").post(
        url(meeting, "resolution"), form_data({**row("Một"), **bad})
    )
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not Resolution.objects.exists()


def test_it_only_takes_owners_from_the_cell(world, meeting):
    outsider = member("Hoàng Thị Oanh").code
    data = form_data({**row("Một"), "owner": outsider})
    assert world.client("secretary").post(url(meeting, "resolution"), data).status_code == 200
    assert not Resolution.objects.exists()


def test_it_adopts_the_resolution_with_the_vote_and_numbers_it(world, meeting):
    resolution = draft(meeting, ("Vận động đóng quỹ", MAI, soon()), ("Dọn vệ sinh", SON, soon(10)))
    vote = passed_vote(meeting)
    response = world.client("secretary").post(
        url(meeting, "resolution_adopt"), {"vote": vote.pk}, follow=True, headers=ENGLISH
    )
    assert "Resolution No. 1-NQ/CB is adopted." in messages_in(response)
    resolution.refresh_from_db()
    assert (resolution.status, resolution.number, resolution.vote) == ("adopted", 1, vote)
    assert resolution.adopted_at is not None
    items = ActionItem.objects.order_by("deadline")
    assert [(i.what, i.owner.full_name, i.cell_id) for i in items] == [
        ("Dọn vệ sinh", SON, world.cell.pk),
        ("Vận động đóng quỹ", MAI, world.cell.pk),
    ]
    html = response.content.decode()
    assert "No. 1-NQ/CB" in html and "Adopted with 2 for" in html


def test_it_numbers_resolutions_per_cell_and_year(world, meeting):
    adopted(meeting)
    second = opened(world.cell, days=5)
    assert adopted(second).label == "2-NQ/CB"
    elsewhere = opened(world.sister_cell)
    other = draft(elsewhere)
    for name in ("Lê Văn Vũ", "Phạm Quốc Cường"):
        holding.check_in(elsewhere, member(name))
    holding.adopt_resolution(other, holding.record_vote(elsewhere, "NQ", 2, 0, 0))
    assert other.number == 1
    next_year = draft(opened(world.cell, days=400))
    next_year.year = second.starts_at.year + 1
    next_year.save(update_fields=["year"])
    holding.adopt_resolution(next_year, passed_vote(next_year.meeting))
    assert next_year.number == 1


def test_it_adopts_only_with_a_vote_that_passed(world, meeting):
    draft(meeting)
    holding.check_in(meeting, member(MAI))
    failed = holding.record_vote(meeting, "NQ", 0, 1, 0)
    client = world.client("secretary")
    response = client.post(url(meeting, "resolution_adopt"), {"vote": failed.pk}, follow=True)
    assert messages_in(response)
    response = client.post(url(meeting, "resolution_adopt"), {}, follow=True, headers=ENGLISH)
    assert "Choose the vote that adopted the resolution." in messages_in(response)
    assert Resolution.objects.get().status == "draft" and not ActionItem.objects.exists()


def test_it_does_not_adopt_with_another_meetings_vote(world, meeting):
    other = opened(world.cell, days=9)
    vote = passed_vote(other)
    draft(meeting)
    with pytest.raises(holding.ValidationError):
        holding.adopt_resolution(meeting.resolutions.get(), vote)
    response = world.client("secretary").post(url(meeting, "resolution_adopt"), {"vote": vote.pk})
    assert response.status_code == 302 and meeting.resolutions.get().status == "draft"


def test_it_refuses_to_change_an_adopted_resolution(world, meeting):
    resolution = adopted(meeting, ("Một", MAI, soon()))
    client = world.client("secretary")
    response = client.post(
        url(meeting, "resolution"), form_data(row("Khác")), follow=True, headers=ENGLISH
    )
    assert "An adopted resolution never changes" in messages_in(response)
    assert list(resolution.tasks.values_list("what", flat=True)) == ["Một"]
    response = client.post(url(meeting, "resolution_adopt"), {}, follow=True, headers=ENGLISH)
    assert "already adopted" in messages_in(response)


def test_it_corrects_a_resolution_and_carries_the_follow_up_over(world, meeting):
    resolution = adopted(meeting, ("Một", MAI, soon()), ("Hai", MAI, soon()), ("Ba", SON, soon()))
    first = ActionItem.objects.get(what="Một")
    holding.follow_up(first, None, "in_progress", 40, "Đang làm")
    client = world.client("secretary")
    client.post(url(meeting, "resolution_correct"), {"reason": "Sai hạn"})
    correction = Resolution.objects.get(version=2)
    assert (correction.status, correction.number, correction.vote) == ("draft", 1, None)
    assert correction.correction == "Sai hạn"
    data = form_data(
        row("Một (sửa)", SON, 40, position=1),
        row("Hai", position=2, DELETE="on"),
        row("Ba", position=3),
        row("Bốn"),
        saved=3,
    )
    client.post(url(meeting, "resolution"), data)
    response = client.post(url(meeting, "resolution_adopt"), {}, follow=True, headers=ENGLISH)
    assert "Resolution No. 1-NQ/CB is adopted." in messages_in(response)
    correction.refresh_from_db()
    assert correction.status == "adopted" and correction.vote is None
    first.refresh_from_db()
    assert (first.what, first.owner.full_name, first.progress) == ("Một (sửa)", SON, 40)
    assert first.task.resolution == correction
    assert ActionItem.objects.get(what="Hai").status == "cancelled"
    assert ActionItem.objects.get(what="Bốn").task.resolution == correction
    assert ActionItem.objects.get(what="Ba").status == "open"
    resolution.refresh_from_db()
    assert resolution.status == "adopted" and resolution.tasks.count() == 3
    page = client.get(url(meeting, "resolution_version", 1)).content.decode()
    assert "Hai" in page and "Một (sửa)" not in page


def test_it_asks_a_reason_and_the_latest_version_for_a_correction(world, meeting):
    resolution = adopted(meeting)
    client = world.client("secretary")
    response = client.post(url(meeting, "resolution_correct"), {"reason": " "}, follow=True)
    assert messages_in(response) and Resolution.objects.count() == 1
    holding.correct(resolution, "Lần một")
    with pytest.raises(holding.ValidationError):
        holding.correct(resolution, "Lần hai")
    assert Resolution.objects.count() == 2


def test_it_publishes_the_records_to_members(world, meeting):
    minutes = approved_minutes(meeting)
    resolution = adopted(meeting)
    response = world.client("secretary").post(
        url(meeting, "publish_records"), follow=True, headers=ENGLISH
    )
    assert "Published to the members." in messages_in(response)
    assert "late" not in messages_in(response)
    for record in (minutes, resolution):
        record.refresh_from_db()
        assert record.status == "published" and record.published_at
    target = url(meeting, "resolution_version", 1)
    assert world.client("member").get(target).status_code == 200
    assert Client().get(target).status_code == 302


def test_it_flags_records_published_late(world, settings):
    settings.CHIBO_RULES = {**settings.CHIBO_RULES, "resolution_publish_days": 2}
    meeting = opened(world.cell, days=-3)
    approved_minutes(meeting)
    adopted(meeting)
    page = world.client("secretary").get(url(meeting, "hold"), headers=ENGLISH).content.decode()
    assert "That time has passed." in page
    response = world.client("secretary").post(
        url(meeting, "publish_records"), follow=True, headers=ENGLISH
    )
    assert "Published late: rule 10 asks for the records within 2 days." in messages_in(response)
    assert "published late" in response.content.decode()
    assert holding.is_late(meeting, Minutes.objects.get().published_at)
    assert not holding.is_late(meeting, meeting.ends_at + timedelta(days=1))


def test_it_publishes_only_what_is_ready(world, meeting):
    Minutes.objects.create(meeting=meeting, sections={"1": "Nháp"})
    adopted(meeting)
    response = world.client("secretary").post(
        url(meeting, "publish_records"), follow=True, headers=ENGLISH
    )
    assert "Approve the minutes first" in messages_in(response)
    assert Minutes.objects.get().status == "draft"
    assert Resolution.objects.get().status == "adopted"


def test_it_refuses_the_minutes_while_the_resolution_is_a_draft_and_tells_members_once(
    world, meeting
):
    minutes = approved_minutes(meeting)
    resolution = draft(meeting)
    client = world.client("secretary")
    response = client.post(url(meeting, "publish_records"), follow=True, headers=ENGLISH)
    assert "The resolution is still a draft: adopt it first." in messages_in(response)
    minutes.refresh_from_db()
    assert minutes.status == "approved" and minutes.published_at is None
    assert not Notification.objects.filter(kind=Notification.Kind.RECORDS).exists()

    holding.adopt_resolution(resolution, passed_vote(meeting))
    response = client.post(url(meeting, "publish_records"), follow=True, headers=ENGLISH)
    assert "Published to the members." in messages_in(response)
    response = client.post(url(meeting, "publish_records"), follow=True, headers=ENGLISH)
    assert "Nothing new to publish" in messages_in(response)
    told = Notification.objects.filter(meeting=meeting, kind=Notification.Kind.RECORDS)
    per_person = Counter(told.values_list("recipient__username", flat=True))
    assert per_person == {"mai": 1, "son": 1, "vu": 1}


def test_it_refuses_records_without_a_resolution_unless_the_meeting_is_thematic(world):
    regular = opened(world.cell)
    approved_minutes(regular)
    with pytest.raises(holding.ValidationError) as refused:
        holding.publish_records(regular)
    assert refused.value.code == "resolution_draft"
    thematic = opened(world.cell, days=10)
    thematic.kind = Meeting.Kind.THEMATIC
    thematic.save(update_fields=["kind"])
    approved_minutes(thematic)
    assert [record.status for record in holding.publish_records(thematic)] == ["published"]
