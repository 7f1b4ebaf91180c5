"""Unit tests for qa.trimming: long answers are cut at clause boundaries around the answer."""

from __future__ import annotations

import pytest

from qa.trimming import clause_spans, inside_quotation, trim, whole_figures

pytestmark = pytest.mark.unit

LONG = (
    "Growers met in the town hall on Thursday evening, where the association's chair, a retired "
    "schoolteacher, read out a long list of losses, farm by farm, while outside the wind kept "
    "rising, and in the end they agreed to ask the province for emergency help to replant the "
    "damaged pear trees before the spring."
)


def test_a_short_sentence_is_kept_whole() -> None:
    sentence = "The choir has 28 members."
    assert trim(sentence, (14, 16), max_words=40) == sentence


def test_clauses_end_after_commas_semicolons_colons_and_dashes() -> None:
    sentence = "First part, second part; third: fourth — fifth"
    parts = [sentence[a:b] for a, b in clause_spans(sentence)]
    assert parts == ["First part,", "second part;", "third:", "fourth —", "fifth"]


def test_the_clause_holding_the_answer_is_kept_with_neighbours_that_fit() -> None:
    at = LONG.index("emergency help")
    trimmed = trim(LONG, (at, at + len("emergency help")), max_words=25)
    assert "emergency help" in trimmed
    assert len(trimmed.replace("…", "").split()) <= 25
    assert trimmed.startswith("… ")
    for part in trimmed.split(" … "):
        assert part.strip("… ") in LONG


@pytest.mark.parametrize("words", [8, 12, 20, 30])
def test_cuts_fall_on_clause_boundaries(words: int) -> None:
    at = LONG.index("retired schoolteacher")
    trimmed = trim(LONG, (at, at + 21), max_words=words).strip("… ")
    assert "retired schoolteacher" in trimmed
    starts = {LONG[a:b].split()[0] for a, b in clause_spans(LONG)}
    if len(trimmed.split()) > 1 and trimmed.split()[0] not in starts:
        pytest.fail(f"starts mid-clause: {trimmed!r}")


def test_earlier_clauses_are_added_first() -> None:
    sentence = (
        "The minister, speaking in Paris on Monday, said the treaty would be signed, adding "
        "that details were still open, and that the vote would follow."
    )
    at = sentence.index("the treaty")
    trimmed = trim(sentence, (at, at + 10), max_words=16)
    assert trimmed.startswith("The minister") or trimmed.startswith("… speaking")
    assert "the treaty would be signed" in trimmed


def test_without_a_span_the_opening_is_kept() -> None:
    trimmed = trim(LONG, None, max_words=20)
    assert trimmed.startswith("Growers met in the town hall")
    assert trimmed.endswith("…")


def test_a_single_clause_over_the_limit_is_cut_around_the_answer() -> None:
    sentence = (
        " ".join(f"w{i}" for i in range(60)) + " answer " + " ".join(f"v{i}" for i in range(30))
    )
    at = sentence.index("answer")
    trimmed = trim(sentence, (at, at + 6), max_words=20)
    assert "answer" in trimmed
    assert len(trimmed.replace("…", "").split()) == 20


def test_a_comma_or_stop_inside_closing_quotes_or_brackets_is_a_clause_break() -> None:
    sentence = (
        "(Jan Ostrow is a board member of the Harbour Trust.) “We must all insist on honest "
        "books or we will lose the trust of the town,” Ms. Ostrow said at the last meeting of "
        "the trust, which has raised 5 million dollars since its founding in the spring of 1990."
    )
    assert clause_spans(sentence)[0] == (0, sentence.index(" “We"))
    out = trim(sentence, (sentence.index("5 million"), sentence.index(" since")), max_words=30)
    # the run starts at a clause, never at a word cut such as "… Harbour Trust.) “We must"
    assert out == (
        "… Ms. Ostrow said at the last meeting of the trust, which has raised 5 million dollars "
        "since its founding in the spring of 1990."
    )


@pytest.mark.parametrize(
    ("short", "kept"),
    [
        # a span that opens a quotation it does not close keeps what is quoted
        ("the critically acclaimed “Atmospheric Disturbances", "Atmospheric Disturbances"),
        ('111-22 or "PL 111-22', "PL 111-22"),
        ('"the exercise of power in any form', "the exercise of power in any form"),
        # one that closes a quotation it did not open keeps what was quoted, not what follows
        ("further provocations” in response to", "further provocations"),
        ("eviscerated,” said an essay", "eviscerated"),
        ('eviscerated," said an essay', "eviscerated"),
        # one that closes a quotation and opens the next holds two pieces and the words
        # between: none (helper-134 was given 'Gateway to Europe", and, conversely; "Gateway
        # to the World', a dangling mark at each end)
        ('Gateway to Europe", and, conversely; "Gateway to the World', None),
        ("the old harbour”, the mayor said, “the new", None),
        ("Tuesday) and (", None),
        # a bracket the same way ("535-foot (163 m) tower": helper-134 was given "163 m) tower
        # whose great height")
        ("163 m) tower whose great height", "163 m"),
        ("the Kangleipak Communist Party (KCP", "the Kangleipak Communist Party"),
        ("a 535-foot (163 m) tower", "a 535-foot (163 m) tower"),
        # balanced, or no quotation at all: as it was
        ("“fake news” and “lies”", "“fake news” and “lies”"),
        ("“fake news”", "“fake news”"),
        ('called it "fake news" twice', 'called it "fake news" twice'),
        ("Matthew Miller", "Matthew Miller"),
        # nothing inside
        ("said “", None),
    ],
)
def test_a_short_answer_crossing_a_quotation_edge_keeps_the_part_inside(
    short: str, kept: str | None
) -> None:
    assert inside_quotation(short) == kept


