"""Unit tests for qa.antecedents: which quotes lean on the sentence before."""

from __future__ import annotations

import pytest

from qa.antecedents import (
    names_someone,
    naming_clause,
    opens_with_reference,
    short_answer_names,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text",
    [
        "He said the talks would resume.",
        "… she added that nothing was agreed.",
        "“They will pay for this,” the statement said.",
        "The official, who asked not to be named, said the drones were found.",
        "Its embassy did not reply.",
    ],
)
def test_quotes_that_point_back(text: str) -> None:
    assert opens_with_reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mark Rutte said the troops were in Kursk.",
        "Helsinki said the talks would resume.",  # "He" inside a longer word
        "The council said the officials would report.",
        "Theirs was the last boat.",
    ],
)
def test_quotes_that_name_their_subject(text: str) -> None:
    assert not opens_with_reference(text)


def test_names_someone_looks_past_the_first_word() -> None:
    assert names_someone("The captain, Olaf Brandt, spoke on Monday.")
    assert not names_someone("The captain spoke on the quay.")
    assert not names_someone("The captain spoke on Monday, in May.")  # days and months name nobody


def test_a_name_as_short_answer_names_who() -> None:
    assert short_answer_names("Olaf Brandt")
    assert not short_answer_names("he")
    assert not short_answer_names("twice daily")
    assert not short_answer_names(None)
    assert not short_answer_names("The official")
    assert short_answer_names("the NATO chief")
    assert not short_answer_names("Russia was relying on North Korean forces")


def test_the_clause_that_names_who_is_found_past_an_opener() -> None:
    sentence = "A day before the vote, Zelenskyy cited new reports from the front."
    start, end = naming_clause(sentence) or (0, 0)
    assert sentence[start:end] == "Zelenskyy cited new reports from the front."
    kim = "Kim Yo-jong, the sister of the leader, issued a statement."
    assert naming_clause(kim) == (0, len("Kim Yo-jong,"))
    assert naming_clause("In the end, the council agreed.") is None
