"""Unit tests for qa.cleaning: the pipeline, its input and output, text an HTML extractor
already split, and all rules at once; each rule on small made-up inputs is in
test_cleaning_blocks.py, test_cleaning_lines.py and test_cleaning_paragraphs.py."""

from __future__ import annotations

import re
import time

import pytest

from qa.cleaning import CLEANER_VERSION, CleanedArticle, clean_article, clean_paragraphs
from tests.cleaning_texts import BODY_1, BODY_2, HEADLINE, body, doc

# --- API and clean input ------------------------------------------------------------------


@pytest.mark.unit
def test_version_is_a_non_empty_string() -> None:
    assert isinstance(CLEANER_VERSION, str) and CLEANER_VERSION


@pytest.mark.unit
def test_c1_controls_are_read_as_windows_1252_not_removed() -> None:
    """A file saved from Windows-1252 text decoded as Latin-1 holds C1 controls in place of its
    quotes, dashes and euro signs; each is read as the character of its byte."""
    raw = (
        "Port counts its losses\n\nThe port\x92s director said \x93We lost \x802.5 million in "
        "trade,\x94 she told reporters \x97 the worst year since 1998.\x81"
    )
    cleaned = clean_article(raw)
    assert cleaned.text == (
        "The port\u2019s director said \u201cWe lost \u20ac2.5 million in trade,\u201d she told "
        "reporters \u2014 the worst year since 1998."
    )


@pytest.mark.unit
def test_clean_article_comes_back_unchanged() -> None:
    third = "“We waited years for this,” said a resident, who asked not to be named."
    cleaned = clean_article(doc(BODY_1, BODY_2, third))
    assert cleaned == CleanedArticle(
        title=HEADLINE, source=None, date=None, paragraphs=[BODY_1, BODY_2, third]
    )


@pytest.mark.unit
def test_text_joins_paragraphs_with_blank_lines() -> None:
    cleaned = CleanedArticle(title=None, source=None, date=None, paragraphs=["One.", "Two."])
    assert cleaned.text == "One.\n\nTwo."


@pytest.mark.unit
def test_empty_input_gives_empty_article() -> None:
    assert clean_article("  \n\n \r\n") == CleanedArticle(None, None, None, [])


# --- paragraphs an HTML extractor already split --------------------------------------------


@pytest.mark.unit
def test_clean_paragraphs_applies_the_line_rules_and_reads_the_dateline() -> None:
    cleaned = clean_paragraphs(
        [HEADLINE, "By Jane Doe", "Published: March 5, 2031", BODY_1,
         "Related stories", "Harbour festival draws record crowds", BODY_2,
         "Share", "Follow us on Twitter @coast", "Staff Writer"],
        title=HEADLINE,
    )  # fmt: skip
    assert cleaned == CleanedArticle(
        title=HEADLINE,
        source=None,
        date="2031-03-05",
        paragraphs=[BODY_1, BODY_2],
        author="Jane Doe",  # its byline; a page's own metadata author goes first (qa/articles)
    )


@pytest.mark.unit
def test_clean_paragraphs_keeps_headings_and_short_lines_the_markup_gave() -> None:
    # no layout repair: the page said where paragraphs and headings are
    paragraphs = ["Why the pier matters", BODY_1, "The vote was close and", "nobody expected it."]
    assert clean_paragraphs(paragraphs).paragraphs == paragraphs
    assert clean_paragraphs(["Ferries\nBuses\nTrams"]).paragraphs == ["Ferries\nBuses\nTrams"]


# --- combined -----------------------------------------------------------------------------


