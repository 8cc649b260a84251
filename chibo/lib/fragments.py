"""Parts of pages drawn once and kept in the shared cache under a digest of everything they are
drawn from: when any value changes, so does the key, so a kept fragment cannot go stale and
nothing has to remember to forget it.

A fragment holding forms is drawn with a placeholder for the CSRF token, which each request
puts back with its own: one viewer's token never reaches another."""

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.core.cache import cache
from django.db.models import Model
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "csrf-placeholder-0f3c9a"
PLAIN = (str, int, float, bool, Decimal, date, datetime, UUID, type(None))


def _values(value, out: list, seen: set[int]) -> None:
    """Everything `value` shows, in a stable order: a record's loaded fields, the records loaded
    with it and its prefetched lists; lists, dicts and plain values as they are."""
    if isinstance(value, PLAIN):
        out.append(repr(value))
    elif isinstance(value, Model):
        out.append(value._meta.label)
        if id(value) in seen:  # loaded both ways (a member and their user): once is enough
            return
        seen.add(id(value))
        for name, field_value in sorted(vars(value).items()):
            if not name.startswith("_"):
                out.append(name)
                _values(field_value, out, seen)
        for name, related in sorted(value._state.fields_cache.items()):
            out.append(name)
            _values(related, out, seen)
        for name, items in sorted(getattr(value, "_prefetched_objects_cache", {}).items()):
            out.append(name)
            _values(list(items), out, seen)
    elif isinstance(value, list | tuple):
        out.append(f"[{len(value)}")
        for item in value:
            _values(item, out, seen)
    elif isinstance(value, dict):
        out.append(f"{{{len(value)}")
        for key in sorted(value):
            out.append(repr(key))
            _values(value[key], out, seen)
    else:
        raise TypeError(f"a fragment's key cannot hold a {type(value).__name__}")


def digest(*parts) -> str:
    """A digest of `parts` and of the language and time zone they are shown in."""
    out: list[str] = [get_language() or "", timezone.get_current_timezone_name()]
    _values(list(parts), out, set())
    return hashlib.sha256("\x1f".join(out).encode()).hexdigest()


def kept(name: str, parts, draw: Callable[[], str], timeout: int) -> str:
    """The fragment `name` for `parts`, from the cache, or drawn by `draw` and kept."""
    key = f"fragment:{name}:{digest(parts)}"
    html = cache.get(key)
    if html is None:
        html = draw()
        cache.set(key, html, timeout=timeout)
    return html


def with_csrf(html: str, request) -> SafeString:
    """A fragment drawn with `CSRF_PLACEHOLDER` for the token, given this request's."""
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))
