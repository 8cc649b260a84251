"""The indicators of cell life, each defined once, with the rule it measures.

Every screen, chart, report and warning reads them from here, from the additive counts of
`MonthlyIndicators`; so a cell's page and its committee's ranking can never disagree.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chibo.lib.months import quarter_end
from chibo.quality.models import MonthlyIndicators
from chibo.quality.rollup import COUNTS
from chibo.voices.measures import median_answer_days

PERCENT = "%"
HOURS = "h"
DAYS = "d"
NUMBER = ""


def total(rows: Iterable[MonthlyIndicators]) -> MonthlyIndicators:
    """Rows added up (a quarter, a year, several organisations): still a row to read from."""
    found = MonthlyIndicators()
    for row in rows:
        for name in COUNTS:
            setattr(found, name, getattr(found, name) + getattr(row, name))
    return found


def aggregate(queryset) -> MonthlyIndicators:
    """The same, summed by the database."""
    sums = queryset.aggregate(**{name: Sum(name) for name in COUNTS})
    return MonthlyIndicators(**{name: value or 0 for name, value in sums.items()})


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    rule: Promise
    unit: str
    value: Callable[[MonthlyIndicators], float | None]
    # The value a cell should reach; below it the indicator is shown as a concern.
    target: float
    # Measured over a whole quarter: until it is over, the quarter so far (`settled`).
    quarterly: bool = False
    # Less is better: above the target it is shown as a concern (days waited, voices overdue).
    lower_better: bool = False

    def concern(self, value: float | None) -> bool:
        if value is None:
            return False
        return value > self.target if self.lower_better else value < self.target

    def settled(self, month: date, last: date) -> bool:
        """Whether the month's value is final when `last` is the last complete month. A
        quarterly indicator's is not until its quarter is over: it reads the quarter so far
        (a thematic meeting may still come), and is no concern yet. The dashboard, the
        reports and their charts all ask here, so they show the same figure."""
        return not self.quarterly or quarter_end(month) <= last


INDICATORS = [
    Indicator(
        "regular",
        _("Regular meeting held"),
        _("Rule 1: every cell meets every month."),
        PERCENT,
        lambda c: ratio(c.regular_held, c.cells),
        1.0,
    ),
    Indicator(
        "thematic",
        _("Thematic meeting this quarter"),
        _("Rule 2: a thematic meeting at least once a quarter."),
        PERCENT,
        lambda c: ratio(c.thematic_quarter, c.cells),
        1.0,
        quarterly=True,
    ),
    Indicator(
        "attendance",
        _("Attendance"),
        _("Rule 8: official and probationary members present, of those who must attend."),
        PERCENT,
        lambda c: ratio(c.present, c.expected),
        0.9,
    ),
    Indicator(
        "lead_time",
        _("Documents' lead time"),
        _("Rule 5: hours between the notice with its documents and the meeting."),
        HOURS,
        lambda c: ratio(c.lead_hours, c.notices),
        24.0,
    ),
    Indicator(
        "comments",
        _("Comments per member"),
        _("Rule 5: members study the documents and comment before the meeting."),
        NUMBER,
        lambda c: ratio(c.comments, c.expected),
        1.0,
    ),
    Indicator(
        "speakers",
        _("Members who spoke"),
        _("Rule 12: members' contributions; share of members who commented."),
        PERCENT,
        lambda c: ratio(c.speakers, c.expected),
        0.5,
    ),
    Indicator(
        "self_criticism",
        _("Self-criticism recorded"),
        _("Rule 6: meetings whose minutes record self-criticism and criticism."),
        PERCENT,
        lambda c: ratio(c.self_criticism, c.meetings),
        1.0,
    ),
    Indicator(
        "tasks",
        _("Resolution tasks done on time"),
        _("Rule 12: results of the resolution; tasks due this month done by their deadline."),
        PERCENT,
        lambda c: ratio(c.tasks_on_time, c.tasks_due),
        0.8,
    ),
    Indicator(
        "grade",
        _("Meeting score"),
        _("Rules 11–13: average score out of 100, the committee's decision where made."),
        NUMBER,
        lambda c: ratio(c.score_sum, c.scored),
        70.0,
    ),
    Indicator(
        "guidance",
        _("Required guidance taken up"),
        _(
            "Rule 4: required points of the committees' guidance that the cell put on the "
            "agenda of a meeting it held."
        ),
        PERCENT,
        lambda c: ratio(c.guidance_adopted, c.guidance_required),
        1.0,
    ),
    Indicator(
        "study",
        _("Resolution studied on time"),
        _(
            "Members who sent their learning note and action plan by the deadline of the "
            "studies launched by the committees above."
        ),
        PERCENT,
        lambda c: ratio(c.study_done, c.study_due),
        0.9,
    ),
    Indicator(
        "voices_received",
        _("Voices received"),
        _("Rule 15: situations, opinions and aspirations of members and people recorded."),
        NUMBER,
        lambda c: c.voices_received,
        0.0,
    ),
    Indicator(
        "voices_on_time",
        _("Voices answered in time"),
        _("Rule 15: voices first answered this month, by their due date."),
        PERCENT,
        lambda c: ratio(c.voices_answered_on_time, c.voices_answered),
        0.9,
    ),
    Indicator(
        "voices_answer_days",
        _("Median time to answer a voice"),
        _(
            "Rule 15: days from a voice received to its first answer, for half the voices "
            "answered this month (within 1, 3, 7 or 30 days)."
        ),
        DAYS,
        median_answer_days,
        7.0,
        lower_better=True,
    ),
    Indicator(
        "voices_passed_up",
        _("Voices passed up"),
        _("Rule 15: voices a cell could not settle, passed up to the committee above."),
        NUMBER,
        lambda c: c.voices_passed_up,
        0.0,
    ),
    Indicator(
        "voices_overdue",
        _("Voices open beyond time"),
        _("Rule 15: voices still open at the end of the month past a due date."),
        NUMBER,
        lambda c: c.voices_overdue,
        0.0,
        lower_better=True,
    ),
    Indicator(
        "people_consulted",
        _("Resolutions touching the people consulted first"),
        _(
            "Rule 16: resolutions on a matter touching the people, adopted this month, whose "
            "meeting consulted the people before it."
        ),
        PERCENT,
        lambda c: ratio(c.people_consulted, c.people_resolutions),
        1.0,
    ),
    Indicator(
        "visits",
        _("Supervisor visits"),
        _("Rule 14: meetings attended and reported on by supervising committee members."),
        NUMBER,
        lambda c: c.visits,
        0.0,
    ),
]
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


def shown(indicator: Indicator, value: float | None) -> str:
    """The value as people read it: 92%, 36 h, 1.4."""
    if value is None:
        return "–"
    if indicator.unit == PERCENT:
        return f"{round(value * 100)}%"
    if indicator.unit == HOURS:
        return f"{round(value)} h"
    if indicator.unit == DAYS:
        # The bucket the median falls in: within that many days, or beyond the last.
        return f"{round(value)} d" if value <= 30 else "30+ d"
    return number_format(value, decimal_pos=0 if value == int(value) else 1)
