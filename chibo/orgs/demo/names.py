"""Data for the demo: Vietnamese names, places of Quảng Ninh and the kinds of party organisation.

Names are data, not interface strings: they stay in Vietnamese whatever the user's language.
Weights are rough shares of the population (Nguyễn is about a third of Vietnamese).
"""

from typing import NamedTuple

FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 31.5,
    "Trần": 10.9,
    "Lê": 9.5,
    "Phạm": 7.0,
    "Hoàng": 5.1,
    "Vũ": 3.9,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Ngô": 1.3,
    "Phan": 1.2,
    "Dương": 1.0,
    "Đinh": 0.9,
    "Đào": 0.9,
    "Hồ": 0.8,
    "Lương": 0.7,
    "Trịnh": 0.7,
    "Đoàn": 0.6,
    "Mai": 0.6,
    "Hà": 0.6,
    "Lý": 0.5,
    "Tạ": 0.4,
    "Cao": 0.4,
    "Lưu": 0.4,
    "Tô": 0.3,
    "Chu": 0.3,
    "Nông": 0.3,
    "Vương": 0.3,
    "Phùng": 0.3,
    "Mạc": 0.2,
    "Đàm": 0.2,
    "Lại": 0.2,
    "Quách": 0.2,
    "Triệu": 0.2,
    "Văn": 0.2,
    "Khúc": 0.1,
    "Nghiêm": 0.1,
    "Kiều": 0.1,
    "Thân": 0.1,
}

MALE_MIDDLE_NAMES: dict[str, float] = {
    "Văn": 40,
    "Đức": 8,
    "Minh": 6,
    "Quang": 5,
    "Hữu": 5,
    "Xuân": 4,
    "Công": 4,
    "Đình": 4,
    "Thanh": 4,
    "Ngọc": 3,
    "Mạnh": 3,
    "Tiến": 3,
    "Quốc": 3,
    "Trung": 2,
    "Duy": 2,
    "Anh": 2,
    "Hồng": 2,
    "Việt": 2,
    "Trọng": 2,
    "Thế": 2,
    "Bá": 1,
    "Hải": 1,
    "Kim": 1,
    "Chí": 1,
}

FEMALE_MIDDLE_NAMES: dict[str, float] = {
    "Thị": 50,
    "Thu": 5,
    "Thanh": 5,
    "Ngọc": 4,
    "Hồng": 4,
    "Minh": 3,
    "Phương": 3,
    "Kim": 3,
    "Thúy": 2,
    "Bích": 2,
    "Mai": 2,
    "Hải": 2,
    "Khánh": 2,
    "Thùy": 2,
    "Xuân": 2,
    "Diệu": 1,
    "Quỳnh": 1,
    "Lan": 1,
    "Hoài": 1,
    "Thảo": 1,
}

MALE_GIVEN_NAMES: tuple[str, ...] = (
    "An", "Anh", "Bách", "Bảo", "Bình", "Chiến", "Chính", "Công", "Cường", "Đại", "Đạt",
    "Định", "Đông", "Đức", "Dũng", "Dương", "Duy", "Giang", "Hà", "Hải", "Hào", "Hậu", "Hiển",
    "Hiệp", "Hiếu", "Hòa", "Hoàng", "Học", "Hùng", "Hưng", "Huy", "Khang", "Khánh", "Khoa",
    "Khôi", "Kiên", "Lâm", "Lực", "Long", "Lợi", "Luân", "Mạnh", "Minh", "Nam", "Nghĩa",
    "Ngọc", "Nguyên", "Nhân", "Phong", "Phúc", "Phương", "Quân", "Quang", "Quý", "Quyết",
    "Sơn", "Tài", "Tâm", "Tân", "Thái", "Thắng", "Thành", "Thanh", "Thiện", "Thịnh", "Thọ",
    "Thuận", "Tiến", "Toàn", "Trí", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh",
    "Vũ", "Vượng", "Xuân",
)  # fmt: skip

FEMALE_GIVEN_NAMES: tuple[str, ...] = (
    "An", "Anh", "Ánh", "Bích", "Châm", "Chi", "Cúc", "Diệp", "Dung", "Duyên", "Giang", "Hà",
    "Hạnh", "Hằng", "Hậu", "Hiền", "Hoa", "Hoài", "Hồng", "Huệ", "Hương", "Hường", "Huyền",
    "Lan", "Liên", "Liễu", "Linh", "Loan", "Lụa", "Lý", "Mai", "Minh", "My", "Nga", "Ngân",
    "Ngọc", "Nguyệt", "Nhàn", "Nhung", "Oanh", "Phương", "Phượng", "Quyên", "Quỳnh", "Sen",
    "Tâm", "Thảo", "Thắm", "Thanh", "Thơ", "Thoa", "Thu", "Thủy", "Thúy", "Thư", "Trang",
    "Trinh", "Tuyết", "Uyên", "Vân", "Xuân", "Yến",
)  # fmt: skip

