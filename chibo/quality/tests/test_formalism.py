"""The formalism detector: small histories held through the meetings app, the flags each should
raise worked out by hand, and the page that shows them with their evidence side by side."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from chibo.meetings import holding
from chibo.meetings.models import Comment, Meeting, Step
from chibo.meetings.tests.holding_data import ENGLISH, approved_minutes, count_queries, member
from chibo.meetings.tests.test_attending import plan
from chibo.orgs.models import Position
from chibo.quality.formalism import (
    BREAK,
    FlagKind,
    Words,
    flagged_meetings,
    flags_in,
    load_histories,
)

# Long enough to be compared (formalism.MIN_WORDS); a copy changes only the name of the month.
REPORT = (
    "Chi bộ đánh giá kết quả thực hiện nghị quyết tháng trước, các đồng chí đảng viên hoàn thành "
    "nhiệm vụ được giao, công tác vệ sinh môi trường khu dân cư được duy trì thường xuyên, việc "
    "thu đảng phí đúng hạn, tình hình tư tưởng của đảng viên và nhân dân ổn định trong tháng {}."
)
OTHER_REPORTS = [
    "Đồng chí Mai báo cáo việc rà soát hộ nghèo: ba hộ đã thoát nghèo nhờ mô hình nuôi gà, hai "
    "hộ cần vay vốn ưu đãi; chi bộ giao tổ dân phố lập danh sách gửi phường trước ngày hai mươi, "
    "đồng thời vận động thanh niên tham gia đội tình nguyện sửa đường ngõ bảy.",
    "Cuộc họp bàn về an toàn giao thông trước cổng trường tiểu học: phụ huynh phản ánh xe tải "
    "chạy nhanh giờ tan học, chi bộ thống nhất kiến nghị đặt biển hạn chế tốc độ, cử đồng chí Sơn "
    "làm việc với công an phường và tổ chức tuyên truyền cho học sinh vào sáng thứ bảy.",
    "Chi bộ thảo luận kế hoạch chuyển đổi số: hướng dẫn đảng viên cài sổ tay điện tử, lập nhóm "
    "trao đổi của khu, số hóa hồ sơ đảng viên; đồng chí Mai phụ trách tập huấn cho người cao tuổi, "
    "dự kiến hoàn thành trong quý ba, kinh phí do quỹ khu dân cư hỗ trợ một phần.",
]
# All its words but the last match: 2 × (n − 1) matching of 2n words in all, in whole percent.
COPY_PERCENT = 100 * (len(REPORT.split()) - 1) // len(REPORT.split())
# Meetings are held this many days apart, counting back from a month ago.
GAP = 30


def month(meeting: Meeting) -> str:
    return f"{timezone.localdate(meeting.starts_at):%m/%Y}"


def held(
    cell,
    days_ago: int,
    minutes: str = "",
    resolution: str = "",
    speakers: tuple | list = (),
    item: str = "",
) -> Meeting:
    """A meeting held `days_ago` days back through the meetings app: members comment on its
    agenda, it opens, its minutes are approved and its resolution adopted, it closes and the
    records are published."""
    meeting = plan(cell, days=-days_ago)
    if item:
        meeting.add_item(item, f"Nội dung: {item}")
    discussion = meeting.agenda_items.get(step=Step.DISCUSSION)
    for author in speakers:
        Comment.objects.create(item=discussion, author=author, body="Tôi đồng ý với dự thảo.")
    holding.open_meeting(meeting, now=meeting.starts_at)
    if minutes or resolution:
        # Rule 10: both records are published together; a short text is never compared.
        approved_minutes(meeting, minutes or "Chi bộ thống nhất")
        adopt(meeting, resolution or "Chi bộ thống nhất")
    holding.close_meeting(meeting)
    if minutes or resolution:
        holding.publish_records(meeting)
    return meeting


def adopt(meeting: Meeting, assessment: str) -> None:
    """Everyone in the cell votes for a resolution with one task."""
    everyone = list(meeting.cell.members.all())
    rows = [{"what": "Vận động nhân dân", "owner": everyone[0], "deadline": timezone.localdate()}]
    texts = {"assessment": assessment, "assignment": "Chi ủy phân công", "quality": "Tốt"}
    resolution = holding.save_resolution(meeting, None, texts, rows)
    for someone in everyone:
        holding.check_in(meeting, someone)
    vote = holding.record_vote(meeting, "Nghị quyết", len(everyone), 0, 0)
    holding.adopt_resolution(resolution, vote)


def flags(cell, since: date | None = None) -> list:
    since = since or timezone.localdate() - timedelta(days=400)
    with translation.override("en"):
        return flags_in(load_histories([cell.pk], since).get(cell.pk, []))


def kinds(found: list, meeting: Meeting) -> list[str]:
    return [flag.kind for flag in found if flag.meeting.pk == meeting.pk]


@pytest.fixture
def mai(world):
    return member("Nguyễn Thị Mai")


@pytest.fixture
def son(world):
    return member("Trần Văn Sơn")


# -- the checks --------------------------------------------------------------------------------


def test_it_compares_words_whatever_their_case_and_spacing():
    """Khmer words are told apart by the zero-width spaces typed between them."""
    words = Words(["Chi  BỘ\thọp\n\nbàn", "កោសិកា\u200bប្រជុំ"])
    assert words.keys == ["chi", "bộ", "họp", BREAK, "bàn", BREAK, "កោសិកា", "ប្រជុំ"]
    assert words.shown[:2] == ["Chi", "BỘ"] and words.count == 6


def test_it_flags_minutes_copied_from_an_earlier_month(world, mai):
    first = held(world.cell, 3 * GAP, REPORT.format("năm"), speakers=[mai])
    held(world.cell, 2 * GAP, OTHER_REPORTS[0], speakers=[mai])
    copy = held(world.cell, GAP, REPORT.format("sáu"), speakers=[mai])
    found = flags(world.cell)
    (flag,) = [flag for flag in found if flag.kind == FlagKind.COPIED_MINUTES]
    assert flag.meeting.pk == copy.pk
    assert flag.reason == f"The minutes are {COPY_PERCENT}% the same as those of {month(first)}."
    assert flag.evidence.earlier.pk == first.pk
    (before,), (after,) = flag.evidence.columns
    same = (REPORT.removesuffix(" {}."), False)
    assert [(piece.text, piece.changed) for piece in before] == [same, ("năm.", True)]
    assert [(piece.text, piece.changed) for piece in after] == [same, ("sáu.", True)]


def test_it_flags_a_resolution_copied_from_an_earlier_month(world, mai):
    first = held(world.cell, 2 * GAP, resolution=REPORT.format("năm"), speakers=[mai])
    copy = held(world.cell, GAP, resolution=REPORT.format("sáu"), speakers=[mai])
    (flag,) = flags(world.cell)
    assert (flag.meeting.pk, flag.kind) == (copy.pk, FlagKind.COPIED_RESOLUTION)
    assert flag.evidence.earlier.pk == first.pk
    assert f"the same as that of {month(first)}" in flag.reason


def test_it_leaves_genuinely_different_meetings_alone(world, mai):
    items = ["Hộ nghèo", "Giao thông", "Chuyển đổi số"]
    for back, (report, item) in enumerate(zip(OTHER_REPORTS, items, strict=True)):
        held(world.cell, (back + 1) * GAP, report, report, speakers=[mai], item=item)
    assert flags(world.cell) == []


def test_it_compares_only_the_last_meetings_set_by_look_back(world, mai, settings):
    settings.CHIBO_FORMALISM = {"similarity": 0.9, "look_back": 1}
    held(world.cell, 3 * GAP, REPORT.format("năm"), speakers=[mai], item="Một")
    held(world.cell, 2 * GAP, OTHER_REPORTS[0], speakers=[mai], item="Hai")
    held(world.cell, GAP, REPORT.format("sáu"), speakers=[mai], item="Ba")
    assert flags(world.cell) == []


def test_it_flags_meetings_where_only_the_secretary_spoke_or_no_one(world, mai, son):
    alone = held(world.cell, 3 * GAP, speakers=[son], item="Một")
    silent = held(world.cell, 2 * GAP, item="Hai")
    lively = held(world.cell, GAP, speakers=[son, mai], item="Ba")
    found = flags(world.cell)
    assert kinds(found, alone) == [FlagKind.ONLY_SECRETARY]
    assert kinds(found, silent) == [FlagKind.NO_ONE_SPOKE]
    assert kinds(found, lively) == []
    (flag,) = [flag for flag in found if flag.meeting.pk == alone.pk]
    assert "Only the secretary, Trần Văn Sơn, commented" in flag.reason
    assert flag.evidence.secretaries == ["Trần Văn Sơn"] == flag.evidence.speakers


def test_it_asks_who_was_secretary_on_the_day(world, mai):
    """Mai was the secretary until last year: her comments alone are a member's voice now."""
    Position.objects.create(
        member=mai,
        organisation=world.cell,
        kind=Position.Kind.SECRETARY,
        started_on=date(2015, 1, 1),
        ended_on=timezone.localdate() - timedelta(days=365),
    )
    meeting = held(world.cell, GAP, speakers=[mai])
    assert kinds(flags(world.cell), meeting) == []


