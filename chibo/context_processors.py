from django.conf import settings
from django.http import HttpRequest

from chibo.access.scope import scope_for


def languages(request: HttpRequest) -> dict:
    """The language picker's choices, each named in its own language (never translated)."""
    return {"language_choices": settings.LANGUAGES}


def scope(request: HttpRequest) -> dict:
    """The request's `Scope`, so that templates ask what the user may do (`scope.is_admin`),
    never who they are. It reads nothing from the database until a page asks for a list or a
    right that needs the user's reach."""
    return {"scope": scope_for(request)}