# Syllables of generated place names ("Hồng Hải", "Cao Thắng"), in the manner of Quảng Ninh.
PLACE_SYLLABLES: tuple[str, ...] = (
    "An", "Bạch", "Bắc", "Bình", "Cao", "Cẩm", "Châu", "Đại", "Định", "Đông", "Đồng", "Dương",
    "Đức", "Giếng", "Hà", "Hải", "Hiệp", "Hòa", "Hoành", "Hoàng", "Hồng", "Hùng", "Hưng", "Kết",
    "Khe", "Kim", "Lạc", "Lâm", "Liên", "Lộc", "Lợi", "Long", "Mạo", "Minh", "Mỹ", "Nam",
    "Nhất", "Phong", "Phú", "Phúc", "Quảng", "Sơn", "Tân", "Tây", "Thạch", "Thành", "Thắng",
    "Thống", "Thủy", "Tiến", "Tràng", "Trung", "Tuần", "Việt", "Vĩnh", "Xuân", "Yên",
)  # fmt: skip


class LevelName(NamedTuple):
    name: str
    name_en: str
    name_km: str
    # Rule 14: meetings a committee member of this level attends a year (the locality's choice).
    supervision_visits: int


LEVELS: dict[str, LevelName] = {
    "central": LevelName("Trung ương", "Central", "មជ្ឈិម", 1),
    "province": LevelName("Tỉnh ủy", "Province", "ខេត្ត", 2),
    "city": LevelName("Thành ủy", "City", "ក្រុង", 4),
    "town": LevelName("Thị ủy", "Town", "ទីប្រជុំ", 4),
    "district": LevelName("Huyện ủy", "District", "ស្រុក", 4),
    "grassroots": LevelName("Đảng bộ cơ sở", "Grassroots committee", "មូលដ្ឋាន", 6),
    "cell": LevelName("Chi bộ", "Cell", "កោសិកាបក្ស", 2),
}

PROVINCE = "Quảng Ninh"
PROVINCE_REF = "QN"


class Unit(NamedTuple):
    """A city, town or district of the province: the tier between province and grassroots."""

    ref: str
    name: str
    level: str  # a key of LEVELS
    kind: str  # how the unit is called in an organisation's name
    weight: float  # share of the province's cells, Uông Bí excepted
    mining: bool  # has coal mines and power plants among its grassroots committees


UONG_BI = "UB"

# The thirteen cities, towns and districts of Quảng Ninh before the 2025 reorganisation.
UNITS: tuple[Unit, ...] = (
    Unit("HL", "Hạ Long", "city", "thành phố", 2.6, True),
    Unit("CP", "Cẩm Phả", "city", "thành phố", 1.9, True),
    Unit(UONG_BI, "Uông Bí", "city", "thành phố", 0, True),
    Unit("MC", "Móng Cái", "city", "thành phố", 0.9, False),
    Unit("DT", "Đông Triều", "city", "thành phố", 1.3, True),
    Unit("QY", "Quảng Yên", "town", "thị xã", 1.2, False),
    Unit("VD", "Vân Đồn", "district", "huyện", 0.5, False),
    Unit("TY", "Tiên Yên", "district", "huyện", 0.45, False),
    Unit("DH", "Đầm Hà", "district", "huyện", 0.35, False),
    Unit("HH", "Hải Hà", "district", "huyện", 0.5, False),
    Unit("BL", "Bình Liêu", "district", "huyện", 0.3, False),
    Unit("BC", "Ba Chẽ", "district", "huyện", 0.25, False),
    Unit("CT", "Cô Tô", "district", "huyện", 0.1, False),
)


class Sector(NamedTuple):
    """A kind of grassroots organisation and how the cells inside it are named.

    `fixed` cells come first; then `numbered` patterns take turns, each with its own count,
    so a coal company grows "Phân xưởng Khai thác 1", "Phân xưởng Đào lò 1", … as needed.
    """

    category: str  # an Organisation.Category value for the committee and its cells
    fixed: tuple[str, ...]
    numbered: tuple[str, ...]


