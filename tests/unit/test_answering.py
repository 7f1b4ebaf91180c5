"""Unit tests for qa.answering.answer_question over a tiny made-up corpus, with fakes only.

Scoring thresholds are tuned elsewhere, so these tests assert behaviour on clear-cut cases
(answered or abstained, where the answer comes from, what the citation points at) and pin
the thresholds they rely on in the `Settings` they pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import pytest

from index.store import CorpusIndex
from qa.answering import (
    ProgressCallback,
    _candidates,
    _clauses,
    _elaboration_first,
    _fuller_statement,
    _previous_sentence,
    _read,
    _trim,
    _words_after_question,
    _worth_reading,
    answer_question,
    no_progress,
)
from qa.errors import BadInput
from qa.evidence import ScoredSentence, score_sentences
from qa.interfaces import Vectors
from qa.models import Answer, Turn
from qa.retrieval import Retriever
from qa.settings import AnswerSettings, ServerSettings, Settings
from tests.fakes import HashingEmbedder, ScriptedGenerator, build_corpus

LIGHTHOUSE_COST = "The rebuilding will cost 4,200,000 dollars, paid from a regional heritage fund."
CHOIR_SIZE = "The choir has 28 members, the youngest of them twelve years old."
FROST = "A late frost destroyed about 3,000 tonnes of apples across the Brenna valley last week."
LONG_SENTENCE = (
    "Growers met in the town hall on Thursday evening, where the association's chair, a retired "
    "schoolteacher, read out a long list of losses, farm by farm, while outside the wind kept "
    "rising, and in the end they agreed to ask the province for emergency help to replant the "
    "damaged pear trees before the spring."
)

ARTICLES = {
    "port-alder-lighthouse": (
        "Harbour town votes to rebuild its old lighthouse\n\n"
        "The council of Port Alder approved the lighthouse plan on Tuesday after a long debate "
        "about costs.\n\n"
        f"{LIGHTHOUSE_COST} Work is expected to start next spring.\n\n"
        "Mayor Ingrid Talvik said the lighthouse had guided fishing boats since 1887."
    ),
    "brenna-frost": f"Frost damages apple orchards in the valley\n\n{FROST}\n\n{LONG_SENTENCE}",
    "elmsby-choir": (
        "Village choir wins national title\n\n"
        "The Elmsby village choir won the national folk singing contest on Saturday with a song "
        f"about shepherds.\n\n{CHOIR_SIZE}"
    ),
}

ANSWERABLE = "How many members does the choir have?"
UNRELATED = "Which football team won the cup final in the capital?"

# Thresholds these tests rely on; clear-cut cases sit far on either side of them.
SETTINGS = Settings(answer=AnswerSettings(min_answer_score=0.45, min_support=0.5))


@pytest.fixture(autouse=True)
def _no_qa_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import os

    for name in list(os.environ):
        if name.upper().startswith("QA_"):
            monkeypatch.delenv(name)
    yield


@pytest.fixture(scope="module")
def corpus() -> tuple[CorpusIndex, Retriever, HashingEmbedder]:
    return build_corpus(ARTICLES)


def ask(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
    question: str,
    generator: ScriptedGenerator | None = None,
    settings: Settings = SETTINGS,
    on_progress: ProgressCallback = no_progress,
    history: Sequence[Turn] = (),
) -> Answer:
    index, retriever, embedder = corpus
    return answer_question(
        question,
        retriever=retriever,
        corpus=index,
        embedder=embedder,
        generator=generator,
        settings=settings,
        history=history,
        on_progress=on_progress,
    )


def claim_of(answer: Answer) -> str:
    """The answer text without its marker and trimming ellipses."""
    text = re.sub(r"\s*\[\d+\]$", "", answer.answer)
    return text.strip("… ").strip()


def assert_well_cited(answer: Answer) -> None:
    assert answer.status == "answered"
    assert answer.answer.endswith(" [1]")
    assert answer.reason is None
    assert len(answer.citations) == 1
    citation = answer.citations[0]
    assert citation.marker == 1
    assert citation.verified is True
    assert 0 <= citation.span_start < citation.span_end <= len(citation.text)
    span = citation.text[citation.span_start : citation.span_end]
    assert span.strip()
    # a trimmed claim may skip from its opening clause to a later one ("X … said Y")
    for part in claim_of(answer).split(" … "):
        assert part in citation.text
        assert part in span
    assert 0.5 <= citation.support_score <= 1.0
    assert citation.paragraph_id in {p.paragraph_id for p in answer.retrieved}


# --- answered -------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("question", "sentence", "doc_id"),
    [
        (ANSWERABLE, CHOIR_SIZE, "elmsby-choir"),
        ("How much will rebuilding the lighthouse cost?", LIGHTHOUSE_COST, "port-alder-lighthouse"),
        ("How many tonnes of apples did the frost destroy?", FROST, "brenna-frost"),
    ],
)
def test_answerable_question_is_answered_from_the_right_sentence(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
    question: str,
    sentence: str,
    doc_id: str,
) -> None:
    answer = ask(corpus, question)
    assert_well_cited(answer)
    assert answer.answer == f"{sentence} [1]"
    citation = answer.citations[0]
    assert citation.doc_id == doc_id
    assert sentence in citation.text
    assert citation.text[citation.span_start : citation.span_end] == sentence
    assert answer.question == question
    assert answer.evidence_score is not None and answer.evidence_score >= 0.45
    assert answer.short_answer is None  # no reader


@pytest.mark.unit
def test_citation_is_the_indexed_paragraph(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    answer = ask(corpus, ANSWERABLE)
    citation = answer.citations[0]
    index = corpus[0]
    paragraph = next(p for p in index.paragraphs if p.paragraph_id == citation.paragraph_id)
    assert citation.text == paragraph.text
    article = index.articles[citation.doc_id]
    assert article.text[citation.start : citation.end] == citation.text
    assert citation.title == "Village choir wins national title"


@pytest.mark.unit
def test_answered_with_default_settings(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    assert ask(corpus, ANSWERABLE, settings=Settings()).status == "answered"
    assert ask(corpus, UNRELATED, settings=Settings()).status == "insufficient_evidence"


@pytest.mark.unit
def test_question_white_space_is_collapsed(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    answer = ask(corpus, "  How many   members\n does the choir\thave?  ")
    assert answer.question == ANSWERABLE
    assert answer.status == "answered"


@pytest.mark.unit
def test_timings_are_reported(corpus: tuple[CorpusIndex, Retriever, HashingEmbedder]) -> None:
    answer = ask(corpus, ANSWERABLE)
    assert {"retrieve_ms", "score_ms", "verify_ms"} <= set(answer.timings_ms)
    assert all(v >= 0 for v in answer.timings_ms.values())


@pytest.mark.unit
def test_long_sentence_is_trimmed_to_the_answering_clauses(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    settings = Settings(
        answer=AnswerSettings(min_answer_score=0.3, min_support=0.5, max_answer_words=25)
    )
    answer = ask(corpus, "What did the growers ask the province for?", settings=settings)
    assert_well_cited(answer)
    claim = claim_of(answer)
    assert len(claim.split()) <= 25
    assert "emergency help to replant" in claim
    assert claim in LONG_SENTENCE
    assert "…" in answer.answer
    citation = answer.citations[0]
    assert citation.text[citation.span_start : citation.span_end] == LONG_SENTENCE


# --- abstained ------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "question",
    [
        UNRELATED,
        "What is the population of Mongolia?",
        "Who invented the telephone?",
    ],
)
def test_unrelated_question_abstains(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder], question: str
) -> None:
    answer = ask(corpus, question)
    assert answer.status == "insufficient_evidence"
    assert answer.citations == []
    assert answer.reason
    assert answer.short_answer is None
    assert answer.retrieved  # the closest paragraphs are still shown
    assert "[" not in answer.answer


@pytest.mark.unit
def test_progress_is_reported_stage_by_stage(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    stages: list[tuple[str, dict[str, object]]] = []

    def note(stage: str, detail: dict[str, object]) -> None:
        stages.append((stage, detail))

    answer = ask(corpus, ANSWERABLE, generator=ScriptedGenerator("28 members"), on_progress=note)
    assert answer.status == "answered"
    assert [stage for stage, _ in stages] == ["searching", "reading", "checking"]
    assert stages[0][1] == {"query": ANSWERABLE}
    reading = stages[1][1]
    assert isinstance(reading["sentences"], int) and reading["sentences"] >= 1
    assert isinstance(reading["articles"], int) and 1 <= reading["articles"] <= reading["sentences"]
    assert stages[2][1] == {"paragraph_id": answer.citations[0].paragraph_id}


@pytest.mark.unit
def test_without_a_language_model_there_is_no_reading_stage(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    stages: list[str] = []

    def note(stage: str, detail: dict[str, object]) -> None:
        stages.append(stage)

    assert ask(corpus, ANSWERABLE, on_progress=note).status == "answered"
    assert stages == ["searching", "checking"]


@pytest.mark.unit
def test_an_abstention_reports_only_the_search(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    stages: list[str] = []

    def note(stage: str, detail: dict[str, object]) -> None:
        stages.append(stage)

    answer = ask(corpus, UNRELATED, on_progress=note)
    assert answer.status == "insufficient_evidence"
    assert stages == ["searching"]


@pytest.mark.unit
def test_abstains_when_no_sentence_clears_the_evidence_bar(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    strict = Settings(answer=AnswerSettings(min_answer_score=1.0))
    answer = ask(corpus, ANSWERABLE, settings=strict)
    assert answer.status == "insufficient_evidence"
    assert answer.reason
    assert answer.citations == []


@pytest.mark.unit
def test_abstains_when_the_citation_cannot_be_verified(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    strict = Settings(answer=AnswerSettings(min_answer_score=0.0, min_support=1.0))
    answer = ask(corpus, "What did the growers ask the province for?", settings=strict)
    # a trimmed claim never matches its paragraph perfectly, so support stays below 1.0
    assert answer.status == "insufficient_evidence"
    assert answer.citations == []
    assert answer.reason
    # the claim that failed its check is reported, so the page can show it as removed
    assert len(answer.removed_claims) == 1 and answer.removed_claims[0]


@pytest.mark.unit
def test_empty_corpus_abstains_with_nothing_retrieved() -> None:
    answer = ask(build_corpus({}), ANSWERABLE)
    assert answer.status == "insufficient_evidence"
    assert answer.retrieved == []
    assert answer.citations == []
    assert answer.reason


# --- the reader (language model) ------------------------------------------------------------


@pytest.mark.unit
def test_reader_proposal_not_in_any_candidate_is_ignored(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    generator = ScriptedGenerator("The choir has 500 members led by Captain Nemo")
    answer = ask(corpus, ANSWERABLE, generator)
    assert len(generator.prompts) == 1
    assert ANSWERABLE in generator.prompts[0]
    assert_well_cited(answer)
    assert answer.answer == f"{CHOIR_SIZE} [1]"
    assert answer.short_answer is None
    assert "Nemo" not in answer.answer and "500" not in answer.answer


@pytest.mark.unit
def test_reader_proposal_found_in_a_candidate_becomes_the_short_answer(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    generator = ScriptedGenerator(' 28 members."\n')
    answer = ask(corpus, ANSWERABLE, generator)
    assert_well_cited(answer)
    assert answer.short_answer == "28 members"
    assert answer.answer == f"{CHOIR_SIZE} [1]"
    # the prompt shows the candidate sentences, the answering one among them
    assert CHOIR_SIZE in generator.prompts[0]
    assert generator.calls[0][0] == "complete"


@pytest.mark.unit
def test_reader_proposal_picks_the_clause_of_a_long_sentence(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    settings = Settings(
        answer=AnswerSettings(min_answer_score=0.3, min_support=0.5, max_answer_words=12)
    )
    generator = ScriptedGenerator("a retired schoolteacher")
    answer = ask(corpus, "What did the growers ask the province for?", generator, settings)
    assert_well_cited(answer)
    assert answer.short_answer == "a retired schoolteacher"
    assert "a retired schoolteacher" in answer.answer


@pytest.mark.unit
def test_empty_reader_output_falls_back_to_the_best_sentence(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    answer = ask(corpus, ANSWERABLE, ScriptedGenerator("  \n"))
    assert answer.answer == f"{CHOIR_SIZE} [1]"
    assert answer.short_answer is None


@pytest.mark.unit
def test_chat_reader_gets_messages(corpus: tuple[CorpusIndex, Retriever, HashingEmbedder]) -> None:
    generator = ScriptedGenerator("28", prompt_format="chat")
    answer = ask(corpus, ANSWERABLE, generator)
    assert generator.prompts == []
    assert len(generator.messages) == 1
    last = generator.messages[0][-1]
    assert last["role"] == "user"
    assert ANSWERABLE in last["content"] and CHOIR_SIZE in last["content"]
    assert answer.short_answer == "28"
    assert answer.answer == f"{CHOIR_SIZE} [1]"


@pytest.mark.unit
def test_reader_is_not_asked_when_the_service_abstains(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    generator = ScriptedGenerator("Arsenal")
    answer = ask(corpus, UNRELATED, generator)
    assert answer.status == "insufficient_evidence"
    assert generator.prompts == [] and generator.messages == []


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize("question", ["", "   ", "\n\t \n"])
def test_empty_question_is_bad_input(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder], question: str
) -> None:
    with pytest.raises(BadInput, match="empty"):
        ask(corpus, question)


@pytest.mark.unit
def test_over_long_question_is_bad_input(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    settings = Settings(server=ServerSettings(max_question_chars=40))
    at_limit = "How many members? " + "x" * 22
    assert len(at_limit) == 40
    ask(corpus, at_limit, settings=settings)  # no error
    with pytest.raises(BadInput, match="41 characters"):
        ask(corpus, at_limit + "y", settings=settings)
    with pytest.raises(BadInput, match="limit is 500"):
        ask(corpus, "How many members does the choir have? " * 20)


# --- the fakes behave like the protocols say --------------------------------------------------


@pytest.mark.unit
def test_scripted_generator_replays_its_queue_in_order() -> None:
    generator = ScriptedGenerator("first", default="fallback").enqueue("second answer here")
    assert generator.complete("p1", max_tokens=8, stop=["\n"]) == "first"
    pieces = list(generator.stream("p2", max_tokens=8, stop=["\n"]))
    assert len(pieces) > 1 and "".join(pieces) == "second answer here"
    assert generator.chat([{"role": "user", "content": "p3"}], max_tokens=8, stop=[]) == "fallback"
    assert generator.prompts == ["p1", "p2"]
    assert generator.messages == [[{"role": "user", "content": "p3"}]]
    assert [c[0] for c in generator.calls] == ["complete", "stream", "chat"]
    assert generator.prompt_format == "completion"


@pytest.mark.unit
def test_hashing_embedder_vectors_are_unit_length_float32() -> None:
    import numpy as np

    embedder = HashingEmbedder()
    vectors = embedder.embed(["Frost destroyed apples.", "", "the of and"])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dimension)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0)
    assert not vectors[1].any() and not vectors[2].any()
    assert embedder.embed([]).shape == (0, embedder.dimension)


@pytest.mark.unit
def test_follow_up_is_rewritten_with_the_previous_turn_and_answered(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    first = "When did the council of Port Alder approve the lighthouse plan?"
    answer = ask(
        corpus,
        "And who said it had guided fishing boats?",
        history=[Turn(question=first, answer="On Tuesday [1]")],
    )
    assert answer.question == "And who said it had guided fishing boats?"
    assert answer.rewritten_question is not None and first.rstrip("?") in answer.rewritten_question
    assert answer.status == "answered"
    assert "Talvik" in answer.answer
    assert answer.citations[0].doc_id == "port-alder-lighthouse"


@pytest.mark.unit
def test_too_many_history_turns_is_bad_input(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder],
) -> None:
    settings = Settings(server=ServerSettings(max_history_turns=2))
    turns = [Turn(question=f"Question {i}?", answer="…") for i in range(3)]
    with pytest.raises(BadInput, match="history"):
        ask(corpus, "What happened?", settings=settings, history=turns)


# An article whose opening paragraph summarises what a body paragraph reports in full.
STORM_ARTICLES = {
    "alder-storm": (
        "Storm hits the harbour\n\n"
        "Forty boats were damaged in Port Alder harbour, officials said.\n\n"
        "The storm arrived from the west shortly after midnight.\n\n"
        "Harbour master Ole Berg said on Monday that forty boats were damaged when the storm "
        "broke their moorings."
    ),
    "alder-bridge": (
        "Bridge works begin\n\n"
        "The new footbridge over the Alder river will open in May.\n\n"
        "It was designed by a firm from Trondheim and costs two million crowns."
    ),
}
STORM_QUESTION = "How many boats were damaged in the storm?"


def _opening_sentence(index: CorpusIndex, question: str, query: Vectors) -> ScoredSentence:

    opening_row = next(
        row for row, p in enumerate(index.paragraphs) if p.doc_id == "alder-storm" and p.index == 0
    )
    candidates, vectors = _candidates([opening_row], index)
    return score_sentences(
        question, query, candidates, vectors, doc_freq=index.doc_freq,
        n_docs=len(index.paragraphs),
    )[0]  # fmt: skip


@pytest.mark.unit
def test_an_opening_summary_gives_way_to_the_body_sentence_that_reports_it() -> None:
    index, _, embedder = build_corpus(STORM_ARTICLES)
    query = embedder.embed([STORM_QUESTION])[0]
    opening = _opening_sentence(index, STORM_QUESTION, query)
    fuller = _fuller_statement(opening, "forty boats", STORM_QUESTION, query, index, 0.0)
    assert fuller is not None
    assert fuller.text.startswith("Harbour master Ole Berg said on Monday")
    assert index.paragraphs[fuller.row].index == 2


@pytest.mark.unit
def test_the_opening_stays_when_no_later_paragraph_holds_the_answer_words() -> None:
    index, _, embedder = build_corpus(STORM_ARTICLES)
    query = embedder.embed([STORM_QUESTION])[0]
    opening = _opening_sentence(index, STORM_QUESTION, query)
    not_in_body = "Port Alder harbour"
    assert _fuller_statement(opening, not_in_body, STORM_QUESTION, query, index, 0.0) is None
    # …and a body sentence that holds them but is a poor answer on its own does not replace it
    assert _fuller_statement(opening, "forty boats", STORM_QUESTION, query, index, 0.99) is None


@pytest.mark.unit
def test_a_paragraph_opening_sentence_is_read_with_the_previous_paragraph() -> None:
    index, _, _ = build_corpus(STORM_ARTICLES)
    rows = [row for row, p in enumerate(index.paragraphs) if p.doc_id == "alder-bridge"]
    first, second = rows[0], rows[1]
    assert _previous_sentence(index, second, 0) == index.paragraphs[first].text
    assert _previous_sentence(index, first, 0) == ""  # nothing before an article's start


@pytest.mark.unit
@pytest.mark.parametrize("question", ["🚀🔥💥", "???", "What is it?"])
def test_a_question_without_words_to_look_for_abstains(
    corpus: tuple[CorpusIndex, Retriever, HashingEmbedder], question: str
) -> None:
    answer = ask(corpus, question, settings=Settings(answer=AnswerSettings(min_answer_score=0.0)))
    assert answer.status == "insufficient_evidence"
    assert answer.citations == []
    assert "no words to look for" in (answer.reason or "")


# --- follow-ups about part of an earlier answer ------------------------------------------------

PIER_ARTICLES = {
    "pier-dispute": (
        "Council and builder argue over the broken pier\n\n"
        "The Port Alder council summoned the harbour builder on Monday to demand repairs to the "
        "pier, while the builder insisted that the damage was caused by the winter storms.\n\n"
        "Fishermen have moored their boats in the next bay since the pier cracked in January."
    ),
    "ferry-timetable": (
        "Ferry timetable changes for the summer\n\n"
        "The island ferry will sail four times a day from June, the operator said on Friday."
    ),
}
PIER_SENTENCE = (
    "The Port Alder council summoned the harbour builder on Monday to demand repairs to the "
    "pier, while the builder insisted that the damage was caused by the winter storms."
)


@pytest.mark.unit
def test_follow_up_is_answered_from_the_clause_of_an_earlier_answer_it_asks_about() -> None:
    first = "Whom did the council summon on Monday?"
    history = [Turn(question=first, answer=f"{PIER_SENTENCE} [1]")]
    answer = ask(
        build_corpus(PIER_ARTICLES), "And what did the builder say about it?", history=history
    )
    assert answer.rewritten_question is not None
    assert answer.status == "answered", answer.reason
    assert answer.answer == (
        "… the builder insisted that the damage was caused by the winter storms. [1]"
    )
    citation = answer.citations[0]
    assert citation.doc_id == "pier-dispute" and citation.verified
    assert PIER_SENTENCE in citation.text


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
    again, _ = _candidates(
        rows, index, already_said=said, focus=["stall"], follow_up="How many stalls are there?"
    )
    assert index.paragraphs[0].text in [c.text for c in again]
    # a question asking for something else (or for nothing in particular) does not repeat it
    for follow_up in (
        "In what year were the stalls built?",
        "What about the stalls?",
        "Who opened the stalls?",  # any capitalised word passes for a name ("Saturday")
    ):
        again, _ = _candidates(rows, index, already_said=said, focus=["stall"], follow_up=follow_up)
        assert index.paragraphs[0].text not in [c.text for c in again]


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


@pytest.mark.unit
def test_reported_speech_wins_only_where_it_is_about_what_was_asked() -> None:
    sentence = "The embassy rejected the report as baseless, a ministry spokesman said on Monday."
    assert _trim(sentence, "And what did the embassy say?", None, max_words=8) == (
        "The embassy rejected the report as baseless …"
    )
    assert _trim(sentence, "What did the spokesman say?", None, max_words=8) == (
        "… a ministry spokesman said on Monday."
    )


@pytest.mark.unit
def test_an_opening_clause_ending_in_a_semicolon_is_joined_cleanly() -> None:
    sentence = (
        "The embassy was blunt; in a long statement issued late on Monday after the meeting "
        "with the council and the builders of the new harbour wall, it said the claims were "
        "false."
    )
    trimmed = _trim(sentence, "What did the embassy say?", None, max_words=12)
    assert trimmed == "The embassy was blunt … it said the claims were false."


@pytest.mark.unit
def test_a_statement_is_trimmed_to_who_said_it_and_what() -> None:
    sentence = (
        "The builder's lawyer, in comments issued after the council summoned the harbour "
        "builder on Monday to demand repairs to the pier and the jetty before the busy summer "
        "season, said "
        "the damage was caused by the storms and not by the work."
    )
    assert len(sentence.split()) > 40
    trimmed = _trim(sentence, "And what did the lawyer say?", None, max_words=40)
    assert trimmed == (
        "The builder's lawyer … said the damage was caused by the storms and not by the work."
    )


def _scored(text: str, score: float) -> ScoredSentence:
    return ScoredSentence(
        index=0, row=0, start=0, end=len(text), text=text, score=score, cosine=score,
        term_coverage=score, context_coverage=score, type_match=1.0,
    )  # fmt: skip


@pytest.mark.unit
def test_the_reader_is_shown_only_sentences_it_may_move_the_answer_to() -> None:
    best = _scored("The builder insisted the storms broke the pier.", 0.70)
    close = _scored("The council summoned the harbour builder's lawyer.", 0.60)
    weak = _scored("The harbour builder paid for the repairs himself.", 0.50)  # < 80 % of best
    assert _worth_reading([best, close, weak], [], 400) == [best, close]
    # a follow-up about the storms: the best holds that word, so a pick must hold it too
    assert _worth_reading([best, close, weak], ["storm"], 400) == [best]
    # a focus the best does not hold restricts nothing
    assert _worth_reading([best, close, weak], ["ferry"], 400) == [best, close]
    # the token budget still bounds what is shown (always at least the best)
    assert _worth_reading([best, close], [], 1) == [best]

    generator = ScriptedGenerator(default="the harbour builder's lawyer")
    reading = _read("Whom did the council summon?", [best, close], generator, SETTINGS)
    assert reading.chosen is close and reading.proposal == "the harbour builder's lawyer"
    assert weak.text not in generator.prompts[0]


# --- a sentence that says something about the subject beats one that only names it ----------

NAMES_IT = _scored(
    "The city signed a contract with the builder in May that includes a penalty clause.", 0.74
)
SAYS_WHAT_IT_IS = _scored(
    "The clause in the contract makes the builder pay for every week of delay.", 0.60
)


@pytest.mark.unit
def test_words_after_the_question_are_counted_after_its_last_word() -> None:
    question = "What does the penalty clause in the contract require?"
    assert _words_after_question(NAMES_IT.text, question) == 0
    assert _words_after_question(SAYS_WHAT_IT_IS.text, question) >= 2
    assert _words_after_question("Nothing in common here.", question) == -1
    # a trailing attribution says nothing about the subject
    attributed = "The city signed a penalty clause, a council spokesman told reporters on Friday."
    assert _words_after_question(attributed, question) == 0


@pytest.mark.unit
def test_a_sentence_saying_what_the_subject_is_goes_before_one_that_only_names_it() -> None:
    question = "What does the penalty clause in the contract require?"
    assert _elaboration_first([NAMES_IT, SAYS_WHAT_IT_IS], question, min_score=0.5) == [
        SAYS_WHAT_IT_IS,
        NAMES_IT,
    ]
    # not when the best already says something after the question's words
    assert _elaboration_first([SAYS_WHAT_IT_IS, NAMES_IT], question, min_score=0.5) == [
        SAYS_WHAT_IT_IS,
        NAMES_IT,
    ]
    # not for a question asking for a number, date, name or statement: those often come first
    counted = "How many clauses does the contract with the builder include?"
    assert _elaboration_first([NAMES_IT, SAYS_WHAT_IT_IS], counted, min_score=0.5) == [
        NAMES_IT,
        SAYS_WHAT_IT_IS,
    ]
    # nor for a why-question: its answer often comes before the question's words
    why = "Why was the penalty clause put in the contract?"
    assert _elaboration_first([NAMES_IT, SAYS_WHAT_IT_IS], why, min_score=0.5)[0] is NAMES_IT
    # nor to a sentence below the abstention bar: no model vouches for the move
    assert _elaboration_first([NAMES_IT, SAYS_WHAT_IT_IS], question, min_score=0.65)[0] is NAMES_IT
    # nothing to reorder
    assert _elaboration_first([NAMES_IT], question, min_score=0.5) == [NAMES_IT]
    # nor when the best ends with just one of the question's words, not a phrase naming it
    incidental = _scored("The council later asked the builder for a cheaper contract.", 0.74)
    names_builder = _scored("The builder said the contract would cost the council more.", 0.70)
    who_pays = "What does the contract make the builder pay?"
    assert _elaboration_first([incidental, names_builder], who_pays, min_score=0.5)[0] is (
        incidental
    )


@pytest.mark.unit
def test_without_a_reader_the_elaborating_sentence_is_the_answer() -> None:
    articles = {
        "harbour-contract": (
            "City signs harbour contract\n\n"
            f"{NAMES_IT.text}\n\n"
            f"{SAYS_WHAT_IT_IS.text} The builder said the schedule was realistic."
        ),
        "ferry": "Ferry timetable\n\nThe island ferry will sail four times a day from June.",
    }
    answer = ask(
        build_corpus(articles),
        "What does the penalty clause in the contract require?",
        settings=Settings(answer=AnswerSettings(min_answer_score=0.3, min_support=0.5)),
    )
    assert answer.status == "answered", answer.reason
    assert answer.answer == f"{SAYS_WHAT_IT_IS.text} [1]"


@pytest.mark.unit
def test_a_short_follow_up_is_not_answered_from_an_article_about_something_else() -> None:
    articles = {
        "market": (
            "Market reopens\n\n"
            "The town market reopened on Saturday with 85 stalls after a long renovation."
        ),
        "court": (
            "Court fines shipping firm\n\n"
            "The shipping firm was fined 2 million dollars, Judge Ruth Alder said."
        ),
    }
    corpus = build_corpus(articles)
    first_answer = corpus[0].paragraphs[0].text + " [1]"
    history = [Turn(question="When did the town market reopen?", answer=first_answer)]
    answer = ask(corpus, "Who was fined there?", history=history)
    assert answer.rewritten_question is not None
    assert answer.status == "insufficient_evidence", answer.answer
