"""The step-by-step guide beside the agenda and on the holding page."""

from django import template

from chibo.meetings.guide import current, guide
from chibo.meetings.models import Meeting

register = template.Library()


@register.inclusion_tag("meetings/guide.html")
def meeting_guide(meeting: Meeting) -> dict:
    steps = guide(meeting)
    under_way = meeting.status == Meeting.Status.OPEN
    return {"steps": steps, "now": current(steps) if under_way else None}
