"""Documents as PDF: a template rendered in the active language, typeset by WeasyPrint.

WeasyPrint shapes the text with HarfBuzz; the fonts ship in `chibo/static/fonts/` (declared once,
in `templates/pdf/fonts.css`), so a document looks the same on every machine, and the renderer
may read those files and nothing else.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from django.utils.translation import get_language
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"


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
