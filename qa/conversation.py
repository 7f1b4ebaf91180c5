"""Candidates for a follow-up: what the conversation has already said is not news, unless the
follow-up asks about it.

A sentence an earlier answer already gave is offered again when the follow-up asks about that
same statement: it asks for no news ("What else…?", "Tell me more", "What about …?", "And
Boeing?", "Then what?", a bare "And?"), every word of its own that the earlier questions did
not use stands in the sentence (none, for "Who said that?", "When?", "Where was he when he said
that?"), and, when it asks for a kind of answer (a number, a time, a person), the sentence
holds one. "Who said that?" after "What did the State Department say about …?" is answered by
the sentence that answered it; "How many stalls does it have?" after "The market reopened on
Saturday with 85 stalls …" by that sentence again. Which part of it answers the follow-up is
read in qa/answering.py (`_span_for_follow_up`). When a later clause of the sentence holds all
of the follow-up's new words (and the kind asked for), that clause is offered in its place.

Otherwise the sentence is left out, except the clauses of it that hold any of the follow-up's
new words: "And what did the embassy say?" is answered by the "while the embassy insisted …"
half of a sentence the first answer quoted whole.

A conversation moves through an article: the next answer is usually close to the last one (of
our two follow-up sets' 50 answerable questions, 40 are answered within two paragraphs of the
previous answer, 30 in its very paragraph; conversational QA data shows the same, Choi et al.,
"QuAC", 2018). So among the sentences that clear the bar, one near the previous answer is
preferred (`prefer_near_answer`): its log-odds count `conversation.near_answer_weight` more when
they are ranked. It never lifts a sentence over the bar: whether to answer stays the selector's
call alone (a larger lift that did answer more follow-ups also answered three unanswerable ones
of five, docs/grounding.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from qa.candidates import Candidate, Corpus, candidate_sentences
from qa.citations import MARKER
from qa.evidence import AnswerType, type_match_strength
from qa.interfaces import Vectors
from qa.lexical import content_terms, term_found, words
from qa.models import Paragraph
from qa.question import QuestionAnalysis
from qa.selection import Choice
from qa.settings import ConversationSettings

P = TypeVar("P", bound=Paragraph)

# kinds of answer a sentence given again must hold one of ("When?" is not answered again by a
# sentence that holds no time; for "Who…?" the check is weak: any capitalised word that is not
# in the follow-up passes for a name, "Saturday" included)
_TYPED_KINDS = (
    AnswerType.NUMBER,
    AnswerType.DURATION,
    AnswerType.DATE,
    AnswerType.YEAR,
    AnswerType.TIME,
    AnswerType.PERSON,
)
_QUESTION_WORDS = r"who|whom|whose|what|which|when|where|why|how"
_VERBS = (
    r"is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|shall|may|might|must"
)
_PRONOUNS = r"he|she|it|they|we|you|i|his|her|its|their|this|that|these|those|there"
# A follow-up that asks for something not yet said: "What else …?", "Tell me more", "Any
# other …?", "What about the embassy?", "Then what?", "What next?", and "And Boeing?" (an "and"
# followed by neither a question word, a verb, a pronoun nor "according": the earlier question
# asked again of something else). "How many more troops…?" asks about the statement.
_WANTS_NEWS = re.compile(
    rf"^\W*(?:(?:and|but|so)\s+)?(?:what|how)\s+about\b"
    r"|\belse\b"
    r"|\b(?:tell|show)\s+(?:me|us)\s+more\b|\b(?:what|anything|something)\s+more\b|^\W*more\b"
    r"|\b(?:any|what|which)\s+(?:other|others|another)\b|^\W*another\b"
    r"|^\W*(?:and\s+)?(?:then\s+what|what\s+(?:then|next)|what\s+happened\s+next)\b"
    rf"|^\W*and\s+(?!(?:{_QUESTION_WORDS}|{_VERBS}|{_PRONOUNS}|according)\b)"
    rf"(?!(?:{_VERBS})n['’]?t\b)",
    re.IGNORECASE,
)
_QUESTION_WORD = re.compile(rf"\b(?:{_QUESTION_WORDS})\b", re.IGNORECASE)
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
    said = _said(analysis)
    if not analysis.follow_up or not said:
        return found, vectors
    kept: list[Candidate] = []
    positions: list[int] = []
    new_focus = _new_focus(analysis)
    same_statement = not wants_news(analysis.asked)
    typed = analysis.kind in _TYPED_KINDS

    def holds_kind(text: str) -> bool:
        return not typed or type_match_strength(analysis.kind, text, analysis.asked) == 1.0

    for i, cand in enumerate(found):
        if not said_before(words(cand.text), said, settings.said_before_words):
            kept.append(cand)
            positions.append(i)
            continue
        repeatable = same_statement and holds_all(cand.text, new_focus) and holds_kind(cand.text)
        # the clauses after the sentence's opening (which the earlier answer began with) that
        # hold what the follow-up asks about now: all of it (and the kind asked for) in place
        # of a sentence that may be given again, any of it otherwise
        spans = []
        for start, end in clauses(cand.text, settings.min_clause_words) if new_focus else []:
            clause = cand.text[start:end]
            if start == 0:
                continue
            if (
                holds_all(clause, new_focus) and holds_kind(clause)
                if repeatable
                else holds_any(clause, new_focus)
            ):
                spans.append((start, end))
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


def _new_focus(analysis: QuestionAnalysis) -> list[str]:
    """The follow-up's own words that no earlier question asked: what it asks about now."""
    asked_before = {t for turn in analysis.history for t in content_terms(turn.question)}
    return [t for t in analysis.focus if not term_found(t, asked_before)]


