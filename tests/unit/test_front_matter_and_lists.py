"""Unit tests for front matter (a Markdown article's `---` block of `key: value` lines: metadata,
not text) and for lists and tables, which the cleaner keeps as content rather than dropping
their short lines as section headings (qa/markdown_text.py, qa/cleaning.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.formats import read_article_file
from qa.articles import article_from_request
from qa.cleaning import clean_article
from qa.markdown_text import FrontMatter, read_front_matter, read_markdown, split_front_matter
from qa.sentences import sentence_spans

pytestmark = pytest.mark.unit

FRONT = """---
title: Night buses return to Vester
author: Aino Virtanen
date: 2024-11-02
tags: [transport]
---
"""
BODY = """# Night buses return to Vester

The city council voted on Monday to bring back night buses, which were cut in 2020.
"""
LIST = """The new service at a glance:
- Line N1 to the harbour
- Line N2 to the university campus
- Buses every 30 minutes
- Free for pupils under 16
Board chair Mika Laine said 24 drivers had been hired.
"""
LIST_PARAGRAPH = (
    "The new service at a glance:\n- Line N1 to the harbour\n- Line N2 to the university "
    "campus\n- Buses every 30 minutes\n- Free for pupils under 16"
)
FIRST = "The city council voted on Monday to bring back night buses, which were cut in 2020."
HIRED = "Board chair Mika Laine said 24 drivers had been hired."


# --- front matter -------------------------------------------------------------------------


def test_front_matter_of_a_markdown_file_is_its_title_author_and_date(tmp_path: Path) -> None:
    (tmp_path / "buses.md").write_text(FRONT + BODY, encoding="utf-8")
    (article,) = read_article_file(tmp_path / "buses.md", max_bytes=1_000_000).articles
    assert (article.title, article.author, article.date) == (
        "Night buses return to Vester",
        "Aino Virtanen",
        "2024-11-02",
    )
    assert article.text == FIRST


def test_front_matter_sent_to_post_documents_is_read_and_what_is_sent_beside_it_wins() -> None:
    article, raw = article_from_request(
        "buses", FRONT + BODY, title=None, source=None, date=None, author=None
    )
    assert (article.title, article.author, article.date, article.text) == (
        "Night buses return to Vester",
        "Aino Virtanen",
        "2024-11-02",
        FIRST,
    )
    windows, _ = article_from_request(
        "buses", (FRONT + BODY).replace("\n", "\r\n"), title=None, source=None, date=None
    )
    assert (windows.title, windows.author, windows.date) == (
        article.title,
        article.author,
        article.date,
    )
    sent, raw = article_from_request(
        "buses",
        FRONT + BODY,
        title="Vester gets night buses",
        source="Vester Post",
        date=dt.date(2024, 11, 3),
        author="Jane Doe",
    )
    assert raw.startswith(FRONT)  # first, where the cleaner reads it, before the sent header
    assert (sent.title, sent.author, sent.date, sent.source, sent.text) == (
        "Vester gets night buses",
        "Jane Doe",
        "2024-11-03",
        "Vester Post",
        FIRST,
    )


def test_front_matter_values_are_read_as_archive_fields_are() -> None:
    block, rest = split_front_matter(
        "---\n"
        'title: "Ferries: back on Monday"\n'
        "authors:\n  - Ann Lee\n  - Bo Li\n"
        "pubDate: 2024-11-02T10:00:00Z  # from the CMS\n"
        "seo:\n  title: Not this one\n"
        "draft: false\n"
        "...\n"
        "Ferries sail again on Monday, the port said.\n"
    )
    assert rest == "Ferries sail again on Monday, the port said.\n"
    assert read_front_matter(block) == FrontMatter(
        title="Ferries: back on Monday", author="Ann Lee; Bo Li", date="2024-11-02T10:00:00Z"
    )
    cleaned = clean_article(block + rest)
    assert (cleaned.title, cleaned.author, cleaned.date) == (
        "Ferries: back on Monday",
        "Ann Lee; Bo Li",
        "2024-11-02",  # read as a date line's date is
    )
    assert cleaned.paragraphs == ["Ferries sail again on Monday, the port said."]
    assert read_front_matter("---\nauthors: [Ann Lee, 'Bo Li']\ndate: soon\n---\n") == (
        FrontMatter(author="Ann Lee; Bo Li", date="soon")
    )
    assert clean_article("---\ndate: soon\n---\nFerries sail, the port said.\n").date is None


@pytest.mark.parametrize(
    "text",
    [
        "---\nThe council met on Monday.\n---\nIt voted for night buses.\n",  # rules around prose
        "---\n\n---\nIt voted for night buses.\n",  # no key
        "Night buses\n---\ntitle: x\n---\n",  # not at the start
    ],
)
def test_text_that_only_looks_like_front_matter_keeps_its_lines(text: str) -> None:
    assert split_front_matter(text) == ("", text)


# --- lists and tables ---------------------------------------------------------------------


def test_a_plain_text_list_is_one_paragraph_with_its_lead_in_never_dropped() -> None:
    cleaned = clean_article(f"Night buses return to Vester\n\n{FIRST}\n\n{LIST}")
    assert cleaned.paragraphs == [FIRST, LIST_PARAGRAPH, HIRED]
    # each item still reads as a sentence of its own, the unit a citation quotes
    assert [s.text for s in sentence_spans(LIST_PARAGRAPH)] == LIST_PARAGRAPH.split("\n")


def test_a_markdown_list_is_kept_and_a_line_taken_lazily_into_its_last_item_is_not() -> None:
    cleaned = clean_article(BODY + "\n" + LIST, markdown=True)
    assert cleaned.title == "Night buses return to Vester"
    assert cleaned.paragraphs == [FIRST, LIST_PARAGRAPH, HIRED]


@pytest.mark.parametrize("marker", ["* ", "• ", "1. ", "1) "])
def test_every_kind_of_list_marker_is_a_list(marker: str) -> None:
    items = [f"{marker}Line N1 to the harbour", f"{marker}Buses every 30 minutes"]
    lines = "\n".join(["Stops:", *items, HIRED])
    cleaned = clean_article(f"Night buses return\n\n{FIRST}\n\n{lines}\n")
    assert cleaned.paragraphs == [FIRST, "\n".join(["Stops:", *items]), HIRED]


def test_a_list_in_soft_wrapped_text_keeps_its_items_apart() -> None:
    wrapped = (
        "The council voted on Monday to bring back\nthe night buses that were cut in 2020.\n\n"
        "Officials said the new service would\nstart in December after a trial.\n\n"
        "The routes:\n- Line N1 to the harbour\n- Line N2 to the campus\n\n"
        "Riders welcomed the plan, which had\nbeen expected for years.\n"
    )
    cleaned = clean_article("Night buses return\n\n" + wrapped)
    assert "The routes:\n- Line N1 to the harbour\n- Line N2 to the campus" in cleaned.paragraphs
    assert cleaned.paragraphs[0].endswith("cut in 2020.")


def test_a_markdown_table_keeps_its_header_row() -> None:
    cleaned = clean_article(
        "# Budget\n\nThe budget grew, the council said.\n\n"
        "| Item | 2024 | 2025 |\n|---|---|---|\n| Buses | 10 | 12 |\n\nMore was needed.\n"
    )
    assert cleaned.paragraphs == [
        "The budget grew, the council said.",
        "| Item | 2024 | 2025 |\n| Buses | 10 | 12 |",
        "More was needed.",
    ]


def test_long_numbered_paragraphs_stay_paragraphs_of_their_own() -> None:
    first = "1. " + " ".join(["The council met and voted on the plan."] * 5)
    second = "2. " + " ".join(["Riders welcomed the night buses."] * 5)
    cleaned = clean_article(f"Your evening briefing\n\n{first}\n\n{second}\n")
    assert cleaned.paragraphs == [first, second]


def test_a_short_line_above_a_paragraph_is_still_a_section_heading() -> None:
    cleaned = clean_article(f"Night buses return\n\n{FIRST}\n\nNew routes\n\n{HIRED}\n")
    assert cleaned.paragraphs == [FIRST, HIRED]


# --- a page clipped by a notes app (Obsidian's web clipper writes this shape) -------------

CLIP = """---
title: "Harbour wall repairs begin in Vester"
source: "https://news.example.org/vester/harbour-wall"
author:
  - "[[Aino Virtanen]]"
