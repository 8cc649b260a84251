"""The categories of voices every installation starts with (issue 12); they are data: an
installation renames them, adds its own, and gives any its own times."""

from django.db import migrations

CATEGORIES = [
    ("land_environment", "Đất đai, môi trường", "Land and environment", "ដីធ្លី និងបរិស្ថាន"),
    ("social_welfare", "An sinh xã hội", "Social welfare", "សុខុមាលភាពសង្គម"),
    ("security_order", "An ninh, trật tự", "Security and order", "សន្តិសុខ និងសណ្តាប់ធ្នាប់"),
    ("party_building", "Xây dựng Đảng", "Party building", "ការកសាងបក្ស"),
    ("economy", "Kinh tế", "Economy", "សេដ្ឋកិច្ច"),
    ("other", "Khác", "Other", "ផ្សេងៗ"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("voices", "Category")
    for position, (slug, name, name_en, name_km) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "name_km": name_km, "position": position},
        )


def unseed(apps, schema_editor):
    Category = apps.get_model("voices", "Category")
    Category.objects.filter(slug__in=[c[0] for c in CATEGORIES], voices__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("voices", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
