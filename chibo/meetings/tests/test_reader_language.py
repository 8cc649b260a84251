"""Text chibo words itself is worded for each reader; official PDFs are made in the cell's
working language, or in the reader's own on asking; rows written before are converted."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from chibo.audit import records
from chibo.audit.tests.test_log import verify
from chibo.meetings import holding
from chibo.meetings.forms.holding import VoteForm
from chibo.meetings.models import AgendaItem, Meeting, Minutes, Notice, Step, Vote
from chibo.meetings.publishing import notice_content, readable
from chibo.meetings.tests.holding_data import opened, present
from chibo.meetings.tests.test_pdf import text_of, url, write_minutes
from chibo.meetings.tests.test_planning import make_meeting

NEXT_TASKS = {"vi": "Nhiệm vụ tháng tới", "km": "ភារកិច្ចខែបន្ទាប់", "en": "Next month's tasks"}
RESOLUTION = {
    "vi": "Nghị quyết của buổi sinh hoạt",
    "km": "សេចក្តីសម្រេចចិត្តនៃកិច្ចប្រជុំ",
    "en": "The resolution of the meeting",
}
migration = importlib.import_module(
    "chibo.meetings.migrations.0007_generated_text_worded_when_read"
)
TALLY = {"votes_for": 2, "votes_against": 0, "abstentions": 0}


def test_an_official_step_is_named_in_each_readers_language(world):
    meeting = make_meeting(world.cell)
    item = meeting.agenda_items.get(step=Step.NEXT_TASKS)
    assert item.title == ""
    sent = notice_content(meeting)
    for language, name in NEXT_TASKS.items():
        with translation.override(language):
            assert item.heading == str(item) == name
            assert readable(sent)["items"][item.position - 1]["heading"] == name


def test_the_vote_on_the_resolution_is_named_in_each_readers_language(world):
    meeting = opened(world.cell)
    present(meeting, "Nguyễn Thị Mai", "Trần Văn Sơn")
    # The subject offered, sent back as it was in a Khmer secretary's form.
    form = VoteForm({"subject": RESOLUTION["km"], **TALLY})
    assert form.is_valid()
    vote = holding.record_vote(meeting, form.cleaned_data["subject"], *TALLY.values())
    assert vote.subject == ""
    for language, name in RESOLUTION.items():
        with translation.override(language):
            assert vote.heading == name
    typed = holding.record_vote(meeting, "Kết nạp đảng viên", *TALLY.values())
    with translation.override("km"):
        assert typed.heading == "Kết nạp đảng viên"


def test_the_migration_converts_chibos_wording_and_keeps_what_people_wrote(world):
    sealed_minutes(world)
    meeting = make_meeting(world.cell, status=Meeting.Status.PUBLISHED)
    items = {item.step: item for item in meeting.agenda_items.all()}
    with translation.override("vi"):
        assessment = str(Step.ASSESSMENT.label)
    written = {
        Step.NEXT_TASKS: NEXT_TASKS["km"],  # a Khmer secretary's agenda
        Step.ASSESSMENT: assessment,  # a Vietnamese one's
        Step.CONCLUSION: "Kết luận: giao việc cho tổ dân phố",  # changed by hand
    }
    for step, title in written.items():
        AgendaItem.objects.filter(pk=items[step].pk).update(title=title)
    notice = Notice.objects.create(meeting=meeting, version=1, content=notice_content(meeting))
    other = meeting.add_item(NEXT_TASKS["en"])  # an item of its own, named like a step
    votes = [
        Vote.objects.create(
            meeting=meeting,
            subject=subject,
            votes_for=1,
            votes_against=0,
            abstentions=0,
            adjusted_count=1,
            needed=1,
            passed=True,
        )
        for subject in (RESOLUTION["vi"], "Nghị quyết", "Nghị quyết tháng 3")
    ]

    migration.convert(apps, None)

    titles = dict(meeting.agenda_items.exclude(step=Step.OTHER).values_list("step", "title"))
    assert titles[Step.NEXT_TASKS] == titles[Step.ASSESSMENT] == ""
    assert titles[Step.CONCLUSION] == "Kết luận: giao việc cho tổ dân phố"
    other.refresh_from_db()
    assert other.title == NEXT_TASKS["en"]
    notice.refresh_from_db()
    sent = notice.content["items"][items[Step.NEXT_TASKS].position - 1]
    assert (sent["title"], sent["step"]) == ("", Step.NEXT_TASKS)
    # As the meeting would be sent now: publishing it again unchanged sends nothing.
    assert notice.content["items"] == notice_content(meeting)["items"][:-1]
    assert [Vote.objects.get(pk=v.pk).subject for v in votes] == ["", "", "Nghị quyết tháng 3"]
    verify()


# -- official PDFs ---------------------------------------------------------------------------


def sealed_minutes(world) -> Minutes:
    """Published minutes and resolution, sealed as their approval in the app seals them."""
    minutes = write_minutes(world)
    records.seal_all([minutes, *minutes.meeting.resolutions.all()])
    return minutes


def test_the_official_minutes_are_in_the_cells_working_language(world):
    minutes = sealed_minutes(world)
    client = world.client("member")
    official = text_of(client.get(url(minutes), HTTP_ACCEPT_LANGUAGE="en").content)
    assert NEXT_TASKS["vi"] in official and NEXT_TASKS["en"] not in official
    # The reader's own, on asking: the same record, the seal still holds.
    response = client.get(url(minutes) + "?language=en", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    own = text_of(response.content)
    assert NEXT_TASKS["en"] in own and NEXT_TASKS["vi"] not in own
    verify()  # the seal covers what the record says, in whatever language it is printed
    world.cell.language = "en"
    world.cell.save(update_fields=["language"])
    official = text_of(client.get(url(minutes), HTTP_ACCEPT_LANGUAGE="vi").content)
    assert NEXT_TASKS["en"] in official and NEXT_TASKS["vi"] not in official


def test_the_record_page_offers_the_pdf_in_the_readers_language_when_it_differs(world):
    minutes = write_minutes(world)
    page = reverse("meetings:minutes_version", args=[minutes.meeting.code, minutes.version])
    client = world.client("member")
    english = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{url(minutes)}?language=en"' in english
    vietnamese = client.get(page, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "?language=" not in vietnamese and f'href="{url(minutes)}"' in vietnamese


@pytest.mark.parametrize("asked", ["fr", "xx<script>", "VI"])
def test_it_refuses_a_language_it_does_not_speak(world, asked):
    minutes = write_minutes(world)
    client = world.client("member")
    response = client.get(url(minutes), {"language": asked}, HTTP_ACCEPT_LANGUAGE="km")
    assert response.status_code == 400
    assert "មិនមានឯកសារជាភាសានោះទេ" in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
