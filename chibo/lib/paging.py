"""Pages of long lists that are fetched without counting the whole list.

Counting a province's 100,000 members for "page 1 of 2,000" costs more than the page itself;
a search result only needs to know whether there is a next page.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest

MAX_PAGE = 10_000


class Page:
    """What a pager needs of a page: its number, and whether another follows."""

    def __init__(self, number: int, has_next: bool) -> None:
        self.number = number
        self.has_next = has_next

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


class Window(Page):
    def __init__(self, queryset: QuerySet, number: int, size: int) -> None:
        start = (number - 1) * size
        rows = list(queryset[start : start + size + 1])
        super().__init__(number, len(rows) > size)
        self.object_list = rows[:size]

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(request: HttpRequest) -> int:
    """The page asked for in `?page=`; anything that is not a sensible number means page 1."""
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isascii() and raw.isdigit() else 1
    return min(max(number, 1), MAX_PAGE)


def window(request: HttpRequest, queryset: QuerySet, size: int) -> Window:
    return Window(queryset, page_number(request), size)
