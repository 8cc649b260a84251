"""Documents as PDF: a template rendered in the active language, typeset by WeasyPrint.

WeasyPrint shapes the text with HarfBuzz; the fonts ship in `chibo/static/fonts/` (declared once,
in `templates/pdf/fonts.css`), so a document looks the same on every machine, and the renderer
may read those files and nothing else.
"""

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
# A document is kept a week after it was last made; its key changes with what it shows.
KEPT = 7 * 24 * 60 * 60


class FontsOnly(URLFetcher):
    """Serves the bundled fonts and refuses every other URL: a document never reaches out."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme != "file" or parts.netloc or not path.is_relative_to(FONTS):
            raise ValueError(f"Only the bundled fonts may be read, not {url}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())


def render(template: str, context: dict) -> bytes:
    """`template` as a PDF, given the language it is written in (`lang`)."""
    html = render_to_string(template, {"lang": get_language(), **context})
    # Relative URLs (the fonts in @font-face) resolve inside the fonts folder.
    return HTML(string=html, base_url=FONTS.as_uri() + "/", url_fetcher=FontsOnly()).write_pdf()


def kept(drawn_from: Iterable, make: Callable[[], bytes]) -> bytes:
    """The document `make` renders, made once per state of what it is `drawn_from` (a record's
    version and the moment it last changed, say) and language, then served from the shared
    cache: typesetting a long record takes seconds, reading it back takes none."""
    parts = "\n".join([*(str(part) for part in drawn_from), get_language() or ""])
    key = f"pdf:{hashlib.sha256(parts.encode()).hexdigest()}"
    document = cache.get(key)
    if document is None:
        document = make()
        cache.set(key, document, timeout=KEPT)
    return document
