"""The demo's consultations (rule 16): a few cells asked their members, and often the people,
before resolving on a local matter (a road, the market, drainage, patrols), in Khmer in the
Khmer hamlets; their resolutions say they touch the people, and a few such resolutions were
adopted without consulting, so the indicator is not a flat 100 %. One consultation, for a
meeting still to come, is open today with its public door. Every row from the seeded `rng`."""

import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.utils import timezone

from chibo.meetings.models import Meeting, Resolution
from chibo.orgs.demo.names import KHMER_HAMLETS
from chibo.orgs.models import Member
from chibo.voices.consultations import Consultation, Stance, Statement

# (question, statements, how much each is agreed with: the chance of "agree" among answers).
MATTERS = [
    (
        "Chi bộ nên làm gì với tuyến đường liên khu đã xuống cấp?",
        [
            "Ưu tiên vá các ổ gà trước mùa mưa.",
            "Mỗi hộ góp ngày công để làm lại mặt đường.",
            "Đề nghị phường đưa tuyến đường vào kế hoạch năm sau.",
            "Cấm xe tải trên 5 tấn đi vào tuyến đường.",
        ],
        [0.85, 0.45, 0.8, 0.5],
    ),
    (
        "Làm thế nào để chợ khu dân cư sạch sẽ hơn?",
        [
            "Bố trí thêm thùng rác có nắp ở mỗi dãy hàng.",
            "Tiểu thương thu gom rác trước 18 giờ hằng ngày.",
            "Thu thêm 10.000 đồng mỗi tháng cho tổ vệ sinh.",
        ],
        [0.9, 0.75, 0.4],
    ),
    (
        "Chống ngập úng khu dân cư trong mùa mưa năm nay thế nào?",
        [
            "Nạo vét toàn bộ cống rãnh trước tháng 5.",
            "Lắp lưới chắn rác ở các miệng cống.",
            "Các hộ tự nâng nền nhà ở những điểm trũng.",
            "Làm thêm mương thoát nước dọc đường chính.",
        ],
        [0.9, 0.8, 0.35, 0.7],
    ),
    (
        "Có nên lập tổ tuần tra an ninh ban đêm ở khu dân cư?",
        [
            "Lập tổ tuần tra tự quản gồm đoàn viên thanh niên và cựu chiến binh.",
            "Mỗi hộ đóng góp kinh phí lắp camera ở các ngõ.",
            "Tuần tra từ 22 giờ đến 2 giờ sáng các ngày cuối tuần.",
        ],
        [0.8, 0.5, 0.65],
    ),
]
MATTERS_KM = [
    (
        "តើកោសិកាគួរធ្វើអ្វីជាមួយផ្លូវភូមិដែលខូច?",
        [
            "ជួសជុលរណ្តៅលើផ្លូវមុនរដូវវស្សា។",
            "គ្រួសារនីមួយៗចូលរួមកម្លាំងពលកម្មមួយថ្ងៃ។",
            "ស្នើឃុំដាក់ផ្លូវនេះក្នុងផែនការឆ្នាំក្រោយ។",
        ],
        [0.85, 0.5, 0.75],
    ),
    (
        "តើធ្វើដូចម្តេចឱ្យផ្សារភូមិស្អាតជាងនេះ?",
        [
            "ដាក់ធុងសំរាមមានគម្របនៅជួរលក់នីមួយៗ។",
            "អ្នកលក់ប្រមូលសំរាមមុនម៉ោង ៦ ល្ងាចរៀងរាល់ថ្ងៃ។",
            "បង់បន្ថែម ១០.០០០ ដុង ក្នុងមួយខែសម្រាប់ក្រុមអនាម័យ។",
        ],
        [0.9, 0.7, 0.4],
    ),
]
# Statements participants added, one per consultation: accepted, or not (advertising).
ADDED = "Đề nghị công khai danh sách đóng góp tại nhà văn hóa."
ADDED_KM = "សូមបិទផ្សាយបញ្ជីវិភាគទាននៅសាលាវប្បធម៌។"
REJECTED = "Vay tiền nhanh không cần thế chấp, gọi ngay."
# Held meetings whose resolutions touch the people: most consulted first, some not.
CONSULTED, NOT_CONSULTED = 6, 3
PASS = 0.1


