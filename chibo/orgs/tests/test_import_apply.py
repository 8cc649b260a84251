"""Importing for real: all or nothing, idempotent by party card number, history kept."""

from datetime import date
from functools import partial

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chibo.orgs.imports.apply import EVERY_CONFLICT, check_file, import_file
from chibo.orgs.models import Member, Membership, Organisation, OrganisationQuerySet
from chibo.orgs.tests.import_data import HEADER, give_refs, member_row, write_csv


@pytest.fixture
def refs(world):
    give_refs(world)
    return world


def mai_row(**values) -> list:
    """The world's Mai as the national database would export her."""
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    fields = {
        "card": mai.card_number,
        "name": mai.full_name,
        "gender": "Nữ",
        "citizen_id": mai.citizen_id,
        "phone": mai.phone,
    }
    return member_row(**{**fields, **values})


def snapshot() -> tuple[int, int, int]:
    return (
        Member.objects.count(),
        Membership.objects.count(),
        Organisation.objects.get(depth=1).member_count,
    )


def test_it_creates_new_members_each_with_an_open_membership(refs, tmp_path):
    before = snapshot()
    path = write_csv(tmp_path / "m.csv", [member_row(1), member_row(2, cell="CB2")])
    report = import_file(path)
    assert report.counts == {"new": 2, "updated": 0, "moved": 0, "unchanged": 0}
    member = Member.objects.get(card_number="D0000001")
    assert member.search_name == "nguyen van an 1"
    assert member.birth_date == date(1980, 5, 17)
    assert member.gender == Member.Gender.MALE and member.status == Member.Status.OFFICIAL
    [membership] = member.memberships.all()
    assert (membership.cell_id, membership.started_on, membership.ended_on) == (
        refs.cell.pk,
        date(2005, 3, 2),
        None,
    )
    assert snapshot() == (before[0] + 2, before[1] + 2, before[2] + 2)
    refs.cell.refresh_from_db()
    assert refs.cell.member_count == 3


def test_it_writes_nothing_on_a_dry_run(refs, tmp_path):
    before = snapshot()
    path = write_csv(tmp_path / "m.csv", [member_row(1), mai_row(name="Nguyễn Thị Mai Anh")])
    report = check_file(path)
    assert report.counts == {"new": 1, "updated": 1, "moved": 0, "unchanged": 0}
    assert snapshot() == before
    assert Member.objects.filter(full_name="Nguyễn Thị Mai").exists()


def test_it_updates_by_card_number_instead_of_duplicating(refs, tmp_path):
    path = write_csv(tmp_path / "m.csv", [mai_row(name="Nguyễn Thị Mai Anh", status="Dự bị")])
    before = snapshot()
    card = Member.objects.get(full_name="Nguyễn Thị Mai").card_number
    report = import_file(path, confirmed=[card])  # another name: confirmed as in the dry run
    assert report.counts == {"new": 0, "updated": 1, "moved": 0, "unchanged": 0}
    assert snapshot() == before
    mai = Member.objects.get(full_name="Nguyễn Thị Mai Anh")
    assert mai.search_name == "nguyen thi mai anh"
    assert mai.status == Member.Status.PROBATIONARY


def test_it_changes_nothing_when_the_same_file_comes_twice(refs, tmp_path):
    path = write_csv(tmp_path / "m.csv", [member_row(1), member_row(2), mai_row(cell="CB2")])
    import_file(path)
    before, memberships = snapshot(), list(Membership.objects.values_list())
    with CaptureQueriesContext(connection) as queries:
        report = import_file(path)
    assert report.counts == {"new": 0, "updated": 0, "moved": 0, "unchanged": 3}
    assert (snapshot(), list(Membership.objects.values_list())) == (before, memberships)
    assert not [q for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]


def test_it_moves_a_member_and_keeps_the_history(refs, tmp_path):
    path = write_csv(tmp_path / "m.csv", [mai_row(cell="CB2")])
    assert import_file(path).counts == {"new": 0, "updated": 0, "moved": 1, "unchanged": 0}
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    assert mai.cell_id == refs.sister_cell.pk
    today = timezone.localdate()
    history = mai.memberships.order_by("pk").values_list("cell_id", "ended_on", "started_on")
    assert list(history) == [
        (refs.cell.pk, today, date(2005, 3, 2)),
        (refs.sister_cell.pk, None, today),
    ]
    refs.cell.refresh_from_db()
    refs.sister_cell.refresh_from_db()
    assert (refs.cell.member_count, refs.sister_cell.member_count) == (1, 3)


def test_it_leaves_absent_columns_alone_and_clears_empty_cells(refs, tmp_path):
    header = [h for h in HEADER if h != "Điện thoại"]
    row = mai_row(citizen_id="")[:-1]
    import_file(write_csv(tmp_path / "m.csv", [row], header=header))
    mai = Member.objects.get(full_name="Nguyễn Thị Mai")
    assert (mai.citizen_id, mai.phone) == ("", "0912345678")


def test_it_writes_nothing_when_one_row_is_bad(refs, tmp_path):
    before = snapshot()
    rows = [member_row(n) for n in range(1, 50)] + [member_row(50, born="32/13/1980")]
    report = import_file(write_csv(tmp_path / "m.csv", rows))
    assert report.counts is None and len(report.problems) == 1
    assert snapshot() == before


def test_it_undoes_everything_when_the_database_fails_half_way(refs, tmp_path, monkeypatch):
    def fail(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(OrganisationQuerySet, "recount", fail)
    before = snapshot()
    path = write_csv(tmp_path / "m.csv", [member_row(1), mai_row(cell="CB2", name="Mai Anh")])
    with pytest.raises(RuntimeError):
        import_file(path, confirmed=EVERY_CONFLICT)
    assert snapshot() == before
    assert Member.objects.get(full_name="Nguyễn Thị Mai").cell_id == refs.cell.pk


def test_it_reports_progress_up_to_the_last_row(refs, tmp_path):
    seen = []
    rows = [member_row(n) for n in range(1, 4)] + [mai_row(cell="CB2")]
    import_file(write_csv(tmp_path / "m.csv", rows), lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4)
    assert seen == sorted(seen)


def queries_for(path, run) -> int:
    """Queries of one run, rolled back so that every run starts from the same database."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert run(path).counts is not None
        transaction.set_rollback(True)
    return len(queries)


@pytest.mark.parametrize("run", [check_file, partial(import_file, confirmed=EVERY_CONFLICT)])
def test_it_uses_as_many_queries_for_60_rows_as_for_3(refs, tmp_path, run):
    # New members, plus every existing one renamed and moved.
    existing = Member.objects.exclude(cell=refs.foreign_cell)
    changed = [
        member_row(card=m.card_number, name=f"{m.full_name} X", cell="CB5", citizen_id="")
        for m in existing
    ]
    small = write_csv(tmp_path / "small.csv", [member_row(n) for n in range(3)] + changed)
    large = write_csv(tmp_path / "large.csv", [member_row(n) for n in range(60)] + changed)
    assert queries_for(small, run) == queries_for(large, run)
