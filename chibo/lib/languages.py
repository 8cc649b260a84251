"""chibo's three languages. Text the app words itself (a step's name, a vote's subject, a
round's name) is stored as what it is and worded when read, in the reader's language; official
documents are made in their organisation's working language, or in the one a reader asks for."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _

CODES = [code for code, _name in settings.LANGUAGES]


def in_every_language(message, **params) -> set[str]:
    """The message (lazy) as each language words it, with its parameters filled in."""
    worded = set()
    for code in CODES:
        with translation.override(code):
            worded.add(str(message) % params if params else str(message))
    return worded


class UnknownLanguage(ValueError):
    pass


def asked(request) -> str | None:
    """The language a document is asked for in (`?language=km`), None for its own; raises
    `UnknownLanguage` for one chibo does not speak."""
    code = request.GET.get("language", "")
    if code and code not in CODES:
        raise UnknownLanguage(code)
    return code or None


def unknown_language() -> HttpResponseBadRequest:
    return HttpResponseBadRequest(
        _(
            "There is no document in that language: ask for Vietnamese (vi), Khmer (km) or "
            "English (en)."
        ),
        content_type="text/plain; charset=utf-8",
    )
