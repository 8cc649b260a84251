"""The thematic topic bank: topics proposed for a quarter's thematic meeting, the meetings
planned from them, and the held meetings a committee chooses as examples for its other cells.

An example is read by secretaries of other cells, so what it shows is drawn here, once: the
agenda, the published minutes and the adopted resolution, with the names of the cell's people
taken out. Raises `GuidanceError` with a message for the person.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.guidance.issuing import GuidanceError
from chibo.guidance.models import Example, Topic
from chibo.meetings.models import Meeting, Minutes, Resolution, Step
from chibo.orgs.models import Member, Organisation

# What stands where a name was taken out of an example.
HIDDEN = "…"
# Words before a given name said alone ("đồng chí Sơn"), in the languages the cells write in.
TITLES = ("đồng chí", "đ/c", "đ.c", "comrade", "សមមិត្ត", "ស.ម", "ông", "bà", "anh", "chị")


def propose(org: Organisation, by: Member | None, **fields) -> Topic:
    """A topic of `org` (fields validated by the form): for its subtree, or a cell's own."""
    topic = Topic(organisation=org, proposed_by=by, **fields)
    topic.full_clean()
    topic.save()
    return topic


def plan_meeting(topic: Topic, meeting: Meeting) -> Meeting:
    """Save the draft thematic meeting planned from `topic` (validated by its form), with the
    official agenda, the topic's description under the presentation, and the link kept."""
    if not topic.offered_to(meeting.cell):
        raise GuidanceError(_("This topic is not offered to the cell."))
    with transaction.atomic():
        meeting.save()
        meeting.add_official_agenda()
        if topic.description:
            meeting.agenda_items.filter(step=Step.PRESENTATION).update(body=topic.description)
        topic.meetings.add(meeting)
    return meeting


def mark(meeting: Meeting, committee: Organisation, by: Member | None) -> tuple[Example, bool]:
    """Choose a held meeting as an example of `committee`, which sits above its cell. Returns
    the example and whether it is new (a meeting is chosen once)."""
    if meeting.status != Meeting.Status.CLOSED:
        raise GuidanceError(_("Only a meeting that was held and closed can be an example."))
    if committee.kind != Organisation.Kind.COMMITTEE or not meeting.cell.path.startswith(
        committee.path
    ):
        raise GuidanceError(_("Only a committee above the cell can choose its meeting."))
    return Example.objects.get_or_create(
        meeting=meeting, defaults={"committee": committee, "marked_by": by}
    )


def unmark(meeting: Meeting) -> bool:
    """The meeting is no longer shown as an example; False if it was not one."""
    deleted, _rows = Example.objects.filter(meeting=meeting).delete()
    return bool(deleted)


@dataclass
class ExampleItem:
    position: int
    title: str
    body: str
    minutes: str


@dataclass
class ExampleRecord:
    """What other cells read of an example: nothing that names the cell's people."""

    meeting: Meeting
    month: date
    topics: list[str]
    items: list[ExampleItem]
    has_minutes: bool
    resolution: Resolution | None = None
    # Part II as (what, deadline), without who owns each task.
    tasks: list[tuple[str, date]] = field(default_factory=list)
    parts: list[tuple[str, str]] = field(default_factory=list)


def record_of(example: Example) -> ExampleRecord:
    """The example's agenda, published minutes and adopted resolution, names taken out."""
    meeting = example.meeting
    hide = _hider(meeting)
    minutes = meeting.minutes.filter(status=Minutes.Status.PUBLISHED).order_by("-version").first()
    sections = minutes.sections if minutes else {}
    items = [
        ExampleItem(
            position=item.position,
            title=hide(item.heading),
            body=hide(item.body),
            minutes=hide(sections.get(str(item.position), "")),
        )
        for item in meeting.agenda_items.order_by("position", "pk")
    ]
    resolution = (
        meeting.resolutions.filter(
            status__in=[Resolution.Status.ADOPTED, Resolution.Status.PUBLISHED]
        )
        .order_by("-version")
        .first()
    )
    record = ExampleRecord(
        meeting=meeting,
        month=timezone.localtime(meeting.starts_at).date().replace(day=1),
        topics=list(meeting.topics.values_list("title", flat=True)),
        items=items,
        has_minutes=minutes is not None,
        resolution=resolution,
    )
    if resolution is not None:
        record.tasks = [
            (hide(what), deadline)
            for what, deadline in resolution.tasks.values_list("what", "deadline")
        ]
        record.parts = [
            (str(Resolution._meta.get_field(part).verbose_name), hide(getattr(resolution, part)))
            for part in ("assessment", "assignment", "quality")
        ]
    return record


def _hider(meeting: Meeting):
    """A function taking out of a text the names of the people of the meeting: the roll, the
    cell's members, the owners of its tasks, who prepared it or stood in; in full, and given
    names after a title ("đồng chí Sơn")."""
    people = Member.objects.filter(
        Q(cell_id=meeting.cell_id)
        | Q(attendances__meeting=meeting)
        | Q(resolutiontask__resolution__meeting=meeting)
        | Q(pk__in=[pk for pk in (meeting.preparer_id, meeting.stand_in_id) if pk])
    )
    names = sorted(
        {name.strip() for name in people.values_list("full_name", flat=True) if name.strip()},
        key=len,
        reverse=True,
    )
    if not names:
        return lambda text: text
    given = sorted({name.split()[-1] for name in names}, key=len, reverse=True)
    full = re.compile("|".join(re.escape(name) for name in names), re.IGNORECASE)
    titles = "|".join(re.escape(t) for t in TITLES)
    alone = "|".join(re.escape(g) for g in given)
    titled = re.compile(
        rf"(?P<title>\b(?:{titles}))\s+(?:{alone})(?=[\s.,;:!?)…\]]|$)", re.IGNORECASE
    )

    def hide(text: str) -> str:
        if not text:
            return text
        text = full.sub(HIDDEN, text)
        return titled.sub(lambda m: f"{m.group('title')} {HIDDEN}", text)

    return hide
