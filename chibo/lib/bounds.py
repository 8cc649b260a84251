"""The bounds of what may be typed into chibo: every date within a window of years, every
number within a range, so that no input reaches a calendar, a sum or a column it overflows.

The window of years is a setting (CHIBO_YEARS, 2000–2100 by default) for what is planned and
recorded here (meetings, rounds, deadlines); the dates of people's lives (birth, admission,
offices held) reach back to 1900. The validators read the setting when they run, so the
migrations that name them never change with it.
"""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The earliest year of a person's life or office that chibo keeps.
HISTORY_STARTS = 1900
# The largest count typed into a form (tasks, a position, an id to mark read up to).
COUNT_MAX = 32_767


def years() -> tuple[int, int]:
    """The first and last year a planned or recorded date may fall in (CHIBO_YEARS)."""
    first, last = settings.CHIBO_YEARS
    return first, last


def _check(year: int, first: int, last: int) -> None:
    if not first <= year <= last:
        raise ValidationError(
            _("Give a year from %(first)d to %(last)d."),
            code="year_out_of_range",
            params={"first": first, "last": last},
        )


def validate_year(value: int) -> None:
    """A year of CHIBO_YEARS."""
    _check(value, *years())


def validate_date(value: date | datetime) -> None:
    """A date (or moment) in a year of CHIBO_YEARS."""
    _check(value.year, *years())


def validate_past_date(value: date | datetime) -> None:
    """A date of a person's life or office: from 1900 to the last year of CHIBO_YEARS."""
    _check(value.year, HISTORY_STARTS, years()[1])
