"""The uploaded files (MEDIA_ROOT): documents, attachments and whatever later parts keep."""

import shutil
from pathlib import Path

from django.conf import settings

# Uploaded spreadsheets wait here for their import; they are not records and do not outlive a
# day (orgs.imports.uploads), so they are neither backed up nor counted as content.
TRANSIENT = {"imports"}


def root() -> Path:
    return Path(settings.MEDIA_ROOT)


def files() -> dict[str, Path]:
    """Every kept file, by its path under MEDIA_ROOT."""
    base = root()
    if not base.is_dir():
        return {}
    return {
        path.relative_to(base).as_posix(): path
        for path in sorted(base.rglob("*"))
        if path.is_file() and path.relative_to(base).parts[0] not in TRANSIENT
    }


def replace(restored: dict[str, Path]) -> None:
    """Make MEDIA_ROOT hold exactly `restored` (by path under it), the transient aside."""
    base = root()
    for name, path in files().items():
        if name not in restored:
            path.unlink()
    for name, source in restored.items():
        target = base / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
