from __future__ import annotations

import pytest

from qa.followups import is_follow_up, standalone_question
from qa.models import Turn

FIRST = Turn(question="How many trees did the orchard growers lose to frost?", answer="…")


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "And what did the province say to that?",
        "What did they ask for?",
        "Why?",
        "What about the vineyards?",
        "How much did it cost?",
    ],
)
def test_questions_that_lean_on_the_conversation_are_follow_ups(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.unit
def test_a_self_contained_question_is_not_a_follow_up() -> None:
    assert not is_follow_up("How many apple growers in the valley applied for frost relief?")


@pytest.mark.unit
def test_follow_up_is_searched_with_the_previous_question() -> None:
    rewritten = standalone_question("And what did the province say to that?", [FIRST])
    assert rewritten is not None
    assert rewritten.startswith("And what did the province say to that?")
    assert "orchard growers lose to frost" in rewritten


@pytest.mark.unit
def test_no_history_or_standalone_question_means_no_rewrite() -> None:
    assert standalone_question("And what did the province say to that?", []) is None
    standalone = "How many apple growers in the valley applied for frost relief?"
    assert standalone_question(standalone, [FIRST]) is None


@pytest.mark.unit
def test_only_the_latest_turn_is_used() -> None:
    older = Turn(question="Who runs the ferry to the island?", answer="…")
    rewritten = standalone_question("What did they say?", [older, FIRST])
    assert rewritten is not None
    assert "ferry" not in rewritten
    assert "frost" in rewritten


@pytest.mark.unit
def test_a_chain_of_follow_ups_is_read_back_to_the_question_that_stood_alone() -> None:
    older = Turn(question="Who runs the ferry to the island?", answer="…")
    chained = Turn(question="How many boats does it have?", answer="…")
    rewritten = standalone_question("And what did they say about the fares?", [older, chained])
    assert rewritten == (
        "And what did they say about the fares? "
        "(following: How many boats does it have; Who runs the ferry to the island)"
    )
    # a question that stood alone ends the chain
    rewritten = standalone_question("What did they say?", [older, FIRST])
    assert rewritten is not None and "ferry" not in rewritten


@pytest.mark.unit
def test_a_chain_names_each_earlier_question_once_and_skips_empty_ones() -> None:
    again = Turn(question="What about it?", answer="…")
    empty = Turn(question="", answer="…")
    rewritten = standalone_question("And then?", [FIRST, again, again])
    assert rewritten == (
        "And then? (following: What about it; How many trees did the orchard growers lose to frost)"
    )
    assert standalone_question("And then?", [empty]) is None
