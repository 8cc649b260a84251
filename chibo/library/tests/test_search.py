"""The search over every kind of record: relevance in Vietnamese and Khmer with ranks written
down, bad queries, staying current, access, the rebuild and the number of queries. The same
tests run on SQLite (FTS5) and PostgreSQL (tsvector)."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q

from chibo.access.scope import Scope
from chibo.conftest import make_member
from chibo.lib.search import parse
from chibo.library.index import engine, indexing, keys, reading, schema
from chibo.library.models import Document, SearchEntry, SearchQueue
from chibo.library.searching import KINDS, search
from chibo.library.tests.library_data import shelved, standing
from chibo.library.tests.search_data import NOW, WORD, everything, with_minutes
from chibo.meetings.models import Comment, Meeting
from chibo.orgs.models import Member, Organisation

pytestmark = pytest.mark.time_machine(NOW, tick=False)

KHMER_TITLE = "សេចក្តីសម្រេចចិត្តស្តីពីការរីកចម្រើនវិទ្យាសាស្ត្រ"


@pytest.fixture(params=["within first", "words first"])
def order(request, settings) -> str:
    """Both ways of searching, whoever searches: from the user's reach, or from the words."""
    settings.CHIBO_SEARCH_NARROW_CELLS = 10**6 if request.param == "within first" else -1
    return request.param


def numbers(world, typed: str, persona: str = "member", **filters) -> list[str]:
    results = search(Scope(getattr(world, persona)), parse(typed), **filters)
    return [hit.title.split()[0] for hit in results.hits]


@pytest.fixture
def corpus(world) -> dict[str, Document]:
    """A small library in both scripts, every document national (everyone finds them all)."""
    docs = {
        "57": shelved(
            number="57-NQ/TW",
            title="Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo",
            issued_on=date(2024, 12, 22),
        ),
        "57km": shelved(
            number="57-NQ/TW",
            title=KHMER_TITLE,
            language=Document.Language.KM,
            issued_on=date(2024, 12, 23),
        ),
        "66": shelved(
            number="66-NQ/TW",
            title="Nghị quyết về đổi mới công tác xây dựng và thi hành pháp luật",
            summary="Tiếp nối Nghị quyết số 57-NQ/TW của Bộ Chính trị.",
            issued_on=date(2025, 4, 30),
        ),
        "42": shelved(
            number="42-HD/BTCTW",
            title="Hướng dẫn chuyển đổi số trong sinh hoạt chi bộ",
            type=Document.Type.GUIDANCE,
            issued_on=date(2023, 1, 10),
        ),
        "13": shelved(
            number="13/2023/NĐ-CP",
            title="Nghị định về bảo vệ dữ liệu cá nhân",
            summary="Các cơ quan thực hiện chuyển đổi số phải bảo vệ dữ liệu.",
            issued_on=date(2023, 4, 17),
        ),
        "09": shelved(
            number="09-KL/TW",
            title="Kết luận về chuyển đổi số quốc gia",
            issued_on=date(2024, 6, 1),
        ),
        "05": shelved(
            number="05-CT/TW",
            title="ការណែនាំស្តីពីការអភិវឌ្ឍន៍សេដ្ឋកិច្ចក្នុងភូមិ",
            language=Document.Language.KM,
            issued_on=date(2022, 3, 3),
        ),
    }
    indexing.drain()
    return docs


# -- relevance, the expected rank written in each test ------------------------------------


def test_nghi_quyet_57_without_diacritics_finds_the_resolution_first(world, corpus, order):
    # 57-NQ/TW has every word in its title; 66-NQ/TW names it only in its summary.
    assert numbers(world, "nghi quyet 57") == ["57-NQ/TW", "66-NQ/TW"]


