"""The demo's guidance: every month of the history and the next, the province's and each city's
monthly guidance, the quarter's thematic suggestions, several wards passing the city's on with
points of their own (in Khmer for the Khmer hamlets), and what each cell did with it.

Cells take guidance up as they meet (the meetings demo's habits): strong cells put the required
points on their agenda in their own words, weak ones copy them word for word or let them pass,
and a few leave a point out with a reason. The guidance is written before the meeting history,
which asks `Demo.take_up` for each meeting's extra items; the decisions are written after it.
Every row goes in with one bulk load per table.
"""

import random
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from chibo.guidance.models import Adoption, Guidance, Point
from chibo.lib import bulk
from chibo.lib.months import month_of, quarter_start, shift
from chibo.lib.months import months as month_range
from chibo.meetings.demo import STRONG, WEAK
from chibo.meetings.models import Meeting
from chibo.orgs.demo.names import KHMER_HAMLETS
from chibo.orgs.models import Organisation, Position

Kind = Point.Kind
WARD = re.compile(r"^Đảng bộ (phường|xã|thị trấn) ")
WARDS_PASSING_ON = 0.5  # of a city's wards and communes, those that add points of their own
TITLE_MAX = 200


@dataclass(frozen=True)
class Spec:
    """A point as the catalogue gives it; `adapted` are the own words of residential cells
    for it, where "{where}" is the cell's place ("khu 3"); `short` what cells of agencies,
    schools and companies call it in theirs (WORK_WORDS); `months` the calendar months it
    fits (any if empty)."""

    kind: str
    title: str
    body: str = ""
    adapted: tuple[str, ...] = ()
    months: tuple[int, ...] = ()
    required: bool = False
    short: str = ""

    def fits(self, month: date) -> bool:
        return not self.months or month.month in self.months


# -- what the province asks -----------------------------------------------------------------

STUDY = (
    Spec(
        Kind.STUDY,
        "Học tập, quán triệt Nghị quyết 57-NQ/TW về đột phá phát triển khoa học, công nghệ, "
        "đổi mới sáng tạo và chuyển đổi số quốc gia",
        "Chi bộ tổ chức cho đảng viên nghiên cứu nội dung cơ bản của Nghị quyết, liên hệ với "
        "việc ứng dụng công nghệ số trong công việc và đời sống; mỗi đảng viên đăng ký ít nhất "
        "một việc làm cụ thể.",
        (
            "Học tập Nghị quyết 57 gắn với việc triển khai dịch vụ công trực tuyến tại {where}",
            "Nghị quyết 57: mỗi đảng viên {where} hướng dẫn một hộ dân cài đặt, sử dụng VNeID",
            "Liên hệ Nghị quyết 57 với chuyển đổi số trong hoạt động của {where}",
        ),
        short="Học tập Nghị quyết 57",
    ),
    Spec(
        Kind.STUDY,
        "Học tập Nghị quyết 66-NQ/TW về đổi mới công tác xây dựng và thi hành pháp luật đáp ứng "
        "yêu cầu phát triển đất nước trong kỷ nguyên mới",
        "Nắm vững quan điểm chỉ đạo của Nghị quyết; tuyên truyền để nhân dân hiểu và chấp hành "
        "pháp luật.",
        (
            "Học tập Nghị quyết 66, tuyên truyền pháp luật đến từng hộ dân {where}",
            "Nghị quyết 66: rà soát việc chấp hành pháp luật của đảng viên và gia đình ở {where}",
        ),
        short="Học tập Nghị quyết 66",
    ),
    Spec(
        Kind.STUDY,
        "Quán triệt Chỉ thị 50-CT/TW về đổi mới, nâng cao chất lượng sinh hoạt chi bộ",
        "Mỗi kỳ sinh hoạt chọn một vấn đề thiết thực để thảo luận; giảm đọc báo cáo, tăng trao "
        "đổi; tự phê bình và phê bình thẳng thắn.",
        (
            "Chỉ thị 50: bàn cách đổi mới nội dung sinh hoạt của chi bộ {where}",
            "Thực hiện Chỉ thị 50 – mỗi kỳ sinh hoạt chọn một việc thiết thực của {where} để bàn",
        ),
        short="Thực hiện Chỉ thị 50",
    ),
    Spec(
        Kind.STUDY,
        "Học tập Nghị quyết 68-NQ/TW về phát triển kinh tế tư nhân",
        "Liên hệ với tình hình hộ kinh doanh, doanh nghiệp nhỏ trên địa bàn.",
        (
            "Nghị quyết 68: vận động hộ kinh doanh ở {where} đăng ký thành lập doanh nghiệp",
            "Học tập Nghị quyết 68, nắm khó khăn của các hộ sản xuất, kinh doanh {where}",
        ),
        short="Học tập Nghị quyết 68",
    ),
    Spec(
        Kind.STUDY,
        "Học tập Quy định 144-QĐ/TW về chuẩn mực đạo đức cách mạng của cán bộ, đảng viên trong "
        "giai đoạn mới",
        "Mỗi đảng viên tự đối chiếu với các chuẩn mực, đăng ký nội dung tu dưỡng, rèn luyện.",
        ("Đối chiếu Quy định 144 với việc tu dưỡng, rèn luyện của đảng viên {where}",),
        short="Học tập Quy định 144",
    ),
    Spec(
        Kind.STUDY,
        "Quán triệt Kết luận 21-KL/TW về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
        "Nhận diện và ngăn chặn biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống.",
        ("Kết luận 21: chi bộ {where} tự soi, tự sửa những biểu hiện suy thoái",),
        short="Quán triệt Kết luận 21",
    ),
)

