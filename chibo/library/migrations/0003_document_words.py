"""PostgreSQL: an index over the words of the library's documents alone, which the search of a
user with a small reach reads for the national documents (decision record 26)."""

from django.db import migrations

from chibo.library.index import schema


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(schema.DOCUMENT_WORDS_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_document_words")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(create, drop)]