@pytest.mark.unit
def test_messy_article_with_many_artefacts() -> None:
    raw = "\r\n\r\n".join(
        [
            "Home An icon of a house. Mail An icon of an envelope. Search An icon of a lens. "
            "Close An icon of a cross.",
            HEADLINE,
            "Residents hope the project will bring back visitors to the coast",
            "Porto Vela, Nordland",
            "Updated on Mar. 4, 2025 9:10 a.m. E.T.",
            f"by Jane Doe\nSHARE\n{HEADLINE}\n© Jo Smith / Some Images",
            "The council approved the plan after a debate that was watched by a U.S.",
            "Coast Guard delegation and by local fishermen.",
            "beacon_2025.jpg\nThe lighthouse at dawn (Jo Smith/Reuters)",
            "Rising costs",
            "Engineers warned the repairs would cost more than the first esti\nmate.",
            "RELATED STORIES",
            "Harbour festival draws record crowds Opens in new window ]",
            "Work is expected to start next spring, officials said.",
            "Source: Harbour News Agency",
            "Edited by Sam Poe.",
            "Staff Writer",
        ]
    )
    cleaned = clean_article(raw)
    assert cleaned.title == HEADLINE
    assert cleaned.source == "Harbour News Agency"
    assert cleaned.date == "2025-03-04"
    assert cleaned.paragraphs == [
        "Residents hope the project will bring back visitors to the coast",
        "The council approved the plan after a debate that was watched by a U.S. "
        "Coast Guard delegation and by local fishermen.",
        "Engineers warned the repairs would cost more than the first estimate.",
        "Work is expected to start next spring, officials said.",
    ]


@pytest.mark.unit
def test_a_byline_is_dropped_from_the_text_and_kept_as_the_author() -> None:
    raw = (
        "Ferry service returns to Skarra\n\n"
        "by Ana Lindqvist and Tom Reyes\n\n"
        "The ferry to Skarra island ran again on Monday after a month of repairs to the pier.\n"
    )
    cleaned = clean_article(raw)
    assert cleaned.author == "Ana Lindqvist and Tom Reyes"
    assert "Lindqvist" not in cleaned.text
    assert clean_article("Title here\n\nThe ferry ran again on Monday.\n").author is None


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Zoë Łukasik", "Zoë Łukasik"),  # a capital outside A–Z opens the name
        ("By Ólafur Arnalds and Åsa Berg", "Ólafur Arnalds and Åsa Berg"),
        ("by the harbour wall", None),  # words, not a name: the line stays
    ],
)
def test_a_byline_names_may_open_with_any_capital(line: str, author: str | None) -> None:
    body = "The harbour master said the crane came early."
    raw = f"Crane arrives in Rostock port\n\n{line}\n\n{body}\n"
    cleaned = clean_article(raw)
    assert cleaned.author == author
    assert (line in cleaned.text) is (author is None)