# The month's topic of studying and following Hồ Chí Minh's thought, ethics and style.
HO_CHI_MINH = {
    1: "tinh thần đoàn kết, chăm lo đời sống nhân dân dịp Tết",
    2: "xây dựng Đảng trong sạch, vững mạnh (kỷ niệm ngày thành lập Đảng 3/2)",
    3: "công tác thanh niên, bồi dưỡng thế hệ cách mạng cho đời sau",
    4: "tinh thần tự lực, tự cường và khát vọng phát triển đất nước",
    5: "cần, kiệm, liêm, chính, chí công vô tư (kỷ niệm ngày sinh của Bác 19/5)",
    6: "trồng cây, bảo vệ môi trường và giữ gìn cảnh quan",
    7: "đền ơn đáp nghĩa, chăm lo thương binh, gia đình liệt sĩ",
    8: "phát huy dân chủ ở cơ sở, lắng nghe ý kiến nhân dân",
    9: "độc lập dân tộc gắn liền với chủ nghĩa xã hội (kỷ niệm Quốc khánh 2/9)",
    10: "công tác dân vận: dân vận khéo thì việc gì cũng thành công",
    11: "đại đoàn kết toàn dân tộc (Ngày hội Đại đoàn kết toàn dân tộc 18/11)",
    12: "xây dựng lực lượng vũ trang nhân dân, tình đoàn kết quân dân",
}


def ho_chi_minh(month: date) -> Spec:
    about = HO_CHI_MINH[month.month]
    return Spec(
        Kind.TOPIC,
        f"Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về {about}",
        "Chi bộ chọn tấm gương, câu chuyện về Bác phù hợp; mỗi đảng viên đăng ký một việc làm "
        "theo Bác trong tháng.",
        (
            "Làm theo Bác tháng {month}: mỗi đảng viên {where} đăng ký một việc làm cụ thể",
            "Kể chuyện Bác và liên hệ thực tế {where}",
        ),
        required=True,
        short=f"Làm theo Bác tháng {month.month}",
    )