SECTORS: dict[str, Sector] = {
    "party_office": Sector(
        "agency",
        ("Văn phòng", "Ban Tổ chức", "Ban Tuyên giáo và Dân vận", "Ủy ban Kiểm tra"),
        ("Trung tâm Chính trị {n}",),
    ),
    "government": Sector(
        "agency",
        (
            "Văn phòng HĐND và UBND",
            "Phòng Tài chính – Kế hoạch",
            "Phòng Quản lý đô thị",
            "Phòng Tài nguyên và Môi trường",
            "Phòng Giáo dục và Đào tạo",
            "Phòng Kinh tế",
            "Phòng Văn hóa và Thông tin",
            "Phòng Nội vụ",
            "Phòng Lao động – Thương binh và Xã hội",
            "Thanh tra",
            "Phòng Tư pháp",
            "Trung tâm Văn hóa – Thể thao",
            "Ban Quản lý dự án đầu tư xây dựng",
        ),
        ("Trung tâm Dịch vụ công {n}",),
    ),
    "front": Sector(
        "agency",
        (
            "Ủy ban Mặt trận Tổ quốc",
            "Hội Liên hiệp Phụ nữ",
            "Hội Cựu chiến binh",
            "Liên đoàn Lao động",
            "Đoàn Thanh niên",
        ),
        ("Hội Nông dân {n}",),
    ),
    "justice": Sector(
        "agency",
        ("Tòa án nhân dân", "Viện Kiểm sát nhân dân", "Chi cục Thi hành án dân sự"),
        ("Văn phòng Công chứng số {n}",),
    ),
    "tax": Sector(
        "agency",
        ("Đội Hành chính – Nghiệp vụ", "Đội Kiểm tra thuế", "Đội Quản lý nợ"),
        ("Đội Thuế liên phường số {n}",),
    ),
    "heritage": Sector(
        "agency",
        ("Ban Quản lý di tích", "Hạt Kiểm lâm rừng quốc gia", "Trung tâm Dịch vụ du lịch"),
        ("Trạm Bảo vệ rừng số {n}",),
    ),
    "police": Sector(
        "armed_forces",
        (
            "Đội Tham mưu – Tổng hợp",
            "Đội An ninh",
            "Đội Cảnh sát hình sự",
            "Đội Cảnh sát kinh tế",
            "Đội Cảnh sát giao thông",
            "Đội Cảnh sát phòng cháy chữa cháy",
            "Đội Cảnh sát điều tra tội phạm về ma túy",
            "Đội Quản lý hành chính",
            "Nhà tạm giữ",
        ),
        ("Đồn Công an khu vực {n}",),
    ),
    "military": Sector(
        "armed_forces",
        ("Cơ quan Quân sự", "Ban Hậu cần – Kỹ thuật"),
        ("Đại đội Dân quân thường trực {n}",),
    ),
    "hospital": Sector(
        "health",
        (
            "Khối Hành chính",
            "Khoa Khám bệnh",
            "Khoa Cấp cứu",
            "Khoa Nội",
            "Khoa Ngoại",
            "Khoa Sản",
            "Khoa Nhi",
            "Khoa Hồi sức tích cực – Chống độc",
            "Khoa Xét nghiệm",
            "Khoa Chẩn đoán hình ảnh",
            "Khoa Dược",
            "Khoa Gây mê hồi sức",
        ),
        ("Khoa Điều trị theo yêu cầu {n}",),
    ),
    "health_centre": Sector(
        "health",
        ("Khối Văn phòng", "Khoa Kiểm soát bệnh tật", "Khoa An toàn thực phẩm"),
        ("Trạm Y tế khu vực {n}",),
    ),
    "college": Sector(
        "school",
        ("Khối Văn phòng", "Phòng Đào tạo", "Khoa Cơ khí", "Khoa Điện", "Khoa Xây dựng"),
        ("Khoa Kỹ thuật {n}",),
    ),
    "schools": Sector(
        "school",
        ("Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên",),
        ("Trường Trung học phổ thông số {n}", "Trường Trung học cơ sở số {n}"),
    ),
    "coal": Sector(
        "enterprise",
        (
            "Khối Văn phòng",
            "Phòng Kỹ thuật",
            "Phân xưởng Cơ điện",
            "Phân xưởng Vận tải lò",
            "Phân xưởng Thông gió – Thoát nước",
            "Phân xưởng Sàng tuyển",
        ),
        ("Phân xưởng Khai thác {n}", "Phân xưởng Đào lò {n}"),
    ),
    "power": Sector(
        "enterprise",
        (
            "Khối Văn phòng",
            "Phân xưởng Vận hành 1",
            "Phân xưởng Vận hành 2",
            "Phân xưởng Nhiên liệu",
            "Phân xưởng Hóa",
            "Phân xưởng Điện – Kiểm nhiệt",
        ),
        ("Phân xưởng Sửa chữa {n}",),
    ),
    "industry": Sector(
        "enterprise",
        ("Khối Văn phòng", "Phòng Kỹ thuật", "Đội Xe"),
        ("Phân xưởng Sản xuất {n}",),
    ),
    "utility": Sector(
        "enterprise",
        ("Khối Văn phòng", "Đội Kỹ thuật"),
        ("Đội Quản lý khách hàng số {n}",),
    ),
    "bank": Sector(
        "enterprise",
        ("Khối Văn phòng", "Phòng Kế hoạch – Kinh doanh"),
        ("Phòng Giao dịch số {n}",),
    ),
}


