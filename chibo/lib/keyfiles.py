"""Secrets kept in files of the data folder (the audit key, the VAPID key), made on first use."""

import os
import tempfile
from pathlib import Path


def write_once(path: Path, data: bytes) -> None:
    """Write `data` to `path` unless a file is there. It goes whole to a private draft (0600
    from the start, a name of its own for each call), then is linked into place: whoever makes
    the key at the same time, another process or another thread of this one, finds no file or a
    complete one, and the first link wins."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)
