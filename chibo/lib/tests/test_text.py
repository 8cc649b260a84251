import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
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
def test_it_keeps_khmer_signs(text):
    assert fold(text) == " ".join(text.split())


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
