import pytest

from chibo.orgs.tests.import_data import give_refs
from chibo.quality.tests.conftest import slipping  # noqa: F401  (a fixture: the home page)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def admin(world, settings, tmp_path):
    """An administrator's browser in English, imports run at once, the cells given codes."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE
    give_refs(world)
    client = world.client("admin")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