@pytest.mark.parametrize("typed", ["57-NQ/TW", "57 nq tw", "57/nq-tw", "57NQTW"])
def test_an_official_number_typed_any_way_finds_its_documents_first(world, corpus, typed, order):
    # Both texts of 57-NQ/TW (the Khmer one newer), then the one that cites it.
    assert numbers(world, typed) == ["57-NQ/TW", "57-NQ/TW", "66-NQ/TW"]
    first = search(Scope(world.admin), parse(typed)).hits[0]
    assert first.title == f"57-NQ/TW {KHMER_TITLE}"


def test_a_khmer_word_is_found_inside_a_run_of_text(world, corpus, order):
    assert numbers(world, "សេដ្ឋកិច្ច") == ["05-CT/TW"]
    assert numbers(world, "វិទ្យាសាស្ត្រ") == ["57-NQ/TW"]
    # Typed with the subscript "da" where the text has "ta", as many keyboards do.
    assert numbers(world, "វិទ្យាសាស្ដ្រ") == ["57-NQ/TW"]


def test_title_beats_body_and_newer_comes_first_among_equals(world, corpus, order):
    # Titles: 09-KL/TW (2024) before 42-HD/BTCTW (2023); 13/2023 has it in its summary only.
    assert numbers(world, "chuyen doi so") == ["09-KL/TW", "42-HD/BTCTW", "13/2023/NĐ-CP"]


def test_some_words_in_the_title_rank_above_none(world, corpus, order):
    # "bảo vệ" is in 13/2023's title, "chuyển đổi số" in its summary: a partial title match.
    assert numbers(world, "bao ve chuyen doi so") == ["13/2023/NĐ-CP"]
    assert numbers(world, "du lieu chuyen doi") == ["13/2023/NĐ-CP"]


def test_the_last_word_still_being_typed_finds_the_words_it_begins(world, corpus, order):
    admin = Scope(world.admin)
    typed = [h.title.split()[0] for h in search(admin, parse("chuyen do"), prefix=True).hits]
    assert typed == ["09-KL/TW", "42-HD/BTCTW", "13/2023/NĐ-CP"]
    assert search(admin, parse("chuyen do")).total == 0  # without it, "do" is a whole word
    assert search(admin, parse("chuyen doi s"), prefix=True).total == 0  # one letter is not
    assert [h.title for h in search(admin, parse("nghi quy"), prefix=True).hits][:1] == [
        "66-NQ/TW Nghị quyết về đổi mới công tác xây dựng và thi hành pháp luật"
    ]


def test_counts_filters_and_paging(world, corpus, order):
    scope = Scope(world.admin)
    results = search(scope, parse("nghi quyet"))
    assert results.counts == {"document": 2} and results.total == 2
    assert numbers(world, "chuyen doi so", since=date(2023, 3, 1)) == ["09-KL/TW", "13/2023/NĐ-CP"]
    assert numbers(world, "chuyen doi so", until=date(2023, 3, 1)) == ["42-HD/BTCTW"]
    paged = search(scope, parse("chuyen doi so"), offset=1, limit=1)
    assert [h.title.split()[0] for h in paged.hits] == ["42-HD/BTCTW"] and paged.total == 3
    assert search(scope, parse("chuyen doi so"), kind="meeting").total == 0
    # National documents belong to no organisation: a search within one leaves them out.
    assert numbers(world, "chuyen doi so", within=world.city) == []


# -- bad queries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "a" * 10_000,
        "nghị quyết " * 1000,
        "!!! ... ---",
        '" * NEAR ( ) :',
        "title_words : nghi",
        "nghi*",
        '"57" OR 1=1; DROP TABLE library_searchentry; --',
        "AND OR NOT NEAR",
        "nghị quyết ការ 57-NQ/TW",
        "\x00\u200b\ufeff",
        "x017800178f",
    ],
)
def test_bad_queries_give_empty_or_cut_results_never_an_error(world, corpus, typed, order):
    results = search(Scope(world.member), parse(typed))
    assert results.total == len(results.hits) <= 20
    assert SearchEntry.objects.filter(kind="document").count() == len(corpus)