def test_it_flags_an_agenda_that_never_changes(world, mai):
    meetings = [held(world.cell, back * GAP, speakers=[mai]) for back in (4, 3, 2, 1)]
    found = flags(world.cell)
    # Three meetings of the same kind before it (look_back) are needed to call it unchanging.
    assert [flag.meeting.pk for flag in found] == [meetings[-1].pk]
    (flag,) = found
    assert flag.kind == FlagKind.SAME_AGENDA
    assert flag.evidence.earlier.pk == meetings[-2].pk
    assert f"since {month(meetings[0])}" in flag.reason


def test_it_does_not_flag_an_agenda_that_changes(world, mai):
    items = ["Hộ nghèo", "Giao thông", "Chuyển đổi số", "Môi trường"]
    for back, item in zip((4, 3, 2, 1), items, strict=True):
        held(world.cell, back * GAP, speakers=[mai], item=item)
    assert flags(world.cell) == []


def test_it_compares_the_published_minutes_not_a_correction_in_draft(world, mai):
    held(world.cell, 2 * GAP, REPORT.format("năm"), speakers=[mai], item="Một")
    copy = held(world.cell, GAP, REPORT.format("sáu"), speakers=[mai], item="Hai")
    draft = holding.correct(copy.minutes.get(), "Sửa lỗi")
    draft.sections = {"1": OTHER_REPORTS[1]}
    draft.save(update_fields=["sections"])
    assert kinds(flags(world.cell), copy) == [FlagKind.COPIED_MINUTES]


