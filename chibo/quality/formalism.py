"""Formalism and monotony (Directive 50 asks cells to overcome both): minutes or a resolution
that copy the same cell's earlier ones, meetings where no member but the secretary spoke, and
agendas that never change.

Cells' histories are read in a fixed number of queries however many cells are asked about, and
texts are compared word by word on a capped number of words, so the cost stays bounded.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from difflib import SequenceMatcher
from functools import cached_property
from itertools import groupby
from uuid import UUID

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, TextChoices, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chibo.lib.months import month_of, shift
from chibo.meetings.models import (
    AgendaItem,
    Comment,
    Meeting,
    Minutes,
    Resolution,
    ResolutionTask,
)
from chibo.orgs.models import Position

# SequenceMatcher's cost grows with the product of the lengths; a copy shows in its first pages
# as surely as in the whole, so longer texts are compared (and shown) up to this many words.
MAX_WORDS = 1500
# Two short texts ("Done." and "Done.") are alike without anyone having copied anything.
MIN_WORDS = 20
# More held meetings than this in the period asked for is not cell life; judge the newest.
MAX_MEETINGS = 60
# Khmer leaves no space between words: a zero-width space, where typed, is the word break.
ZERO_WIDTH_SPACE = "\u200b"
# Paragraph breaks are kept as words of their own, so evidence shows as it was written.
BREAK = "\n"


class FlagKind(TextChoices):
    COPIED_MINUTES = "copied_minutes", gettext_lazy("minutes copied from an earlier meeting")
    COPIED_RESOLUTION = (
        "copied_resolution",
        gettext_lazy("resolution copied from an earlier meeting"),
    )
    ONLY_SECRETARY = "only_secretary", gettext_lazy("only the secretary spoke")
    NO_ONE_SPOKE = "no_one_spoke", gettext_lazy("no one spoke")
    SAME_AGENDA = "same_agenda", gettext_lazy("the agenda never changes")


class Words:
    """A text as its words: as written, to show, and normalised (case-folded), to compare."""

    def __init__(self, paragraphs: list[str]) -> None:
        shown: list[str] = []
        for paragraph in paragraphs:
            for line in str(paragraph).replace(ZERO_WIDTH_SPACE, " ").splitlines():
                words = line.split()
                if words and shown:
                    shown.append(BREAK)
                shown.extend(words)
        self.shown = shown[:MAX_WORDS]
        self.cut = len(shown) > MAX_WORDS
        self.keys = [word.casefold() for word in self.shown]
        self.count = len(self.keys) - self.keys.count(BREAK)

    def __bool__(self) -> bool:
        return bool(self.keys)

    @cached_property
    def tally(self) -> Counter[str]:
        return Counter(self.keys)

    def bound(self, other: "Words") -> float:
        """SequenceMatcher's `quick_ratio` of the two texts, an upper bound of their likeness
        from the words they share however ordered; each text's words are tallied once for
        every comparison it is in."""
        total = len(self.keys) + len(other.keys)
        return 2.0 * (self.tally & other.tally).total() / total if total else 1.0


@dataclass
class HeldMeeting:
    """A held meeting and what formalism is judged on: its latest published records, its
    agenda, who commented before it and who was the cell's secretary on the day."""

    pk: int
    code: UUID
    cell_id: int
    kind: str
    starts_at: datetime
    # Inside the period asked about; meetings before it are only compared with.
    judged: bool
    agenda: Words = field(default_factory=lambda: Words([]))
    minutes: Words = field(default_factory=lambda: Words([]))
    resolution: Words = field(default_factory=lambda: Words([]))
    speakers: dict[int, str] = field(default_factory=dict)
    secretaries: dict[int, str] = field(default_factory=dict)

    @property
    def day(self) -> date:
        return timezone.localdate(self.starts_at)

    @property
    def month(self) -> str:
        return f"{self.day:%m/%Y}"

    @property
    def kind_label(self) -> str:
        return Meeting.Kind(self.kind).label


@dataclass(frozen=True)
class Piece:
    """A run of words, and whether the other text lacks it."""

    text: str
    changed: bool