@pytest.mark.unit
def test_a_line_of_many_shares_is_read_at_once() -> None:
    """The share-row rule reads words, not a pattern of repeated optional parts: one that
    backtracked took minutes on a line of 20 "Share"s, and held the server's event loop."""
    line = "Share " * 400 + "now."
    started = time.perf_counter()
    assert body(line, BODY_1) == [line, BODY_1]
    assert time.perf_counter() - started < 1.0


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "Madrid, 8 de septiembre de 2025",  # a place, not a weekday: a dateline of the text
        "3 listopada 2025",  # November in Polish, October in Croatian: no one reading
        "The 12 apostles 2025",
        "2024-03-03 - 2024-03-05",  # a range
        "2024-03-03T09:15 the quay closed",
        "19 июня 2024 года в Москве открылся мост",
        "19 июня 2024 года в 10:30 открылся мост",
        "19 июня 2024 года в 10.30 открылся мост",
        "2024年6月19日，港口管理局宣布扩建工程正式开工",
    ],
)
def test_a_line_that_is_not_only_a_date_stays_text(line: str) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert cleaned.date is None
    assert line in cleaned.paragraphs


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Por Lucía Márquez", "Lucía Márquez"),
        ("Von Anna Berg und Jan Holm", "Anna Berg und Jan Holm"),
        ("Par Lucie Martin", "Lucie Martin"),
        ("Av Erik Lund", "Erik Lund"),
    ],
)
def test_a_byline_in_another_language_is_the_author(line: str, author: str) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert cleaned.author == author
    assert cleaned.paragraphs == [BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By: Eva Lund", "Eva Lund"),  # a CMS template's colon after "By"
        ("BY: EVA LUND", "Eva Lund"),
        ("By : Eva Lund", "Eva Lund"),
        ("Por: Lucía Márquez", "Lucía Márquez"),
        ("By Eva Lund; Amir Haddad", "Eva Lund; Amir Haddad"),  # as an author is stored
        ("By Marta Kowalski, Staff Reporter", "Marta Kowalski"),  # a job title after a comma
        ("By Tom Lee, Senior Political Correspondent", "Tom Lee"),
        ("By Jane Doe and Li Wei, Staff Writers", "Jane Doe and Li Wei"),
        ("By Ana de la Cruz, Harbour Times", "Ana de la Cruz"),  # a paper's name, no job
    ],
)
def test_a_byline_with_a_colon_or_a_job_title_is_the_author(line: str, author: str) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert cleaned.author == author
    assert cleaned.paragraphs == [BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "author", "source"),
    [
        ("By Naomi Fielding, Science Editor, The Lowland Herald", "Naomi Fielding",
         "The Lowland Herald"),
        ("By Jane Doe and Li Wei, Staff Writers, Harbour Times", "Jane Doe and Li Wei",
         "Harbour Times"),
        ("By Tom Lee, Senior Political Correspondent", "Tom Lee", None),  # no outlet named
        # an outlet's name with "of" or "the" in it: the line was no byline at all
        ("By Naomi Fielding, Science Editor, The Times of London", "Naomi Fielding",
         "The Times of London"),
        ("By Jane Doe, Staff Writer, Voice of the Valley", "Jane Doe", "Voice of the Valley"),
        ("By Jane Doe, Staff Writer, Bloomberg", "Jane Doe", "Bloomberg"),  # any outlet there
    ],
)  # fmt: skip
def test_an_outlet_after_a_bylines_job_title_is_the_source(
    line: str, author: str, source: str | None
) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert (cleaned.author, cleaned.source) == (author, source)
    assert cleaned.paragraphs == [BODY_1]
    # a "Source:" line names the source whatever the byline says
    labelled = clean_article(doc(line, "Source: Coast Wire", BODY_1))
    assert (labelled.author, labelled.source) == (author, "Coast Wire")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "author", "date"),
    [
        ("Written by Eva Lund", "Eva Lund", None),
        ("Posted by Eva Lund", "Eva Lund", None),
        ("Words by Eva Lund and Tom Lee", "Eva Lund and Tom Lee", None),
        ("Author: Eva Lund", "Eva Lund", None),
        ("Reporter: Eva Lund", "Eva Lund", None),
        ("By Eva Lund | March 3, 2024", "Eva Lund", "2024-03-03"),
        ("By Eva Lund, March 3, 2024", "Eva Lund", "2024-03-03"),
        ("Posted by Eva Lund on March 3, 2024", "Eva Lund", "2024-03-03"),
        ("By Eva Lund — Mar. 3, 2024 at 9:15 a.m.", "Eva Lund", "2024-03-03"),
        ("By Eva Lund | Published: March 3, 2024 | Source: Reuters", "Eva Lund", "2024-03-03"),
        ("By Eva Lund · 3 min read", "Eva Lund", None),
    ],
)
def test_a_byline_written_otherwise_or_beside_its_date_is_read(
    line: str, author: str, date: str | None
) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert (cleaned.author, cleaned.date, cleaned.paragraphs) == (author, date, [BODY_1])
    page = clean_paragraphs([line, BODY_1])  # a saved page's byline, the same
    assert (page.author, page.date, page.paragraphs) == (author, date, [BODY_1])


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "By Friday, March 3, 2024",  # a time, not a name
        "By March 2024, the port had reopened.",
        "Written by hand, the note was found in March.",
        "Eva Lund | March 3, 2024",  # a name without "By": which is the author is not said
        "By Eva Lund | the crane arrived early",
        "29 November 2018 | 20 January 2019",  # the dates of an exhibition: no byline
    ],
)
def test_a_line_only_partly_a_byline_and_a_date_stays(line: str) -> None:
    cleaned = clean_article(doc(BODY_1, line))
    assert cleaned.author is None and cleaned.date is None
    assert line in cleaned.paragraphs


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "author", "agency"),
    [
        ("By EVA LUND, ASSOCIATED PRESS", "Eva Lund", "ASSOCIATED PRESS"),
        ("By Eva Lund and Amir Haddad, Reuters", "Eva Lund and Amir Haddad", "Reuters"),
        ("By Eva Lund, Reuters | March 3, 2024", "Eva Lund", "Reuters"),
    ],
)
def test_a_news_agency_after_the_byline_is_the_source(line: str, author: str, agency: str) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert (cleaned.author, cleaned.source, cleaned.paragraphs) == (author, agency, [BODY_1])
    labelled = clean_article(doc(line, "Source: Coastal Courier", BODY_1))
    assert (labelled.author, labelled.source) == (author, "Coastal Courier")  # the label wins


