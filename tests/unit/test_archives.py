"""Unit tests for qa.archives: one line of a .jsonl archive into one article."""

from __future__ import annotations

import json
import re

import pytest

from qa.archives import article_from_record, parse_record, record_doc_id
from qa.errors import BadInput
from tests.pages import news_page

pytestmark = pytest.mark.unit

TEXT = (
    "The Brenna glasshouse museum opened on Friday with 340 species of orchids from twelve "
    "countries.\n\nCurator Tomas Eriksen said entry will be free until June."
)


def line(**fields: object) -> str:
    return json.dumps(fields)


def test_a_text_line_is_cleaned_like_a_text_file_and_keeps_its_fields() -> None:
    record = parse_record(line(title="Glasshouse opens", text=TEXT, date="March 9, 2031",
                               source="Brenna Courier", url="https://courier.example/glasshouse",
                               author="Lena Holm", tags=["museums"]))  # fmt: skip
    article = article_from_record(record, doc_id="glasshouse-1", line_hash="ab" * 32)
    assert (article.title, article.source, article.date) == (
        "Glasshouse opens",
        "Brenna Courier",
        "2031-03-09",
    )
    assert (article.author, article.url) == ("Lena Holm", "https://courier.example/glasshouse")
    assert article.text == TEXT
    assert article.content_hash == "ab" * 32


def test_an_html_line_reads_the_page_and_its_own_fields_win() -> None:
    html = news_page(title="Page title", paragraphs=TEXT.split("\n\n"), date="2023-05-02",
                     site="Page Site", author="Page Author",
                     url="https://page.example/a")  # fmt: skip
    page = article_from_record(parse_record(line(html=html)), doc_id="a", line_hash="h")
    assert (page.title, page.source, page.date, page.author, page.url) == (
        "Page title",
        "Page Site",
        "2023-05-02",
        "Page Author",
        "https://page.example/a",
    )
    overridden = article_from_record(
        parse_record(line(html=html, title="Archive title", date="2023-06-01")),
        doc_id="a",
        line_hash="h",
    )
    assert (overridden.title, overridden.date) == ("Archive title", "2023-06-01")
    assert overridden.text == TEXT


def test_ids_are_stable_and_come_from_the_address_or_else_the_content() -> None:
    address = "https://x.example/2031/glasshouse-opens.html"
    with_url = parse_record(line(title="A", text=TEXT, url=f"{address}#top"))
    same_url = parse_record(line(title="Other", text="Other text, long enough.", url=address))
    assert record_doc_id(with_url) == record_doc_id(same_url)
    assert record_doc_id(with_url).startswith("glasshouse-opens-")

    def content_id(text: str) -> str:
        return record_doc_id(parse_record(line(title="Glasshouse opens in Brenna", text=text)))

    assert content_id(TEXT) == content_id(TEXT)
    assert content_id(TEXT).startswith("glasshouse-opens-in-brenna-")
    assert content_id(TEXT) != content_id(TEXT + " More.")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"title": "A", "text": "B"', "not valid JSON"),
        ("[1, 2]", "JSON object, not list"),
        (line(title="A"), "exactly one of `text` or `html`"),
        (line(title="A", text="B", html="<p>C</p>"), "exactly one of `text` or `html`"),
        (line(title="Empty story", text=""), "`text` is empty: give the article's text"),
        (line(text=TEXT), "`title` is missing"),
        (line(title="A", text=TEXT, url="javascript:alert(1)"), "`url` "),
        (line(title="A" * 400, text=TEXT), "`title` is longer than 300"),
        (line(title=5, text=TEXT), "`title` must be text, not a number"),
        (line(title={"en": "A"}, text=TEXT), "`title` must be text, not an object"),
        (line(title="A", text=TEXT, author=[{"id": 7}]), "`author` must be a name, or a list"),
    ],
)
def test_a_bad_line_says_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        parse_record(raw)
    assert message in str(caught.value)


def test_a_line_without_usable_text_is_refused() -> None:
    record = parse_record(line(title="Share", text="Share this article"))
    with pytest.raises(BadInput, match="no usable text"):
        article_from_record(record, doc_id="x", line_hash="h")
    page = parse_record(line(html="<html><body><nav><a href='/'>Home</a></nav></body></html>"))
    with pytest.raises(BadInput, match="no article text"):
        article_from_record(page, doc_id="y", line_hash="h")


