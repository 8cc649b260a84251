"""What the secretary sees while preparing and holding a meeting: the step-by-step guide and
the preparation checklist."""

from django import template

from chibo.access.scope import scope_for
from chibo.meetings.checklist import checklist
from chibo.meetings.forms.planning import AgreementForm
from chibo.meetings.guide import current, guide
from chibo.meetings.models import Meeting

register = template.Library()


@register.inclusion_tag("meetings/guide.html")
def meeting_guide(meeting: Meeting) -> dict:
    steps = guide(meeting)
    under_way = meeting.status == Meeting.Status.OPEN
    return {"steps": steps, "now": current(steps) if under_way else None}


@register.inclusion_tag("meetings/planning/checklist.html", takes_context=True)
def meeting_checklist(context: template.Context, meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "checks": checklist(meeting),
        "form": AgreementForm(instance=meeting, scope=scope_for(context["request"])),
        "csrf_token": context.get("csrf_token"),
    }
