"""Months as the quality indicators count them: each named by its first day, in local time."""

from datetime import date, datetime

from django.utils import timezone


def month_of(moment: datetime | date) -> date:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    return day.replace(day=1)


def shift(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`."""
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return date(year, index + 1, 1)


def next_month(month: date) -> date:
    return shift(month, 1)


def quarter_start(month: date) -> date:
    return month.replace(month=(month.month - 1) // 3 * 3 + 1)


def quarter_end(month: date) -> date:
    start = quarter_start(month)
    return start.replace(month=start.month + 2)


def months(first: date, last: date) -> list[date]:
    found, month = [], first
    while month <= last:
        found.append(month)
        month = next_month(month)
    return found
