"""The demo's library on a small tree: at least 150 documents numbered as printed, some in
Khmer and some internal to a committee's subtree, with body text; studies whose completion
follows how each cell meets; the demo member's bookmarks and notes; the indicator rows."""

import random
import re
from datetime import UTC, date, datetime

import pytest

from chibo.library.demo import generate_library
from chibo.library.models import Bookmark, Document, LearningNote, Note, StudyCampaign
from chibo.meetings.demo import generate_history
from chibo.meetings.models import Meeting
from chibo.meetings.tests.test_demo_history import thirty_cells
from chibo.orgs.models import Organisation
from chibo.quality import rollup
from chibo.quality.models import MonthlyIndicators

NOW = datetime(2026, 6, 20, 3, 0, tzinfo=UTC)
KHMER = re.compile("[\u1780-\u17ff]")
pytestmark = pytest.mark.time_machine(NOW)


@pytest.fixture
def demo(world):
    thirty_cells(world)
    world.member.username = "member"  # the demo's member account
    world.member.save(update_fields=["username"])
    generate_history(random.Random(7), NOW, months=12, progress=False)
    generate_library(random.Random(7), NOW)
    return world


def test_it_shelves_at_least_150_documents_numbered_as_printed(demo):
    documents = Document.objects.all()
    assert documents.count() >= 150
    for document in documents:
        document.full_clean()  # numbers, dates and texts as the form would take them
        assert len(document.text) > 200
    khmer = documents.filter(language=Document.Language.KM)
    assert khmer.count() >= 10 and all(KHMER.search(d.title) for d in khmer)
    assert documents.filter(audience__isnull=False).count() >= 30
    new = Document.objects.get(number="42-HD/BTCTW", language="vi")
    assert new.replaces.number == "12-HD/BTCTW"


def test_studies_are_completed_more_by_cells_that_meet(demo):
    assert StudyCampaign.objects.count() == 3
    held = {
        cell: Meeting.objects.filter(cell=cell, status=Meeting.Status.CLOSED).count()
        for cell in Organisation.objects.get_children(demo.ward)
    }
    over = StudyCampaign.objects.filter(deadline__lt=NOW.date()).order_by("deadline").first()
    notes = LearningNote.objects.filter(campaign=over)
    assert notes.exists()
    best = max(held, key=held.get)
    worst = min(held, key=held.get)
    share = {
        cell: notes.filter(cell=cell).count() / max(1, cell.members.count())
        for cell in (best, worst)
    }
    assert share[best] >= share[worst]
    assert notes.filter(status=LearningNote.Status.RETURNED).count() < notes.count() / 5


def test_the_demo_member_has_bookmarks_and_private_notes(demo):
    mai = demo.member.member
    assert Bookmark.objects.filter(member=mai).count() >= 3
    assert Note.objects.filter(member=mai).exists()


def test_the_studies_reach_the_monthly_rows(demo):
    rollup.rebuild(today=date(2026, 6, 20))
    rows = MonthlyIndicators.objects.filter(organisation=demo.ward, study_due__gt=0)
    assert rows.exists()
    assert all(row.study_done <= row.study_due for row in rows)


def test_the_search_finds_the_demos_documents_once_indexed(demo):
    from chibo.access.scope import Scope
    from chibo.lib.search import parse
    from chibo.library.index import indexing
    from chibo.library.searching import search

    indexing.rebuild_all()
    assert not indexing.SearchQueue.objects.exists()
    results = search(Scope(demo.member), parse("nghi quyet 57"))
    assert results.hits[0].title.startswith("57-NQ/TW")
    assert results.counts["document"] >= 1
