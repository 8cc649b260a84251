"""Ready wording for the minutes and the resolution of each kind of meeting, in the language of
whoever starts them (Vietnamese or Khmer): what rules 6, 7 and 10 ask each part to say, with the
roll's figures filled in and dots where the secretary writes what happened."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.meetings.holding import roll_of
from chibo.meetings.models import AgendaItem, Meeting, Step

# The steps where members speak have no ready words: what is written there is what they said,
# and self-criticism counts only when written (`quality.facts`).
MINUTES = {
    Step.OPENING: gettext_lazy(
        "Comrade %(chair)s presided; comrade %(minute_taker)s took the minutes. "
        "Present: %(present)d members; "
        "absent with a reason: %(excused)s; absent without a reason: %(absent)s. "
        "The cell approved the agenda and collected party dues."
    ),
    Step.ASSESSMENT: gettext_lazy(
        "The cell assessed each task of last month's resolution against its result: …"
    ),
    Step.NEXT_TASKS: gettext_lazy("Next month the cell takes up: …"),
    Step.CONCLUSION: gettext_lazy("Comrade … concluded: … Each task has its owner and deadline."),
    Step.VOTE: gettext_lazy("The resolution was put to the vote: … for, … against, … abstaining."),
    Step.SCORING: gettext_lazy("The cell assessed the quality of the meeting as …, with … points."),
    Step.MINUTES: gettext_lazy(
        "The minutes were read aloud and approved by the meeting; the meeting closed at …"
    ),
    Step.PURPOSE: gettext_lazy("Comrade … stated the purpose of the thematic meeting: …"),
    Step.PRESENTATION: gettext_lazy("Comrade … presented the draft on the theme “%(theme)s”."),
    Step.THEME_CONCLUSION: gettext_lazy(
        "Comrade … concluded the theme; the finished text will be sent to members."
    ),
}
RESOLUTION = {
    "assignment": gettext_lazy(
        "Comrade … is responsible for …, with comrades …; results are reported at next "
        "month's meeting."
    ),
    "quality": gettext_lazy(
        "The cell assesses the quality of this meeting as …: attendance …, members' "
        "contributions …, self-criticism and criticism …"
    ),
}


def _names(lines) -> str:
    return ", ".join(line.member.full_name for line in lines) or _("none")


def _name(member) -> str:
    return member.full_name if member else "…"


def minutes_start(meeting: Meeting, items: list[AgendaItem]) -> dict[str, str]:
    """The first draft of the minutes, by agenda position, for the official steps."""
    roll = roll_of(meeting)
    facts = {
        "present": len(roll.present),
        "excused": _names(roll.excused),
        "absent": _names(roll.absent),
        "theme": meeting.theme or "…",
        "chair": _name(meeting.chair),
        "minute_taker": _name(meeting.minute_taker),
    }
    return {
        str(item.position): str(MINUTES[item.step]) % facts
        for item in items
        if item.step in MINUTES
    }


def resolution_start() -> dict[str, str]:
    """Parts III and IV of a first draft of the resolution."""
    return {part: str(text) for part, text in RESOLUTION.items()}
