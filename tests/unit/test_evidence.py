"""Unit tests for qa.evidence: question kinds, answer-type checks, sentence scoring."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from qa.candidates import Candidate
from qa.evidence import (
    AnswerType,
    ScoredSentence,
    answer_type,
    holds_answer_type,
    holds_asked_kind,
    score_sentences,
    short_answer_fits,
)
from qa.lexical import content_terms
from qa.settings import EvidenceSettings
from tests.fakes import HashingEmbedder

# --- answer_type ----------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "How many sheep were rescued from the flood?",
        "How much did the new bridge cost?",
        "how old is the lighthouse keeper?",
        "What percentage of voters backed the plan?",
    ],
)
def test_quantity_questions_ask_for_a_number(question: str) -> None:
    assert answer_type(question) is AnswerType.NUMBER


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "When did the ferry resume service?",
        "The ferry resumed when?",
        "What date was the vote held?",
        "On which day did the storm arrive?",
        "In what year was the lighthouse built?",
    ],
)
def test_time_questions_ask_for_a_time(question: str) -> None:
    kind = answer_type(question)
    assert kind not in (AnswerType.NUMBER, AnswerType.PERSON, AnswerType.ANY)
    # whatever the exact time kind, a sentence with a date holds it and one without does not
    assert holds_answer_type(kind, "The vote was held on 14 March 1998.", question)
    assert not holds_answer_type(kind, "The vote was held in the town hall.", question)


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "Who rebuilt the lighthouse?",
        "Whom did the council appoint?",
        "Who is the new mayor?",
        "In the end, who paid for the bridge?",
        "The bridge was paid for by whom?",
        "Who was mayor when the bridge opened?",
    ],
)
def test_who_questions_ask_for_a_person(question: str) -> None:
    assert answer_type(question) is AnswerType.PERSON


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # a "when" clause inside the question is not what it asks for
        ("What did the keeper do when the storm came?", AnswerType.ANY),
        ("Which newspaper did he own when he bought the Times?", AnswerType.ANY),
        ("Where was the minister when she resigned?", AnswerType.ANY),
        ("When the storm came, what did the keeper do?", AnswerType.ANY),
        ("When the war ended, who signed the treaty?", AnswerType.PERSON),
        ("What did the mayor say when the bridge opened?", AnswerType.STATEMENT),
        # nor a relative "who was"
        ("Which ship carried the men who were rescued?", AnswerType.ANY),
        # a relative word before the question asked in place is not the question word
        ("The company which built the bridge was founded in what year?", AnswerType.YEAR),
        ("The man who was arrested was born in what year?", AnswerType.YEAR),
        ("The party which won gained what share of the vote?", AnswerType.NUMBER),
        ("The town was ruled by whom?", AnswerType.PERSON),
        # a "when" before its verb, with a few words between, is still asked
        ("When during the war did the soldiers who deserted return?", AnswerType.TIME),
        ("When and where did the war end?", AnswerType.TIME),
        ("When violence is used, what is it called?", AnswerType.ANY),
        # a yes/no question asks for no kind
        ("Was the bridge built when the mayor was in office?", AnswerType.ANY),
        ("Is the man who was arrested still in custody?", AnswerType.ANY),
        ("Can it hold much water? How long does it last?", AnswerType.DURATION),
        # the question word counts wherever it stands
        ("By when must the ferry be repaired?", AnswerType.TIME),
        ("When was the town where the treaty was signed founded?", AnswerType.TIME),
        ("Tell me when the ferry resumed.", AnswerType.TIME),
        ("The treaty was signed on what date?", AnswerType.DATE),
        ("How long did the strike last?", AnswerType.DURATION),
        ("How long ago was the bridge built?", AnswerType.DURATION),
        # and "how many" wherever it stands, even after a clause
        ("The area where the town sits has been farmed for how many years?", AnswerType.NUMBER),
        ("When the bridge opened, how many cars crossed it?", AnswerType.NUMBER),
    ],
)
def test_the_kind_comes_from_the_question_word_not_a_clause(
    question: str, kind: AnswerType
) -> None:
    assert answer_type(question) is kind


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "Why was the ferry cancelled?",
        "What did the council decide about the lighthouse?",
        "Where will the festival move?",
    ],
)
def test_other_questions_ask_for_anything(question: str) -> None:
    assert answer_type(question) is AnswerType.ANY


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        "What did the mayor say about the lighthouse?",
        "And what did the builder say?",
        "What has the ministry claimed?",
        "What did the coach tell reporters after the match?",
    ],
)
def test_what_did_someone_say_asks_for_a_statement(question: str) -> None:
    assert answer_type(question) is AnswerType.STATEMENT


# --- holds_answer_type ----------------------------------------------------------------------


@pytest.mark.unit
def test_a_statement_is_reported_speech_not_quotation_marks() -> None:
    q = "What did the mayor say about the pier?"
    assert holds_answer_type(AnswerType.STATEMENT, "The mayor said the pier would reopen.", q)
    assert holds_answer_type(AnswerType.STATEMENT, "She insisted the pier was safe.", q)
    # scare quotes are no statement
    assert not holds_answer_type(AnswerType.STATEMENT, "The mayor visited the “new” pier.", q)
    # nouns that look like reporting verbs are no statement either
    assert not holds_answer_type(
        AnswerType.STATEMENT, "The United States imposed new sanctions on Monday.", q
    )
    assert not holds_answer_type(AnswerType.STATEMENT, "The claims were filed in May.", q)


@pytest.mark.unit
def test_number_must_be_new_to_the_question() -> None:
    q = "How many of the 40 boats returned?"
    assert holds_answer_type(AnswerType.NUMBER, "Of the 40 boats, 31 returned.", q)
    assert not holds_answer_type(AnswerType.NUMBER, "All 40 boats were counted.", q)
    assert holds_answer_type(AnswerType.NUMBER, "Thirty boats returned, twelve sank.", q)
    assert not holds_answer_type(AnswerType.NUMBER, "Most boats returned.", q)


@pytest.mark.unit
def test_time_word_counts_as_a_time() -> None:
    q = "When did the ferry resume?"
    assert holds_answer_type(AnswerType.TIME, "The ferry resumed on Monday.", q)
    assert holds_answer_type(AnswerType.TIME, "It resumed in 2019.", q)
    assert not holds_answer_type(AnswerType.TIME, "The ferry resumed after repairs.", q)


@pytest.mark.unit
def test_person_is_a_capitalised_name_the_question_does_not_contain() -> None:
    q = "Who leads the Elmsby choir?"
    assert holds_answer_type(AnswerType.PERSON, "The choir is led by Maren Holt.", q)
    assert not holds_answer_type(AnswerType.PERSON, "The choir in Elmsby has 28 members.", q)
    assert not holds_answer_type(AnswerType.PERSON, "The choir is led by a teacher.", q)


@pytest.mark.unit
def test_any_kind_always_holds() -> None:
    assert holds_answer_type(AnswerType.ANY, "Nothing here.", "Why?")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        # a figure, or a quantity said in words, that the question lacks
        ("How many boats returned?", "Thirty boats returned.", True),
        ("How much more does the Courier sell?", "It sells twice as many copies.", True),
        (
            "How many officers died in the strike?",
            "Several officers were killed, media said.",
            False,
        ),
        ("How old is the ambassador, Ivan Petrov?", "The ministry summoned Ivan Petrov.", False),
        ("How many of the 40 boats returned?", "All 40 boats were counted.", False),
        # the day of a date is no count nor age ("How old…?" is not answered by "June 19")
        ("How old is the mayor?", "The mayor signed the pact on June 19 in Elmsby.", False),
        ("How old is the mayor?", "The mayor signed the pact on the 19th of June.", False),
        ("How old is the mayor?", "The mayor, 58, signed the pact on June 19.", True),
        ("How many boats returned?", "On Oct. 3, 2020, twelve boats returned.", True),
        # a count after a month, and "may" or "march" the verb, are no dates
        ("How many people fled?", "In May 5,000 people fled the city.", True),
        ("How many troops arrived?", "In March 2,500 troops arrived.", True),
        ("How many drowned?", "As many as 30 may have drowned.", True),
        # a date may say how long ("since February 2022"): not checked for a length of time
        ("How long has the strike lasted?", "It began on 3 March 2021 in Elmsby.", True),
        # a date, a day or a time word
        ("On what date is the vote scheduled?", "The vote is set for March 3.", True),
        ("On what date is the vote scheduled?", "A bill was submitted to parliament.", False),
        ("When did the ferry resume?", "From the earliest days of the war it ran.", True),
        (
            "In what year did Block explore the coast?",
            "The first explorer was Adriaen Block.",
            False,
        ),
        ("How long did the strike last?", "It lasted several weeks.", True),
        # said without a figure
        ("How many hostages were freed?", "A couple of hostages were freed.", True),
        ("How much did prices rise?", "Prices doubled in a year.", True),
        ("When did the road reopen?", "The road reopened overnight.", True),
        # a person or a statement is not checked: too many right answers read as lacking one
        ("Who won the election?", "Macron won 58 percent of the vote.", None),
        ("What did the leader say?", "The leader vowed to fight on.", None),
        # no particular kind asked
        ("What did the council approve?", "Nothing here.", None),
    ],
)
def test_an_answer_holds_the_kind_asked_for(question: str, text: str, holds: bool | None) -> None:
    assert holds_asked_kind(answer_type(question), text, question) is holds


# --- score_sentences ------------------------------------------------------------------------

SENTENCES = [
    (0, "The Elmsby choir won the national folk singing contest on Saturday."),
    (0, "The choir has 28 members, the youngest of them twelve years old."),
    (1, "A late frost destroyed about 3,000 tonnes of apples in the valley."),
    (1, "Growers asked the province for help to replant trees."),
]
TITLE = {0: "Village choir wins national title", 1: "Frost damages apple orchards"}


def score(
    question: str,
    sentences: list[tuple[int, str]] = SENTENCES,
    kind: AnswerType | None = None,
) -> list[ScoredSentence]:
    embedder = HashingEmbedder()
    candidates = [Candidate(row, 0, len(text), text, TITLE[row]) for row, text in sentences]
    doc_freq: Counter[str] = Counter()
    for _, text in sentences:
        doc_freq.update(set(content_terms(text)))
    return score_sentences(
        question,
        embedder.embed([question])[0],
        candidates,
        embedder.embed([c.text for c in candidates]),
        doc_freq=doc_freq,
        n_docs=len(sentences),
        kind=kind,
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "best"),
    [
        ("How many members does the choir have?", 1),
        ("How many tonnes of apples did the frost destroy?", 2),
        ("What did growers ask the province for?", 3),
        ("Which contest did the choir win?", 0),
    ],
)
def test_the_answering_sentence_ranks_first(question: str, best: int) -> None:
    scored = score(question)
    assert scored[0].text == SENTENCES[best][1]
    assert scored[0].index == best
    assert scored[0].row == SENTENCES[best][0]
    assert [s.score for s in scored] == sorted((s.score for s in scored), reverse=True)


@pytest.mark.unit
def test_type_match_is_reported_per_sentence() -> None:
    by_index = {s.index: s for s in score("How many members does the choir have?")}
    assert by_index[1].type_match == 1.0  # "28 members" counts what was asked about
    assert by_index[2].type_match == 0.5  # a number, but it counts tonnes, not members
    assert by_index[3].type_match == 0.0  # no number at all


@pytest.mark.unit
def test_the_kind_the_analysis_read_is_the_one_scored() -> None:
    """The question is analysed once: a kind handed in is used as it is, not read again from
    the question's words (without one, the words decide, as for training lists)."""
    question = "How many members does the choir have?"
    scored = score(question, kind=AnswerType.ANY)  # asks for no particular kind: all fit
    assert {s.type_match for s in scored} == {1.0}
    assert {s.index: s.type_match for s in score(question)}[3] == 0.0  # read: a number


