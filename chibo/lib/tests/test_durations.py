"""Durations on pages ("1 month, 3 weeks") read in the page's language."""

from datetime import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

START = datetime(2026, 1, 1, 8, 0)
LATER = datetime(2026, 2, 22, 8, 0)  # 1 month and 3 weeks on


@pytest.mark.parametrize(
    "language, said",
    [("en", "1 month, 3 weeks"), ("vi", "1 tháng, 3 tuần"), ("km", "1 ខែ, 3 សប្តាហ៍")],
)
def test_timesince_and_timeuntil_speak_the_page_language(language, said):
    page = Template("{{ start|timesince:later }}|{{ later|timeuntil:start }}")
    with translation.override(language):
        text = page.render(Context({"start": START, "later": LATER})).replace("\xa0", " ")
    assert text == f"{said}|{said}"
