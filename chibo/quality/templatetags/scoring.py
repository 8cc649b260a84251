"""The grade that stands, for the meeting's own pages and the minutes (rule 11: the grade is
written in the minutes), and who may score it."""

from django import template

from chibo.access.scope import scope_for
from chibo.meetings.models import Meeting
from chibo.quality.models import MeetingScore
from chibo.quality.scoring import decided

register = template.Library()


@register.simple_tag
def standing_score(meeting: Meeting) -> MeetingScore | None:
    """One query, so each page that shows the grade costs one more, whatever the meeting."""
    return decided({s.role: s for s in meeting.scores.select_related("by")})


@register.simple_tag(takes_context=True)
def score_roles(context: template.Context, meeting: Meeting) -> list[str]:
    """The roles in which the signed-in user may score the meeting (rule 13)."""
    scope = scope_for(context["request"])
    return [role for role in MeetingScore.Role.values if scope.can_score(meeting, role)]
