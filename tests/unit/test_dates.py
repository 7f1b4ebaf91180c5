"""Dates: parsed from articles and requests, carried by paragraphs, and filtering retrieval."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.inputs import AskRequest
from index.corpus import read_corpus
from qa.articles import article_from_request, compose_raw, make_article, new_doc_id
from qa.dates import MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES, parse_date
from qa.errors import BadInput
from qa.paragraphs import split_paragraphs
from qa.retrieval import all_of, in_articles, published_between
from tests.fakes import build_corpus

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-21", dt.date(2024, 10, 21)),
        ("Oct. 21, 2024", dt.date(2024, 10, 21)),
        ("21 October 2024", dt.date(2024, 10, 21)),
        ("October 21 2024", dt.date(2024, 10, 21)),
        ("2024-10-21T05:35:00Z", dt.date(2024, 10, 21)),
        ("Sept 3, 2015", dt.date(2015, 9, 3)),
        ("Monday, Oct. 21, 2024", dt.date(2024, 10, 21)),
        ("Tue 3, 2015", None),  # a weekday does not stand in for the month
        ("October 2024", None),  # no day: not guessed
        ("21 October", None),  # no year: not guessed
        ("2024", None),
        ("yesterday", None),
        ("2024-02-30", None),
        ("03/04/2024", None),  # 3 April or March 4: not guessed
        ("03.04.2024", None),
        ("03/04/2024 09:15", None),  # a time of day after it does not make it less ambiguous
        ("03/04/2024, 9:15 am", None),
        ("21/10/2024 10:30", dt.date(2024, 10, 21)),
        ("21/10/2024", dt.date(2024, 10, 21)),  # only one reading
        ("10/21/2024", dt.date(2024, 10, 21)),
        ("04/04/2024", dt.date(2024, 4, 4)),  # both readings agree
        # a month's and a weekday's names in another language (a French feed's pubDate)
        ("lun., 04 nov. 2024 10:00:00 +0100", dt.date(2024, 11, 4)),
        ("mar., 05 févr. 2024 10:00:00 +0100", dt.date(2024, 2, 5)),  # "mar.," is Tuesday
        ("mié., 03 abr. 2024 10:00:00 +0200", dt.date(2024, 4, 3)),
        ("4 de noviembre de 2024", dt.date(2024, 11, 4)),
        ("lunedì, 4 novembre 2024", dt.date(2024, 11, 4)),
        ("novembre 2024", None),  # still no day
        ("lun., 04 zorp 2024", None),  # no month's name in any language
        # Russian and Ukrainian, with the year's word after it; Chinese, Japanese and Korean
        ("19 июня 2024 г.", dt.date(2024, 6, 19)),
        ("5 марта 2024 года", dt.date(2024, 3, 5)),
        ("среда, 19 июня 2024", dt.date(2024, 6, 19)),
        ("19 червня 2024 р.", dt.date(2024, 6, 19)),
        ("19 июня 2024 года в 10:30", dt.date(2024, 6, 19)),
        ("19 июня 2024 г. в 10:30", dt.date(2024, 6, 19)),
        ("19 червня 2024 р. о 10:30", dt.date(2024, 6, 19)),
        ("19 июня 2024 года в Москве", None),  # "в" before a place, not a time
        # the time written with a dot, as Russian and Ukrainian (and British English) write it:
        # after "в", "о" or "at" it is a time (a decimal there has a comma, "в 2,5 раза")
        ("19 июня 2024 года в 10.30", dt.date(2024, 6, 19)),
        ("19 червня 2024 р. о 10.30", dt.date(2024, 6, 19)),
        ("5 марта 2024 года в 9.05.30", dt.date(2024, 3, 5)),
        ("19 June 2024 at 10.30", dt.date(2024, 6, 19)),
        ("19 июня 2024 года в 25.30", None),  # no hour of a day, as "в 25:30" is none
        ("19 июня 2024 года в 10.75", None),
        ("19 июня 2024 года в 2.5 раза", None),  # a number, and words after the date
        # the dotted time before the date: dateutil read "9.05" as a day and month ("At 9.05 on
        # June 19, 2024" was 9 June 2019, "at 10.30, 19 June 2024" 19 June 2010)
        ("At 9.05 on June 19, 2024", dt.date(2024, 6, 19)),
        ("at 10.30, 19 June 2024", dt.date(2024, 6, 19)),
        ("в 10.30 19 июня 2024", dt.date(2024, 6, 19)),
        ("2024年6月19日", dt.date(2024, 6, 19)),
        ("2024年06月19日 10:30", dt.date(2024, 6, 19)),
        ("2024년 6월 19일", dt.date(2024, 6, 19)),
        # the weekday in brackets, a time with its signs or after a morning word, Korean dots
        ("2024年6月19日（水）", dt.date(2024, 6, 19)),
        ("2024年6月19日 10時30分", dt.date(2024, 6, 19)),
        ("2024년 6월 19일 오전 10:30", dt.date(2024, 6, 19)),
        ("2024.06.19 오후 3시 5분", dt.date(2024, 6, 19)),
        ("2024.6.31", None),
        ("2024年13月19日", None),
        ("2024年6月", None),  # no day
        ("июнь 2024", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Updated on Oct. 21, 2024 5:35 a.m. E.T.", "2024-10-21"),
        ("Published: 2031-03-04", "2031-03-04"),
        ("March 5, 2031", "2031-03-05"),
        ("Published: 14/03/2024", "2024-03-14"),  # day and month in figures, one reading
        ("14.03.2024", "2024-03-14"),
        ("Updated: 03/14/2024, 10:30", "2024-03-14"),
    ],
)
def test_the_cleaner_takes_a_date_line_as_the_articles_date(line: str, iso: str) -> None:
    article = make_article("x", f"Harbour reopens\n\n{line}\n\nThe harbour reopened on Monday.")
    assert article.date == iso
    assert line not in article.text
    assert {p.date for p in split_paragraphs(article)} == {iso}  # every paragraph carries it


def test_a_date_line_whose_day_and_month_could_be_either_stays_in_the_text() -> None:
    article = make_article("x", "Harbour reopens\n\nPublished: 03/04/2024\n\nThe harbour reopened.")
    assert article.date is None
    assert "Published: 03/04/2024" in article.text


def test_the_build_says_which_article_is_undated_for_its_unread_date_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "harbour.txt").write_text(
        "Harbour reopens\n\nPublished: 03/04/2024\n\nThe harbour reopened.", encoding="utf-8"
    )
    (tmp_path / "tram.txt").write_text(
        "Tram opens\n\nPublished: 13/04/2024\n\nThe tram opened.", encoding="utf-8"
    )  # one reading: 13 April
    with caplog.at_level(logging.WARNING, logger="index.formats"):
        articles, skipped = read_corpus(tmp_path)
    assert [a.date for a in articles] == [None, "2024-04-13"] and skipped == []
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and said[0].startswith(
        "harbour.txt is indexed undated: its date line 'Published: 03/04/2024' has no one reading"
    )


def test_an_article_sent_by_api_reads_back_with_its_metadata() -> None:
    raw = compose_raw(
        "The harbour reopened on Monday after storms.\n\nShips returned by noon.",
        title="Harbour reopens after storms",
        source="Coast Times",
        date=dt.date(2024, 10, 21),
    )
    article, again = article_from_request(
        "harbour", raw, title=None, source=None, date=None
    )  # already composed: composing adds nothing
    assert (article.title, article.source, article.date) == (
        "Harbour reopens after storms",
        "Coast Times",
        "2024-10-21",
    )
    assert article.text == "The harbour reopened on Monday after storms.\n\nShips returned by noon."
    assert again.startswith("Title: Harbour reopens after storms\n\nSource: Coast Times")


def test_an_article_with_nothing_left_after_cleaning_is_bad_input() -> None:
    with pytest.raises(BadInput, match="no usable text"):
        article_from_request("x", "Share this article", title=None, source=None, date=None)


def test_new_doc_ids_are_readable_and_differ_by_content() -> None:
    first = new_doc_id("Harbour Reopens: After Storms!", "one text")
    assert first.startswith("harbour-reopens-after-storms-")
    assert first != new_doc_id("Harbour Reopens: After Storms!", "another text")
    assert new_doc_id(None, "¡¿ ?!").startswith("article-")


def test_published_between_keeps_only_dated_paragraphs_in_range() -> None:
    article = make_article("a", "Title here\n\n2024-10-21\n\nSome body text about ships.")
    paragraph = split_paragraphs(article)[0]
    undated = paragraph.model_copy(update={"date": None})
    assert published_between(dt.date(2024, 10, 21), dt.date(2024, 10, 21))(paragraph)
    assert published_between(None, dt.date(2024, 10, 21))(paragraph)
    assert published_between(dt.date(2024, 10, 1), None)(paragraph)
    assert not published_between(dt.date(2024, 10, 22), None)(paragraph)
    assert not published_between(None, dt.date(2024, 10, 20))(paragraph)
    assert not published_between(None, None)(undated)


def test_restricted_retriever_searches_only_articles_in_the_range() -> None:
    articles = {
        f"port-{day}": f"Port news {day}\n\n2024-10-{day:02d}\n\n"
        f"The port of Skarra handled {day} ferries and cargo ships on that day."
        for day in range(1, 29)
    }
    articles["undated"] = "Port news\n\nThe port of Skarra handled ferries and cargo ships."
    corpus, retriever, _ = build_corpus(articles)
    question = "How many ferries and cargo ships did the port of Skarra handle?"
    everything = {h.paragraph.doc_id for h in retriever.retrieve(question, top_k=50).hits}
    assert "undated" in everything

    window = retriever.restricted(published_between(dt.date(2024, 10, 25), dt.date(2024, 10, 27)))
    hits = window.retrieve(question, top_k=50).hits
    assert {h.paragraph.doc_id for h in hits} == {"port-25", "port-26", "port-27"}
    assert all(corpus.paragraphs[h.row].paragraph_id == h.paragraph.paragraph_id for h in hits)
    none = retriever.restricted(published_between(dt.date(1999, 1, 1), dt.date(1999, 12, 31)))
    assert none.retrieve(question).hits == []


def test_date_ranges_and_articles_restrict_together_and_say_what_left_nothing() -> None:
    articles = {
        f"port-{day}": f"Port news\n\nPublished: 2024-10-{day:02d}\n\nThe port of Skarra "
        f"handled {day} ferries."
        for day in (1, 2)
    }
    _, retriever, _ = build_corpus(articles)
    both = all_of([published_between(dt.date(2024, 10, 2), None),
                   in_articles(["port-1", "port-2"], articles)])  # fmt: skip
    hits = retriever.restricted(both).retrieve("How many ferries did Skarra handle?").hits
    assert {h.paragraph.doc_id for h in hits} == {"port-2"}
    neither = all_of([published_between(dt.date(2024, 10, 2), None),
                      in_articles(["port-1"], articles)])  # fmt: skip
    assert not retriever.restricted(neither).keeps_any()
    assert neither.nothing_kept == (
        "no article is left to search by the date range and the articles asked for (undated "
        "articles are left out of a range)"
    )


def test_ask_request_takes_an_optional_iso_date_range() -> None:
    body = AskRequest.model_validate(
        {"question": "What happened?", "date_from": "2024-10-01", "date_to": "2024-10-31"}
    )
    assert (body.date_from, body.date_to) == (dt.date(2024, 10, 1), dt.date(2024, 10, 31))
    assert AskRequest.model_validate({"question": "What happened?"}).date_from is None
    with pytest.raises(ValidationError, match="after date_to"):
        AskRequest.model_validate(
            {"question": "What happened?", "date_from": "2024-11-01", "date_to": "2024-10-31"}
        )
    for wrong in ("last week", "soon", 20241001, "2024-02-30", "2024-10-01T12:00", "20241001",
                  "2024-W40-1"):  # fmt: skip
        with pytest.raises(ValidationError, match="not a calendar date; send one as YYYY-MM-DD"):
            AskRequest.model_validate({"question": "What happened?", "date_from": wrong})


def test_the_calendar_words_are_dateutils() -> None:
    assert len(MONTH_NAMES) == 12 and {"january", "may", "september"} <= MONTH_NAMES
    assert {"jan", "sep", "sept", "dec"} <= MONTH_ABBREVIATIONS
    assert not MONTH_ABBREVIATIONS & MONTH_NAMES  # "may" is a name, not an abbreviation
    assert len(WEEKDAY_NAMES) == 7 and {"monday", "sunday"} <= WEEKDAY_NAMES


@pytest.mark.parametrize("time", ["", "T05:35:00Z", "T05:35", " 23:59:59", "T12:00:00.5-0800"])
@pytest.mark.parametrize(
    "day", ["2024-10-21", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01"]
)
def test_iso_dates_read_as_dateutil_reads_them(day: str, time: str) -> None:
    """The fast path for year-month-day (what exports write) gives what the general one
    does, refusals included; a time out of range is left to the general one."""
    from qa.dates import _ISO, _parsed

    text = f"{day}{time}"
    assert _ISO.match(text)
    assert parse_date.__wrapped__(text) == _parsed(text)
    assert _ISO.match(f"{day}T24:00") is None and parse_date(f"{day}T24:00") is None
