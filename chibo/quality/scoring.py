"""Rules 11 and 12: a meeting's criteria, the points the records suggest, and its grade.

Weights, attendance bands and the grades' floors are settings (CHIBO_MEETING_CRITERIA,
CHIBO_ATTENDANCE_BANDS, CHIBO_GRADE_FLOORS) with the guidance's numbers as defaults.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.meetings import holding
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member
from chibo.quality import rollup
from chibo.quality.facts import MeetingFacts, facts_of
from chibo.quality.models import Grade, MeetingScore

# Rule 11: "Good" needs full marks on these, whatever the total.
FULL_MARKS_FOR_GOOD = ("duration", "attendance", "conduct", "closing")


@dataclass(frozen=True)
class Tasks:
    """Last month's resolution, as the meeting assesses it."""

    due: int = 0
    on_time: int = 0


@dataclass(frozen=True)
class Criterion:
    key: str
    label: Promise
    explanation: Promise
    # The points the records suggest, as a share of the weight (0–1).
    suggest: Callable[[MeetingFacts, Tasks], float]

    @property
    def weight(self) -> int:
        return settings.CHIBO_MEETING_CRITERIA[self.key]


def _duration(facts: MeetingFacts, tasks: Tasks) -> float:
    return min(1.0, facts.planned_minutes / facts.minimum_minutes)


def _attendance(facts: MeetingFacts, tasks: Tasks) -> float:
    _low, high = attendance_band(facts)
    return high / settings.CHIBO_MEETING_CRITERIA["attendance"]


def _preparation(facts: MeetingFacts, tasks: Tasks) -> float:
    # Half for the content agreed by the cell committee (rule 4), half for the notice and
    # documents in time (rule 5), a quarter if they went out late.
    agreed = 0.5 if facts.content_agreed else 0.0
    if facts.notice_late is None:
        return agreed
    return agreed + (0.25 if facts.notice_late else 0.5)


def _conduct(facts: MeetingFacts, tasks: Tasks) -> float:
    # Full marks when at least half of the members had their say and self-criticism was made.
    spoke = min(1.0, 2 * facts.speakers / facts.expected) if facts.expected else 0.0
    return 0.6 + 0.3 * spoke + 0.1 * facts.self_criticism


def _principles(facts: MeetingFacts, tasks: Tasks) -> float:
    return 1.0 if facts.voted or facts.is_thematic_only else 0.4


def _results(facts: MeetingFacts, tasks: Tasks) -> float:
    return tasks.on_time / tasks.due if tasks.due else 1.0


def _closing(facts: MeetingFacts, tasks: Tasks) -> float:
    adopted = facts.resolution_adopted or facts.is_thematic_only
    return 0.6 * facts.minutes_approved + 0.4 * adopted


CRITERIA = [
    Criterion(
        "duration",
        gettext_lazy("Duration"),
        gettext_lazy("Full marks for the planned length of rule 3 (90 minutes, 120 combined)."),
        _duration,
    ),
    Criterion(
        "attendance",
        gettext_lazy("Attendance"),
        gettext_lazy(
            "≥ 90% present: 4–5; 75–90%: 3; 65–75%: 2; below 65% or anyone absent without a "
            "reason: 1."
        ),
        _attendance,
    ),
    Criterion(
        "preparation",
        gettext_lazy("Preparation"),
        gettext_lazy(
            "Content agreed by the cell committee (rule 4) and documents sent to members in "
            "time (rule 5)."
        ),
        _preparation,
    ),
    Criterion(
        "conduct",
        gettext_lazy("Conduct and members' contributions"),
        gettext_lazy(
            "How the meeting ran: members who spoke, and self-criticism and criticism recorded."
        ),
        _conduct,
    ),
    Criterion(
        "principles",
        gettext_lazy("Principles"),
        gettext_lazy("Democratic centralism: decisions put to the vote of official members."),
        _principles,
    ),
    Criterion(
        "results",
        gettext_lazy("Results of last month's resolution"),
        gettext_lazy("Share of last month's tasks done on time."),
        _results,
    ),
    Criterion(
        "closing",
        gettext_lazy("Closing and minutes"),
        gettext_lazy("The resolution adopted, the minutes read and approved."),
        _closing,
    ),
]