PROVINCE_TASKS = (
    Spec(
        Kind.TASK,
        "Chủ động phòng, chống thiên tai, tìm kiếm cứu nạn mùa mưa bão",
        "Rà soát hộ dân ở nơi có nguy cơ sạt lở, ngập úng; chuẩn bị phương án “4 tại chỗ”.",
        (
            "Phương án “4 tại chỗ” phòng, chống mưa bão tại {where}",
            "Rà soát nhà yếu, điểm sạt lở ở {where} trước mùa mưa bão",
        ),
        months=(6, 7, 8, 9, 10),
        required=True,
    ),
    Spec(
        Kind.TASK,
        "Phòng cháy, chữa cháy rừng mùa khô",
        "Tuyên truyền nhân dân không đốt nương, đốt rác gần rừng; trực phòng cháy những ngày nắng.",
        ("Phân công đảng viên {where} tuyên truyền phòng cháy rừng mùa khô",),
        months=(11, 12, 1, 2, 3, 4),
    ),
    Spec(
        Kind.TASK,
        "Chăm lo Tết cho gia đình chính sách, hộ nghèo; giữ gìn an ninh trật tự dịp Tết",
        "",
        ("Thăm, tặng quà Tết các gia đình chính sách, hộ nghèo ở {where}",),
        months=(12, 1, 2),
        required=True,
    ),
    Spec(
        Kind.TASK,
        "Tuyển chọn và gọi công dân nhập ngũ, tổ chức giao nhận quân chu đáo",
        "",
        ("Động viên thanh niên {where} lên đường nhập ngũ",),
        months=(1, 2),
    ),
    Spec(
        Kind.CAMPAIGN,
        "Hưởng ứng Tháng hành động vì môi trường",
        "",
        ("Ra quân làm sạch môi trường {where} hưởng ứng Tháng hành động vì môi trường",),
        months=(6,),
    ),
    Spec(
        Kind.TASK,
        "Kỷ niệm Ngày Thương binh – Liệt sĩ 27/7: thăm hỏi, tri ân người có công",
        "",
        ("Thăm hỏi, tặng quà người có công ở {where} nhân ngày 27/7",),
        months=(7,),
        required=True,
    ),
    Spec(
        Kind.CAMPAIGN,
        "Cao điểm vận động Quỹ “Vì người nghèo”",
        "",
        ("Đảng viên {where} gương mẫu ủng hộ Quỹ “Vì người nghèo”",),
        months=(10, 11),
    ),
    Spec(
        Kind.TASK,
        "Kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên cuối năm",
        "",
        ("Chuẩn bị bản kiểm điểm cuối năm của chi bộ {where}",),
        months=(12,),
        required=True,
    ),
    Spec(
        Kind.TASK,
        "Tuyên truyền, vận động nhân dân dùng dịch vụ công trực tuyến và thanh toán không dùng "
        "tiền mặt",
        "",
        ("Hướng dẫn người dân {where} nộp hồ sơ trực tuyến, thanh toán qua ngân hàng",),
    ),
    Spec(
        Kind.TASK,
        "Thu, nộp đảng phí đúng quy định; quản lý đảng viên đi làm ăn xa",
        "",
        ("Rà soát đảng viên {where} đi làm ăn xa, thu đảng phí đúng hạn",),
    ),
)

# -- what a city or district asks ----------------------------------------------------------

CITY_TASKS = (
    Spec(
        Kind.TASK,
        "Lập lại trật tự đô thị, lòng đường, vỉa hè trên địa bàn {unit}",
        "",
        (
            "Vận động các hộ kinh doanh ở {where} không lấn chiếm vỉa hè",
            "Đảng viên {where} gương mẫu giữ trật tự đô thị trước nhà mình",
        ),
        required=True,
    ),
    Spec(
        Kind.TASK,
        "Xây dựng nông thôn mới kiểu mẫu, đô thị văn minh trên địa bàn {unit}",
        "",
        ("Chỉnh trang đường, ngõ ở {where} theo tiêu chí nông thôn mới kiểu mẫu",),
    ),
    Spec(
        Kind.TASK,
        "Bảo đảm an ninh trật tự, an toàn giao thông mùa lễ hội đầu xuân ở {unit}",
        "",
        ("Phân công đảng viên {where} tham gia giữ trật tự mùa lễ hội",),
        months=(1, 2, 3),
        required=True,
    ),
    Spec(
        Kind.CAMPAIGN,
        "Phân loại rác thải tại nguồn trong khu dân cư",
        "",
        ("Ra mắt mô hình phân loại rác tại nguồn ở {where}",),
    ),
    Spec(
        Kind.TASK,
        "Phòng, chống ma túy và tội phạm trong thanh thiếu niên",
        "",
        ("Nắm danh sách thanh thiếu niên {where} có nguy cơ, phân công đảng viên giúp đỡ",),
        required=True,
    ),
    Spec(
        Kind.CAMPAIGN,
        "Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”",
        "",
        ("Bình xét gia đình văn hóa ở {where}",),
    ),
    Spec(
        Kind.TASK,
        "An toàn lao động, phòng chống cháy nổ trong sản xuất",
        "",
        ("Kiểm tra an toàn lao động tại {where}",),
    ),
    Spec(
        Kind.TASK,
        "Chuẩn bị năm học mới, vận động trẻ em đến trường",
        "",
        ("Rà soát trẻ em {where} đến tuổi đi học",),
        months=(8, 9),
        required=True,
    ),
    Spec(
        Kind.CAMPAIGN,
        "Cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam”",
        "",
        ("Đảng viên {where} ưu tiên dùng hàng Việt Nam",),
    ),
)

