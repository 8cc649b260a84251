"""The command line speaks the language asked with --language, or the locale's: Vietnamese and
Khmer as such, English for every other locale (C.UTF-8 included)."""

import os
import subprocess
import sys

import pytest

from chibo.cli import language_of_locale, split_language


@pytest.mark.parametrize(
    "environ, language",
    [
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "km_KH.UTF-8"}, "km"),
        ({"LANG": "km_KH"}, "km"),
        # POSIX order: LC_ALL, then LC_MESSAGES, then LANG.
        ({"LANG": "vi_VN.UTF-8", "LC_MESSAGES": "km_KH.UTF-8"}, "km"),
        ({"LANG": "vi_VN.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8", "LC_ALL": ""}, "en"),
    ],
)
def test_it_follows_the_locale(environ, language):
    assert language_of_locale(environ) == language


def test_the_option_beats_the_locale_and_leaves_the_line():
    vi = {"LANG": "vi_VN.UTF-8"}
    assert split_language(["--language", "km", "backup", "x.zip"], vi) == (
        "km",
        ["backup", "x.zip"],
    )
    assert split_language(["backup", "--language=en", "x.zip"], vi) == ("en", ["backup", "x.zip"])
    assert split_language(["backup", "x.zip"], vi) == ("vi", ["backup", "x.zip"])
    assert split_language(["--language", "fr", "stats"], vi) == ("en", ["stats"])


def test_commands_with_their_own_option_keep_it():
    line = ["remind", "--language", "km"]
    assert split_language(line, {"LANG": "C.UTF-8"}) == ("km", line)


def run(*args: str, **environ: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANG"}
    code = "import sys; sys.argv = ['chibo', *sys.argv[1:]]; from chibo.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env | environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize(
    "environ, args, said",
    [
        ({"LANG": "C.UTF-8"}, [], "Copy the database and the uploaded files into one archive."),
        ({"LANG": "vi_VN.UTF-8"}, [], "Sao chép cơ sở dữ liệu"),
        ({"LANG": "km_KH.UTF-8"}, [], "ចម្លងមូលដ្ឋានទិន្នន័យ"),
        ({"LANG": "C.UTF-8"}, ["--language", "vi"], "Sao chép cơ sở dữ liệu"),
    ],
)
def test_the_command_line_speaks_that_language(environ, args, said, tmp_path):
    out = run(*args, "backup", "--help", CHIBO_DATA_DIR=str(tmp_path), **environ)
    assert said in out
