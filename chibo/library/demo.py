"""The demo's library and studies: about 170 documents of the Party and State (the well-known
central ones, numbered as printed, and the province's and cities' own, some internal to their
subtree; a shelf in Khmer), with their summaries and body text written from phrases; three
resolution studies with their learning notes; the demo member's bookmarks and notes.

How far each cell studies follows how it meets: cells that held their regular meetings in the
history send their notes on time, cells that skipped many send few or late. Every row goes in
with one bulk load per table.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from chibo.lib import bulk
from chibo.library.models import Bookmark, Document, LearningNote, Note, StudyCampaign
from chibo.library.studying import SUMMONED
from chibo.meetings.models import Meeting
from chibo.orgs.models import Member, Organisation, User

T = Document.Type
CC = "Ban Chấp hành Trung ương"
POLITBURO = "Bộ Chính trị"
SECRETARIAT = "Ban Bí thư"
ORGANISATION = "Ban Tổ chức Trung ương"
PROPAGANDA = "Ban Tuyên giáo Trung ương"

# (number, issuer, date, type, title) of central documents members study; their numbers and
# dates as published.
CENTRAL = [
    (
        "57-NQ/TW",
        POLITBURO,
        date(2024, 12, 22),
        T.RESOLUTION,
        "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
        "số quốc gia",
    ),
    (
        "59-NQ/TW",
        POLITBURO,
        date(2025, 1, 24),
        T.RESOLUTION,
        "Nghị quyết về hội nhập quốc tế trong tình hình mới",
    ),
    (
        "66-NQ/TW",
        POLITBURO,
        date(2025, 4, 30),
        T.RESOLUTION,
        "Nghị quyết về đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu phát "
        "triển đất nước trong kỷ nguyên mới",
    ),
    (
        "68-NQ/TW",
        POLITBURO,
        date(2025, 5, 4),
        T.RESOLUTION,
        "Nghị quyết về phát triển kinh tế tư nhân",
    ),
    (
        "21-NQ/TW",
        CC,
        date(2022, 6, 16),
        T.RESOLUTION,
        "Nghị quyết về tăng cường củng cố, xây dựng tổ chức cơ sở đảng và nâng cao chất lượng "
        "đội ngũ đảng viên trong giai đoạn mới",
    ),
    (
        "18-NQ/TW",
        CC,
        date(2017, 10, 25),
        T.RESOLUTION,
        "Nghị quyết một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống "
        "chính trị tinh gọn, hoạt động hiệu lực, hiệu quả",
    ),
    (
        "35-NQ/TW",
        POLITBURO,
        date(2018, 10, 22),
        T.RESOLUTION,
        "Nghị quyết về tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các "
        "quan điểm sai trái, thù địch trong tình hình mới",
    ),
    (
        "50-CT/TW",
        SECRETARIAT,
        date(2025, 8, 1),
        T.DIRECTIVE,
        "Chỉ thị về tiếp tục đổi mới, nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới",
    ),
    (
        "05-CT/TW",
        POLITBURO,
        date(2016, 5, 15),
        T.DIRECTIVE,
        "Chỉ thị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
    (
        "10-CT/TW",
        SECRETARIAT,
        date(2006, 3, 30),
        T.DIRECTIVE,
        "Chỉ thị về nâng cao chất lượng sinh hoạt chi bộ",
    ),
    (
        "12-HD/BTCTW",
        ORGANISATION,
        date(2018, 5, 18),
        T.GUIDANCE,
        "Hướng dẫn một số vấn đề về nâng cao chất lượng sinh hoạt chi bộ",
    ),
    (
        "42-HD/BTCTW",
        ORGANISATION,
        date(2025, 10, 10),
        T.GUIDANCE,
        "Hướng dẫn thực hiện Chỉ thị 50-CT/TW về nâng cao chất lượng sinh hoạt chi bộ",
    ),
    (
        "339-QĐ/TW",
        SECRETARIAT,
        date(2025, 7, 3),
        T.REGULATION,
        "Quy định về Sổ tay đảng viên điện tử",
    ),
    (
        "132-QĐ/TW",
        POLITBURO,
        date(2018, 3, 8),
        T.REGULATION,
        "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá "
        "nhân trong hệ thống chính trị",
    ),
    (
        "366-QĐ/TW",
        POLITBURO,
        date(2025, 9, 1),
        T.REGULATION,
        "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ "
        "thống chính trị",
    ),
    (
        "43-HD/BTCTW",
        ORGANISATION,
        date(2025, 10, 15),
        T.GUIDANCE,
        "Hướng dẫn kiểm điểm, đánh giá, xếp loại chất lượng tập thể, cá nhân",
    ),
    ("294-QĐ/TW", CC, date(2025, 5, 26), T.REGULATION, "Quy định về thi hành Điều lệ Đảng"),
    (
        "21-KL/TW",
        CC,
        date(2021, 10, 25),
        T.CONCLUSION,
        "Kết luận về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn "
        "chặn, đẩy lùi, xử lý nghiêm cán bộ, đảng viên suy thoái",
    ),
    (
        "01-KL/TW",
        POLITBURO,
        date(2021, 5, 18),
        T.CONCLUSION,
        "Kết luận về tiếp tục thực hiện Chỉ thị 05-CT/TW về đẩy mạnh học tập và làm theo tư "
        "tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
    (
        "13/2023/NĐ-CP",
        "Chính phủ",
        date(2023, 4, 17),
        T.OTHER,
        "Nghị định về bảo vệ dữ liệu cá nhân",
    ),
    (
        "56/2024/QH15",
        "Quốc hội",
        date(2024, 11, 29),
        T.OTHER,
        "Luật sửa đổi, bổ sung một số điều của Luật Chứng khoán, Luật Kế toán và một số luật khác",
    ),
    (
        "06/QĐ-TTg",
        "Thủ tướng Chính phủ",
        date(2022, 1, 6),
        T.OTHER,
        "Quyết định phê duyệt Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác "
        "thực điện tử phục vụ chuyển đổi số quốc gia",
    ),
]
# (newer, older, how): the links both pages show.
LINKS = [
    ("42-HD/BTCTW", "12-HD/BTCTW", "replaces"),
    ("366-QĐ/TW", "132-QĐ/TW", "replaces"),
    ("50-CT/TW", "10-CT/TW", "replaces"),
    ("01-KL/TW", "05-CT/TW", "amends"),
]
# The province's and the cities' own documents, on these subjects.
SUBJECTS = [
    "phát triển kinh tế - xã hội năm {year}",
    "công tác xây dựng Đảng và hệ thống chính trị năm {year}",
    "chuyển đổi số trong các cơ quan đảng",
    "phòng, chống thiên tai và tìm kiếm cứu nạn mùa mưa bão {year}",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "công tác kiểm tra, giám sát và thi hành kỷ luật đảng năm {year}",
    "phát triển du lịch bền vững gắn với di tích Yên Tử",
    "bảo vệ môi trường, xử lý rác thải sinh hoạt ở khu dân cư",
    "công tác dân vận của hệ thống chính trị",
    "phát triển đảng viên trong doanh nghiệp ngoài nhà nước",
    "xây dựng nông thôn mới nâng cao, đô thị văn minh",
    "tổ chức Đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030",
    "phòng, chống tham nhũng, tiêu cực",
    "bảo đảm an ninh trật tự tại cơ sở",
    "công tác giáo dục chính trị tư tưởng cho đảng viên trẻ",
]
LOCAL = [
    (T.RESOLUTION, "NQ", "Nghị quyết về {subject}"),
    (T.DIRECTIVE, "CT", "Chỉ thị về tăng cường lãnh đạo {subject}"),
    (T.CONCLUSION, "KL", "Kết luận của Ban Thường vụ về {subject}"),
    (T.GUIDANCE, "HD", "Hướng dẫn thực hiện {subject}"),
    (T.OTHER, "KH", "Kế hoạch triển khai {subject}"),
]
SECTIONS = [
    "I. TÌNH HÌNH VÀ NGUYÊN NHÂN",
    "II. QUAN ĐIỂM CHỈ ĐẠO",
    "III. MỤC TIÊU",
    "IV. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU",
    "V. TỔ CHỨC THỰC HIỆN",
]
OPENINGS = [
    "Thời gian qua, các cấp ủy, tổ chức đảng đã quán triệt và triển khai nghiêm túc",
    "Trên cơ sở đánh giá kết quả thực hiện, cấp ủy xác định tiếp tục đẩy mạnh",
    "Các cấp ủy, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội tăng cường",
    "Mỗi cán bộ, đảng viên, trước hết là người đứng đầu, nêu cao tinh thần trách nhiệm trong",
    "Tập trung lãnh đạo, chỉ đạo quyết liệt, đồng bộ, có trọng tâm, trọng điểm việc",
]
MIDDLES = [
    "công tác {subject}",
    "việc thực hiện các nhiệm vụ về {subject}",
    "đổi mới nội dung, phương thức lãnh đạo đối với {subject}",
    "kiểm tra, giám sát việc thực hiện {subject}",
]
CLOSINGS = [
    "đạt được nhiều kết quả quan trọng, góp phần hoàn thành các chỉ tiêu đề ra.",
    "tuy nhiên vẫn còn một số hạn chế, bất cập cần sớm khắc phục.",
    "gắn với trách nhiệm của từng tổ chức, cá nhân và tiến độ cụ thể.",
    "bảo đảm thiết thực, hiệu quả, tránh hình thức.",
    "phát huy vai trò tiên phong, gương mẫu của cán bộ, đảng viên.",
]
# The Khmer shelf: central documents translated for the Khmer hamlets.
KHMER = [
    (
        "57-NQ/TW",
        date(2025, 2, 10),
        "សេចក្តីសម្រេចចិត្តស្តីពីការរីកចម្រើនផ្នែកវិទ្យាសាស្ត្រ បច្ចេកវិទ្យា នវានុវត្តន៍ និងការផ្លាស់ប្តូរឌីជីថលជាតិ",
    ),
    ("66-NQ/TW", date(2025, 5, 20), "សេចក្តីសម្រេចចិត្តស្តីពីការកែទម្រង់ការងារបង្កើត និងអនុវត្តច្បាប់"),
    ("68-NQ/TW", date(2025, 5, 25), "សេចក្តីសម្រេចចិត្តស្តីពីការអភិវឌ្ឍសេដ្ឋកិច្ចឯកជន"),
    ("21-NQ/TW", date(2022, 8, 1), "សេចក្តីសម្រេចចិត្តស្តីពីការពង្រឹងអង្គការបក្សមូលដ្ឋាន និងគុណភាពសមាជិកបក្ស"),
    ("50-CT/TW", date(2025, 8, 20), "សេចក្តីណែនាំបង្គាប់ស្តីពីការលើកកម្ពស់គុណភាពកិច្ចប្រជុំកោសិកាបក្ស"),
    ("42-HD/BTCTW", date(2025, 10, 25), "ការណែនាំស្តីពីការអនុវត្តសេចក្តីណែនាំបង្គាប់ 50-CT/TW"),
    ("05-CT/TW", date(2016, 7, 1), "សេចក្តីណែនាំបង្គាប់ស្តីពីការសិក្សា និងធ្វើតាមគំនិត សីលធម៌ និងរបៀបរបបហូជីមិញ"),
    ("339-QĐ/TW", date(2025, 7, 20), "បទប្បញ្ញត្តិស្តីពីសៀវភៅណែនាំសមាជិកបក្សអេឡិចត្រូនិក"),
    ("366-QĐ/TW", date(2025, 9, 20), "បទប្បញ្ញត្តិស្តីពីការវាយតម្លៃ និងចាត់ថ្នាក់គុណភាព"),
    ("35-NQ/TW", date(2018, 12, 1), "សេចក្តីសម្រេចចិត្តស្តីពីការការពារមូលដ្ឋានមនោគមវិជ្ជារបស់បក្ស"),
    ("18-NQ/TW", date(2017, 12, 1), "សេចក្តីសម្រេចចិត្តស្តីពីការរៀបចំប្រព័ន្ធនយោបាយឱ្យមានប្រសិទ្ធភាព"),
    ("59-NQ/TW", date(2025, 2, 20), "សេចក្តីសម្រេចចិត្តស្តីពីសមាហរណកម្មអន្តរជាតិក្នុងស្ថានភាពថ្មី"),
]
KHMER_PHRASES = [
    "គណៈកម្មាធិការបក្សគ្រប់ថ្នាក់ត្រូវដឹកនាំការសិក្សា និងអនុវត្តឯកសារនេះឱ្យបានម៉ឺងម៉ាត់។",
    "សមាជិកបក្សម្នាក់ៗត្រូវជាគំរូក្នុងការងារ និងក្នុងជីវភាពរស់នៅប្រចាំថ្ងៃ។",
    "កោសិកាបក្សត្រូវរៀបចំកិច្ចប្រជុំដើម្បីពិភាក្សា និងដាក់ផែនការសកម្មភាពជាក់ស្តែង។",
    "ត្រូវផ្សព្វផ្សាយដល់ប្រជាពលរដ្ឋក្នុងភូមិ និងឃុំ ឱ្យបានយល់ច្បាស់ និងអនុវត្តតាម។",
    "ការត្រួតពិនិត្យ និងវាយតម្លៃលទ្ធផលត្រូវធ្វើឡើងជាទៀងទាត់រៀងរាល់ត្រីមាស។",
]
NOTES = [
    "Nắm vững quan điểm chỉ đạo: {title}. Nhận thức rõ trách nhiệm của bản thân trong việc "
    "tuyên truyền đến gia đình và khu dân cư.",
    "Qua học tập, tôi hiểu sâu hơn mục tiêu và các nhóm nhiệm vụ, giải pháp; thấy rõ cần đổi "
    "mới cách làm trong công việc hằng ngày.",
    "Nghị quyết có ý nghĩa quan trọng, đòi hỏi mỗi đảng viên phải gương mẫu, nói đi đôi với làm.",
]
PLANS = [
    "Hướng dẫn ít nhất hai hộ dân sử dụng dịch vụ công trực tuyến trước cuối quý.",
    "Đăng ký một việc làm cụ thể trong công tác chuyên môn; báo cáo kết quả với chi bộ hằng tháng.",
    "Tuyên truyền nội dung nghị quyết tại buổi họp tổ dân phố; vận động gia đình chấp hành tốt.",
]
RETURN_COMMENTS = [
    "Đề nghị đồng chí liên hệ cụ thể hơn với nhiệm vụ của bản thân.",
    "Kế hoạch hành động cần có thời hạn và kết quả đo được.",
]
MEMBER_NOTES = [
    "Đọc kỹ phần IV, chuẩn bị ý kiến cho buổi sinh hoạt chuyên đề.",
    "Trích dẫn số liệu mục III khi báo cáo với chi bộ.",
]


def _body(rng: random.Random, subject: str) -> str:
    parts = []
    for heading in SECTIONS:
        parts.append(heading)
        for _ in range(rng.randint(2, 4)):
            sentence = " ".join(
                [
                    rng.choice(OPENINGS),
                    rng.choice(MIDDLES).format(subject=subject),
                    rng.choice(CLOSINGS),
                ]
            )
            parts.append(sentence)
    return "\n\n".join(parts)


def _summary(title: str) -> str:
    return (
        f"{title}: quan điểm chỉ đạo, mục tiêu, nhiệm vụ và giải pháp chủ yếu, tổ chức thực hiện."
    )


class Writer:
    DOCUMENT = (
        "id", "code", "issuer", "number", "issued_on", "type", "title", "summary", "language",
        "audience_id", "text", "extracted_at", "amends_id", "replaces_id",
    )  # fmt: skip

    def __init__(self, rng: random.Random, now: datetime, under: Organisation | None) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        tops = [under] if under is not None else list(Organisation.objects.get_root_nodes())
        self.tops = [top for top in tops if top.kind == Organisation.Kind.COMMITTEE]
        self.pk = bulk.next_id(Document)
        self.rows: list[tuple] = []
        self.by_number: dict[str, int] = {}

    def add(self, number, issuer, issued_on, kind, title, audience=None, language="vi", body=""):
        pk = self.pk
        self.pk += 1
        text = body or _body(self.rng, title.split(" về ", 1)[-1])
        summary = _summary(title) if language == "vi" else title
        self.rows.append(
            (pk, uuid.uuid4(), issuer, number, issued_on, kind, title, summary, language,
             audience, text, self.now, None, None)
        )  # fmt: skip
        if language == "vi" and audience is None:
            self.by_number[number] = pk
        return pk

    def documents(self) -> list[int]:
        for number, issuer, issued_on, kind, title in CENTRAL:
            if issued_on <= self.today:
                self.add(number, issuer, issued_on, kind, title)
        # A translation keeps the number, issuer and type of the document it translates.
        central = {number: (issuer, kind) for number, issuer, _on, kind, _title in CENTRAL}
        for number, issued_on, title in KHMER:
            if issued_on <= self.today:
                body = "\n\n".join(self.rng.sample(KHMER_PHRASES, 4))
                issuer, kind = central[number]
                self.add(number, issuer, issued_on, kind, title, language="km", body=body)
        # Each committee of the top two levels: its own documents, half of them internal.
        committees = []
        for top in self.tops:
            committees.append(top)
            below = Organisation.objects.committees().filter(
                path__startswith=top.path, depth=top.depth + 1
            )
            committees += list(below.order_by("path")[:3])
        per = max(1, (170 - len(self.rows)) // max(1, len(committees)))
        for committee in committees:
            sign = "TU" if committee.depth <= 2 else "ĐU"
            numbers: dict[tuple[int, str], int] = {}
            for i in range(per):
                kind, mark, pattern = LOCAL[i % len(LOCAL)]
                year = self.today.year - self.rng.randint(0, 6)
                issued_on = date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
                if issued_on > self.today:
                    issued_on = self.today - timedelta(days=self.rng.randint(1, 200))
                    year = issued_on.year
                numbers[(year, mark)] = numbers.get((year, mark), 0) + 1
                number = f"{numbers[(year, mark)]:02d}-{mark}/{sign}"
                subject = self.rng.choice(SUBJECTS).format(year=year)
                title = pattern.format(subject=subject)
                audience = committee.pk if i % 2 else None
                issuer = f"Ban Thường vụ {committee.name.replace('Đảng bộ', 'Đảng ủy')}"
                self.add(number, issuer, issued_on, kind, title, audience=audience)
        self._link()
        bulk.load(Document, self.DOCUMENT, self.rows)
        return [row[0] for row in self.rows]

    def _link(self) -> None:
        index = {row[0]: i for i, row in enumerate(self.rows)}
        for newer, older, how in LINKS:
            if newer in self.by_number and older in self.by_number:
                i = index[self.by_number[newer]]
                row = list(self.rows[i])
                row[12 if how == "amends" else 13] = self.by_number[older]
                self.rows[i] = tuple(row)

    def studies(self) -> int:
        """Three studies of each top committee: one long over, one just over, one under way;
        each member's note as their cell's habit makes it."""
        kept = 0
        held = dict(
            Meeting.objects.filter(
                status=Meeting.Status.CLOSED, starts_at__gte=self.now - timedelta(days=365)
            )
            .values("cell_id")
            .annotate(n=Count("pk"))
            .values_list("cell_id", "n")
            .order_by()
        )
        plans = [("57-NQ/TW", -75, 45), ("66-NQ/TW", -20, 40), ("68-NQ/TW", 12, 30)]
        campaign_pk = bulk.next_id(StudyCampaign)
        note_pk = bulk.next_id(LearningNote)
        campaigns, notes = [], []
        for top in self.tops:
            for number, offset, length in plans:
                if number not in self.by_number:
                    continue
                deadline = self.today + timedelta(days=offset)
                launched = self.now + timedelta(days=offset - length)
                campaigns.append(
                    (campaign_pk, uuid.uuid4(), top.pk, self.by_number[number], deadline,
                     MATERIALS, launched)
                )  # fmt: skip
                notes += self._notes(
                    campaign_pk, top, deadline, launched, held, note_pk + len(notes)
                )
                campaign_pk += 1
        bulk.load(
            StudyCampaign,
            ("id", "code", "committee_id", "document_id", "deadline", "materials", "created_at"),
            campaigns,
        )
        kept = bulk.load(LearningNote, NOTE_ROW, notes)
        return kept

    def _notes(self, campaign_pk, top, deadline, launched, held, first_pk) -> list[tuple]:
        rows = []
        end = timezone.make_aware(datetime.combine(deadline, time(20)))
        members = Member.objects.filter(
            cell__path__startswith=top.path, status__in=SUMMONED
        ).values_list("pk", "cell_id")
        for member_id, cell_id in members.iterator(chunk_size=5000):
            # A cell that met every month sends nearly every note; one that met half the time,
            # about half of them.
            share = min(1.0, held.get(cell_id, 0) / 12)
            roll = self.rng.random()
            if roll > 0.15 + 0.8 * share:
                continue
            spread = (end - launched).total_seconds()
            at = launched + timedelta(seconds=self.rng.random() * spread * (1.15 - 0.3 * share))
            if at > self.now:
                continue
            status = LearningNote.Status.SUBMITTED
            comment, returned_at = "", None
            if self.rng.random() < 0.04:
                status, comment, returned_at = (
                    LearningNote.Status.RETURNED,
                    self.rng.choice(RETURN_COMMENTS),
                    at + timedelta(days=1),
                )
            rows.append(
                (first_pk + len(rows), uuid.uuid4(), campaign_pk, member_id, cell_id, status, at,
                 self.rng.choice(NOTES).format(title="nghị quyết"), self.rng.choice(PLANS), at, at,
                 comment, returned_at)
            )  # fmt: skip
        return rows

    def member_shelf(self, document_ids: list[int]) -> None:
        """The demo member's bookmarks and private notes."""
        user = User.objects.filter(username="member").select_related("member").first()
        if user is None or getattr(user, "member", None) is None:
            return
        member = user.member
        chosen = [
            self.by_number[n]
            for n in ("57-NQ/TW", "42-HD/BTCTW", "50-CT/TW", "66-NQ/TW")
            if n in self.by_number
        ]
        Bookmark.objects.bulk_create(Bookmark(member=member, document_id=pk) for pk in chosen)
        Note.objects.bulk_create(
            Note(member=member, document_id=pk, text=text)
            for pk, text in zip(chosen, MEMBER_NOTES, strict=False)
        )


MATERIALS = "Toàn văn nghị quyết trong thư viện; tài liệu hỏi - đáp của Ban Tuyên giáo."
NOTE_ROW = (
    "id", "code", "campaign_id", "member_id", "cell_id", "status", "studied_at", "note",
    "action_plan", "first_submitted_at", "submitted_at", "comment", "returned_at",
)  # fmt: skip


def generate_library(rng: random.Random, now: datetime, under: Organisation | None = None) -> int:
    """Write the demo's documents, studies and the demo member's shelf for the tree `under` an
    organisation (the whole tree if None); returns the number of documents."""
    writer = Writer(rng, now, under)
    ids = writer.documents()
    writer.studies()
    writer.member_shelf(ids)
    return len(ids)
