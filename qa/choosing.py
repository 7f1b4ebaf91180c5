"""Choosing the sentence: the candidates of the retrieved paragraphs, shortlisted by their
evidence score and read by the selector, best first (a follow-up's candidates leave out what
earlier answers gave, and are read again with it when nothing else answers; a conversation
prefers sentences near its last answer); a question of several parts asked part by part."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from qa.candidates import Candidate, Corpus
from qa.conversation import (
    conversation_candidates,
    given_again,
    near_last_answer,
    prefer_near_answer,
)
from qa.evidence import score_sentences
from qa.interfaces import Selector, Vectors
from qa.lexical import content_terms
from qa.question import QuestionAnalysis, part_after
from qa.retrieval import Retrieval, Retriever
from qa.selection import Choice, select
from qa.settings import Settings

# Told each stage as answering reaches it (stage name, details): lets a stream show progress,
# since no answer text is sent before its citation is checked.
ProgressCallback = Callable[[str, dict[str, object]], None]


def no_progress(stage: str, detail: dict[str, object]) -> None:
    return None


def choose(
    analysis: QuestionAnalysis,
    retrieval: Retrieval,
    corpus: Corpus,
    selector: Selector,
    settings: Settings,
    on_progress: ProgressCallback = no_progress,
) -> list[Choice]:
    """Candidates of the retrieved paragraphs, shortlisted by evidence, scored by the selector;
    best first. A follow-up none of them answers well enough is read again with the sentences
    earlier answers gave that hold one of its own new words (`given_again`)."""
    rows = [hit.row for hit in retrieval.hits]
    candidates, vectors = conversation_candidates(analysis, rows, corpus, settings.conversation)
    choices = _choose_among(
        analysis, retrieval, corpus, selector, settings, candidates, vectors, on_progress
    )
    bar = settings.answer.min_answer_score
    c = settings.conversation
    if analysis.follow_up and c.read_given_again and not any(ch.score >= bar for ch in choices):
        known = {(cand.row, cand.start, cand.end) for cand in candidates}
        given, given_vectors = given_again(analysis, rows, corpus, c)
        fresh = [i for i, cand in enumerate(given) if (cand.row, cand.start, cand.end) not in known]
        if fresh:
            more = given_vectors[fresh]
            again = _choose_among(
                analysis, retrieval, corpus, selector, settings,
                [*candidates, *(given[i] for i in fresh)],
                np.concatenate([vectors, more]) if candidates else more,
            )  # fmt: skip
            if any(ch.score >= bar for ch in again):
                choices = again
    if not analysis.history or c.near_answer_paragraphs <= 0:
        return choices
    # a conversation moves through an article: near the last answer is preferred
    near = near_last_answer(
        analysis, {ch.candidate.row for ch in choices}, corpus, c.near_answer_paragraphs,
        c.said_before_words,
    )  # fmt: skip
    return prefer_near_answer(choices, near, bar, c.near_answer_weight)


def _choose_among(
    analysis: QuestionAnalysis,
    retrieval: Retrieval,
    corpus: Corpus,
    selector: Selector,
    settings: Settings,
    candidates: list[Candidate],
    vectors: Vectors,
    on_progress: ProgressCallback = no_progress,
) -> list[Choice]:
    """`candidates` shortlisted by evidence and scored by the selector; best first."""
    scored = score_sentences(
        analysis.judged,
        retrieval.query_vector,
        candidates,
        vectors,
        doc_freq=corpus.doc_freq,
        n_docs=len(corpus.paragraphs),
        weights=settings.evidence,
        conversation=analysis.conversation,
        kind=analysis.kind,
    )
    shortlist = scored[: settings.answer.selector_candidates]
    on_progress(
        "reading",
        {
            "sentences": len(shortlist),
            "articles": len({corpus.paragraphs[s.row].doc_id for s in shortlist}),
        },
    )
    ranks = {hit.row: rank for rank, hit in enumerate(retrieval.hits)}
    readings = [(analysis.read_as, settings.answer.selector_candidates)]
    if analysis.reads_earlier_questions and settings.conversation.read_alone_too:
        # the second reading, of the best few by evidence, costs a fraction of the first
        readings.append((analysis.asked, settings.conversation.read_alone_candidates))
    return best_reading(
        [
            select(question, candidates, shortlist, selector=selector, limit=limit, ranks=ranks)
            for question, limit in readings
        ]
    )


def best_reading(readings: Sequence[Sequence[Choice]]) -> list[Choice]:
    """Each sentence with its best score (and that reading's span) over readings of the same
    shortlist, best first. A follow-up read after the earlier questions ("What did Kremlin say
    about those reports?" after "What did the minister tell lawmakers?") may score its answer
    under the bar that the same follow-up read as asked clears: the selector was trained on
    questions that stand alone. Measured on the two follow-up sets (docs/grounding.md)."""
    best: dict[int, Choice] = {}
    for choices in readings:
        for choice in choices:
            kept = best.get(choice.evidence.index)
            if kept is None or choice.score > kept.score:
                best[choice.evidence.index] = choice
    return sorted(best.values(), key=lambda c: -c.score)  # ties keep the first reading's order


def part_answers(
    analysis: QuestionAnalysis,
    best: Sequence[Choice],
    retriever: Retriever,
    corpus: Corpus,
    selector: Selector,
    settings: Settings,
) -> list[Choice]:
    """For a question of several parts: each part's best sentence that clears the bar (at most
    answer.max_answer_sentences; a sentence already chosen, or one saying nearly the same, is
    not repeated), or the whole question's `best` when no part's does. A later part is asked
    after the first part's answer: its "he" or "she" may be whom that answer names
    (`question.part_after`). The whole question's
    best is not added beside the parts': it is most often one of theirs, and otherwise a
    sentence sharing words with both parts that answers neither (docs/grounding.md)."""
    picked: list[Choice] = []
    first: Choice | None = None  # the first part's answer
    for i, part in enumerate(analysis.parts):
        if len(picked) == settings.answer.max_answer_sentences:
            break
        if first is not None:  # "Who is the NATO chief and what did he say …?"
            part = part_after(part, analysis.parts[0], first.candidate.text, first.short_answer)
        sub = analysis.part(part)
        found = choose(sub, search(sub, retriever), corpus, selector, settings)
        if not found or found[0].score < settings.answer.min_answer_score:
            continue
        top = found[0]
        if i == 0:
            first = top
        overlap = settings.answer.same_statement_overlap
        if any(same_statement(top, earlier, overlap) for earlier in picked):
            continue
        picked.append(top)
    return picked or list(best)


def same_statement(a: Choice, b: Choice, overlap: float) -> bool:
    if (a.candidate.row, a.candidate.start) == (b.candidate.row, b.candidate.start):
        return True
    x, y = set(content_terms(a.candidate.text)), set(content_terms(b.candidate.text))
    return len(x & y) / max(1, len(x | y)) >= overlap


def search(analysis: QuestionAnalysis, retriever: Retriever) -> Retrieval:
    """Every query of the analysis searched, the hits of the first kept first."""
    retrievals = [retriever.retrieve(query) for query in analysis.search_queries]
    seen: set[int] = set()
    hits = []
    for retrieval in retrievals:
        for hit in retrieval.hits:
            if hit.row not in seen:
                seen.add(hit.row)
                hits.append(hit)
    return Retrieval(query_vector=retrievals[0].query_vector, hits=hits)
