"""The renderer reads the bundled fonts and nothing else."""

import pytest

from chibo.lib import pdf


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/font.ttf",
        "file:///etc/passwd",
        f"file://{pdf.FONTS}/../../settings.py",
        f"file://example.org{pdf.FONTS}/NotoSerif-Regular.ttf",
    ],
)
def test_it_fetches_nothing_but_the_fonts(url):
    with pytest.raises(ValueError):
        pdf.FontsOnly().fetch(url)


def test_it_fetches_a_bundled_font():
    response = pdf.FontsOnly().fetch((pdf.FONTS / "NotoSerif-Regular.ttf").as_uri())
    assert response.read()[:4] == b"\x00\x01\x00\x00"
