"""The demo's voices: across the months of history, what members heard from themselves, from
other members and from the people, in Vietnamese (in Khmer in the Khmer hamlets), and what
happened to each.

Cells handle voices as they hold meetings (the meetings demo's habits, seen through the hook
`watching`): strong cells answer within days and settle most themselves; ordinary ones answer
later and pass more up, the ward settling those and passing a few to the city; weak cells let
voices wait, so their recent ones are overdue. A voice in four is raised at the cell's meeting
of the month and goes into its minutes. At the public door of the demo accounts' cell and of a
Khmer hamlet, citizens left a handful: most accepted and answered, one waiting for review, one
rejected with its reason. Every row goes in with one bulk load per table, the tally counted after.
"""

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from chibo.lib import bulk
from chibo.lib.months import months as month_range
from chibo.lib.months import shift
from chibo.meetings.demo import STRONG, WEAK, Habit
from chibo.meetings.models import Meeting
from chibo.orgs.demo.accounts import CELL_REF
from chibo.orgs.demo.names import KHMER_HAMLETS
from chibo.orgs.models import Member, Organisation, Position
from chibo.voices import tally
from chibo.voices.door import ALPHABET, CODE_LENGTH
from chibo.voices.models import Category, Step, Voice

# What members hear, by category; "{where}" is the place.
SAID = {
    "land_environment": [
        "Cống thoát nước ở {where} bị tắc, mưa to là ngập đường.",
        "Bà con phản ánh bãi rác tự phát gần {where} gây ô nhiễm.",
        "Đề nghị làm rõ ranh giới đất giữa các hộ ở {where}.",
        "Xe chở than đi qua {where} làm bụi, đề nghị tưới nước đường.",
    ],
    "social_welfare": [
        "Một hộ cận nghèo ở {where} có người ốm nặng, cần hỗ trợ.",
        "Đề nghị xem xét trợ cấp cho người cao tuổi neo đơn ở {where}.",
        "Bà con mong có lớp dạy nghề cho thanh niên ở {where}.",
    ],
    "security_order": [
        "Đèn đường ở {where} hỏng, buổi tối không an toàn.",
        "Có nhóm thanh niên tụ tập gây ồn ào khuya ở {where}.",
        "Đề nghị lắp gương cầu lồi ở khúc cua {where}.",
    ],
    "party_building": [
        "Đảng viên mong tài liệu sinh hoạt được gửi sớm hơn.",
        "Đề nghị chi bộ tổ chức sinh hoạt chuyên đề về chuyển đổi số.",
        "Một số đảng viên cao tuổi đề nghị được miễn sinh hoạt.",
    ],
    "economy": [
        "Hộ kinh doanh ở {where} mong được hướng dẫn vay vốn ưu đãi.",
        "Giá vật tư nông nghiệp tăng, bà con ở {where} mong được hỗ trợ.",
        "Chợ {where} xuống cấp, tiểu thương đề nghị sửa mái che.",
    ],
    "other": [
        "Bà con đề nghị sửa nhà văn hóa {where} trước mùa mưa.",
        "Sóng điện thoại ở {where} yếu, học sinh học trực tuyến khó khăn.",
    ],
}
SAID_KM = {
    "land_environment": ["ប្រឡាយទឹកនៅ {where} ស្ទះ ពេលភ្លៀងធ្លាក់ទឹកលិចផ្លូវ។"],
    "social_welfare": ["គ្រួសារក្រីក្រមួយនៅ {where} មានអ្នកជំងឺធ្ងន់ ត្រូវការជំនួយ។"],
    "security_order": ["អំពូលភ្លើងផ្លូវនៅ {where} ខូច ពេលយប់មិនមានសុវត្ថិភាព។"],
    "party_building": ["សមាជិកចង់បានឯកសារប្រជុំមុនពេលឱ្យបានឆាប់ជាងនេះ។"],
    "economy": ["ប្រជាជននៅ {where} ចង់បានការណែនាំអំពីប្រាក់កម្ចីអនុគ្រោះ។"],
    "other": ["សូមជួសជុលសាលាវប្បធម៌ {where} មុនរដូវវស្សា។"],
}
# How often each category is heard (land and security the most, as in the reports).
WEIGHTS = {
    "land_environment": 5,
    "social_welfare": 3,
    "security_order": 4,
    "party_building": 2,
    "economy": 3,
    "other": 1,
}
PLACES = [
    "khu 1",
    "khu 2",
    "khu 3",
    "khu 5",
    "tổ 4",
    "chợ trung tâm",
    "quốc lộ 18",
    "trường tiểu học",
]
PLACES_KM = ["ភូមិ", "ផ្សារ", "សាលារៀន"]
ANSWERS = [
    "Chi bộ đã trao đổi với tổ dân phố, sẽ xử lý trong tuần.",
    "Đã báo ban công tác Mặt trận, đang liên hệ hộ gia đình.",
    "Chi bộ ghi nhận, phân công đồng chí phụ trách đến kiểm tra.",
]
ANSWERS_KM = ["កោសិកាបានពិភាក្សាជាមួយភូមិ នឹងដោះស្រាយក្នុងសប្តាហ៍នេះ។"]
RESOLVED = [
    "Đã xử lý xong, bà con đồng tình.",
    "Đã hỗ trợ và báo lại cho người nêu.",
    "Đã khắc phục, chi bộ sẽ tiếp tục theo dõi.",
]
RESOLVED_KM = ["បានដោះស្រាយរួចរាល់ ប្រជាជនពេញចិត្ត។"]
WARD_ANSWER = "Đã tiếp nhận, giao các ngành liên quan kiểm tra và trả lời."
PASSED = "Vượt thẩm quyền của chi bộ, đề nghị cấp trên xem xét giải quyết."
PASSED_KM = "លើសសមត្ថកិច្ចកោសិកា សូមថ្នាក់លើពិនិត្យដោះស្រាយ។"
URGENT = 0.08
CITIZENS = ["Bà Nguyễn Thị Hoa", "Ông Trần Văn Bình", "Chị Lê Thị Thu", "", ""]

