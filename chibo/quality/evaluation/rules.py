"""The rules of evaluating members and organisations (rules 18–20), as pure functions of facts.

`process` gathers the facts from the records and applies these along the chain of rule 17.
The numbers are the `CHIBO_EVALUATION` setting, with the guidance's as defaults.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.quality.indicators import BY_KEY
from chibo.quality.models import Classification, MonthlyIndicators

# Worst first: a grade is allowed when it ranks no higher than the facts allow.
RANK = [
    Classification.NOT_COMPLETED,
    Classification.COMPLETED,
    Classification.GOOD,
    Classification.EXCELLENT,
]
GOOD_OR_BETTER = {Classification.GOOD, Classification.EXCELLENT}


def limits() -> dict:
    return settings.CHIBO_EVALUATION


@dataclass(frozen=True)
class Facts:
    """What rule 18 looks at: a score out of 100 and the period's tasks: due, done at all, done
    by their deadline, done beyond what was asked."""

    score: int
    tasks_due: int = 0
    tasks_done: int = 0
    tasks_on_time: int = 0
    tasks_exceeding: int = 0
    shortcomings_fixed: bool = False
    disciplined: bool = False


def shortfalls(grade: str, facts: Facts) -> list[str]:
    """What keeps `facts` from `grade`, in the words of rule 18; empty when it is allowed.

    Scores are floors: a score of 95 with a task late is not excellent and not "good"
    (every task on time) either, but it is "completed". With no task due, the conditions on
    tasks hold trivially and the score decides.
    """
    rank = RANK.index(grade)
    if rank == 0:
        return []
    n = limits()
    due = facts.tasks_due
    found = []
    floor = n["floors"][grade]
    if facts.score < floor:
        found.append(
            _("a score of at least %(floor)d (it is %(score)d)")
            % {"floor": floor, "score": facts.score}
        )
    if facts.disciplined:
        found.append(_("no discipline during the period"))
    if facts.tasks_done * 100 < n["done_percent"] * due:
        found.append(
            _("at least %(percent)d%% of tasks done (%(done)d of %(due)d)")
            % {"percent": n["done_percent"], "done": facts.tasks_done, "due": due}
        )
    if rank >= RANK.index(Classification.GOOD) and facts.tasks_on_time < due:
        found.append(
            _("every task done on time (%(on_time)d of %(due)d)")
            % {"on_time": facts.tasks_on_time, "due": due}
        )
    if grade == Classification.EXCELLENT:
        if facts.tasks_exceeding * 100 < n["exceeding_percent"] * due:
            found.append(
                _("at least %(percent)d%% of tasks exceeding what was asked (%(count)d of %(due)d)")
                % {"percent": n["exceeding_percent"], "count": facts.tasks_exceeding, "due": due}
            )
        if not facts.shortcomings_fixed:
            found.append(_("every earlier shortcoming fixed"))
    return found


def highest_grade(facts: Facts) -> Classification:
    """Rule 18: the best grade the facts allow."""
    return next(grade for grade in reversed(RANK) if not shortfalls(grade, facts))


def refusal(grade: str, facts: Facts) -> str | None:
    """Why `grade` cannot be given on these facts, as one sentence; None if it can."""
    missing = shortfalls(grade, facts)
    if not missing:
        return None
    return _("Rule 18: “%(grade)s” needs %(missing)s. The facts allow at most “%(allowed)s”.") % {
        "grade": Classification(grade).label,
        "missing": "; ".join(missing),
        "allowed": highest_grade(facts).label,
    }


@dataclass(frozen=True)
class Rated:
    """A member's grade as it stands (decided, else proposed by the committee)."""

    key: object
    name: str
    grade: str
    score: int | None


@dataclass(frozen=True)
class Quota:
    percent: int
    allowed: int
    excellent: int
    good: int
    # When the quota is exceeded: every member rated excellent, the lowest score first.
    reconsider: tuple[Rated, ...]

    @property
    def exceeded(self) -> bool:
        return self.excellent > self.allowed

    @property
    def over(self) -> int:
        return max(self.excellent - self.allowed, 0)


def quota(rated: Iterable[Rated]) -> Quota:
    """Rule 19: members rated excellent are no more than 20% of those rated good, in one
    grassroots organisation.

    The rule counts those rated good, the excellent ones apart, as Regulation 366 words it;
    "no more than" rounds down, so four members rated good allow no excellent one.
    """
    rated = list(rated)
    excellent = sorted(
        (r for r in rated if r.grade == Classification.EXCELLENT),
        key=lambda r: (-1 if r.score is None else r.score, r.name),
    )
    good = sum(r.grade == Classification.GOOD for r in rated)
    most = allowed(good)
    return Quota(
        percent=limits()["quota_percent"],
        allowed=most,
        excellent=len(excellent),
        good=good,
        reconsider=tuple(excellent) if len(excellent) > most else (),
    )


def allowed(good: int) -> int:
    """Rule 19: how many members may be rated excellent beside `good` members rated good."""
    return good * limits()["quota_percent"] // 100


@dataclass(frozen=True)
class Part:
    label: Promise
    value: float | None
    weight: int


@dataclass(frozen=True)
class CellScore:
    score: int
    parts: tuple[Part, ...]

    @property
    def measured(self) -> bool:
        return any(part.value is not None for part in self.parts)


def cell_score(year: MonthlyIndicators, member_grades: Iterable[str]) -> CellScore:
    """Rule 20: a cell's proposed score out of 100, from its collective work and its members.

        score = (40·M + 20·R + 20·T + 20·G) / (the sum of the weights of the parts measured)

    where, over the cell's twelve months of indicators up to the end of the period (`year`,
    their sum) and its members' evaluations in the same round:

    - M is the average meeting score, out of 100 (rules 11–13; the committee's decision where
      made), divided by 100;
    - R is the share of months with a regular meeting held (rule 1);
    - T is the share of tasks due that were done by their deadline;
    - G is the share of the cell's members already decided whose grade is good or excellent.

    Each is read from `chibo.quality.indicators`, so the score agrees with the dashboard. A part
    with nothing to measure (no meeting scored, no task due, no member decided) leaves the
    weighting rather than counting as nothing or as full marks; with nothing measured at all
    the score is 0. The grade then follows rule 18 from this score and the cell's own tasks.
    """
    weights = limits()["cell_weights"]
    grades = list(member_grades)
    meetings = BY_KEY["grade"].value(year)
    parts = (
        Part(
            gettext_lazy("Average meeting score"),
            None if meetings is None else meetings / 100,
            weights["meetings"],
        ),
        Part(
            gettext_lazy("Months with a regular meeting"),
            BY_KEY["regular"].value(year),
            weights["regular"],
        ),
        Part(gettext_lazy("Tasks done on time"), BY_KEY["tasks"].value(year), weights["tasks"]),
        Part(
            gettext_lazy("Members rated good or excellent"),
            sum(g in GOOD_OR_BETTER for g in grades) / len(grades) if grades else None,
            weights["members"],
        ),
    )
    measured = [p for p in parts if p.value is not None]
    total = sum(p.weight for p in measured)
    score = round(100 * sum(p.value * p.weight for p in measured) / total) if total else 0
    return CellScore(score=score, parts=parts)
