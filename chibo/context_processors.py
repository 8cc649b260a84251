from django.conf import settings
from django.http import HttpRequest


def languages(request: HttpRequest) -> dict:
    """The language picker's choices, each named in its own language (never translated)."""
    return {"language_choices": settings.LANGUAGES}