def test_an_unknown_kind_gives_nothing(world, corpus):
    assert search(Scope(world.admin), parse("nghi quyet"), kind="nothing").total == 0


# -- staying current -----------------------------------------------------------------------


def test_a_document_is_found_when_added_changed_and_no_more_when_deleted(world):
    admin = Scope(world.admin)
    document = shelved(number="07-NQ/TW", title="Nghị quyết về phòng chống tham nhũng")
    assert numbers(world, "tham nhung") == ["07-NQ/TW"]  # found at once: queued, then drained
    document.title = "Nghị quyết về cải cách hành chính"
    document.save()
    assert numbers(world, "tham nhung") == []
    assert numbers(world, "cai cach") == ["07-NQ/TW"]
    document.delete()
    assert search(admin, parse("cai cach")).total == 0
    assert not SearchEntry.objects.filter(kind="document").exists()


def test_a_bulk_update_is_indexed_by_the_drain(world):
    shelved(number="07-NQ/TW", title="Nghị quyết về phòng chống tham nhũng")
    shelved(number="08-NQ/TW", title="Nghị quyết về phòng chống lãng phí")
    indexing.drain()
    Document.objects.update(summary="Thực hành tiết kiệm")
    assert SearchQueue.objects.count() == 2  # the triggers saw the update the ORM did in bulk
    assert indexing.drain() == 2
    assert numbers(world, "tiet kiem") == ["08-NQ/TW", "07-NQ/TW"]


def test_a_member_finds_their_comment_at_once_and_minutes_once_published(world):
    from chibo.meetings.tests.test_planning import make_meeting

    meeting = make_meeting(world.cell, status=Meeting.Status.PUBLISHED, theme="Họp tháng")
    Comment.objects.create(
        item=meeting.agenda_items.first(),
        author=Member.objects.get(full_name="Nguyễn Thị Mai"),
        body="Đề nghị sửa cống thoát nước",
    )
    results = search(Scope(world.member), parse("cong thoat nuoc"))
    assert results.counts == {"comment": 1}
    assert results.hits[0].url.endswith("/comments/")
    minutes = with_minutes(meeting, "Chi bộ thống nhất nạo vét kênh", published=False)
    assert search(Scope(world.member), parse("nao vet kenh")).total == 0  # a draft is not found
    minutes.status = minutes.Status.PUBLISHED
    minutes.save()
    hits = search(Scope(world.member), parse("nao vet kenh")).hits
    assert [(h.kind, h.object_id, h.place) for h in hits] == [
        ("meeting", meeting.pk, "Chi bộ khu 1")
    ]


def test_triggers_survive_a_table_rebuilt_by_a_later_migration(world, django_db_blocker):
    from django.db import connection

    from chibo.library.index.schema import install_triggers

    install_triggers(connection)  # what every `migrate` does at its end: harmless again
    shelved(number="07-NQ/TW", title="Nghị quyết về phòng chống tham nhũng")
    assert SearchQueue.objects.filter(kind="document").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the keys are SQLite's full-text table's")
def test_the_keys_come_back_after_a_later_migration_rebuilds_the_table(world):
    """Django rebuilds a SQLite table to alter it, from the model's fields: the keys, no field,
    are left out with the triggers, and the next `migrate` gives them back."""
    shelved(number="07-NQ/TW", title="Nghị quyết về phòng chống tham nhũng")
    indexing.drain()
    with connection.cursor() as cursor:
        for name in schema.FTS_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(f"ALTER TABLE {engine.TABLE} DROP COLUMN keys")
    schema.install_triggers(connection)
    shelved(number="08-NQ/TW", title="Nghị quyết về phòng chống tham nhũng, lãng phí")
    indexing.drain()
    assert sorted(numbers(world, "tham nhung")) == ["07-NQ/TW", "08-NQ/TW"]


# -- access --------------------------------------------------------------------------------

