"""Each role's next step, for the home page, gathered from the apps that own each part: the
member's next meeting, unread notifications, tasks and studies; the secretary's month; the
supervisor's next visits; a committee's headline and its most worrying cells."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from chibo.access.scope import Scope
from chibo.guidance.month import Step, steps
from chibo.library import studying
from chibo.library.models import StudyCampaign
from chibo.meetings.models import ActionItem, Meeting
from chibo.notify.models import Notification
from chibo.notify.wording import worded
from chibo.orgs.models import Member, Organisation, Position
from chibo.quality.headline import Headline, headline

# A home page, not a register: the first few of each, with a link to the rest.
FEW = 3
# The secretary's month on the home page: the most urgent steps of each cell they lead.
STEPS = 4


@dataclass
class Home:
    member: Member | None = None
    positions: list[Position] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    unread: int = 0
    # The newest of them, each with its `headline` and `link` (a new resolution among them).
    news: list[Notification] = field(default_factory=list)
    tasks: list[ActionItem] = field(default_factory=list)
    tasks_open: int = 0
    studies: list[StudyCampaign] = field(default_factory=list)
    led: list[tuple[Organisation, list[Step]]] = field(default_factory=list)
    visits: list[Meeting] = field(default_factory=list)
    committees: list[tuple[Organisation, Headline]] = field(default_factory=list)


def home(scope: Scope, now: datetime | None = None) -> Home:
    now = now or timezone.now()
    today = timezone.localdate(now)
    upcoming = scope.my_meetings().upcoming(now).select_related("cell").order_by("starts_at")
    found = Home(meetings=list(upcoming[:FEW]))
    if not scope.member_id:
        return found
    # A page for every member, most of whom hold no office and supervise no cell: what is not
    # theirs costs no query (the scope knows it already).
    found.member = member = Member.objects.select_related("cell").get(pk=scope.member_id)
    if scope.holds_office:
        positions = Position.objects.current().filter(member=member).ranked()
        found.positions = list(positions.select_related("organisation"))
    unread = Notification.objects.filter(recipient=scope.user).unread()
    found.unread = unread.count()
    if found.unread:
        found.news = list(worded(unread.with_subjects().order_by("-created_at", "-pk")[:FEW]))
    tasks = scope.my_tasks().open().select_related("cell").order_by("deadline", "pk")
    found.tasks = list(tasks[:FEW])
    found.tasks_open = tasks.count()
    campaigns = studying.to_study(scope.study_campaigns(), member, today)
    found.studies = list(campaigns.select_related("document").order_by("deadline", "pk")[:FEW])
    orgs = list({p.organisation.pk: p.organisation for p in found.positions}.values())
    # The cells whose month's to-do list is theirs: those they lead.
    found.led = [(o, steps(o, now)[:STEPS]) for o in orgs if o.is_cell and scope.can_manage(o)]
    if scope.supervises:
        supervised = scope.supervised_cells().values("pk")
        visits = scope.meetings().filter(cell_id__in=supervised).upcoming(now)
        found.visits = list(visits.select_related("cell").order_by("starts_at")[:FEW])
    found.committees = [
        (o, headline(o, today)) for o in orgs if not o.is_cell and scope.can_see_quality(o)
    ]
    return found
