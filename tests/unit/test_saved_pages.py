"""Unit tests for pages a browser saved as one file, read by qa/saved_pages.py and
index/formats.py: `.mhtml`/`.mht` (Chrome's and Edge's "Webpage, Single File"), written as
Chrome writes them (`tests.pages.single_file_page`), and Safari's `.webarchive`
(`tests.pages.safari_web_archive`)."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from index.formats import read_article_file
from qa.errors import BadInput
from qa.saved_pages import page_of_mhtml, page_of_webarchive
from qa.text_input import binary_problem
from tests.pages import safari_web_archive, single_file_page

pytestmark = pytest.mark.unit

ADDRESS = "https://news.example.org/vester/harbour-wall"
BODY = [
    "Repairs to the harbour wall in Vester began on Monday, three months after a storm broke "
    "through it and flooded the quay.",
    "The council said the work would cost 2.4 million euros and end in March, when the ferry "
    "to Lillö is due to return to its old berth.",
    "Fishermen who moved their boats to Nordhamn during the repairs will be paid for the extra "
    "fuel, the harbour master, Tomas Breck, told the council’s meeting.",
]
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Harbour wall repairs begin in Vester | Vester Weekly</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour wall repairs begin in Vester</h1>
{"".join(f"<p>{p}</p>" for p in BODY)}
<img src="{ADDRESS}/wall.png" alt="The wall"></article>
<footer>© Vester Weekly</footer></body></html>"""


def mhtml(page: str, *, charset: str | None = None, location: bool = True) -> bytes:
    return single_file_page(page, address=ADDRESS, charset=charset, part_address=location)


def test_a_single_file_page_is_read_as_its_html_is(tmp_path: Path) -> None:
    (tmp_path / "harbour-wall.mhtml").write_bytes(mhtml(PAGE))
    read = read_article_file(tmp_path / "harbour-wall.mhtml", max_bytes=1_000_000)
    assert list(read.warnings) == []
    (article,) = read.articles
    assert article.doc_id == "harbour-wall"
    assert article.title == "Harbour wall repairs begin in Vester"
    assert article.url == ADDRESS  # where it was saved from: the page names no canonical one
    assert article.text.split("\n\n") == BODY  # "council’s" decoded, nothing of the nav
    # the file is what a rebuild compares, not the page inside it
    (tmp_path / "same.html").write_text(PAGE, encoding="utf-8")
    (page,) = read_article_file(tmp_path / "same.html", max_bytes=1_000_000).articles
    assert page.text == article.text
    assert page.content_hash != article.content_hash


def test_the_charset_of_the_part_decodes_the_page() -> None:
    page = PAGE.replace('<meta charset="utf-8">', "")
    saved = page_of_mhtml(mhtml(page, charset="windows-1252"))
    assert isinstance(saved.html, str) and "council’s" in saved.html and "Lillö" in saved.html


def test_without_a_part_address_the_snapshot_address_is_used() -> None:
    assert page_of_mhtml(mhtml(PAGE, location=False)).url == ADDRESS


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"<html><body><p>just a page</p></body></html>", "no MIME parts"),
        (mhtml(PAGE).replace(b"Content-Type: text/html", b"Content-Type: text/css"), "no HTML"),
    ],
)
def test_a_file_that_is_no_single_file_page_is_skipped_and_said_why(
    tmp_path: Path, data: bytes, said: str
) -> None:
    with pytest.raises(BadInput, match=said):
        page_of_mhtml(data)
    (tmp_path / "broken.mht").write_bytes(data)
    read = read_article_file(tmp_path / "broken.mht", max_bytes=1_000_000)
    assert read.articles == []
    assert len(read.warnings) == 1 and read.warnings[0].startswith("skipped broken.mht:")


@pytest.mark.parametrize("binary", [True, False], ids=["binary", "xml"])
def test_a_safari_web_archive_is_read_as_its_page_is(tmp_path: Path, binary: bool) -> None:
    (tmp_path / "harbour-wall.webarchive").write_bytes(
        safari_web_archive(PAGE, address=ADDRESS, binary=binary)
    )
    read = read_article_file(tmp_path / "harbour-wall.webarchive", max_bytes=1_000_000)
    assert list(read.warnings) == []
    (article,) = read.articles
    assert (article.doc_id, article.title, article.url) == (
        "harbour-wall",
        "Harbour wall repairs begin in Vester",
        ADDRESS,
    )
    assert article.text.split("\n\n") == BODY


def test_the_web_archive_s_text_encoding_decodes_the_page() -> None:
    page = PAGE.replace('<meta charset="utf-8">', "")
    saved = page_of_webarchive(safari_web_archive(page, address=ADDRESS, charset="windows-1252"))
    assert isinstance(saved.html, str) and "council’s" in saved.html and "Lillö" in saved.html


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"<html><body><p>a page</p></body></html>", "not a Safari web archive"),
        (plistlib.dumps({"WebSubresources": []}), "no page in this web archive"),
        (
            plistlib.dumps({"WebMainResource": {"WebResourceData": b"%PDF-1.4",
                                                "WebResourceMIMEType": "application/pdf"}}),
            "holds application/pdf, not a web page",
        ),
    ],
)  # fmt: skip
def test_a_web_archive_without_a_page_is_skipped_and_said_why(
    tmp_path: Path, data: bytes, said: str
) -> None:
    with pytest.raises(BadInput, match=said):
        page_of_webarchive(data)
    (tmp_path / "broken.webarchive").write_bytes(data)
    read = read_article_file(tmp_path / "broken.webarchive", max_bytes=1_000_000)
    assert read.articles == []
    assert len(read.warnings) == 1 and read.warnings[0].startswith("skipped broken.webarchive:")


def test_a_web_archive_sent_as_a_page_says_where_it_is_read() -> None:
    sent = safari_web_archive(PAGE, address=ADDRESS).decode("latin-1")
    problem = binary_problem(sent, wanted="an HTML page")
    assert problem is not None and "Safari's .webarchive" in problem
    assert "put a .webarchive file in the corpus folder" in problem
