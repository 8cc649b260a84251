"""The country scale, for benchmarks: Vietnam's 34 provinces and centrally-run cities as they
stand after 1 July 2025 (`provinces.csv`), about 300,000 cells and 5.6 million members.

Quảng Ninh is planned as the province scale plans it, with Uông Bí where the demo accounts
live; every other province in the two tiers the reform left: its committee over the
committees of its communes, wards and agencies, over cells. A part of the country (`only`)
keeps each province's share of the whole, so a measured part scales to the country.
"""

import csv
import random
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

from chibo.orgs.demo import names
from chibo.orgs.demo.names import Unit
from chibo.orgs.demo.plan import COMMITTEE, Node, Places, Scale, plan, size_cells, unit_children

CELLS, MEMBERS = 300_000, 5_600_000
# Communes and wards merged in 2025 are about three of the old ones.
CELLS_PER_COMMUNE = 36
ROOT_REF = "VN"


class Province(NamedTuple):
    ref: str
    name: str
    kind: str  # "tỉnh", or "thành phố" for the six centrally-run cities
    population: float  # millions: the province's share of cells and members
    merged_from: str


def provinces() -> list[Province]:
    with open(Path(__file__).with_name("provinces.csv"), encoding="utf-8") as file:
        rows = csv.DictReader(file)
        return [Province(**{**row, "population": float(row["population"])}) for row in rows]


def plan_country(rng: random.Random, only: Collection[str] | None = None) -> Node:
    """The country, or the provinces whose refs are in `only`, sized and numbered."""
    every = provinces()
    population = sum(p.population for p in every)
    root = Node("Đảng Cộng sản Việt Nam", "central", COMMITTEE, ref=ROOT_REF)
    for province in every:
        if only is not None and province.ref not in only:
            continue
        share = province.population / population
        cells, members = round(CELLS * share), round(MEMBERS * share)
        if province.ref == names.PROVINCE_REF:
            units = tuple(u.ref for u in names.UNITS)
            node = plan(Scale(units, cells, members, province_seats=55), rng)
        else:
            node = generated_province(province, cells, members, rng)
        root.children.append(node)
    return root


def generated_province(province: Province, cells: int, members: int, rng: random.Random) -> Node:
    level = "city" if province.kind == "thành phố" else "province"
    unit = Unit(province.ref, province.name, level, province.kind, 0, False)
    children = unit_children(unit, cells, CELLS_PER_COMMUNE, Places(rng), rng)
    node = Node(
        f"Đảng bộ {province.kind} {province.name}",
        level,
        COMMITTEE,
        ref=province.ref,
        seats=55,
        children=children,
    )
    size_cells(node.cells(), members, rng)
    node.number()
    return node
