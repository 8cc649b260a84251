"""Recall and precision of three ways of indexing Khmer, on a hand-made corpus.

    python bench/bench_search_khmer.py

Khmer is written without spaces between words. The corpus is 60 short texts, each a run of
words from chibo's own Khmer catalogue written together; a third of them typed with invisible
spaces between words, a third with the subscript "da" where the dictionary has "ta" (the two
look the same). Each word is then searched for, as a user would type it, and a text counts as
relevant when the word stands in it once both spellings are made one. Compared:

- spaces: words split at spaces and punctuation, as SQLite's unicode61 tokenizer and
  PostgreSQL's simple configuration do: a Khmer run is one word;
- clusters: each character cluster a word, a query the phrase of its clusters;
- clusters, one spelling: the same after making look-alike spellings one (chibo.lib.search).
"""

import os
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

import django  # noqa: E402

django.setup()

from chibo.lib import search  # noqa: E402

WORDS = [
    "សេចក្តីសម្រេចចិត្ត",
    "កោសិកាបក្ស",
    "កិច្ចប្រជុំ",
    "ឯកសារ",
    "កំណត់ហេតុ",
    "របៀបវារៈ",
    "ប្រធានបទ",
    "សមាជិកបក្ស",
    "គណៈកម្មាធិការបក្ស",
    "លេខាធិការ",
    "វត្តមាន",
    "ការណែនាំ",
    "ផ្តល់មតិ",
    "ទីកន្លែង",
    "ស្តីពី",
    "ប្រជាពលរដ្ឋ",
]
QUERIES = [*WORDS, "បក្ស", "សម្រេចចិត្ត"]
TA, DA = "\u17d2\u178f", "\u17d2\u178a"


def corpus(seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for n in range(60):
        chosen = rng.sample(WORDS, rng.randint(3, 6))
        if n % 3 == 1:
            texts.append("\u200b".join(chosen))
        elif n % 3 == 2:
            texts.append("".join(chosen).replace(TA, DA))
        else:
            texts.append("".join(chosen))
    return texts


def by_spaces(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.replace("\u200b", " "))


def by_clusters(text: str) -> list[str]:
    runs = re.findall(f"[{search.KHMER}]+", text)
    return [cluster for run in runs for cluster in search.CLUSTER.findall(run)]


def contains(words: list[str], phrase: list[str]) -> bool:
    return any(words[i : i + len(phrase)] == phrase for i in range(len(words) - len(phrase) + 1))


def measure(name: str, split, texts: list[str]) -> None:
    hits = relevant_found = relevant_total = 0
    for query in QUERIES:
        relevant = {i for i, text in enumerate(texts) if query in search._khmer_same(text)}
        found = {i for i, text in enumerate(texts) if contains(split(text), split(query))}
        hits += len(found)
        relevant_found += len(found & relevant)
        relevant_total += len(relevant)
    recall = relevant_found / relevant_total
    precision = relevant_found / hits if hits else 1.0
    print(f"{name:26} recall {100 * recall:5.1f}%   precision {100 * precision:5.1f}%")


def main() -> None:
    texts = corpus()
    print(f"{len(texts)} texts, {len(QUERIES)} queries")
    measure("spaces", by_spaces, texts)
    measure("clusters", by_clusters, texts)
    measure("clusters, one spelling", search.words, texts)


if __name__ == "__main__":
    main()
