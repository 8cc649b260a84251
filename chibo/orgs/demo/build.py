"""Write a planned demo tree to the database: organisations, members, offices and supervision.

Everything goes in with bulk inserts inside one transaction, one grassroots committee at a
time so that a province fits in memory; paths of the tree are built here rather than through
treebeard's one-node-at-a-time `add_child`.
"""

import random
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from chibo.lib import bulk
from chibo.orgs.demo import names
from chibo.orgs.demo.country import plan_country
from chibo.orgs.demo.people import COLUMNS, People, Person
from chibo.orgs.demo.plan import SCALES, Node, plan
from chibo.orgs.models import STANDING, Level, Member, Membership, Organisation, Position
from chibo.supervision.models import Assignment

BATCH = 2000
COUNTRY = "country"
MEMBERSHIP = ("member_id", "cell_id", "started_on", "ended_on")
POSITION = ("member_id", "organisation_id", "kind", "started_on")
Kind = Position.Kind
MOVED = 0.035  # members with an earlier cell in their history
OFFICE_AGES = (28, 62)
RESERVE = 8  # eligible members each grassroots committee offers upward when seniors run out


@dataclass
class Pool:
    """Members a committee can elect from: seniors of the level below first (those on its
    standing committee), then others."""

    seniors: list[Person] = field(default_factory=list)
    reserve: list[Person] = field(default_factory=list)

    def extend(self, other: "Pool") -> None:
        self.seniors += other.seniors
        self.reserve += other.reserve


def generate(
    scale: str,
    seed: int,
    today: date,
    *,
    progress: bool = True,
    only: Collection[str] | None = None,
) -> Node:
    """Plan the tree of `scale` from `seed` and write it as it stands on `today`; returns the
    plan. At the country scale, `only` names the provinces to make (all if None)."""
    rng = random.Random(seed)
    tree = plan_country(rng, only) if scale == COUNTRY else plan(SCALES[scale], rng)
    total = sum(cell.size for cell in tree.cells())
    with (
        tqdm(total=total, desc=_("Members"), unit="", disable=not progress) as bar,
        transaction.atomic(),
    ):
        Builder(rng, today, total, bar).build(tree)
        Organisation.objects.recount()
    return tree