PERSONAS = ("member", "secretary", "supervisor", "committee", "outsider", "admin", "ward")


def personas(world) -> dict[str, Scope]:
    found = {p: Scope(getattr(world, p)) for p in PERSONAS if p != "ward"}
    found["ward"] = Scope(standing(world, world.ward, "hai"))
    return found


def own_lists(scope: Scope) -> set[tuple[str, int]]:
    meetings = scope.meetings()
    lists = {
        "document": scope.library_documents(),
        "meeting": meetings,
        "comment": Comment.objects.filter(item__meeting__in=meetings),
        "task": scope.action_items(),
        "member": scope.members(),
        "voice": scope.voices(),
        "guidance": scope.guidance(),
    }
    return {(kind, pk) for kind, qs in lists.items() for pk in qs.values_list("pk", flat=True)}


def test_each_persona_finds_exactly_what_its_own_lists_hold(world):
    scopes = personas(world)
    made = everything(world)
    assert SearchEntry.objects.filter(kind="voice", object_id=made["door"].pk).count() == 0
    for name, scope in scopes.items():
        entries = set(scope.search_entries().values_list("kind", "object_id"))
        assert entries == own_lists(scope), name
    # The drafts announced, one called off after its notice: their comments follow them.
    drafts = Meeting.objects.filter(status=Meeting.Status.DRAFT)
    drafts.filter(cell=world.cell).update(status=Meeting.Status.PUBLISHED)
    drafts.filter(cell=world.sister_cell).update(status=Meeting.Status.CANCELLED, published_at=NOW)
    indexing.drain()
    for name, scope in scopes.items():
        entries = set(scope.search_entries().values_list("kind", "object_id"))
        assert entries == own_lists(scope), name


