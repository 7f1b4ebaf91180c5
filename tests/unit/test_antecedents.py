"""Unit tests for qa.antecedents: which quotes lean on the sentence before."""

from __future__ import annotations

import pytest

from qa.antecedents import (
    named_speaker,
    names_someone,
    naming_clause,
    opens_with_reference,
    short_answer_names,
    speaker_is_reference,
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


@pytest.mark.parametrize(
    "text",
    [
        "“The port will stay shut,” he told reporters in Calder.",
        "“We are ready,” she said.",
        "Talks will resume on Friday, they added.",
        "“It is too early,” He noted, “to say more.”",
    ],
)
def test_words_given_to_a_pronoun(text: str) -> None:
    assert speaker_is_reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "“The port will stay shut,” Tomas Breckner told reporters.",
        "He said the port would stay shut.",  # opens with the pronoun: the other rule
        "The union said that he told the workers to stay home.",
        "Members shed their coats, she-wolves said nothing.",
    ],
)
def test_words_given_to_a_name_or_not_given_at_all(text: str) -> None:
    assert not speaker_is_reference(text)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("“Costs will rise,” said Tomas Breckner, the union's leader.", "Tomas Breckner"),
        ("Mayor Elena Vasquez warned the council on Tuesday.", "Mayor Elena Vasquez"),
        ("On Monday, union leader Tomas Breckner told members to walk out.", "Tomas Breckner"),
        ("“Enough,” the mayor said, and Ruth Adeyemi added that taxes would rise.", "Ruth Adeyemi"),
    ],
)
def test_the_speaker_the_sentence_before_names(sentence: str, name: str) -> None:
    found = named_speaker(sentence)
    assert found is not None
    assert sentence[found[0] : found[1]] == name


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry said on Monday it was ready.",  # no name, only "The"
        "He said the talks had failed.",
        "Costs rose by 14 percent in March.",  # no speech verb
    ],
)
def test_no_speaker_is_made_up(sentence: str) -> None:
    assert named_speaker(sentence) is None
