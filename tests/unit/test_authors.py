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
        ("BY EVA LUND", "Eva Lund"),
        ("By: Eva Lund", "Eva Lund"),
        ("By By Eva Lund", "Eva Lund"),  # the file of an author sent with its "By"
        ("  Eva   Lund ", "Eva Lund"),
        ("By Eva Lund; by Li Wei", "Eva Lund; Li Wei"),  # each of several names
        ("Marta Kowalski, Staff Reporter", "Marta Kowalski"),  # a job title after a comma
        ("Tom Lee, Senior Political Correspondent; Li Wei, Staff Writers", "Tom Lee; Li Wei"),
        ("Ana Cruz, Harbour Times", "Ana Cruz"),  # a paper's name
        ("Ana Cruz, Tom Post", "Ana Cruz, Tom Post"),  # a second person, as far as is told
        ("Ana Cruz, Harbour", "Ana Cruz, Harbour"),  # no paper's name
        # a job title, then the outlet
        ("Naomi Fielding, Science Editor, The Lowland Herald", "Naomi Fielding"),
        ("Jane Doe, Staff Writer, The Times of London", "Jane Doe"),
        ("Jane Doe, Staff Writer, and Li Wei", "Jane Doe, Staff Writer, and Li Wei"),  # two people
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
    [("By Eva Lund", "Eva Lund"), ("By: Eva Lund", "Eva Lund"), ("BY EVA LUND", "Eva Lund"),
     ("Reuters staff", "Reuters staff"), ("Science X staff", "Science X staff"),
     ("Eva Lund; Amir Haddad", "Eva Lund; Amir Haddad"), ("Eva Lund;Amir Haddad",
     "Eva Lund; Amir Haddad"), ("Marta Kowalski, Staff Reporter", "Marta Kowalski"),
     ("By: Marta Kowalski, Staff Reporter", "Marta Kowalski"),
     ("Eva Lund, Associated Press", "Eva Lund"), ("EVA LUND, REUTERS", "Eva Lund"),
     ("By JOHN McDONALD", "John McDonald"), ("MARY O'NEILL", "Mary O'Neill")],
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


# bylines as wire copy, Nexis and Factiva exports and some pages write them, in capitals
CAPITALS = [
    ("JOHN SMITH", "John Smith"),
    ("By JOHN SMITH and MARY O'NEILL", "John Smith and Mary O'Neill"),
    ("JOHN SMITH AND MARY O'NEILL", "John Smith and Mary O'Neill"),
    ("JOHN SMITH, MARY JONES and LI WEI", "John Smith, Mary Jones and Li Wei"),
    ("JOHN SMITH & JANE DOE", "John Smith & Jane Doe"),
    ("JOHN McDONALD", "John McDonald"),
    ("JOHN MCDONALD", "John McDonald"),
    ("ANGUS MacLEOD", "Angus MacLeod"),
    ("DAVID MACHADO", "David Machado"),  # not "MacHado"
    ("LEONARDO DiCAPRIO", "Leonardo DiCaprio"),
    ("ROBERT D'ANGELO", "Robert D'Angelo"),
    ("MARY-KATE O'BRIEN", "Mary-Kate O'Brien"),
    ("MARIA DE LA CRUZ", "Maria de la Cruz"),
    ("MARIA de la CRUZ", "Maria de la Cruz"),
    ("ANNA VAN DER BERG", "Anna van der Berg"),
    ("MUHAMMAD BIN SALMAN", "Muhammad bin Salman"),
    ("DE LA CRUZ", "De la Cruz"),  # a name's first word keeps its capital
    ("J.R. MARTIN", "J.R. Martin"),
    ("J. K. ROWLING", "J. K. Rowling"),
    ("E.J. DIONNE JR.", "E.J. Dionne Jr."),
    ("ELIZABETH WILLIAMS III", "Elizabeth Williams III"),
    ("LOUIS XIV", "Louis XIV"),  # II to XX stay in capitals
    ("JOHN SMITH IX", "John Smith IX"),
    ("XI JINPING", "Xi Jinping"),  # XI is also a family name
    ("JOHN SMITH 2ND", "John Smith 2nd"),  # a figure's suffix in lower case
    ("KELLY NG", "Kelly Ng"),
    ("TY BURR", "Ty Burr"),
    ("LYNN WYNN", "Lynn Wynn"),
    ("JOS\u00c9 \u00c1LVAREZ", "Jos\u00e9 \u00c1lvarez"),
    ("\u00c5SA L\u00d6FGREN", "\u00c5sa L\u00f6fgren"),
    ("\u0418\u0412\u0410\u041d \u041f\u0415\u0422\u0420\u041e\u0412",
     "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432"),
    ("NYT STAFF", "NYT Staff"),
    ("WSJ STAFF", "WSJ Staff"),
    ("BBC NEWS", "BBC News"),
    ("AP", "AP"),
    ("NYT", "NYT"),
    ("REUTERS", "Reuters"),
    ("BY THE ASSOCIATED PRESS", "The Associated Press"),
    ("JOHN SMITH, STAFF WRITER", "John Smith"),
    ("SMITH, JOHN", "Smith, John"),  # the order as written
    ("JOHN SMITH, MD", "John Smith, MD"),  # a degree after a comma
    ("Rachael Link, MS, RD", "Rachael Link, MS, RD"),
    ("ANA ROSS, MPH; ELI WU, MBA", "Ana Ross, MPH; Eli Wu, MBA"),
    ("JOHN SMITH, JR.", "John Smith, Jr."),
    # written as names already, in part or whole: left as written
    ("Eva Lund", "Eva Lund"),
    ("Jean DUPONT", "Jean DUPONT"),
    ("maria de la Cruz", "maria de la Cruz"),
    ("Reuters staff", "Reuters staff"),
    ("Mary Jones and JOHN SMITH", "Mary Jones and John Smith"),  # each name alone
    ("Eva Lund; JONAS EK", "Eva Lund; Jonas Ek"),
]  # fmt: skip


@pytest.mark.parametrize(("given", "stored"), CAPITALS)
def test_a_name_in_capitals_is_written_as_a_name(given: str, stored: str) -> None:
    assert author_name(given) == stored


def test_a_text_files_byline_in_capitals_is_its_author() -> None:
    raw = f"Harbour reopens\n\nBy INGRID HOLM and SEAN O'NEILL\n\n{TEXT}\n"
    assert make_article("a", raw).author == "Ingrid Holm and Sean O'Neill"
