"""Query budgets: each library page asks the same number of queries for 2 rows as for 40."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from chibo.library.models import Bookmark, Document
from chibo.library.tests.library_data import shelved
from chibo.meetings.tests.holding_data import count_queries

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))


def fill(world, count: int, start: int = 0) -> list[Document]:
    found = []
    for i in range(start, start + count):
        audience = world.city if i % 2 else None
        document = shelved(audience=audience, number=f"{i + 1}-NQ/TW", issued_on=date(2024, 1, 1))
        Bookmark.objects.create(member=world.member.member, document=document)
        found.append(document)
    return found


def test_the_list_and_bookmarks_cost_the_same_for_2_and_40_documents(world):
    member = world.client("member")
    fill(world, 2)
    pages = [reverse("library:index"), reverse("library:bookmarks")]
    small = [count_queries(member, page) for page in pages]
    fill(world, 38, start=2)
    assert [count_queries(member, page) for page in pages] == small


def test_a_document_costs_the_same_with_2_and_40_links(world):
    member = world.client("member")
    target = shelved(number="100-NQ/TW")
    for document in fill(world, 2):
        document.amends = target
        document.save(update_fields=["amends"])
    page = reverse("library:document", args=[target.code])
    small = count_queries(member, page)
    for document in fill(world, 38, start=2):
        document.amends = target
        document.save(update_fields=["amends"])
    assert count_queries(member, page) == small
