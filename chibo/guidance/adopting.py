"""A cell's decisions on the guidance addressed to it: a point put on a meeting's agenda (in
the cell's own words), or a required one left out with a reason."""

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.guidance.cascade import Addressed, addressed_to
from chibo.guidance.issuing import GuidanceError
from chibo.guidance.models import Adoption, Point
from chibo.lib.months import month_of
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member


def _addressed(meeting: Meeting, point: Point) -> Addressed:
    """The point as the meeting's cell sees it in the meeting's month, or an error."""
    if not meeting.is_editable:
        raise GuidanceError(
            _("This meeting has opened, ended or been cancelled: it no longer changes.")
        )
    for found in addressed_to(meeting.cell, month_of(meeting.starts_at)):
        if found.point.pk == point.pk:
            return found
    raise GuidanceError(_("This point is not addressed to the cell for the meeting's month."))


@transaction.atomic
def adopt(
    meeting: Meeting, point: Point, by: Member | None, title: str = "", body: str = ""
) -> Adoption:
    """Put the point on the meeting's agenda as a new item, in the words given (the point's
    own by default); a point left out before is taken up after all."""
    meeting.lock()
    found = _addressed(meeting, point)
    if _on_a_live_agenda(found):
        raise GuidanceError(_("This point is already on an agenda of the cell."))
    item = meeting.add_item(title or point.title, body or point.body)
    return _decide(meeting, point, by, item=item, reason="")


@transaction.atomic
def leave_out(meeting: Meeting, point: Point, by: Member | None, reason: str) -> Adoption:
    """Record why the cell does not take the point up this time."""
    reason = reason.strip()
    Adoption._meta.get_field("reason").run_validators(reason)
    if not reason:
        raise GuidanceError(_("Say in a few words why the cell leaves this point out."))
    meeting.lock()
    found = _addressed(meeting, point)
    if _on_a_live_agenda(found):
        raise GuidanceError(
            _("This point is on the agenda: remove the item first to leave it out.")
        )
    return _decide(meeting, point, by, item=None, reason=reason)


def _on_a_live_agenda(found: Addressed) -> bool:
    """On the agenda of a meeting not called off: a cancelled meeting's items are no decision,
    and cannot be removed any more."""
    adoption = found.adoption
    return (
        adoption is not None
        and adoption.item_id is not None
        and adoption.meeting.status != Meeting.Status.CANCELLED
    )


def _decide(meeting: Meeting, point: Point, by: Member | None, **decision) -> Adoption:
    """The cell's one decision on the point, whatever it decided before."""
    adoption, _created = Adoption.objects.update_or_create(
        cell=meeting.cell,
        lineage=point.lineage,
        defaults={"point": point, "meeting": meeting, "decided_by": by, **decision},
    )
    return adoption
