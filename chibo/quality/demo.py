"""The demo's scores and supervision reports, drawn from the meeting history it made.

Each held meeting is scored by its cell from its records (rule 13's self-score), about half are
decided by the committee above (often a few points stricter), and supervisors report on the
meetings they attended about as often as rule 14 asks.
"""

import random
from collections import defaultdict
from datetime import date, timedelta

from django.utils.translation import gettext as _
from tqdm import tqdm

from chibo.lib import bulk
from chibo.lib.months import month_of
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organisation, Position, User
from chibo.quality import rollup
from chibo.quality.evaluation.process import open_round
from chibo.quality.facts import facts_of
from chibo.quality.models import EvaluationRound, MeetingScore
from chibo.quality.scoring import Tasks, grade, suggest
from chibo.supervision.models import Assignment, Report

BATCH = 200
WENT_WELL = [
    "Chuẩn bị nội dung chu đáo, tài liệu gửi trước cho đảng viên.",
    "Đảng viên phát biểu sôi nổi, đi vào vấn đề thực tế của khu dân cư.",
    "Tự phê bình và phê bình thẳng thắn, có tính xây dựng.",
    "Nghị quyết ngắn gọn, phân công rõ người, rõ việc.",
]
TO_FIX = [
    "Cần đánh giá kết quả nghị quyết tháng trước cụ thể hơn.",
    "Một số đảng viên chưa phát biểu; chi bộ cần gợi mở để mọi người cùng tham gia.",
    "Tài liệu gửi muộn, đảng viên chưa kịp nghiên cứu.",
    "Biên bản còn sơ sài, chưa ghi đủ ý kiến thảo luận.",
]


def generate_scores(
    rng: random.Random, today: date, progress: bool = True, under: Organisation | None = None
) -> None:
    """Score the meetings held by `today` (in the cells `under` an organisation if given) and
    file reports on them; the indicators are rebuilt from them afterwards."""
    cells = Organisation.objects.cells()
    if under is not None:
        cells = cells.filter(path__startswith=under.path)
    cells = list(cells.order_by("path").values_list("pk", flat=True))
    secretaries = dict(
        Position.objects.current(today)
        .filter(kind=Position.Kind.SECRETARY, organisation_id__in=cells)
        .values_list("organisation_id", "member_id")
    )
    supervisors = defaultdict(list)
    assignments = Assignment.objects.current(today).values_list("cell_id", "supervisor_id")
    for cell_id, member_id in assignments:
        supervisors[cell_id].append(member_id)
    with tqdm(total=len(cells), desc=_("Meeting scores"), unit="", disable=not progress) as bar:
        for start in range(0, len(cells), BATCH):
            batch = cells[start : start + BATCH]
            with bulk.uncollected():
                _score(rng, batch, secretaries, supervisors)
            bar.update(len(batch))


def open_year_round(today: date) -> None:
    """The city committee has opened this year's evaluation, so a new user finds their
    self-assessment waiting (rules 17–20)."""
    committee = User.objects.get(username="committee")
    city = (
        Position.objects.current(today)
        .filter(member__user=committee, organisation__kind=Organisation.Kind.COMMITTEE)
        .select_related("organisation")
        .first()
        .organisation
    )
    open_round(
        city,
        committee,
        title="",  # named after its year, in each reader's language
        period=EvaluationRound.Period.YEAR,
        year=today.year,
        quarter=None,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        deadline=date(today.year, 12, 20),
    )


def _score(rng, cell_ids, secretaries, supervisors) -> None:
    held = Meeting.objects.filter(cell_id__in=cell_ids, status=Meeting.Status.CLOSED)
    tasks = {key: Tasks(*counts) for key, counts in rollup.task_counts(cell_ids).items()}
    scores, reports = [], []
    for facts in facts_of(held).values():
        # The meeting assesses the tasks that fell due the month before.
        before = month_of(facts.starts_at) - timedelta(days=1)
        due = tasks.get((facts.cell_id, month_of(before)), Tasks())
        points = suggest(facts, due)
        scores.append(_scored(facts.meeting_id, MeetingScore.Role.CELL, points))
        scores[-1].by_id = secretaries.get(facts.cell_id)
        if rng.random() < 0.5:
            strict = {**points, "conduct": max(0, points["conduct"] - rng.choice([0, 0, 2, 5]))}
            scores.append(_scored(facts.meeting_id, MeetingScore.Role.COMMITTEE, strict))
        for supervisor_id in supervisors[facts.cell_id]:
            if rng.random() < 0.4:
                reports.append(
                    Report(
                        meeting_id=facts.meeting_id,
                        supervisor_id=supervisor_id,
                        went_well=rng.choice(WENT_WELL),
                        to_fix=rng.choice(TO_FIX),
                    )
                )
                score = _scored(facts.meeting_id, MeetingScore.Role.SUPERVISOR, points)
                score.by_id = supervisor_id
                scores.append(score)
    MeetingScore.objects.bulk_create(scores, batch_size=2000, ignore_conflicts=True)
    Report.objects.bulk_create(reports, batch_size=2000)


def _scored(meeting_id: int, role: str, points: dict[str, int]) -> MeetingScore:
    return MeetingScore(
        meeting_id=meeting_id,
        role=role,
        points=points,
        total=sum(points.values()),
        grade=grade(points),
    )
