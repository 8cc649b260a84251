"""chibo's three languages. Text the app words itself (a step's name, a vote's subject, a
round's name) is stored as what it is and worded when read, in the reader's language; official
documents are made in their organisation's working language, or in the one a reader asks for."""

from functools import wraps

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


def document_language(view):
    """For a view that makes an official document: `?language=km` is passed on as `language`,
    None for the organisation's own; a language chibo does not speak answers 400 and makes
    nothing."""

    @wraps(view)
    def asked(request, *args, **kwargs):
        code = request.GET.get("language", "")
        if code and code not in CODES:
            return HttpResponseBadRequest(
                _(
                    "There is no document in that language: ask for Vietnamese (vi), Khmer (km) "
                    "or English (en)."
                ),
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, language=code or None, **kwargs)

    return asked