@pytest.mark.unit
def test_sentence_that_only_repeats_the_question_is_left_out_when_set() -> None:
    sentences = [(0, "The choir sang."), (0, "The choir sang at the festival in Elmsby.")]
    embedder = HashingEmbedder()
    texts = [t for _, t in sentences]
    dropped = score_sentences(
        "Where has the choir sang?",
        embedder.embed(["Where has the choir sang?"])[0],
        [Candidate(0, 0, len(t), t) for t in texts],
        embedder.embed(texts),
        doc_freq={},
        n_docs=1,
        weights=EvidenceSettings(drop_echoes=True),
    )
    assert [s.index for s in dropped] == [1]
    # the default keeps it (no measured gain with the selector), as do training lists
    texts = [t for _, t in sentences]
    kept = score_sentences(
        "Where has the choir sang?",
        embedder.embed(["Where has the choir sang?"])[0],
        [Candidate(0, 0, len(t), t) for t in texts],
        embedder.embed(texts),
        doc_freq={},
        n_docs=1,
        keep_echoes=True,
    )
    assert sorted(s.index for s in kept) == [0, 1]


@pytest.mark.unit
def test_no_candidates_no_scores() -> None:
    embedder = HashingEmbedder()
    assert (
        score_sentences(
            "How many?",
            embedder.embed(["How many?"])[0],
            [],
            np.zeros((0, embedder.dimension), dtype=np.float32),
            doc_freq={},
            n_docs=0,
        )
        == []
    )


