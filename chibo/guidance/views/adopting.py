"""Guidance taken up: the cell's month of guidance beside a meeting being prepared, one tap to
put a point on the agenda or a reason to leave a required one out; and the committee's table of
what its cells did with its guidance."""

from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chibo.access.scope import get_guidance_for_user, scope_for
from chibo.guidance import adopting
from chibo.guidance.cascade import Addressed, addressed_to
from chibo.guidance.forms.adopting import LeaveOutForm
from chibo.guidance.issuing import GuidanceError
from chibo.guidance.models import Adoption, Guidance, Point, period_label
from chibo.lib.months import month_of
from chibo.lib.paging import window
from chibo.meetings.guards import preparing
from chibo.meetings.models import Meeting, Resolution
from chibo.orgs.models import Organisation
from chibo.quality.facts import ADOPTED


def _month_url(meeting: Meeting, point: Point | None = None) -> str:
    url = reverse("guidance:meeting", args=[meeting.code])
    return f"{url}#point-{point.lineage}" if point else url


def _addressed(meeting: Meeting, lineage: UUID) -> Addressed | None:
    """The point of `lineage` as the meeting's cell sees it in the meeting's month."""
    found = addressed_to(meeting.cell, month_of(meeting.starts_at))
    return next((a for a in found if a.point.lineage == lineage), None)


def _refused(request: HttpRequest, error: GuidanceError | ValidationError) -> None:
    for message in error.messages if isinstance(error, ValidationError) else error.args:
        messages.error(request, message)


# -- the cell ------------------------------------------------------------------------------


