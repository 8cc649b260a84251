"""Where each kind of record's entry comes from: one small adapter per kind, each reading its
records in batches without a query per record.

An adapter gives the queryset of the records that may be indexed (with what it needs joined or
prefetched) and makes a `SearchEntry` of one record. What is not in that queryset is not
indexed: drafts of minutes and resolutions give no words (only their published versions do),
and voices from the public door waiting for review or rejected are never indexed (`Voice.objects`
hides them).
"""

import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from chibo.access.scope import ISSUED, is_announced
from chibo.guidance.models import Guidance, Point
from chibo.lib.languages import in_every_language
from chibo.lib.search import _number_words
from chibo.library.index.engine import tokens
from chibo.library.models import Document, SearchEntry
from chibo.meetings.models import (
    ActionItem,
    ActionUpdate,
    AgendaItem,
    Comment,
    Meeting,
    Minutes,
    Resolution,
)
from chibo.orgs.models import Member
from chibo.voices.models import Voice

# What an entry keeps of its text to cut a snippet from.
SHOWN = 2000
# Stand-ins for a record's code and position in a route, replaced in the address they give.
CODE_MARK, POSITION_MARK = uuid.UUID(int=0xC0DE), 987_654_321


@functools.cache
def _route(name: str, with_position: bool) -> str:
    args = [CODE_MARK, POSITION_MARK] if with_position else [CODE_MARK]
    return reverse(name, args=args)


def link(name: str, code: uuid.UUID, position: int | None = None) -> str:
    """`reverse(name, args=[code(, position)])`, reversed once per route: a rebuild makes the
    addresses of a city's hundred thousand comments, and `reverse` would be a sixth of it."""
    address = _route(name, position is not None).replace(str(CODE_MARK), str(code))
    return address if position is None else address.replace(str(POSITION_MARK), str(position))


@dataclass(frozen=True)
class Source:
    kind: str
    records: Callable[[], QuerySet]
    entry: Callable[[object], SearchEntry]
    # Whether its entries' titles are searched: a comment's shows only where it was said, so
    # none ranks by its title (a wide search skips those tiers for it).
    titled: bool = True


def _entry(
    kind: str,
    record,
    *,
    title: str,
    body: Iterable[str],
    organisation,
    on,
    url: str,
    number: str = "",
    card: str = "",
    title_words: str | None = None,
    shown: bool = True,
    person_id: int | None = None,
    second_person_id: int | None = None,
) -> SearchEntry:
    body_text = "\n".join(part for part in body if part)
    numbers = _number_words(number) if number else []
    return SearchEntry(
        kind=kind,
        object_id=record.pk,
        organisation=organisation,
        path=organisation.path if organisation else "",
        on=on,
        title=title[:500],
        text=body_text[:SHOWN],
        url=url,
        number=numbers[0] if numbers else "",
        card=card,
        shown=shown,
        person_id=person_id,
        second_person_id=second_person_id,
        title_words=tokens(title if title_words is None else title_words),
        body_words=tokens(body_text),
    )


def _document(d: Document) -> SearchEntry:
    return _entry(
        "document",
        d,
        title=f"{d.number} {d.title}",
        body=[d.issuer, d.summary, d.text],
        organisation=d.audience,
        on=d.issued_on,
        url=link("library:document", d.code),
        number=d.number,
    )


def _latest_published(versions) -> object | None:
    published = [v for v in versions if v.status == "published"]
    return max(published, key=lambda v: v.version) if published else None


def _meeting(m: Meeting) -> SearchEntry:
    items = list(m.agenda_items.all())
    body = [part for item in items for part in (item.heading, item.body)]
    minutes = _latest_published(m.minutes.all())
    if minutes is not None:
        body += [str(text) for _, text in sorted((minutes.sections or {}).items())]
    resolution = _latest_published(m.resolutions.all())
    number = ""
    if resolution is not None:
        body += [resolution.assessment, resolution.assignment, resolution.quality]
        if resolution.number:
            number = resolution.label
            body.insert(0, number)
    title = m.theme or str(m.get_kind_display())
    # Without a theme a meeting is named by its kind: members search in their own language,
    # whatever the cell's working language or the indexer's, so the kind is found in all three.
    words = m.theme or " ".join(sorted(in_every_language(Meeting.Kind(m.kind).label)))
    return _entry(
        "meeting",
        m,
        title=title,
        title_words=words,
        body=body,
        organisation=m.cell,
        on=timezone.localdate(m.starts_at),
        url=link("meetings:meeting", m.code),
        number=number,
        shown=is_announced(m),
        person_id=m.preparer_id,
    )