def holding(expression: str) -> set[int]:
    """The entries whose keys in SQLite's full-text table answer the FTS5 expression."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {engine.FTS} WHERE {engine.FTS} MATCH %s",
            [f"keys : ({expression})"],
        )
        return {pk for (pk,) in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the keys are SQLite's full-text table's")
def test_the_keys_in_the_full_text_table_say_what_the_rules_of_access_say(world):
    """The FTS5 expression of each persona's rules finds exactly the entries their `Q` finds,
    of every kind and of each: an expression that found more would only be slower, one that
    found fewer would hide what the user may find."""
    scopes = personas(world)
    everything(world)
    for name, scope in scopes.items():
        for kinds in [None, *([kind] for kind in KINDS)]:
            rule = scope.search_keys(kinds)
            expected = set(SearchEntry.objects.filter(rule.q).values_list("pk", flat=True))
            if rule.fts is None:  # the administrator's "everything"
                assert name == "admin" and kinds is None
                continue
            assert holding(rule.fts) == expected, (name, kinds)


DAYS = [
    date(1930, 2, 3),
    date(1999, 12, 31),
    date(2000, 1, 1),
    date(2019, 10, 31),
    date(2024, 2, 29),
    date(2026, 1, 1),
    date(2026, 11, 30),
    date(2026, 12, 1),
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2099, 9, 9),
]


def month(day: date) -> tuple[int, int]:
    return day.year, day.month


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the keys are SQLite's full-text table's")
def test_the_months_in_the_full_text_table_say_what_the_dates_asked_for_say(world):
    """Every span of days, open or closed on either side, asks FTS5 for exactly the entries of
    its months, from the Party's first year to this century's last, and none without a date."""
    made = [shelved(number=f"{n}-NQ/TW") for n in range(len(DAYS) + 1)]
    indexing.drain()
    documents = SearchEntry.objects.filter(kind="document")
    # Days no document is issued on (the library takes 2000–2100), and one without a day: the
    # update trigger gives each entry the keys of its new day.
    for document, day in zip(made, [*DAYS, None], strict=True):
        documents.filter(object_id=document.pk).update(on=day)
    for since in [None, *DAYS]:
        for until in [None, *DAYS]:
            asked = keys.dated(since, until)
            if asked.fts is None:
                assert since is until is None
                continue
            found = holding(f"kdocument AND {asked.fts}")
            expected = {
                e.pk
                for e in documents
                if e.on is not None
                and (since is None or month(e.on) >= month(since))
                and (until is None or month(e.on) <= month(until))
            }
            assert found == expected, (since, until)
            days = set(documents.filter(asked.q).values_list("pk", flat=True))
            assert days <= found, "the months hold every day asked for"


def test_no_result_or_count_reveals_a_record_outside_the_users_scope(world, order):
    scopes = personas(world)
    made = everything(world)
    foreign_docs = {d.pk for d in made["documents"] if d.audience_id == world.other_city.pk}
    for name, scope in scopes.items():
        visible = own_lists(scope)
        results = search(scope, parse(WORD.lower()), limit=100)
        assert {(h.kind, h.object_id) for h in results.hits} <= visible, name
        for kind, count in results.counts.items():
            words = SearchEntry.objects.filter(kind=kind, title_words__contains="ngap")
            words |= SearchEntry.objects.filter(kind=kind, body_words__contains="ngap")
            mine = {(kind, pk) for pk in words.values_list("object_id", flat=True)} & visible
            assert count == len(mine), (name, kind)
        assert results.total == len(results.hits)
        if name not in ("admin", "outsider"):
            # Another committee's internal document: not in any hit, count or snippet.
            assert not any(
                h.kind == "document" and h.object_id in foreign_docs for h in results.hits
            )
            assert "cửa công khai" not in " ".join(h.text + h.title for h in results.hits)
    assert search(scopes["member"], parse(WORD)).counts == {
        "document": 3,  # the national one, the city's and the ward's
        "meeting": 1,  # her cell's published one (not its draft, not the sister cell's)
        "comment": 1,
        "task": 1,
        "member": 1,
        "voice": 1,
    }


def test_a_cell_moved_to_another_ward_is_found_by_its_new_committee_alone(world, order):
    """A move in the tree changes the paths that the rules of access read: the moved cell's
    entries follow it by the next search, for its old committee and its new one."""
    made = everything(world)
    other_ward = Organisation.objects.get_parent(world.foreign_cell)
    users = {
        "old": standing(world, world.ward, "hai", cell=world.cell),
        "new": standing(world, other_ward, "ba", cell=world.foreign_cell),
    }
    sister = {("meeting", m.pk) for m in made["meetings"] if m.cell_id == world.sister_cell.pk}
    words = SearchEntry.objects.filter(
        Q(title_words__contains="ngap") | Q(body_words__contains="ngap")
    )
    matching = set(words.values_list("kind", "object_id"))

    def found(who: str) -> set[tuple[str, int]]:
        scope = Scope(users[who])
        hits = {(h.kind, h.object_id) for h in search(scope, parse(WORD.lower()), limit=100).hits}
        assert hits == own_lists(scope) & matching, who
        return hits

    assert found("old") & sister and not found("new") & sister
    # As the back office moves it.
    Organisation.objects.move(world.sister_cell, other_ward, "last-child")
    assert not found("old") & sister
    assert found("new") & sister


def test_a_small_reach_is_searched_within_and_a_large_one_from_the_words(world, settings):
    settings.CHIBO_SEARCH_NARROW_CELLS = 2
    scopes = personas(world)
    assert scopes["member"].searches_narrowly, "her cell"
    assert not scopes["committee"].searches_narrowly, "the city's two cells and his own"
    assert not scopes["admin"].searches_narrowly, "everything"


def test_card_numbers_are_found_only_by_those_who_see_them(world, order):
    scopes = personas(world)
    everything(world)
    card = Member.objects.get(full_name="Lê Văn Vũ").card_number
    found = {name: search(scope, parse(card)).total for name, scope in scopes.items()}
    # Vũ himself, the committees above his cell and the admin see his card; his fellow members
    # see it masked; the other city does not reach him at all.
    assert found["admin"] == found["committee"] == found["ward"] == 1
    assert found["outsider"] == 0
    assert found["member"] == 0 and found["secretary"] == 0


# -- the rebuild and the queries -----------------------------------------------------------


def test_rebuild_makes_every_entry_anew_and_empties_the_queue(world, capsys):
    everything(world)
    before = set(SearchEntry.objects.values_list("kind", "object_id", "title_words"))
    SearchEntry.objects.all().delete()
    call_command("search", "rebuild", "--quiet")
    assert set(SearchEntry.objects.values_list("kind", "object_id", "title_words")) == before
    assert not SearchQueue.objects.exists()
    assert f"{len(before)} " in capsys.readouterr().out
    call_command("search", "rebuild", "--kind", "member", "--quiet")
    assert set(SearchEntry.objects.values_list("kind", "object_id", "title_words")) == before
    assert set(SearchEntry.objects.values_list("kind", flat=True)) == set(KINDS)


def test_writes_made_without_the_queue_queue_nothing_and_the_triggers_come_back(world):
    SearchQueue.objects.all().delete()
    with transaction.atomic(), schema.unqueued(connection):
        make_member(world.cell, "Trần Văn Mới")
        Member.objects.filter(full_name="Nguyễn Thị Mai").update(full_name="Nguyễn Thị Mai Anh")
    assert not SearchQueue.objects.exists()
    make_member(world.cell, "Trần Văn Sau")
    assert SearchQueue.objects.filter(kind="member").count() == 1


def test_a_search_takes_a_handful_of_queries_whatever_the_hits(
    world, django_assert_max_num_queries, order
):
    for n in range(30):
        shelved(number=f"{n + 1}-NQ/TW", title=f"Nghị quyết số {n + 1} về phòng chống ngập úng")
    indexing.drain()
    scope = Scope(world.member)
    search(scope, parse("ngap"))  # the reach read and kept, as on any page after the first
    with django_assert_max_num_queries(4):
        results = search(scope, parse("phong chong ngap ung"))
    assert results.total == 30 and len(results.hits) == 20
    assert Q(pk__in=[]) is not None


def test_past_the_cap_a_wide_search_takes_a_bounded_number_of_queries(
    world, settings, django_assert_max_num_queries
):
    """The queue, the counts, the kinds under the cap, the numbers typed whole, two spans of
    time for each of three tiers, and the page's rows."""
    settings.CHIBO_SEARCH_CAP = 2
    for n in range(1, 31):
        about = " về chống ngập úng" if n == 7 else ""
        shelved(number=f"{n}-NQ/TW", title=f"Nghị quyết số {n}{about}", summary="Chống ngập úng.")
    indexing.drain()
    with django_assert_max_num_queries(11):
        results = search(Scope(world.admin), parse("chong ngap ung"))
    assert results.more == {"document"} and results.total == 2
    assert [hit.title.split()[0] for hit in results.hits] == ["7-NQ/TW", "30-NQ/TW"]


