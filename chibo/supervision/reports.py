"""Rule 14: a supervisor's report of a meeting with their score of it, and their visits against
the minimum their level sets."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max

from chibo.meetings.models import Meeting
from chibo.orgs.models import Level, Member, Organisation, Position
from chibo.quality.models import MeetingScore
from chibo.quality.scoring import save_score
from chibo.supervision.models import Report

DEFAULT_VISITS = Level._meta.get_field("supervision_visits").default


@transaction.atomic
def file_report(
    meeting: Meeting,
    supervisor: Member,
    points: Mapping[str, int],
    went_well: str,
    to_fix: str,
    note: str = "",
) -> Report:
    """The supervisor's score and report of one meeting, both or neither; filing again revises
    them until the committee decides."""
    report, _created = Report.objects.update_or_create(
        meeting=meeting, supervisor=supervisor, defaults={"went_well": went_well, "to_fix": to_fix}
    )
    # After the report, so that the month it recomputes counts the visit too.
    save_score(meeting, MeetingScore.Role.SUPERVISOR, points, supervisor, note)
    return report


@dataclass(frozen=True)
class Visits:
    done: int
    required: int
    # What a steady pace through the year reaches by the end of this month.
    due: int

    @property
    def behind(self) -> bool:
        return self.done < self.due


def required_visits(member_id: int) -> int:
    """The minimum of the committee level they sit at. A member on two committees owes the
    stricter one: each seat carries its own duty."""
    found = (
        Position.objects.current()
        .filter(member_id=member_id, organisation__kind=Organisation.Kind.COMMITTEE)
        .aggregate(n=Max("organisation__level__supervision_visits"))["n"]
    )
    return DEFAULT_VISITS if found is None else found


def visits_of(member_id: int, today: date) -> Visits:
    """Meetings reported on this calendar year against the year's minimum."""
    # A visit belongs to the year of the meeting, however late the report is revised.
    done = Report.objects.filter(
        supervisor_id=member_id, meeting__starts_at__year=today.year
    ).count()
    required = required_visits(member_id)
    return Visits(done=done, required=required, due=required * today.month // 12)