def given_again(
    analysis: QuestionAnalysis,
    rows: Sequence[int],
    corpus: Corpus,
    settings: ConversationSettings = DEFAULTS,
) -> tuple[list[Candidate], Vectors]:
    """Whole sentences of `rows` that an earlier answer gave and that hold one of the
    follow-up's own new words: read again when no other sentence answers the follow-up well
    enough. None for a follow-up with no new word of its own, or one that asks for something
    not yet said ("What else did she say?", `wants_news`): the sentence given is no answer to
    it. On the seed and NYT follow-up sets, 22 of the 50 answers stand in text the answer
    before had already given ("Which outlet reported that?" of "…, state media reported"), and
    `conversation_candidates` keeps such a sentence only when it holds all of the new words
    (docs/grounding.md, "Read again")."""
    found, vectors = candidate_sentences(rows, corpus)
    said = _said(analysis)
    new_focus = _new_focus(analysis)
    if not analysis.follow_up or not said or not new_focus or wants_news(analysis.asked):
        return [], vectors[:0]
    positions = [
        i
        for i, cand in enumerate(found)
        if said_before(words(cand.text), said, settings.said_before_words)
        and holds_any(cand.text, new_focus)
    ]
    return [found[i] for i in positions], vectors[positions]


def _said(analysis: QuestionAnalysis) -> list[list[str]]:
    """The words of each earlier answer (a refusal carried back counts as none)."""
    return [words(turn.answer) for turn in analysis.history if turn.answer]


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


def near_last_answer(
    analysis: QuestionAnalysis,
    rows: Iterable[int],
    corpus: Corpus,
    within: int = DEFAULTS.near_answer_paragraphs,
    head_words: int = DEFAULTS.said_before_words,
) -> set[int]:
    """Of `rows`, those within `within` paragraphs (same article) of a paragraph the last answer
    quoted. A quoted piece (the answer's text between markers and "…") is found in a paragraph
    by its first `head_words` words, as `said_before` finds a sentence in an answer. Only the
    paragraphs around `rows` are read (an article's paragraphs are consecutive rows)."""
    pieces = _last_answer_pieces(analysis, head_words)
    if within <= 0 or not pieces:
        return set()
    paragraphs = corpus.paragraphs
    quoted: dict[int, bool] = {}

    def quotes(row: int) -> bool:
        if row not in quoted:
            text = [words(paragraphs[row].text)]
            quoted[row] = any(said_before(piece, text, head_words) for piece in pieces)
        return quoted[row]

    near = set()
    for row in rows:
        doc = paragraphs[row].doc_id
        around = range(max(0, row - within), min(len(paragraphs), row + within + 1))
        if any(paragraphs[r].doc_id == doc and quotes(r) for r in around):
            near.add(row)
    return near


def _last_answer_pieces(analysis: QuestionAnalysis, head_words: int) -> list[list[str]]:
    """The words of each piece the last answer quoted: its text between markers and "…"."""
    last = analysis.history[-1].answer if analysis.history else ""
    pieces = [words(p) for p in re.split(r"…|\.\.\.", MARKER.sub("…", last))]
    return [p for p in pieces if len(p) >= min(head_words, 4)]


def quoted_by_last_answer(
    analysis: QuestionAnalysis,
    paragraphs: Iterable[P],
    head_words: int = DEFAULTS.said_before_words,
) -> P | None:
    """The first of `paragraphs` that the last answer quoted (a piece of it found by its first
    `head_words` words, as `near_last_answer` finds one), or None: "that article" is the one
    the answer came from, known rather than guessed from what it is about. Only pieces of at
    least `head_words` words count: a shorter one ("the ministry said") may stand in any
    article."""
    pieces = [p for p in _last_answer_pieces(analysis, head_words) if len(p) >= head_words]
    if not pieces:
        return None
    for paragraph in paragraphs:
        text = [words(paragraph.text)]
        if any(said_before(piece, text, head_words) for piece in pieces):
            return paragraph
    return None


def prefer_near_answer(
    choices: Sequence[Choice], near: set[int], bar: float, weight: float
) -> list[Choice]:
    """`choices` (best first) with the best of those over `bar` first, a sentence of a `near`
    paragraph counting `weight` more in log-odds; the order is otherwise kept. No sentence
    under the bar moves, so whether the question is answered does not change."""
    ranked = list(choices)
    over = [c for c in ranked if c.score >= bar]
    if not near or not over:
        return ranked

    def lifted(choice: Choice) -> float:
        p = min(max(choice.score, 1e-6), 1 - 1e-6)
        return math.log(p / (1 - p)) + (weight if choice.candidate.row in near else 0.0)

    best = max(over, key=lifted)  # the first of equals: the selector's order
    ranked.remove(best)
    return [best, *ranked]
