"""Background work of guidance: telling every cell of a province without making the committee
wait, and keeping the cells' adoption indicators current."""

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from chibo.guidance.models import Adoption, Guidance
from chibo.lib.months import month_of
from chibo.notify.mail import outbox_each, send
from chibo.notify.models import Notification
from chibo.orgs.models import LEADS_CELL, STANDING, Organisation, Position, User
from chibo.quality import rollup

CHANGED = Notification.Kind.GUIDANCE_CHANGED
# Cells whose indicator rows are recomputed in one transaction: a short hold of the writer's
# lock on SQLite, between which the web requests write.
BATCH = 100


@task()
def fan_out(guidance_id: int, corrected_id: int | None) -> int:
    """Tell the leaders of the cells addressed and the standing committees between (who may
    pass it on); for a correction, tell the cells that took up a point it changed; recompute
    the cells' rows if the guidance falls due in a month already counted. Safe to run twice:
    whoever was told of this version is not told again. Returns the mails sent."""
    guidance = Guidance.objects.select_related("committee").filter(pk=guidance_id).first()
    if guidance is None or guidance.status != Guidance.Status.PUBLISHED:
        return 0  # corrected again before the worker came to it: the newer version tells
    cells = guidance.audience()
    told = set(
        Notification.objects.filter(guidance=guidance).values_list("recipient_id", flat=True)
    )
    # Those whose adopted point changed hear of that; the other leaders, of the guidance.
    changed = _adopters_of_changes(guidance, corrected_id) if corrected_id else set()
    kinds = dict.fromkeys(_leaders(guidance, cells), Notification.Kind.GUIDANCE)
    kinds.update(dict.fromkeys(changed, CHANGED))
    notifications = [
        Notification(recipient_id=pk, guidance=guidance, kind=kind)
        for pk, kind in kinds.items()
        if pk not in told
    ]
    created = Notification.objects.bulk_create(notifications, batch_size=1000)
    if guidance.due_month <= month_of(timezone.now()):
        cell_ids = list(cells.values_list("pk", flat=True))
        for start in range(0, len(cell_ids), BATCH):
            rollup.refresh({(pk, guidance.due_month) for pk in cell_ids[start : start + BATCH]})
    ids = [n.pk for n in created]
    immediate = (
        Notification.objects.filter(pk__in=ids, recipient__mail=User.Mail.IMMEDIATE)
        .exclude(recipient__email="")
        .select_related("recipient")
        .with_subjects()
    )
    return send(outbox_each(list(immediate)))


def _leaders(guidance: Guidance, cells) -> set[int]:
    """The users of the cells' secretaries and deputies, and of the standing committees below
    the author whose subtrees hold a cell addressed."""
    seats = Position.objects.current()
    leaders = seats.filter(organisation__in=cells.values("pk"), kind__in=LEADS_CELL)
    below = (
        Organisation.objects.committees()
        .within(guidance.committee)
        .exclude(pk=guidance.committee_id)
    )
    standing = seats.filter(organisation__in=below.values("pk"), kind__in=STANDING)
    users = User.objects.filter(is_active=True).filter(
        Q(member__in=leaders.values("member_id")) | Q(member__in=standing.values("member_id"))
    )
    return set(users.values_list("pk", flat=True))


def _adopters_of_changes(guidance: Guidance, corrected_id: int) -> set[int]:
    """The leaders of the cells whose adoption is of a point the correction changed or
    dropped."""
    now = {point.lineage: point for point in guidance.points.all()}
    changed = [
        point.lineage
        for point in Guidance.objects.get(pk=corrected_id).points.all()
        if point.lineage not in now or not point.says_the_same(now[point.lineage])
    ]
    cells = Adoption.objects.on_agenda().filter(lineage__in=changed).values("cell_id")
    leaders = Position.objects.current().filter(organisation__in=cells, kind__in=LEADS_CELL)
    users = User.objects.filter(is_active=True, member__in=leaders.values("member_id"))
    return set(users.values_list("pk", flat=True))
