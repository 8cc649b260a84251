"""A meeting's consultation where the meetings app shows it (its page, its minutes, its
resolution), without the meetings app knowing the voices app."""

from django import template
from django.utils import timezone

from chibo.voices import consulting
from chibo.voices.consultations import Consultation, Stance

register = template.Library()


@register.simple_tag
def consultation_of(meeting, final: bool = False) -> dict | None:
    """The meeting's consultation, its state today, and its result once it closed."""
    found = Consultation.objects.filter(meeting_id=meeting.pk).first()
    if found is None:
        return None
    today = timezone.localdate()
    closed = found.is_closed_on(today)
    state = "closed" if closed else "open" if found.is_open_on(today) else "upcoming"
    return {
        "consultation": found,
        "state": state,
        "result": consulting.result_of(found) if closed or final else None,
        "min_votes": consulting.MIN_VOTES,
    }


@register.filter
def stance_in(mine: dict, statement_id: int) -> str:
    return mine.get(statement_id, "")


@register.filter
def stance_label(choice: str) -> str:
    return Stance.Choice(choice).label


@register.simple_tag
def open_to_citizens(cell) -> list:
    """The cell's consultations citizens may answer today, for its public door."""
    today = timezone.localdate()
    return list(
        Consultation.objects.filter(
            cell_id=cell.pk, open_to_citizens=True, opens_on__lte=today, closes_on__gte=today
        ).only("code", "question", "closes_on")
    )
