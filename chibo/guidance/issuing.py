"""A committee's guidance from draft to publication: its points, its corrections as new
versions, and passing it on to the committees below with their own points added.

Each function checks what it may not do, raises `GuidanceError` with a message for the person,
and otherwise says what it changed by what it returns.
"""

from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.guidance.models import Guidance, Point
from chibo.lib.months import month_of
from chibo.orgs.models import Member, Organisation


class GuidanceError(Exception):
    """A change refused, with a message for the person who asked."""


def _draft_only(guidance: Guidance) -> None:
    if not guidance.is_draft:
        raise GuidanceError(
            _("Published guidance is not changed in place: correct it as a new version.")
        )


def add_point(guidance: Guidance, **fields) -> Point:
    """A new point at the end of a draft."""
    _draft_only(guidance)
    last = guidance.points.aggregate(last=Max("position"))["last"] or 0
    return Point.objects.create(guidance=guidance, position=last + 1, **fields)


def remove_point(point: Point) -> None:
    """Take a point out of a draft, closing the gap."""
    guidance = point.guidance
    _draft_only(guidance)
    with transaction.atomic():
        point.delete()
        for later in guidance.points.filter(position__gt=point.position).order_by("position"):
            later.position -= 1
            later.save(update_fields=["position"])


def publish(guidance: Guidance, by: Member | None, today: date | None = None) -> Guidance | None:
    """Publish a draft to the cells it addresses; the version it corrects, if any, stops being
    in force. Returns that earlier version. The notifications and the indicators of the cells
    addressed follow in the background (`tasks.fan_out`), so a province's publication returns
    at once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # The lineage's rows locked: two publications of one guidance take turns.
        versions = list(Guidance.objects.select_for_update().filter(lineage=guidance.lineage))
        guidance.refresh_from_db()
        _draft_only(guidance)
        if guidance.version > 1 and not guidance.correction:
            # Cells that adopted a changed point are told, in these words.
            raise GuidanceError(_("Say what the correction changes before publishing it."))
        if not guidance.points.exists():
            raise GuidanceError(_("Add at least one point before publishing."))
        if guidance.due_month < month_of(today):
            raise GuidanceError(
                _("The months this guidance is for are over: choose a month to come.")
            )
        previous = next((v for v in versions if v.status == Guidance.Status.PUBLISHED), None)
        if previous is not None:
            previous.status = Guidance.Status.CORRECTED
            previous.save(update_fields=["status", "updated_at"])
        guidance.status = Guidance.Status.PUBLISHED
        guidance.published_at = timezone.now()
        guidance.published_by = by
        guidance.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        from chibo.guidance.tasks import fan_out  # the task module imports this one

        transaction.on_commit(
            partial(fan_out.enqueue, guidance.pk, previous.pk if previous else None)
        )
    return previous


@transaction.atomic
def correct(guidance: Guidance, by: Member | None) -> Guidance:
    """The draft of the next version of published guidance, a copy to change (the same one if
    a correction is already being written)."""
    if guidance.status != Guidance.Status.PUBLISHED:
        raise GuidanceError(_("Only the version in force can be corrected."))
    draft = Guidance.objects.filter(lineage=guidance.lineage, status=Guidance.Status.DRAFT).first()
    if draft is not None:
        return draft
    draft = _copy(guidance, version=guidance.version + 1, lineage=guidance.lineage, written_by=by)
    Point.objects.bulk_create(
        Point(
            guidance=draft,
            position=point.position,
            kind=point.kind,
            required=point.required,
            title=point.title,
            body=point.body,
            links=point.links,
            lineage=point.lineage,
        )
        for point in guidance.points.all()
    )
    return draft


@transaction.atomic
def pass_on(guidance: Guidance, committee: Organisation, by: Member | None) -> Guidance:
    """A draft of `committee`'s own guidance for the same period, passing `guidance` on: its
    cells see both, each point with the committee it came from. The one already begun, if any."""
    if guidance.status != Guidance.Status.PUBLISHED:
        raise GuidanceError(_("Only published guidance can be passed on."))
    above = guidance.committee
    below = committee.path.startswith(above.path) and committee.pk != above.pk
    if committee.kind != Organisation.Kind.COMMITTEE or not below:
        raise GuidanceError(_("Guidance is passed on by a committee below the one that wrote it."))
    begun = Guidance.objects.filter(passes_on__lineage=guidance.lineage, committee=committee)
    found = begun.exclude(status=Guidance.Status.CORRECTED).order_by("-version").first()
    if found is not None:
        return found
    return Guidance.objects.create(
        committee=committee,
        period=guidance.period,
        month=guidance.month,
        title=guidance.title,
        passes_on=guidance,
        written_by=by,
    )


def _copy(guidance: Guidance, **changes) -> Guidance:
    copy = Guidance.objects.create(
        committee=guidance.committee,
        period=guidance.period,
        month=guidance.month,
        title=guidance.title,
        passes_on=guidance.passes_on,
        categories=guidance.categories,
        **changes,
    )
    copy.levels.set(guidance.levels.all())
    copy.parts.set(guidance.parts.all())
    return copy
