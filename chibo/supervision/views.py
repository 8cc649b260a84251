"""The supervisor's page (rule 14): the cells in their charge at a glance, and their visits this
year against the minimum of their level. A fixed number of queries however many cells."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.access.scope import Scope, scope_for
from chibo.meetings.models import ActionItem, Meeting
from chibo.orgs.models import Organisation
from chibo.quality.models import MeetingScore
from chibo.supervision.models import Report
from chibo.supervision.reports import visits_of

HELD = [Meeting.Status.OPEN, Meeting.Status.CLOSED]
LAST_HELD = 3


@dataclass(frozen=True)
class Held:
    meeting: Meeting
    # The score that stands (rule 13), and the supervisor's own.
    score: MeetingScore | None
    mine: MeetingScore | None
    reported: bool

    @property
    def final(self) -> bool:
        """The superior committee decided the grade: nobody scores the meeting any more."""
        return self.score is not None and self.score.role == MeetingScore.Role.COMMITTEE

    @property
    def to_score(self) -> bool:
        """What the supervisor can still do: score and report a meeting not yet decided."""
        return not self.reported and not self.final


@dataclass(frozen=True)
class Charge:
    cell: Organisation
    next_meeting: Meeting | None
    held: list[Held]
    overdue: int


def _first_per_cell(meetings: QuerySet, n: int, order) -> QuerySet:
    """The first `n` meetings of each cell in `order`: one query for any number of cells."""
    rank = Window(RowNumber(), partition_by=F("cell_id"), order_by=order)
    return meetings.annotate(rank=rank).filter(rank__lte=n)


def _charges(scope: Scope) -> list[Charge]:
    today = timezone.localdate()
    cells = list(scope.supervised_cells().order_by("name"))
    if not cells:
        return []
    overdue = dict(
        ActionItem.objects.overdue(today)
        .filter(cell__in=cells)
        .values_list("cell_id")
        .annotate(n=Count("pk"))
    )
    # A draft shows as "not yet published", without a link: the supervisor knows the cell is
    # preparing its meeting, and opens it once the members are told of it.
    upcoming = Meeting.objects.upcoming().filter(cell__in=cells)
    nexts = {m.cell_id: m for m in _first_per_cell(upcoming, 1, F("starts_at").asc())}
    mine = Report.objects.filter(meeting=OuterRef("pk"), supervisor_id=scope.member_id)
    held = scope.meetings().filter(cell__in=cells, status__in=HELD).annotate(reported=Exists(mine))
    last: dict[int, list[Held]] = {}
    latest = _first_per_cell(held, LAST_HELD, F("starts_at").desc())
    standing = Prefetch("scores", MeetingScore.objects.standing(), to_attr="standing")
    own = MeetingScore.objects.filter(role=MeetingScore.Role.SUPERVISOR, by_id=scope.member_id)
    for meeting in latest.prefetch_related(
        standing, Prefetch("scores", own, to_attr="own")
    ).order_by("-starts_at"):
        score = meeting.standing[0] if meeting.standing else None
        mine = meeting.own[0] if meeting.own else None
        last.setdefault(meeting.cell_id, []).append(Held(meeting, score, mine, meeting.reported))
    return [
        Charge(cell, nexts.get(cell.pk), last.get(cell.pk, []), overdue.get(cell.pk, 0))
        for cell in cells
    ]


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    charges = _charges(scope)
    context = {"charges": charges, "visits": None}
    if charges:
        context["visits"] = visits_of(scope.member_id, timezone.localdate())
    return render(request, "supervision/mine.html", context)
