"""Demo members: names, ages, dates and statuses in the proportions of a real city."""

import random
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from chibo.lib.text import fold
from chibo.orgs.demo import names
from chibo.orgs.models import Member, Organisation

YEAR = 365.2425
MALE, FEMALE = Member.Gender.MALE, Member.Gender.FEMALE
Status = Member.Status

# Share of men among members, by the category of their cell: mines and barracks are mostly
# men, schools and hospitals mostly women; about 55% men overall.
MALE_SHARE = {
    "enterprise": 0.76,
    "armed_forces": 0.85,
    "agency": 0.5,
    "residential": 0.47,
    "village": 0.52,
    "school": 0.3,
    "health": 0.32,
}
# Ages of members of working age as (youngest, oldest, most common), by category of cell.
WORKING_AGES = {
    "enterprise": (22, 58, 38),
    "armed_forces": (22, 55, 32),
    "residential": (25, 60, 48),
    "village": (22, 60, 42),
}
DEFAULT_AGES = (24, 60, 42)
# Residential groups and villages are where retired members keep their party life.
RETIRED_SHARE = {"residential": 0.55, "village": 0.4}
PROBATIONARY = 0.06
# Members over 70 may be exempted from work and activities; a few younger ones for illness.
EXEMPT_ELDERLY, EXEMPT_SIXTIES = 0.34, 0.02
TRANSFERRED, SUSPENDED = 0.008, 0.0015


class Weighted:
    """A choice among names in proportion to their weights, with the sums computed once."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.names = list(weights)
        self.cum_weights = list(accumulate(weights.values()))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cum_weights)[0]


FAMILY = Weighted(names.FAMILY_NAMES)
MIDDLE = {MALE: Weighted(names.MALE_MIDDLE_NAMES), FEMALE: Weighted(names.FEMALE_MIDDLE_NAMES)}
GIVEN = {MALE: names.MALE_GIVEN_NAMES, FEMALE: names.FEMALE_GIVEN_NAMES}
# Names repeat a lot across a province; folding each once saves most of the work.
search_name = lru_cache(maxsize=None)(fold)


def plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Person(NamedTuple):
    """A member to write: the columns of `Member` named in COLUMNS, in that order."""

    pk: int
    cell_id: int
    full_name: str
    search_name: str
    birth_date: date
    gender: str
    admitted_on: date
    official_on: date | None
    card_number: str
    citizen_id: str
    phone: str
    status: str


COLUMNS = ("id", *Person._fields[1:])


class People:
    """Draws members one at a time, keeping card numbers, citizen IDs and phones unique, and
    numbering them from `first_pk` so they can be written in bulk as plain rows."""

    def __init__(self, rng: random.Random, today: date, total: int, first_pk: int) -> None:
        self.rng = rng
        self.today = today
        self.cards = iter(rng.sample(range(10_000_000, 100_000_000), total))
        self.citizen_ids: set[str] = set()
        self.phones: set[str] = set()
        self.next_pk = first_pk

    def member(self, cell: Organisation, category: str, *, leader: bool = False) -> Person:
        """A member of `cell`; a `leader` is an official member of an age to hold office."""
        rng = self.rng
        gender = MALE if rng.random() < MALE_SHARE.get(category, 0.55) else FEMALE
        if leader:
            status, age = Status.OFFICIAL, rng.triangular(30, 62, 48)
        elif rng.random() < PROBATIONARY:
            status, age = Status.PROBATIONARY, rng.triangular(19.1, 40, 25)
        else:
            age = self.age(category)
            status = self.status(age)
        birth = self.today - timedelta(days=int(min(max(age, 19.1), 85.9) * YEAR))
        admitted = self.admission(birth, status)
        official = None if status == Status.PROBATIONARY else plus_years(admitted, 1)
        full_name = self.name(gender)
        self.next_pk += 1
        return Person(
            pk=self.next_pk - 1,
            cell_id=cell.pk,
            full_name=full_name,
            search_name=search_name(full_name),
            birth_date=birth,
            gender=gender,
            admitted_on=admitted,
            official_on=official,
            card_number=f"QN{next(self.cards)}",
            citizen_id=self.citizen_id(birth, gender),
            phone=self.unique(self.phones, lambda: f"09{rng.randrange(10**8):08d}"),
            status=status,
        )

    def name(self, gender: str) -> str:
        rng = self.rng
        return f"{FAMILY.draw(rng)} {MIDDLE[gender].draw(rng)} {rng.choice(GIVEN[gender])}"

    def age(self, category: str) -> float:
        rng = self.rng
        if rng.random() < RETIRED_SHARE.get(category, 0):
            return rng.triangular(60, 86, 68)
        return rng.triangular(*WORKING_AGES.get(category, DEFAULT_AGES))

    def status(self, age: float) -> str:
        draw = self.rng.random()
        if age >= 70:
            return Status.EXEMPT if draw < EXEMPT_ELDERLY else Status.OFFICIAL
        if age >= 60:
            return Status.EXEMPT if draw < EXEMPT_SIXTIES else Status.OFFICIAL
        if draw < TRANSFERRED:
            return Status.TRANSFERRED
        if draw < TRANSFERRED + SUSPENDED:
            return Status.SUSPENDED
        return Status.OFFICIAL

    def admission(self, birth: date, status: str) -> date:
        """Admitted at 18 or later; probationary members within the last twelve months."""
        if status == Status.PROBATIONARY:
            return self.today - timedelta(days=self.rng.randint(20, 360))
        earliest = plus_years(birth, 18)
        # Official members were admitted over a year ago, mostly in their twenties.
        span = max(0, min((self.today - earliest).days - 400, int(40 * YEAR)))
        offset = self.rng.triangular(0, span, min(span, int(5 * YEAR)))
        return earliest + timedelta(days=int(offset))

    def citizen_id(self, birth: date, gender: str) -> str:
        """Quảng Ninh's code 022, then century and gender, year of birth, six digits."""
        century = (birth.year >= 2000) * 2 + (gender == FEMALE)
        prefix = f"022{century}{birth.year % 100:02d}"
        return self.unique(self.citizen_ids, lambda: f"{prefix}{self.rng.randrange(10**6):06d}")

    @staticmethod
    def unique(seen: set[str], draw) -> str:
        while (value := draw()) in seen:
            pass
        seen.add(value)
        return value
