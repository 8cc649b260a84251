"""What the records say about each meeting: the facts that pre-fill its score (rule 12) and feed
the monthly indicators. Read in a handful of grouped queries for any number of meetings."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet

from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    Comment,
    Document,
    Meeting,
    Minutes,
    Notice,
    Resolution,
    Step,
    Vote,
)
from chibo.orgs.models import Member

# Rule 8: the members who must attend; exempt members who come are welcome but not counted.
DUTY = [Member.Status.OFFICIAL, Member.Status.PROBATIONARY]
KEPT = [Minutes.Status.APPROVED, Minutes.Status.PUBLISHED]
ADOPTED = [Resolution.Status.ADOPTED, Resolution.Status.PUBLISHED]


@dataclass(frozen=True)
class MeetingFacts:
    meeting_id: int
    cell_id: int
    kind: str
    starts_at: datetime
    planned_minutes: int
    minimum_minutes: int
    # Rule 4: the cell committee agreed the content beforehand.
    content_agreed: bool = False
    expected: int = 0
    present: int = 0
    unexcused: int = 0
    first_notice_at: datetime | None = None
    notice_late: bool | None = None
    documents: int = 0
    comments: int = 0
    speakers: int = 0
    self_criticism: bool = False
    voted: bool = False
    resolution_adopted: bool = False
    minutes_approved: bool = False

    @property
    def attendance(self) -> float | None:
        return self.present / self.expected if self.expected else None

    @property
    def lead_hours(self) -> int | None:
        """How long before the meeting members first had its notice and documents."""
        if self.first_notice_at is None:
            return None
        return max(0, int((self.starts_at - self.first_notice_at).total_seconds() // 3600))

    @property
    def is_thematic_only(self) -> bool:
        return self.kind == Meeting.Kind.THEMATIC


def facts_of(meetings: QuerySet[Meeting]) -> dict[int, MeetingFacts]:
    """The facts of every meeting in `meetings`, by meeting id."""
    found: dict[int, dict] = {}
    for pk, cell_id, kind, starts_at, planned, agreed_on in meetings.values_list(
        "pk", "cell_id", "kind", "starts_at", "planned_minutes", "agreed_on"
    ):
        minimum = Meeting(kind=kind).minimum_minutes
        found[pk] = {
            "meeting_id": pk,
            "cell_id": cell_id,
            "kind": kind,
            "starts_at": starts_at,
            "planned_minutes": planned,
            "minimum_minutes": minimum,
            "content_agreed": agreed_on is not None,
        }
    ids = meetings.values("pk")
    _roll(found, ids)
    _notices(found, ids)
    _talk(found, ids)
    _records(found, ids)
    return {pk: MeetingFacts(**fields) for pk, fields in found.items()}


def _roll(found: dict[int, dict], ids) -> None:
    duty = Q(standing__in=DUTY)
    rows = (
        Attendance.objects.filter(meeting__in=ids)
        .values("meeting_id")
        .annotate(
            expected=Count("pk", filter=duty),
            present=Count("pk", filter=duty & Q(presence=Attendance.Presence.PRESENT)),
            unexcused=Count("pk", filter=duty & Q(presence=Attendance.Presence.ABSENT)),
        )
    )
    for row in rows:
        found[row.pop("meeting_id")].update(row)


def _notices(found: dict[int, dict], ids) -> None:
    first = (
        Notice.objects.filter(meeting__in=ids).values("meeting_id").annotate(at=Min("published_at"))
    )
    for row in first:
        found[row["meeting_id"]]["first_notice_at"] = row["at"]
    for meeting_id, late in Notice.objects.filter(meeting__in=ids, version=1).values_list(
        "meeting_id", "late"
    ):
        found[meeting_id]["notice_late"] = late
    documents = Document.objects.filter(item__meeting__in=ids).values("item__meeting_id")
    for row in documents.annotate(n=Count("pk")):
        found[row["item__meeting_id"]]["documents"] = row["n"]


def _talk(found: dict[int, dict], ids) -> None:
    comments = (
        Comment.objects.filter(item__meeting__in=ids)
        .values("item__meeting_id")
        .annotate(n=Count("pk"), speakers=Count("author_id", distinct=True))
    )
    for row in comments:
        fields = found[row["item__meeting_id"]]
        fields["comments"], fields["speakers"] = row["n"], row["speakers"]
    # Self-criticism is recorded when the minutes say something under the item of rule 6's
    # third step; minutes are keyed by the item's position.
    situation: dict[int, set[str]] = defaultdict(set)
    for meeting_id, position in AgendaItem.objects.filter(
        meeting__in=ids, step=Step.SITUATION
    ).values_list("meeting_id", "position"):
        situation[meeting_id].add(str(position))
    minutes = Minutes.objects.filter(meeting__in=ids).values_list("meeting_id", "sections")
    for meeting_id, sections in minutes.iterator(chunk_size=2000):
        if any(str(sections.get(key, "")).strip() for key in situation.get(meeting_id, ())):
            found[meeting_id]["self_criticism"] = True


def _records(found: dict[int, dict], ids) -> None:
    for meeting_id in Vote.objects.filter(meeting__in=ids).values_list("meeting_id", flat=True):
        found[meeting_id]["voted"] = True
    adopted = Resolution.objects.filter(meeting__in=ids, status__in=ADOPTED)
    for meeting_id in adopted.values_list("meeting_id", flat=True):
        found[meeting_id]["resolution_adopted"] = True
    kept = Minutes.objects.filter(meeting__in=ids, status__in=KEPT)
    for meeting_id in kept.values_list("meeting_id", flat=True):
        found[meeting_id]["minutes_approved"] = True
