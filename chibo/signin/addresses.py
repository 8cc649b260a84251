"""Where a sign-in comes from, for counting failures per address."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address in the header the reverse proxy writes (`CHIBO_CLIENT_IP_HEADER`), else the
    connection's own. Of a list (X-Forwarded-For) the last: the one our proxy saw; the ones
    before it are whatever the client claimed."""
    if header := settings.CHIBO_CLIENT_IP_HEADER:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        if address := value.split(",")[-1].strip():
            return address
    return request.META.get("REMOTE_ADDR")
