"""`chibo import FILE [--dry-run]` on the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chibo.orgs.models import Member
from chibo.orgs.tests.import_data import give_refs, member_row, write_csv, write_xlsx


@pytest.fixture
def refs(world):
    give_refs(world)
    return world


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_with_a_progress_bar(refs, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(1), member_row(2, cell="CB2")])
    out, err = run(str(path), "--language", "en")
    assert "Imported: 2 new, 0 updated, 0 moved to another cell, 0 unchanged." in out
    assert "100%" in err and "2/2" in err
    assert Member.objects.filter(card_number__in=["D0000001", "D0000002"]).count() == 2


def test_it_writes_nothing_on_a_dry_run(refs, tmp_path):
    path = write_csv(tmp_path / "m.csv", [member_row(1)])
    out, err = run(str(path), "--dry-run", "--language", "en")
    assert "Dry run: 1 new, 0 updated" in out
    assert "%" not in err
    assert not Member.objects.filter(card_number="D0000001").exists()


def test_it_prints_each_problem_and_fails_without_writing(refs, tmp_path):
    rows = [member_row(1), member_row(2, name="", born="30/02/1980")]
    path = write_csv(tmp_path / "m.csv", rows)
    out = StringIO()
    with pytest.raises(CommandError, match="2 problems in the file: nothing was written") as error:
        call_command("import", str(path), "--language", "en", stdout=out, stderr=StringIO())
    assert error.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "row 3, column Họ và tên: This value is required.",
        "row 3, column Ngày sinh: There is no such date as “30/02/1980”.",
    ]
    assert not Member.objects.filter(card_number="D0000001").exists()


def test_it_speaks_the_language_of_the_settings_by_default(refs, tmp_path, settings):
    settings.LANGUAGE_CODE = "en"
    path = write_csv(tmp_path / "m.csv", [member_row(1, gender="?")])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "row 2, column Giới tính: Unknown gender “?”: write Nam or Nữ." in out.getvalue()


def test_it_refuses_a_file_over_20_mb_before_reading_it(db, tmp_path):
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: 21 MB on paper, nothing on disk
    out = StringIO()
    with pytest.raises(CommandError, match="1 problem in the file"):
        call_command("import", str(path), "--language", "en", stdout=out, stderr=StringIO())
    # Sizes are written as Django's filesizeformat does, with a no-break space.
    assert out.getvalue() == "The file is 21.0\xa0MB; the largest accepted is 20.0\xa0MB.\n"


def test_it_says_when_the_file_does_not_exist(db, tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run(str(tmp_path / "missing.csv"), "--language", "en")