# The quarter's thematic meeting: suggestions from the province.
THEMES = (
    Spec(
        Kind.THEME,
        "Sinh hoạt chuyên đề: vai trò của chi bộ trong giữ gìn vệ sinh môi trường nơi ở",
        "",
        ("Chuyên đề: chi bộ {where} với việc giữ gìn vệ sinh môi trường",),
    ),
    Spec(
        Kind.THEME,
        "Sinh hoạt chuyên đề: nâng cao tính tiên phong, gương mẫu của đảng viên",
        "",
        ("Chuyên đề: đảng viên {where} nêu gương trong việc nhỏ hằng ngày",),
    ),
    Spec(
        Kind.THEME,
        "Sinh hoạt chuyên đề: chuyển đổi số trong đời sống và công việc của đảng viên",
        "",
        ("Chuyên đề: chuyển đổi số ở {where} – đảng viên đi trước",),
    ),
    Spec(
        Kind.THEME,
        "Sinh hoạt chuyên đề: giải quyết những việc dân cần, dân mong ở địa bàn",
        "",
        ("Chuyên đề: những việc nhân dân {where} mong chi bộ giải quyết",),
    ),
    Spec(
        Kind.THEME,
        "Sinh hoạt chuyên đề: phòng, chống tham nhũng, tiêu cực ở cơ sở",
        "",
        ("Chuyên đề: công khai, minh bạch các khoản thu, chi ở {where}",),
    ),
)

# -- what a ward or commune adds --------------------------------------------------------------

WARD_POINTS = (
    Spec(Kind.TASK, "Ra quân tổng vệ sinh môi trường các khu dân cư của {ward}", required=True),
    Spec(Kind.TASK, "Rà soát, cập nhật hộ nghèo, cận nghèo năm {year}", months=(9, 10, 11)),
    Spec(Kind.TASK, "Vận động nhân dân hiến đất, góp công mở rộng đường ngõ"),
    Spec(Kind.TASK, "Lắp đặt camera an ninh ở các tuyến ngõ theo mô hình “Camera với an ninh”"),
    Spec(
        Kind.TASK,
        "Nắm và tổng hợp kiến nghị của cử tri trước kỳ họp Hội đồng nhân dân",
        months=(5, 6, 11, 12),
        required=True,
    ),
    Spec(Kind.TASK, "Tuyên truyền cài đặt và sử dụng tài khoản định danh điện tử VNeID"),
    Spec(Kind.CAMPAIGN, "Chuẩn bị Ngày hội Đại đoàn kết ở khu dân cư", months=(10, 11)),
)

