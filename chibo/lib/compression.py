"""Pages compressed on their way out (decision record 20): Django's gzip, which pads each
response by a random length against BREACH, applied to text only, and never to a page that
shows a secret meant to be read once."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

# Text compresses; PDFs, spreadsheets, images and fonts are compressed already.
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


def uncompressed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose page holds a lasting secret next to what the address says (an
    authenticator's key, recovery codes): sent as it is, so its length says nothing."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.uncompressed = True
        return response

    return wrapped


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(response, "uncompressed", False):
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
