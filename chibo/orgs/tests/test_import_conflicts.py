"""A party card number that names another person, and citizen IDs that name one person only:
nothing is overwritten or shared without being seen and confirmed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from chibo.conftest import make_member
from chibo.orgs.imports.apply import check_file, import_file
from chibo.orgs.models import Member
from chibo.orgs.tests.import_data import member_row, write_xlsx
from chibo.orgs.tests.test_import_views import upload


@pytest.fixture
def mai(world):
    return Member.objects.get(full_name="Nguyễn Thị Mai")


def someone_else_on(mai: Member, **values) -> list:
    """A row giving Mai's card number to another person: a typo in the card number."""
    row = {"card": mai.card_number, "name": "Trần Thị Bích", "born": "01/01/1970", "gender": "Nữ"}
    return member_row(**{**row, "citizen_id": "", **values})


def test_the_dry_run_shows_the_person_now_and_in_the_file_side_by_side(admin, mai, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(1), someone_else_on(mai)])
    with translation.override("en"):
        [conflict] = check_file(path).conflicts
        message = str(conflict.problem)
    assert (conflict.row, conflict.card_number) == (3, mai.card_number)
    assert (conflict.old_name, conflict.new_name) == ("Nguyễn Thị Mai", "Trần Thị Bích")
    assert message == (
        f"row 3: Party card number {mai.card_number} belongs to Nguyễn Thị Mai (born "
        "17/05/1980); the file says Trần Thị Bích (born 01/01/1970)."
    )


@pytest.mark.parametrize(
    "change",
    [{"name": "Another Name"}, {"born": "17/05/1981"}],
)
def test_another_name_or_birth_date_is_a_conflict(admin, mai, tmp_path, change):
    same = {"name": mai.full_name, "born": "17/05/1980"}
    path = write_xlsx(tmp_path / "m.xlsx", [someone_else_on(mai, **{**same, **change})])
    assert [c.card_number for c in check_file(path).conflicts] == [mai.card_number]


def test_the_same_name_in_other_case_or_accents_is_no_conflict(admin, mai, tmp_path):
    row = someone_else_on(mai, name="NGUYEN THI MAI", born="17/05/1980")
    path = write_xlsx(tmp_path / "m.xlsx", [row])
    report = check_file(path)
    assert report.conflicts == [] and report.counts["updated"] == 1


def test_an_unconfirmed_conflict_writes_nothing(admin, mai, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [member_row(1), someone_else_on(mai)])
    report = import_file(path)
    assert report.counts is None and [p.row for p in report.problems] == [3]
    assert Member.objects.get(pk=mai.pk).full_name == "Nguyễn Thị Mai"
    assert not Member.objects.filter(card_number="D0000001").exists()


def test_a_confirmed_conflict_is_imported(admin, mai, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [someone_else_on(mai)])
    assert import_file(path, confirmed=[mai.card_number]).counts["updated"] == 1
    assert Member.objects.get(pk=mai.pk).full_name == "Trần Thị Bích"


def test_the_web_asks_for_a_tick_per_conflict(admin, mai, tmp_path):
    rows = [someone_else_on(mai), someone_else_on(mai, card="D7", name="X Y")]
    make_member(mai.cell, "Lý Văn Tám", card_number="D7")
    response = upload(admin, write_xlsx(tmp_path / "m.xlsx", rows))
    detail = response["Location"]
    page = admin.get(detail).content.decode()
    assert "Rows that change another person" in page
    assert page.count('name="overwrite"') == 2
    assert "Nguyễn Thị Mai" in page and "Trần Thị Bích" in page and "01/01/1970" in page
    confirm = detail + "confirm/"
    # One tick of two: refused, nothing written.
    response = admin.post(confirm, {"overwrite": [mai.card_number]}, follow=True)
    assert "Tick every row that changes another person" in response.content.decode()
    assert Member.objects.get(pk=mai.pk).full_name == "Nguyễn Thị Mai"
    # Both ticked: imported.
    response = admin.post(confirm, {"overwrite": [mai.card_number, "D7"]}, follow=True)
    assert "The import is finished" in response.content.decode()
    assert Member.objects.get(pk=mai.pk).full_name == "Trần Thị Bích"
    assert Member.objects.get(card_number="D7").full_name == "X Y"


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, "--language", "en", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_line_needs_a_flag_to_overwrite(admin, mai, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", [someone_else_on(mai)])
    shown = run_import(str(path), "--dry-run")
    assert f"row 2: Party card number {mai.card_number} belongs to Nguyễn Thị Mai" in shown
    with pytest.raises(CommandError, match="1 problem in the file: nothing was written"):
        run_import(str(path))
    assert Member.objects.get(pk=mai.pk).full_name == "Nguyễn Thị Mai"
    assert "Imported: 0 new, 1 updated" in run_import(str(path), "--confirm-conflicts")
    assert Member.objects.get(pk=mai.pk).full_name == "Trần Thị Bích"


# -- citizen IDs: one person each ------------------------------------------------------------


def test_the_database_refuses_a_second_member_with_a_citizen_id(world, mai):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_member(mai.cell, "Đỗ Văn Hai", citizen_id=mai.citizen_id)
    make_member(mai.cell, "Đỗ Văn Ba", citizen_id="")
    make_member(mai.cell, "Đỗ Văn Bốn", citizen_id="")  # many have none yet


def test_the_import_names_the_row_of_a_citizen_id_held_by_another(admin, mai, tmp_path):
    rows = [member_row(1), member_row(2, citizen_id=mai.citizen_id)]
    with translation.override("en"):
        report = check_file(write_xlsx(tmp_path / "m.xlsx", rows))
    [problem] = report.problems
    assert (problem.row, problem.column) == (3, "Số CCCD")
    assert problem.message == (
        f"This citizen ID already belongs to the member with party card number {mai.card_number}."
    )


def test_members_of_the_file_may_swap_their_citizen_ids(admin, mai, tmp_path):
    son = Member.objects.get(full_name="Trần Văn Sơn")
    rows = [
        member_row(
            card=mai.card_number, name=mai.full_name, gender="Nữ", citizen_id=son.citizen_id
        ),
        member_row(card=son.card_number, name=son.full_name, citizen_id=mai.citizen_id),
    ]
    report = import_file(write_xlsx(tmp_path / "m.xlsx", rows))
    assert report.problems == []
    assert Member.objects.get(pk=mai.pk).citizen_id == son.citizen_id
    assert Member.objects.get(pk=son.pk).citizen_id == mai.citizen_id


def test_the_contact_form_refuses_a_citizen_id_held_by_another(world, mai):
    son = Member.objects.get(full_name="Trần Văn Sơn")
    url = reverse("orgs:member_edit", args=[mai.code])
    response = world.client("secretary").post(
        url,
        {"phone": "0912345678", "citizen_id": son.citizen_id},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "Another member already has this citizen ID number." in response.content.decode()
    assert Member.objects.get(pk=mai.pk).citizen_id == "022180001234"
