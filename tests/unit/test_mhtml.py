"""Unit tests for pages saved as one file (`.mhtml`, `.mht`: a browser's "Webpage, Single File"),
read by qa/mhtml.py and index/formats.py. The files are written as Chrome writes them
(`tests.pages.single_file_page`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.formats import read_article_file
from qa.errors import BadInput
from qa.mhtml import page_of_mhtml
from tests.pages import single_file_page

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
