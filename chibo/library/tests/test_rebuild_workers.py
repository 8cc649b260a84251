"""`chibo search rebuild --workers N`: processes make the entries, this one writes them, and the
index is the one a single process makes."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from chibo.lib.search import parse
from chibo.library.index import engine, indexing, schema
from chibo.library.models import SearchEntry
from chibo.library.searching import KINDS
from chibo.library.tests.search_data import NOW, everything
from chibo.voices.tests.test_matters import seeded_categories

# The records are made as of NOW (guidance refuses months already past).
pytestmark = pytest.mark.time_machine(NOW, tick=False)


def entries() -> list[tuple]:
    return sorted(SearchEntry.objects.values_list(*indexing.ENTRY))


def test_workers_refuse_to_run_inside_a_transaction(world):
    """They read what is committed: inside the caller's transaction they would miss its work."""
    everything(world)
    with pytest.raises(RuntimeError):
        indexing.rebuild("meeting", workers=2)


def test_fewer_than_one_worker_is_refused(world):
    with pytest.raises(CommandError, match="--workers"):
        call_command("search", "rebuild", "--workers", "0", "--quiet")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's test database lives in this process"
)
@pytest.mark.django_db(transaction=True)
def test_workers_make_the_entries_one_process_makes(world, monkeypatch):
    seeded_categories()  # an earlier transactional test emptied every table, these too
    everything(world)
    # Spans of two keys read one at a time, so every kind is cut into several workers' shares.
    monkeypatch.setattr(indexing, "SPAN", 2)
    monkeypatch.setattr(indexing, "BATCH", 1)
    call_command("search", "rebuild", "--quiet")
    alone = entries()
    assert {row[0] for row in alone} == set(KINDS)
    SearchEntry.objects.all().delete()
    call_command("search", "rebuild", "--workers", "2", "--quiet")
    assert entries() == alone


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the same on PostgreSQL, in process")
def test_workers_on_a_sqlite_file_make_the_entries_one_process_makes(demo_file):
    def rows() -> list[tuple]:
        return demo_file.rows(SearchEntry._meta.db_table, indexing.ENTRY)

    demo_file.chibo("search", "rebuild", "--quiet")
    alone = rows()
    assert len(alone) > 8000, "the city's members at least"
    demo_file.chibo("search", "rebuild", "--workers", "2", "--quiet")
    assert rows() == alone


def set_aside() -> list[str]:
    """What a whole rebuild sets aside: PostgreSQL's indexes over the words, or the triggers by
    which SQLite's full-text table follows the entries."""
    if connection.vendor == "postgresql":
        return schema.WORDS_INDEX_NAMES
    return schema.FTS_TRIGGERS


def present() -> int:
    """How many of what a whole rebuild sets aside are there."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_indexes WHERE indexname = ANY(%s)", [set_aside()]
            )
        else:
            names = set_aside()
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                f"({', '.join(['%s'] * len(names))})",
                names,
            )
        return cursor.fetchone()[0]


def index_matches_entries() -> None:
    """The full-text index holds each entry's words and nothing else (SQLite checks its table
    against the entries; PostgreSQL's indexes are made from them)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {engine.FTS}({engine.FTS}, rank) VALUES ('integrity-check', 1)"
            )


@pytest.mark.django_db(transaction=True)
def test_a_whole_rebuild_makes_the_words_index_once_at_the_end(world, monkeypatch):
    seeded_categories()
    everything(world)
    during = []
    rebuild = indexing.rebuild
    monkeypatch.setattr(
        indexing, "rebuild", lambda *args: during.append(present()) or rebuild(*args)
    )
    call_command("search", "rebuild", "--quiet")
    assert during == [0] * len(KINDS), "set aside while every kind is written"
    assert present() == len(set_aside())
    index_matches_entries()
    assert SearchEntry.objects.filter(engine.matches(parse("ngập úng"))).exists()
    # What changes afterwards is followed again.
    entry = SearchEntry.objects.filter(engine.matches(parse("ngập úng"))).first()
    SearchEntry.objects.filter(pk=entry.pk).update(body_words="", title_words="")
    assert not SearchEntry.objects.filter(engine.matches(parse("ngập úng")), pk=entry.pk).exists()
    index_matches_entries()


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_that_fails_leaves_the_words_index_in_place(world, monkeypatch):
    seeded_categories()
    everything(world)
    call_command("search", "rebuild", "--quiet")
    written = indexing.rebuild

    def failing(kind, *args):
        if kind == "comment":
            raise RuntimeError("the disk is full")
        return written(kind, *args)

    monkeypatch.setattr(indexing, "rebuild", failing)
    with pytest.raises(RuntimeError):
        indexing.rebuild_all()
    assert present() == len(set_aside())
    index_matches_entries()
    assert SearchEntry.objects.filter(engine.matches(parse("ngập úng"))).exists()
