"""What the voices' tests share."""

import importlib

import pytest
from django.apps import apps


@pytest.fixture
def categories(world):
    """The categories the migrations give every installation: a browser test's database is
    emptied after each test that ran before it, the migrations' data with it."""
    importlib.import_module("chibo.voices.migrations.0002_categories").seed(apps, None)


@pytest.fixture
def english(settings):
    """The pages in English, whatever the installation's language: the tests read their words."""
    settings.LANGUAGE_CODE = "en"
