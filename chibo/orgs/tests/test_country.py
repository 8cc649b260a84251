"""The country scale: Vietnam's 34 provinces as after 1 July 2025, planned from a seed."""

import random
from datetime import date

from django.db.models import Count

from chibo.orgs.demo import country
from chibo.orgs.demo.build import generate
from chibo.orgs.models import Member, Organisation, Position


def shape(tree) -> list[tuple[str, str, int]]:
    return [(node.ref, node.name, node.size) for node in tree.walk()]


def test_it_plans_vietnam_of_34_provinces_and_300_000_cells():
    tree = country.plan_country(random.Random(1))
    provinces = [node.name for node in tree.children]
    assert len(provinces) == len(set(provinces)) == 34
    assert "Đảng bộ thành phố Hồ Chí Minh" in provinces
    assert "Đảng bộ tỉnh An Giang" in provinces and "Đảng bộ tỉnh Kiên Giang" not in provinces
    cells = tree.cells()
    assert 297_000 <= len(cells) <= 303_000
    assert 5_550_000 <= sum(cell.size for cell in cells) <= 5_650_000
    refs = [node.ref for node in tree.walk()]
    assert len(set(refs)) == len(refs)
    # Quảng Ninh keeps the province scale's shape, and Uông Bí where the demo accounts live.
    quang_ninh = next(node for node in tree.children if node.ref == "QN")
    uong_bi = next(node for node in quang_ninh.children if node.ref == "QN.UB")
    assert len(uong_bi.cells()) == 318
    # The others have two tiers below the province since the reform: no districts.
    ha_noi = tree.children[0]
    assert {child.level for child in ha_noi.children} == {"grassroots"}
    assert shape(country.plan_country(random.Random(1))) == shape(tree)
    assert shape(country.plan_country(random.Random(2))) != shape(tree)


def test_a_part_of_the_country_keeps_each_provinces_share():
    whole = {node.ref: node for node in country.plan_country(random.Random(1)).children}
    part = country.plan_country(random.Random(1), only={"LCH", "CB"}).children
    assert [node.ref for node in part] == ["LCH", "CB"]
    for node in part:
        assert len(node.cells()) == len(whole[node.ref].cells())
        assert sum(c.size for c in node.cells()) == sum(c.size for c in whole[node.ref].cells())


def test_it_writes_a_province_below_the_country(db):
    tree = generate("country", 1, date(2026, 6, 20), progress=False, only={"LCH"})
    root = Organisation.objects.get(ref=country.ROOT_REF)
    lai_chau = Organisation.objects.get(ref="LCH")
    assert lai_chau.path.startswith(root.path) and lai_chau.depth == 2
    planned = tree.children[0]
    assert lai_chau.cell_count == root.cell_count == len(planned.cells())
    assert Member.objects.count() == lai_chau.member_count == sum(c.size for c in planned.cells())
    cells = Organisation.objects.cells()
    assert {c.depth for c in cells} == {4}
    secretaries = Position.objects.filter(kind=Position.Kind.SECRETARY, organisation__in=cells)
    assert secretaries.values("organisation").distinct().count() == cells.count()
    assert Position.objects.filter(organisation=lai_chau).count() == 55
    assert not Member.objects.values("cell").annotate(n=Count("pk")).filter(n__lt=6).exists()
