"""The audit log's secret: from the environment (CHIBO_AUDIT_KEY), or a file in the data folder
made on first use. Never in the database, so that whoever can write the database cannot forge
the seals."""

import functools
import hmac
import secrets
from pathlib import Path

from django.conf import settings

from chibo.lib.keyfiles import write_once


def key() -> bytes:
    return _key(settings.CHIBO_AUDIT_KEY, Path(settings.DATA_DIR) / "audit_key")


@functools.cache
def _key(configured: str, path: Path) -> bytes:
    if configured:
        return configured.encode()
    write_once(path, secrets.token_urlsafe(48).encode())
    return path.read_text().strip().encode()


def seal(message: str, secret: bytes | None = None) -> str:
    """HMAC-SHA256 of `message` under the audit key (or `secret`, read once by a caller that
    seals many), in hex."""
    return hmac.digest(secret or key(), message.encode(), "sha256").hex()