@pytest.mark.unit
@pytest.mark.parametrize("line", ["By: the numbers", "By Friday; the boats had left."])
def test_a_line_opening_like_a_byline_with_a_colon_stays(line: str) -> None:
    cleaned = clean_article(doc(BODY_1, line))
    assert cleaned.author is None
    assert line in cleaned.paragraphs


@pytest.mark.unit
@pytest.mark.parametrize("line", ["Di Maio", "Von Braun", "Par for the course, he said."])
def test_a_name_or_sentence_opening_like_a_byline_stays(line: str) -> None:
    cleaned = clean_article(doc(BODY_1, line))
    assert cleaned.author is None
    assert line in cleaned.paragraphs


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "author", "source"),
    [
        ("By Rhys Morgan, Dale Valley Gazette", "Rhys Morgan", "Dale Valley Gazette"),
        ("By Ana de la Cruz, Harbour Times", "Ana de la Cruz", "Harbour Times"),
        ("By Priya Raman, The Denver Post", "Priya Raman", "The Denver Post"),  # "The"
        ("By Tomás Ortega, Coastal Herald", "Tomás Ortega", "Coastal Herald"),
        ("By Jane Doe and Li Wei, Northgate Chronicle", "Jane Doe and Li Wei",
         "Northgate Chronicle"),
        ("By Eva Lund, Amir Haddad, Harbour Times", "Eva Lund, Amir Haddad", "Harbour Times"),
        ("By Eilidh MacLeod, Yorkshire Evening Post", "Eilidh MacLeod",
         "Yorkshire Evening Post"),  # a paper's word before "Post"
        ("By Sam Okoye, Daily Star", "Sam Okoye", "Daily Star"),
        ("By Marta Nowak, The Sunday Post", "Marta Nowak", "The Sunday Post"),
        ("By Kofi Mensah, Lakeside Tribune", "Kofi Mensah", "Lakeside Tribune"),
        ("By Hugo Lind, Pittsburgh Post-Gazette", "Hugo Lind", "Pittsburgh Post-Gazette"),
        ("BY ELLEN PARK, THE RIVERTON SENTINEL", "Ellen Park", "THE RIVERTON SENTINEL"),
        ("By Lena Fischer, Voice of the Valley Gazette", "Lena Fischer",
         "Voice of the Valley Gazette"),
        ("By Grace Otieno, Valley News", "Grace Otieno", "Valley News"),
        ("By: Noor Khalil, Bayside Courier", "Noor Khalil", "Bayside Courier"),
        ("By Rhys Morgan, Dale Valley Gazette, March 3, 2024", "Rhys Morgan",
         "Dale Valley Gazette"),  # and its date
        ("By Rhys Morgan, Dale Valley Gazette | March 3, 2024", "Rhys Morgan",
         "Dale Valley Gazette"),
        # a second person, or a name that cannot be told from one: the author, whole
        ("By Ana Cruz, Tom Post", "Ana Cruz, Tom Post", None),
        ("By Ana Cruz, Denver Post", "Ana Cruz, Denver Post", None),
        ("By Lee Chen, Frank Press", "Lee Chen, Frank Press", None),
        ("By Maria Lopez, Ben Leader", "Maria Lopez, Ben Leader", None),
        ("By Tom Lee, Sam Star", "Tom Lee, Sam Star", None),
        ("By Ana Cruz, Jo Daily", "Ana Cruz, Jo Daily", None),
        ("By Ana Cruz, Li Wei", "Ana Cruz, Li Wei", None),
        ("By Ana Cruz, Harbour", "Ana Cruz, Harbour", None),  # no paper's word
        ("By Ana Cruz, Times", "Ana Cruz, Times", None),  # one word
        ("By Eva Lund, Associated Press", "Eva Lund", "Associated Press"),  # an agency
    ],
)  # fmt: skip
def test_a_papers_name_after_the_bylines_names_is_the_source(
    line: str, author: str, source: str | None
) -> None:
    """A paper's name a comma sets off after the byline's names ("By Rhys Morgan, Dale Valley
    Gazette") was kept in the author and the article had no source; a name that may be a
    person's ("Tom Post") still may be a second author."""
    cleaned = clean_article(doc(line, BODY_1))
    assert (cleaned.author, cleaned.source) == (author, source)
    assert cleaned.paragraphs == [BODY_1]
    # a "Source:" line names the source whatever the byline says
    assert clean_article(doc("Source: Coast Wire\n" + line, BODY_1)).source == "Coast Wire"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("header", "source", "date"),
    [
        ("By Hannah Okafor\nNorthgate Chronicle, 10 September 2025", "Northgate Chronicle",
         "2025-09-10"),  # beside the byline
        ("Northgate Chronicle, 10 September 2025", "Northgate Chronicle", "2025-09-10"),
        ("The Lowland Herald | Wednesday, 10 September 2025", "The Lowland Herald",
         "2025-09-10"),
        ("Marlow Evening Post — March 14, 2025", "Marlow Evening Post", "2025-03-14"),
        ("Pittsburgh Post-Gazette, Published 14 March 2025", "Pittsburgh Post-Gazette",
         "2025-03-14"),
        # the byline names the paper: it is the source, the line's date the date
        ("By Rhys Morgan, Dale Valley Gazette\nNorthgate Chronicle, 10 September 2025",
         "Dale Valley Gazette", "2025-09-10"),
    ],
)  # fmt: skip
def test_a_papers_name_and_its_date_on_one_line_are_the_source_and_the_date(
    header: str, source: str, date: str
) -> None:
    """A paper's name and the date on one line, as a Word or text file copied from a paper
    writes it, left the article undated and the line its first paragraph."""
    cleaned = clean_article(doc(header, BODY_1, BODY_2))
    assert (cleaned.source, cleaned.date) == (source, date)
    assert (cleaned.title, cleaned.paragraphs) == (HEADLINE, [BODY_1, BODY_2])
    # above the headline too
    above = clean_article(f"{header.split(chr(10))[-1]}\n\n{HEADLINE}\n\n{BODY_1}")
    assert (above.title, above.date, above.paragraphs) == (HEADLINE, date, [BODY_1])


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "Madrid, 8 de septiembre de 2025",  # a place: the story's dateline, text
        "New York, March 14, 2025",
        "Harbour, 10 September 2025",  # no paper's word
        "Storm Hits the Post, 10 September 2025 and after",  # no date line after the comma
    ],
)
def test_a_line_of_no_papers_name_before_a_date_stays_text(line: str) -> None:
    cleaned = clean_article(doc(line, BODY_1))
    assert (cleaned.source, cleaned.date) == (None, None)
    assert cleaned.paragraphs == [line, BODY_1]


