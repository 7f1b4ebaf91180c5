"""The answer from the sentences chosen, and the answer objects every stage returns.

The chosen sentences (one; up to one per part of a question of several) are trimmed to whole
clauses around the answer span, given the clause of the sentence before that names whom a
"he" quote is about (`qa/antecedents.py`), and cited to their paragraphs; every claim is then
checked against the paragraph its marker names (`qa/citations.py`) before the answer is
returned (`checked_answer`, which generate mode uses for the model's words too). `abstain` is
the refusal every stage gives.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import cast

from qa.antecedents import (
    named_speaker,
    names_someone,
    naming_clause,
    opens_with_reference,
    short_answer_names,
    speaker_is_reference,
)
from qa.candidates import Candidate, Corpus, candidate_before
from qa.choosing import ProgressCallback
from qa.citations import MARKER, CheckedAnswer, check_answer, without_note_numbers
from qa.evidence import AnswerType, holds_asked_kind, short_answer_fits
from qa.interfaces import Embedder
from qa.models import DECLINED, Answer, AskedKind, Citation, Paragraph, RetrievedParagraph
from qa.question import QuestionAnalysis
from qa.selection import Choice
from qa.settings import Settings
from qa.trimming import clause_spans, cut_words, inside_quotation, trim, whole_figures


def quoted_answer(
    analysis: QuestionAnalysis,
    picked: Sequence[Choice],
    corpus: Corpus,
    embedder: Embedder,
    settings: Settings,
    retrieved: list[RetrievedParagraph],
    timings: dict[str, float],
    on_progress: ProgressCallback,
) -> Answer:
    """The chosen sentences (one; up to one per part of the question), each trimmed and cited
    to its paragraph, each claim checked on its own."""
    a = settings.answer
    cited: dict[int, Paragraph] = {}
    marker_of: dict[int, int] = {}
    claims: list[str] = []

    def quote(candidate: Candidate, text: str) -> None:
        row = candidate.row
        if row not in marker_of:
            marker_of[row] = len(marker_of) + 1
            cited[marker_of[row]] = corpus.paragraphs[row]
        # a note mark of the article ("[12]") would be read as a marker of the answer's own
        claims.append(f"{without_note_numbers(text)} [{marker_of[row]}]")

    speaker: str | None = None  # the name a "Who…?" is answered with, from the sentence before
    own_span = True  # whether the selector's span may be the short answer
    for n, choice in enumerate(picked):
        claim = trim(choice.candidate.text, choice.span, max_words=a.max_answer_words)
        before = _antecedent(analysis, choice, claim, corpus, settings)
        if before is not None:
            candidate, text, name = before
            quote(candidate, text)
            # the answer stays within max_answer_words, the carried words included
            room = max(a.max_answer_words - len(text.split()), a.max_answer_words // 2)
            claim = trim(choice.candidate.text, choice.span, max_words=room)
            if n == 0 and analysis.kind is AnswerType.PERSON:
                speaker = name
        if n == 0 and analysis.kind is AnswerType.PERSON and speaker_is_reference(claim):
            own_span = False  # the span is inside a quote given to "he": not the one asked for
        quote(choice.candidate, claim)
    return checked_answer(
        " ".join(claims), cited, analysis, picked[0], embedder, settings, retrieved, timings,
        on_progress,
        unsupported="the best sentence found was not supported by its own paragraph, so it was "
        "removed",
        short_answer=speaker,
        own_span=own_span,
    )  # fmt: skip


def _antecedent(
    analysis: QuestionAnalysis, choice: Choice, claim: str, corpus: Corpus, settings: Settings
) -> tuple[Candidate, str, str | None] | None:
    """The sentence before a quote that opens with "he", "the official"…, cut to the clauses
    around its first clause that opens with a name, when neither the short answer nor the
    question names whom the quote is about.

    A quote whose words are given to a pronoun ("“…,” he told reporters") carries the name of
    the speaker the sentence before gives words to ("said Evan Medeiros"), or else its first
    clause that opens with a name; asked "Who…?", it does so whatever the short answer (taken
    from inside the quote, it names someone the quote mentions, not the speaker asked for).
    Returns the sentence before, the text it carries and the speaker's name when one was found.
    """
    a = settings.answer
    if not a.carry_antecedent:
        return None
    unnamed_speaker = speaker_is_reference(claim)
    if not (opens_with_reference(claim) or unnamed_speaker):
        return None
    asks_who = analysis.kind is AnswerType.PERSON
    if short_answer_names(choice.short_answer) and not (unnamed_speaker and asks_who):
        return None
    if not asks_who and names_someone(analysis.asked):
        return None  # the question names whom it is about; a "Who…?" needs the name given
    before = candidate_before(corpus, choice.candidate)
    if before is None:
        return None
    speaker = named_speaker(before.text) if unnamed_speaker else None
    if speaker is not None:  # from the start of the name's clause, cut if need be
        start = next(x for x, y in clause_spans(before.text) if y > speaker[0])
        text = cut_words(before.text, start, len(before.text), speaker[0], a.max_antecedent_words)
        name = before.text[speaker[0] : speaker[1]]
        return (before, text, name) if name in text else (before, text, None)
    naming = naming_clause(before.text)
    if naming is None:
        return None
    if len(before.text[naming[0] : naming[1]].split()) > a.max_antecedent_words:
        return None  # the clause with the name is too long to quote without cutting it
    text = trim(before.text, naming, max_words=a.max_antecedent_words)
    return (before, text, None) if names_someone(f" {text}") else None


def checked_answer(
    text: str,
    cited: Mapping[int, Paragraph],
    analysis: QuestionAnalysis,
    choice: Choice,
    embedder: Embedder,
    settings: Settings,
    retrieved: list[RetrievedParagraph],
    timings: dict[str, float],
    on_progress: ProgressCallback,
    *,
    unsupported: str,
    short_answer: str | None = None,
    own_span: bool = True,
) -> Answer:
    """Every claim of `text` checked against the paragraphs its markers name; the answer, or an
    abstention (`unsupported`, with the removed claims) when no claim is left. `short_answer`,
    when given, replaces the selector's span if its claim survived the check; without
    `own_span` the selector's span is never the short answer."""
    on_progress("checking", {"paragraph_id": cited[1].paragraph_id})
    clock = time.perf_counter()
    checked = check_answer(
        text,
        cited,
        embedder=embedder,
        min_support=settings.answer.min_support,
        lexical_weight=settings.answer.support_lexical_weight,
    )
    timings["verify_ms"] = ms(clock)
    if not checked.citations:
        abstained = abstain(analysis, retrieved, timings, unsupported)
        return abstained.model_copy(update={"removed_claims": checked.removed_claims})
    if short_answer is not None and short_answer not in checked.text:
        short_answer = None  # the claim that held it was removed
    if short_answer is None and own_span:
        short_answer = _fitting_short_answer(
            analysis, _span_text(choice), settings.answer.min_statement_words
        )
    return _answered(analysis, choice, checked, retrieved, timings, short_answer)