# Per habit: voices a month (low, high), days to the first answer, the chance it is answered at
# all, the chance it is passed up, and of those the chance the ward passes it on to the city.
PACE = {
    STRONG: ((1, 3), (0.2, 3), 1.0, 0.08, 0.1),
    WEAK: ((0, 2), (5, 25), 0.55, 0.05, 0.0),
}
ORDINARY_PACE = ((0, 2), (0.5, 7.5), 0.95, 0.15, 0.25)

# A voice in four is raised at a meeting of its cell held that month, and goes into its minutes.
AT_MEETING = 0.25
# A handful of citizens' voices at the public door of the demo's cell and of a Khmer hamlet:
# (days ago it was left, what became of it): accepted and answered, one waiting, one rejected.
DOOR = [(41, "accepted"), (24, "accepted"), (12, "accepted"), (9, "rejected"), (3, "accepted")]
DOOR_WAITING_HOURS = 5
REJECTED = "Nội dung quảng cáo, không phải ý kiến về địa phương."
REJECTED_KM = "ខ្លឹមសារជាការផ្សាយពាណិជ្ជកម្ម មិនមែនជាគំនិតអំពីមូលដ្ឋានទេ។"

VOICE = [
    "id", "code", "cell_id", "holder_id", "category_id", "place", "urgency", "text", "source",
    "raised_by_id", "citizen_name", "recorded_by_id", "state", "received_at",
    "first_answered_at", "resolved_at", "answer_due", "resolve_due", "meeting_id", "moderation",
    "tracking_code", "language",
]  # fmt: skip
STEP = ["voice_id", "kind", "by_org_id", "to_org_id", "by_id", "text", "at"]