def highlight(before: Words, after: Words) -> tuple[list[list[Piece]], list[list[Piece]]]:
    """Both texts as paragraphs of pieces, the words only one of them has marked as changed."""
    columns: tuple[list[list[Piece]], list[list[Piece]]] = ([[]], [[]])
    matcher = SequenceMatcher(None, before.keys, after.keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        _add(columns[0], before.shown[i1:i2], tag != "equal")
        _add(columns[1], after.shown[j1:j2], tag != "equal")
    return columns


def _add(paragraphs: list[list[Piece]], words: list[str], changed: bool) -> None:
    for is_break, group in groupby(words, lambda word: word == BREAK):
        if is_break:
            paragraphs.extend([] for _break in group)
        else:
            paragraphs[-1].append(Piece(" ".join(group), changed))


@dataclass(frozen=True)
class Comparison:
    """Evidence of a copy: the earlier meeting's text beside this one's."""

    earlier: HeldMeeting
    before: Words
    after: Words

    @cached_property
    def columns(self) -> tuple[list[list[Piece]], list[list[Piece]]]:
        # Only the flags on the page shown need their differences worked out.
        return highlight(self.before, self.after)


@dataclass(frozen=True)
class Speakers:
    """Evidence of silence: the cell's secretary on the day, and who commented."""

    secretaries: list[str]
    speakers: list[str]


@dataclass(frozen=True)
class Flag:
    meeting: HeldMeeting
    kind: FlagKind
    reason: str
    evidence: Comparison | Speakers

    @property
    def compares_texts(self) -> bool:
        return isinstance(self.evidence, Comparison)


# -- the checks: each looks at one held meeting and those before it, oldest first -------------

MINUTES_COPIED = gettext_lazy("The minutes are %(percent)d%% the same as those of %(month)s.")
RESOLUTION_COPIED = gettext_lazy("The resolution is %(percent)d%% the same as that of %(month)s.")


def copied_minutes(meeting: HeldMeeting, earlier: list[HeldMeeting]) -> Flag | None:
    return _copied(meeting, earlier, "minutes", FlagKind.COPIED_MINUTES, MINUTES_COPIED)


def copied_resolution(meeting: HeldMeeting, earlier: list[HeldMeeting]) -> Flag | None:
    return _copied(meeting, earlier, "resolution", FlagKind.COPIED_RESOLUTION, RESOLUTION_COPIED)


def _copied(
    meeting: HeldMeeting, earlier: list[HeldMeeting], record: str, kind: FlagKind, reason: Promise
) -> Flag | None:
    """The record nearly the same as that of one of the last meetings before it: the most
    alike of them is the evidence."""
    text: Words = getattr(meeting, record)
    if text.count < MIN_WORDS:
        return None
    floor = settings.CHIBO_FORMALISM["similarity"]
    matcher: SequenceMatcher | None = None
    best: tuple[HeldMeeting, float] | None = None
    for other in _last(earlier, settings.CHIBO_FORMALISM["look_back"]):
        words: Words = getattr(other, record)
        if words.count < MIN_WORDS:
            continue
        # A cheap upper bound first: most pairs of genuinely different texts stop here.
        if words.bound(text) < floor:
            continue
        if matcher is None:
            # The matcher indexes its second text once, then meets each earlier text in turn.
            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(text.keys)
        matcher.set_seq1(words.keys)
        ratio = matcher.ratio()
        if ratio >= floor and (best is None or ratio >= best[1]):
            best = (other, ratio)
    if best is None:
        return None
    other, ratio = best
    return Flag(
        meeting,
        kind,
        reason % {"percent": int(ratio * 100), "month": other.month},
        Comparison(other, getattr(other, record), text),
    )


def silent_members(meeting: HeldMeeting, earlier: list[HeldMeeting]) -> Flag | None:
    """No one commented on the agenda before the meeting, or only the secretary of the day."""
    evidence = Speakers(sorted(meeting.secretaries.values()), sorted(meeting.speakers.values()))
    if not meeting.speakers:
        reason = _("No one commented on the agenda before the meeting.")
        return Flag(meeting, FlagKind.NO_ONE_SPOKE, reason, evidence)
    if meeting.secretaries.keys() >= meeting.speakers.keys():
        reason = _(
            "Only the secretary, %(name)s, commented on the agenda; no other member spoke."
        ) % {"name": ", ".join(evidence.speakers)}
        return Flag(meeting, FlagKind.ONLY_SECRETARY, reason, evidence)
    return None


def same_agenda(meeting: HeldMeeting, earlier: list[HeldMeeting]) -> Flag | None:
    """The agenda word for word that of each of the last meetings of the same kind.

    Contents count as well as titles: the official steps (rule 6) give every regular meeting
    the same titles by design; monotony is the same content under them month after month.
    """
    look_back = settings.CHIBO_FORMALISM["look_back"]
    alike = _last([other for other in earlier if other.kind == meeting.kind], look_back)
    if not meeting.agenda or not alike or len(alike) < look_back:
        return None
    if any(other.agenda.keys != meeting.agenda.keys for other in alike):
        return None
    reason = ngettext(
        "The agenda is word for word that of the meeting of the same kind before it, in %(month)s.",
        "The agenda is word for word that of each of the %(count)d meetings of the same kind "
        "before it, since %(month)s.",
        look_back,
    ) % {"count": look_back, "month": alike[0].month}
    previous = alike[-1]
    return Flag(
        meeting, FlagKind.SAME_AGENDA, reason, Comparison(previous, previous.agenda, meeting.agenda)
    )


# Every check is asked about each judged meeting with the meetings before it, oldest first.
CHECKS = (copied_minutes, copied_resolution, silent_members, same_agenda)


def _last(meetings: list[HeldMeeting], count: int) -> list[HeldMeeting]:
    return meetings[max(len(meetings) - count, 0) :]


def flags_in(history: list[HeldMeeting]) -> list[Flag]:
    """The flags of the judged meetings of one cell's history (oldest first), newest first."""
    flags = [
        flag
        for index, meeting in enumerate(history)
        if meeting.judged
        for check in CHECKS
        if (flag := check(meeting, history[:index]))
    ]
    # A stable sort: each meeting's flags stay in the order of the checks.
    return sorted(flags, key=lambda flag: flag.meeting.starts_at, reverse=True)


def by_meeting(flags: list[Flag]) -> list[tuple[HeldMeeting, list[Flag]]]:
    """Flags in the order given, under the meeting they are about."""
    grouped = [list(group) for _pk, group in groupby(flags, key=lambda flag: flag.meeting.pk)]
    return [(group[0].meeting, group) for group in grouped]


# -- loading ----------------------------------------------------------------------------------


def period_start(months: int, today: date | None = None) -> date:
    """The first day of the last `months` months, this one included."""
    return shift(month_of(today or timezone.localdate()), 1 - months)


def load_histories(
    cell_ids: Iterable[int] | QuerySet, since: date, limit: int | None = MAX_MEETINGS
) -> dict[int, list[HeldMeeting]]:
    """Each cell's meetings held from `since` (its newest `limit`, or all), oldest first, after
    the few held before it that they are compared with. `cell_ids` is a list or a queryset of
    ids; the queries are the same seven for any number of cells."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    held = Meeting.objects.filter(cell_id__in=cell_ids, status=Meeting.Status.CLOSED)
    judged = held.filter(starts_at__gte=start)
    if limit is not None:
        judged = _newest(judged, limit, "cell_id")
    # Agendas are compared with the last meetings of their own kind, so each kind keeps its own.
    look_back = settings.CHIBO_FORMALISM["look_back"]
    before = _newest(held.filter(starts_at__lt=start), look_back, "cell_id", "kind")
    chosen = Meeting.objects.filter(Q(pk__in=judged.values("pk")) | Q(pk__in=before.values("pk")))
    meetings = {
        pk: HeldMeeting(pk, code, cell_id, kind, starts_at, judged=starts_at >= start)
        for pk, code, cell_id, kind, starts_at in chosen.order_by("starts_at", "pk").values_list(
            "pk", "code", "cell_id", "kind", "starts_at"
        )
    }
    if not meetings:
        return {}
    # The ids already read, rather than the ranking subquery again: PostgreSQL would rank every
    # meeting of the cells once per loader.
    within = list(meetings)
    _load_agendas(meetings, within)
    _load_minutes(meetings, within)
    _load_resolutions(meetings, within)
    _load_speakers(meetings, within)
    _load_secretaries(meetings, cell_ids)
    histories: dict[int, list[HeldMeeting]] = defaultdict(list)
    for meeting in meetings.values():
        histories[meeting.cell_id].append(meeting)
    return dict(histories)


def flagged_meetings(cell_ids: Iterable[int], since: date) -> set[int]:
    """The ids of the cells' meetings held from `since` that have a flag, however many."""
    return {
        flag.meeting.pk
        for history in load_histories(cell_ids, since, limit=None).values()
        for flag in flags_in(history)
    }


def _newest(meetings: QuerySet[Meeting], count: int, *partition: str) -> QuerySet[Meeting]:
    """The newest `count` of `meetings` in each partition, chosen by the database."""
    rank = Window(
        RowNumber(),
        partition_by=[F(name) for name in partition],
        order_by=[F("starts_at").desc(), F("pk").desc()],
    )
    return meetings.annotate(rank=rank).filter(rank__lte=count)


def _latest_published(model: type[Minutes] | type[Resolution], within: QuerySet) -> QuerySet:
    """Each meeting's newest published version: what members and committees read (drafts and
    corrections not yet published stay with those who prepare the meeting)."""
    published = model.objects.filter(status=model.Status.PUBLISHED)
    newest = published.filter(meeting=OuterRef("meeting")).order_by("-version").values("version")
    return published.filter(meeting__in=within, version=Subquery(newest[:1]))


def _load_agendas(meetings: dict[int, HeldMeeting], within: QuerySet) -> None:
    paragraphs: dict[int, list[str]] = defaultdict(list)
    items = AgendaItem.objects.filter(meeting__in=within).order_by("meeting_id", "position", "pk")
    # An official step left to its own name counts by its step: the same in every language.
    rows = items.values_list("meeting_id", "step", "title", "body")
    for meeting_id, step, title, body in rows:
        paragraphs[meeting_id] += [title or step, body]
    for meeting_id, texts in paragraphs.items():
        meetings[meeting_id].agenda = Words(texts)


def _load_minutes(meetings: dict[int, HeldMeeting], within: QuerySet) -> None:
    rows = _latest_published(Minutes, within).values_list("meeting_id", "sections")
    for meeting_id, sections in rows:
        # Sections are keyed by the item's position as a string: shorter first sorts as numbers.
        keys = sorted(sections, key=lambda key: (len(key), key))
        meetings[meeting_id].minutes = Words([sections[key] for key in keys])


def _load_resolutions(meetings: dict[int, HeldMeeting], within: QuerySet) -> None:
    """Parts I to IV in the order of the text: assessment, tasks, assignment, quality."""
    latest = _latest_published(Resolution, within)
    tasks: dict[int, list[str]] = defaultdict(list)
    rows = ResolutionTask.objects.filter(resolution__in=latest.values("pk"))
    for resolution_id, what in rows.order_by("resolution_id", "position", "pk").values_list(
        "resolution_id", "what"
    ):
        tasks[resolution_id].append(what)
    for pk, meeting_id, assessment, assignment, quality in latest.values_list(
        "pk", "meeting_id", "assessment", "assignment", "quality"
    ):
        meetings[meeting_id].resolution = Words([assessment, *tasks[pk], assignment, quality])


def _load_speakers(meetings: dict[int, HeldMeeting], within: QuerySet) -> None:
    # No ordering, or the comments' own would join the DISTINCT and repeat every author.
    authors = (
        Comment.objects.filter(item__meeting__in=within)
        .order_by()
        .values_list("item__meeting_id", "author_id", "author__full_name")
        .distinct()
    )
    for meeting_id, author_id, name in authors:
        meetings[meeting_id].speakers[author_id] = name


def _load_secretaries(meetings: dict[int, HeldMeeting], cell_ids: Iterable[int] | QuerySet) -> None:
    """Who was each cell's secretary on the day of each meeting."""
    first = min(meeting.day for meeting in meetings.values())
    positions = Position.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first),
        organisation_id__in=cell_ids,
        kind=Position.Kind.SECRETARY,
    ).values_list("organisation_id", "started_on", "ended_on", "member_id", "member__full_name")
    by_cell = defaultdict(list)
    for cell_id, *position in positions:
        by_cell[cell_id].append(position)
    for meeting in meetings.values():
        day = meeting.day
        for started_on, ended_on, member_id, name in by_cell[meeting.cell_id]:
            if started_on <= day and (ended_on is None or day <= ended_on):
                meeting.secretaries[member_id] = name
