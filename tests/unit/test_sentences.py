"""Sentence spans: pysbd's splitting, plus sentence ends at note marks of saved pages."""

from __future__ import annotations

import pytest

from qa.sentences import _END_WITH_NOTES, _parts, sentence_spans

pytestmark = pytest.mark.unit


def texts(paragraph: str) -> list[str]:
    spans = sentence_spans(paragraph)
    assert all(paragraph[s.start : s.end] == s.text for s in spans)  # offsets into the text
    return [s.text for s in spans]


def test_plain_sentences_and_abbreviations() -> None:
    assert texts("Mr. Smith went to the U.S. on Oct. 10. He stayed.") == [
        "Mr. Smith went to the U.S. on Oct. 10.",
        "He stayed.",
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "It won every award since 2000.[citation needed] Its reporter was killed in 2012.",
            ["It won every award since 2000.[citation needed]", "Its reporter was killed in 2012."],
        ),
        (
            "He was born in 1950.[1] He died in 2000.[2][3] The end.",
            ["He was born in 1950.[1]", "He died in 2000.[2][3]", "The end."],
        ),
        ('It was "great."[4] Others disagreed.', ['It was "great."[4]', "Others disagreed."]),
        (
            "It ran DOS.[citation needed] Windows 3.0 programs ran in protected mode.",
            ["It ran DOS.[citation needed]", "Windows 3.0 programs ran in protected mode."],
        ),
    ],
)
def test_a_note_mark_after_a_full_stop_ends_the_sentence_and_stays_with_it(
    paragraph: str, expected: list[str]
) -> None:
    assert texts(paragraph) == expected


def test_brackets_that_are_not_notes_after_a_sentence_end_do_not_split() -> None:
    # a mark inside a sentence, an editorial insertion, an initialism's full stop
    assert texts("As of 2014[update], Sharkey is the Speaker.") == [
        "As of 2014[update], Sharkey is the Speaker."
    ]
    assert texts('She said "[h]e noted" it. Then [the plan] failed.') == [
        'She said "[h]e noted" it.',
        "Then [the plan] failed.",
    ]
    # (pysbd itself splits "U.S.[1] Army"; the note rule adds no cut there)
    assert not _END_WITH_NOTES.search("He joined the U.S.[1] Army in 1950.")


def test_a_paragraph_that_opens_with_a_mark_keeps_it() -> None:
    assert texts("[1] An odd start. Fine.") == ["[1] An odd start.", "Fine."]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Visitors may stay late. (It closes at 5 p.m.) “The idea is to linger,” she said.",
            [
                "Visitors may stay late.",
                "(It closes at 5 p.m.)",
                "“The idea is to linger,” she said.",
            ],
        ),
        (
            "The shows went ahead. (Citing obligations, the band declined to comment.) Still, "
            "the dates sold out.",
            [
                "The shows went ahead.",
                "(Citing obligations, the band declined to comment.)",
                "Still, the dates sold out.",
            ],
        ),
        ("(Who knew?) The vote passed.", ["(Who knew?)", "The vote passed."]),
    ],
)
def test_a_sentence_that_ends_inside_round_brackets_ends_after_them(
    paragraph: str, expected: list[str]
) -> None:
    assert texts(paragraph) == expected


def test_an_aside_in_brackets_inside_a_sentence_does_not_split() -> None:
    for whole in [
        "He joined the Army (U.S.) Reserve in 1950.",
        "They met at noon (about 12 p.m.) and talked.",
        "Alphabet (Google Inc.) Chief Executive Sundar Pichai spoke.",
        "Sen. Ted Cruz (R-Tex.) Tuesday said no.",
        "Lt. Gen. (Ret.) Mark Hertling said so.",
        "In 1950 (Jan.) The Times wrote about it.",
    ]:
        assert texts(whole) == [whole]


def test_the_next_sentence_after_a_bracket_may_open_with_a_figure_or_another_bracket() -> None:
    assert texts("He left early. (It was late.) 2020 was hard.") == [
        "He left early.",
        "(It was late.)",
        "2020 was hard.",
    ]
    assert texts("He came. (It rained.) (Nobody minded.) Then it ended.") == [
        "He came.",
        "(It rained.)",
        "(Nobody minded.)",
        "Then it ended.",
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (  # pysbd ends a sentence at the state's abbreviation of a dateline
            "SKARRA, Va. — The harbour reopened on Monday. Boats left at once.",
            ["SKARRA, Va. — The harbour reopened on Monday.", "Boats left at once."],
        ),
        (  # and at a clock time that a day, a month or a time zone follows
            "The ferry left at 5:30 a.m. Monday, and it docked at 3 p.m. Oct. 4. Then it rained.",
            [
                "The ferry left at 5:30 a.m. Monday, and it docked at 3 p.m. Oct. 4.",
                "Then it rained.",
            ],
        ),
        ("It opens at 9 a.m. EDT on weekdays.", ["It opens at 9 a.m. EDT on weekdays."]),
        (  # a clock time that ends a sentence still ends it
            "The meeting ended at 5 p.m. The mayor left. Officials met at 9 a.m. Today it rains.",
            [
                "The meeting ended at 5 p.m.",
                "The mayor left.",
                "Officials met at 9 a.m.",
                "Today it rains.",
            ],
        ),
    ],
    ids=["dateline", "clock-and-day", "clock-and-zone", "clock-at-the-end"],
)
def test_a_dateline_or_a_clock_time_does_not_end_a_sentence_early(
    paragraph: str, expected: list[str]
) -> None:
    assert texts(paragraph) == expected


def test_a_very_long_paragraph_is_read_in_parts_with_the_same_sentences() -> None:
    """pysbd's time grows with the square of a text's length, so a paragraph of hundreds of
    thousands of characters (a page saved with no blank lines) is read in parts cut at sentence
    ends; the sentences are those of reading it whole, abbreviations included."""
    sentence = (
        "The dam audit listed {i} cracks in section {i} and flagged pumps. "
        "Mr. Holt of the U.S. Army said so on Oct. {i} at 5 p.m. Monday."
    )
    long = " ".join(sentence.format(i=i) for i in range(150))  # about 20,000 characters
    read = texts(long)
    assert len(long) > 15_000
    assert len(read) == 300
    assert read[1] == "Mr. Holt of the U.S. Army said so on Oct. 0 at 5 p.m. Monday."
    assert read[-1] == "Mr. Holt of the U.S. Army said so on Oct. 149 at 5 p.m. Monday."
    assert len(_parts(long)) > 5  # it was read in parts
    # each pair of sentences, read alone, is read the same
    for i in (0, 42, 149):
        assert texts(sentence.format(i=i)) == read[2 * i : 2 * i + 2]


def test_a_long_paragraph_with_no_sentence_end_is_still_read_whole_in_parts() -> None:
    words = " ".join(f"word{i}" for i in range(3_000))  # 26,000 characters, no full stop
    spans = sentence_spans(words)
    assert len(_parts(words)) > 5
    assert spans and spans[0].start == 0 and spans[-1].end == len(words)
    assert all(words[s.start : s.end] == s.text for s in spans)


def test_a_long_paragraph_is_not_cut_inside_a_quotation() -> None:
    talk = "The board met again and talked. "
    quoted = "Then, again and again, he said: “The war is over. Now we rebuild.” Then he left. "
    long = talk * 92 + quoted + talk * 100  # the quotation falls where a part would end
    read = texts(long)
    assert "Then, again and again, he said: “The war is over. Now we rebuild.”" in read
    assert "Then he left." in read
