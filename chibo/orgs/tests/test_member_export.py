"""The member list as a CSV or XLSX file: by role, every export logged, formulas made inert."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chibo.audit.models import Action, Entry
from chibo.conftest import make_member
from chibo.orgs.exports import LIST_FIELDS, fields_for
from chibo.orgs.models import Member

ENGLISH = {"Accept-Language": "en"}
FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]


def export_url(fmt: str) -> str:
    return reverse("orgs:members_export", args=[fmt])


def rows_of(response) -> list[list[str]]:
    if response["Content-Type"].startswith("text/csv"):
        assert response.content.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert {c.data_type for row in sheet.iter_rows() for c in row} == {"s"}, "no formula cell"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_secretary_exports_the_members_they_reach_with_the_list_fields(world, fmt):
    response = world.client("secretary").get(export_url(fmt), headers=ENGLISH)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="members.{fmt}"'
    header, *rows = rows_of(response)
    assert header == ["Full name", "Party card number", "Party cell", "Status"]
    names = sorted(row[0] for row in rows)
    assert names == ["Nguyễn Thị Mai", "Trần Văn Sơn"]  # their cell, nobody else's
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    assert [mai.full_name, mai.card_number, "Chi bộ khu 1", "official"] in rows
    assert not any(mai.citizen_id in cell for row in rows for cell in row)


def test_a_committee_member_exports_their_subtree_and_the_search_narrows_it(world):
    client = world.client("committee")
    header, *rows = rows_of(client.get(export_url("csv")))
    assert len(rows) == 4  # both cells of the city's ward
    header, *rows = rows_of(client.get(export_url("csv"), {"q": "nguyen thi"}))
    assert [row[0] for row in rows] == ["Nguyễn Thị Mai"]


def test_the_fields_follow_one_choice_per_role(world):
    from chibo.access.scope import Scope

    assert fields_for(Scope(world.secretary)) == LIST_FIELDS


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_formula_in_a_name_comes_out_inert(world, fmt):
    for n, formula in enumerate(FORMULAS):
        make_member(world.cell, f"{formula}{n}")
    header, *rows = rows_of(world.client("secretary").get(export_url(fmt)))
    # XML reads a carriage return back as a line feed.
    names = {row[0].replace("\n", "\r") for row in rows}
    for n, formula in enumerate(FORMULAS):
        assert f"'{formula}{n}" in names and f"{formula}{n}" not in names


def test_each_export_is_recorded_in_the_audit_log(world):
    world.client("secretary").get(export_url("xlsx"), {"q": "mai"})
    (entry,) = Entry.objects.filter(action=Action.MEMBERS_EXPORTED)
    assert entry.user == world.secretary and entry.organisation_id == world.cell.pk
    assert entry.detail["format"] == "xlsx" and entry.detail["search"] == "mai"


@pytest.mark.parametrize("persona", ["member", "supervisor"])
def test_ordinary_members_read_the_list_but_do_not_download_it(world, persona):
    client = world.client(persona)
    assert client.get(export_url("csv")).status_code == 403
    assert export_url("csv") not in client.get(reverse("orgs:members")).content.decode()
    assert (
        export_url("csv") in world.client("secretary").get(reverse("orgs:members")).content.decode()
    )


def test_anonymous_visitors_sign_in_and_unknown_formats_are_not_found(world, client):
    assert client.get(export_url("csv"))["Location"].startswith(reverse("login"))
    assert world.client("admin").get(export_url("pdf")).status_code == 404
    assert world.client("admin").post(export_url("csv")).status_code == 405
