"""Official steps' titles and the vote's subject, written so far in their creator's language,
become blank: worded when read, in the reader's. Only chibo's own wording, in any of its
languages, is recognised; a title or subject someone changed stays as they wrote it."""

from django.db import migrations, models
from django.utils.translation import gettext_lazy as _

import chibo.lib.text
from chibo.lib.languages import in_every_language
from chibo.meetings.models import RESOLUTION_VOTED, Step

# The demo's votes said only this.
RESOLUTION = _("Resolution")


def _step_names() -> dict[str, str]:
    """Each official step's name, in every language, to the step."""
    return {
        worded: step
        for step in Step
        if step != Step.OTHER
        for worded in in_every_language(step.label)
    }


def convert(apps, schema_editor) -> None:
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Notice = apps.get_model("meetings", "Notice")
    Vote = apps.get_model("meetings", "Vote")
    names = _step_names()
    for step in {*names.values()}:
        worded = [name for name, of in names.items() if of == step]
        AgendaItem.objects.filter(step=step, title__in=worded).update(title="")
    voted = in_every_language(RESOLUTION_VOTED) | in_every_language(RESOLUTION)
    Vote.objects.filter(subject__in=voted).update(subject="")
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
