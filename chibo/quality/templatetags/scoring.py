"""The grade that stands, for the meeting's own pages and the minutes (rule 11: the grade is
written in the minutes). Who may score it is `MeetingRights.score`."""

from django import template

from chibo.meetings.models import Meeting
from chibo.quality.models import MeetingScore

register = template.Library()


@register.simple_tag
def standing_score(meeting: Meeting) -> MeetingScore | None:
    """One query, so each page that shows the grade costs one more, whatever the meeting."""
    return meeting.scores.standing().select_related("by").first()