@pytest.mark.unit
def test_scores_are_bounded_by_the_weights() -> None:
    weights = EvidenceSettings()
    highest = weights.cosine + weights.term_coverage + weights.context_coverage + weights.type_match
    for s in score("How many tonnes of apples did the frost destroy?"):
        assert s.score <= highest + 1e-6
        assert 0.0 <= s.term_coverage <= s.context_coverage <= 1.0


@pytest.mark.unit
def test_a_follow_up_is_judged_by_its_own_words_and_the_conversation_in_context() -> None:
    embedder = HashingEmbedder()
    led = Candidate(0, 0, 40, "The team was led by Dr. Amara Okonjo.", "Astronomers detected it.")
    other = Candidate(1, 0, 40, "Astronomers detected water on the planet.", "")
    vectors = embedder.embed([led.text, other.text])
    query = embedder.embed(["Who led the team? (following: What did astronomers detect?)"])[0]
    common = {"doc_freq": {}, "n_docs": 10}
    scored = score_sentences(
        "Who led the team?",
        query,
        [led, other],
        vectors,
        conversation="Who led the team? (following: What did astronomers detect?)",
        **common,  # type: ignore[arg-type]
    )
    best = scored[0]
    assert best.text == led.text
    assert best.term_coverage == 1.0  # "led" and "team", the follow-up's own words
    assert 0 < best.context_coverage < 1.0  # the earlier question's words, found in context


