"""Fail when a user-facing string lacks a Vietnamese or Khmer translation.

Extracts the strings afresh (as `makemessages` would), counts what is untranslated or fuzzy,
restores the catalogues as they were, and checks the committed .mo files are compiled from them.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "chibo" / "locale"
LANGUAGES = ["vi", "km"]


def statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--statistics", "--check-format", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr.strip()


def main() -> int:
    catalogues = {lang: LOCALE / lang / "LC_MESSAGES" / "django.po" for lang in LANGUAGES}
    saved = {lang: po.read_bytes() for lang, po in catalogues.items()}
    failures = []
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "chibo.cli",
                "makemessages",
                "--no-obsolete",
                "--no-location",
                *[f"--locale={lang}" for lang in LANGUAGES],
                "--ignore=.venv/*",
                "--ignore=bench/*",
            ],
            cwd=ROOT / "chibo",
            check=True,
            capture_output=True,
            env={**os.environ, "SECRET_KEY": "only-extracting-messages"},
        )
        for lang, po in catalogues.items():
            stats = statistics(po)
            print(f"{lang}: {stats}")
            if "untranslated" in stats or "fuzzy" in stats:
                failures.append(f"{lang}: {stats}")
    finally:
        for lang, po in catalogues.items():
            po.write_bytes(saved[lang])
    for lang, po in catalogues.items():
        with tempfile.TemporaryDirectory() as tmp:
            compiled = Path(tmp) / "django.mo"
            subprocess.run(["msgfmt", "-o", str(compiled), str(po)], check=True)
            if compiled.read_bytes() != po.with_suffix(".mo").read_bytes():
                failures.append(f"{lang}: django.mo is stale; run `chibo compilemessages`")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