@pytest.mark.parametrize("typed", ["sinh hoạt thường kỳ", "កិច្ចប្រជុំទៀងទាត់", "regular meeting"])
def test_a_meeting_without_a_theme_is_found_by_its_kind_in_each_language(world, typed, order):
    from chibo.meetings.tests.test_planning import make_meeting

    meeting = make_meeting(world.cell, status=Meeting.Status.PUBLISHED, starts_at=NOW)
    indexing.drain()
    results = search(Scope(world.member), parse(typed), kind="meeting")
    assert [hit.object_id for hit in results.hits] == [meeting.pk]


def test_past_the_cap_a_title_match_still_ranks_before_newer_body_matches(world, settings, order):
    settings.CHIBO_SEARCH_CAP = 2
    shelved(number="36-NQ/TW", title="Nghị quyết về chuyển đổi số", issued_on=date(2015, 1, 5))
    for i in range(4):
        shelved(
            number=f"{i + 1}-HD/TW",
            title=f"Hướng dẫn số {i + 1}",
            summary="Các bước chuyển đổi số trong sinh hoạt.",
            issued_on=date(2024, 1, i + 1),
        )
    results = search(Scope(world.admin), parse("chuyen doi so"))
    assert results.counts == {"document": 2}
    assert results.more == {"document"}
    assert results.total == 2 and results.bounded
    assert [h.title.split()[0] for h in results.hits] == ["36-NQ/TW", "4-HD/TW"]


