"""SQLite: each entry's keys (kind, organisation, path, shown, whose) beside its words in the
full-text table, which a search asks for with the words (decision record 29)."""

from django.db import migrations

from chibo.library.index import schema


def create(apps, schema_editor):
    schema.key_index(schema_editor)


def drop(apps, schema_editor):
    schema.unkey_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("library", "0005_words_of_each_kind")]

    operations = [migrations.RunPython(create, drop)]