@require_GET
@login_required
@preparing(argument="meeting")
def for_meeting(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """The merged guidance of the meeting's month, each point with what the cell decided."""
    month = month_of(meeting.starts_at)
    points = addressed_to(meeting.cell, month)
    return render(
        request,
        "guidance/adopting/meeting.html",
        {
            "meeting": meeting,
            "month": month,
            "points": points,
            "open": sum(found.open for found in points),
            "reason_max": LeaveOutForm.base_fields["reason"].max_length,
        },
    )


@require_POST
@login_required
@preparing(argument="meeting")
def adopt(request: HttpRequest, meeting: Meeting, point: UUID) -> HttpResponse:
    """One tap: the point's words become a new agenda item, for the secretary to adapt."""
    found = _addressed(meeting, point)
    if found is None:
        messages.error(request, _("This point is not in the cell's guidance for that month."))
        return redirect(_month_url(meeting))
    try:
        adoption = adopting.adopt(meeting, found.point, by=scope_for(request).member)
    except (GuidanceError, ValidationError) as error:
        _refused(request, error)
        return redirect(_month_url(meeting, found.point))
    item = adoption.item
    message = _(
        "“%(title)s” is on the agenda as item %(position)d. Now say it in the cell's own words: "
        "what it means here, who does what."
    ) % {"title": item.heading, "position": item.position}
    if meeting.status == Meeting.Status.PUBLISHED:
        message += " " + _("Members will be told of the change when you publish the meeting again.")
    messages.success(request, message)
    return redirect("meetings:agenda_item", code=meeting.code, position=item.position)


@require_POST
@login_required
@preparing(argument="meeting")
def leave_out(request: HttpRequest, meeting: Meeting, point: UUID) -> HttpResponse:
    """A point the cell does not take up this time, with its reason for the committee."""
    found = _addressed(meeting, point)
    if found is None:
        messages.error(request, _("This point is not in the cell's guidance for that month."))
        return redirect(_month_url(meeting))
    form = LeaveOutForm(request.POST)
    if not form.is_valid():
        for error in form.errors["reason"]:
            messages.error(request, error)
        return redirect(_month_url(meeting, found.point))
    try:
        adopting.leave_out(meeting, found.point, by=scope_for(request).member, **form.cleaned_data)
    except (GuidanceError, ValidationError) as error:
        _refused(request, error)
        return redirect(_month_url(meeting, found.point))
    messages.success(
        request,
        _("“%(title)s” is left out this time; the committee will read your reason.")
        % {"title": found.point.title},
    )
    return redirect(_month_url(meeting, found.point))


# -- the committee -------------------------------------------------------------------------


@dataclass
class Tally:
    """What the cells addressed did with one point."""

    point: Point
    addressed: int
    on_agenda: int = 0
    held: int = 0
    resolved: int = 0
    left_out: int = 0

    @property
    def undecided(self) -> int:
        return self.addressed - self.on_agenda - self.left_out


def _resolved() -> Exists:
    """The adoption's meeting adopted a resolution (the version in force or an earlier one)."""
    return Exists(Resolution.objects.filter(meeting=OuterRef("meeting"), status__in=ADOPTED))


def _tallies(points: list[Point], cells, addressed: int) -> list[Tally]:
    """Per point, in one query: the cells (among `cells`) that put it on an agenda, held it,
    resolved, left it out. Keyed by lineage, so decisions on earlier versions count."""
    # An item of a meeting called off took nothing up: the point counts as not decided.
    agenda = Q(item__isnull=False) & ~Q(meeting__status=Meeting.Status.CANCELLED)
    held = agenda & Q(meeting__status=Meeting.Status.CLOSED)
    rows = (
        Adoption.objects.filter(lineage__in=[p.lineage for p in points], cell__in=cells)
        .values("lineage")
        .annotate(
            on_agenda=Count("pk", filter=agenda),
            held=Count("pk", filter=held),
            resolved=Count("pk", filter=held & Q(_resolved())),
            left_out=Count("pk", filter=Q(item__isnull=True)),
        )
        .order_by()
    )
    counts = {row.pop("lineage"): row for row in rows}
    return [Tally(point, addressed, **counts.get(point.lineage, {})) for point in points]


@dataclass
class CellRow:
    cell: Organisation
    # The organisations between the committee and the cell, top first: cells' names repeat.
    parents: list[str]
    decisions: list[tuple[Point, Adoption | None]]


def _cell_rows(request: HttpRequest, guidance: Guidance, points: list[Point], cells) -> list:
    """The cells of the page with what each decided on each point, in a fixed few queries."""
    above = len(guidance.committee.path)
    paths = {path for cell in cells for path in cell.ancestor_paths() if len(path) > above}
    names = dict(Organisation.objects.filter(path__in=paths).values_list("path", "name"))
    adoptions = (
        Adoption.objects.filter(cell__in=cells, lineage__in=[p.lineage for p in points])
        .select_related("meeting", "item")
        .annotate(resolved=_resolved())
    )
    decided = {(a.cell_id, a.lineage): a for a in adoptions}
    # A meeting is a link only for those who may open it (drafts stay with the cell).
    meetings = scope_for(request).meetings().filter(pk__in={a.meeting_id for a in decided.values()})
    linked = set(meetings.values_list("pk", flat=True))
    for adoption in decided.values():
        adoption.linked = adoption.meeting_id in linked
    return [
        CellRow(
            cell,
            [names[path] for path in cell.ancestor_paths() if path in names],
            [(point, decided.get((cell.pk, point.lineage))) for point in points],
        )
        for cell in cells
    ]


@require_GET
@login_required
def adoption(request: HttpRequest, code: UUID) -> HttpResponse:
    """Per point, how many cells took it up; then, a page of cells at a time, each decision."""
    guidance, _can_issue = get_guidance_for_user(request, code)
    if not scope_for(request).can_see_adoption(guidance):
        raise PermissionDenied
    prefetch_related_objects([guidance], "levels", "parts")
    points = list(guidance.points.all())
    audience = guidance.audience()
    addressed = audience.count()
    page = window(
        request, audience.only("name", "code", "path").order_by("path"), settings.PAGE_SIZE
    )
    page.object_list = _cell_rows(request, guidance, points, page.object_list)
    return render(
        request,
        "guidance/adopting/adoption.html",
        {
            "guidance": guidance,
            "period": period_label(guidance),
            "addressed": addressed,
            "tallies": _tallies(points, audience.values("pk"), addressed),
            "page": page,
        },
    )
