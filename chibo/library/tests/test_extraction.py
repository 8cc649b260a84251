"""The text of a PDF and of a DOCX, read for phones and for search; files that give none."""

import io

from pypdf import PdfReader, PdfWriter

from chibo.library.extraction import extract
from chibo.library.tests.library_data import docx_bytes, encrypted_pdf, pdf_bytes, scanned_pdf
from chibo.meetings.documents import DOCX, PDF


def test_it_reads_the_text_of_a_pdf_in_vietnamese_and_khmer():
    data = pdf_bytes("Nghị quyết số 57-NQ/TW của Bộ Chính trị", "សេចក្តីសម្រេចចិត្ត")
    text = extract(data, PDF)
    assert "57-NQ/TW" in text
    assert "Bộ Chính trị" in text


def test_it_reads_the_paragraphs_of_a_docx():
    data = docx_bytes("Hướng dẫn 42-HD/BTCTW", "Về nâng cao chất lượng sinh hoạt chi bộ")
    assert extract(data, DOCX) == "Hướng dẫn 42-HD/BTCTW\nVề nâng cao chất lượng sinh hoạt chi bộ"


def test_an_encrypted_or_scanned_pdf_gives_no_text():
    assert extract(encrypted_pdf(), PDF) is None
    assert extract(scanned_pdf(), PDF) is None


def test_a_damaged_file_gives_no_text_rather_than_an_error():
    assert extract(b"%PDF-1.7 not really", PDF) is None
    assert extract(b"PK\x03\x04 not a zip", DOCX) is None
    assert extract(docx_bytes("<broken"), DOCX) is None


def test_a_hundred_page_pdf_is_read_whole():
    """Every page's text; how long it takes is measured by `bench/bench_search.py`, not here."""
    # A page of a resolution: about 300 words (five paragraphs of sixty).
    page = PdfReader(io.BytesIO(pdf_bytes(*["Đảng viên học tập nghị quyết. " * 12] * 5)))
    writer = PdfWriter()
    for _ in range(100):
        writer.add_page(page.pages[0])
    out = io.BytesIO()
    writer.write(out)
    text = extract(out.getvalue(), PDF)
    assert text.count("Đảng viên") >= 100
