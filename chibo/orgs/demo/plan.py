"""The shape of the demo tree: which organisations, their names, codes and sizes.

A plan is pure data drawn from one `random.Random`, so the same seed always plans the same tree;
`build` then writes it. Both scales share this code and differ only in their `Scale`.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from chibo.orgs.demo import names
from chibo.orgs.demo.names import Unit, Ward
from chibo.orgs.models import Organisation

COMMITTEE, CELL = Organisation.Kind.COMMITTEE, Organisation.Kind.CELL
MIN_CELL, MAX_CELL = 6, 80
# How many members a cell of each category draws, relative to others: residential groups
# gather the retired, so they are the biggest cells of a city.
CELL_WEIGHTS = {
    "residential": 2.1,
    "village": 1.6,
    "enterprise": 1.2,
    "health": 0.9,
    "armed_forces": 0.8,
    "school": 0.7,
    "agency": 0.6,
}
UONG_BI_CELLS, UONG_BI_MEMBERS = 318, 8_300
# What Uông Bí's grassroots committees average, used to size the committees of other units.
CELLS_PER_WARD = 12
# Of a unit's wards, how many are rural communes: few in a city, most in a province.
COMMUNE_SHARE = {"city": 0.2, "province": 0.75}


@dataclass(frozen=True)
class Scale:
    units: tuple[str, ...]  # refs of the units to generate
    cells: int  # in the whole tree
    members: int  # in the whole tree, roughly
    province_seats: int  # members of the provincial committee (0: the province is a frame)


SCALES: dict[str, Scale] = {
    "city": Scale(units=(names.UONG_BI,), cells=318, members=8_300, province_seats=0),
    "province": Scale(
        units=tuple(u.ref for u in names.UNITS), cells=4_000, members=100_000, province_seats=55
    ),
}


@dataclass
class Node:
    """An organisation to create: a committee with children, or a cell with `size` members."""

    name: str
    level: str  # a key of names.LEVELS
    kind: str
    category: str = ""
    ref: str = ""
    seats: int = 0  # members of its elected committee
    size: int = 0  # cells only: how many members to generate
    children: list["Node"] = field(default_factory=list)

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def cells(self) -> list["Node"]:
        return [node for node in self.walk() if node.kind == CELL]

    def number(self) -> None:
        """Give every descendant a reference code below this one: "QN.UB.07.03"."""
        for i, child in enumerate(self.children, start=1):
            child.ref = child.ref or f"{self.ref}.{i:02d}"
            child.number()


def plan(scale: Scale, rng: random.Random) -> Node:
    """The province, with the units of `scale` below it, sized and numbered."""
    province = Node(
        f"Đảng bộ tỉnh {names.PROVINCE}",
        "province",
        COMMITTEE,
        ref=names.PROVINCE_REF,
        seats=scale.province_seats,
    )
    units = [u for u in names.UNITS if u.ref in scale.units]
    weight = sum(u.weight for u in units)
    # Uông Bí keeps its real size; the other units share what the scale leaves.
    spare_cells = scale.cells - UONG_BI_CELLS
    per_cell = (scale.members - UONG_BI_MEMBERS) / max(spare_cells, 1)
    places = Places(rng)
    for unit in units:
        if unit.ref == names.UONG_BI:
            node = uong_bi(unit)
            members = UONG_BI_MEMBERS + rng.randint(-50, 50)
        else:
            node = generated_unit(unit, round(spare_cells * unit.weight / weight), places, rng)
            members = round(len(node.cells()) * per_cell * rng.uniform(0.93, 1.07))
        size_cells(node.cells(), members, rng)
        province.children.append(node)
    province.number()
    return province


def unit_node(unit: Unit, committees: list[Node]) -> Node:
    return Node(
        f"Đảng bộ {unit.kind} {unit.name}",
        unit.level,
        COMMITTEE,
        ref=f"{names.PROVINCE_REF}.{unit.ref}",
        seats=35 if unit.level == "city" else 31,
        children=committees,
    )


def uong_bi(unit: Unit) -> Node:
    """The real structure of Uông Bí: 42 grassroots committees over 318 cells."""
    wards = [ward(w) for w in names.UONG_BI_WARDS]
    others = [sector_committee(c.name, c.sector, c.cells) for c in names.UONG_BI_COMMITTEES]
    return unit_node(unit, wards + others)


def generated_unit(unit: Unit, cells: int, places: "Places", rng: random.Random) -> Node:
    """A city or district like Uông Bí in kind, with generated names and about `cells` cells."""
    return unit_node(unit, unit_children(unit, cells, CELLS_PER_WARD, places, rng))


def unit_children(
    unit: Unit, cells: int, per_ward: int, places: "Places", rng: random.Random
) -> list[Node]:
    """The grassroots committees of a unit of about `cells` cells: its agencies' and companies',
    then wards and communes of about `per_ward` cells sharing what is left."""
    factor = cells / UONG_BI_CELLS
    # A bigger city has bigger agencies, up to a point, and more companies.
    growth = min(max(factor, 0.3), 1.5)
    words = {
        "unit": f"{unit.kind} {unit.name}",
        "committee": f"{names.LEVELS[unit.level].name} {unit.name}",
    }
    templates = list(names.UNIT_COMMITTEES)
    if unit.mining:
        templates += [c for c in names.MINING_COMMITTEES for _ in range(max(1, round(factor)))]
    committees = []
    for template in templates:
        place = places.draw() if "{place}" in template.name else ""
        name = template.name.format(place=place, **words)
        committees.append(
            sector_committee(name, template.sector, max(2, round(template.cells * growth)))
        )
    spare = max(cells - sum(len(c.children) for c in committees), per_ward)
    wards = generated_wards(unit, spare, per_ward, places, rng)
    return [ward(w) for w in wards] + committees


def generated_wards(
    unit: Unit, cells: int, per_ward: int, places: "Places", rng: random.Random
) -> list[Ward]:
    """Wards in a city, communes and one township in a district, communes and wards in a
    province of after 2025, sharing `cells` between them."""
    count = max(1, round(cells / per_ward))
    communes = COMMUNE_SHARE.get(unit.level, 0.5)
    wards = []
    for i in range(count):
        n = cells // count + (i < cells % count)
        standard = 3 if n < 10 else 4 if n < 14 else 5
        if unit.level == "district":
            kind = "thị trấn" if i == 0 else "xã"
        else:
            kind = "xã" if rng.random() < communes else "phường"
        place = unit.name if kind == "thị trấn" else places.draw()
        wards.append(Ward(place, kind, n - standard, standard))
    return wards


def ward(w: Ward) -> Node:
    """A ward or commune committee with its residential groups or villages first."""
    word, category = ("thôn", "village") if w.kind == "xã" else ("khu", "residential")
    groups = w.residential
    if isinstance(groups, int):
        groups = tuple(str(n) for n in range(1, groups + 1))
    # Khmer hamlets are named in full ("ấp Khmer …"), the others after the word for them.
    cells = [cell(g if g in names.KHMER_HAMLETS else f"{word} {g}", category) for g in groups]
    for pattern, cat in names.WARD_CELLS[: w.standard]:
        cells.append(cell(pattern.format(kind=w.kind, place=w.place), cat))
    return grassroots(f"Đảng bộ {w.kind} {w.place}", category, cells)


def sector_committee(name: str, sector_key: str, n: int) -> Node:
    """An agency, school or company committee with `n` cells named after its sector."""
    sector = names.SECTORS[sector_key]
    cells = [cell(title, sector.category) for title in sector_cell_names(sector, n)]
    return grassroots(f"Đảng bộ {name}", sector.category, cells)


def sector_cell_names(sector: names.Sector, n: int) -> list[str]:
    found = list(sector.fixed[:n])
    turn = 0
    while len(found) < n:
        pattern = sector.numbered[turn % len(sector.numbered)]
        found.append(pattern.format(n=turn // len(sector.numbered) + 1))
        turn += 1
    return found


def cell(name: str, category: str) -> Node:
    return Node(f"Chi bộ {name}", "cell", CELL, category)


def grassroots(name: str, category: str, cells: list[Node]) -> Node:
    # Grassroots committees elect 5 to 15 members, more where there are more cells.
    seats = min(15, max(5, len(cells) + 2))
    return Node(name, "grassroots", COMMITTEE, category, seats=seats, children=cells)


def size_cells(cells: list[Node], total: int, rng: random.Random) -> None:
    """Share `total` members among `cells`, each between MIN_CELL and MAX_CELL."""
    weights = [CELL_WEIGHTS.get(c.category, 1.0) * rng.uniform(0.35, 1.65) for c in cells]
    scale = total / sum(weights)
    sizes = [min(MAX_CELL, max(MIN_CELL, round(w * scale))) for w in weights]
    # Rounding and the bounds leave a small difference: settle it one member at a time.
    diff = total - sum(sizes)
    while diff:
        i = rng.randrange(len(sizes))
        step = 1 if diff > 0 else -1
        if MIN_CELL <= sizes[i] + step <= MAX_CELL:
            sizes[i] += step
            diff -= step
    for node, size in zip(cells, sizes, strict=True):
        node.size = size


class Places:
    """Generated place names, never the same twice in one province."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used = {w.place for w in names.UONG_BI_WARDS}

    def draw(self) -> str:
        while True:
            first, second = self.rng.sample(names.PLACE_SYLLABLES, 2)
            place = f"{first} {second}"
            if place not in self.used:
                self.used.add(place)
                return place
