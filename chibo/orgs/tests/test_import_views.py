"""Importing from the web: upload and dry run, confirm, progress; administrators only."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from chibo.orgs.imports import tasks
from chibo.orgs.imports.uploads import Upload
from chibo.orgs.models import Member, Organisation
from chibo.orgs.tests.import_data import bomb, member_row, write_csv, write_xlsx

NEW = reverse("imports:new")
SOME_ID = uuid.UUID(int=1)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def stored(settings) -> list[str]:
    folder = settings.MEDIA_ROOT / "imports"
    return sorted(p.suffix for p in folder.iterdir()) if folder.exists() else []


def upload(client, path, name: str | None = None):
    with open(path, "rb") as f:
        return client.post(NEW, {"file": SimpleUploadedFile(name or path.name, f.read())})


def checked(client, tmp_path, rows: list[list]):
    """Upload a CSV of `rows` and follow the redirect to its report."""
    response = upload(client, write_csv(tmp_path / "members.csv", rows))
    assert response.status_code == 302
    return response["Location"], client.get(response["Location"])


def some_id_url(view: str) -> str:
    return reverse(view, args=[SOME_ID])


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", NEW),
        ("get", some_id_url("imports:detail")),
        ("post", some_id_url("imports:confirm")),
    ],
)
def test_it_sends_anonymous_visitors_to_sign_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["member", "secretary", "committee"])
def test_it_refuses_everyone_but_administrators(world, persona):
    client = world.client(persona)
    assert client.get(NEW).status_code == 403
    assert client.post(some_id_url("imports:confirm")).status_code == 403


@pytest.mark.parametrize(
    "method, url",
    [
        ("put", NEW),
        ("post", some_id_url("imports:detail")),
        ("get", some_id_url("imports:confirm")),
    ],
)
def test_it_refuses_other_methods(admin, method, url):
    assert getattr(admin, method)(url).status_code == 405


def test_it_shows_the_form_and_the_expected_columns(admin):
    page = admin.get(NEW).content.decode()
    assert 'accept=".csv,.xlsx"' in page
    assert "Số thẻ đảng viên" in page and "Party card number" in page


def test_it_checks_a_file_and_waits_for_confirmation(admin, tmp_path, settings):
    url, response = checked(admin, tmp_path, [member_row(1), member_row(2, cell="CB2")])
    page = response.content.decode()
    assert "Import 2 rows" in page and "New members" in page
    assert not Member.objects.filter(card_number="D0000001").exists()
    assert stored(settings) == [".csv", ".json"]


def test_it_imports_once_confirmed_and_forgets_the_file(admin, tmp_path, settings):
    url, _response = checked(admin, tmp_path, [member_row(1), member_row(2, cell="CB2")])
    response = admin.post(url + "confirm/")
    assert response["Location"] == url
    page = admin.get(url).content.decode()
    assert "The import is finished" in page and "hx-trigger" not in page
    assert Member.objects.filter(card_number__in=["D0000001", "D0000002"]).count() == 2
    assert stored(settings) == [".json"]


# The worker closes connections it finds inside a transaction, as a test's would be.
@pytest.mark.django_db(transaction=True)
def test_it_runs_the_import_in_the_database_worker(admin, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    url, _response = checked(admin, tmp_path, [member_row(1)])
    admin.post(url + "confirm/")
    assert "Importing" in admin.get(url).content.decode()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert "The import is finished" in admin.get(url).content.decode()
    assert Member.objects.filter(card_number="D0000001").exists()


def test_it_checks_again_when_confirmed_and_writes_nothing_if_things_changed(admin, tmp_path):
    url, _response = checked(admin, tmp_path, [member_row(1), member_row(2, cell="CB2")])
    Organisation.objects.filter(ref="CB2").update(ref="CB2-OLD")
    admin.post(url + "confirm/")
    page = admin.get(url).content.decode()
    assert "The import failed: nothing was written" in page
    assert "No party organisation has the code “CB2”." in page
    assert not Member.objects.filter(card_number="D0000001").exists()


def test_it_says_when_an_import_breaks_and_forgets_the_file(admin, tmp_path, settings, monkeypatch):
    def fail(*args):
        raise RuntimeError("database gone")

    monkeypatch.setattr(tasks, "import_file", fail)
    url, _response = checked(admin, tmp_path, [member_row(1)])
    admin.post(url + "confirm/")
    page = admin.get(url).content.decode()
    assert "The import failed: nothing was written" in page
    assert "An unexpected error stopped the import" in page
    assert stored(settings) == [".json"]


def test_it_polls_the_progress_while_the_import_runs(admin, tmp_path):
    url, _response = checked(admin, tmp_path, [member_row(1)])
    Upload.get(uuid.UUID(url.split("/")[-2])).save(status="running", done=40, total=100)
    response = admin.get(url, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert '<progress class="progress" max="100" value="40">' in page
    assert 'hx-trigger="every 1s"' in page and "<html" not in page


def test_it_lists_problems_and_offers_no_import(admin, tmp_path, settings):
    rows = [member_row(1, born="31/02/1980"), member_row(2, admitted="yesterday")]
    url, response = checked(admin, tmp_path, rows)
    page = response.content.decode()
    assert "2 problems to fix in the file" in page
    assert "There is no such date as “31/02/1980”." in page
    assert "confirm" not in page
    assert stored(settings) == [".json"]
    admin.post(url + "confirm/")
    assert Upload.get(uuid.UUID(url.split("/")[-2])).state["status"] == "checked"


def test_it_shows_the_first_200_problems_of_many(admin, tmp_path):
    _url, response = checked(admin, tmp_path, [member_row(n, gender="?") for n in range(250)])
    page = response.content.decode()
    assert "250 problems to fix in the file" in page
    assert page.count("Unknown gender") == 200
    assert "…and 50 more problems." in page


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("members.xlsx", PNG, "This file is not a spreadsheet"),
        ("members.csv", b"", "The submitted file is empty."),
        ("members.txt", b"a,b\n1,2\n", "Send an .xlsx or a .csv file."),
        ("members.csv", "Họ và tên\n".encode(), "These required columns are missing"),
        ("members.csv", b"x" * 2000, "the largest accepted is 1.0"),
    ],
)
def test_it_refuses_bad_files_on_the_form(admin, settings, name, content, message):
    settings.CHIBO_IMPORT_MAX_BYTES = 1024
    response = admin.post(NEW, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored(settings) == []


def test_it_asks_for_a_file(admin):
    response = admin.post(NEW, {})
    assert "This field is required." in response.content.decode()


def test_it_keeps_the_file_under_a_random_name(admin, tmp_path, settings):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(1)])
    response = upload(admin, path, name="../../etc/passwd.xlsx")
    code = response["Location"].split("/")[-2]
    assert (settings.MEDIA_ROOT / "imports" / f"{code}.xlsx").exists()
    assert "passwd.xlsx" in admin.get(response["Location"]).content.decode()


@pytest.mark.parametrize("tail", [f"{SOME_ID}/", "not-a-uuid/", "../settings.py/"])
def test_it_answers_404_for_unknown_imports(admin, tail):
    assert admin.get(NEW + tail).status_code == 404
    assert admin.post(NEW + tail + "confirm/").status_code == 404


def test_it_refuses_a_zip_bomb_on_the_form_and_keeps_nothing(admin, settings, tmp_path):
    path = tmp_path / "members.xlsx"
    bomb(path, 50 * 2**20)  # 50 MB of blanks in a file of some fifty kilobytes
    response = upload(admin, path)
    assert response.status_code == 200
    assert "This file unpacks to" in response.content.decode()
    assert stored(settings) == []