DIKES = ["2-HD/TW", "1-HD/TW", "3-HD/TW", "4-HD/TW", "8-HD/TW", "7-HD/TW", "6-HD/TW", "5-HD/TW"]


def dikes_shelved() -> None:
    """Documents on dikes: two hold both words in the title, two one of them, four (the newest)
    only in the body, one neither."""
    today = NOW.date()
    shelved(number="1-HD/TW", title="Bảo vệ đê điều", issued_on=today - timedelta(days=400))
    shelved(number="2-HD/TW", title="Kiểm tra đê điều", issued_on=today - timedelta(days=10))
    # The title holds one of the two words; the body holds both.
    shelved(
        number="3-HD/TW",
        title="Tu bổ đê",
        summary="Đoạn đê điều xung yếu.",
        issued_on=today - timedelta(days=100),
    )
    shelved(
        number="4-HD/TW",
        title="Điều hành mùa lũ",
        summary="Canh gác đê điều.",
        issued_on=today - timedelta(days=800),
    )
    for n in range(5, 9):
        shelved(
            number=f"{n}-HD/TW",
            title=f"Hướng dẫn số {n}",
            summary="Gia cố đê điều trước mùa mưa.",
            issued_on=today - timedelta(days=10 - n),
        )
    shelved(number="9-HD/TW", title="Đê biển", summary="Trồng rừng ngập mặn.", issued_on=today)


@pytest.mark.parametrize(
    "cap, recent",
    [(5, 31), (5, 1), (5, 5000), (1000, 31)],
    ids=["past the cap", "nothing recent", "everything recent", "under the cap"],
)
def test_a_wide_search_pages_in_rank_order_however_it_reads_the_matches(
    world, settings, monkeypatch, cap, recent
):
    """Past the cap, the administrator's page is read tier by tier, the newest matches first
    and further back until the page is full. Each way gives the same pages."""
    settings.CHIBO_SEARCH_CAP = cap
    monkeypatch.setattr(reading, "RECENT", recent)
    dikes_shelved()
    dikes = DIKES[:cap]
    for kind in (None, "document"):
        pages = [
            numbers(world, "đê điều", "admin", kind=kind, offset=at, limit=2) for at in (0, 2, 4, 6)
        ]
        assert [n for page in pages for n in page] == dikes
    results = search(Scope(world.admin), parse("de dieu"))
    assert results.counts == {"document": len(dikes)} and results.total == len(dikes)


@pytest.mark.parametrize(
    "cap, since, until, expected",
    [
        (3, 20, None, ["2-HD/TW", "8-HD/TW", "7-HD/TW"]),
        (1, None, 300, ["1-HD/TW"]),
        (2, 200, 5, ["2-HD/TW", "3-HD/TW"]),
    ],
    ids=["recent days", "long ago", "up to days ago"],
)
def test_a_wide_search_past_the_cap_keeps_to_the_dates_asked_for(
    world, settings, cap, since, until, expected
):
    settings.CHIBO_SEARCH_CAP = cap
    dikes_shelved()
    today = NOW.date()
    dates = {
        "since": today - timedelta(days=since) if since else None,
        "until": today - timedelta(days=until) if until else None,
    }
    results = search(Scope(world.admin), parse("đê điều"), **dates)
    assert results.more == {"document"}
    assert [hit.title.split()[0] for hit in results.hits] == expected