published: 2024-11-04
created: 2024-11-06
description: "Repairs to the harbour wall began."
tags:
  - "clippings"
---
Repairs to the harbour wall began on Monday, [[Vester City Council|the council]] said.

![[harbour-wall.jpg]]

The work, which follows the [[Storm of 2023]] and its floods, is to end in March.
"""


def test_a_web_clip_gives_its_address_author_and_date_and_its_links_their_words(
    tmp_path: Path,
) -> None:
    (tmp_path / "clip.md").write_text(CLIP, encoding="utf-8")
    (article,) = read_article_file(tmp_path / "clip.md", max_bytes=1_000_000).articles
    assert (article.title, article.author, article.date, article.source, article.url) == (
        "Harbour wall repairs begin in Vester",
        "Aino Virtanen",
        "2024-11-04",  # `published`, not `created` (the day it was clipped)
        None,  # the address is no outlet's name
        "https://news.example.org/vester/harbour-wall",
    )
    assert article.text == (
        "Repairs to the harbour wall began on Monday, the council said.\n\n"
        "The work, which follows the Storm of 2023 and its floods, is to end in March."
    )


@pytest.mark.parametrize(
    ("lines", "source", "url"),
    [
        ("source: Vester Weekly\n", "Vester Weekly", None),
        ("source: www.vw.example\n", "www.vw.example", None),  # a site's name, no address
        (
            "publisher: Vester Weekly\nlink: https://vw.example/a\n",
            "Vester Weekly",
            "https://vw.example/a",
        ),
        ("url: https://vw.example/a\nsource: https://vw.example/b\n", None, "https://vw.example/a"),
        ("canonical_url: javascript:alert(1)\n", None, None),  # only http(s) is an address
        ("source: " + "word " * 12 + "\n", None, None),  # a sentence, not an outlet's name
    ],
)
def test_front_matter_source_and_address(lines: str, source: str | None, url: str | None) -> None:
    text = "---\ntitle: Night buses return\n" + lines + "---\n" + FIRST + "\n"
    article, _ = article_from_request("b", text, title=None, source=None, date=None)
    assert (article.source, article.url) == (source, url)


@pytest.mark.parametrize(
    ("key", "value"),
    [("publishDate", "2024-11-02"), ("datePublished", "2024-11-02"), ("publish_date", "2024-11-02"),
     ("headline", "Night buses return"), ("byline", "Aino Virtanen"), ("Creator", "Aino Virtanen")],
)  # fmt: skip
def test_front_matter_reads_the_other_names_archive_records_are_read_under(
    key: str, value: str
) -> None:
    front = read_front_matter(f"---\n{key}: {value}\n---\n")
    assert value in (front.title, front.author, front.date)


def test_a_wikilink_in_a_front_matter_value_is_its_words() -> None:
    front = read_front_matter(
        '---\nauthor: ["[[Aino Virtanen]]", "[[People/Mika Laine|Mika Laine]]"]\n---\n'
    )
    assert front.author == "Aino Virtanen; Mika Laine"


def test_a_highlight_is_its_words_and_code_keeps_what_looks_like_notes_syntax() -> None:
    text = (
        "---\ntitle: Night buses return\n---\n"
        "The council said ==night buses return in May==, and a == b stays as written.\n\n"
        "A link is written `[[Page|shown]]` in the notes app, the council's web team said.\n\n"
        "```\nlink = [[Home]] == ==x==\n```\n"
    )
    article, _ = article_from_request("b", text, title=None, source=None, date=None)
    assert article.text.split("\n\n") == [
        "The council said night buses return in May, and a == b stays as written.",
        "A link is written [[Page|shown]] in the notes app, the council's web team said.",
        "link = [[Home]] == ==x==",
    ]


def test_obsidian_comments_tag_lines_and_callout_markers_are_no_text() -> None:
    """An Obsidian web clip: comments (`%%…%%`, inline or over lines) and lines of tags only
    are notes to oneself; a callout's marker (`> [!note] Title`) is no text, its title a
    paragraph of its own. A tag in a sentence, `%%` in code and a lone `%%` stay."""
    text = (
        "---\ntitle: Night buses return\n---\n"
        "%%clipped from the council's site%%\n"
        "Night buses return in May, the council said. %%check the month%% Fares stay.\n\n"
        "%%\nA comment\nover three lines.\n%%\n\n"
        "#transport #council/buses\n\n"
        "> [!info] The buses stopped, the council said.\n"
        "> The buses stopped in 2023 when the operator left the city.\n\n"
        "> [!quote]-\n"
        "> It is good news for shift workers, a driver said.\n\n"
        "The #transport plan is online, and `%%draft%%` marks a draft, a 5%% share.\n\n"
        "#1 seeds stay, as does a line of numbers.\n"
    )
    article, _ = article_from_request("b", text, title=None, source=None, date=None)
    assert article.title == "Night buses return"
    assert article.text.split("\n\n") == [
        "Night buses return in May, the council said. Fares stay.",
        "The buses stopped, the council said.",
        "The buses stopped in 2023 when the operator left the city.",
        "It is good news for shift workers, a driver said.",
        "The #transport plan is online, and %%draft%% marks a draft, a 5%% share.",
        "#1 seeds stay, as does a line of numbers.",
    ]

    # a title that is a heading is read as one (the cleaner's rule for a heading), its marker
    # gone either way
    clip = read_markdown(
        "# Buses\n\n> [!note]+ Why they stopped\n> The operator left.\n", declared=True
    )
    assert clip is not None and clip.text == "Why they stopped\n\nThe operator left."
