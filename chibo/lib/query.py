"""Reading a page's query string: anything unexpected falls back to the default, never a 500."""

from collections.abc import Iterable

from django.http import HttpRequest


def choice(request: HttpRequest, name: str, allowed: Iterable, default):
    """The value of `allowed` that the parameter `name` spells, else `default`."""
    raw = request.GET.get(name, "")
    return next((value for value in allowed if str(value) == raw), default)