# For the Khmer hamlets, their commune writes in Khmer, and they answer in Khmer.
KHMER_TITLE = "ការណែនាំខ្លឹមសារប្រជុំកោសិកាបក្ស ខែ {month:%m/%Y}"
KHMER_POINTS = (
    Spec(
        Kind.STUDY,
        "សិក្សាសេចក្តីសម្រេចចិត្តលេខ 57-NQ/TW ជាភាសាខ្មែរ ស្តីពីការអភិវឌ្ឍវិទ្យាសាស្ត្រ បច្ចេកវិទ្យា និងការផ្លាស់ប្តូរឌីជីថល",
        "កោសិកាបក្សអានឯកសារជាភាសាខ្មែរ ហើយពិភាក្សាអំពីរបៀបជួយប្រជាជនក្នុងភូមិប្រើទូរស័ព្ទឆ្លាតវៃ។",
        (
            "សិក្សាសេចក្តីសម្រេចចិត្តលេខ 57 ភ្ជាប់នឹងការជួយប្រជាជនក្នុងភូមិប្រើសេវាសាធារណៈតាមអនឡាញ",
            "បក្សជនម្នាក់ៗជួយគ្រួសារមួយក្នុងភូមិដំឡើងកម្មវិធី VNeID",
        ),
        required=True,
    ),
    Spec(
        Kind.TASK,
        "រៀបចំពិធីបុណ្យចូលឆ្នាំថ្មីប្រពៃណីជាតិ ឲ្យមានសុវត្ថិភាព សប្បាយរីករាយ និងសន្សំសំចៃ",
        "",
        (
            "ចាត់បក្សជនជួយវត្តរៀបចំបុណ្យចូលឆ្នាំថ្មី",
            "ថែរក្សាសណ្តាប់ធ្នាប់ និងសុវត្ថិភាពចរាចរណ៍ក្នុងភូមិពេលបុណ្យចូលឆ្នាំថ្មី",
        ),
        months=(3, 4),
        required=True,
    ),
    Spec(
        Kind.TASK,
        "រៀបចំបុណ្យសែនដូនតាឲ្យបានសមរម្យ និងយកចិត្តទុកដាក់គ្រួសារក្រីក្រ",
        "",
        ("សួរសុខទុក្ខគ្រួសារក្រីក្រក្នុងភូមិ ក្នុងឱកាសបុណ្យសែនដូនតា",),
        months=(9, 10),
        required=True,
    ),
    Spec(
        Kind.CAMPAIGN,
        "ត្រៀមបុណ្យអកអំបុក និងការប្រណាំងទូកង ឲ្យមានសុវត្ថិភាព",
        "",
        ("ជួយក្រុមទូកងរបស់ភូមិហ្វឹកហាត់សម្រាប់បុណ្យអកអំបុក",),
        months=(10, 11),
    ),
    Spec(
        Kind.TASK,
        "ការពារស្រូវពីគ្រោះរាំងស្ងួត និងទឹកប្រៃចូល",
        "",
        ("ពិភាក្សាជាមួយប្រជាជនអំពីការស្តុកទឹកសាបសម្រាប់រដូវប្រាំង",),
        months=(1, 2, 3, 4, 5),
    ),
    Spec(
        Kind.TASK,
        "លើកទឹកចិត្តកុមារ និងយុវជនឲ្យរៀនអក្សរខ្មែរនៅវត្ត ក្នុងរដូវវិស្សមកាល",
        "",
        ("បក្សជនចុះជួបគ្រួសារនីមួយៗ ដើម្បីលើកទឹកចិត្តកុមាររៀនអក្សរខ្មែរនៅវត្ត",),
        months=(6, 7, 8),
    ),
    Spec(
        Kind.TASK,
        "ឃោសនាប្រជាជនឲ្យចូលរួមធានារ៉ាប់រងសុខភាព",
        "",
        ("ចុះបញ្ជីគ្រួសារក្នុងភូមិដែលមិនទាន់មានប័ណ្ណធានារ៉ាប់រងសុខភាព",),
    ),
    Spec(
        Kind.TASK,
        "ថែរក្សាសន្តិសុខ សណ្តាប់ធ្នាប់ និងសាមគ្គីភាពរវាងជនជាតិក្នុងភូមិ",
        "",
        ("ជួបជាមួយព្រះចៅអធិការវត្ត និងអាចារ្យ ដើម្បីថែរក្សាសាមគ្គីភាពក្នុងភូមិ",),
    ),
)
# How cells of agencies, schools, companies and the forces put a point in their own words.
WORK_WORDS = (
    "{short}: liên hệ với nhiệm vụ của {where}",
    "{short} – đảng viên {where} đăng ký việc làm cụ thể",
    "{short}: chi bộ {where} bàn cách thực hiện",
)
RESIDENTIAL = {Organisation.Category.RESIDENTIAL, Organisation.Category.VILLAGE}
# How a Khmer hamlet puts a point written in Vietnamese on its agenda.
KHMER_ADOPTED = "ពិភាក្សា និងអនុវត្តក្នុងភូមិ៖ {title}"

REASONS = (
    "Đã học tập tại hội nghị đảng bộ {ward}",
    "Chi bộ đã sinh hoạt nội dung này tháng trước",
    "Đảng viên phần lớn cao tuổi, chi bộ lồng ghép vào kỳ sinh hoạt sau",
    "Nội dung chưa sát với nhiệm vụ của chi bộ, đã báo cáo cấp ủy cấp trên",
    "Đã triển khai đến từng đảng viên qua hội nghị trực tuyến",
)
KHMER_REASONS = (
    "បានសិក្សារួចហើយនៅក្នុងសន្និបាតបក្សឃុំ",
    "កោសិកាបក្សនឹងលើកយកមកពិភាក្សានៅខែក្រោយ",
)


