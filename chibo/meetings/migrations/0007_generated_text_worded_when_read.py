"""Official steps' titles and the vote's subject, written so far in their creator's language,
become blank: worded when read, in the reader's. Only chibo's own wording, in any of its
languages, is recognised; a title or subject someone changed stays as they wrote it."""

from django.db import migrations, models

import chibo.lib.text

# chibo's own wording when this migration was written, frozen here: a later change to the
# catalogue must not change what an old record is recognised by. Step names in vi, km, en.
STEP_NAMES = {
    "opening": [
        "Khai mạc: nêu lý do, giới thiệu đại biểu, cử thư ký, điểm danh, thông qua chương "
        "trình, thu đảng phí",
        "ការបើកកិច្ចប្រជុំ៖ មូលហេតុ ភ្ញៀវ អ្នកកត់ត្រា វត្តមាន របៀបវារៈ ភាគទានបក្ស",
        "Opening: reason, guests, minute-taker, roll, agenda, party dues",
    ],
    "assessment": [
        "Đánh giá kết quả thực hiện nghị quyết tháng trước",
        "ការវាយតម្លៃសេចក្តីសម្រេចចិត្តខែមុន",
        "Assessment of last month's resolution",
    ],
    "situation": [
        "Tình hình tư tưởng, tự phê bình và phê bình",
        "ស្ថានភាពមនោគមវិជ្ជា ការរិះគន់ខ្លួនឯង និងការរិះគន់",
        "Ideological situation, self-criticism and criticism",
    ],
    "next_tasks": ["Nhiệm vụ tháng tới", "ភារកិច្ចខែបន្ទាប់", "Next month's tasks"],
    "discussion": ["Thảo luận", "ការពិភាក្សា", "Discussion"],
    "conclusion": [
        "Kết luận và phân công",
        "សេចក្តីសន្និដ្ឋាន និងការបែងចែកភារកិច្ច",
        "Conclusion and assignment",
    ],
    "vote": [
        "Biểu quyết nghị quyết",
        "ការបោះឆ្នោតលើសេចក្តីសម្រេចចិត្ត",
        "Vote on the resolution",
    ],
    "scoring": [
        "Chấm điểm chất lượng buổi sinh hoạt",
        "ការវាយតម្លៃគុណភាពកិច្ចប្រជុំ",
        "Scoring the meeting's quality",
    ],
    "minutes": [
        "Đọc và thông qua biên bản",
        "ការអាន និងអនុម័តកំណត់ហេតុ",
        "Reading and approving the minutes",
    ],
    "purpose": [
        "Mục đích buổi sinh hoạt chuyên đề",
        "គោលបំណងនៃកិច្ចប្រជុំតាមប្រធានបទ",
        "Purpose of the thematic meeting",
    ],
    "presentation": [
        "Trình bày chuyên đề",
        "ការបង្ហាញប្រធានបទ",
        "Presentation of the theme",
    ],
    "theme_discussion": [
        "Thảo luận chuyên đề, liên hệ bản thân và đơn vị",
        "ការពិភាក្សាប្រធានបទ និងមេរៀនសម្រាប់យើង",
        "Discussion of the theme and its lessons for us",
    ],
    "theme_conclusion": [
        "Kết luận chuyên đề",
        "សេចក្តីសន្និដ្ឋាននៃប្រធានបទ",
        "Conclusion of the theme",
    ],
}
# The vote's subject as chibo wrote it, and the demo's, which said only "Resolution".
VOTE_SUBJECTS = [
    "Nghị quyết của buổi sinh hoạt",
    "សេចក្តីសម្រេចចិត្តនៃកិច្ចប្រជុំ",
    "The resolution of the meeting",
    "Nghị quyết",
    "សេចក្តីសម្រេចចិត្ត",
    "Resolution",
]


def convert(apps, schema_editor) -> None:
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Notice = apps.get_model("meetings", "Notice")
    Vote = apps.get_model("meetings", "Vote")
    for step, worded in STEP_NAMES.items():
        AgendaItem.objects.filter(step=step, title__in=worded).update(title="")
    Vote.objects.filter(subject__in=VOTE_SUBJECTS).update(subject="")
    names = {name: step for step, worded in STEP_NAMES.items() for name in worded}
    # What was sent keeps its meaning; as `publishing.snapshot` now writes it, an unchanged
    # meeting is not taken for a changed one and sent again.
    for notice in Notice.objects.only("content").iterator(chunk_size=500):
        items = notice.content.get("items", [])
        found = [item for item in items if item.get("title") in names and "step" not in item]
        for item in found:
            item["step"], item["title"] = names[item["title"]], ""
        if found:
            notice.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_meeting_chair_minute_taker"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agendaitem",
            name="title",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[chibo.lib.text.validate_plain_text],
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="vote",
            name="subject",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[chibo.lib.text.validate_plain_text],
                verbose_name="subject",
            ),
        ),
        migrations.RunPython(convert, migrations.RunPython.noop),
    ]
