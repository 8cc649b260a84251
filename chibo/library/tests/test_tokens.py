"""The index's tokens: each word of a text spelt as both databases store it alike."""

from hypothesis import given
from hypothesis import strategies as st

from chibo.lib.search import index_text
from chibo.lib.tests.test_search import VOCABULARY
from chibo.library.index import engine

# Beside the vocabulary: a word too long to index, Khmer digits in an official number, and a
# Latin word whose marks fold away.
WORDS = [*VOCABULARY, "x" * (engine.LONGEST + 1), "១២-NQ/TW", "Straße", "ĐẢNG"]


@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_an_entrys_tokens_are_its_indexed_words_each_spelt_for_the_databases(chosen):
    text = " ".join(chosen)
    indexed = [word for word in index_text(text).split() if len(word) <= engine.LONGEST]
    assert engine.tokens(text).split() == [engine.token(word) for word in indexed]