@dataclass
class Issued:
    """A point written, as the cells' decisions need it."""

    pk: int
    guidance_pk: int
    lineage: uuid.UUID
    spec: Spec
    title: str
    body: str
    required: bool
    months: list[date]
    khmer: bool = False


@dataclass
class Taken:
    """How a cell takes guidance up: chances for a required point, a suggested one, and of
    putting it in its own words rather than the committee's."""

    required: float
    suggested: float
    own_words: float
    left_out: float  # chance a required point not taken up is left out with a reason


TAKES = {
    STRONG: Taken(0.98, 0.5, 0.95, 0.8),
    WEAK: Taken(0.3, 0.05, 0.0, 0.08),
}
ORDINARY = Taken(0.95, 0.25, 0.5, 0.3)
# Next month's meetings are planned now: some cells have decided already, others have not.
DECIDED_AHEAD = 0.4


@dataclass
class Demo:
    """The guidance written, and the decisions of the cells as the history asks for them."""

    rng: random.Random
    now: datetime
    monthly: dict[tuple[str, date], list[Issued]] = field(default_factory=lambda: defaultdict(list))
    quarterly: dict[tuple[str, date], list[Issued]] = field(
        default_factory=lambda: defaultdict(list)
    )
    khmer: dict[tuple[str, date], list[Issued]] = field(default_factory=lambda: defaultdict(list))
    # "phường Quang Trung", by path, for the reasons cells give.
    ward_names: dict[str, str] = field(default_factory=dict)
    adoptions: list[tuple] = field(default_factory=list)

    # -- the cells' decisions -------------------------------------------------------------

    def take_up(self, cell: Organisation, meeting: Meeting, take) -> list[tuple[int, str, str]]:
        """The meetings history's `extra`: the items `cell` adds to `meeting`'s agenda for the
        guidance of its month, its decisions kept to be written by `record`."""
        month = month_of(meeting.starts_at)
        khmer = cell.name.removeprefix("Chi bộ ") in KHMER_HAMLETS
        points = []
        for path in cell.ancestor_paths():
            points += self.monthly.get((path, month), [])
            if month.month % 3 == 0:  # the quarter's suggestions, at its last meeting
                points += self.quarterly.get((path, quarter_start(month)), [])
            if khmer:
                points += self.khmer.get((path, month), [])
        if not points:
            return []
        held = meeting.status == Meeting.Status.CLOSED
        if not held and self.rng.random() > DECIDED_AHEAD:
            return []  # still open: the secretary has yet to decide
        taken = TAKES.get(cell.habit, ORDINARY)
        items = []
        for point in points:
            chance = taken.required if point.required else taken.suggested
            if point.spec.kind == Kind.THEME and meeting.kind == Meeting.Kind.REGULAR:
                chance = 0  # a suggestion for the thematic meeting, which this month is not
            if self.rng.random() < chance:
                title = self.worded(point, cell, month, khmer, taken)
                pk = take()
                items.append((pk, title, "" if title != point.title else point.body))
                self.decide(cell, meeting, point, pk, "")
            elif point.required and self.rng.random() < taken.left_out:
                reasons = KHMER_REASONS if khmer else REASONS
                ward = self.ward_names.get(cell.path[: -Organisation.steplen], "cơ sở")
                reason = self.rng.choice(reasons).format(ward=ward)
                self.decide(cell, meeting, point, None, reason)
        return items

    def worded(
        self, point: Issued, cell: Organisation, month: date, khmer: bool, taken: Taken
    ) -> str:
        """The item's title: the cell's own words, or the point's, copied."""
        if self.rng.random() >= taken.own_words:
            return point.title
        if khmer and not point.khmer:
            return clip(KHMER_ADOPTED.format(title=point.title))
        where = cell.name.removeprefix("Chi bộ ")
        if point.khmer or (cell.category in RESIDENTIAL and point.spec.adapted):
            words = self.rng.choice(point.spec.adapted or (point.title,))
        else:
            words = self.rng.choice(WORK_WORDS).replace("{short}", point.spec.short or point.title)
        return clip(words.format(where=where, month=month.month))

    def decide(
        self, cell: Organisation, meeting: Meeting, point: Issued, item: int | None, reason: str
    ) -> None:
        at = meeting.published_at or meeting.starts_at
        by = meeting.preparer_id
        self.adoptions.append((cell.pk, point.pk, point.lineage, meeting.pk, item, reason, by, at))

    def record(self) -> int:
        """Write the decisions the history asked for; returns how many."""
        columns = (
            "cell_id",
            "point_id",
            "lineage",
            "meeting_id",
            "item_id",
            "reason",
            "decided_by_id",
            "decided_at",
        )
        return bulk.load(Adoption, columns, self.adoptions)


