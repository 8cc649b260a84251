"""Search names folded before `fold` stopped reordering Khmer signs: fold them again, so a name
stored earlier still matches the same name typed in a search."""

from django.db import migrations

from chibo.lib.text import fold


def refold(apps, schema_editor):
    Member = apps.get_model("orgs", "Member")
    changed = []
    for member in Member.objects.only("pk", "full_name", "search_name").iterator(chunk_size=2000):
        if member.search_name != (folded := fold(member.full_name)):
            member.search_name = folded
            changed.append(member)
    Member.objects.bulk_update(changed, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_level_supervision_visits")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
