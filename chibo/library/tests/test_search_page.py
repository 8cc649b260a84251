"""The search page: the box in every page's header, results grouped by kind with the words
marked, filters, bad input answered in words, and nothing shown from outside the viewer's reach."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from chibo.library.tests.library_data import shelved
from chibo.library.views import search as search_view
from chibo.meetings.tests.holding_data import count_queries

pytestmark = pytest.mark.time_machine(datetime(2026, 12, 15, 3, 0, tzinfo=UTC))
SEARCH = reverse("library:search")
# What the search page costs a member, however many results (see the test below).
QUERIES = 6


def found(client, **asked) -> str:
    response = client.get(SEARCH, asked, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def test_every_signed_in_page_has_the_search_box(world):
    page = world.client("member").get(reverse("home")).content.decode()
    assert f'action="{SEARCH}"' in page
    assert 'role="search"' in page


def test_a_resolution_is_found_without_marks_and_its_words_are_marked(world):
    document = shelved(number="57-NQ/TW")
    page = found(world.client("member"), q="nghi quyet 57")
    assert reverse("library:document", args=[document.code]) in page
    assert "<mark>Nghị</mark> <mark>quyết</mark>" in page
    assert 'id="found-document"' in page


def test_the_number_typed_any_way_finds_the_document(world):
    document = shelved(number="57-NQ/TW")
    shelved(number="58-NQ/TW", title="Nghị quyết về công tác dân vận")
    for typed in ("57-NQ/TW", "57 nq tw", "57/nq-tw"):
        page = found(world.client("member"), q=typed)
        assert reverse("library:document", args=[document.code]) in page, typed
        assert "dân vận" not in page, typed


def test_a_kind_filter_shows_only_that_kind_and_the_tabs_count_the_rest(world):
    shelved(number="57-NQ/TW", title="Nghị quyết về chuyển đổi số của Mai")
    everything = found(world.client("secretary"), q="mai")
    assert 'id="found-document"' in everything
    assert 'id="found-member"' in everything  # Nguyễn Thị Mai, a member of the cell
    documents = found(world.client("secretary"), q="mai", kind="document")
    assert 'id="found-member"' not in documents
    assert 'aria-current="page">Documents' in documents


def test_dates_narrow_the_results(world):
    shelved(number="57-NQ/TW", issued_on=date(2024, 12, 22))
    old = shelved(number="36-NQ/TW", issued_on=date(2015, 1, 5))
    page = found(world.client("member"), q="nghi quyet", since="2020-01-01")
    assert reverse("library:document", args=[old.code]) not in page
    assert "57-NQ/TW" in page


def test_an_internal_document_of_another_committee_is_never_shown_nor_counted(world):
    shelved(number="12-NQ/TU", title="Nghị quyết nội bộ về nhân sự", audience=world.other_city)
    page = found(world.client("member"), q="nhan su")
    assert "nội bộ" not in page
    assert 'class="badge"' not in page  # no count of anything
    assert "Nothing you may see matches" in page
    assert "nội bộ" in found(world.client("outsider"), q="nhan su")


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_search_says_what_to_type(world, typed):
    assert "Type a few words" in found(world.client("member"), q=typed)


@pytest.mark.parametrize("typed", ["!!!", "??? ...", '( ) : * "', "«»—"])
def test_only_punctuation_is_answered_in_words(world, typed):
    assert "There is nothing to search for" in found(world.client("member"), q=typed)


@pytest.mark.parametrize("typed", ['" * NEAR ( ) :', "'; DROP TABLE library_document; --"])
def test_query_syntax_is_searched_as_plain_words(world, typed):
    shelved(number="57-NQ/TW")
    page = found(world.client("member"), q=typed)
    assert "Nothing you may see matches" in page
    assert "57-NQ/TW" not in page


def test_a_query_of_10000_characters_is_searched_by_its_beginning(world):
    shelved(number="57-NQ/TW")
    page = found(world.client("member"), q=("nghị quyết " * 1000)[:10_000])
    assert "Only the beginning of what you typed was searched" in page
    assert "57-NQ/TW" in page


def test_a_query_beyond_10000_characters_is_refused_in_words(world):
    page = found(world.client("member"), q="nghị quyết " * 1000)
    assert "at most 10000 characters" in page


def test_a_mixed_script_query_is_searched(world):
    shelved(number="57-NQ/TW", title="Nghị quyết về ការសិក្សា")
    assert "57-NQ/TW" in found(world.client("member"), q="nghi quyet ការសិក្សា")


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ({"since": "2026-12-01", "until": "2026-01-01"}, "The end date comes before the start"),
        ({"since": "31/02/2026"}, "Enter a valid date"),
        ({"within": "not-a-code"}, "Choose an organisation you may see"),
        ({"kind": "password"}, "Select a valid choice"),
    ],
)
def test_a_filter_that_makes_no_sense_is_answered_in_words(world, asked, message):
    shelved(number="57-NQ/TW")
    page = found(world.client("member"), q="nghi quyet", **asked)
    assert message in page
    assert "57-NQ/TW" not in page


def test_an_organisation_outside_reach_cannot_be_searched_within(world):
    page = found(world.client("member"), q="nghi quyet", within=str(world.foreign_cell.code))
    assert "Choose an organisation you may see" in page


def test_a_record_s_text_is_never_rendered_as_markup(world):
    shelved(number="57-NQ/TW", title="Nghị quyết <script>alert(1)</script> về chuyển đổi số")
    page = found(world.client("member"), q="chuyen doi so")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_page_speaks_the_viewer_s_language(world):
    client = world.client("member")
    response = client.get(SEARCH, headers={"Accept-Language": "km"})
    assert "<h1>ស្វែងរក</h1>" in response.content.decode()


def test_an_odd_page_number_is_the_first_page(world):
    shelved(number="57-NQ/TW")
    assert "57-NQ/TW" in found(world.client("member"), q="nghi quyet", page="x")


def test_the_page_costs_the_same_for_2_and_40_results(world):
    member = world.client("member")
    address = f"{SEARCH}?q=nghi+quyet"
    for i in range(2):
        shelved(number=f"{i + 1}-NQ/TW", title=f"Nghị quyết số {i + 1}")
    member.get(address)  # what was just written is indexed on the first search
    small = count_queries(member, address)
    for i in range(2, 40):
        shelved(number=f"{i + 1}-NQ/TW", title=f"Nghị quyết số {i + 1}")
    member.get(address)
    assert count_queries(member, address) == small


def test_the_page_s_queries_as_a_member_are_counted(world):
    shelved(number="57-NQ/TW")
    member = world.client("member")
    address = f"{SEARCH}?q=nghi+quyet"
    member.get(address)  # what was just written is indexed on the first search
    # However many match: the counts are one query and the page another.
    assert count_queries(member, address) == QUERIES


@pytest.fixture
def past_the_cap(world, settings, monkeypatch):
    """Five resolutions, a search counting no further than three, two results a page."""
    settings.CHIBO_SEARCH_CAP = 3
    monkeypatch.setattr(search_view, "PAGE", 2)
    for i in range(5):
        shelved(number=f"{i + 1}-NQ/TW", title=f"Nghị quyết số {i + 1}")
    return world.client("member")


@pytest.mark.parametrize(
    "language, badge",
    [("en", '<span class="badge">3+</span>'), ("vi", "hơn 3"), ("km", "ជាង 3")],
)
def test_a_count_past_the_cap_says_there_are_more(past_the_cap, language, badge):
    response = past_the_cap.get(SEARCH, {"q": "nghi quyet"}, headers={"Accept-Language": language})
    page = response.content.decode()
    assert page.count(badge) == 2  # everything, and the documents
    assert '<span class="badge">5</span>' not in page


def test_paging_stops_at_the_cap_and_says_how_to_find_the_others(past_the_cap):
    first = found(past_the_cap, q="nghi quyet")
    assert first.count("</mark> số ") == 2
    assert "page=2" in first
    assert "Only the first 3 results can be shown" not in first
    second = found(past_the_cap, q="nghi quyet", page=2)
    assert second.count("</mark> số ") == 1
    assert "page=3" not in second
    assert "Only the first 3 results can be shown" in second
    beyond = found(past_the_cap, q="nghi quyet", page=9)
    assert "Only the first 3 results can be shown" in beyond
    assert "Nothing you may see matches" not in beyond


def test_past_the_cap_the_page_costs_the_same(past_the_cap, settings):
    address = f"{SEARCH}?q=nghi+quyet"
    past_the_cap.get(address)
    capped = count_queries(past_the_cap, address)
    settings.CHIBO_SEARCH_CAP = 1000
    assert count_queries(past_the_cap, address) == capped == QUERIES
