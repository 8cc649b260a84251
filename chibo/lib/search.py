"""Words for search: what an index stores and what a query asks, alike on SQLite and PostgreSQL.

- Vietnamese and English are folded (`text.fold`): "nghi quyet" finds "nghị quyết".
- Khmer is written without spaces between words. It is cut into its character clusters (a
  consonant with its subscripts, vowels and signs), each one word of the index; a Khmer query is
  searched as the phrase of its clusters, which finds the word wherever it is written. Spellings
  that look the same are made the same first (decision record 16).
- An official number ("57-NQ/TW", "42-HD/BTCTW") is one word as well as its parts, so that the
  number typed whole finds it exactly.

Queries become plain words and nothing else: whatever a user types, no character of it reaches
the database's query syntax.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from chibo.lib.text import fold

# Long enough for any real question; a pasted page is cut, not searched.
MAX_QUERY = 200
MAX_WORDS = 12

KHMER = "\u1780-\u17ff\u19e0-\u19ff"
COENG = "\u17d2"
# A cluster begins with a consonant or an independent vowel; subscripts (coeng + consonant),
# dependent vowels and signs follow it.
CLUSTER = re.compile(f"[\u1780-\u17b3](?:{COENG}[\u1780-\u17a2]|[\u17b4-\u17d1\u17d3\u17dd])*")
# Latin letters and digits, with the marks Vietnamese puts on them.
WORD = re.compile(r"[^\W_]+")
OFFICIAL_NUMBER = re.compile(r"\b(\d+)\s*[-/]\s*([^\W\d_]+(?:\s*[-/]\s*[^\W\d_]+)*)\b")
# What looks alike and is typed either way: the subscript "da" for the subscript "ta", and the
# invisible spaces some keyboards put between Khmer words.
KHMER_ALIKE = str.maketrans({"\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None})


def _khmer_same(text: str) -> str:
    return text.translate(KHMER_ALIKE).replace(COENG + "\u178a", COENG + "\u178f")


def _number_words(text: str) -> list[str]:
    """Each official number in `text` as one word: "57-NQ/TW" → "57nqtw"."""
    return [
        fold(number + re.sub(r"[\s/-]", "", letters))
        for number, letters in OFFICIAL_NUMBER.findall(text)
    ]


def words(text: str) -> list[str]:
    """The words of `text` as the index keeps them, in order."""
    text = _khmer_same(text)
    found = []
    for run in re.split(f"([{KHMER}]+)", text):
        if not run:
            continue
        if "\u1780" <= run[0] <= "\u19ff":
            found.extend(CLUSTER.findall(run))
        else:
            found.extend(WORD.findall(fold(run)))
    return found


def index_text(text: str) -> str:
    """`text` as an index column holds it: its words, then its official numbers whole."""
    return " ".join([*words(text), *_number_words(text)])


@dataclass(frozen=True)
class Query:
    """What a user asked: phrases (each a run of words to find in that order) and the text as
    typed, cut to a sane length. Empty when nothing in it can be searched."""

    typed: str
    phrases: tuple[tuple[str, ...], ...]
    cut: bool

    def __bool__(self) -> bool:
        return bool(self.phrases)

    @property
    def words(self) -> list[str]:
        return [word for phrase in self.phrases for word in phrase]


def parse(typed: str) -> Query:
    """A query from what was typed: each official number, each Khmer run and each other word is
    a phrase; every phrase must be found."""
    cut = len(typed) > MAX_QUERY
    if cut:  # at the last space, so that no word is searched for half of it
        head = typed[:MAX_QUERY]
        typed = head.rsplit(None, 1)[0] if typed[MAX_QUERY].strip() and " " in head else head
    typed = typed.strip()
    phrases: list[tuple[str, ...]] = [(number,) for number in _number_words(typed)]
    rest = OFFICIAL_NUMBER.sub(" ", typed) if phrases else typed
    for run in re.split(f"([{KHMER}]+)", _khmer_same(rest)):
        if not run:
            continue
        if "\u1780" <= run[0] <= "\u19ff":
            clusters = tuple(CLUSTER.findall(run))
            if clusters:
                phrases.append(clusters)
        else:
            phrases.extend((word,) for word in WORD.findall(fold(run)))
    unique = tuple(dict.fromkeys(phrases))[:MAX_WORDS]
    return Query(typed=typed, phrases=unique, cut=cut or len(unique) < len(set(phrases)))


def _pattern(query: Query) -> re.Pattern | None:
    """Where the query's words stand in the original text (with its marks)."""
    if not query:
        return None
    parts = []
    for phrase in query.phrases:
        if "\u1780" <= phrase[0][0] <= "\u19ff":
            parts.append("".join(re.escape(cluster) for cluster in phrase))
        else:
            parts.extend(_loose(word) for word in phrase if len(word) > 1 or word.isdigit())
    if not parts:
        return None
    return re.compile("|".join(sorted(parts, key=len, reverse=True)), re.IGNORECASE)


def _loose(word: str) -> str:
    """A folded word as a pattern over the decomposed text: each letter with any mark on it; an
    official number ("57nqtw") with any separators ("57-NQ/TW")."""
    number = re.fullmatch(r"(\d+)([^\W\d_]+)", word)
    if number:
        digits, letters = number.groups()
        return _whole(re.escape(digits) + r"\s*[-/]?\s*" + r"[\s/-]*".join(letters))
    letters = []
    for ch in word:
        if ch == "d":
            letters.append("[dđ]")
        elif ch.isalpha():
            # Possessive: the marks go with their letter, never left over for the next word.
            letters.append(re.escape(ch) + "[\u0300-\u036f]*+")
        else:
            letters.append(re.escape(ch))
    return _whole("".join(letters))


def _whole(pattern: str) -> str:
    """`pattern` only as a whole word: no letter, digit or mark just before or after it."""
    edge = r"[^\W_]|[\u0300-\u036f]"
    return f"(?<!{edge}){pattern}(?!{edge})"


def highlight(text: str, query: Query) -> SafeString:
    """`text`, escaped, with the words of the query marked."""
    decomposed = unicodedata.normalize("NFD", _khmer_same(text))
    pattern = _pattern(query)
    if pattern is None:
        return mark_safe(escape(unicodedata.normalize("NFC", decomposed)))
    out, last = [], 0
    for match in pattern.finditer(decomposed):
        out.append(escape(unicodedata.normalize("NFC", decomposed[last : match.start()])))
        out.append(f"<mark>{escape(unicodedata.normalize('NFC', match.group()))}</mark>")
        last = match.end()
    out.append(escape(unicodedata.normalize("NFC", decomposed[last:])))
    return mark_safe("".join(out))


def snippet(text: str, query: Query, width: int = 160) -> SafeString:
    """The passage of `text` around the first word found, about `width` characters, marked."""
    plain = unicodedata.normalize("NFC", _khmer_same(" ".join(text.split())))
    pattern = _pattern(query)
    found = pattern.search(unicodedata.normalize("NFD", plain)) if pattern else None
    if found is None or len(plain) <= width:
        start = 0
    else:
        # The position in the decomposed text, taken back to the composed one.
        before = unicodedata.normalize("NFC", unicodedata.normalize("NFD", plain)[: found.start()])
        start = max(0, len(before) - width // 3)
    passage = plain[start : start + width]
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(plain) else ""
    return mark_safe(prefix + highlight(passage, query) + suffix)
