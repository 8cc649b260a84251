"""The bulk loader writes what `bulk_create` would, on SQLite and on PostgreSQL."""

import gc
from datetime import UTC, date, datetime

import pytest
from django.db import connection, connections
from django.utils import timezone

from chibo.conftest import make_member
from chibo.lib import bulk
from chibo.meetings.models import Meeting, Notice
from chibo.orgs.models import Member

FIELDS = ("id", "cell_id", "full_name", "search_name", "birth_date", "gender", "admitted_on")
FIELDS += ("official_on", "card_number", "citizen_id", "phone", "status")


def test_it_writes_rows_with_the_keys_handed_in_and_the_defaults_of_the_rest(world):
    first = bulk.next_id(Member)
    assert first > Member.objects.order_by("-pk").first().pk
    rows = [
        (first + i, world.cell.pk, f"Bùi Văn {i}", f"bui van {i}", date(1970, 1, 2 + i), "male")
        + (date(1990, 1, 1), None, f"B{i:08d}", f"02217000000{i}", "", "probationary")
        for i in range(3)
    ]
    assert bulk.load(Member, FIELDS, rows) == 3
    loaded = Member.objects.filter(pk__gte=first).order_by("pk")
    assert [tuple(getattr(m, f if f != "id" else "pk") for f in FIELDS) for m in loaded] == rows
    assert len({m.code for m in loaded}) == 3, "each row its own default, called per row"
    assert {m.user_id for m in loaded} == {None}
    # The next ordinary insert takes a key above those handed in.
    assert make_member(world.cell, "Đỗ Thị Hoa").pk > first + 2


def test_it_writes_aware_datetimes_and_json_as_django_would(world):
    starts = timezone.make_aware(datetime(2026, 3, 5, 19, 30))
    pk = bulk.next_id(Meeting)
    columns = ("id", "cell_id", "kind", "starts_at", "place", "status", "published_at")
    published = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    row = (pk, world.cell.pk, Meeting.Kind.REGULAR, starts, "Nhà văn hóa", "closed", published)
    bulk.load(Meeting, columns, [row])
    content = {"items": [{"title": "Khai mạc", "documents": []}], "planned_minutes": 90}
    bulk.load(Notice, ("meeting_id", "version", "content"), [(pk, 1, content)])
    meeting = Meeting.objects.get(pk=pk)
    assert meeting.starts_at == starts and meeting.published_at == published
    assert meeting.planned_minutes == 90 and meeting.code
    assert Meeting.objects.filter(starts_at__date=date(2026, 3, 5)).count() == 1
    assert meeting.notices.get().content == content


def test_it_writes_nothing_for_no_rows(world):
    assert bulk.load(Member, FIELDS, iter([])) == 0


def forty_members(world) -> None:
    born, admitted = date(1970, 1, 2), date(1990, 1, 1)
    rows = [(world.cell.pk, "Bùi Văn", born, "male", admitted, f"B{i:08d}") for i in range(40)]
    bulk.load(
        Member, ("cell_id", "full_name", "birth_date", "gender", "admitted_on", "card_number"), rows
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite plans the same without")
def test_after_a_load_the_planner_knows_how_many_rows_there_are(world):
    forty_members(world)
    counted = "SELECT reltuples FROM pg_class WHERE relname = %s"
    with connection.cursor() as cursor:
        cursor.execute(counted, [Member._meta.db_table])
        assert cursor.fetchone()[0] < 40, "never counted before"
        bulk.refresh_statistics()
        cursor.execute(counted, [Member._meta.db_table])
        assert cursor.fetchone()[0] == Member.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no visibility map")
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction only
def test_after_a_load_counts_covered_by_an_index_read_the_index_alone(world):
    forty_members(world)
    seen = "SELECT relpages, relallvisible FROM pg_class WHERE relname = %s"
    with connection.cursor() as cursor:
        bulk.refresh_statistics()
        cursor.execute(seen, [Member._meta.db_table])
        pages, visible = cursor.fetchone()
    assert pages > 0 and visible == pages


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a setting of PostgreSQL")
def test_pages_queries_are_never_compiled_to_machine_code(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a setting of PostgreSQL")
def test_a_common_phrases_map_of_matches_has_room_to_be_exact(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "64MB"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a setting of SQLite")
def test_a_searchs_rows_are_read_from_memory(tmp_path, django_db_blocker):
    # A file, as served: the tests' database lives in memory, where nothing is mapped.
    served = connections["default"].__class__(
        {**connection.settings_dict, "NAME": str(tmp_path / "db")}, alias="served"
    )
    try:
        with django_db_blocker.unblock(), served.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            assert cursor.fetchone()[0] == 1024**3
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -64 * 1024  # KiB
    finally:
        served.close()


def test_a_batch_pauses_the_collector_of_cycles_and_gives_it_back_whatever_happens():
    assert gc.isenabled()
    with bulk.uncollected():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), bulk.uncollected():
        raise ValueError
    assert gc.isenabled()
    gc.disable()  # a caller that paused it itself keeps it paused
    try:
        with bulk.uncollected():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
