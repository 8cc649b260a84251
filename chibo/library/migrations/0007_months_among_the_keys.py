"""SQLite: each entry's month among its keys, so that a search asks FTS5 for a span of months
with the words (decision record 30)."""

from django.db import migrations

from chibo.library.index import schema


def remake(apps, schema_editor):
    schema.key_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0006_keys_beside_the_words")]

    # The keys are computed by the code of the day: going back makes them the same way.
    operations = [migrations.RunPython(remake, remake)]
