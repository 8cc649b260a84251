"""A yearly round named as chibo names it ("Evaluation and classification 2026"), so far in its
opener's language, becomes blank: named when read, in the reader's. A name typed otherwise
stays."""

from django.db import migrations, models

import chibo.lib.text
from chibo.lib.languages import in_every_language
from chibo.quality.models.evaluation import YEAR_ROUND


def convert(apps, schema_editor) -> None:
    EvaluationRound = apps.get_model("quality", "EvaluationRound")
    yearly = EvaluationRound.objects.filter(period="year")
    for year in yearly.values_list("year", flat=True).distinct():
        named = in_every_language(YEAR_ROUND, year=year)
        yearly.filter(year=year, title__in=named).update(title="")


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0006_consultations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evaluationround",
            name="title",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[chibo.lib.text.validate_plain_text],
                verbose_name="title",
            ),
        ),
        migrations.RunPython(convert, migrations.RunPython.noop),
    ]
