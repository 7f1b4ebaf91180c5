"""Unit tests for the cleaner's rules on paragraphs (qa/cleaning_paragraphs.py): rules 6,
7 and 8, each on small made-up inputs through qa.cleaning."""

from __future__ import annotations

import pytest

from qa.cleaning import clean_article
from tests.cleaning_texts import BODY_1, BODY_2, HEADLINE, body

# --- rule 6: title ------------------------------------------------------------------------


@pytest.mark.unit
def test_article_starting_with_body_text_has_no_title() -> None:
    cleaned = clean_article(f"{BODY_1}\n\n{BODY_2}")
    assert cleaned.title is None
    assert cleaned.paragraphs == [BODY_1, BODY_2]


@pytest.mark.unit
def test_question_headline_is_a_title() -> None:
    assert clean_article(f"Can the old lighthouse be saved?\n\n{BODY_1}").title == (
        "Can the old lighthouse be saved?"
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    "headline",
    ["Sierra Nevada (U.S.)", "Talks resume in Washington, D.C.", "Vessby joins the E.U."],
)
def test_a_headline_ending_on_an_initialism_is_the_title(headline: str) -> None:
    # its full stop ends no sentence: the headline was body text (or joined to the first
    # paragraph: "Talks resume in Washington, D.C. Negotiators met …")
    cleaned = clean_article(f"{headline}\n\n{BODY_1}")
    assert cleaned.title == headline
    assert cleaned.paragraphs == [BODY_1]


@pytest.mark.unit
def test_a_first_line_ending_on_a_titles_abbreviation_is_no_title() -> None:
    # "Dr." leaves its sentence unfinished: the paragraph was broken in two, and is joined
    cleaned = clean_article("It was found by Dr.\n\nRuth Adeyemi, who led the dig, said so.")
    assert cleaned.title is None
    assert cleaned.paragraphs == ["It was found by Dr. Ruth Adeyemi, who led the dig, said so."]


@pytest.mark.unit
def test_long_first_line_is_not_a_title() -> None:
    long_line = " ".join(["word"] * 25).capitalize()
    assert clean_article(f"{long_line}\n\n{BODY_1}").title is None


@pytest.mark.unit
@pytest.mark.parametrize(
    "headline",
    [
        "Seoul summons Russian envoy over North Korean troops.",  # wire style, a full stop
        "Exclusive: Seoul weighs arms for Ukraine, officials say…",
        " ".join(["word"] * 25).capitalize(),  # past 20 words
    ],
)
def test_a_labelled_title_is_the_title_whatever_its_shape(headline: str) -> None:
    cleaned = clean_article(f"Title: {headline}\n\nSource: Coast Times\n\n{headline}\n\n{BODY_1}")
    assert (cleaned.title, cleaned.source) == (headline, "Coast Times")
    assert cleaned.paragraphs == [BODY_1]  # a repeat of it is dropped, as a headline's is
    # only the opening line is read so; an unlabelled one is judged by its shape as before
    assert clean_article(f"{headline}\n\n{BODY_1}").title is None
    assert clean_article(f"{BODY_1}\n\nHeadline: {headline}").title is None


@pytest.mark.unit
@pytest.mark.parametrize("kicker", ["POLITICS", "Local news", "Exclusive"])
def test_a_kicker_above_the_headline_is_not_the_title(kicker: str) -> None:
    cleaned = clean_article(f"{kicker}\n\n{HEADLINE}\n\n{BODY_1}\n")
    assert (cleaned.title, cleaned.paragraphs) == (HEADLINE, [BODY_1])


@pytest.mark.unit
def test_a_short_headline_over_a_sentence_or_a_short_dek_is_the_title() -> None:
    cleaned = clean_article(f"Harbour reopens\n\n{BODY_1}\n")
    assert (cleaned.title, cleaned.paragraphs) == ("Harbour reopens", [BODY_1])
    cleaned = clean_article(f"Harbour reopens\n\nBoats back\n\n{BODY_1}\n")
    assert cleaned.title == "Harbour reopens"


@pytest.mark.unit
def test_repeated_title_is_dropped_and_dek_is_kept() -> None:
    dek = "Residents hope the project will bring back visitors to the coast"
    assert body(dek, HEADLINE, BODY_1) == [dek, BODY_1]