def test_it_judges_only_the_period_asked_about(world, mai):
    held(world.cell, 2 * GAP, REPORT.format("năm"), speakers=[mai], item="Một")
    old_copy = held(world.cell, GAP, REPORT.format("sáu"), speakers=[mai], item="Hai")
    assert kinds(flags(world.cell), old_copy) == [FlagKind.COPIED_MINUTES]
    assert flags(world.cell, since=timezone.localdate() + timedelta(days=1)) == []


def test_it_finds_the_flagged_meetings_of_many_cells_in_the_same_queries(
    world, mai, son, django_assert_num_queries
):
    held(world.cell, 2 * GAP, REPORT.format("năm"), speakers=[mai], item="Một")
    copy = held(world.cell, GAP, REPORT.format("sáu"), speakers=[son], item="Hai")
    held(world.sister_cell, GAP, OTHER_REPORTS[0], speakers=[member("Lê Văn Vũ")])
    since = timezone.localdate() - timedelta(days=45)
    cells = [world.cell.pk, world.sister_cell.pk, world.foreign_cell.pk]
    with django_assert_num_queries(7):
        found = flagged_meetings(cells, since)
    assert found == {copy.pk}
    assert set(kinds(flags(world.cell, since), copy)) == {
        FlagKind.COPIED_MINUTES,
        FlagKind.ONLY_SECRETARY,
    }


