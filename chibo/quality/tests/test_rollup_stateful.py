"""The live monthly rows never go stale: after any sequence of the steps of cell life (guidance
from above and what the cells do with it included), taken through the application's own process
functions, they equal what a rebuild makes from the records. Each step that changes what a row
counts recomputes the months it changed itself."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from chibo.guidance import adopting, issuing
from chibo.guidance.cascade import addressed_to
from chibo.guidance.issuing import GuidanceError
from chibo.guidance.models import Guidance, Point
from chibo.guidance.tasks import fan_out
from chibo.lib.months import month_of, quarter_start, shift
from chibo.meetings import holding, publishing
from chibo.meetings.models import (
    ActionItem,
    Answer,
    Attendance,
    Comment,
    Meeting,
    Resolution,
    Step,
)
from chibo.orgs.models import Member
from chibo.quality import rollup
from chibo.quality.models import MeetingScore, MonthlyIndicators
from chibo.quality.rollup import COUNTS
from chibo.quality.scoring import Tasks, facts_for, save_score, suggest
from chibo.supervision.reports import file_report

# Mid-December: a few steps cross a month, a quarter and a year, and reach 29 February 2028.
START = datetime(2027, 12, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
Status = Meeting.Status
pick = st.integers(min_value=0, max_value=1000)
kinds = st.sampled_from(Meeting.Kind.values)


def live_rows() -> dict:
    return {
        (row.organisation_id, row.month): tuple(getattr(row, name) for name in COUNTS)
        for row in MonthlyIndicators.objects.all()
    }


def rebuilt_rows() -> dict:
    """What `chibo quality rebuild` would write, leaving the live rows as they were."""
    with transaction.atomic():
        rollup.rebuild()
        rows = live_rows()
        transaction.set_rollback(True)
    return rows


def exists(*statuses: str):
    """A precondition: some meeting is in one of `statuses`."""
    return precondition(lambda machine: Meeting.objects.filter(status__in=statuses).exists())


class CellLife(RuleBasedStateMachine):
    """Two cells of the test world plan, publish, hold, record, score and follow up their
    meetings while the clock moves on; each step picks among the meetings it can apply to."""

    def __init__(self, world) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.clock = time_machine.travel(START, tick=False)
        self.traveller = self.clock.start()
        self.cells = [world.cell, world.sister_cell]
        self.ward = world.ward
        self.secretary = Member.objects.get(user=world.secretary)
        self.supervisor = Member.objects.get(user=world.supervisor)
        # What the installation does when it starts: its first month is open.
        rollup.open_month()

    def teardown(self) -> None:
        self.clock.stop()
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _meeting(self, n: int, *statuses: str) -> Meeting:
        meetings = list(Meeting.objects.filter(status__in=statuses).order_by("pk"))
        return meetings[n % len(meetings)]

    def _member(self, meeting: Meeting, n: int) -> Member:
        members = list(Member.objects.filter(cell_id=meeting.cell_id).order_by("pk"))
        return members[n % len(members)]

    def _travel(self, moment: datetime) -> None:
        """Time passes; `chibo clock` opens each month as it begins."""
        if moment > timezone.now():
            self.traveller.move_to(moment)
        rollup.open_month()

    def _attempt(self, step) -> None:
        """A step the rules refuse changes nothing, as on the pages."""
        try:
            with transaction.atomic():
                step()
        except (ValidationError, publishing.PublishError, GuidanceError):
            pass

    # -- before the meeting ------------------------------------------------------------------

    @rule(hours=st.integers(min_value=1, max_value=24 * 25))
    def time_passes(self, hours: int) -> None:
        self._travel(timezone.now() + timedelta(hours=hours))

    def _plan(self, cell: int, days: int, kind: str) -> Meeting:
        day = timezone.localdate() + timedelta(days=days)
        meeting = Meeting.objects.create(
            cell=self.cells[cell % len(self.cells)],
            kind=kind,
            starts_at=timezone.make_aware(datetime.combine(day, time(19, 30))),
            place="Nhà văn hóa",
        )
        meeting.add_official_agenda()
        return meeting

    @rule(cell=pick, days=st.integers(min_value=1, max_value=40), kind=kinds)
    def plan(self, cell: int, days: int, kind: str) -> None:
        self._plan(cell, days, kind)

    @rule(
        cell=pick,
        days=st.integers(min_value=1, max_value=40),
        kind=kinds,
        deadlines=st.lists(st.integers(min_value=0, max_value=70), min_size=1, max_size=3),
        self_criticism=st.booleans(),
        publish=st.booleans(),
    )
    def a_whole_meeting(
        self,
        cell: int,
        days: int,
        kind: str,
        deadlines: list[int],
        self_criticism: bool,
        publish: bool,
    ) -> None:
        """Planned, published, held with everyone, closed, with its minutes and a resolution
        adopted (and maybe published): the other steps then revisit it in any order."""
        meeting = self._plan(cell, days, kind)
        publishing.publish(meeting, self.secretary)
        self._hold(meeting, absent=0, vote=True)
        self._write_minutes(meeting, self_criticism, words=30, approve=True, publish=False)
        self._resolve(meeting, who=0, deadlines=deadlines, adopt=True)
        holding.close_meeting(meeting)
        if publish:
            holding.publish_records(meeting)

    @exists(Status.DRAFT, Status.PUBLISHED)
    @rule(n=pick)
    def publish(self, n: int) -> None:
        meeting = self._meeting(n, Status.DRAFT, Status.PUBLISHED)
        self._attempt(lambda: publishing.publish(meeting, self.secretary))

    @exists(Status.PUBLISHED)
    @rule(n=pick, who=pick, attending=st.booleans())
    def answer_and_comment(self, n: int, who: int, attending: bool) -> None:
        meeting = self._meeting(n, Status.PUBLISHED)
        if not meeting.accepts_answers:
            return
        member = self._member(meeting, who)
        Answer.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={"choice": "attending" if attending else "absent", "reason": "Ốm"},
        )
        Comment.objects.create(item=meeting.agenda_items.first(), author=member, body="Ý kiến")

    # -- the meeting -------------------------------------------------------------------------

    @exists(Status.PUBLISHED)
    @rule(n=pick, absent=st.integers(min_value=0, max_value=2), vote=st.booleans())
    def hold(self, n: int, absent: int, vote: bool) -> None:
        self._hold(self._meeting(n, Status.PUBLISHED), absent, vote)

    def _hold(self, meeting: Meeting, absent: int, vote: bool) -> None:
        """The meeting opens at its time with everyone present, `absent` members are marked
        absent (never the chair, who stays), and it may vote."""
        self._travel(meeting.starts_at)
        # At its start, though the clock may have run past it: time only moves forward here.
        holding.open_meeting(meeting, now=meeting.starts_at)
        for line in meeting.roll.select_related("member").order_by("member_id")[:absent]:
            self._attempt(lambda line=line: holding.mark(meeting, line, Attendance.Presence.ABSENT))
        voters = holding.roll_of(meeting).count.voters_present
        if vote:
            self._attempt(lambda: holding.record_vote(meeting, "Nghị quyết", voters, 0, 0))

    @exists(Status.OPEN)
    @rule(n=pick)
    def close(self, n: int) -> None:
        holding.close_meeting(self._meeting(n, Status.OPEN))

    # -- the records -------------------------------------------------------------------------

    @exists(Status.OPEN, Status.CLOSED)
    @rule(
        n=pick,
        self_criticism=st.booleans(),
        words=st.integers(min_value=1, max_value=40),
        approve=st.booleans(),
        publish=st.booleans(),
    )
    def write_minutes(
        self, n: int, self_criticism: bool, words: int, approve: bool, publish: bool
    ) -> None:
        meeting = self._meeting(n, Status.OPEN, Status.CLOSED)
        self._write_minutes(meeting, self_criticism, words, approve, publish)

    def _write_minutes(
        self, meeting: Meeting, self_criticism: bool, words: int, approve: bool, publish: bool
    ) -> None:
        """The minutes, then maybe approved, then maybe published with the resolution."""
        situation = meeting.agenda_items.filter(step=Step.SITUATION).first()
        first = meeting.agenda_items.first()
        sections = {str(first.position): " ".join(["Chi bộ thảo luận"] * words)}
        if self_criticism and situation is not None:
            sections[str(situation.position)] = "Đồng chí Mai tự phê bình"
        latest = meeting.minutes.first()
        self._attempt(lambda: holding.save_minutes(meeting, latest, sections, self.secretary.pk))
        if approve:
            self._attempt(lambda: holding.approve_minutes(meeting.minutes.first()))
        if publish:
            self._attempt(lambda: holding.publish_records(meeting))

    @exists(Status.OPEN, Status.CLOSED)
    @rule(
        n=pick,
        who=pick,
        deadlines=st.lists(st.integers(min_value=0, max_value=70), max_size=3),
        adopt=st.booleans(),
    )
    def resolve(self, n: int, who: int, deadlines: list[int], adopt: bool) -> None:
        self._resolve(self._meeting(n, Status.OPEN, Status.CLOSED), who, deadlines, adopt)

    def _resolve(self, meeting: Meeting, who: int, deadlines: list[int], adopt: bool) -> None:
        """The draft resolution with its tasks, adopted by a vote that passed if asked."""
        day = timezone.localtime(meeting.starts_at).date()
        owner = self._member(meeting, who)
        rows = [
            {"what": f"Việc {i}", "owner": owner, "deadline": day + timedelta(days)}
            for i, days in enumerate(deadlines, start=1)
        ]
        texts = {"assessment": "Đánh giá", "assignment": "Phân công", "quality": "Khá"}

        def resolve() -> None:
            draft = holding.save_resolution(meeting, meeting.resolutions.first(), texts, rows)
            if adopt:
                vote = meeting.votes.filter(passed=True, resolution__isnull=True).first()
                holding.adopt_resolution(draft, vote)

        self._attempt(resolve)

    @exists(Status.OPEN, Status.CLOSED)
    @rule(n=pick, days=st.integers(min_value=-40, max_value=70))
    def correct_resolution(self, n: int, days: int) -> None:
        """A correction that moves every task's deadline, adopted at once."""
        latest = self._meeting(n, Status.OPEN, Status.CLOSED).resolutions.first()
        if latest is None or latest.status == Resolution.Status.DRAFT:
            return

        def correct() -> None:
            draft = holding.correct(latest, "Sửa thời hạn")
            rows = [
                {
                    "position": task.position,
                    "what": task.what,
                    "owner": task.owner,
                    "deadline": task.deadline + timedelta(days=days),
                }
                for task in draft.tasks.all()
            ]
            texts = {"assessment": draft.assessment, "assignment": "", "quality": ""}
            holding.save_resolution(draft.meeting, draft, texts, rows)
            holding.adopt_resolution(draft, None)

        self._attempt(correct)

    @exists(Status.OPEN, Status.CLOSED)
    @rule(n=pick)
    def correct_minutes(self, n: int) -> None:
        latest = self._meeting(n, Status.OPEN, Status.CLOSED).minutes.first()
        if latest is not None:
            self._attempt(lambda: holding.correct(latest, "Bổ sung"))

    # -- guidance from above -----------------------------------------------------------------

    @rule(
        ahead=st.integers(min_value=0, max_value=1),
        required=st.lists(st.booleans(), min_size=1, max_size=3),
        quarter=st.booleans(),
    )
    def guidance(self, ahead: int, required: list[bool], quarter: bool) -> None:
        """The ward publishes guidance for this month or the next (or their quarter); the worker
        fans it out."""
        month = shift(month_of(timezone.now()), ahead)
        period = Guidance.Period.QUARTER if quarter else Guidance.Period.MONTH
        guidance = Guidance.objects.create(
            committee=self.ward,
            period=period,
            month=quarter_start(month) if quarter else month,
            title="Hướng dẫn",
        )
        for i, must in enumerate(required):
            issuing.add_point(guidance, kind=Point.Kind.TASK, required=must, title=f"Việc {i}")
        self._attempt(lambda: issuing.publish(guidance, by=None))
        fan_out.call(guidance.pk, None)  # nothing, if refused: it is no longer a draft

    @precondition(lambda machine: Guidance.objects.published().exists())
    @rule(n=pick, flip=pick)
    def correct_guidance(self, n: int, flip: int) -> None:
        """A correction that makes one point required, or no longer so."""
        published = list(Guidance.objects.published().order_by("pk"))
        old = published[n % len(published)]
        draft = issuing.correct(old, by=None)
        points = list(draft.points.order_by("position"))
        point = points[flip % len(points)]
        point.required = not point.required
        point.save(update_fields=["required"])
        draft.correction = "Sửa"
        draft.save(update_fields=["correction"])
        self._attempt(lambda: issuing.publish(draft, by=None))
        fan_out.call(draft.pk, old.pk)

    @exists(Status.DRAFT, Status.PUBLISHED)
    @rule(n=pick, k=pick, leave=st.booleans())
    def take_up(self, n: int, k: int, leave: bool) -> None:
        """The cell puts a point of its month's guidance on a meeting's agenda, or leaves it out."""
        meeting = self._meeting(n, Status.DRAFT, Status.PUBLISHED)
        found = addressed_to(meeting.cell, month_of(meeting.starts_at))
        if not found:
            return
        point = found[k % len(found)].point
        if leave:
            self._attempt(lambda: adopting.leave_out(meeting, point, None, "Đã làm"))
        else:
            self._attempt(lambda: adopting.adopt(meeting, point, None))

    # -- quality and follow-up ---------------------------------------------------------------

    @exists(Status.OPEN, Status.CLOSED)
    @rule(n=pick, role=st.sampled_from(MeetingScore.Role.values), less=st.integers(0, 20))
    def score(self, n: int, role: str, less: int) -> None:
        meeting = self._meeting(n, Status.OPEN, Status.CLOSED)
        points = suggest(facts_for(meeting), Tasks())
        points["results"] = max(0, points["results"] - less)
        if role == MeetingScore.Role.SUPERVISOR:
            self._attempt(lambda: file_report(meeting, self.supervisor, points, "Tốt", "Cần sửa"))
        else:
            self._attempt(lambda: save_score(meeting, role, points, self.secretary))

    @precondition(lambda machine: ActionItem.objects.exists())
    @rule(
        n=pick,
        status=st.sampled_from(ActionItem.Status.values),
        progress=st.integers(min_value=0, max_value=100),
    )
    def follow_up(self, n: int, status: str, progress: int) -> None:
        items = list(ActionItem.objects.order_by("pk"))
        item = items[n % len(items)]
        holding.follow_up(item, self.secretary.pk, status, progress, "Đã làm")

    @invariant()
    def rows_equal_a_rebuild(self) -> None:
        live, rebuilt = live_rows(), rebuilt_rows()
        differ = {
            key: (live.get(key), rebuilt.get(key))
            for key in live.keys() | rebuilt.keys()
            if live.get(key) != rebuilt.get(key)
        }
        assert not differ, f"live rows differ from a rebuild (live, rebuilt): {differ}"


def test_live_rows_always_equal_a_rebuild(world):
    run_state_machine_as_test(
        lambda: CellLife(world),
        settings=settings(max_examples=20, stateful_step_count=30, deadline=None),
    )