def clip(text: str) -> str:
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rstrip() + "…"


def generate_guidance(
    rng: random.Random, now: datetime, months: int = 24, under: Organisation | None = None
) -> Demo:
    """Write the guidance of `months` months up to `now` and of the next month (as the
    meetings history spans them), for the tree `under` an organisation (the whole tree if
    None); returns the `Demo` whose `take_up` the history calls and whose `record` writes the
    cells' decisions afterwards."""
    return Writer(rng, now, months, under).write()


class Writer:
    GUIDANCE = (
        "id",
        "committee_id",
        "period",
        "month",
        "title",
        "passes_on_id",
        "lineage",
        "status",
        "written_by_id",
        "published_by_id",
        "published_at",
    )
    POINT = ("id", "guidance_id", "position", "kind", "required", "title", "body", "lineage")

    def __init__(self, rng, now, months, under) -> None:
        self.rng = rng
        self.now = now
        this_month = month_of(timezone.localdate(now))
        self.months = month_range(shift(this_month, -months), shift(this_month, 1))
        self.guidance_pk = bulk.next_id(Guidance)
        self.point_pk = bulk.next_id(Point)
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.demo = Demo(random.Random(rng.random()), now)
        tops = [under] if under is not None else list(Organisation.objects.get_root_nodes())
        committees = Organisation.objects.committees()
        self.tops = [top for top in tops if top.kind == Organisation.Kind.COMMITTEE]
        self.units = {
            top.path: list(committees.filter(path__startswith=top.path, depth=top.depth + 1))
            for top in self.tops
        }
        self.wards = {
            unit.path: [
                ward
                for ward in committees.filter(path__startswith=unit.path, depth=unit.depth + 1)
                if WARD.match(ward.name)
            ]
            for units in self.units.values()
            for unit in units
        }
        self.demo.ward_names = {
            ward.path: ward.name.removeprefix("Đảng bộ ")
            for wards in self.wards.values()
            for ward in wards
        }
        names = [f"Chi bộ {hamlet}" for hamlet in KHMER_HAMLETS]
        self.khmer_cells: dict[str, list[int]] = defaultdict(list)
        for cell in Organisation.objects.cells().filter(name__in=names).order_by("path"):
            self.khmer_cells[cell.path[: -Organisation.steplen]].append(cell.pk)
        self.secretaries = dict(
            Position.objects.current(timezone.localdate(now))
            .filter(kind=Position.Kind.SECRETARY, organisation__kind=Organisation.Kind.COMMITTEE)
            .values_list("organisation_id", "member_id")
        )

    def write(self) -> Demo:
        for top in self.tops:
            # The wards that add points of their own: half of them, and the Khmer hamlets'.
            passing = {
                ward.pk
                for unit in self.units[top.path]
                for ward in self.wards[unit.path]
                if self.rng.random() < WARDS_PASSING_ON or ward.path in self.khmer_cells
            }
            for month in self.months:
                self.month(top, month, passing)
            for quarter in sorted({quarter_start(m) for m in self.months}):
                self.quarter(top, quarter)
        bulk.load(Guidance, self.GUIDANCE, self.rows["guidance"])
        bulk.load(Point, self.POINT, self.rows["points"])
        bulk.load(Guidance.parts.through, ("guidance_id", "organisation_id"), self.rows["parts"])
        return self.demo

    def month(self, top: Organisation, month: date, passing: set[int]) -> None:
        title = f"Hướng dẫn nội dung sinh hoạt chi bộ tháng {month:%m/%Y}"
        study = STUDY[(month.year * 12 + month.month) % len(STUDY)]
        tasks = [s for s in PROVINCE_TASKS if s.fits(month)]
        specs = [study, ho_chi_minh(month), *self.rng.sample(tasks, min(len(tasks), self.n(1, 3)))]
        province = self.issue(top, month, title, specs, None, day=(8, 12), required=True)
        self.demo.monthly[(top.path, month)] += province
        for unit in self.units[top.path]:
            words = {"unit": unit.name.removeprefix("Đảng bộ ")}
            # One of the city's required tasks at least, then others of any kind.
            tasks = [s for s in CITY_TASKS if s.fits(month)]
            first = self.rng.choice([s for s in tasks if s.required])
            others = [s for s in tasks if s is not first]
            specs = [first, *self.rng.sample(others, self.n(2, 4))]
            city = self.issue(unit, month, title, specs, province, day=(13, 16), words=words)
            self.demo.monthly[(unit.path, month)] += city
            for ward in self.wards[unit.path]:
                if ward.pk not in passing:
                    continue
                words = {"ward": ward.name.removeprefix("Đảng bộ "), "year": month.year}
                tasks = [s for s in WARD_POINTS if s.fits(month)]
                specs = self.rng.sample(tasks, self.n(1, 2))
                own = self.issue(ward, month, title, specs, city, day=(17, 19), words=words)
                self.demo.monthly[(ward.path, month)] += own
                if cells := self.khmer_cells.get(ward.path):
                    self.in_khmer(ward, month, cells)

    def in_khmer(self, ward: Organisation, month: date, cells: list[int]) -> None:
        """The commune's guidance to its Khmer hamlets alone, in Khmer."""
        tasks = [s for s in KHMER_POINTS[1:] if s.fits(month)]
        specs = [KHMER_POINTS[0], *self.rng.sample(tasks, 1)]
        title = KHMER_TITLE.format(month=month)
        written = self.issue(ward, month, title, specs, None, day=(20, 21), khmer=True)
        self.rows["parts"] += [(written[0].guidance_pk, cell) for cell in cells]
        self.demo.khmer[(ward.path, month)] += written

    def quarter(self, top: Organisation, quarter: date) -> None:
        number = (quarter.month - 1) // 3 + 1
        title = f"Định hướng sinh hoạt chuyên đề quý {number}/{quarter.year}"
        specs = self.rng.sample(THEMES, 2)
        written = self.issue(
            top, quarter, title, specs, None, day=(1, 5), period=Guidance.Period.QUARTER
        )
        self.demo.quarterly[(top.path, quarter)] += written

    def n(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def issue(
        self,
        committee: Organisation,
        month: date,
        title: str,
        specs: list[Spec],
        passes_on: list[Issued] | None,
        day: tuple[int, int],
        words: dict | None = None,
        required: bool = False,
        khmer: bool = False,
        period: str = Guidance.Period.MONTH,
    ) -> list[Issued]:
        """Queue the committee's published guidance and its points; returns the points."""
        pk = self.guidance_pk
        self.guidance_pk += 1
        # Published in the month before the one it is for, never after the demo's `now`.
        sent = shift(month, -1).replace(day=self.rng.randint(*day))
        at = timezone.make_aware(datetime.combine(sent, time(8))) + timedelta(
            minutes=self.rng.randint(0, 540)
        )
        at = min(at, self.now - timedelta(hours=self.rng.randint(2, 30)))
        secretary = self.secretaries.get(committee.pk)
        self.rows["guidance"].append(
            (
                pk,
                committee.pk,
                period,
                month,
                title,
                passes_on[0].guidance_pk if passes_on else None,
                self.uuid(),
                Guidance.Status.PUBLISHED,
                secretary,
                secretary,
                at,
            )
        )
        months = [month] if period == Guidance.Period.MONTH else month_range(month, shift(month, 2))
        issued = []
        for position, spec in enumerate(specs, start=1):
            text = clip(spec.title.format(**(words or {})))
            # The province's first points (the resolution, the month's topic) are required.
            must = spec.required or (required and position <= 2)
            point = Issued(
                self.point_pk, pk, self.uuid(), spec, text, spec.body, must, months, khmer
            )
            self.point_pk += 1
            self.rows["points"].append(
                (point.pk, pk, position, spec.kind, must, text, spec.body, point.lineage)
            )
            issued.append(point)
        return issued

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)
