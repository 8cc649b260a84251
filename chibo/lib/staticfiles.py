"""Static files as WhiteNoise serves them: each with its Brotli and gzip copies beside it
(decision record 20)."""

import os
from typing import Any

from whitenoise.storage import CompressedStaticFilesStorage

SUFFIXES = (".br", ".gz")


class CompressedOnceStorage(CompressedStaticFilesStorage):
    """WhiteNoise's storage, compressing only the files changed since their copies were made:
    `chibo serve` collects the files at every start, in a second rather than half a minute
    (Django's admin and the PDFs' fonts are most of them)."""

    def post_process(self, paths: dict[str, Any], dry_run: bool = False, **options: Any):
        changed = {path: found for path, found in paths.items() if not self.compressed(path)}
        return super().post_process(changed, dry_run, **options)

    def compressed(self, path: str) -> bool:
        """Whether a compressed copy of the file is there, made from the file as it is now:
        WhiteNoise gives its copies the time the file was changed."""
        full = self.path(path)
        try:
            changed = os.stat(full).st_mtime
        except FileNotFoundError:
            return False
        return any(
            os.path.exists(full + suffix) and os.stat(full + suffix).st_mtime == changed
            for suffix in SUFFIXES
        )
