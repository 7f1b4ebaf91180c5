"""Unit tests for qa/markdown_text.py and Markdown articles as the cleaner, the API's article
files and a corpus folder's .md files read them: title, byline, date and plain paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.formats import read_article_file
from qa.articles import article_from_request
from qa.cleaning import clean_article
from qa.markdown_text import MarkdownText, looks_like_markdown, read_markdown

pytestmark = pytest.mark.unit

METRO = """# Pyongyang opens new metro line to foreign visitors

*By Tom Carver* | **Published:** 2024-09-12

North Korea **opened** a _new_ metro line to foreign visitors on Thursday, according to
[KCNA](https://kcna.kp/en/article/123), the state news agency.

![A train at Puhung station](https://example.com/train.jpg)

The line runs **12 kilometres** between Puhung and Kaeson stations, said _Kim Song-il_, a
guide. Timetables are at https://example.com/metro for now.

## Tickets

- Tickets cost *5 euros* for visitors.
- Tours run on [weekdays](https://example.com/tours) only.

> "We are proud of the metro," the guide said.
"""

METRO_TEXT = [
    "North Korea opened a new metro line to foreign visitors on Thursday, according to KCNA, "
    "the state news agency.",
    "The line runs 12 kilometres between Puhung and Kaeson stations, said Kim Song-il, a guide. "
    "Timetables are at https://example.com/metro for now.",
    # a list is one paragraph, an item a line; the "## Tickets" heading above it is dropped
    "- Tickets cost 5 euros for visitors.\n- Tours run on weekdays only.",
    '"We are proud of the metro," the guide said.',
]


def test_a_markdown_article_sent_as_text_has_its_title_byline_date_and_plain_words() -> None:
    article, raw = article_from_request(
        "metro", METRO, title=None, source=None, date=None, author=None
    )
    assert raw == METRO  # stored as sent: every later build reads it the same way
    assert article.title == "Pyongyang opens new metro line to foreign visitors"
    assert (article.author, article.date) == ("Tom Carver", "2024-09-12")
    assert article.text.split("\n\n") == METRO_TEXT
    for markup in ("**", "_", "[", "](", "#", "!", "> "):
        assert markup not in article.text


def test_a_title_sent_with_markdown_text_wins_and_the_heading_is_no_paragraph() -> None:
    article, _ = article_from_request(
        "metro", METRO, title="Metro line opens", source="Koryo Daily", date=None, author=None
    )
    assert (article.title, article.source, article.author) == (
        "Metro line opens",
        "Koryo Daily",
        "Tom Carver",
    )
    assert article.text.split("\n\n") == METRO_TEXT


def test_a_setext_heading_is_the_title_and_link_text_stays_without_its_address() -> None:
    cleaned = clean_article(
        "Harbour reopens after storms\n============================\n\nBy **Mira Hale**\n\n"
        "The harbour of [Skarra](https://skarra.example) reopened on **Monday**, said "
        "<https://port.example/news>.\n\nFerries resume on _Tuesday_.\n"
    )
    assert (cleaned.title, cleaned.author) == ("Harbour reopens after storms", "Mira Hale")
    assert cleaned.paragraphs == [
        "The harbour of Skarra reopened on Monday, said https://port.example/news.",
        "Ferries resume on Tuesday.",
    ]


def test_markdown_is_read_from_the_token_stream() -> None:
    read = read_markdown(
        "# A *headline* with [a link](https://x.example)\n\nText with `code`, ~~struck~~ "
        "words,\nan escaped \\*star\\* and &amp; an entity.  \nA hard break.\n\n"
        "| City | Riders |\n| --- | --- |\n| Oakhaven | 22,000 |\n\n"
        "1. first item\n2. second item\n\n![only a picture](p.png)\n\n```\ncode line\n```\n"
    )
    assert read == MarkdownText(
        title="A headline with a link",
        text="Text with code, struck words, an escaped *star* and & an entity.\nA hard break."
        "\n\n| City | Riders |\n\n| Oakhaven | 22,000 |\n\n1. first item\n\n2. second item"
        "\n\ncode line",
    )


def test_a_short_line_of_parts_is_a_line_each_and_a_long_one_is_left_whole() -> None:
    read = read_markdown("# Title\n\n**By Ann Lee** · *Source:* Coast Times | 2 min read\n")
    assert read is not None
    assert read.text == "By Ann Lee\nSource: Coast Times\n2 min read"
    long = "A " + "long " * 20 + "sentence | with a bar."
    read = read_markdown(f"# Title\n\n{long}\n")
    assert read is not None and read.text == long


def test_a_paragraph_of_labelled_lines_is_a_line_each() -> None:
    """A notes app's properties under the heading ("Author: …", "Date: …", "Source: …", one
    line break apart): Markdown renders them as one line, which the cleaner read as no byline,
    date or source, and kept as a paragraph."""
    body = "Three fishing boats were destroyed by fire in Skarra harbour early on Sunday."
    raw = (
        f"# Harbour fire\n\nAuthor: Eva Lund\nDate: March 3, 2024\nSource: Coast Times\n\n{body}\n"
    )
    cleaned = clean_article(raw, markdown=True)
    assert (cleaned.title, cleaned.author, cleaned.date, cleaned.source) == (
        "Harbour fire",
        "Eva Lund",
        "2024-03-03",
        "Coast Times",
    )
    assert cleaned.paragraphs == [body]
    sentence = "The crane arrived on Monday,\nand the harbour master said: it is early."
    read = read_markdown(f"# Title\n\n{sentence}\n")
    assert read is not None and read.text == sentence.replace("\n", " ")  # not labelled lines


@pytest.mark.parametrize(
    "text",
    [
        "# Harbour reopens\n\nThe harbour reopened on Monday.",
        # after a header of one-line paragraphs (compose_raw's Title:, byline, source, date)
        "Title: Harbour reopens\n\nBy Mira Hale\n\nSource: Coast Times\n\n# Harbour reopens\n\n"
        "The harbour reopened on Monday.",
        # no heading, several constructs of more than one kind
        "The **harbour** reopened on _Monday_, [the port](https://p.example) said.",
    ],
)
def test_clear_markdown_is_detected(text: str) -> None:
    assert looks_like_markdown(text)


@pytest.mark.parametrize(
    "text",
    [
        "Harbour reopens\n\nThe harbour reopened on Monday after a week of storms.",
        # a hashtag, a number sign, a footnote star, snake_case and brackets of plain text
        "#Skarra celebrates as #1 ferry returns*\n\nThe harbour_master said [sic] it was time."
        "\n\n*Prices as of Monday.",
        # one kind of construct only, however often: a reader's comment with bold words
        "This is **great** and **cheap** and **fast**, I loved it.",
        # a heading deep in the text, after body paragraphs
        "The harbour reopened on Monday after a week of storms, and the ferry returned.\n\n"
        "It was the first sailing since the storm began, officials said on Tuesday.\n\n# 1",
        # an equation's "=" line under a letter, and a rule of dashes under a line
        "The formula\n\ny\n=\nx\n\nholds.\n\nResults\n---\n\nNone so far.",
        # quoted e-mail lines and a dash list
        "> On Monday, Ann wrote:\n> the ferry is back\n\n- one\n- two",
    ],
)
def test_plain_text_is_not_taken_for_markdown(text: str) -> None:
    assert not looks_like_markdown(text)
    assert read_markdown(text) is None


def test_plain_text_is_cleaned_as_before() -> None:
    raw = "Harbour reopens\n\nThe harbour_master said the *first* ferry sails on Monday.\n"
    cleaned = clean_article(raw)
    assert cleaned.title == "Harbour reopens"
    assert cleaned.paragraphs == ["The harbour_master said the *first* ferry sails on Monday."]


def test_a_markdown_file_of_the_corpus_folder_is_read_as_markdown(tmp_path: Path) -> None:
    # a .md file is Markdown by its name: read as such without a heading at its start
    (tmp_path / "metro.md").write_text(
        "The line runs **12 kilometres**, said _Kim Song-il_.\n\n# Not the first block\n",
        encoding="utf-8",
    )
    (tmp_path / "full.MD").write_text(METRO, encoding="utf-8")
    (tmp_path / "same.txt").write_text(METRO, encoding="utf-8")
    (metro,) = read_article_file(tmp_path / "metro.md", max_bytes=1_000_000).articles
    assert metro.doc_id == "metro"
    assert (metro.title, metro.text) == (
        "Not the first block",
        "The line runs 12 kilometres, said Kim Song-il.",
    )
    (full,) = read_article_file(tmp_path / "full.MD", max_bytes=1_000_000).articles
    (same,) = read_article_file(tmp_path / "same.txt", max_bytes=1_000_000).articles
    assert full.doc_id == "full"
    assert (full.title, full.author, full.date, full.text) == (
        same.title,
        same.author,
        same.date,
        same.text,
    )
    assert full.text.split("\n\n") == METRO_TEXT
