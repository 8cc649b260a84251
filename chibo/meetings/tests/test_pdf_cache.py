"""The PDFs of the minutes and the resolution are typeset once per version of what
they show and per language, then served from the shared cache (issue 10, item 5)."""

from chibo.meetings import holding
from chibo.meetings.models import ActionItem, Meeting
from chibo.meetings.tests.test_pdf import adopt, held, text_of, url, write_minutes

ENGLISH = {"Accept-Language": "en"}


def closed(meeting: Meeting) -> None:
    holding.close_meeting(meeting)


def get(world, record, persona: str = "member", language: str | None = None) -> bytes:
    """The PDF in the cell's working language, or in `language` on asking."""
    asked = {"language": language} if language else {}
    response = world.client(persona).get(url(record), asked, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.content


def test_it_typesets_the_minutes_once_and_serves_them_again(world, renders):
    minutes = write_minutes(world)
    closed(minutes.meeting)
    first = get(world, minutes)
    assert get(world, minutes) == first
    assert get(world, minutes, "secretary") == first
    assert len(renders) == 1


def test_it_typesets_anew_when_the_record_changes(world, renders):
    minutes = write_minutes(world, status="draft")
    closed(minutes.meeting)
    before = text_of(get(world, minutes, "secretary"))
    holding.save_minutes(minutes.meeting, minutes, {"1": "Chi bộ thống nhất bổ sung"}, None)
    after = text_of(get(world, minutes, "secretary"))
    assert len(renders) == 2
    assert "bổ sung" in after and "bổ sung" not in before
    holding.approve_minutes(minutes)
    get(world, minutes, "secretary")
    assert len(renders) == 3


def test_it_typesets_each_language_once(world, renders):
    minutes = write_minutes(world)
    closed(minutes.meeting)
    for language in ("vi", "km", "vi", "km"):
        get(world, minutes, language=language)
    assert len(renders) == 2


def test_it_typesets_each_time_while_the_meeting_is_in_progress(world, renders):
    """The roll and the votes still move: what is kept would soon be wrong."""
    minutes = write_minutes(world)
    get(world, minutes)
    get(world, minutes)
    assert len(renders) == 2


def test_it_typesets_the_resolution_anew_when_last_months_tasks_move(world, renders):
    adopt(world, month=2)
    april = held(world, month=3)
    resolution = holding.save_resolution(april, None, {"assessment": "Đánh giá"}, [])
    closed(april)
    get(world, resolution, "secretary")
    get(world, resolution, "secretary")
    assert len(renders) == 1
    item = ActionItem.objects.get()
    holding.follow_up(item, None, ActionItem.Status.DONE, 100, "Xong")
    get(world, resolution, "secretary")
    assert len(renders) == 2