def generate_consultations(rng: random.Random, now: datetime) -> int:
    """Write the consultations, their statements and stances; returns how many."""
    today = timezone.localdate(now)
    held = list(
        Resolution.objects.filter(
            version=1,
            status__in=[Resolution.Status.ADOPTED, Resolution.Status.PUBLISHED],
            meeting__starts_at__gte=now - timedelta(days=150),
        )
        .order_by("meeting__starts_at", "pk")
        .values_list("pk", "meeting_id", "cell_id", "cell__name", "meeting__starts_at")
    )
    coming = list(
        Meeting.objects.filter(
            status=Meeting.Status.PUBLISHED,
            starts_at__gte=now + timedelta(days=3),
            consultation__isnull=True,
        )
        .order_by("starts_at", "pk")
        .values_list("pk", "cell_id", "cell__name", "starts_at")[:200]
    )
    if not held:
        return 0
    khmer = [row for row in held if _is_khmer(row[3])]
    chosen, cells = [], set()
    for row in [*rng.sample(khmer, min(2, len(khmer))), *rng.sample(held, min(40, len(held)))]:
        if row[2] not in cells and len(chosen) < CONSULTED + NOT_CONSULTED:
            chosen.append(row)
            cells.add(row[2])
    upcoming = next((row for row in coming if row[1] not in cells), None)
    everyone = {*cells, *([upcoming[1]] if upcoming else [])}
    members: dict[int, list[int]] = defaultdict(list)
    for cell_id, pk in (
        Member.objects.filter(cell_id__in=everyone).order_by("pk").values_list("cell_id", "pk")
    ):
        members[cell_id].append(pk)
    consulted = chosen[:CONSULTED]
    Resolution.objects.filter(pk__in=[row[0] for row in chosen]).update(touches_people=True)
    made = []
    for _resolution, meeting_id, cell_id, name, starts_at in consulted:
        day = timezone.localdate(starts_at)
        made.append((meeting_id, cell_id, name, day - timedelta(days=2)))
    if upcoming:
        meeting_id, cell_id, name, starts_at = upcoming
        day = timezone.localdate(starts_at)
        made.append((meeting_id, cell_id, name, max(today, day - timedelta(days=1))))
    for meeting_id, cell_id, name, closes_on in made:
        _consultation(rng, now, meeting_id, cell_id, name, closes_on, members[cell_id])
    return len(made)


def _is_khmer(name: str) -> bool:
    return name.removeprefix("Chi bộ ") in KHMER_HAMLETS


def _code(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _consultation(rng, now, meeting_id, cell_id, name, closes_on, members) -> None:
    khmer = _is_khmer(name)
    question, texts, moods = rng.choice(MATTERS_KM if khmer else MATTERS)
    opens_on = closes_on - timedelta(days=rng.randint(7, 12))
    opened_at = timezone.make_aware(datetime.combine(opens_on, datetime.min.time())) + timedelta(
        hours=8
    )
    citizens = rng.random() < 0.7
    consultation = Consultation.objects.create(
        code=_code(rng),
        cell_id=cell_id,
        meeting_id=meeting_id,
        question=question,
        opens_on=opens_on,
        closes_on=closes_on,
        open_to_citizens=citizens,
        opened_by_id=members[0] if members else None,
        created_at=opened_at,
    )
    author = rng.choice(members) if members else None
    statements = [
        Statement(
            code=_code(rng),
            consultation=consultation,
            text=text,
            author_id=members[0] if members else None,
            moderation=Statement.Moderation.ACCEPTED,
            created_at=opened_at,
        )
        for text in texts
    ]
    statements.append(
        Statement(
            code=_code(rng),
            consultation=consultation,
            text=ADDED_KM if khmer else ADDED,
            author_id=author,
            moderation=Statement.Moderation.ACCEPTED,
            created_at=opened_at + timedelta(days=1),
        )
    )
    if citizens:
        statements.append(
            Statement(
                code=_code(rng),
                consultation=consultation,
                text=REJECTED,
                by_citizen=True,
                moderation=Statement.Moderation.REJECTED,
                created_at=opened_at + timedelta(days=2),
            )
        )
    Statement.objects.bulk_create(statements)
    moods = [*moods, 0.7]
    # Up to today for the one still open: it is half-way through.
    last = min(closes_on, timezone.localdate(now))
    span = max(0, (last - opens_on).days)
    taking_part = [("member", pk) for pk in members if rng.random() < 0.75]
    if citizens:
        taking_part += [
            ("citizen", f"demo{rng.getrandbits(48):012x}") for _ in range(rng.randint(6, 24))
        ]
    stances = []
    for kind, who in taking_part:
        at = opened_at + timedelta(days=rng.randint(0, span), minutes=rng.randint(0, 700))
        if at >= now:
            continue
        for statement, mood in zip(statements, moods, strict=False):
            if statement.moderation != Statement.Moderation.ACCEPTED or rng.random() < 0.1:
                continue
            roll = rng.random()
            choice = (
                Stance.Choice.PASS
                if roll < PASS
                else Stance.Choice.AGREE
                if roll < PASS + (1 - PASS) * mood
                else Stance.Choice.DISAGREE
            )
            stances.append(
                Stance(
                    statement=statement,
                    member_id=who if kind == "member" else None,
                    citizen=who if kind == "citizen" else "",
                    choice=choice,
                    at=at,
                )
            )
    Stance.objects.bulk_create(stances)
