"""Text helpers for names typed in Vietnamese, Khmer and English."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Vietnamese tone and vowel marks decompose into this block; Khmer vowel signs live in their own
# block (U+17B6–U+17D3) and must survive folding, or Khmer names would stop matching themselves.
LATIN_MARKS = range(0x0300, 0x0370)
# Zero-width space, non-joiner and joiner are legitimate inside Khmer words.
ALLOWED_FORMAT = {"\u200b", "\u200c", "\u200d"}
LINE_BREAKS = frozenset("\n\r\t")


def fold(text: str) -> str:
    """Lower-case `text` and drop Latin diacritics, so "Nguyễn Thị Đào" matches "nguyen thi dao".

    Only letters that carry such a mark are touched: normalising the whole text would also put
    Khmer signs in canonical order, and a Khmer name would no longer fold to itself."""
    folded = text.casefold().replace("đ", "d").translate(_UNMARKED)
    return " ".join(folded.split())


class _Unmarked(dict):
    """A translation table filled as characters are first met: `str.translate` then looks each
    character up in C, where a generator over the text cost a call per character (a search
    index rebuild folds millions)."""

    def __missing__(self, code: int) -> str:
        self[code] = kept = _unmarked(chr(code))
        return kept


_UNMARKED = _Unmarked()


def _unmarked(ch: str) -> str:
    """`ch` without the Latin marks it is made of (or nothing, if it is one)."""
    if ord(ch) in LATIN_MARKS:
        return ""
    decomposed = unicodedata.normalize("NFD", ch)
    kept = "".join(part for part in decomposed if ord(part) not in LATIN_MARKS)
    return ch if kept == decomposed else unicodedata.normalize("NFC", kept)


def validate_plain_text(value: str, allowed: frozenset[str] = frozenset()) -> None:
    """Refuse control characters and bidirectional overrides, which hide what a name says."""
    for ch in value:
        category = unicodedata.category(ch)
        if ch in allowed:
            continue
        if category in {"Cc", "Cs", "Co", "Cn"} or (category == "Cf" and ch not in ALLOWED_FORMAT):
            raise ValidationError(
                _("Remove the invisible or control character (U+%(code)04X)."),
                code="control_character",
                params={"code": ord(ch)},
            )


def validate_multiline_text(value: str) -> None:
    """As `validate_plain_text`, for texts of several lines and paragraphs."""
    validate_plain_text(value, allowed=LINE_BREAKS)


def mask(value: str, keep: int = 3) -> str:
    """Hide all but the last `keep` characters of a personal number."""
    if not value:
        return ""
    shown = value[-keep:] if len(value) > keep else ""
    return "•" * (len(value) - len(shown)) + shown
