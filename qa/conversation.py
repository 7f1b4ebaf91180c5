"""Candidates for a follow-up: what the conversation has already said is not news.

A sentence an earlier answer already gave is left out, except:
- the clauses of it that hold the follow-up's own words (`focus`): "And what did the embassy
  say?" is answered by the "while the embassy insisted …" half of a sentence the first answer
  quoted whole;
- the whole sentence, when it holds all of those words and the number or time the follow-up
  asks for: "How many stalls does it have?" after "The market reopened on Saturday with 85
  stalls …" is answered by it again. (Not a name: any capitalised word passes for one,
  "Saturday" included.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.candidates import Candidate, Corpus, candidate_sentences
from qa.evidence import AnswerType, type_match_strength
from qa.interfaces import Vectors
from qa.lexical import content_terms, term_found, words
from qa.question import QuestionAnalysis
from qa.settings import ConversationSettings

_REPEATABLE_KINDS = (
    AnswerType.NUMBER,
    AnswerType.DURATION,
    AnswerType.DATE,
    AnswerType.YEAR,
    AnswerType.TIME,
)
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
    for i, cand in enumerate(found):
        if not said_before(words(cand.text), said, settings.said_before_words) or (
            analysis.kind in _REPEATABLE_KINDS
            and holds_all(cand.text, analysis.focus)
            and type_match_strength(analysis.kind, cand.text, analysis.asked) == 1.0
        ):
            kept.append(cand)
            positions.append(i)
            continue
        clause_spans = clauses(cand.text, settings.min_clause_words) if analysis.focus else []
        for start, end in clause_spans:
            if start == 0:
                continue  # the sentence's own opening: the earlier answer began with it
            clause = cand.text[start:end]
            if holds_any(clause, analysis.focus):
                # the clause keeps the whole sentence's vector (it has none of its own) and
                # reads the whole sentence as what comes before it
                kept.append(
                    Candidate(cand.row, cand.start + start, cand.start + end, f"… {clause}",
                              cand.title, cand.text, cand.sentence)
                )  # fmt: skip
                positions.append(i)
    return kept, vectors[positions]


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
    return bool(terms) and all(term_found(t, present) for t in terms)


def holds_any(text: str, terms: Sequence[str]) -> bool:
    present = set(content_terms(text))
    return any(term_found(t, present) for t in terms)
