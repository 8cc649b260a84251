"""The text of a library file, for reading on a phone and for search.

PDF through pypdf; DOCX through the standard library (a DOCX is a zip of XML). A PDF that is
encrypted or holds only scanned images gives no text: `None`, and the document is marked so.
"""

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from chibo.meetings.documents import DOCX, PDF

log = logging.getLogger(__name__)

# What is kept of a document's text: a very long code of law is ~2 million characters.
TEXT_MAX = 3_000_000
# A DOCX's main part larger than this once unzipped is refused (a zip bomb), not parsed.
XML_MAX = 50 * 1024 * 1024
# A PDF with fewer letters than this is taken for scans (page numbers, a stamp).
LETTERS_PER_PAGE = 20
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SPACES = re.compile(r"[ \t\u00a0]+")
BLANK_LINES = re.compile(r"\n{3,}")


def extract(data: bytes, content_type: str) -> str | None:
    """The text of the file, tidied; None if it has none to give."""
    try:
        if content_type == PDF:
            text = _pdf(data)
        elif content_type == DOCX:
            text = _docx(data)
        else:
            return None
    except (PdfReadError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError) as e:
        log.warning("no text from a %s: %s", content_type, e)
        return None
    if text is None:
        return None
    text = tidy(text)[:TEXT_MAX]
    return text or None


def tidy(text: str) -> str:
    lines = (SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _pdf(data: bytes) -> str | None:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        return None  # members could not open it either; its text stays where it is
    pages = [page.extract_text() or "" for page in reader.pages]
    letters = sum(sum(ch.isalpha() for ch in page) for page in pages)
    if letters < LETTERS_PER_PAGE:
        return None  # scanned pages: images with at most page numbers
    return "\n\n".join(pages)


def _docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > XML_MAX:
            raise ValueError("word/document.xml is too large")
        with archive.open(info) as part:
            xml = part.read(XML_MAX + 1)
    if len(xml) > XML_MAX:
        raise ValueError("word/document.xml is too large")
    root = ElementTree.fromstring(xml)
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        words = []
        for node in paragraph.iter():
            if node.tag == f"{W}t" and node.text:
                words.append(node.text)
            elif node.tag == f"{W}tab":
                words.append("\t")
            elif node.tag in (f"{W}br", f"{W}cr"):
                words.append("\n")
        paragraphs.append("".join(words))
    return "\n".join(paragraphs)
