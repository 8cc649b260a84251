"""The step-by-step guide of a meeting (DOMAIN.md rules 6 and 7): each official step of its
kind, what to do in it and how long it should take, fitted to the meeting's planned length,
with the self-criticism and criticism of rule 6 kept within its bounds (CHIBO_STEP_MINUTES)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting, Step

ADVICE = {
    Step.OPENING: _(
        "State the reason, introduce the guests, appoint the minute-taker, call the roll, "
        "approve the agenda and collect party dues."
    ),
    Step.ASSESSMENT: _("Take each task of last month's resolution and say what came of it."),
    Step.SITUATION: _(
        "The thoughts of members and of the people; each member's self-criticism and the "
        "criticism of the others."
    ),
    Step.NEXT_TASKS: _("Propose next month's tasks, from the guidance and from local problems."),
    Step.DISCUSSION: _("Every member speaks: ask the quiet ones first."),
    Step.CONCLUSION: _("Conclude; give each task an owner and a deadline."),
    Step.VOTE: _("Official members vote on the resolution (rule 9)."),
    Step.SCORING: _("Score the meeting's quality against the criteria (rule 11)."),
    Step.MINUTES: _("Read the minutes aloud and approve them."),
    Step.PURPOSE: _("The secretary states the purpose of the theme."),
    Step.PRESENTATION: _("The member assigned presents the draft on the theme."),
    Step.THEME_DISCUSSION: _("Members discuss it and relate it to themselves and the unit."),
    Step.THEME_CONCLUSION: _("Conclude; the finished text goes to members afterwards."),
}


@dataclass(frozen=True)
class GuideStep:
    step: Step
    minutes: int
    starts_at: datetime
    advice: Promise

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


def guide(meeting: Meeting) -> list[GuideStep]:
    """The official steps of the meeting's kind, timed from its start."""
    minutes = settings.CHIBO_STEP_MINUTES
    steps = meeting.official_steps()
    base = sum(minutes[step] for step in steps) or 1
    low, high = settings.CHIBO_RULES["self_criticism_minutes"]
    found, at = [], meeting.starts_at
    for step in steps:
        share = max(1, round(minutes[step] * meeting.planned_minutes / base))
        if step == Step.SITUATION:
            share = min(max(share, low), high)
        found.append(GuideStep(step, share, at, ADVICE[step]))
        at += timedelta(minutes=share)
    return found


def current(steps: list[GuideStep], now: datetime | None = None) -> Step | None:
    """The step the meeting should be at by the clock, if it is under way."""
    now = now or timezone.now()
    return next((s.step for s in steps if s.starts_at <= now < s.ends_at), None)