@pytest.mark.unit
def test_a_papers_name_and_a_date_after_the_texts_first_sentence_stay_text() -> None:
    """In the body, such a line is the text's (a reference, a quoted piece's credit), not the
    article's own source and date."""
    reference = "Harbour Times, 3 March 2024"
    cleaned = clean_article(doc(BODY_1, reference, BODY_2))
    assert (cleaned.source, cleaned.date) == (None, None)
    assert cleaned.paragraphs == [BODY_1, reference, BODY_2]


@pytest.mark.unit
@pytest.mark.parametrize("label", ["Fuente", "Quelle", "Fonte", "Source"])
def test_a_source_line_in_another_language_is_the_source(label: str) -> None:
    cleaned = clean_article(doc(f"{label}: Agencia EFE", BODY_1))
    assert cleaned.source == "Agencia EFE"
    assert cleaned.paragraphs == [BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    "header",
    [
        "By Hannah Okafor\nMarlow Evening Post\nMarch 14, 2025",  # below the byline
        "Northgate Chronicle\nBy Hannah Okafor\nPublished 14 March 2025",  # above it
        "The Kestrel Bay Gazette\nBy Hannah Okafor",
        # "the" in a paper's name, as after a job title: it was a paragraph
        "By Hannah Okafor\nVoice of the Valley Gazette\nMarch 14, 2025",
        "By Hannah Okafor\nLowland Post-Gazette",  # the word after the hyphen
        # a part of a line beside the byline: the line was text
        "By Hannah Okafor | Marlow Evening Post | March 14, 2025",
        "Northgate Chronicle · By Hannah Okafor",
    ],
)
def test_a_papers_name_beside_the_byline_is_the_source_not_a_paragraph(header: str) -> None:
    cleaned = clean_article(doc(header, BODY_1, BODY_2))
    assert cleaned.paragraphs == [BODY_1, BODY_2]
    assert cleaned.author == "Hannah Okafor"
    parts = re.split(r"\n| [|·] ", header)
    assert cleaned.source == parts[1 if header.startswith("By") else 0]
    # a "Source:" line names the source whatever else the header says
    labelled = clean_article(doc("Source: Coast Wire\n" + header, BODY_1))
    assert (labelled.source, labelled.paragraphs) == ("Coast Wire", [BODY_1])