@pytest.mark.unit
@pytest.mark.parametrize(
    ("kind", "short", "fits"),
    [
        (AnswerType.NUMBER, "1,500", True),
        (AnswerType.NUMBER, "three", True),
        (AnswerType.NUMBER, "twice as many copies", True),
        (AnswerType.NUMBER, "half", True),
        (AnswerType.NUMBER, "West Africans", False),
        (AnswerType.NUMBER, "thirty", True),  # past "twelve", a number word is no figure
        (AnswerType.NUMBER, "forty", True),
        (AnswerType.YEAR, "1614", True),
        (AnswerType.YEAR, "Dutch", False),
        (AnswerType.YEAR, "the 1990s", False),  # a decade is no year
        (AnswerType.YEAR, "the 1980s and in 1994", True),
        (AnswerType.DATE, "June 19", True),
        (AnswerType.DATE, "Tuesday", True),  # "what day…?" is answered with a weekday
        (AnswerType.DURATION, "several months", True),  # "how long…?"
        (AnswerType.DURATION, "decades", True),
        (AnswerType.DURATION, "18 days", True),
        (AnswerType.DURATION, "the union", False),
        (AnswerType.NUMBER, "several months", False),  # no answer to "how many officers"
        (AnswerType.NUMBER, "June 19", False),  # a date: no answer to "how old" or "how many"
        (AnswerType.NUMBER, "19 June 2024", False),
        (AnswerType.NUMBER, "the 19th of June", False),
        (AnswerType.NUMBER, "Oct. 3", False),
        (AnswerType.NUMBER, "May 5,000", True),  # a count after a month
        (AnswerType.NUMBER, "30 may", True),  # "may" the verb
        (AnswerType.NUMBER, "2017", True),  # a figure alone may be a count
        (AnswerType.DURATION, "since February 2022", True),  # a date may say how long
        (AnswerType.DATE, "the town hall", False),
        (AnswerType.TIME, "the earliest days of the war", True),
        (AnswerType.TIME, "Jon Swain, Hala Jaber", False),
        (AnswerType.PERSON, "print workers", True),
        (AnswerType.PERSON, "Kim Yo-jong", True),
        (AnswerType.PERSON, "Monday", False),
        (AnswerType.PERSON, "2017", False),
        (AnswerType.PERSON, "1990s", False),  # a figure's plural: still a bare time
        (AnswerType.PERSON, "s", True),  # a lone letter is not a time or a number
        (AnswerType.TIME, "the 1990s", True),
        # a count is no time: "When did they launch balloons?" is not "more than 1,000"
        (AnswerType.TIME, "North Korea launched more than 1,000", False),
        (AnswerType.TIME, "2.5", False),
        (AnswerType.TIME, "16", True),  # an age: "When did she start driving?"
        (AnswerType.DATE, "1,000", False),  # "What day?"
        (AnswerType.YEAR, "1,000", False),
        (AnswerType.YEAR, "1,000 and the 1990s", False),  # neither a count nor a decade
        (AnswerType.YEAR, "1,000 in 2019", True),
        # an amount written short is a count, as written out: "£2k" is "£2,000", no year
        (AnswerType.YEAR, "£2k", False),
        (AnswerType.DATE, "a £2k grant", False),
        (AnswerType.TIME, "£2k", False),
        (AnswerType.YEAR, "a £2k grant in 2019", True),
        (AnswerType.TIME, "3 a.m.", True),
        (AnswerType.TIME, "11:00", True),
        (AnswerType.TIME, "Oct. 10", True),
        (AnswerType.TIME, "23 November 1930", True),
        (AnswerType.DATE, "the 19th", True),
        (AnswerType.DATE, "10/21/2024", True),
        (AnswerType.TIME, "500 BC", True),
        (AnswerType.ANY, "anything at all", True),
    ],
)
def test_a_short_answer_fits_the_kind_asked_for(kind: AnswerType, short: str, fits: bool) -> None:
    assert short_answer_fits(kind, short) is fits


@pytest.mark.unit
def test_what_someone_said_needs_a_few_words() -> None:
    assert not short_answer_fits(AnswerType.STATEMENT, "escalation", min_statement_words=3)
    said = "a significant escalation"
    assert short_answer_fits(AnswerType.STATEMENT, said, min_statement_words=3)
