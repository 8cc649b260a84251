"""Two years of believable meeting history for the demo: agendas, notices, comments, the roll,
votes, minutes, resolutions and their tasks, and next month's meetings already published.

Cells differ as they do in life: a few strong, most ordinary, some weak (missed months, low
attendance, late documents, minutes copied from month to month). Rows are made as plain tuples
and written with one bulk load per table for every few dozen cells, so a province's five years
take minutes.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from chibo.audit import records as sealed
from chibo.lib import bulk
from chibo.lib.months import month_of, shift
from chibo.lib.months import months as month_range
from chibo.meetings import quorum
from chibo.meetings.models import (
    ActionItem,
    AgendaItem,
    Answer,
    Attendance,
    Comment,
    Meeting,
    Minutes,
    Notice,
    Receipt,
    Resolution,
    ResolutionTask,
    Step,
    Vote,
)
from chibo.meetings.publishing import snapshot
from chibo.orgs.models import Member, Organisation, Position

CELLS = 40  # written together, in one bulk load per table
# Items a caller adds to a meeting's agenda after its official steps (the guidance the cell
# took up): given the cell, the meeting and where to take the items' keys, (key, title, body).
Extra = Callable[[Organisation, Meeting, Callable[[], int]], list[tuple[int, str, str]]]
STEPS_WITH_COMMENTS = {Step.ASSESSMENT, Step.NEXT_TASKS, Step.DISCUSSION, Step.THEME_DISCUSSION}


@dataclass(frozen=True)
class Habit:
    """How a cell tends to meet."""

    skip: float  # chance of missing a month
    attendance: tuple[float, float]
    late: float  # chance documents go out late
    comments: tuple[int, int]
    copies_minutes: bool
    thematic: float  # chance of holding the quarter's thematic meeting
    done: float  # share of tasks done on time
    agrees: float  # chance the cell committee agreed the content beforehand (rule 4)


STRONG = Habit(0.0, (0.93, 1.0), 0.02, (6, 16), False, 1.0, 0.95, 0.98)
ORDINARY = Habit(0.03, (0.80, 0.95), 0.15, (1, 6), False, 0.85, 0.8, 0.8)
WEAK = Habit(0.3, (0.55, 0.78), 0.6, (0, 2), True, 0.4, 0.45, 0.25)

THEMES = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ",
    "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống",
    "Xây dựng nông thôn mới và đô thị văn minh",
    "Bảo đảm an ninh trật tự và an toàn giao thông trên địa bàn",
    "Chuyển đổi số trong công tác đảng",
    "Bảo vệ môi trường, phòng chống thiên tai",
    "Phát huy vai trò nêu gương của đảng viên",
]
TASKS = [
    "Vận động nhân dân tham gia vệ sinh môi trường khu dân cư",
    "Hoàn thành thu đảng phí đúng hạn",
    "Nắm bắt tình hình tư tưởng của đảng viên và nhân dân",
    "Tổ chức thăm hỏi gia đình chính sách dịp lễ",
    "Đôn đốc hoàn thành kế hoạch sản xuất quý",
    "Rà soát hộ nghèo, cận nghèo trên địa bàn",
    "Tuyên truyền phòng chống ma túy trong thanh niên",
    "Chuẩn bị nội dung sinh hoạt chuyên đề quý",
    "Kiểm tra việc thực hiện nghị quyết tháng trước",
    "Phát triển đảng viên mới trong quần chúng ưu tú",
]
REMARKS = [
    "Đề nghị chi ủy làm rõ tiến độ thực hiện nhiệm vụ tháng trước.",
    "Tôi đồng ý với dự thảo nghị quyết, đề nghị bổ sung giải pháp cụ thể.",
    "Cần phân công rõ người phụ trách và thời hạn hoàn thành.",
    "Nhân dân phản ánh về đèn chiếu sáng ở ngõ 3, đề nghị chi bộ kiến nghị lên phường.",
    "Đề nghị đưa nội dung an toàn giao thông vào nghị quyết tháng tới.",
    "Tôi xin nhận nhiệm vụ vận động các hộ trong tổ.",
    "Đề nghị biểu dương các đồng chí hoàn thành tốt nhiệm vụ.",
]


def generate_history(
    rng: random.Random,
    now: datetime,
    months: int = 24,
    progress: bool = True,
    under: Organisation | None = None,
    extra: Extra | None = None,
) -> None:
    """`months` of history up to `now`, and the meetings of this month and the next that are
    still ahead of it, published; for the cells `under` an organisation if given. `extra`
    adds items of its own to each agenda."""
    cells = Organisation.objects.cells()
    if under is not None:
        cells = cells.filter(path__startswith=under.path)
    cells = list(cells.order_by("path"))
    roster = _roster()
    secretaries = dict(
        Position.objects.current(timezone.localdate(now))
        .filter(kind=Position.Kind.SECRETARY, organisation__kind=Organisation.Kind.CELL)
        .values_list("organisation_id", "member_id")
    )
    keys = Keys()
    with tqdm(total=len(cells), desc=_("Meeting history"), unit="", disable=not progress) as bar:
        for start in range(0, len(cells), CELLS):
            batch = cells[start : start + CELLS]
            with bulk.uncollected():
                History(rng, now, months, roster, secretaries, keys, extra).write(batch)
            bar.update(len(batch))


def _roster() -> dict[int, list[tuple[int, str]]]:
    roster: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, cell_id, status in Member.objects.values_list("pk", "cell_id", "status"):
        roster[cell_id].append((pk, status))
    return roster


class Keys:
    """The next primary key of each table the history writes, so rows can point at rows not
    yet written and every table goes in with one bulk load."""

    def __init__(self) -> None:
        self.next = {
            model: bulk.next_id(model)
            for model in (Meeting, AgendaItem, Vote, Resolution, ResolutionTask)
        }

    def take(self, model: type) -> int:
        pk = self.next[model]
        self.next[model] += 1
        return pk


class Item(NamedTuple):
    """An agenda item written, as its notice and comments need it."""

    pk: int
    meeting: Meeting
    step: str
    title: str
    body: str


# The columns each table is written with, in the order of the rows' tuples.
COLUMNS = {
    Meeting: (
        "id",
        "cell_id",
        "kind",
        "theme",
        "starts_at",
        "planned_minutes",
        "place",
        "preparer_id",
        "status",
        "published_at",
        "agreed_on",
    ),
    Meeting.agreed_with.through: ("meeting_id", "member_id"),
    AgendaItem: ("id", "meeting_id", "position", "step", "title", "body"),
    Notice: ("meeting_id", "version", "published_at", "published_by_id", "late", "content"),
    Attendance: ("meeting_id", "member_id", "standing", "presence", "reason"),
    Vote: (
        "id",
        "meeting_id",
        "subject",
        "votes_for",
        "votes_against",
        "abstentions",
        "adjusted_count",
        "needed",
        "passed",
    ),
    Minutes: ("meeting_id", "status", "sections", "written_by_id", "approved_at", "published_at"),
    Receipt: ("meeting_id", "member_id"),
    Answer: ("meeting_id", "member_id", "choice"),
    Resolution: (
        "id",
        "meeting_id",
        "cell_id",
        "year",
        "number",
        "status",
        "vote_id",
        "assignment",
        "adopted_at",
        "published_at",
    ),
    ResolutionTask: ("id", "resolution_id", "position", "what", "owner_id", "deadline"),
    ActionItem: (
        "task_id",
        "cell_id",
        "what",
        "owner_id",
        "deadline",
        "status",
        "progress",
        "done_on",
    ),
    Comment: ("item_id", "author_id", "body", "created_at"),
}


class History:
    def __init__(
        self, rng, now, months, roster, secretaries, keys: Keys, extra: Extra | None = None
    ) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        this_month = month_of(self.today)
        self.months = month_range(shift(this_month, -months), shift(this_month, 1))
        self.roster = roster
        self.secretaries = secretaries
        self.keys = keys
        self.extra = extra
        self.rows: dict[type, list[tuple]] = defaultdict(list)
        self.items: list[Item] = []
        self.held: list[tuple[Meeting, int]] = []  # with the id of its vote
        # Translated once, for the minutes the secretary writes: the labels are lazy, and every
        # meeting has seven or more items.
        self.labels = {step: str(step.label) for step in Step}

    def write(self, cells: list[Organisation]) -> None:
        plans = [(cell, meeting) for cell in cells for meeting in self.plan(cell)]
        for cell, meeting in plans:
            self.fill(cell, meeting)
        self.resolutions()
        self.comments()
        for model, columns in COLUMNS.items():
            bulk.load(model, columns, self.rows[model])
        self.seal(cells)

    def seal(self, cells: list[Organisation]) -> None:
        """Approved as any record is: sealed in the audit log, once loaded."""
        held = {"meeting__cell__in": cells}
        minutes = Minutes.objects.filter(**held).exclude(status=sealed.DRAFT)
        resolutions = Resolution.objects.filter(**held).exclude(status=sealed.DRAFT)
        sealed.seal_all([*minutes.select_related("meeting"), *resolutions])

    # -- meetings -------------------------------------------------------------------------

    def habit(self, cell: Organisation) -> Habit:
        # Seeded per cell so a cell keeps its character across the two years; by its place in
        # the tree, not its key, which depends on what the database wrote before.
        roll = random.Random(f"{self.rng.random()}-{cell.path}").random()
        return STRONG if roll < 0.1 else WEAK if roll > 0.85 else ORDINARY

    def plan(self, cell: Organisation) -> list[Meeting]:
        habit = self.habit(cell)
        cell.habit = habit
        evening = cell.category in {Organisation.Category.VILLAGE, "residential"}
        hour = time(19, 30) if evening else time(14, 0)
        day = self.rng.randint(3, 12)
        place = _place(cell)
        meetings = []
        for month in self.months:
            upcoming = month >= self.today.replace(day=1)
            if not upcoming and self.rng.random() < habit.skip:
                continue
            quarter_end = month.month % 3 == 0
            themed = quarter_end and self.rng.random() < habit.thematic
            kind = Meeting.Kind.COMBINED if themed else Meeting.Kind.REGULAR
            starts = timezone.make_aware(datetime.combine(month.replace(day=day), hour))
            held = starts < self.now
            meeting = Meeting(
                pk=self.keys.take(Meeting),
                cell=cell,
                kind=kind,
                theme=self.rng.choice(THEMES) if themed else "",
                starts_at=starts,
                planned_minutes=120 if themed else self.rng.choice([90, 90, 100, 120]),
                place=place,
                preparer_id=self.secretaries.get(cell.pk),
                status=Meeting.Status.CLOSED if held else Meeting.Status.PUBLISHED,
                published_at=self.published_at(starts, habit),
            )
            self.agree(meeting, habit)
            self.rows[Meeting].append(tuple(getattr(meeting, c) for c in COLUMNS[Meeting]))
            meetings.append(meeting)
        return meetings

    def agree(self, meeting: Meeting, habit: Habit) -> None:
        """Rule 4: the cell committee (here its secretary) agreed the content a few days before
        the notice. Drawn apart, so the rest of the history is the same for the same seed."""
        chance = random.Random(f"agreed-{meeting.cell.path}-{meeting.starts_at:%Y-%m}")
        if meeting.preparer_id is None or chance.random() >= habit.agrees:
            return
        meeting.agreed_on = timezone.localdate(meeting.published_at) - timedelta(
            days=chance.randint(1, 5)
        )
        self.rows[Meeting.agreed_with.through].append((meeting.pk, meeting.preparer_id))

    def published_at(self, starts: datetime, habit: Habit) -> datetime:
        if self.rng.random() < habit.late:
            sent = starts - timedelta(hours=self.rng.randint(1, 20))
        else:
            sent = starts - timedelta(days=self.rng.randint(2, 10))
        # Next month's meetings are already out, so a new user finds them.
        return min(sent, self.now - timedelta(hours=self.rng.randint(1, 48)))

    def fill(self, cell: Organisation, meeting: Meeting) -> None:
        steps = meeting.official_steps()
        # Cells that work discuss this month's own matter; monotonous ones repeat a bare agenda.
        topic = "" if cell.habit.copies_minutes else self.rng.choice(TASKS)
        bodies = {Step.PRESENTATION: meeting.theme, Step.DISCUSSION: topic}
        items = [
            # An official step's title is left to the step: each reader sees it in their language.
            Item(self.keys.take(AgendaItem), meeting, step, "", bodies.get(step, ""))
            for step in steps
        ]
        if self.extra is not None:
            added = self.extra(cell, meeting, partial(self.keys.take, AgendaItem))
            items += [Item(pk, meeting, Step.OTHER, title, body) for pk, title, body in added]
        for i, item in enumerate(items, start=1):
            self.rows[AgendaItem].append((item.pk, meeting.pk, i, item.step, item.title, item.body))
        self.items += items
        self.rows[Notice].append(
            (
                meeting.pk,
                1,
                meeting.published_at,
                meeting.preparer_id,
                meeting.published_late,
                snapshot(meeting, [(item, []) for item in items]),
            )
        )
        if meeting.status == Meeting.Status.CLOSED:
            self.hold(cell, meeting, items)
        else:
            self.before(cell, meeting)

    def hold(self, cell: Organisation, meeting: Meeting, items: list[Item]) -> None:
        members = self.roster[cell.pk]
        rate = self.rng.uniform(*cell.habit.attendance)
        lines = []
        roll = self.rows[Attendance]
        for pk, status in members:
            presence = (
                Attendance.Presence.PRESENT
                if self.rng.random() < rate
                else self.rng.choice([Attendance.Presence.EXCUSED, Attendance.Presence.ABSENT])
            )
            reason = "Đi công tác" if presence == Attendance.Presence.EXCUSED else ""
            lines.append(quorum.Line(status, presence))
            roll.append((meeting.pk, pk, status, presence, reason))
        count = quorum.count(lines)
        votes_for = max(count.voters_present - self.rng.randint(0, 1), 0)
        vote = self.keys.take(Vote)
        self.rows[Vote].append(
            (
                vote,
                meeting.pk,
                "",  # the meeting's resolution, worded in the reader's language
                votes_for,
                0,
                count.voters_present - votes_for,
                count.adjusted,
                count.needed,
                count.passes(votes_for),
            )
        )
        self.held.append((meeting, vote))
        sections = self.sections(cell, items)
        self.rows[Minutes].append(
            (
                meeting.pk,
                Minutes.Status.PUBLISHED,
                sections,
                meeting.preparer_id,
                meeting.ends_at,
                meeting.ends_at + timedelta(days=self.rng.randint(0, 3)),
            )
        )

    def sections(self, cell: Organisation, items: list[Item]) -> dict:
        if cell.habit.copies_minutes and hasattr(cell, "last_minutes"):
            return cell.last_minutes  # formalism: the same minutes month after month
        texts = {
            str(i): f"{item.title or self.labels[item.step]}: {self.rng.choice(REMARKS)}"
            for i, item in enumerate(items, start=1)
        }
        cell.last_minutes = texts
        return texts

    def before(self, cell: Organisation, meeting: Meeting) -> None:
        """Next month's meeting: some members have opened the notice, some have answered."""
        for pk, status in self.roster[cell.pk]:
            if status == Member.Status.EXEMPT or self.rng.random() > 0.6:
                continue
            self.rows[Receipt].append((meeting.pk, pk))
            if self.rng.random() < 0.6:
                self.rows[Answer].append((meeting.pk, pk, Answer.Choice.ATTENDING))

    # -- resolutions, tasks and comments --------------------------------------------------

    def resolutions(self) -> list[Resolution]:
        """Number each held meeting's resolution per cell and year, with 2–4 tasks each."""
        numbers: dict[tuple[int, int], int] = defaultdict(int)
        resolutions = []
        for meeting, vote in sorted(self.held, key=lambda held: held[0].starts_at):
            year = timezone.localtime(meeting.starts_at).year
            numbers[meeting.cell_id, year] += 1
            pk = self.keys.take(Resolution)
            self.rows[Resolution].append(
                (
                    pk,
                    meeting.pk,
                    meeting.cell_id,
                    year,
                    numbers[meeting.cell_id, year],
                    Resolution.Status.PUBLISHED,
                    vote,
                    "Các đồng chí chi ủy viên phụ trách theo lĩnh vực được phân công.",
                    meeting.ends_at,
                    meeting.ends_at + timedelta(days=self.rng.randint(0, 3)),
                )
            )
            resolutions.append((pk, meeting))
        self.tasks(resolutions)
        return resolutions

    def tasks(self, resolutions: list[tuple[int, Meeting]]) -> None:
        tasks = []
        for resolution, meeting in resolutions:
            members = [pk for pk, _status in self.roster[meeting.cell_id]]
            start = timezone.localtime(meeting.starts_at).date()
            for position in range(1, self.rng.randint(2, 4) + 1):
                task = (
                    self.keys.take(ResolutionTask),
                    resolution,
                    position,
                    self.rng.choice(TASKS),
                    self.rng.choice(members) if members else None,
                    start + timedelta(days=self.rng.randint(10, 35)),
                )
                tasks.append((task, meeting.cell))
        self.rows[ResolutionTask] += [task for task, _cell in tasks]
        self.rows[ActionItem] += [self.action(task, cell) for task, cell in tasks]

    def action(self, task: tuple, cell: Organisation) -> tuple:
        pk, _resolution, _position, what, owner_id, deadline = task
        due = deadline < self.today
        done = due and self.rng.random() < cell.habit.done
        return (
            pk,
            cell.pk,
            what,
            owner_id,
            deadline,
            ActionItem.Status.DONE if done else ActionItem.Status.IN_PROGRESS,
            100 if done else self.rng.choice([0, 30, 60]),
            deadline - timedelta(days=self.rng.randint(0, 5)) if done else None,
        )

    def comments(self) -> None:
        """Members' comments before each meeting, on the items open to discussion."""
        comments = self.rows[Comment]
        for item in self.items:
            meeting = item.meeting
            if item.step not in STEPS_WITH_COMMENTS or not meeting.published_at:
                continue
            members = [
                pk for pk, status in self.roster[meeting.cell_id] if status != Member.Status.EXEMPT
            ]
            low, high = meeting.cell.habit.comments
            until = min(meeting.starts_at, self.now)
            window = max((until - meeting.published_at).total_seconds(), 60)
            for _n in range(self.rng.randint(low, high) if members else 0):
                comments.append(
                    (
                        item.pk,
                        self.rng.choice(members),
                        self.rng.choice(REMARKS),
                        meeting.published_at + timedelta(seconds=self.rng.uniform(0, window)),
                    )
                )


def _place(cell: Organisation) -> str:
    if cell.category in {Organisation.Category.VILLAGE, "residential"}:
        return f"Nhà văn hóa {cell.name.removeprefix('Chi bộ ').strip()}"
    return "Phòng họp cơ quan"