class Builder:
    def __init__(self, rng: random.Random, today: date, total: int, bar: tqdm) -> None:
        self.rng = rng
        self.today = today
        self.people = People(rng, today, total, bulk.next_id(Member))
        self.bar = bar
        self.orgs: dict[str, Organisation] = {}
        self.all_cells: list[Organisation] = []

    def build(self, tree: Node) -> None:
        levels = self.levels(tree)
        rows: list[Organisation] = []
        self.place(tree, levels, "", 1, 1, rows)
        Organisation.objects.bulk_create(rows, batch_size=BATCH)
        self.all_cells = [org.pk for org in rows if org.is_cell]
        self.fill(tree)

    def levels(self, tree: Node) -> dict[str, Level]:
        used = {node.level for node in tree.walk()}
        return {
            key: Level.objects.get_or_create(
                name=level.name,
                defaults={
                    "name_en": level.name_en,
                    "name_km": level.name_km,
                    "supervision_visits": level.supervision_visits,
                },
            )[0]
            for key, level in names.LEVELS.items()
            if key in used
        }

    def place(
        self, node: Node, levels: dict[str, Level], parent: str, depth: int, step: int, rows: list
    ) -> None:
        """Give `node` its materialised path and queue it, then its children, for insertion."""
        path = Organisation._get_path(parent, depth, step)
        org = Organisation(
            name=node.name,
            kind=node.kind,
            level=levels[node.level],
            category=node.category,
            ref=node.ref,
            path=path,
            depth=depth,
            numchild=len(node.children),
        )
        self.orgs[node.ref] = org
        rows.append(org)
        for i, child in enumerate(node.children, start=1):
            self.place(child, levels, path, depth + 1, i, rows)

    def fill(self, node: Node) -> Pool:
        """Members below `node`, then its elected committee; returns who can sit a level up."""
        if node.level == "grassroots":
            return self.grassroots(node)
        pool = Pool()
        for child in node.children:
            pool.extend(self.fill(child))
        if not node.seats:
            return pool
        self.rng.shuffle(pool.seniors)
        self.rng.shuffle(pool.reserve)
        seated = self.seat(node, pool.seniors + pool.reserve)
        return Pool([m for m, kind in seated if kind in STANDING], pool.reserve)

    def grassroots(self, node: Node) -> Pool:
        cells = [self.orgs[c.ref] for c in node.children]
        members, positions = [], []
        for plan_cell, cell in zip(node.children, cells, strict=True):
            # The first members drawn lead the cell: secretary, deputy, cell committee.
            leaders = 2 + cell_committee(plan_cell.size)
            crew = [self.people.member(cell, cell.category, leader=True) for _ in range(leaders)]
            rest = plan_cell.size - leaders
            members += crew + [self.people.member(cell, cell.category) for _ in range(rest)]
            positions += self.cell_offices(cell, crew)
        bulk.load(Member, COLUMNS, members)
        bulk.load(Membership, MEMBERSHIP, self.memberships(members))
        eligible = [m for m in members if self.can_hold_office(m)]
        self.rng.shuffle(eligible)
        seated = self.seat(node, spread(eligible))
        bulk.load(Position, POSITION, positions)
        self.supervise(node, seated, cells)
        self.bar.update(len(members))
        chosen = {m.pk for m, _ in seated}
        reserve = [m for m in eligible if m.pk not in chosen][:RESERVE]
        return Pool([m for m, kind in seated if kind in STANDING], reserve)

    def cell_offices(self, cell: Organisation, crew: list[Person]) -> list[tuple]:
        kinds = [Kind.SECRETARY, Kind.DEPUTY] + [Kind.CELL_COMMITTEE] * (len(crew) - 2)
        started = self.today - timedelta(days=self.rng.randint(60, 1500))
        return [
            (member.pk, cell.pk, kind, max(started, member.official_on))
            for member, kind in zip(crew, kinds, strict=True)
        ]

    def memberships(self, members: list[Person]) -> list[tuple]:
        """One open membership each; a few members came from another cell."""
        rows = []
        latest_move = self.today - timedelta(days=60)
        for member in members:
            joined = member.admitted_on
            settled = joined + timedelta(days=365)
            if settled < latest_move and self.rng.random() < MOVED:
                moved = settled + timedelta(days=self.rng.randint(0, (latest_move - settled).days))
                before = self.other_cell(member.cell_id)
                rows.append((member.pk, before, joined, moved))
                joined = moved
            rows.append((member.pk, member.cell_id, joined, None))
        return rows

    def other_cell(self, cell_id: int) -> int:
        while (other := self.rng.choice(self.all_cells)) == cell_id:
            pass
        return other

    def can_hold_office(self, member: Person) -> bool:
        low, high = OFFICE_AGES
        age = (self.today - member.birth_date).days / 365.2425
        return member.status == Member.Status.OFFICIAL and low <= age <= high

    def seat(self, node: Node, candidates: list[Person]) -> list[tuple[Person, str]]:
        """Elect `node`'s committee from the first distinct candidates: a secretary first."""
        elected = list(dict.fromkeys(candidates))[: node.seats]
        kinds = council(len(elected))
        term = self.today - timedelta(days=self.rng.randint(100, 800))
        org = self.orgs[node.ref]
        bulk.load(
            Position,
            POSITION,
            [
                (m.pk, org.pk, k, max(term, m.official_on))
                for m, k in zip(elected, kinds, strict=True)
            ],
        )
        return list(zip(elected, kinds, strict=True))

    def supervise(
        self, node: Node, seated: list[tuple[Person, str]], cells: list[Organisation]
    ) -> None:
        """Each cell gets a committee member from another cell; each of them takes about three."""
        pool = [m for m, kind in seated if kind == Kind.COMMITTEE]
        pool += [m for m, kind in seated if kind == Kind.STANDING]
        pool = pool or [m for m, _ in seated]
        active = max(1, min(len(pool), -(-len(cells) // 3)))
        rows = []
        for i, cell in enumerate(cells):
            turn = i % active
            order = pool[turn:active] + pool[:turn] + pool[active:]
            supervisor = next((m for m in order if m.cell_id != cell.pk), order[0])
            started = self.today - timedelta(days=self.rng.randint(30, 700))
            rows.append((supervisor.pk, cell.pk, max(started, supervisor.official_on)))
        bulk.load(Assignment, ("supervisor_id", "cell_id", "started_on"), rows)


def spread(members: list[Person]) -> list[Person]:
    """Order candidates so that every cell has a seat before any cell has a second."""
    turn: Counter[int] = Counter()
    ranked = []
    for member in members:
        ranked.append((turn[member.cell_id], member))
        turn[member.cell_id] += 1
    return [member for _, member in sorted(ranked, key=itemgetter(0))]


def cell_committee(size: int) -> int:
    """Members of the cell committee besides the secretary and deputy: bigger cells have more."""
    return (size >= 15) + (size >= 30) + (size >= 50)


def council(size: int) -> list[str]:
    """Offices in an elected committee of `size`: a secretary, deputies, a standing committee."""
    deputies = 1 if size < 9 else 2 if size < 20 else 3
    executive = [Kind.SECRETARY] + [Kind.DEPUTY] * deputies + [Kind.STANDING] * max(1, size // 4)
    return (executive + [Kind.COMMITTEE] * size)[:size]
