"""`chibo backup` and `chibo restore`: a copy of every record and uploaded file, put back into
an empty database (a second SQLite file, or a second PostgreSQL database made for the test)."""

import io
import json
import sqlite3
import tarfile
import threading
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from chibo.audit.models import Entry
from chibo.audit.tests.test_integrity import decided  # noqa: F401 (a fixture)
from chibo.audit.tests.test_log import verify
from chibo.backups.databases import tables
from chibo.meetings.models import Document
from chibo.meetings.tests.test_planning import make_meeting
from chibo.orgs.models import Member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALIAS = "restored"


@pytest.fixture
def empty_database(transactional_db, tmp_path):
    """A second, empty database of the same kind as the tests', under its own alias."""
    default = connections["default"]
    name = (
        str(tmp_path / "restored.sqlite3")
        if default.vendor == "sqlite"
        else f"{default.settings_dict['NAME']}_restored"
    )
    if default.vendor == "postgresql":
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    connections.settings[ALIAS] = {**default.settings_dict, "NAME": name}
    second = connections[ALIAS]
    # Django's test case lets a test open only the databases it was set up with, or one made on
    # the fly: this one is opened as the latter, then named so that `--database` finds it.
    del connections.settings[ALIAS]
    second.ensure_connection()
    connections.settings[ALIAS] = second.settings_dict
    yield second
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]
    if default.vendor == "postgresql":
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture
def recorded(world, settings, tmp_path):
    """The world with a meeting and its agenda, a document's file among the uploads, and an
    import waiting in its folder (not a record: it is left out)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = make_meeting(world.cell)
    item = meeting.agenda_items.first()
    document = Document(item=item, name="kế-hoạch.pdf", content_type="application/pdf", size=3)
    document.file.save("ke-hoach.pdf", ContentFile(PDF), save=False)
    document.save()
    (settings.MEDIA_ROOT / "imports").mkdir()
    (settings.MEDIA_ROOT / "imports" / "waiting.csv").write_text("personal data")
    return document


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def content(connection) -> dict[str, list[tuple]]:
    """Every row of every table, in order."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table in tables(connection):
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")
            found[table] = [tuple(map(str, row)) for row in cursor.fetchall()]
    return found


def backed_up(tmp_path) -> Path:
    path = tmp_path / "chibo.backup"
    assert "Backed up" in run("backup", str(path))
    return path


