"""Unit tests for the cleaner's rules on raw blocks (qa/cleaning_blocks.py): rules 1, 3, 4,
9 and 10, each on small made-up inputs through qa.cleaning."""

from __future__ import annotations

import pytest

from qa.cleaning import clean_article, clean_paragraphs
from tests.cleaning_texts import BODY_1, BODY_2, HEADLINE, body, doc

# --- rule 1: icon boilerplate -------------------------------------------------------------


@pytest.mark.unit
def test_icon_description_block_is_dropped() -> None:
    icons = (
        "Mail An icon of a letter. Print An icon of a printer. Bell An icon of a bell. "
        "Star An icon of a star shape. Cross A small cross icon for closing."
    )
    assert body(icons, BODY_1) == [BODY_1]


@pytest.mark.unit
def test_prose_about_icons_is_kept() -> None:
    text = "The chapel keeps three icons. The icons are old. One icon was restored last year."
    assert body(text) == [text]


@pytest.mark.unit
def test_paragraph_mentioning_an_icon_is_kept() -> None:
    text = "The old lighthouse is a local icon. Tourists photograph it every day. It is famous."
    assert body(text) == [text]


# --- rule 3: credits and captions ---------------------------------------------------------


@pytest.mark.unit
def test_copyright_credit_line_is_dropped_even_when_glued_to_a_caption() -> None:
    assert body("© Jo Smith / Some Images", BODY_1) == [BODY_1]
    assert body("Boats moored in the bay at dawn© Jo Smith / Some Images", BODY_1) == [BODY_1]


@pytest.mark.unit
@pytest.mark.parametrize(
    "credit",
    ["(Harbour Office via AP)", "(Jo Smith/Reuters)", "(Ann Lee/Getty Images)", "(Pool/AFP)"],
)
def test_caption_ending_with_agency_credit_is_dropped(credit: str) -> None:
    assert body(f"Boats moored in the bay at dawn {credit}", BODY_1) == [BODY_1]


@pytest.mark.unit
def test_alt_text_and_credit_line_block_is_dropped_whole() -> None:
    caption = "Two boats in a harbour\nFishing boats return to the harbour at dusk (Jo Smith/AP)"
    assert body(BODY_1, caption, BODY_2) == [BODY_1, BODY_2]


@pytest.mark.unit
def test_repeated_identical_caption_lines_are_dropped() -> None:
    line = "The mayor speaks to residents (Town Hall via AP)"
    assert body(f"{line}\n{line}", BODY_1) == [BODY_1]


@pytest.mark.unit
def test_bare_wire_attribution_after_a_story_is_kept() -> None:
    text = "The ferry service will resume on Monday, the operator said. (AP)"
    assert body(text) == [text]


@pytest.mark.unit
def test_parenthesis_without_agency_is_kept() -> None:
    text = "The plan was approved by the harbour board (a local body)"
    assert body(text, BODY_1) == [text, BODY_1]


# --- rule 4: related stories --------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "header",
    ["RELATED STORIES", "Related:", "Read more", "See also", "SEE MORE:", "DON'T MISS",
     "Most read", "More from Coast Times"],
)  # fmt: skip
def test_related_header_and_links_are_dropped_until_a_normal_paragraph(header: str) -> None:
    links = [
        "Harbour festival draws record crowds Opens in new window ]",
        "Is the old pier safe? Opens in new window ]",
        "Lighthouse keeper retires after 40 years",
    ]
    assert body(BODY_1, header, *links, BODY_2) == [BODY_1, BODY_2]


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "Also on coast.example Harbour master and ferry crews from the north coast threatened "
        "with fines as the council clears the quay",
        "Read more: Harbour master and ferry crews from the north coast threatened with fines "
        "as the council clears the old quay",
    ],
)
def test_a_related_line_with_a_long_headline_is_dropped(line: str) -> None:
    assert len(line.split()) > 15
    assert body(BODY_1, line, BODY_2) == [BODY_1, BODY_2]
    assert clean_paragraphs([BODY_1, line, BODY_2]).paragraphs == [BODY_1, BODY_2]


@pytest.mark.unit
@pytest.mark.parametrize(
    "line",
    [
        "Also on coast.example, the council posted the full list of the quay works that will "
        "close the harbour road.",
        "Read more: the council posted the full list of the quay works that will close the "
        "harbour road for a week.",
    ],
)
def test_a_long_sentence_opening_like_a_related_line_is_kept(line: str) -> None:
    assert body(BODY_1, line, BODY_2) == [BODY_1, line, BODY_2]


@pytest.mark.unit
@pytest.mark.parametrize("labels", [["Comments"], ["Comments", "comments"], ["12 Comments"],
                                    ["Leave a comment"], ["View all comments (3)"]])  # fmt: skip
def test_a_comments_label_at_the_end_is_dropped(labels: list[str]) -> None:
    assert body(BODY_1, BODY_2, *labels) == [BODY_1, BODY_2]
    assert clean_paragraphs([BODY_1, BODY_2, *labels]).paragraphs == [BODY_1, BODY_2]


@pytest.mark.unit
def test_a_comments_label_inside_the_text_is_kept() -> None:
    paragraphs = [BODY_1, "Comments", BODY_2]
    assert clean_paragraphs(paragraphs).paragraphs == paragraphs
    text = "Readers left 200 comments on the plan."
    assert body(BODY_1, text) == [BODY_1, text]


@pytest.mark.unit
def test_link_residue_line_is_dropped_anywhere() -> None:
    assert body(BODY_1, "Council budget explained Opens in a new tab", BODY_2) == [BODY_1, BODY_2]


