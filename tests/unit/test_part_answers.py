"""A question of several parts is answered part by part (qa/choosing.py: part_answers)."""

from __future__ import annotations

from typing import Any

import pytest

import qa.choosing as choosing
from qa.candidates import Candidate
from qa.evidence import ScoredSentence
from qa.models import Turn
from qa.question import analyse_question, part_after
from qa.selection import Choice
from qa.settings import Settings

pytestmark = pytest.mark.unit


def _choice(row: int, text: str, score: float) -> Choice:
    evidence = ScoredSentence(0, row, 0, len(text), text, score, 0.5, 0.5, 0.0, 0.0)
    return Choice(Candidate(row, 0, len(text), text), evidence, score, None)


BOTH_WORDS = _choice(0, "Tensions over the balloons and the drones have grown.", 0.7)
BALLOONS = _choice(1, "North Korea sent more than 1,000 balloons.", 0.8)
DRONES = _choice(2, "Russia called the drone flights a provocation.", 0.6)


def _parts_found(monkeypatch: pytest.MonkeyPatch, found: dict[str, list[Choice]]) -> None:
    def choose(analysis: Any, *_: Any) -> list[Choice]:
        return found[analysis.asked]

    monkeypatch.setattr(choosing, "choose", choose)
    monkeypatch.setattr(choosing, "search", lambda analysis, retriever: None)


QUESTION = "How many balloons were sent and what did Russia say about the drones?"


def _analysed() -> Any:
    return analyse_question(QUESTION, max_chars=500, max_history_turns=10)


def _answers(best: list[Choice]) -> list[Choice]:
    analysis = _analysed()
    assert len(analysis.parts) == 2
    return choosing.part_answers(analysis, best, None, None, None, Settings())  # type: ignore[arg-type]


def test_each_part_gets_its_own_sentence_and_the_whole_questions_best_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parts = _analysed().parts
    _parts_found(monkeypatch, {parts[0]: [BALLOONS], parts[1]: [DRONES]})
    # the whole question's best shares words with both parts and answers neither
    assert _answers([BOTH_WORDS]) == [BALLOONS, DRONES]


def test_the_whole_questions_best_answers_when_no_part_clears_the_bar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parts = _analysed().parts
    below = _choice(3, "Balloons were seen.", Settings().answer.min_answer_score / 2)
    _parts_found(monkeypatch, {parts[0]: [below], parts[1]: []})
    assert _answers([BOTH_WORDS]) == [BOTH_WORDS]
    assert _answers([]) == []


def test_a_part_saying_what_another_part_said_is_not_repeated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parts = _analysed().parts
    _parts_found(monkeypatch, {parts[0]: [BALLOONS], parts[1]: [BALLOONS]})
    assert _answers([BOTH_WORDS]) == [BALLOONS]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # a later part's "he"/"she" is the one person the first part names
        ("When did Peskov dismiss the reports, and what did he call them?",
         ("When did Peskov dismiss the reports?", "What did Peskov call them?")),
        ("Where did Kim Yo Jong speak, and what did she call the defectors?",
         ("Where did Kim Yo Jong speak?", "What did Kim Yo Jong call the defectors?")),
        ("Who met Peskov, and when did his office confirm it?",
         ("Who met Peskov?", "When did Peskov’s office confirm it?")),
        # several people in the first part, or one in the later part: left as asked
        ("When did Peskov call Lavrov, and what did he tell reporters?",
         ("When did Peskov call Lavrov?", "What did he tell reporters?")),
        ("When did Peskov speak, and what did Zakharova say he meant?",
         ("When did Peskov speak?", "What did Zakharova say he meant?")),
        # "they" is no person pronoun a name replaces
        ("How many troops did North Korea send, and where did they go?",
         ("How many troops did North Korea send?", "Where did they go?")),
    ],
)  # fmt: skip
def test_a_later_parts_person_is_the_one_the_first_part_names(
    question: str, parts: tuple[str, ...]
) -> None:
    assert analyse_question(question, max_chars=500, max_history_turns=10).parts == parts


WHO_CHAIRS = "Who chairs the harbour council and what did she say about the ferry fares?"
_CHAIR = "Separately, harbour council chair Ines Varga met the Port Office."
VARGA = Choice(
    Candidate(4, 0, len(_CHAIR), _CHAIR),
    ScoredSentence(0, 4, 0, len(_CHAIR), _CHAIR, 0.8, 0.5, 0.5, 0.0, 0.0),
    0.8,
    (_CHAIR.index("Ines"), _CHAIR.index(" met")),  # the span: "Ines Varga"
)
FARES = _choice(5, "“Fares will not rise this year,” said Varga.", 0.7)


def test_a_later_parts_person_after_a_who_that_names_no_one_is_the_one_its_answer_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analysis = analyse_question(WHO_CHAIRS, max_chars=500, max_history_turns=10)
    # read before any answer: whom "she" means is not known yet
    assert analysis.parts == (
        "Who chairs the harbour council?",
        "What did she say about the ferry fares?",
    )
    _parts_found(
        monkeypatch,
        {
            analysis.parts[0]: [VARGA],
            "What did Ines Varga say about the ferry fares?": [FARES],
            "What did she say about the ferry fares?": [BALLOONS],
        },
    )
    answers = choosing.part_answers(analysis, [], None, None, None, Settings())  # type: ignore[arg-type]
    assert answers == [VARGA, FARES]


@pytest.mark.parametrize(
    ("part", "first", "answer", "short", "asked"),
    [
        # the short answer names her, though the sentence names several
        ("What did she say about North Korean fares?", "Who chairs the council?",
         "Chair Ines Varga met Mayor Tomas Breck.", "Ines Varga",
         "What did Ines Varga say about North Korean fares?"),
        # no short answer: the sentence's one name
        ("What did he say?", "Who leads the union?", "The union is led by Tomas Breck.", None,
         "What did Tomas Breck say?"),
        # the answer names several and its span no one: left as asked
        ("What did he say?", "Who leads the union?", "Breck met Varga.", None,
         "What did he say?"),
        # a first part that names someone, or asks no "who": not this rule's
        ("What did he say?", "Who met Breck?", "Varga met Breck.", "Varga", "What did he say?"),
        ("What did he say?", "When did the union strike?", "Tomas Breck said so.", None,
         "What did he say?"),
        # a name before the pronoun may be whom it means
        ("What did Varga say he meant?", "Who leads the union?", "Tomas Breck leads it.", None,
         "What did Varga say he meant?"),
    ],
)  # fmt: skip
def test_a_later_part_is_asked_of_the_person_the_first_parts_answer_names(
    part: str, first: str, answer: str, short: str | None, asked: str
) -> None:
    assert part_after(part, first, answer, short) == asked


@pytest.mark.parametrize(
    "question",
    [
        WHO_CHAIRS,
        "When did Varga open the session, and what did she say about the ferry fares?",
    ],
)
def test_a_question_that_says_whom_its_later_he_means_is_no_follow_up(question: str) -> None:
    earlier = [Turn(question="How many ferries cross the harbour?", answer="Twelve ferries.")]
    read = analyse_question(question, earlier, max_chars=500, max_history_turns=10)
    assert not read.follow_up and len(read.parts) == 2
    # a pronoun the first part does not resolve still points back
    leaning = analyse_question(
        "Who chairs the council and when did they meet?", earlier, max_chars=500,
        max_history_turns=10,
    )  # fmt: skip
    assert leaning.follow_up
