"""The `chibo` command: Django's management commands under the project's own name.

It speaks the language asked with `--language` (anywhere on the line), or else the locale's
(LC_ALL, LC_MESSAGES, LANG, as POSIX orders them): Vietnamese and Khmer, English for any other.
"""

import os
import sys
from collections.abc import Mapping, Sequence

SPOKEN = ("vi", "km")
FALLBACK = "en"
# Commands with a `--language` of their own (what they write in): it stays on their line.
OWN_OPTION = {"import", "remind"}


def language_of_locale(environ: Mapping[str, str]) -> str:
    """The language of the first locale variable set: "vi_VN.UTF-8" → vi, "C.UTF-8" → en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return code if code in SPOKEN else FALLBACK
    return FALLBACK


def split_language(argv: Sequence[str], environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """The language to speak and the arguments left for the command.

    `--language` is taken out of the line, except after a command that has its own (`import`,
    `remind`: it names the language of what they write, and the line's too)."""
    rest, language = list(argv), None
    keep = bool(rest) and rest[0] in OWN_OPTION
    for i, arg in enumerate(rest):
        if arg == "--":
            break
        if arg.startswith("--language="):
            language = arg.split("=", 1)[1]
            if not keep:
                del rest[i]
            break
        if arg == "--language" and i + 1 < len(rest):
            language = rest[i + 1]
            if not keep:
                del rest[i : i + 2]
            break
    if language is None:
        return language_of_locale(environ), rest
    code = language.split("-")[0].split("_")[0].lower()
    return (code if code in (*SPOKEN, FALLBACK) else FALLBACK), rest


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    language, rest = split_language(sys.argv[1:], os.environ)
    django.setup()
    translation.activate(language)
    execute_from_command_line(["chibo", *rest])


if __name__ == "__main__":
    main()