# --- rule 9: hard-wrapped words -----------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "joined"),
    [
        # a word broken at the line's end is mended
        ("Fishermen spoke of infringement a\nnd interference, and then voted on a bi\nll.",
         "Fishermen spoke of infringement and interference, and then voted on a bill."),
        # only a break that splits a word: the pieces make a word commoner than either
        # ("a|nd"), not two words that run together ("said|that", "in|to")
        ("The minister said\nthat the talks would go\ninto a second week, and a\nnd more.",
         "The minister said that the talks would go into a second week, and and more."),
        # a saved page's invisible break opportunity (U+200B): inside a word or a link it
        # goes, between two words it was their space
        ("The minister\u200bsaid the talks in North\u200bKorea were an exa\u200bmple, as "
         "www.example.com/long\u200b/path shows.",
         "The minister said the talks in North Korea were an example, as "
         "www.example.com/long/path shows."),
    ],
)  # fmt: skip
def test_a_word_split_by_a_break_is_mended_and_two_words_keep_their_space(
    text: str, joined: str
) -> None:
    assert body(BODY_1, text) == [BODY_1, joined]


@pytest.mark.unit
def test_soft_wrapped_text_is_joined_with_spaces() -> None:
    raw = (
        "The council approved the plan on Tuesday\nafter a long debate about the costs\n"
        "of the old lighthouse.\n\n"
        "Work is expected to start next spring\nand to last for about two years,\n"
        "officials said.\n\nThe harbour will stay open to boats\nduring the works."
    )
    assert body(raw) == [
        "The council approved the plan on Tuesday after a long debate about the costs "
        "of the old lighthouse.",
        "Work is expected to start next spring and to last for about two years, officials said.",
        "The harbour will stay open to boats during the works.",
    ]


@pytest.mark.unit
def test_a_page_saved_as_text_keeps_its_headline_and_loses_its_controls() -> None:
    """A page a browser saved or a reader copied as text: its controls, a line each, above the
    section's kicker and the headline, and a "Most popular" list under the story, its header
    and links on lines of one block. "Menu" was the title, "Search" a paragraph, the headline
    lost, and the last link kept as a paragraph."""
    raw = (
        "Skip to main content\nMenu\nSearch\nSign in\nSubscribe\n\n"
        f"News\n{HEADLINE}\n\nBy Eva Lund\nSun 3 Mar 2024 10.15 GMT\n\n{BODY_1}\n\n{BODY_2}\n\n"
        "Share\nFacebook\nTwitter\nEmail\n\n"
        "Most popular\nFerry fares frozen for a year\nLifeboat crew rescue kayaker\n"
    )
    cleaned = clean_article(raw)
    assert (cleaned.title, cleaned.author, cleaned.date) == (HEADLINE, "Eva Lund", "2024-03-03")
    assert cleaned.paragraphs == [BODY_1, BODY_2]


@pytest.mark.unit
def test_a_related_header_in_a_block_with_body_text_keeps_the_text() -> None:
    raw = doc(BODY_1, f"Read more\nFerry fares frozen for a year\n{BODY_2}")
    assert clean_article(raw).paragraphs == [BODY_1, BODY_2]


@pytest.mark.unit
def test_short_paragraphs_a_line_each_are_not_taken_for_a_wrapped_one() -> None:
    """An export's text of short paragraphs, one line break between them: each line ends a
    sentence, which text wrapped at a margin does only now and then. They were one paragraph
    of seven sentences."""
    lines = [
        "Three fishing boats were destroyed by fire in Skarra harbour early on Sunday.",
        "No one was hurt, the fire service said.",
        "Crews from two stations fought the blaze for four hours.",
        "The cause of the fire is not yet known.",
        "Harbour master Ilse Brandt said the boats were worth about £1.2 million.",
        "“It is a terrible blow for the families who own them,” she said.",
        "The harbour will reopen on Tuesday.",
    ]
    cleaned = clean_article("Harbour fire destroys fishing boats\n\n" + "\n".join(lines))
    assert cleaned.paragraphs == lines


@pytest.mark.unit
def test_soft_wrapped_hyphenated_word_is_mended() -> None:
    raw = (
        "The council approved a long-\nawaited plan on Tuesday after\na long debate.\n\n"
        "Work is expected to start next spring\nand to last for about two years."
    )
    assert (
        body(raw)[0] == "The council approved a long-awaited plan on Tuesday after a long debate."
    )


@pytest.mark.unit
def test_capitalised_line_in_one_line_text_starts_a_new_paragraph() -> None:
    assert body(f"{BODY_1}\n{BODY_2}") == [BODY_1, BODY_2]


# --- rule 10: whitespace and characters ---------------------------------------------------


@pytest.mark.unit
def test_whitespace_is_normalised_and_quotes_are_kept() -> None:
    raw = f"{HEADLINE}\r\n\r\n  The  “new”\tbeacon’s light\u00a0shines far.  \r\n\r\n\r\n \t \r\n"
    cleaned = clean_article(raw)
    assert cleaned.title == HEADLINE
    assert cleaned.paragraphs == ["The “new” beacon’s light shines far."]


@pytest.mark.unit
def test_invisible_characters_go_and_every_space_is_one_space() -> None:
    raw = f"\ufeff{HEADLINE}\n\n\u200bThe new\u2009beacon\u202fis\u3000bright; a well\u00ad-lit"
    raw += " pier.\n\n\u200b\n\nA second paragraph.\u200d"
    cleaned = clean_article(raw)
    assert cleaned.title == HEADLINE
    expected = ["The new beacon is bright; a well-lit pier.", "A second paragraph."]
    assert cleaned.paragraphs == expected


@pytest.mark.unit
def test_paragraphs_have_no_newlines_and_are_stripped() -> None:
    for p in body("  A line with trailing spaces.  ", BODY_1):
        assert p == p.strip() and "\n" not in p and p