@pytest.mark.unit
@pytest.mark.parametrize(
    ("header", "text"),
    [
        ("By Hannah Okafor\nNew York", "New York"),  # a place, not a paper
        ("Marlow Evening Post", "Marlow Evening Post"),  # no byline beside it
        ("By Hannah Okafor\nThe Evening Post said on Friday", "The Evening Post said on Friday"),
        # no byline among the parts
        (
            "Marlow Evening Post | March 14, 2025 | Opinion",
            "Marlow Evening Post | March 14, 2025 | Opinion",
        ),
    ],
)
def test_a_line_beside_the_byline_that_is_no_papers_name_stays(header: str, text: str) -> None:
    cleaned = clean_article(doc(header, BODY_1))
    assert cleaned.source is None
    assert cleaned.paragraphs == [text, BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    "opening",
    [
        "March 14, 2025",  # a date line, dropped: the headline's block is the text's first left
        "WEATHER",  # a kicker above the headline
        "Marlow Evening Post\nMarch 14, 2025",  # the paper's name and the date above it
    ],
)
def test_a_headline_in_a_papers_words_above_its_byline_after_the_opening_stays_the_headline(
    opening: str,
) -> None:
    """A headline ending in a word papers are named with ("Record", "News", "Today") over its
    byline, in a block after a date line, a kicker or the masthead, is the title, not the
    source: it was taken for a paper's name and the article had no title."""
    headline = "Heat Wave Breaks All-Time Record"
    cleaned = clean_article(f"{opening}\n\n{headline}\nBy Hannah Okafor\n\n{BODY_1}\n\n{BODY_2}")
    assert cleaned.source != headline
    assert cleaned.author == "Hannah Okafor"
    # the text's first line left is its title; the headline is it or the first paragraph
    assert [cleaned.title, *cleaned.paragraphs][-3:] == [headline, BODY_1, BODY_2]


@pytest.mark.unit
def test_a_papers_name_below_the_byline_is_the_source_with_no_headline_kept_before() -> None:
    """Below the byline the line is no headline, whatever the text opens with: a date line
    dropped after it was counted as a line above the byline, so the paper's name there needed
    a headline kept before and stayed a paragraph."""
    cleaned = clean_article(
        f"14 March 2025\n\nBy Hannah Okafor\nMarlow Evening Post\nPublished 14 March 2025"
        f"\n\n{BODY_1}\n\n{BODY_2}"
    )
    assert (cleaned.source, cleaned.author) == ("Marlow Evening Post", "Hannah Okafor")
    assert cleaned.paragraphs == [BODY_1, BODY_2]


@pytest.mark.unit
def test_a_headline_above_its_byline_stays_the_headline() -> None:
    cleaned = clean_article(f"Storm Breaks Rainfall Record\nBy Hannah Okafor\n\n{BODY_1}")
    assert (cleaned.title, cleaned.source, cleaned.paragraphs) == (
        "Storm Breaks Rainfall Record",
        None,
        [BODY_1],
    )
