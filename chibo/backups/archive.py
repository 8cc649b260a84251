"""A backup archive: one gzipped tar holding a manifest, the database's dump and the uploaded
files. The manifest says what made it (chibo's version, the database engine, the migrations
applied), how many rows each table had, and the SHA-256 of every file, so that a damaged or
altered archive is refused before anything is restored."""

import hashlib
import io
import json
import os
import tarfile
import zlib
from pathlib import Path

from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = 1
MEDIA = "media"


class Damaged(Exception):
    """The archive cannot be trusted; the message says why, for the person restoring."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write(path: Path, manifest: dict, files: dict[str, Path]) -> None:
    """Write the archive beside `path`, then move it there: never a half-written backup."""
    manifest = {**manifest, "format": FORMAT, "files": {n: checksum(p) for n, p in files.items()}}
    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    partial = path.with_name(path.name + ".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(data), 0o600
        tar.addfile(info, io.BytesIO(data))
        for name, source in files.items():
            tar.add(source, arcname=name, recursive=False)
    os.replace(partial, path)


def unpack(path: Path, into: Path) -> dict:
    """Extract the archive into the folder `into` and return its manifest, once every file is
    found to match its checksum; raise Damaged otherwise."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            # "data": no absolute paths, links out of the folder or device files.
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise Damaged(
            _("This is not a chibo backup, or it is damaged (%(error)s).") % {"error": error}
        ) from error
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise Damaged(
            _("This archive has no readable manifest: it is not a chibo backup.")
        ) from error
    if manifest.get("format") != FORMAT:
        raise Damaged(
            _("This backup is in format %(format)s, which this chibo cannot read.")
            % {"format": manifest.get("format")}
        )
    found = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()}
    for name in sorted(found - set(files) - {MANIFEST}):
        raise Damaged(
            _("The archive holds a file its manifest does not list: %(name)s.") % {"name": name}
        )
    for name, digest in files.items():
        if name not in found or checksum(into / name) != digest:
            raise Damaged(
                _("The file %(name)s of the archive is missing or damaged: its checksum differs.")
                % {"name": name}
            )
    return manifest