# --- rule 7: subheadings ------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize("heading", ["Rising costs", "‘A Light for Everyone’", "What comes next"])
def test_subheading_before_a_capitalised_paragraph_is_dropped(heading: str) -> None:
    assert body(BODY_1, heading, BODY_2) == [BODY_1, BODY_2]


@pytest.mark.unit
def test_short_sentence_with_full_stop_is_not_a_subheading() -> None:
    short = "The vote was close."
    assert body(BODY_1, short, BODY_2) == [BODY_1, short, BODY_2]


@pytest.mark.unit
def test_fragment_ending_in_a_function_word_is_joined_not_dropped() -> None:
    paragraphs = body("The mayor met engineers in", "Porto Vela on Monday to discuss repairs.")
    assert paragraphs == ["The mayor met engineers in Porto Vela on Monday to discuss repairs."]


# --- rule 8: paragraphs broken mid-sentence -----------------------------------------------


@pytest.mark.unit
def test_paragraph_without_end_punctuation_joins_lowercase_continuation() -> None:
    paragraphs = body("The council said the repairs would cost", "about two million euros.")
    assert paragraphs == ["The council said the repairs would cost about two million euros."]


@pytest.mark.unit
def test_abbreviation_joins_lowercase_continuation() -> None:
    paragraphs = body("The plan was praised by the U.N.", "agency for coastal heritage.")
    assert paragraphs == ["The plan was praised by the U.N. agency for coastal heritage."]


@pytest.mark.unit
def test_abbreviation_joins_capitalised_non_opener() -> None:
    paragraphs = body("The design was reviewed, said a U.S.", "State Department official.")
    assert paragraphs == ["The design was reviewed, said a U.S. State Department official."]


@pytest.mark.unit
def test_abbreviation_then_title_and_name_joins() -> None:
    paragraphs = body("The keeper's log was found by Dr.", "Lena Holm in the archive.")
    assert paragraphs == ["The keeper's log was found by Dr. Lena Holm in the archive."]


@pytest.mark.unit
def test_abbreviation_before_sentence_opener_does_not_join() -> None:
    first = "The restoration was backed by the U.N."
    second = "But critics say the money should go to housing."
    assert body(first, second) == [first, second]


@pytest.mark.unit
def test_clock_time_at_a_paragraph_end_ends_its_sentence() -> None:
    first = "The fire started at 3 a.m."
    second = "Firefighters arrived within ten minutes and found the ground floor ablaze."
    assert body(first, second) == [first, second]
    assert body("The ferry left at 9:40 p.m.", "Passengers were told to wait.") == [
        "The ferry left at 9:40 p.m.",
        "Passengers were told to wait.",
    ]


@pytest.mark.unit
def test_clock_time_joins_the_day_month_or_time_zone_that_goes_on() -> None:
    assert body("The polls closed at 8 p.m.", "Tuesday, and counting began at once.") == [
        "The polls closed at 8 p.m. Tuesday, and counting began at once."
    ]
    assert body("The launch is set for 6 a.m.", "EDT on the coast.") == [
        "The launch is set for 6 a.m. EDT on the coast."
    ]
    # a lower-case continuation joins as after any abbreviation
    assert body("The shop opens at 7 a.m.", "on weekdays only.") == [
        "The shop opens at 7 a.m. on weekdays only."
    ]


@pytest.mark.unit
def test_complete_sentence_does_not_join_lowercase_start() -> None:
    first = "The council agreed."
    second = "iPads will be handed out to visitors."
    assert body(first, second) == [first, second]


@pytest.mark.unit
def test_quotation_paragraph_is_not_joined() -> None:
    first = "The mayor said the work was overdue and added"
    second = "“We cannot wait any longer.”"
    assert body(BODY_1, first, second) == [BODY_1, first, second]


@pytest.mark.unit
def test_heading_ending_in_abbreviation_is_not_joined_but_dropped() -> None:
    assert body(BODY_1, "Ties With the U.S.", "Washington sent engineers.") == [
        BODY_1,
        "Washington sent engineers.",
    ]


@pytest.mark.unit
def test_short_dek_right_under_the_title_is_kept() -> None:
    assert body("Residents want visitors back", BODY_1) == ["Residents want visitors back", BODY_1]