# -- the page ----------------------------------------------------------------------------------


# The session, the user, the user's reach (their member record, positions and supervisions),
# the cell and the seven queries of the cell's history.
BUDGET = 13


def url(cell, months: int | None = None) -> str:
    target = reverse("quality:formalism", args=[cell.code])
    return f"{target}?months={months}" if months else target


def test_it_sends_anonymous_visitors_to_sign_in(world):
    response = Client().get(url(world.cell))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


PERSONAS = [
    ("outsider", 404),
    ("member", 403),
    ("secretary", 403),
    ("supervisor", 200),
    ("committee", 200),
    ("admin", 200),
]


@pytest.mark.parametrize("persona, status", PERSONAS)
def test_it_opens_only_to_those_who_oversee_the_cell(world, persona, status):
    assert world.client(persona).get(url(world.cell)).status_code == status


def test_it_has_no_page_for_a_committee(world):
    assert world.client("committee").get(url(world.ward)).status_code == 404


def test_it_refuses_other_methods(world):
    assert world.client("committee").post(url(world.cell)).status_code == 405


@pytest.mark.parametrize("persona", ["supervisor", "committee"])
def test_it_shows_the_evidence_side_by_side(world, mai, son, persona):
    first = held(world.cell, 2 * GAP, REPORT.format("năm"), speakers=[mai], item="Một")
    held(world.cell, GAP, REPORT.format("sáu"), speakers=[son], item="Hai")
    page = world.client(persona).get(url(world.cell), headers=ENGLISH).content.decode()
    assert f"The minutes are {COPY_PERCENT}% the same as those of {month(first)}." in page
    assert "<del>năm.</del>" in page and "<ins>sáu.</ins>" in page
    assert page.count('class="side-by-side"') == 2
    assert "Only the secretary, Trần Văn Sơn, commented on the agenda" in page


def test_it_escapes_what_the_minutes_say(world, mai):
    script = '<script>alert("chibo")</script> ' + REPORT
    held(world.cell, 2 * GAP, script.format("năm"), speakers=[mai], item="Một")
    held(world.cell, GAP, script.format("sáu"), speakers=[mai], item="Hai")
    page = world.client("committee").get(url(world.cell), headers=ENGLISH).content.decode()
    assert "&lt;script&gt;alert(&quot;chibo&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_it_says_so_when_nothing_is_flagged(world, mai):
    held(world.cell, GAP, OTHER_REPORTS[0], speakers=[mai])
    page = world.client("committee").get(url(world.cell), headers=ENGLISH).content.decode()
    assert "No sign of formalism in the meeting held since" in page


def test_it_says_so_when_no_meeting_was_held(world):
    page = world.client("committee").get(url(world.cell), headers=ENGLISH).content.decode()
    assert "No meeting was held since" in page


@pytest.mark.parametrize("persona", ["committee", "supervisor"])
def test_it_keeps_to_the_same_queries_for_3_meetings_as_for_12(world, mai, son, persona):
    """Measured as those who judge the cell: the committee above it and its supervisor."""
    for back in range(3):
        held(world.cell, (back + 1) * GAP, REPORT.format(back), REPORT, speakers=[mai])
    client = world.client(persona)
    few = count_queries(client, url(world.cell, months=24))
    for back in range(3, 12):
        held(world.cell, (back + 1) * GAP, REPORT.format(back), REPORT, speakers=[mai, son])
    assert count_queries(client, url(world.cell, months=24)) == few
    assert few <= BUDGET
