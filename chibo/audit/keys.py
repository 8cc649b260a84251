"""The audit log's secret: from the environment (CHIBO_AUDIT_KEY), or a file in the data folder
made on first use. Never in the database, so that whoever can write the database cannot forge
the seals."""

import functools
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings


def key() -> bytes:
    return _key(settings.CHIBO_AUDIT_KEY, Path(settings.DATA_DIR) / "audit_key")


@functools.cache
def _key(configured: str, path: Path) -> bytes:
    if configured:
        return configured.encode()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a private file (0600 from the start), then linked into place: a
        # process starting at the same time finds no key or a complete one, and the first
        # link wins.
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        with open(draft, "w", opener=lambda p, flags: os.open(p, flags, 0o600)) as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode()


def seal(message: str, secret: bytes | None = None) -> str:
    """HMAC-SHA256 of `message` under the audit key (or `secret`, read once by a caller that
    seals many), in hex."""
    return hmac.digest(secret or key(), message.encode(), "sha256").hex()
