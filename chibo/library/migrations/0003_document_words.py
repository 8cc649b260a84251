"""PostgreSQL: an index over the words of the library's documents alone, which the search of a
user with a small reach reads for the national documents (decision record 26)."""

from django.db import migrations

# As it was made then; migration 0005 makes it again with the dates.
DOCUMENT_WORDS_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_entry_document_words ON library_searchentry "
    "USING gin ((title_tsv || body_tsv)) WHERE kind = 'document'"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOCUMENT_WORDS_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_document_words")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(create, drop)]
