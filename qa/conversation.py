"""Candidates for a follow-up: what the conversation has already said is not news, unless the
follow-up asks about it.

A sentence an earlier answer already gave is offered again whole when the follow-up asks about
that same statement: it asks for no news ("else", "more", "other", "what about …", or a bare
"And?"), every word of its own that the earlier questions did not use stands in the sentence
(none, for "Who said that?", "When?", "Where was he when he said that?"), and, when it asks for
a kind of answer (a number, a time, a person), the sentence holds one. "Who said that?" after
"What did the State Department say about …?" is answered by the sentence that answered it,
whose speaker the selector now marks; "How many stalls does it have?" after "The market
reopened on Saturday with 85 stalls …" by that sentence again. Otherwise it is left out,
except the clauses of it that hold the follow-up's own words (`focus`): "And what did the
embassy say?" is answered by the "while the embassy insisted …" half of a sentence the first
answer quoted whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qa.candidates import Candidate, Corpus, candidate_sentences
from qa.evidence import AnswerType, type_match_strength
from qa.interfaces import Selector, Vectors
from qa.lexical import content_terms, term_found, words
from qa.question import QuestionAnalysis
from qa.selection import Choice, select
from qa.settings import ConversationSettings

# kinds of answer a sentence given again must hold one of ("When?" is not answered again by a
# sentence that holds no time)
_TYPED_KINDS = (
    AnswerType.NUMBER,
    AnswerType.DURATION,
    AnswerType.DATE,
    AnswerType.YEAR,
    AnswerType.TIME,
    AnswerType.PERSON,
)
# a follow-up that asks for something not yet said: "What else …?", "Tell me more", "What about
# the embassy?", and "And Boeing?" (an "and" followed by neither a question word nor a verb: the
# earlier question asked again of something else)
_WANTS_NEWS = re.compile(
    r"^\W*(?:(?:and|but|so)\s+)?(?:what|how)\s+about\b"
    r"|\b(?:else|more|other|others|another|further|besides)\b"
    r"|^\W*and\s+(?!(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should"
    r"|who|whom|whose|what|which|when|where|why|how)\b)",
    re.IGNORECASE,
)
_QUESTION_WORD = re.compile(r"\b(?:who|whom|whose|what|which|when|where|why|how)\b", re.IGNORECASE)
# Where one clause of a news sentence hands over to another with a different subject
# ("…, while the embassy insisted …", "…; the ministry said …"). "but" only after a comma:
# "nothing but a rumour" is one clause.
_CLAUSE_BREAK = re.compile(r"[,;]?\s+(?:while|whereas|although)\s+|,\s+but\s+|;\s+", re.IGNORECASE)
DEFAULTS = ConversationSettings()


def conversation_candidates(
    analysis: QuestionAnalysis,
    rows: Sequence[int],
    corpus: Corpus,
    settings: ConversationSettings = DEFAULTS,
) -> tuple[list[Candidate], Vectors]:
    """The candidate sentences of `rows`, less what earlier answers already gave."""
    found, vectors = candidate_sentences(rows, corpus)
    said = [words(turn.answer) for turn in analysis.history if turn.answer]
    if not said or not analysis.follow_up:
        return found, vectors
    kept: list[Candidate] = []
    positions: list[int] = []
    asked_before = {t for turn in analysis.history for t in content_terms(turn.question)}
    new_focus = [t for t in analysis.focus if not term_found(t, asked_before)]
    same_statement = not wants_news(analysis.asked)
    for i, cand in enumerate(found):
        if not said_before(words(cand.text), said, settings.said_before_words):
            kept.append(cand)
            positions.append(i)
            continue
        repeatable = (
            same_statement
            and holds_all(cand.text, new_focus)
            and (
                analysis.kind not in _TYPED_KINDS
                or type_match_strength(analysis.kind, cand.text, analysis.asked) == 1.0
            )
        )
        # the clauses after the sentence's opening (which the earlier answer began with) that
        # hold what the follow-up asks about now
        spans = [
            (start, end)
            for start, end in (clauses(cand.text, settings.min_clause_words) if new_focus else [])
            if start > 0
            and (holds_all if repeatable else holds_any)(cand.text[start:end], new_focus)
        ]
        if repeatable and not spans:
            kept.append(cand)
            positions.append(i)
        for start, end in spans:
            # the clause keeps the whole sentence's vector (it has none of its own) and reads
            # the whole sentence as what comes before it
            kept.append(
                Candidate(cand.row, cand.start + start, cand.start + end,
                          f"… {cand.text[start:end]}", cand.title, cand.text, cand.sentence)
            )  # fmt: skip
            positions.append(i)
    return kept, vectors[positions]


def span_as_asked(
    analysis: QuestionAnalysis,
    choice: Choice,
    selector: Selector,
    settings: ConversationSettings = DEFAULTS,
) -> Choice:
    """`choice`, with its answer span read from the follow-up as asked when an earlier answer
    already gave its sentence. Read with the earlier questions, the selector marks what they
    asked for ("Monday (local time) that Putin submitted the bill…" for "When?" after "Which
    agency reported that Putin submitted the bill?"); the conversation served to find the
    statement, and the follow-up alone says which part of it is asked for now."""
    said = [words(turn.answer) for turn in analysis.history if turn.answer]
    if (
        not analysis.follow_up
        or analysis.read_as == analysis.asked
        or not said_before(words(choice.candidate.text), said, settings.said_before_words)
    ):
        return choice
    again = select(
        analysis.asked,
        [choice.candidate],
        [replace(choice.evidence, index=0)],
        selector=selector,
        limit=1,
        ranks={},
    )
    return replace(choice, span=again[0].span)


def wants_news(question: str) -> bool:
    """The follow-up asks for what has not been said yet ("What else did he say?", "What about
    the embassy?", "And?"), not about what has."""
    return bool(_WANTS_NEWS.search(question)) or (
        not _QUESTION_WORD.search(question) and not content_terms(question)
    )


def clauses(sentence: str, min_words: int = DEFAULTS.min_clause_words) -> list[tuple[int, int]]:
    """Offsets of a sentence's clauses of at least `min_words` words, split where another one
    begins."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if len(sentence[a:b].split()) >= min_words]


def said_before(
    sentence: list[str], answers: Sequence[list[str]], head_words: int = DEFAULTS.said_before_words
) -> bool:
    """The sentence's first words stand in an earlier answer (a follow-up wants news)."""
    head = sentence[:head_words]
    return any(answer[i : i + len(head)] == head for answer in answers for i in range(len(answer)))


def holds_all(text: str, terms: Sequence[str]) -> bool:
    present = set(content_terms(text))
    return all(term_found(t, present) for t in terms)


def holds_any(text: str, terms: Sequence[str]) -> bool:
    present = set(content_terms(text))
    return any(term_found(t, present) for t in terms)
