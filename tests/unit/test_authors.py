"""Unit tests for qa.authors: an author stored alike from every source, without the "By" it
may be given with (an API field, an archive record's field or cell, a page's metadata, a text
file's byline), and a desk's staff stored as an author from every source too."""

from __future__ import annotations

import json

import pytest

from api.documents_service import text_file
from api.routers.documents import NewDocument
from qa.archives import article_from_record, parse_record, record_of
from qa.articles import article_from_request, make_article
from qa.authors import author_name
from qa.extraction import extract_page
from tests.pages import news_page

pytestmark = pytest.mark.unit

TEXT = "The harbour of Skarra reopened on Monday after a week of storms."
PARAGRAPHS = [
    TEXT,
    "Ferries to the mainland run twice a day again, the harbour master said on Monday.",
    "Repairs to the northern pier will take until the spring, the council said.",
]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("By Eva Lund", "Eva Lund"),
        ("by Eva Lund", "Eva Lund"),
        ("BY EVA LUND", "EVA LUND"),
        ("By: Eva Lund", "Eva Lund"),
        ("By By Eva Lund", "Eva Lund"),  # the file of an author sent with its "By"
        ("  Eva   Lund ", "Eva Lund"),
        ("By Eva Lund; by Li Wei", "Eva Lund; Li Wei"),  # each of several names
        ("Marta Kowalski, Staff Reporter", "Marta Kowalski"),  # a job title after a comma
        ("Tom Lee, Senior Political Correspondent; Li Wei, Staff Writers", "Tom Lee; Li Wei"),
        ("Ana Cruz, Harbour Times", "Ana Cruz, Harbour Times"),  # an outlet: not a job
        ("Smith, John", "Smith, John"),
        ("Eva Lund and Tom Lee, The Associated Press", "Eva Lund and Tom Lee"),  # an agency
        ("Martin Luther King, Jr.", "Martin Luther King, Jr."),
        ("Byron Bay", "Byron Bay"),  # a name that begins with the letters
        ("By", "By"),  # nothing after it: not a "By" before a name
        ("By ", "By"),
        ("", None),
        (None, None),
    ],
)
def test_an_author_is_stored_without_the_by_before_it(
    given: str | None, stored: str | None
) -> None:
    assert author_name(given) == stored


def _api_author(author: str) -> str | None:
    body = NewDocument.model_validate({"text": TEXT, "title": "Harbour reopens", "author": author})
    doc_id, raw, _, _ = text_file(body, None, 10_000)
    assert "By By" not in raw
    return make_article(doc_id, raw).author  # as every later build reads the file


def _archive_author(author: str) -> str | None:
    record = parse_record(json.dumps({"title": "Harbour reopens", "text": TEXT, "author": author}))
    return article_from_record(record, doc_id="a", line_hash="h").author


def _csv_author(author: str) -> str | None:
    record = record_of({"Title": "Harbour reopens", "body": TEXT, "byline": author})
    return article_from_record(record, doc_id="a", line_hash="h").author


def _html_record_author(author: str) -> str | None:
    html = news_page(title="Harbour reopens", paragraphs=PARAGRAPHS, author="Anna Berg")
    record = parse_record(json.dumps({"html": html, "author": author}))
    return article_from_record(record, doc_id="a", line_hash="h").author


def _page_author(author: str) -> str | None:
    html = news_page(title="Harbour reopens", paragraphs=PARAGRAPHS, author=author)
    return extract_page(html).author


SOURCES = [_api_author, _archive_author, _csv_author, _html_record_author, _page_author]


@pytest.mark.parametrize("source", SOURCES, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize(
    ("given", "stored"),
    [("By Eva Lund", "Eva Lund"), ("By: Eva Lund", "Eva Lund"), ("BY EVA LUND", "EVA LUND"),
     ("Reuters staff", "Reuters staff"), ("Science X staff", "Science X staff"),
     ("Eva Lund; Amir Haddad", "Eva Lund; Amir Haddad"), ("Eva Lund;Amir Haddad",
     "Eva Lund; Amir Haddad"), ("Marta Kowalski, Staff Reporter", "Marta Kowalski"),
     ("By: Marta Kowalski, Staff Reporter", "Marta Kowalski"),
     ("Eva Lund, Associated Press", "Eva Lund"), ("EVA LUND, REUTERS", "EVA LUND")],
)  # fmt: skip
def test_every_source_stores_an_author_alike(source: object, given: str, stored: str) -> None:
    """The same name is the same author whichever way it came: never "By Eva Lund" (answered
    as "… is by By Eva Lund"), and a desk's staff is not refused by one path only."""
    assert callable(source)
    assert source(given) == stored


def test_a_file_written_with_a_doubled_by_reads_the_name() -> None:
    """A file an earlier release wrote for `"author": "By Eva Lund"` ("By By Eva Lund")."""
    raw = f"Title: Harbour reopens\n\nBy By Eva Lund\n\n{TEXT}\n"
    article = make_article("a", raw)
    assert (article.author, article.text) == ("Eva Lund", TEXT)


def test_a_staff_byline_is_the_author_not_a_paragraph() -> None:
    article, raw = article_from_request(
        "a", TEXT, title="Harbour reopens", source=None, date=None, author="Reuters staff"
    )
    assert raw.startswith("Title: Harbour reopens\n\nBy Reuters staff\n\n")
    assert (article.author, article.text) == ("Reuters staff", TEXT)