def attendance_band(facts: MeetingFacts) -> tuple[int, int]:
    """Rule 12's lowest and highest points for attendance, from the roll."""
    bands = settings.CHIBO_ATTENDANCE_BANDS
    rate = facts.attendance
    if rate is None or facts.unexcused:
        return bands[-1][1:]
    for floor, low, high in bands:
        if rate >= floor:
            return low, high
    return bands[-1][1:]


def previous_tasks(meeting: Meeting) -> Tasks:
    """Tasks of the resolution this meeting assesses: the cell's previous one."""
    items = holding.previous_tasks(meeting)
    return Tasks(due=len(items), on_time=sum(item.on_time for item in items))


def suggest(facts: MeetingFacts, tasks: Tasks) -> dict[str, int]:
    """The points the records support, per criterion: where the cell's self-score starts."""
    return {c.key: round(c.weight * min(1.0, c.suggest(facts, tasks))) for c in CRITERIA}


def out_of_band(label: str, low: int, high: int) -> str:
    """What is said of points outside a criterion's range or band."""
    return _("%(criterion)s takes %(low)d to %(high)d points.") % {
        "criterion": label,
        "low": low,
        "high": high,
    }


def check(points: Mapping[str, int], facts: MeetingFacts) -> None:
    """Refuse points outside each criterion's range, and attendance outside its band."""
    errors = {}
    for criterion in CRITERIA:
        value = points.get(criterion.key)
        low, high = 0, criterion.weight
        if criterion.key == "attendance":
            low, high = attendance_band(facts)
        if value is None or not low <= value <= high:
            errors[criterion.key] = ValidationError(
                out_of_band(criterion.label, low, high), code="out_of_band"
            )
    if errors:
        raise ValidationError(errors)


def grade(points: Mapping[str, int]) -> Grade:
    """Rule 11: the grade of a meeting scored `points`."""
    floors = settings.CHIBO_GRADE_FLOORS
    total = sum(points.values())
    weights = settings.CHIBO_MEETING_CRITERIA
    full = all(points.get(key) == weights[key] for key in FULL_MARKS_FOR_GOOD)
    if total >= floors["good"] and full:
        return Grade.GOOD
    if total >= floors["fair"]:
        return Grade.FAIR
    if total >= floors["average"]:
        return Grade.AVERAGE
    return Grade.WEAK


def facts_for(meeting: Meeting) -> MeetingFacts:
    return facts_of(Meeting.objects.filter(pk=meeting.pk))[meeting.pk]


@transaction.atomic
def save_score(
    meeting: Meeting, role: str, points: Mapping[str, int], by: Member | None, note: str = ""
) -> MeetingScore:
    """Record one party's score (rule 13). The committee's decision comes after the cell's
    self-score and is final; until then the cell and the supervisor may revise theirs."""
    Role = MeetingScore.Role
    if meeting.status not in (Meeting.Status.OPEN, Meeting.Status.CLOSED):
        raise ValidationError(_("A meeting is scored once it has been held."), code="not_held")
    meeting.lock()  # two scores in one role at once: the second revises the first
    scores = {s.role: s for s in MeetingScore.objects.filter(meeting=meeting)}
    if Role.COMMITTEE in scores:
        raise ValidationError(
            _("The superior committee has decided this meeting's grade; it can no longer change."),
            code="decided",
        )
    if role == Role.COMMITTEE and Role.CELL not in scores:
        raise ValidationError(
            _("The committee decides after the cell has scored its meeting."), code="too_early"
        )
    check(points, facts_for(meeting))
    values = {key: points[key] for key in settings.CHIBO_MEETING_CRITERIA}
    score = scores.get(role) or MeetingScore(meeting=meeting, role=role)
    score.points, score.total, score.grade = values, sum(values.values()), grade(values)
    score.by, score.note = by, note
    score.save()
    rollup.refresh(rollup.held_months(meeting))
    return score
