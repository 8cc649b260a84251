import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from chibo.lib.text import fold, mask, validate_multiline_text, validate_plain_text


@pytest.mark.parametrize(
    "name, folded",
    [
        ("Nguyễn Thị Đào", "nguyen thi dao"),
        ("  ĐỖ   Văn  Hùng ", "do van hung"),
        ("Trần Quốc Toản", "tran quoc toan"),
        ("សុខ ចាន់ថា", "សុខ ចាន់ថា"),
    ],
)
def test_it_folds_names_for_search(name, folded):
    assert fold(name) == folded


@given(st.text())
def test_it_folds_idempotently(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x1780, max_codepoint=0x17FF)))
@example("\u17dd\u17d2")  # Unicode's canonical order would put the coeng first
def test_it_keeps_khmer_signs(text):
    assert fold(text) == " ".join(text.split())


# Latin letters with and without diacritics, as Vietnamese is typed, the marks alone, spaces.
latin = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x41, max_codepoint=0x7A, categories=["L"]),
        st.characters(min_codepoint=0xC0, max_codepoint=0x24F, categories=["L"]),
        st.characters(min_codepoint=0x300, max_codepoint=0x36F),
        st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF),
        st.just(" "),
    )
)


@given(latin)
def test_it_folds_composed_and_decomposed_text_alike(text):
    nfc, nfd = (unicodedata.normalize(form, text) for form in ("NFC", "NFD"))
    assert fold(nfc) == fold(nfd)


def test_it_masks_all_but_the_last_digits():
    assert mask("022180001234") == "•••••••••234"
    assert mask("12") == "••"
    assert mask("") == ""


@pytest.mark.parametrize("bad", ["Mai\x00", "Mai\x1b[31m", "Mai\u202e", "A\u2066B"])
def test_it_refuses_control_characters(bad):
    with pytest.raises(ValidationError):
        validate_plain_text(bad)


@pytest.mark.parametrize("good", ["Nguyễn Thị Mai", "សុខ\u200bចាន់ថា", "O'Neil-Smith"])
def test_it_accepts_real_names(good):
    validate_plain_text(good)


def test_it_accepts_line_breaks_only_in_multiline_text():
    validate_multiline_text("Dòng một\nDòng hai\r\n\tthụt lề")
    with pytest.raises(ValidationError):
        validate_plain_text("Dòng một\nDòng hai")
    with pytest.raises(ValidationError):
        validate_multiline_text("Dòng một\x07")
