"""An untitled round is named after its period in each reader's language; rounds named by
chibo before are converted, names typed otherwise kept."""

import importlib
from datetime import date

from django.apps import apps
from django.utils import translation

from chibo.quality.models import EvaluationRound
from chibo.quality.tests.evaluation_data import YEAR

migration = importlib.import_module("chibo.quality.migrations.0007_round_named_when_read")
NAMES = {
    "vi": "Đánh giá, xếp loại năm 2025",
    "km": "ការវាយតម្លៃ និងចំណាត់ថ្នាក់ឆ្នាំ 2025",
    "en": "Evaluation and classification 2025",
}


def a_round(world, **fields) -> EvaluationRound:
    return EvaluationRound.objects.create(organisation=world.city, **(YEAR | fields))


def test_an_untitled_round_is_named_in_each_readers_language(world):
    yearly = a_round(world, title="")
    quarterly = a_round(
        world,
        title="",
        period=EvaluationRound.Period.QUARTER,
        quarter=2,
        starts_on=date(2025, 4, 1),
        ends_on=date(2025, 6, 30),
    )
    typed = a_round(world, title="Đánh giá cán bộ chủ chốt")
    for language, name in NAMES.items():
        with translation.override(language):
            assert yearly.name == str(yearly) == name
            assert typed.name == "Đánh giá cán bộ chủ chốt"
    with translation.override("vi"):
        assert quarterly.name == "Đánh giá, xếp loại quý 2/2025"


def test_the_migration_blanks_chibos_names_and_keeps_typed_ones(world):
    named = [a_round(world, title=name) for name in NAMES.values()]
    kept = [
        a_round(world, title="Đánh giá, xếp loại năm 2025 (bổ sung)"),
        a_round(world, title="Đánh giá, xếp loại năm 2024"),  # not this round's year
    ]
    migration.convert(apps, None)
    assert [EvaluationRound.objects.get(pk=r.pk).title for r in named] == ["", "", ""]
    assert [EvaluationRound.objects.get(pk=r.pk).title for r in kept] == [r.title for r in kept]
