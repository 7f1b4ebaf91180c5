"""Unit tests for qa.conversation: what a follow-up may be answered with."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from index.store import CorpusIndex
from qa.answering import _span_for_follow_up
from qa.candidates import Candidate, candidate_sentences, previous_sentence
from qa.conversation import clauses as _clauses
from qa.conversation import (
    conversation_candidates,
    given_again,
    near_last_answer,
    prefer_near_answer,
    quoted_by_last_answer,
    wants_news,
)
from qa.evidence import ScoredSentence, score_sentences
from qa.interfaces import Selection, SelectorInput, Vectors
from qa.models import Turn
from qa.question import analyse_question
from qa.selection import Choice, select
from tests.fakes import build_corpus
from tests.unit.test_answering import PIER_ARTICLES, PIER_SENTENCE

LIMITS = {"max_chars": 500, "max_history_turns": 10}


def _candidates(
    rows: Sequence[int],
    index: CorpusIndex,
    already_said: Sequence[Turn] = (),
    focus: Sequence[str] = (),
    follow_up: str = "",
) -> tuple[list[Candidate], Vectors]:
    """The follow-up's candidates (`focus` is implied by the follow-up's own words)."""
    if not already_said:
        return candidate_sentences(rows, index)
    question = follow_up or ("And what about the " + " ".join(focus) + "?" if focus else "And?")
    analysis = analyse_question(question, already_said, **LIMITS)
    return conversation_candidates(analysis, rows, index)


@pytest.mark.unit
def test_a_sentence_already_given_is_offered_again_for_the_fact_a_follow_up_asks_for() -> None:
    articles = {
        "market": (
            "Market reopens\n\n"
            "The town market reopened on Saturday with 85 stalls after a long renovation.\n\n"
            "A sign on one stall asked visitors to bring their own bags."
        )
    }
    index, _, _ = build_corpus(articles)
    said = [Turn(question="When did the market reopen?", answer=index.paragraphs[0].text + " [1]")]
    rows = list(range(len(index.paragraphs)))
    again, _ = _candidates(rows, index, already_said=said, follow_up="How many stalls are there?")
    assert index.paragraphs[0].text in [c.text for c in again]
    # a question asking for something else (or for nothing in particular) does not repeat it
    for follow_up in (
        "In what year were those stalls built?",
        "What about the stalls?",
        "Who opened those stalls?",  # any capitalised word passes for a name ("Saturday")
    ):
        again, _ = _candidates(rows, index, already_said=said, follow_up=follow_up)
        assert index.paragraphs[0].text not in [c.text for c in again]


@pytest.mark.unit
def test_a_question_that_stands_alone_may_be_answered_with_a_sentence_given_before() -> None:
    index, _, _ = build_corpus(PIER_ARTICLES)
    row = next(i for i, p in enumerate(index.paragraphs) if PIER_SENTENCE in p.text)
    said = [Turn(question="Whom?", answer=f"{PIER_SENTENCE} [1]")]
    analysis = analyse_question("Whom did the Port Alder council summon on Monday?", said, **LIMITS)
    found, _ = conversation_candidates(analysis, [row], index)
    assert [c.text for c in found] == [PIER_SENTENCE]


@pytest.mark.unit
def test_a_sentence_already_given_offers_only_the_clauses_holding_the_follow_ups_words() -> None:
    index, _, _ = build_corpus(PIER_ARTICLES)
    row = next(i for i, p in enumerate(index.paragraphs) if PIER_SENTENCE in p.text)
    said = [Turn(question="Whom?", answer=f"{PIER_SENTENCE} [1]")]
    unsaid, _ = _candidates([row], index)
    assert [c.text for c in unsaid] == [PIER_SENTENCE]
    assert _candidates([row], index, already_said=said)[0] == []
    clauses, vectors = _candidates([row], index, already_said=said, focus=["builder"])
    assert [c.text for c in clauses] == [
        "… the builder insisted that the damage was caused by the winter storms."
    ]
    paragraph = index.paragraphs[row].text
    assert paragraph[clauses[0].start : clauses[0].end] == clauses[0].text.removeprefix("… ")
    assert len(vectors) == 1
    assert _candidates([row], index, already_said=said, focus=["ferry"])[0] == []


@pytest.mark.unit
@pytest.mark.parametrize(
    ("sentence", "clauses"),
    [
        (PIER_SENTENCE, PIER_SENTENCE.split(", while ")),
        (  # a clause under five words is not offered on its own
            "Prices rose in May; economists expect them to keep rising.",
            ["economists expect them to keep rising."],
        ),
        (  # … and does not hide the clauses after it
            "He agreed, but the embassy insisted the report was false, while the ministry said "
            "nothing at all on Monday.",
            [
                "the embassy insisted the report was false",
                "the ministry said nothing at all on Monday.",
            ],
        ),
        (  # "but" without a comma does not start a clause
            "Officials said the report was nothing but a rumour from abroad.",
            ["Officials said the report was nothing but a rumour from abroad."],
        ),
        (
            "The mayor backed the plan for the pier; the council members voted against it.",
            ["The mayor backed the plan for the pier", "the council members voted against it."],
        ),
        ("Short, but not split in two.", []),
    ],
)
def test_clauses_split_where_another_subject_takes_over(sentence: str, clauses: list[str]) -> None:
    assert [sentence[a:b] for a, b in _clauses(sentence)] == clauses


STORM_ARTICLES = {
    "alder-bridge": (
        "Bridge works begin\n\n"
        "The new footbridge over the Alder river will open in May.\n\n"
        "It was designed by a firm from Trondheim and costs two million crowns."
    ),
}


@pytest.mark.unit
def test_a_paragraph_opening_sentence_is_read_with_the_previous_paragraph() -> None:
    index, _, _ = build_corpus(STORM_ARTICLES)
    rows = [row for row, p in enumerate(index.paragraphs) if p.doc_id == "alder-bridge"]
    first, second = rows[0], rows[1]
    assert previous_sentence(index, second, 0) == index.paragraphs[first].text
    assert previous_sentence(index, first, 0) == ""  # nothing before an article's start
    found, vectors = candidate_sentences(rows, index)
    assert [c.previous for c in found] == ["", index.paragraphs[first].text]
    assert all(c.title == "Bridge works begin" for c in found)
    assert len(vectors) == len(found)


BRIEFING = {
    "briefing": (
        "Ministry briefing\n\n"
        "Officials said on Tuesday that the harbour would close for repairs, spokesman Arne "
        "Lund told reporters in Bergen.\n\n"
        "The repairs are expected to cost four million crowns."
    ),
}


def _briefing_said() -> tuple[CorpusIndex, list[int], list[Turn], str]:
    index, _, _ = build_corpus(BRIEFING)
    rows = list(range(len(index.paragraphs)))
    sentence = index.paragraphs[0].text
    said = [Turn(question="What did officials say about the harbour?", answer=f"{sentence} [1]")]
    return index, rows, said, sentence


@pytest.mark.unit
@pytest.mark.parametrize(
    "follow_up",
    ["Who said that?", "When?", "Where was he when he said that?", "When did they say it?"],
)
def test_a_follow_up_about_the_same_statement_may_be_answered_by_it_again(follow_up: str) -> None:
    index, rows, said, sentence = _briefing_said()
    again, vectors = _candidates(rows, index, already_said=said, follow_up=follow_up)
    assert sentence in [c.text for c in again]
    assert len(vectors) == len(again)


@pytest.mark.unit
@pytest.mark.parametrize(
    "follow_up",
    [
        "What else did they say?",  # asks for news
        "Tell me more.",
        "And?",
        "What about the ferry?",
        "And the ferry?",
        "How much will the repairs cost?",  # "cost" is not in the sentence
        "Who paid for it?",  # a word of its own the sentence lacks
    ],
)
def test_a_follow_up_asking_for_something_else_is_not_answered_by_it_again(
    follow_up: str,
) -> None:
    index, rows, said, sentence = _briefing_said()
    again, _ = _candidates(rows, index, already_said=said, follow_up=follow_up)
    assert sentence not in [c.text for c in again]


class SpanScript:
    """A selector that marks, in every sentence, the first of `spans` whose question words
    (the key) all stand in the question it reads; records the questions."""

    def __init__(self, spans: dict[str, str]) -> None:
        self.spans = spans
        self.questions: list[str] = []

    @property
    def model_name(self) -> str:
        return "fake:span-script"

    def select(self, question: str, items: Sequence[SelectorInput]) -> list[Selection]:
        self.questions.append(question)
        out = []
        for item in items:
            marked = next(
                (s for k, s in self.spans.items() if all(w in question for w in k.split())),
                None,
            )
            at = item.sentence.find(marked) if marked else -1
            out.append(
                Selection(0.9, at, at + len(marked)) if marked and at >= 0 else Selection(0.9)
            )
        return out


def _chosen_again(follow_up: str, spans: dict[str, str]) -> tuple[str | None, SpanScript]:
    index, rows, said, sentence = _briefing_said()
    analysis = analyse_question(follow_up, said, **LIMITS)
    found, vectors = conversation_candidates(analysis, rows, index)
    scored = score_sentences(
        analysis.judged, vectors[0], found, vectors,
        doc_freq=index.doc_freq, n_docs=len(index.paragraphs),
    )  # fmt: skip
    selector = SpanScript(spans)
    chosen = select(analysis.read_as, found, scored, selector=selector, limit=5, ranks={})
    given = next(c for c in chosen if c.candidate.text == sentence)
    again = _span_for_follow_up(analysis, given, selector)
    assert again.candidate == given.candidate and again.score == given.score
    return again.short_answer, selector


@pytest.mark.unit
def test_a_span_that_answers_the_earlier_question_is_read_again_from_the_follow_up() -> None:
    # read with the conversation the span head marks what the earlier question asked for
    spans = {"officials harbour": "the harbour would close for repairs", "Who": "Arne Lund"}
    short, selector = _chosen_again("Who said that?", spans)
    assert short == "Arne Lund"
    assert selector.questions[-2:] == [
        "What did officials say about the harbour?",
        "Who said that?",
    ]


@pytest.mark.unit
def test_a_span_in_a_sentence_no_answer_gave_is_read_again_too() -> None:
    """The last answer quoted another sentence: read with the conversation, this one's span
    still marks what the earlier question asked for, so it is read from the follow-up too."""
    index, rows, _, sentence = _briefing_said()
    said = [Turn(question="What did officials say about the harbour?", answer="Other words. [1]")]
    analysis = analyse_question("Who said that?", said, **LIMITS)
    assert analysis.reads_earlier_questions
    found, vectors = conversation_candidates(analysis, rows, index)
    scored = score_sentences(
        analysis.judged, vectors[0], found, vectors,
        doc_freq=index.doc_freq, n_docs=len(index.paragraphs),
    )  # fmt: skip
    selector = SpanScript(
        {"officials harbour": "the harbour would close for repairs", "Who": "Arne Lund"}
    )
    chosen = select(analysis.read_as, found, scored, selector=selector, limit=5, ranks={})
    given = next(c for c in chosen if c.candidate.text == sentence)
    assert _span_for_follow_up(analysis, given, selector).short_answer == "Arne Lund"


@pytest.mark.unit
def test_a_span_of_its_own_stands() -> None:
    # the conversation's read marks something the earlier question alone does not: kept
    spans = {"When following": "on Tuesday", "officials harbour": "would close for repairs"}
    short, selector = _chosen_again("When?", spans)
    assert short == "on Tuesday"
    assert selector.questions[-1] == "What did officials say about the harbour?"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "news"),
    [
        ("What else did he say?", True),
        ("Tell me more.", True),
        ("And?", True),
        ("What about the embassy?", True),
        ("And the embassy?", True),
        ("Any other countries?", True),
        ("Then what?", True),
        ("What next?", True),
        ("Who said that?", False),
        ("When?", False),
        ("And who said that?", False),
        ("And he said that when?", False),
        ("And according to whom?", False),
        ("And didn't he deny it?", False),
        ("How many more troops were sent?", False),
        ("Who said other countries would follow?", False),
        ("Did she give any evidence?", False),
    ],
)
def test_a_follow_up_asking_for_news_is_told_from_one_asking_about_the_statement(
    question: str, news: bool
) -> None:
    assert wants_news(question) is news


@pytest.mark.unit
def test_a_sentence_without_the_kind_asked_for_is_not_given_again() -> None:
    index, rows, said, sentence = _briefing_said()
    # "Who" passes on any capitalised word; a number is checked for
    again, _ = _candidates(rows, index, already_said=said, follow_up="How many did they close?")
    assert sentence not in [c.text for c in again]


@pytest.mark.unit
def test_a_clause_in_place_of_a_sentence_keeps_the_kind_asked_for() -> None:
    index, _, _ = build_corpus(PIER_ARTICLES)
    row = next(i for i, p in enumerate(index.paragraphs) if PIER_SENTENCE in p.text)
    said = [Turn(question="Whom did the council summon?", answer=f"{PIER_SENTENCE} [1]")]
    # the builder's clause holds no time: the whole sentence, with "on Monday", is offered
    whole, _ = _candidates(
        [row], index, already_said=said, follow_up="When did the builder insist?"
    )
    assert [c.text for c in whole] == [PIER_SENTENCE]
    # asked for no kind, the clause that holds the new words stands in for the sentence
    clause, _ = _candidates(
        [row], index, already_said=said, follow_up="What did the builder insist?"
    )
    assert [c.text for c in clause] == [
        "… the builder insisted that the damage was caused by the winter storms."
    ]


# Two articles of several paragraphs each: the conversation's last answer quoted the second
# paragraph of "ferry".
NEAR_ARTICLES = {
    "ferry": (
        "Ferry service resumes\n\n"
        "The harbour ferry ran again on Monday after a month of repairs.\n\n"
        "Captain Ines Moreau said the new engine had been shipped from Rotterdam in May.\n\n"
        "She said the crossing now takes twelve minutes.\n\n"
        "Fares will stay the same until the spring.\n\n"
        "The old engine will be sold for scrap.\n\n"
        "A second boat is planned for next year."
    ),
    "bridge": (
        "Bridge closed\n\n"
        "The old bridge was closed on Friday for an inspection.\n\n"
        "Engineers found cracks in two of its piers.\n\n"
        "The council said repairs could take a year."
    ),
}


def _near(answer: str, question: str = "Why was that?") -> tuple[CorpusIndex, set[int]]:
    index, _, _ = build_corpus(NEAR_ARTICLES)
    said = [Turn(question="Where did the engine come from?", answer=answer)]
    analysis = analyse_question(question, said, **LIMITS)
    return index, near_last_answer(analysis, range(len(index.paragraphs)), index, 2, 8)


@pytest.mark.unit
def test_paragraphs_near_the_last_answer_are_those_of_its_article_within_reach() -> None:
    index, near = _near(
        "Captain Ines Moreau said the new engine had been shipped from Rotterdam in May. [1]"
    )
    quoted = next(
        i for i, p in enumerate(index.paragraphs) if p.text.startswith("Captain Ines Moreau")
    )
    by_row = {i: (p.doc_id, p.index) for i, p in enumerate(index.paragraphs)}
    doc, at = by_row[quoted]
    assert near == {i for i, (d, k) in by_row.items() if d == doc and abs(k - at) <= 2}
    assert len(near) == 4  # the one paragraph before it and two after; none of "bridge"
    # a trimmed quote is found by its pieces between "…" too
    _, trimmed = _near("… the new engine had been shipped from Rotterdam in May. [1]")
    assert trimmed == near


@pytest.mark.unit
@pytest.mark.parametrize("answer", ["", "Nothing of the articles says so, in these words. [1]"])
def test_nothing_is_near_an_answer_no_paragraph_quotes(answer: str) -> None:
    _, near = _near(answer)
    assert near == set()


@pytest.mark.unit
def test_the_paragraph_the_last_answer_quoted_is_found_by_its_words() -> None:
    index, _, _ = build_corpus(NEAR_ARTICLES)
    answer = "… the new engine had been shipped from Rotterdam in May. [1]"
    said = [Turn(question="Where did the engine come from?", answer=answer)]
    analysis = analyse_question("Who wrote that article?", said, **LIMITS)
    found = quoted_by_last_answer(analysis, index.paragraphs)
    assert found is not None and "shipped from Rotterdam in May" in found.text
    # words no article holds, or no answer at all, point at no paragraph
    for other in ("Nothing of the articles says so, in these words. [1]", ""):
        said = [Turn(question="Where did the engine come from?", answer=other)]
        analysis = analyse_question("Who wrote that article?", said, **LIMITS)
        assert quoted_by_last_answer(analysis, index.paragraphs) is None


@pytest.mark.unit
@pytest.mark.parametrize(
    ("follow_up", "again"),
    [
        ("Which captain said so?", True),  # "captain" is in the sentence given
        ("How much did it cost?", False),  # nothing it asks about is in that sentence
        ("What else did she say?", False),  # asks for something not yet said
        ("Who else?", False),
        ("And?", False),  # no word of its own
    ],
)
def test_a_sentence_given_before_is_read_again_when_it_holds_a_new_word(
    follow_up: str, again: bool
) -> None:
    index, _, _ = build_corpus(NEAR_ARTICLES)
    answer = "Captain Ines Moreau said the new engine had been shipped from Rotterdam in May. [1]"
    said = [Turn(question="Where did the engine come from?", answer=answer)]
    analysis = analyse_question(follow_up, said, **LIMITS)
    assert analysis.follow_up
    given, vectors = given_again(analysis, range(len(index.paragraphs)), index)
    assert [c.text for c in given] == ([answer.removesuffix(" [1]")] if again else [])
    assert len(vectors) == len(given)


def _choice(row: int, score: float) -> Choice:
    text = f"sentence of row {row}"
    candidate = Candidate(row, 0, len(text), text)
    return Choice(
        candidate, ScoredSentence(row, row, 0, len(text), text, 0, 0, 0, 0, 0), score, None
    )


@pytest.mark.unit
def test_a_sentence_near_the_last_answer_is_preferred_among_those_over_the_bar() -> None:
    far, near, under = _choice(1, 0.37), _choice(7, 0.27), _choice(8, 0.15)
    ranked = prefer_near_answer([far, near, under], {7, 8}, bar=0.2, weight=1.0)
    assert ranked == [near, far, under]
    # no sentence is lifted over the bar, so whether to answer does not change
    assert prefer_near_answer([far, under], {8}, bar=0.2, weight=1.0) == [far, under]
    assert prefer_near_answer([under], {8}, bar=0.2, weight=5.0) == [under]
    # a sentence far better than the near one stays first, and without weight nothing moves
    clear = _choice(2, 0.86)
    assert prefer_near_answer([clear, near], {7}, bar=0.2, weight=1.0) == [clear, near]
    assert prefer_near_answer([far, near], {7}, bar=0.2, weight=0.0) == [far, near]
    assert prefer_near_answer([far, near], set(), bar=0.2, weight=1.0) == [far, near]
