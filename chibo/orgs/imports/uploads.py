"""A spreadsheet kept between the dry run and the import, and the state of that import.

The file and a small JSON state live in MEDIA_ROOT/imports/, named by a random UUID and never
by the name the user gave, so no user input reaches a path and no URL can be guessed. The web
process and the worker share nothing else, so the state is written atomically.
"""

import contextlib
import json
import os
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from uuid import UUID, uuid4

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from chibo.orgs.imports.apply import Report

# Problems kept for the web page; the command line prints them all.
SHOWN_PROBLEMS = 200
# Files nobody confirmed hold personal data: they do not outlive a day.
MAX_AGE_SECONDS = 24 * 3600


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


class Upload:
    def __init__(self, id: UUID, state: dict) -> None:
        self.id = id
        self.state = state

    @classmethod
    def create(cls, file: UploadedFile) -> "Upload":
        folder().mkdir(parents=True, exist_ok=True)
        _purge_stale()
        # The form only lets through .xlsx and .csv, so the suffix is safe to reuse.
        upload = cls(uuid4(), {"name": file.name[:200], "suffix": Path(file.name).suffix.lower()})
        with open(upload.path, "wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        return upload

    @classmethod
    def get(cls, id: UUID) -> "Upload | None":
        try:
            return cls(id, json.loads(cls._state_path(id).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None

    @staticmethod
    def _state_path(id: UUID) -> Path:
        return folder() / f"{id}.json"

    @property
    def path(self) -> Path:
        return folder() / f"{self.id}{self.state['suffix']}"

    def save(self, **changes) -> None:
        self.state.update(changes)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder(), suffix=".tmp", delete=False
        ) as out:
            json.dump(self.state, out, ensure_ascii=False)
        os.replace(out.name, self._state_path(self.id))

    def save_report(self, status: str, report: Report) -> None:
        self.save(
            status=status,
            problems=[asdict(problem) for problem in report.problems[:SHOWN_PROBLEMS]],
            problem_count=len(report.problems),
            warnings=report.warnings,
            counts=report.counts,
            # Every one, however many: each must be confirmed to import.
            conflicts=[conflict.as_state() for conflict in report.conflicts],
        )

    def discard_file(self) -> None:
        self.path.unlink(missing_ok=True)


def _purge_stale() -> None:
    oldest = time.time() - MAX_AGE_SECONDS
    for path in folder().iterdir():
        # Another request may be purging the same files at the same time.
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < oldest:
                path.unlink()
