"""What a browser with a cold cache downloads for one page: the HTML and every stylesheet,
script, image and icon it references, each once. Shared by the page-weight test and
`bench/page_weight.py`, so both count the same things."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

# What browsers accept; the server chooses (gzip from Django, Brotli or gzip from WhiteNoise).
ACCEPT_ENCODING = "gzip, br"
# `<link rel=…>` whose target a browser fetches when it loads the page.
FETCHED_LINKS = {"stylesheet", "icon", "manifest", "preload", "modulepreload", "apple-touch-icon"}
LIMIT = 100 * 1000


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "img", "source") and attributes.get("src"):
            self.found.append(attributes["src"])
        elif tag == "link" and attributes.get("href"):
            rels = set((attributes.get("rel") or "").lower().split())
            if rels & FETCHED_LINKS:
                self.found.append(attributes["href"])


def assets(html: str, page_url: str) -> list[str]:
    """The same-site addresses the page makes a browser fetch, each once, in order. Addresses
    of other sites are returned too, absolute: the Content Security Policy refuses them, and a
    test should see them."""
    parser = _Assets()
    parser.feed(html)
    found: list[str] = []
    for address in parser.found:
        if address.startswith("data:"):
            continue  # inside the page, counted with it
        absolute = urldefrag(urljoin(page_url, address)).url
        if absolute not in found:
            found.append(absolute)
    return found


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