class Committee(NamedTuple):
    """A grassroots committee that is not a ward or commune: an agency, school or company."""

    name: str  # after "Đảng bộ "
    sector: str  # a key of SECTORS
    cells: int


class Ward(NamedTuple):
    """A ward or commune committee: residential groups or villages, then its own agencies."""

    place: str
    kind: str  # "phường", "xã" or "thị trấn"
    residential: int | tuple[str, ...]  # how many numbered groups, or their names
    standard: int  # how many of WARD_CELLS


# The cells of a ward or commune besides its residential groups, in the order they are added.
WARD_CELLS: tuple[tuple[str, str], ...] = (
    ("Cơ quan {kind}", "agency"),
    ("Quân sự {kind}", "armed_forces"),
    ("Trường Mầm non {place}", "school"),
    ("Trường Tiểu học {place}", "school"),
    ("Trường Trung học cơ sở {place}", "school"),
    ("Trạm Y tế {kind}", "health"),
)

# Hamlets of Khmer residents, named as the Mekong delta names them: the demo's cells that
# work in Khmer. The demo has no such hamlets in Quảng Ninh; it needs them to show the app in
# Khmer, and they replace four of Điền Công's five numbered villages, so the city keeps its size.
KHMER_HAMLETS: tuple[str, ...] = (
    "ấp Khmer Prey Chóp",
    "ấp Khmer Sóc Ruộng",
    "ấp Khmer Phnô Pôn",
    "ấp Khmer Kompông Chrây",
)

# Uông Bí before 2025: nine wards and two communes …
UONG_BI_WARDS: tuple[Ward, ...] = (
    Ward("Quang Trung", "phường", 12, 5),
    Ward("Trưng Vương", "phường", 9, 4),
    Ward("Thanh Sơn", "phường", 11, 5),
    Ward("Bắc Sơn", "phường", 8, 4),
    Ward("Nam Khê", "phường", 10, 4),
    Ward("Vàng Danh", "phường", 11, 4),
    Ward(
        "Yên Thanh",
        "phường",
        (
            "Tân Yên",
            "Yên Lập",
            "Yên Hòa",
            "Yên Thanh",
            "Hòa Lạc",
            "Vĩnh Tuy",
            "Yên Sơn",
            "Cửa Ngăn",
            "Tân Thành",
            "Phú Thanh",
        ),
        4,
    ),
    Ward(
        "Phương Đông",
        "phường",
        (
            "Tân Lập",
            "Đồng Mát",
            "Hiệp Thanh",
            "Bầu Sen",
            "Đồng Chanh",
            "Phong Thanh",
            "Tân Hòa",
            "Đá Bạc",
            "Hòa Bình",
            "Quyết Thắng",
            "Bắc Trung",
            "Thượng Thông",
        ),
        5,
    ),
    Ward(
        "Phương Nam",
        "phường",
        (
            "Hồng Hà",
            "Bạch Đằng",
            "Hiệp Hòa",
            "Đồng Cao",
            "Cẩm Hồng",
            "Trung Thành",
            "Hồng Hải",
            "Tân Hà",
            "Cầu Sến",
            "Hiệp Bình",
        ),
        4,
    ),
    Ward(
        "Thượng Yên Công",
        "xã",
        (
            "Nam Mẫu 1",
            "Nam Mẫu 2",
            "Khe Sú 1",
            "Khe Sú 2",
            "Tập Đoàn",
            "Thượng Thông",
            "Bãi Dâu",
            "Hồ Lao",
        ),
        3,
    ),
    # Its hamlets but the first are given to Khmer residents, so the demo has cells that work
    # in Khmer (KHMER_HAMLETS).
    Ward("Điền Công", "xã", ("1", *KHMER_HAMLETS), 3),
)

