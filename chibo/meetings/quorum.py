"""Rule 9: who counts towards a vote of the cell, and how many votes carry it.

Only official members vote. A resolution passes with more than half of the adjusted count of
official members: those summoned, minus the temporarily transferred, minus exempt members who
are absent (exempt members who attend and vote count), minus the suspended, minus those absent
throughout with an approved reason. Elections use the same count.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chibo.meetings.models import Attendance
from chibo.orgs.models import Member

Standing = Member.Status
Presence = Attendance.Presence


@dataclass(frozen=True)
class Line:
    standing: str
    presence: str


@dataclass(frozen=True)
class Count:
    official: int
    transferred: int
    exempt_absent: int
    suspended: int
    excused: int
    voters_present: int

    @property
    def adjusted(self) -> int:
        return self.official - self.transferred - self.exempt_absent - self.suspended - self.excused

    @property
    def needed(self) -> int:
        """More than half of the adjusted count."""
        return self.adjusted // 2 + 1

    def passes(self, votes_for: int) -> bool:
        return self.adjusted > 0 and votes_for >= self.needed

    def check(self, votes_for: int, against: int, abstentions: int) -> None:
        """Refuse a tally that more people cast than could vote."""
        cast = votes_for + against + abstentions
        if cast > self.voters_present:
            raise ValidationError(
                _("%(cast)d votes were cast but only %(voters)d official members are present.")
                % {"cast": cast, "voters": self.voters_present},
                code="too_many_votes",
            )


def count(lines: Iterable[Line]) -> Count:
    official = transferred = exempt_absent = suspended = excused = voters = 0
    for line in lines:
        if line.standing == Standing.PROBATIONARY:
            continue  # probationary members attend and speak, but do not vote
        official += 1
        present = line.presence == Presence.PRESENT
        if line.standing == Standing.TRANSFERRED:
            transferred += 1
        elif line.standing == Standing.SUSPENDED:
            suspended += 1
        elif line.standing == Standing.EXEMPT and not present:
            exempt_absent += 1
        elif line.standing == Standing.OFFICIAL and line.presence == Presence.EXCUSED:
            excused += 1
        elif present:
            voters += 1
    return Count(official, transferred, exempt_absent, suspended, excused, voters)