def test_the_names_exports_give_the_fields_are_read() -> None:
    record = parse_record(
        line(headline="Glasshouse opens", body=TEXT, published="2031-03-09",
             link="https://courier.example/glasshouse", authors=["Lena Holm", "Tomas Berg"],
             publisher={"@type": "Organization", "name": "Brenna Courier"})
    )  # fmt: skip
    article = article_from_record(record, doc_id="g", line_hash="h")
    assert (article.title, article.date, article.url) == (
        "Glasshouse opens",
        "2031-03-09",
        "https://courier.example/glasshouse",
    )
    assert (article.author, article.source) == ("Lena Holm; Tomas Berg", "Brenna Courier")
    assert article.text == TEXT
    # the field's own name wins over another name for it
    both = parse_record(line(title="Own", headline="Other", text=TEXT))
    assert both.title == "Own"


@pytest.mark.parametrize(
    ("value", "date"),
    [
        (1950000000, "2031-10-17"),
        (1950000000000, "2031-10-17"),
        (1950000000.5, "2031-10-17"),
        (20241021, "2024-10-21"),  # digits, not seconds after 1970
        (20241021053500, "2024-10-21"),
    ],
)
def test_a_date_given_as_a_number_is_read(value: float, date: str) -> None:
    assert parse_record(line(title="A", text=TEXT, date=value)).date == date


@pytest.mark.parametrize("value", [10**17, -(10**13), 20241399])
def test_a_number_that_is_no_plausible_date_is_no_date(value: int) -> None:
    record = parse_record(line(title="A", text=TEXT, date=value))
    assert record.date is None
    assert record.date_problem is not None
    assert re.match(r"`date` .* is neither a date written as digits", record.date_problem)


@pytest.mark.parametrize(
    "value", ["19 июня 2024 года в 10.30", "19 червня 2024 р. о 10.30", "19 June 2024 at 10.30"]
)
def test_a_date_with_its_time_written_with_a_dot_is_read(value: str) -> None:
    """A Russian, Ukrainian or British time writes its hour and minutes apart by a dot ("в
    10.30"); the record's date is the date, as with a colon, not a problem."""
    record = parse_record(line(title="A", text=TEXT, date=value))
    assert (record.date, record.date_problem) == ("2024-06-19", None)


def test_a_date_that_is_no_calendar_date_loses_no_article() -> None:
    """The record is read without it (undated), and says what it wrote; a record with other
    problems besides is still refused for those."""
    record = parse_record(line(title="A", text=TEXT, date="yesterday"))
    assert (record.title, record.date) == ("A", None)
    assert record.date_problem is not None
    assert record.date_problem.startswith("`date` 'yesterday' is not a calendar date")
    assert parse_record(line(title="A", text=TEXT, date="2024-10-21")).date_problem is None
    with pytest.raises(BadInput, match="`title` is missing"):
        parse_record(line(text=TEXT, date="yesterday"))


def test_another_name_whose_value_does_not_fit_is_ignored_as_before() -> None:
    record = parse_record(
        line(title="A", text=TEXT, published=True, link="/news/a", byline={"original": "x"},
             authors=[{"id": 7}], content="<p>teaser</p>")
    )  # fmt: skip
    assert (record.date, record.url, record.author) == (None, None, None)
    assert record.text == TEXT  # its own `text` wins
    html = news_page(title="Page", paragraphs=TEXT.split("\n\n"))
    assert parse_record(line(html=html, content="teaser")).text is None  # an html line
    # an empty field of its own is filled from another name
    assert parse_record(line(title="A", text="", body=TEXT)).text == TEXT


def test_a_wordpress_rest_export_is_read() -> None:
    """A post of `/wp-json/wp/v2/posts`: title and content as `{"rendered": …}`, the content
    HTML, the author a user's id. Each post was refused ("Input should be a valid string")."""
    post = {
        "id": 4821, "date": "2024-06-11T17:42:00", "link": "https://herald.example/2024/06/marsh/",
        "title": {"rendered": "Council leader resigns after expenses row"},
        "content": {"rendered": "<p>The leader of the council resigned on Tuesday after an "
                    "audit of her travel expenses.</p>\n<p>Her deputy will act as leader "
                    "until a vote on June 25.</p>", "protected": False},
        "excerpt": {"rendered": "<p>The leader resigned&#8230;</p>"}, "author": 7,
    }  # fmt: skip
    record = parse_record(json.dumps(post))
    assert (record.title, record.author, record.date) == (
        "Council leader resigns after expenses row",
        None,
        "2024-06-11",
    )
    article = article_from_record(record, doc_id="x", line_hash="h")
    assert article.text == (
        "The leader of the council resigned on Tuesday after an audit of her travel expenses."
        "\n\nHer deputy will act as leader until a vote on June 25."
    )