# … and its agencies, hospitals, schools and companies.
UONG_BI_COMMITTEES: tuple[Committee, ...] = (
    Committee("Cơ quan Thành ủy", "party_office", 5),
    Committee("Cơ quan Ủy ban nhân dân thành phố", "government", 11),
    Committee("Cơ quan Mặt trận Tổ quốc và các đoàn thể thành phố", "front", 4),
    Committee("Khối Nội chính thành phố", "justice", 4),
    Committee("Công an thành phố", "police", 8),
    Committee("Quân sự thành phố", "military", 4),
    Committee("Chi cục Thuế khu vực Uông Bí", "tax", 3),
    Committee("Ban Quản lý di tích và rừng quốc gia Yên Tử", "heritage", 2),
    Committee("Bệnh viện Việt Nam – Thụy Điển Uông Bí", "hospital", 10),
    Committee("Trung tâm Y tế thành phố", "health_centre", 5),
    Committee("Trung tâm Y tế Than khu vực Uông Bí", "health_centre", 4),
    Committee("Khối Giáo dục thành phố", "schools", 7),
    Committee("Trường Cao đẳng Công nghiệp và Xây dựng", "college", 5),
    Committee("Trường Cao đẳng Việt – Hàn Quảng Ninh", "college", 4),
    Committee("Trường Cao đẳng Than – Khoáng sản Việt Nam", "college", 4),
    Committee("Công ty Than Vàng Danh – Vinacomin", "coal", 14),
    Committee("Công ty Than Uông Bí – TKV", "coal", 10),
    Committee("Công ty Than Nam Mẫu – TKV", "coal", 11),
    Committee("Công ty Cổ phần Than Hồng Thái", "coal", 7),
    Committee("Công ty Xây dựng mỏ hầm lò 1 – TKV", "coal", 5),
    Committee("Công ty Tuyển than Uông Bí", "coal", 3),
    Committee("Công ty Nhiệt điện Uông Bí", "power", 7),
    Committee("Công ty Kho vận Đá Bạc – Vinacomin", "industry", 4),
    Committee("Công ty Cổ phần Xi măng và Xây dựng Quảng Ninh", "industry", 4),
    Committee("Xí nghiệp Vận tải và Đưa đón thợ mỏ Uông Bí", "industry", 3),
    Committee("Khối Doanh nghiệp thành phố", "industry", 4),
    Committee("Điện lực Uông Bí", "utility", 3),
    Committee("Xí nghiệp Nước Uông Bí", "utility", 3),
    Committee("Bưu điện thành phố Uông Bí", "utility", 3),
    Committee("Công ty Cổ phần Môi trường đô thị Uông Bí", "utility", 3),
    Committee("Chi nhánh Ngân hàng Nông nghiệp và Phát triển nông thôn Uông Bí", "bank", 3),
)

# The grassroots committees every generated city or district has, "{unit}" being e.g.
# "huyện Tiên Yên" and "{committee}" e.g. "Huyện ủy Tiên Yên"; cells per 318.
UNIT_COMMITTEES: tuple[Committee, ...] = (
    Committee("Cơ quan {committee}", "party_office", 5),
    Committee("Cơ quan Ủy ban nhân dân {unit}", "government", 11),
    Committee("Cơ quan Mặt trận Tổ quốc và các đoàn thể {unit}", "front", 4),
    Committee("Công an {unit}", "police", 8),
    Committee("Quân sự {unit}", "military", 4),
    Committee("Trung tâm Y tế {unit}", "health_centre", 6),
    Committee("Khối Giáo dục {unit}", "schools", 7),
)

# Companies of a mining city or district, "{place}" a generated place name; cells per 318.
MINING_COMMITTEES: tuple[Committee, ...] = (
    Committee("Công ty Than {place} – TKV", "coal", 12),
    Committee("Công ty Than {place} – Vinacomin", "coal", 10),
    Committee("Công ty Cổ phần Than {place}", "coal", 8),
    Committee("Công ty Nhiệt điện {place}", "power", 7),
    Committee("Công ty Cổ phần Cơ khí {place}", "industry", 4),
)
