import pytest

from chibo.library.tests.library_data import issuer  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files sent in a test are kept in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