def test_authors_given_as_objects_are_named() -> None:
    authors = [{"name": "Lena Holm", "url": "/lena"}, {"name": "Tomas Berg"}]
    assert parse_record(line(title="A", text=TEXT, author=authors)).author == (
        "Lena Holm; Tomas Berg"
    )
    with pytest.raises(BadInput, match="`author`"):
        parse_record(line(title="A", text=TEXT, author=[{"id": 7}]))


def test_an_export_decoded_as_latin1_is_read_as_windows_1252() -> None:
    """Its C1 controls stand for Windows-1252's quotes and dashes: in the text and title (the
    cleaner's), the names (kept as given, so read here) and an html line's own title."""
    said = "Curator Tomas Eriksen\u2019s \u201cfirst orchid\u201d cost \u20ac40."
    garbled = said.encode("cp1252").decode("latin-1")
    record = parse_record(line(title="Glasshouse\x92s opening", text=f"{TEXT}\n\n{garbled}",
                               author=["Lena Holm", "Park Ji\x96won\x81"],
                               source="Courier\x99"))  # fmt: skip
    article = article_from_record(record, doc_id="g", line_hash="h")
    assert article.title == "Glasshouse\u2019s opening"
    assert article.text.endswith(said)
    assert (article.author, article.source) == ("Lena Holm; Park Ji\u2013won", "Courier\u2122")
    html = news_page(title="Page title", paragraphs=[*TEXT.split("\n\n"), garbled])
    page = article_from_record(
        parse_record(line(html=html, title="Archive\x92s title")), doc_id="a", line_hash="h"
    )
    assert page.title == "Archive\u2019s title" and page.text.endswith(said)


def test_markup_in_an_archive_text_becomes_plain_text() -> None:
    html_text = (
        "<p>The Brenna glasshouse museum opened on Friday with <b>340 species</b> of orchids "
        "&amp; ferns&nbsp;from twelve countries.</p><p>Curator Tomas Eriksen said entry will be "
        "free until June &mdash; <a href='/prices'>see prices</a>.</p>"
    )
    record = parse_record(line(title="Glasshouse &amp; ferns open", text=html_text))
    article = article_from_record(record, doc_id="g", line_hash="h")
    assert article.title == "Glasshouse & ferns open"
    assert article.text.split("\n\n") == [
        "The Brenna glasshouse museum opened on Friday with 340 species of orchids & ferns "
        "from twelve countries.",
        "Curator Tomas Eriksen said entry will be free until June — see prices.",
    ]
    plain = "Prices rose 3 < 5 percent, and 7 > 4 analysts agreed."
    assert parse_record(line(title="A", text=plain)).text == plain  # no markup: untouched


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("<p>First paragraph.<p>Second paragraph.", "First paragraph.\n\nSecond paragraph."),
        ("Before.<script>var x = 1;</script><style>p {}</style> After.", "Before. After."),
        ("If x<a and y>b then the ratio holds.", "If x<a and y>b then the ratio holds."),
        ("Write to <ann@coast.example> &amp; ask.", "Write to <ann@coast.example> & ask."),
        ("Line one<br/>line two.", "Line one\nline two."),
    ],
)
def test_plain_text_reads_markup_as_html_writes_it(text: str, plain: str) -> None:
    from qa.archives import plain_text

    assert plain_text(text).strip() == plain


def test_a_line_nested_deeper_than_json_reads_is_a_bad_line() -> None:
    with pytest.raises(BadInput, match="nested deeper than a JSON reader goes"):
        parse_record('{"title": "A", "text": "B", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")


def test_a_json_error_is_worded_once() -> None:
    with pytest.raises(BadInput) as caught:
        parse_record('{"title": "A", "text": "line\x01break"}')
    assert "at at" not in str(caught.value) and "at column" in str(caught.value)