QUOTED = (
    "“It is costly,” the harbour board said, “to keep two ferries running all winter for a "
    "handful of passengers, to pay the crews overtime for every late sailing, and to repair "
    "the old pier again and again, when one new boat would carry them all.”"
)


def test_a_cut_inside_a_quotation_keeps_its_closing_mark() -> None:
    trimmed = trim(QUOTED, (0, 14), max_words=30)
    assert trimmed.startswith("“It is costly,” the harbour board said, “to keep")
    assert trimmed.endswith("” …")
    assert trimmed.removesuffix("” …") in QUOTED
    assert trimmed.count("“") == trimmed.count("”")


def test_a_cut_inside_a_quotation_keeps_its_opening_mark() -> None:
    at = QUOTED.index("one new boat")
    trimmed = trim(QUOTED, (at, at + 12), max_words=12)
    assert trimmed.startswith("… “")
    assert trimmed.endswith("carry them all.”")
    assert trimmed.removeprefix("… “") in QUOTED
    assert trimmed.count("“") == trimmed.count("”")


def test_a_quotation_cut_at_both_ends_is_marked_at_both() -> None:
    at = QUOTED.index("overtime")
    trimmed = trim(QUOTED, (at, at + 8), max_words=9)
    assert trimmed.startswith("… “") and trimmed.endswith("” …")
    assert "overtime" in trimmed


def test_a_cut_outside_any_quotation_adds_no_mark() -> None:
    at = LONG.index("emergency help")
    trimmed = trim(LONG, (at, at + 14), max_words=25)
    assert "“" not in trimmed and "”" not in trimmed


def test_a_quotation_the_sentence_never_closes_gets_no_closing_mark() -> None:
    sentence = QUOTED.removesuffix("”")
    assert trim(sentence, (0, 14), max_words=30).endswith(" …")


def test_straight_quotation_marks_are_kept_the_same_way() -> None:
    sentence = QUOTED.replace("“", '"').replace("”", '"')
    trimmed = trim(sentence, (0, 14), max_words=30)
    assert trimmed.endswith('" …')
    assert trimmed.count('"') % 2 == 0


@pytest.mark.parametrize(
    ("sentence", "marked", "whole"),
    [
        ("an endowment of $133 million as of May", "133 million", "$133 million"),
        ("it sent 1,500 special forces troops", "500", "1,500"),
        ("it sent 1,500 special forces troops", "1", "1,500"),
        ("a passport costs 1.2 million euros", "2 million euros", "1.2 million euros"),
        ("turnout rose 46% in the town", "46", "46%"),
        ("tickets cost US$40 each", "40", "US$40"),
        ("about 3,000. Then", "3", "3,000"),
        # nothing glued to it: as marked
        ("Patent No. 1, and", "1", "1"),
        ("the 20 balloons, and 5,000 sticks", "20 balloons", "20 balloons"),
    ],
)
def test_a_figure_the_span_cuts_is_taken_whole_with_its_signs(
    sentence: str, marked: str, whole: str
) -> None:
    at = sentence.index(marked)
    a, b = whole_figures(sentence, (at, at + len(marked)))
    assert sentence[a:b] == whole


BRACKETED = (
    "The harbour council (which had met in Brenna, Osterby and Vik over three long days of "
    "hearings, with more than forty speakers from the shipyards, the ferry companies and the "
    "fishing cooperatives) voted by a narrow margin on Tuesday night to approve the new bridge "
    "over the canal, which will cost 48 million euros."
)


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


def test_a_cut_inside_brackets_keeps_their_opening_mark() -> None:
    # "… the ferry companies and the fishing cooperatives) voted …" closed a bracket the
    # answer never opened
    at = BRACKETED.index("48 million")
    trimmed = trim(BRACKETED, (at, at + 10), max_words=30)
    assert trimmed.startswith("… (the ferry companies")
    assert _balanced(trimmed)
    assert trimmed.removeprefix("… (") in BRACKETED


def test_a_cut_inside_brackets_keeps_their_closing_mark() -> None:
    at = BRACKETED.index("Osterby")
    trimmed = trim(BRACKETED, (at, at + 7), max_words=30)
    assert trimmed.startswith("The harbour council (which had met")
    assert trimmed.endswith(") …")
    assert _balanced(trimmed)


def test_brackets_cut_at_both_ends_are_marked_at_both() -> None:
    at = BRACKETED.index("hearings")
    trimmed = trim(BRACKETED, (at, at + 8), max_words=12)
    assert trimmed.startswith("… (") and trimmed.endswith(") …")
    assert _balanced(trimmed)


def test_a_bracket_inside_a_quotation_is_closed_before_the_quotation() -> None:
    sentence = (
        "“We will not sell the old boat (not this year, not for scrap, not to any buyer from "
        "abroad, whatever they offer), and we will repair it,” the board said on Tuesday."
    )
    trimmed = trim(sentence, (0, 8), max_words=12)
    assert trimmed.endswith(")” …") and _balanced(trimmed)


@pytest.mark.parametrize("mark", [" –", " —"])
def test_a_word_cut_ends_on_a_word_not_on_the_punctuation_after_it(mark: str) -> None:
    # a clause one word over the limit is cut word by word, and the cut kept its last "word",
    # the dash: "… w19 – …" (helper-134: "… for all of Croatia – …")
    sentence = " ".join(f"w{i}" for i in range(20)) + mark + " v1 v2 v3 v4 v5 v6."
    at = sentence.index("w15")
    trimmed = trim(sentence, (at, at + 3), max_words=20)
    assert trimmed.startswith("… w1 ") and trimmed.endswith(" w19 …"), trimmed
