"""A binary file (a PDF, a .docx, an image) sent or saved in place of an article or a page is
told by its first bytes, one detector for every path (`qa.text_input.binary_kind`): what it
is and what to do instead, not "no article text was found in the page"."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.documents_service import text_file
from api.routers.documents import NewDocument
from index.formats import read_article_file
from qa.errors import BadInput
from qa.extraction import extract_page
from qa.text_input import binary_kind, binary_problem, garbled_problem, normalize_text

pytestmark = pytest.mark.unit

# the first bytes of each kind, as such a file starts (a PDF's streams hold NULs further on)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n"
DOCX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01"
GIF = b"GIF89a\x10\x00\x10\x00\x80\x00\x00"
KINDS = [
    (PDF, "a PDF document"),
    (DOCX, "a ZIP archive"),
    (PNG, "a PNG image"),
    (JPEG, "a JPEG image"),
    (GIF, "a GIF image"),
]


@pytest.mark.parametrize(("data", "kind"), KINDS)
@pytest.mark.parametrize("reading", ["bytes", "latin-1", "cp1252", "latin-1, input rule"])
def test_a_binary_file_is_told_by_its_first_bytes_however_it_was_read(
    data: bytes, kind: str, reading: str
) -> None:
    sent: bytes | str = data
    if reading != "bytes":
        sent = data.decode(reading.split(",")[0], errors="replace")
    if reading.endswith("input rule"):
        if data == DOCX:  # "PK\x03\x04" is "PK" once the controls are gone: told as sent
            return
        sent = normalize_text(str(sent))
    found = binary_kind(sent)
    assert found is not None and found[0].startswith(kind)


@pytest.mark.parametrize("data", [PDF, DOCX, PNG, GIF])
def test_a_binary_file_read_as_utf8_with_replacements_is_told_too(data: bytes) -> None:
    found = binary_kind(data.decode("utf-8", errors="replace"))
    assert found is not None


@pytest.mark.parametrize(
    "text",
    [
        "PKK party leaders met on Tuesday.",
        "GIF images were banned from the forum.",
        "%PDF is how the file begins.",
        "\ufffd\ufffd\ufffd the council met.",  # three unknown bytes alone are no JPEG
        "The harbour reopened on Monday.",
    ],
)
def test_text_that_only_looks_a_little_like_a_signature_is_not_binary(text: str) -> None:
    assert binary_kind(text) is None
    assert binary_problem(text, wanted="text") is None


def test_the_problem_says_what_it_is_and_what_to_do() -> None:
    problem = binary_problem(PDF, wanted="an HTML page")
    assert problem is not None
    assert problem.startswith(
        "binary content: a PDF document, not an HTML page; the index reads PDFs: put it in the "
        "corpus folder named .pdf, or send it to POST /documents/import as content_base64"
    )
    assert "save the web page it came from as HTML" in problem


@pytest.mark.parametrize(("data", "kind"), KINDS)
@pytest.mark.parametrize("field", ["html", "text"])
def test_a_binary_file_sent_to_post_documents_is_refused_saying_what_it_is(
    data: bytes, kind: str, field: str
) -> None:
    """Before: a PDF sent as `html` was "no article text was found in the page"."""
    wanted = "an HTML page" if field == "html" else "text"
    with pytest.raises(ValidationError) as refused:
        NewDocument.model_validate({field: data.decode("latin-1")})
    (error,) = refused.value.errors()
    assert error["loc"] == (field,)
    assert error["msg"].startswith(f"binary content: {kind}")
    assert f", not {wanted}; " in error["msg"]


def test_a_pdf_read_as_a_page_is_said_to_be_a_pdf() -> None:
    with pytest.raises(BadInput, match="^binary content: a PDF document, not an HTML page; "):
        extract_page(PDF + b"stream\n\x00\x01x\x9c\x00endstream\n")
    with pytest.raises(BadInput, match="a PDF document, not an HTML page"):
        extract_page(PDF.decode("latin-1"))


@pytest.mark.parametrize("name", ["report.html", "report.txt", "report.md", "report.htm"])
def test_a_pdf_in_the_corpus_folder_is_skipped_saying_it_is_a_pdf(
    tmp_path: Path, name: str
) -> None:
    (tmp_path / name).write_bytes(PDF + b"stream\n\x00\x01x\x9c\x00endstream\n")
    found = read_article_file(tmp_path / name, max_bytes=10_000)
    assert found.articles == []
    assert list(found.warnings) == [
        f"skipped {name}: binary content: a PDF document, not "
        + ("text" if name.endswith((".txt", ".md")) else "an HTML page")
        + "; the index reads PDFs: put it in the corpus folder named .pdf, or send it to POST "
        "/documents/import as content_base64 (the page's Add form does), or save the web page "
        "it came from as HTML (File > Save Page As)"
    ]


def test_other_binary_content_keeps_its_short_reason(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02 data\x00")
    (tmp_path / "blob.html").write_bytes(b"<p>\x00\x01\x02 data\x00</p>")
    assert list(read_article_file(tmp_path / "blob.txt", max_bytes=1024).warnings) == [
        "skipped blob.txt: binary content"
    ]
    assert list(read_article_file(tmp_path / "blob.html", max_bytes=1024).warnings) == [
        "skipped blob.html: binary content, not an HTML page"
    ]


# --- binary bytes without a signature, read as text ----------------------------------------

NOISE = random.Random(101).randbytes(3000)  # compressed or random data: no first bytes to tell


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8"])
def test_random_bytes_sent_as_text_are_told_as_binary_not_as_an_encoding(encoding: str) -> None:
    """Before: "holds 4 sequences of UTF-8 read as Windows-1252 … read its file as UTF-8" (or
    "read the file with its real encoding"), wrong advice for a binary file."""
    body = NewDocument.model_validate({"text": NOISE.decode(encoding, errors="replace")})
    with pytest.raises(BadInput) as refused:
        text_file(body, None, 100_000)
    said = str(refused.value)
    assert said.startswith("text is binary content, not an article's words: ")
    assert "Windows-1252" not in said and "encoding" not in said
    assert "convert a PDF or another document to text first" in said


PROSE = (
    "Le café de la gare a rouvert ses portes après des années de travaux, et les habitués "
    "sont revenus dès le premier matin, dit José Martínez, qui le tient depuis l’été. "
)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # UTF-8 read as Windows-1252: the encoding advice, as before
        (PROSE.encode("utf-8").decode("cp1252", errors="replace") * 3, "read as Windows-1252"),
        # a Greek ISO-8859-7 file read as UTF-8: every letter U+FFFD, spaces kept
        (
            ("Το λιμάνι άνοιξε ξανά τη Δευτέρα μετά από μια εβδομάδα καταιγίδων. " * 4)
            .encode("iso-8859-7")
            .decode("utf-8", errors="replace"),
            "replacement character(s)",
        ),
        # Russian UTF-8 read as Latin-1: mostly Latin-1 letters, but spaced as prose
        (
            ("Порт вновь открылся в понедельник после недели штормов. " * 4)
            .encode("utf-8")
            .decode("latin-1"),
            "Latin-1 symbols",
        ),
    ],
)
def test_text_really_decoded_wrongly_keeps_its_encoding_advice(text: str, said: str) -> None:
    problem = garbled_problem(normalize_text(text))
    assert problem is not None and said in problem
    assert "binary content" not in problem


@pytest.mark.parametrize(
    "text",
    [
        PROSE * 3,
        "北京市是中华人民共和国的首都，也是全国的政治、文化中心。" * 3,
        "Hafnarfjörður er bær á höfuðborgarsvæðinu; þar búa um 30 þúsund manns. " * 3,
    ],
)
def test_prose_is_not_binary(text: str) -> None:
    assert garbled_problem(text) is None
