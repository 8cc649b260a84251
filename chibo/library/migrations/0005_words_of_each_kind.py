"""PostgreSQL: the index over the entries' words split by kind, with each entry's date, and the
titles' words indexed apart, which a search over a wide reach reads (decision record 28)."""

import importlib

from django.db import migrations

from chibo.library.index import schema

document_words = importlib.import_module("chibo.library.migrations.0003_document_words")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_words")
        # Made again with the dates.
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_document_words")
        for statement in schema.WORDS_INDEXES:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in schema.WORDS_INDEX_NAMES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_words ON library_searchentry "
            "USING gin ((title_tsv || body_tsv))"
        )
        schema_editor.execute(document_words.DOCUMENT_WORDS_INDEX)


class Migration(migrations.Migration):
    dependencies = [("library", "0004_search_entry_second_person")]

    operations = [migrations.RunPython(create, drop)]
