"""`chibo quality rebuild --under REF --workers N` writes exactly the rows of a full rebuild."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from chibo.quality import rollup
from chibo.quality.models import MonthlyIndicators
from chibo.quality.tests.conftest import months_ago
from chibo.quality.tests.history import held

COLUMNS = ["organisation_id", "month", *rollup.COUNTS]


def table() -> list[tuple]:
    return sorted(MonthlyIndicators.objects.values_list(*COLUMNS))


@pytest.fixture
def two_cities(slipping):
    """The slipping cell and its sister in one city, a cell that meets in the other."""
    held(slipping.foreign_cell, months_ago(2), ["Hoàng Thị Oanh"], comments=("Hoàng Thị Oanh",))
    held(slipping.foreign_cell, months_ago(1), [])
    slipping.province.ref, slipping.city.ref = "QN", "QN.UB"
    slipping.province.save()
    slipping.city.save()
    rollup.rebuild()
    return slipping


def spoil() -> None:
    """Wrong counts everywhere, and some rows missing: a rebuild must not lean on them."""
    MonthlyIndicators.objects.update(meetings=F("meetings") + 7, present=99)
    MonthlyIndicators.objects.filter(pk__in=MonthlyIndicators.objects.values("pk")[:5]).delete()


def test_a_subtree_rebuilt_gives_the_rows_of_a_full_rebuild(two_cities):
    full = table()
    assert any(row[COLUMNS.index("meetings")] for row in full)
    MonthlyIndicators.objects.filter(organisation__in=[two_cities.cell, two_cities.ward]).update(
        meetings=5, present=99
    )
    MonthlyIndicators.objects.filter(organisation=two_cities.sister_cell).delete()
    # The province's rows are wrong too: they are summed again from the cities.
    MonthlyIndicators.objects.filter(organisation=two_cities.province).update(meetings=50)
    call_command("quality", "rebuild", "--under", "QN.UB", stdout=StringIO(), stderr=StringIO())
    assert table() == full


def test_the_rows_outside_the_subtree_are_left_as_they_are(two_cities):
    other = MonthlyIndicators.objects.filter(organisation=two_cities.foreign_cell)
    other.update(speakers=42)
    rollup.rebuild(under=two_cities.city)
    assert set(other.values_list("speakers", flat=True)) == {42}


def test_an_unknown_organisation_is_refused(two_cities):
    with pytest.raises(CommandError, match="NOPE"):
        call_command("quality", "rebuild", "--under", "NOPE", stdout=StringIO(), stderr=StringIO())


def test_workers_refuse_to_run_inside_a_transaction(two_cities):
    """They read what is committed: inside the caller's transaction they would miss its work."""
    with pytest.raises(RuntimeError):
        rollup.rebuild(workers=2)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's test database lives in this process"
)
@pytest.mark.django_db(transaction=True)
def test_workers_give_the_rows_of_a_full_rebuild(two_cities):
    full = table()
    spoil()
    out, err = StringIO(), StringIO()
    call_command("quality", "rebuild", "--workers", "2", stdout=out, stderr=err)
    assert table() == full
    assert "3/3" in err.getvalue(), "a progress bar over the three cells"
    spoil()
    rollup.rebuild(under=two_cities.province, workers=2)
    assert table() == full


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the same on PostgreSQL, in process")
def test_workers_on_a_sqlite_file_give_the_rows_of_a_full_rebuild(demo_file):
    """The demo's file, rebuilt whole, by province in two processes, and one city in two
    processes."""
    chibo = demo_file.chibo

    def rows() -> list[tuple]:
        return demo_file.rows(MonthlyIndicators._meta.db_table, COLUMNS)

    chibo("quality", "rebuild")
    full = rows()
    assert len(full) > 300
    chibo("quality", "rebuild", "--workers", "2")
    assert rows() == full
    chibo("quality", "rebuild", "--under", "QN.UB", "--workers", "2")
    assert rows() == full
