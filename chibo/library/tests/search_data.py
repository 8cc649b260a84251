"""Records of every kind the search finds, made through the apps' own functions, for the
search tests."""

from datetime import UTC, date, datetime, timedelta

from chibo.guidance.tests.guidance_data import issued
from chibo.library.index import indexing
from chibo.library.tests.library_data import shelved
from chibo.meetings.models import AgendaItem, Comment, Meeting, Minutes
from chibo.meetings.tests.test_planning import make_meeting
from chibo.orgs.models import Member
from chibo.quality.tests.history import task
from chibo.voices.models import Voice
from chibo.voices.tests.voices_data import recorded

NOW = datetime(2026, 12, 15, 3, 0, tzinfo=UTC)
# The word every record below holds, so that one search reaches them all.
WORD = "Phòng chống ngập úng"


def everything(world) -> dict:
    """Of each kind, records in the home subtree and in the other city's, drafts and the
    public door's waiting voices among them."""
    made = {
        "documents": [
            shelved(number="57-NQ/TW", summary=WORD),
            shelved(audience=world.city, number="02-NQ/TU", summary=WORD),
            shelved(audience=world.ward, number="03-NQ/ĐU", summary=WORD),
            shelved(audience=world.other_city, number="04-NQ/TU", summary=WORD),
        ]
    }
    meetings = []
    for cell in (world.cell, world.sister_cell, world.foreign_cell):
        for status in (Meeting.Status.PUBLISHED, Meeting.Status.DRAFT):
            meeting = make_meeting(
                cell, status=status, starts_at=NOW - timedelta(days=3), theme=WORD
            )
            meetings.append(meeting)
    made["meetings"] = meetings
    author = {
        world.cell.pk: Member.objects.get(full_name="Nguyễn Thị Mai"),
        world.sister_cell.pk: Member.objects.get(full_name="Lê Văn Vũ"),
        world.foreign_cell.pk: Member.objects.get(full_name="Hoàng Thị Oanh"),
    }
    made["comments"] = [
        Comment.objects.create(
            item=m.agenda_items.first(), author=author[m.cell_id], body=f"{WORD} ở khu 3"
        )
        for m in meetings
    ]
    made["tasks"] = []
    for m in meetings[::2]:
        item = task(m, date(2026, 12, 30), None)
        item.what = WORD
        item.save()
        made["tasks"].append(item)
    made["voices"] = [
        recorded(world, text=f"{WORD} đường khu 3"),
        recorded(world, persona="supervisor", cell=world.sister_cell, text=WORD),
        recorded(world, persona="outsider", cell=world.foreign_cell, text=WORD),
    ]
    # One from the public door, waiting for review: nobody finds it.
    door = recorded(world, text=f"{WORD} cửa công khai")
    Voice.everything.filter(pk=door.pk).update(moderation=Voice.Moderation.WAITING)
    made["door"] = door
    made["guidance"] = [
        issued(world.city, points=((WORD, True),)),
        issued(world.other_city, points=((WORD, True),)),
        issued(world.ward, points=((WORD, True),), publish=False),
    ]
    for name in ("Nguyễn Thị Mai", "Hoàng Thị Oanh"):
        Member.objects.filter(full_name=name).update(full_name=f"{name} {WORD}")
    indexing.drain()
    return made


def with_minutes(meeting: Meeting, text: str, published: bool = True) -> Minutes:
    item = AgendaItem.objects.filter(meeting=meeting).first()
    status = Minutes.Status.PUBLISHED if published else Minutes.Status.DRAFT
    return Minutes.objects.create(
        meeting=meeting, status=status, sections={str(item.position): text}
    )