class VoiceDemo:
    """Voices for the cells whose meetings the history makes (`watching` learns each cell's
    habit), written by `record` once the history is done."""

    def __init__(self, rng: random.Random, now: datetime, months: int) -> None:
        self.rng, self.now, self.months = rng, now, months
        self.habits: dict[int, Habit] = {}
        # Each cell's meetings held, by month: where voices are raised and minuted.
        self.held: dict[int, dict[tuple[int, int], tuple[int, datetime]]] = defaultdict(dict)

    def watching(self, extra: Callable) -> Callable:
        """The history's hook for each meeting's extra items, noting the cell's habit first."""

        def hook(cell, meeting, take):
            self.habits[cell.pk] = cell.habit
            if meeting.status == Meeting.Status.CLOSED:
                month = (meeting.starts_at.year, meeting.starts_at.month)
                self.held[cell.pk][month] = (meeting.pk, meeting.starts_at)
            return extra(cell, meeting, take)

        return hook

    def record(self) -> int:
        """Write the voices and their steps; returns how many voices."""
        if not self.habits:
            return 0
        today = timezone.localdate(self.now)
        this_month = today.replace(day=1)
        span = month_range(shift(this_month, -self.months), this_month)
        categories = {c.slug: c for c in Category.objects.all()}
        slugs = [slug for slug in WEIGHTS if slug in categories]
        cells = list(
            Organisation.objects.filter(pk__in=self.habits)
            .only("pk", "path", "name", "depth", "ref")
            .order_by("path")
        )
        parents = {o.path: o.pk for o in Organisation.objects.committees().only("pk", "path")}
        members: dict[int, list[int]] = defaultdict(list)
        for cell_id, pk in Member.objects.filter(cell__in=self.habits).values_list("cell_id", "pk"):
            members[cell_id].append(pk)
        leaders = dict(
            Position.objects.current(today)
            .filter(kind=Position.Kind.SECRETARY)
            .values_list("organisation_id", "member_id")
        )
        voice_pk = bulk.next_id(Voice)
        voices, steps = [], []
        for cell in cells:
            habit = self.habits[cell.pk]
            pace = PACE.get(habit, ORDINARY_PACE)
            khmer = cell.name.removeprefix("Chi bộ ") in KHMER_HAMLETS
            ward_path = cell.path[: -Organisation.steplen]
            way_up = [parents.get(ward_path), parents.get(ward_path[: -Organisation.steplen])]
            if not members[cell.pk]:
                continue
            shared = {
                "habit": habit,
                "pace": pace,
                "khmer": khmer,
                "cats": (slugs, categories),
                "members": members[cell.pk],
                "leaders": leaders,
                "way_up": way_up,
                "held": self.held.get(cell.pk, {}),
            }
            for month in span:
                for _n in range(self.rng.randint(*pace[0])):
                    received = timezone.make_aware(
                        datetime(month.year, month.month, self.rng.randint(1, 28), 8)
                    ) + timedelta(minutes=self.rng.randint(0, 600))
                    if received >= self.now:
                        continue
                    made = self.voice(voice_pk, cell, received, shared)
                    voices.append(made[0])
                    steps += made[1]
                    voice_pk += 1
        for cell in self.door_cells(cells, members):
            khmer = cell.name.removeprefix("Chi bộ ") in KHMER_HAMLETS
            made = self.door(voice_pk, cell, khmer, (slugs, categories), leaders.get(cell.pk))
            voices += made[0]
            steps += made[1]
            voice_pk += len(made[0])
        bulk.load(Voice, VOICE, voices)
        bulk.load(Step, STEP, steps)
        tally.rebuild()  # loaded in bulk: counted once, from what was loaded
        return len(voices)

    @staticmethod
    def door_cells(cells: list[Organisation], members) -> list[Organisation]:
        """The cells whose public door the demo shows in use: the demo accounts' cell (or the
        first cell) and the first Khmer hamlet."""
        peopled = [cell for cell in cells if members[cell.pk]]
        hamlets = [c for c in peopled if c.name.removeprefix("Chi bộ ") in KHMER_HAMLETS]
        others = [c for c in peopled if c not in hamlets]
        first = next((c for c in others if c.ref == CELL_REF), others[0] if others else None)
        return [cell for cell in (first, hamlets[0] if hamlets else None) if cell is not None]

    def door(self, pk: int, cell: Organisation, khmer: bool, cats, secretary) -> tuple:
        """Citizens' voices left at the cell's public door, each with its tracking code: most
        accepted by the secretary and answered, one waiting for review, one rejected."""
        rng = self.rng
        slugs, categories = cats
        voices, steps = [], []
        left = [(timedelta(days=days, hours=rng.randint(0, 8)), fate) for days, fate in DOOR]
        left.append((timedelta(hours=DOOR_WAITING_HOURS), "waiting"))
        for n, (ago, fate) in enumerate(left):
            received = self.now - ago
            slug = rng.choice(slugs)
            category = categories[slug]
            where = rng.choice(PLACES_KM if khmer else PLACES)
            text = rng.choice((SAID_KM if khmer else SAID)[slug]).format(where=where)
            answer_due, resolve_due = category.due_dates(received, False)
            said = [(pk + n, Step.Kind.RECORDED, cell.pk, None, None, "", received)]
            state, answered, closed = Voice.State.RECEIVED, None, None
            at = received + timedelta(hours=rng.randint(2, 20))
            if fate == "rejected":
                reason = REJECTED_KM if khmer else REJECTED
                said.append((pk + n, Step.Kind.REJECTED, cell.pk, None, secretary, reason, at))
            elif fate == "accepted":
                said.append((pk + n, Step.Kind.ACCEPTED, cell.pk, None, secretary, "", at))
                # Answered within days, and never later than the demo's now.
                at = min(at + timedelta(days=rng.uniform(0.5, 3)), self.now - timedelta(hours=1))
                answer = rng.choice(ANSWERS_KM if khmer else ANSWERS)
                said.append((pk + n, Step.Kind.ANSWERED, cell.pk, None, secretary, answer, at))
                state, answered = Voice.State.ANSWERED, at
                if ago > timedelta(days=20):
                    at += timedelta(days=rng.uniform(3, 12))
                    settled = rng.choice(RESOLVED_KM if khmer else RESOLVED)
                    said.append((pk + n, Step.Kind.RESOLVED, cell.pk, None, secretary, settled, at))
                    state, closed = Voice.State.RESOLVED, at
            code = "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
            voices.append(
                (
                    pk + n, self.uuid(), cell.pk, cell.pk, category.pk, where, "normal", text,
                    Voice.Source.CITIZEN, None, rng.choice(CITIZENS), None, state, received,
                    answered, closed, answer_due, resolve_due, None, fate, code,
                    "km" if khmer else "vi",
                )
            )  # fmt: skip
            steps += said
        return voices, steps

    def voice(self, pk: int, cell: Organisation, received: datetime, c: dict) -> tuple:
        """One voice's row and its steps, up to `now`; `c` holds what the cell's voices share."""
        rng = self.rng
        habit, pace, khmer, slugs, categories = c["habit"], c["pace"], c["khmer"], *c["cats"]
        members, leaders, way_up = c["members"], c["leaders"], c["way_up"]
        meeting = None
        held = c["held"].get((received.year, received.month))
        if held and held[1] + timedelta(hours=2) < self.now and rng.random() < AT_MEETING:
            # Raised at the month's meeting: recorded during it, by the secretary if any.
            meeting, received = held[0], held[1] + timedelta(minutes=rng.randint(20, 80))
        slug = rng.choices(slugs, weights=[WEIGHTS[s] for s in slugs])[0]
        category = categories[slug]
        where = rng.choice(PLACES_KM if khmer else PLACES)
        text = rng.choice((SAID_KM if khmer else SAID)[slug]).format(where=where)
        urgent = rng.random() < URGENT
        answer_due, resolve_due = category.due_dates(received, urgent)
        recorder = rng.choice(members)
        if meeting is not None:
            recorder = leaders.get(cell.pk) or recorder
        source = rng.choices(["self", "member", "citizen"], weights=[4, 2, 4])[0]
        raised_by = {"self": recorder, "member": rng.choice(members)}.get(source)
        citizen = rng.choice(CITIZENS) if source == "citizen" else ""
        secretary = leaders.get(cell.pk)
        steps = [(pk, Step.Kind.RECORDED, cell.pk, None, recorder, "", received)]
        voice = {"state": Voice.State.RECEIVED, "holder": cell.pk, "answered": None, "closed": None}
        _count, days, answers, passes, onwards = pace
        moment = [received]

        def step(low: float, high: float, kind: str, by: int, to=None, who=None, said="") -> bool:
            """The next step, some days after the last, if it happened before `now`."""
            at = moment[0] + timedelta(days=rng.uniform(low, high), minutes=rng.randint(0, 300))
            if at >= self.now:
                return False
            moment[0] = at
            steps.append((pk, kind, by, to, who, said, at))
            if kind == Step.Kind.PASSED_UP:
                voice.update(state=Voice.State.PASSED_UP, holder=to)
            if kind in (Step.Kind.ANSWERED, Step.Kind.RESOLVED):
                voice["answered"] = voice["answered"] or at
                voice["state"] = Voice.State(kind)
            if kind == Step.Kind.RESOLVED:
                voice["closed"] = at
            return True

        answer = rng.choice(ANSWERS_KM if khmer else ANSWERS)
        settled = rng.choice(RESOLVED_KM if khmer else RESOLVED)
        ward, city = way_up
        if ward and rng.random() < passes:
            note = PASSED_KM if khmer else PASSED
            if step(0.5, 3, Step.Kind.PASSED_UP, cell.pk, ward, secretary, note):
                if city and rng.random() < onwards:
                    step(2, 6, Step.Kind.PASSED_UP, ward, city, None, PASSED)
                # The committee that holds it answers within days, and settles it later.
                holder = voice["holder"]
                if step(0.5, 3, Step.Kind.ANSWERED, holder, None, None, WARD_ANSWER):
                    step(4, 25, Step.Kind.RESOLVED, holder, None, None, rng.choice(RESOLVED))
        elif rng.random() < answers:
            if step(*days, Step.Kind.ANSWERED, cell.pk, None, secretary, answer):
                late = 40 if habit is WEAK else 20
                step(2, late, Step.Kind.RESOLVED, cell.pk, None, secretary, settled)
        elif ward and received < self.now - timedelta(days=90):
            # Long forgotten by a weak cell: the ward closed it in the end.
            step(45, 80, Step.Kind.RESOLVED, ward, None, None, rng.choice(RESOLVED))
        row = (
            pk, self.uuid(), cell.pk, voice["holder"], category.pk, where,
            "urgent" if urgent else "normal", text, source, raised_by, citizen, recorder,
            voice["state"], received, voice["answered"], voice["closed"], answer_due, resolve_due,
            meeting, "", None, ("km" if khmer else "vi") if source == "citizen" else "",
        )  # fmt: skip
        return row, steps

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)
