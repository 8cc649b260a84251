from django.db import migrations, models
from django.db.models import Count


def refuse_shared_citizen_ids(apps, schema_editor):
    """Say which members share a citizen ID, rather than the database's bare refusal."""
    Member = apps.get_model("orgs", "Member")
    shared = (
        Member.objects.exclude(citizen_id="")
        .values("citizen_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("citizen_id", flat=True)
    )
    if ids := list(shared[:20]):
        cards = Member.objects.filter(citizen_id__in=ids).order_by("citizen_id", "card_number")
        listed = "; ".join(f"{m.citizen_id}: {m.card_number}" for m in cards)
        raise RuntimeError(
            "Members share citizen IDs, which must now be unique. Correct them "
            f"(citizen ID: party card numbers) and migrate again: {listed}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_shared_citizen_ids, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(
                condition=models.Q(("citizen_id", ""), _negated=True),
                fields=("citizen_id",),
                name="one_member_per_citizen_id",
                violation_error_message="Another member already has this citizen ID number.",
            ),
        ),
    ]