def _comment(c: Comment) -> SearchEntry:
    item = c.item
    # The title shows where it was said; only its own words are searched.
    return _entry(
        "comment",
        c,
        title=f"{c.author.full_name} · {item.heading}",
        title_words="",
        body=[c.body],
        organisation=item.meeting.cell,
        on=timezone.localdate(c.created_at),
        url=link("meetings:comments", item.meeting.code, item.position),
        # Found by those who see its meeting.
        shown=is_announced(item.meeting),
        person_id=item.meeting.preparer_id,
    )


def _task(t: ActionItem) -> SearchEntry:
    return _entry(
        "task",
        t,
        title=t.what,
        body=[u.note for u in t.updates.all()],
        organisation=t.cell,
        on=t.deadline,
        url=link("meetings:task", t.code),
        person_id=t.owner_id,
    )


def _member(m: Member) -> SearchEntry:
    return _entry(
        "member",
        m,
        title=m.full_name,
        body=[],
        organisation=m.cell,
        on=None,
        url=link("orgs:member", m.code),
        card=m.card_number,
    )


def _voice(v: Voice) -> SearchEntry:
    return _entry(
        "voice",
        v,
        title=v.text[:200],
        title_words=v.text,
        body=[v.place],
        organisation=v.cell,
        on=timezone.localdate(v.received_at),
        url=link("voices:voice", v.code),
        person_id=v.raised_by_id,
        second_person_id=v.recorded_by_id,
    )


def _guidance(g: Guidance) -> SearchEntry:
    return _entry(
        "guidance",
        g,
        title=g.title,
        body=[part for p in g.points.all() for part in (p.title, p.body)],
        organisation=g.committee,
        on=g.month,
        url=link("guidance:guidance", g.code),
        shown=g.status in ISSUED,
    )


SOURCES: dict[str, Source] = {
    source.kind: source
    for source in [
        Source(
            "document",
            lambda: Document.objects.select_related("audience").order_by("pk"),
            _document,
        ),
        Source(
            "meeting",
            lambda: (
                Meeting.objects.select_related("cell")
                .prefetch_related(
                    Prefetch("agenda_items", AgendaItem.objects.order_by("position", "pk")),
                    Prefetch("minutes", Minutes.objects.filter(status="published")),
                    Prefetch("resolutions", Resolution.objects.filter(status="published")),
                )
                .order_by("pk")
            ),
            _meeting,
        ),
        Source(
            "comment",
            lambda: (
                Comment.objects.select_related("author")
                # Only what an entry reads: a city has a hundred thousand comments, a dozen or
                # so to an item, whose meeting and cell are read once for all of them.
                .only("body", "created_at", "item_id", "author__full_name")
                .prefetch_related(
                    Prefetch(
                        "item",
                        AgendaItem.objects.select_related("meeting__cell").only(
                            "title",
                            "step",
                            "position",
                            "meeting__code",
                            "meeting__status",
                            "meeting__published_at",
                            "meeting__preparer_id",
                            "meeting__cell__path",
                            "meeting__cell__name",
                        ),
                    )
                )
                .order_by("pk")
            ),
            _comment,
            titled=False,
        ),
        Source(
            "task",
            lambda: (
                ActionItem.objects.select_related("cell")
                .prefetch_related(Prefetch("updates", ActionUpdate.objects.exclude(note="")))
                .order_by("pk")
            ),
            _task,
        ),
        Source("member", lambda: Member.objects.select_related("cell").order_by("pk"), _member),
        Source("voice", lambda: Voice.objects.select_related("cell").order_by("pk"), _voice),
        Source(
            "guidance",
            lambda: (
                Guidance.objects.select_related("committee")
                .prefetch_related(Prefetch("points", Point.objects.order_by("position", "pk")))
                .order_by("pk")
            ),
            _guidance,
        ),
    ]
}
