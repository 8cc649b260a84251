"""Search words: what is written can be found by typing it, with or without marks, in either
script, and nothing typed becomes query syntax or markup."""

from hypothesis import given
from hypothesis import strategies as st

from chibo.lib.search import MAX_QUERY, MAX_WORDS, index_text, parse, snippet, words

RESOLUTION_KM = "សេចក្តីសម្រេចចិត្ត"
# The same word as many keyboards type it: the subscript "da" where the dictionary has "ta".
RESOLUTION_KM_DA = "សេចក្ដីសម្រេចចិត្ត"
VOCABULARY = [
    "Nghị",
    "quyết",
    "Đảng",
    "ủy",
    "chi",
    "bộ",
    "phát",
    "triển",
    "khoa",
    "học",
    "57-NQ/TW",
    "42-HD/BTCTW",
    "resolution",
    RESOLUTION_KM,
    "កោសិកាបក្ស",
    "កិច្ចប្រជុំ",
    "ឯកសារ",
    "សមាជិកបក្ស",
]


def found(query: str, text: str) -> bool:
    """Every phrase of the query stands, in order, among the text's words."""
    indexed = index_text(text).split()
    return all(
        any(indexed[i : i + len(phrase)] == list(phrase) for i in range(len(indexed)))
        for phrase in parse(query).phrases
    )


def test_vietnamese_is_found_with_or_without_its_marks():
    text = "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học"
    assert found("nghi quyet", text)
    assert found("NGHỊ QUYẾT", text)
    assert found("dot pha", text)
    assert not found("nghi quyet 58", text)


def test_an_official_number_is_found_whole_however_its_separators_are_typed():
    text = "Hướng dẫn 42-HD/BTCTW của Ban Tổ chức Trung ương"
    assert found("42-HD/BTCTW", text)
    assert found("42/hd-btctw", text)
    assert found("42 hd btctw", text), "typed as words, each word is found"
    assert not found("42-HD/BTC", text)
    assert parse("57-NQ/TW").phrases == (("57nqtw",),)


def test_khmer_is_found_inside_a_run_written_without_spaces():
    text = f"សិក្សា{RESOLUTION_KM}លេខ 57-NQ/TW"
    assert found(RESOLUTION_KM, text)
    assert found("ឯកសារ", "ការសិក្សាឯកសារថ្មី")
    assert not found("កិច្ចប្រជុំ", text)


def test_khmer_spellings_that_look_the_same_are_the_same():
    assert words(RESOLUTION_KM_DA) == words(RESOLUTION_KM)
    assert found(RESOLUTION_KM_DA, f"សិក្សា{RESOLUTION_KM}")
    assert found(RESOLUTION_KM, f"សិក្សា\u200b{RESOLUTION_KM_DA}\u200bលេខ")


def test_nothing_typed_reaches_query_syntax():
    for typed in ['" * NEAR ( ) :', "'; DROP TABLE x; --", "%_\\", "…!?", "   ", ""]:
        query = parse(typed)
        for word in query.words:
            assert word.isalnum(), (typed, word)
    assert not parse('" * ( ) :')
    assert not parse("…!? -- ;")
    assert parse("'; DROP TABLE x; --").words == ["drop", "table", "x"]


def test_a_long_query_is_cut_and_says_so():
    query = parse("nghị quyết " * 1000)
    assert query.cut and len(query.typed) <= MAX_QUERY
    assert query.words == ["nghi", "quyet"]
    many = parse(" ".join(f"w{n}" for n in range(40)))
    assert many.cut and len(many.phrases) == MAX_WORDS
    assert not parse("nghị quyết 57").cut


def test_highlighting_marks_whole_words_and_escapes_the_rest():
    text = "<b>Phá</b> thế cờ: phát triển & đột phá"
    shown = snippet(text, parse("pha"))
    assert shown == (
        "&lt;b&gt;<mark>Phá</mark>&lt;/b&gt; thế cờ: phát triển &amp; đột <mark>phá</mark>"
    )
    assert "<mark>57-NQ/TW</mark>" in snippet("Nghị quyết 57-NQ/TW", parse("57/nq-tw"))
    khmer = snippet(f"សិក្សា{RESOLUTION_KM}", parse(RESOLUTION_KM_DA))
    assert f"<mark>{RESOLUTION_KM}</mark>" in khmer


def test_a_snippet_is_the_passage_around_the_first_word_found():
    text = "Mở đầu. " * 40 + "Chi bộ bàn nghị quyết về đột phá. " + "Kết luận. " * 40
    shown = snippet(text, parse("dot pha"), width=60)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert "<mark>đột</mark> <mark>phá</mark>" in shown
    assert len(shown.replace("<mark>", "").replace("</mark>", "")) <= 60 + 4


@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=12), st.data())
def test_any_run_of_words_of_a_text_finds_it(chosen, data):
    text = " ".join(chosen)
    start = data.draw(st.integers(0, len(chosen) - 1))
    end = data.draw(st.integers(start + 1, len(chosen)))
    typed = " ".join(chosen[start:end])
    assert found(typed, text)
    assert found(typed.upper(), text)