def _answered(
    analysis: QuestionAnalysis,
    choice: Choice,
    checked: CheckedAnswer,
    retrieved: list[RetrievedParagraph],
    timings: dict[str, float],
    short_answer: str | None,
) -> Answer:
    citations = [
        Citation(
            **c.paragraph.model_dump(),
            marker=c.marker,
            verified=True,
            quoted=c.quoted,
            support_score=c.support.score,
            span_start=c.support.span_start,
            span_end=c.support.span_end,
        )
        for c in checked.citations
    ]
    kind = analysis.kind
    # a question of several parts asks for several kinds, each quote for its own: neither is
    # given; the words that count as given are the ones asked, not an earlier question's a
    # follow-up was read with ("When did they resume?" after "Why were talks suspended…?")
    several = len(analysis.parts) > 1
    asked_kind = None if several or kind is AnswerType.ANY else cast(AskedKind, kind.value)
    holds = (
        None
        if asked_kind is None
        else holds_asked_kind(kind, MARKER.sub("", checked.text), analysis.asked)
    )
    return Answer(
        question=analysis.as_typed,
        rewritten_question=analysis.rewritten,
        answer=checked.text,
        status="answered",
        citations=citations,
        retrieved=retrieved,
        short_answer=short_answer,
        removed_claims=checked.removed_claims,
        evidence_score=round(choice.score, 4),
        answers_question=True,
        asked_kind=asked_kind,
        holds_asked_kind=holds,
        unknown_words=list(analysis.unknown),
        timings_ms=timings,
    )


def _span_text(choice: Choice) -> str | None:
    """The words the selector marked in the chosen sentence, a figure it cut taken whole with
    its currency or percent sign ("$133 million", not "133 million": `whole_figures`), without
    the note marks the quote leaves out ("[3]"; a span inside one is none)."""
    if choice.span is None:
        return None
    text = choice.candidate.text
    a, b = whole_figures(text, choice.span)
    for note in MARKER.finditer(text):  # a note mark the span reaches into is left out whole
        if note.start() < b and a < note.end():
            a, b = min(a, note.start()), max(b, note.end())
    return without_note_numbers(text[a:b]).strip() or None


def _fitting_short_answer(
    analysis: QuestionAnalysis, short: str | None, min_statement_words: int
) -> str | None:
    """The selector's span as the direct answer (cut to the part inside a quotation it
    crosses the edge of, `inside_quotation`), unless it is not of the kind asked for (a
    "Who…?" answered with "Monday", a "How many…?" with no number, a "What did X say?" with one
    word, any span for a yes-or-no question): then the quote stands alone rather than lead
    with a wrong or partial answer."""
    if short is None or analysis.yes_no:
        return None
    short = inside_quotation(short)
    if short is None:
        return None
    fits = short_answer_fits(analysis.kind, short, min_statement_words=min_statement_words)
    return short if fits else None


def abstain(
    analysis: QuestionAnalysis,
    retrieved: list[RetrievedParagraph],
    timings: Mapping[str, float],
    reason: str,
) -> Answer:
    """A refusal for `reason`, pointing at the closest paragraphs when there are any: a question
    declined before any search, or asked of a date range or articles that hold no paragraph,
    has none to list, and its answer does not say it lists them."""
    listed = " The closest paragraphs are listed so you can look for yourself." if retrieved else ""
    return Answer(
        question=analysis.as_typed,
        rewritten_question=analysis.rewritten,
        answer=f"{DECLINED}{listed}",
        status="insufficient_evidence",
        citations=[],
        retrieved=retrieved,
        reason=reason,
        unknown_words=list(analysis.unknown),
        timings_ms=dict(timings),
    )


def ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