def restore(path: Path, *args: str) -> str:
    return run("restore", str(path), "--database", ALIAS, *args)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_backup_restored_into_an_empty_database_holds_every_record_and_file(
    recorded, empty_database, settings, tmp_path, english
):
    path = backed_up(tmp_path)
    expected = content(connections["default"])
    assert sum(map(len, expected.values())) > 50
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    out = restore(path)
    assert "Restored" in out and "1 files" in out
    assert content(empty_database) == expected
    restored = Document.objects.using(ALIAS).get(pk=recorded.pk)
    assert (settings.MEDIA_ROOT / restored.file.name).read_bytes() == PDF
    assert not (settings.MEDIA_ROOT / "imports").exists()


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="SQLite's copy is the file itself"
)
def test_a_restored_postgresql_database_has_its_planner_statistics(
    recorded, empty_database, settings, tmp_path, english
):
    path = backed_up(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    restore(path)
    with empty_database.cursor() as cursor:
        # What ANALYZE gathers: the spread of each column's values.
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'orgs_member'")
        assert cursor.fetchone()[0] > 0


def test_the_manifest_counts_each_table_and_names_the_version(
    recorded, tmp_path, english, transactional_db
):
    path = backed_up(tmp_path)
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == 1 and manifest["chibo"]
    assert manifest["engine"] == connections["default"].vendor
    assert "orgs.0001_initial" in manifest["migrations"]
    assert manifest["tables"]["orgs_member"] == Member.objects.count() == 5
    assert manifest["tables"]["meetings_document"] == 1
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    assert f"media/{recorded.file.name}" in names
    assert all(len(digest) == 64 for digest in manifest["files"].values())


def test_it_refuses_a_database_that_is_not_empty_unless_forced(
    recorded, empty_database, settings, tmp_path, english
):
    path = backed_up(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    restore(path)
    with pytest.raises(CommandError, match="not empty: restoring would replace them"):
        restore(path)
    assert "Restored" in restore(path, "--force")
    assert content(empty_database) == content(connections["default"])


def test_it_refuses_uploaded_files_in_the_way_unless_forced(
    recorded, empty_database, settings, tmp_path, english
):
    path = backed_up(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    (settings.MEDIA_ROOT / "old").mkdir(parents=True)
    (settings.MEDIA_ROOT / "old" / "file.pdf").write_bytes(PDF)
    with pytest.raises(CommandError, match="not empty"):
        restore(path)
    assert tables(empty_database) == [], "nothing restored"
    restore(path, "--force")
    assert not (settings.MEDIA_ROOT / "old" / "file.pdf").exists()


def test_it_refuses_a_damaged_archive_and_changes_nothing(
    recorded, empty_database, tmp_path, english
):
    path = backed_up(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="damaged"):
        restore(path)
    assert tables(empty_database) == []


def rewritten(path: Path, change) -> Path:
    """The archive again, each member passed through `change(name, data) -> data`."""
    out = path.with_name("altered.backup")
    with tarfile.open(path) as source, tarfile.open(out, "w:gz") as target:
        for info in source.getmembers():
            data = change(info.name, source.extractfile(info).read())
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return out


def test_it_refuses_an_archive_whose_database_was_altered(
    recorded, empty_database, tmp_path, english
):
    path = backed_up(tmp_path)
    altered = rewritten(
        path, lambda name, data: data + b"\0" if name.startswith("database") else data
    )
    with pytest.raises(
        CommandError, match=r"The file database\.\w+ of the archive is missing or damaged"
    ):
        restore(altered)
    assert tables(empty_database) == []


def test_it_refuses_a_backup_of_another_kind_of_database(
    recorded, empty_database, tmp_path, english
):
    path = backed_up(tmp_path)

    def other_engine(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["engine"] = "oracle"
        return json.dumps(manifest).encode()

    with pytest.raises(CommandError, match="backup of a oracle database"):
        restore(rewritten(path, other_engine))


def test_it_says_when_a_file_is_not_a_backup(empty_database, tmp_path, english):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    with pytest.raises(CommandError, match="not a chibo backup"):
        restore(path)
    with pytest.raises(CommandError, match="There is no file at"):
        restore(tmp_path / "missing.backup")


def writer(settings: dict):
    """A connection of another process's kind (the web server's): not Django's."""
    if settings["ENGINE"].endswith("sqlite3"):
        return sqlite3.connect(settings["NAME"], timeout=20, isolation_level=None)
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )


def test_a_backup_is_one_moment_while_the_app_keeps_writing(
    empty_database, settings, tmp_path, english
):
    """Another connection writes a pair of rows per transaction all along: every backup holds
    as many rows of one as of the other, as it would not if tables were copied one by one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with empty_database.cursor() as cursor:
        cursor.execute("CREATE TABLE minutes_side (n integer)")
        cursor.execute("CREATE TABLE roll_side (n integer)")
    stop, committed = threading.Event(), threading.Semaphore(0)

    def write() -> None:
        connection = writer(empty_database.settings_dict)
        try:
            while not stop.is_set():
                connection.execute("BEGIN")
                connection.execute("INSERT INTO minutes_side VALUES (1)")
                connection.execute("INSERT INTO roll_side VALUES (1)")
                connection.execute("COMMIT")
                committed.release()
        finally:
            connection.close()
            committed.release(3 * 2)  # ended: the backups below wait no more

    thread = threading.Thread(target=write)
    thread.start()
    try:
        counts = []
        for n in range(3):
            # Two commits after the last backup ended (one may have been counted late), so
            # that this one must see more rows: on a busy disk the writer committed nothing
            # while the three ran. Waited for without a timeout, which faketime's clock
            # would stretch to years.
            while committed.acquire(blocking=False):
                pass
            committed.acquire()
            committed.acquire()
            path = tmp_path / f"{n}.backup"
            run("backup", str(path), "--database", ALIAS)
            with tarfile.open(path) as tar:
                rows = json.load(tar.extractfile("manifest.json"))["tables"]
            counts.append((rows["minutes_side"], rows["roll_side"]))
    finally:
        stop.set()
        thread.join()
    assert all(minutes == roll for minutes, roll in counts)
    assert len({minutes for minutes, _roll in counts}) > 1, "written while backing up"


def test_a_restored_log_and_what_it_seals_pass_chibo_audit_verify(
    world,
    decided,  # noqa: F811 (the fixture imported above)
    empty_database,
    settings,
    tmp_path,
    english,
):
    """A failed sign-in and a decided evaluation's trail in the log, backed up and restored
    into an empty database: every entry is there, and `chibo audit verify` finds no problem."""
    settings.MEDIA_ROOT = tmp_path / "media"
    Client().post(reverse("login"), {"username": world.member.username, "password": "wrong"})
    logged = list(Entry.objects.order_by("number").values_list("number", "action", "mac"))
    assert {"sign_in_failed", "evaluation_step"} <= {action for _n, action, _mac in logged}
    assert "no problem found" in verify()
    restore(backed_up(tmp_path))
    restored = Entry.objects.using(ALIAS).order_by("number")
    assert list(restored.values_list("number", "action", "mac")) == logged
    assert f"{len(logged)} entries checked" in run("audit", "verify", "--database", ALIAS)
