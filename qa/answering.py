"""Retrieve, find the supporting sentence, let the reader point at the answer, check citations.

The answer text is built from sentences of the articles themselves (trimmed when long), so
every claim has a paragraph that contains it; the language model only helps choose among the
best candidate sentences, and its choice counts only when its words stand in one of them.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from qa.citations import check_answer
from qa.errors import BadInput
from qa.evidence import (
    REPORTING_WORDS,
    AnswerType,
    Candidate,
    ScoredSentence,
    answer_type,
    score_sentences,
    type_match_strength,
)
from qa.followups import has_own_terms, standalone_question
from qa.interfaces import Embedder, Generator, Vectors
from qa.lexical import content_terms, term_found, words
from qa.models import Answer, Citation, Paragraph, RetrievedParagraph, Turn
from qa.prompting import STOP, reader_messages, reader_prompt
from qa.retrieval import Retrieval, Retriever
from qa.settings import Settings


class SentenceRefLike(Protocol):
    @property
    def row(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Corpus(Protocol):
    """What answering needs from the index (implemented by `index.store.CorpusIndex`)."""

    @property
    def paragraphs(self) -> Sequence[Paragraph]: ...
    @property
    def sentences(self) -> Sequence[SentenceRefLike]: ...
    @property
    def sentence_vectors(self) -> Vectors: ...
    @property
    def sentences_by_row(self) -> Mapping[int, list[int]]: ...
    @property
    def doc_freq(self) -> Mapping[str, int]: ...


# Told each stage as answering reaches it (stage name, details): lets a stream show progress
# while the reader runs, since no answer text is sent before its citation is checked.
ProgressCallback = Callable[[str, dict[str, object]], None]


def no_progress(stage: str, detail: dict[str, object]) -> None:
    return None


# The reader may move the answer to another candidate only when that candidate's own evidence is
# nearly as strong: a small model's pick must never outweigh the measured evidence.
READER_SCORE_RATIO = 0.8


@dataclass(frozen=True)
class Reading:
    """What the reader (language model) proposed and whether it was found in a candidate."""

    proposal: str | None
    chosen: ScoredSentence


def validate_question(question: str, *, max_chars: int) -> str:
    cleaned = " ".join(question.split())
    if not cleaned:
        raise BadInput("question is empty: send a question as a non-empty string")
    if len(cleaned) > max_chars:
        raise BadInput(
            f"question is {len(cleaned)} characters long; the limit is {max_chars}. "
            "Ask a shorter question."
        )
    return cleaned


def answer_question(
    question: str,
    *,
    retriever: Retriever,
    corpus: Corpus,
    embedder: Embedder,
    generator: Generator | None,
    settings: Settings,
    history: Sequence[Turn] = (),
    on_progress: ProgressCallback = no_progress,
) -> Answer:
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    asked = validate_question(question, max_chars=settings.server.max_question_chars)
    if len(history) > settings.server.max_history_turns:
        raise BadInput(
            f"history has {len(history)} turns; the limit is {settings.server.max_history_turns}. "
            "Send only the most recent turns."
        )
    rewritten = standalone_question(asked, history)
    on_progress("searching", {"query": rewritten or asked})
    # The rewrite finds the right paragraphs; the sentences are then judged against the
    # question as asked, unless it has too few words of its own to judge anything by.
    retrieval = retriever.retrieve(rewritten or asked)
    question = asked if rewritten is None or has_own_terms(asked) else rewritten
    if rewritten is not None and question == asked:
        # A follow-up with words of its own ("And what did Seoul urge Russia to do?") is also
        # searched as asked: the earlier question's words must not crowd out its own.
        own = retriever.retrieve(asked)
        seen = {hit.row for hit in own.hits}
        retrieval = Retrieval(
            query_vector=own.query_vector,
            hits=own.hits + [hit for hit in retrieval.hits if hit.row not in seen],
        )
    timings["retrieve_ms"] = _ms(clock)
    retrieved = [h.paragraph for h in retrieval.hits]

    clock = time.perf_counter()
    # a follow-up's own words ("the embassy" in "And what did the embassy say?") are what it
    # asks about now; the earlier question's words only say where to look
    focus = content_terms(asked) if rewritten is not None else []
    candidates, vectors = _candidates(
        [hit.row for hit in retrieval.hits],
        corpus,
        already_said=history,
        focus=focus,
        follow_up=asked if rewritten is not None else "",
    )
    # A follow-up read with the earlier question is judged by its own words ("led" and "team"
    # in "Who led the team?"); the earlier question's words count in the sentence's context.
    leans_back = question == rewritten and bool(focus)
    judged = asked if leans_back else question
    scored = score_sentences(
        judged,
        retrieval.query_vector,
        candidates,
        vectors,
        doc_freq=corpus.doc_freq,
        n_docs=len(corpus.paragraphs),
        conversation=rewritten if leans_back else None,
    )
    timings["score_ms"] = _ms(clock)

    a = settings.answer
    if not scored or scored[0].score < a.min_answer_score:
        if not content_terms(question):
            reason = "the question has no words to look for in the articles; ask it in words"
        else:
            best = f"{scored[0].score:.2f}" if scored else "none"
            reason = (
                f"no sentence in the articles answers this well enough "
                f"(best evidence score {best}, needed {a.min_answer_score:.2f})"
            )
        return _abstain(asked, rewritten, retrieved, timings, reason)

    shown = _elaboration_first(
        _worth_reading(scored[: a.candidate_sentences], focus, a.context_token_budget),
        judged,
        min_score=a.min_answer_score,
    )
    if generator is not None:
        on_progress(
            "reading",
            {
                "sentences": len(shown),
                "articles": len({corpus.paragraphs[s.row].doc_id for s in shown}),
            },
        )
    clock = time.perf_counter()
    reading = _read(question, shown, generator, settings)
    timings["read_ms"] = _ms(clock)

    chosen = reading.chosen
    if reading.proposal:
        fuller = _fuller_statement(
            chosen, reading.proposal, question, retrieval.query_vector, corpus, a.min_answer_score
        )
        chosen = fuller or chosen
    paragraph = corpus.paragraphs[chosen.row]
    # a follow-up's answer is cut to what it asks about now: the words it was judged by
    claim = _trim(chosen.text, judged, reading.proposal, max_words=a.max_answer_words)

    on_progress("checking", {"paragraph_id": paragraph.paragraph_id})
    clock = time.perf_counter()
    checked = check_answer(
        f"{claim} [1]", {1: paragraph}, embedder=embedder, min_support=a.min_support
    )
    timings["verify_ms"] = _ms(clock)
    if not checked.citations:
        abstained = _abstain(
            asked,
            rewritten,
            retrieved,
            timings,
            "the best sentence found was not supported by its own paragraph, so it was removed",
        )
        return abstained.model_copy(update={"removed_claims": checked.removed_claims})
    citations = [
        Citation(
            **c.paragraph.model_dump(),
            marker=c.marker,
            verified=True,
            support_score=c.support.score,
            span_start=c.support.span_start,
            span_end=c.support.span_end,
        )
        for c in checked.citations
    ]
    return Answer(
        question=asked,
        rewritten_question=rewritten,
        answer=checked.text,
        status="answered",
        citations=citations,
        retrieved=retrieved,
        short_answer=reading.proposal,
        removed_claims=checked.removed_claims,
        evidence_score=round(chosen.score, 4),
        timings_ms=timings,
    )


def _candidates(
    rows: Sequence[int],
    corpus: Corpus,
    already_said: Sequence[Turn] = (),
    focus: Sequence[str] = (),
    follow_up: str = "",
) -> tuple[list[Candidate], Vectors]:
    """Sentences of the given paragraphs, except those an earlier answer already gave.

    Of a sentence already given, the clauses that hold the follow-up's own words (`focus`)
    stay: "And what did the embassy say?" is answered by the "while the embassy insisted …"
    half of a sentence the first answer quoted whole. So does the whole sentence when it holds
    all of them and the number or time the `follow_up` asks for: "How many stalls does it
    have?" after "The market reopened on Saturday with 85 stalls …" is answered by it again.
    (Not a name: any capitalised word passes for one, "Saturday" included.)
    """
    kind = answer_type(follow_up)
    said = [words(turn.answer) for turn in already_said if turn.answer]
    candidates: list[Candidate] = []
    ids: list[int] = []
    for row in rows:
        paragraph = corpus.paragraphs[row]
        sentence_ids = corpus.sentences_by_row.get(row, [])
        for position, sid in enumerate(sentence_ids):
            ref = corpus.sentences[sid]
            text = paragraph.text[ref.start : ref.end]
            context = paragraph.title + " " + _previous_sentence(corpus, row, position)
            if not (said and _said_before(words(text), said)) or (
                kind in _REPEATABLE_KINDS
                and _holds_all(text, focus)
                and type_match_strength(kind, text, follow_up) == 1.0
            ):
                candidates.append(Candidate(row, ref.start, ref.end, text, context))
                ids.append(sid)
                continue
            for start, end in _clauses(text) if focus else ():
                if start == 0:
                    continue  # the sentence's own opening: the earlier answer began with it
                clause = text[start:end]
                if _holds_any(clause, focus):
                    # scored with the whole sentence's vector: a clause has none of its own
                    candidates.append(
                        Candidate(row, ref.start + start, ref.start + end, f"… {clause}", text)
                    )
                    ids.append(sid)
    return candidates, corpus.sentence_vectors[ids]


# Where one clause of a news sentence hands over to another with a different subject
# ("…, while the embassy insisted …", "…; the ministry said …").
_CLAUSE_BREAK = re.compile(
    r"[,;]?\s+(?:while|whereas|although)\s+|,\s+but\s+|;\s+", re.IGNORECASE
)  # "but" only after a comma: "nothing but a rumour" is one clause
MIN_CLAUSE_WORDS = 5


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Offsets of a sentence's clauses of at least MIN_CLAUSE_WORDS words, split where another
    one begins."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if len(sentence[a:b].split()) >= MIN_CLAUSE_WORDS]


def _fuller_statement(
    chosen: ScoredSentence,
    proposal: str,
    question: str,
    query_vector: Vectors,
    corpus: Corpus,
    min_score: float,
) -> ScoredSentence | None:
    """The body sentence that reports what an article's opening summary says, if there is one.

    A news article's first paragraph summarises; the body then gives the same fact with its
    attribution, date or full quotation, which is what a reader checking the answer wants to
    see. So when the chosen sentence opens its article and a later paragraph of the same article
    holds the same answer words and is a good answer on its own, that one is cited instead.
    """
    opening = corpus.paragraphs[chosen.row]
    if opening.index != 0:
        return None
    # an article's paragraphs are consecutive rows, in order (as `_previous_sentence` relies on)
    rows = list(
        itertools.takewhile(
            lambda row: corpus.paragraphs[row].doc_id == opening.doc_id,
            range(chosen.row + 1, len(corpus.paragraphs)),
        )
    )
    candidates, vectors = _candidates(rows, corpus)
    holding = [i for i, c in enumerate(candidates) if _contains_words(c.text, proposal)]
    if not holding:
        return None
    scored = score_sentences(
        question,
        query_vector,
        [candidates[i] for i in holding],
        vectors[holding],
        doc_freq=corpus.doc_freq,
        n_docs=len(corpus.paragraphs),
    )
    return scored[0] if scored and scored[0].score >= min_score else None


def _previous_sentence(corpus: Corpus, row: int, position: int) -> str:
    """The sentence before one, looking back into the article's previous paragraph if needed.

    Scraped articles often put each sentence in its own paragraph, so "The treaty was signed…"
    names its treaty one paragraph up.
    """
    sentence_ids = corpus.sentences_by_row.get(row, [])
    paragraph = corpus.paragraphs[row]
    if position > 0:
        ref = corpus.sentences[sentence_ids[position - 1]]
        return paragraph.text[ref.start : ref.end]
    if row == 0 or corpus.paragraphs[row - 1].doc_id != paragraph.doc_id:
        return ""
    before = corpus.sentences_by_row.get(row - 1, [])
    if not before:
        return ""
    ref = corpus.sentences[before[-1]]
    return corpus.paragraphs[row - 1].text[ref.start : ref.end]


def _said_before(sentence: list[str], answers: Sequence[list[str]]) -> bool:
    """The sentence's first eight words stand in an earlier answer (a follow-up wants news)."""
    head = sentence[:8]
    return any(answer[i : i + len(head)] == head for answer in answers for i in range(len(answer)))


def ask_reader(
    generator: Generator, question: str, texts: Sequence[str], *, max_tokens: int
) -> str:
    """The reader prompt in the generator's own format: few-shot completion, or chat template."""
    if generator.prompt_format == "chat":
        return generator.chat(reader_messages(question, texts), max_tokens=max_tokens, stop=STOP)
    return generator.complete(reader_prompt(question, texts), max_tokens=max_tokens, stop=STOP)


def _worth_reading(
    candidates: Sequence[ScoredSentence], focus: Sequence[str], budget_tokens: int
) -> list[ScoredSentence]:
    """The candidates the reader is shown: the best one, and those it may move the answer to.

    Only a candidate whose own evidence is nearly as strong as the best's can become the answer
    (a small model's pick must never outweigh the measured evidence), so the reader is shown
    no other: with fewer distractors its short answer is found in a candidate more often (NYT
    accuracy 78 → 80 %), and the prompt is shorter. With a `focus` (a follow-up's own words)
    held by the best, a candidate without them is not shown: it answers the earlier question.
    """
    floor = candidates[0].score * READER_SCORE_RATIO
    keeps_focus = _holds_any(candidates[0].text, focus)
    eligible = [
        c for c in candidates if c.score >= floor and (not keeps_focus or _holds_any(c.text, focus))
    ]
    return eligible[: len(_within_budget([c.text for c in eligible], budget_tokens))]


# A sentence "says something about" the question's words when at least this many content
# words follow the last of them.
MIN_WORDS_AFTER = 2


def _elaboration_first(
    candidates: list[ScoredSentence], question: str, *, min_score: float
) -> list[ScoredSentence]:
    """The candidates, with one that says something about the question's subject first when
    the best only names it.

    News sentences often end by naming a thing ("… signed a contract that includes a penalty
    clause."), and a later one says what it is ("The clause makes the builder pay for every
    week of delay."). The first shares more words with "what does the clause require?"; the
    second, which names the same thing and goes on after the question's words, answers it.
    Only for "what …?" questions that ask for no particular kind of thing ("why" and "who"
    answers as often come before the question's words), only among candidates the reader may
    pick, and only for one that clears the abstention bar itself, since no model vouches for
    the move. Measured on both question sets: it fixed one seeds answer and changed no other.
    """
    if len(candidates) < 2 or not _WHAT_QUESTION.match(question):
        return candidates
    if answer_type(question) is not AnswerType.ANY:
        return candidates
    subject = _named_at_the_end(candidates[0].text, question)
    if subject is None:
        return candidates  # it goes on after the question's words, or holds few of them
    for i, cand in enumerate(candidates[1:], start=1):
        if (
            cand.score >= min_score
            and term_found(subject, set(content_terms(cand.text)))
            and _words_after_question(cand.text, question) >= MIN_WORDS_AFTER
        ):
            return [cand, *candidates[:i], *candidates[i + 1 :]]
    return candidates


def _named_at_the_end(sentence: str, question: str) -> str | None:
    """The sentence's last word, when the sentence ends by naming the question's subject: its
    last two content words are both the question's ("… includes a penalty clause."; not
    "… took the ferry to the island." for a question that only names the island)."""
    asked = set(content_terms(question))
    terms = _terms_before_attribution(sentence)
    if len(terms) >= 2 and all(term_found(t, asked) for t in terms[-2:]):
        return terms[-1]
    return None


_WHAT_QUESTION = re.compile(r"\s*(?:and\s+|but\s+|so\s+)?what\b", re.IGNORECASE)
# a trailing ", a spokesman said" or ", she told reporters" is no elaboration
_ATTRIBUTION_TAIL = re.compile(
    r",[^,]*\b(?:" + "|".join(sorted(REPORTING_WORDS)) + r")\b[^,]*$", re.I
)


def _terms_before_attribution(sentence: str) -> list[str]:
    """The sentence's content terms, in order, a trailing attribution left out."""
    return content_terms(_ATTRIBUTION_TAIL.sub("", sentence.rstrip(' .!?"”’')))


def _words_after_question(sentence: str, question: str) -> int:
    """Content words of `sentence` after the last of the question's, a trailing attribution
    left out; -1 when the sentence holds none of the question's words."""
    asked = set(content_terms(question))
    terms = _terms_before_attribution(sentence)
    positions = [i for i, term in enumerate(terms) if term_found(term, asked)]
    return len(terms) - 1 - positions[-1] if positions else -1


def _read(
    question: str,
    candidates: Sequence[ScoredSentence],
    generator: Generator | None,
    settings: Settings,
) -> Reading:
    """Ask the reader for a short answer and keep the first candidate sentence (in the order
    given) that contains it; without one, the first candidate."""
    if generator is None:
        return Reading(None, candidates[0])
    texts = [c.text for c in candidates]
    raw = ask_reader(generator, question, texts, max_tokens=settings.generation.max_tokens)
    proposal = raw.strip().strip('."').strip()
    if not proposal:
        return Reading(None, candidates[0])
    for cand in candidates:
        found = _found_part(cand.text, proposal, question)
        if found:
            return Reading(found, cand)
    return Reading(None, candidates[0])


_REPEATABLE_KINDS = (AnswerType.NUMBER, AnswerType.DATE, AnswerType.YEAR, AnswerType.TIME)


def _holds_all(text: str, terms: Sequence[str]) -> bool:
    present = set(content_terms(text))
    return bool(terms) and all(term_found(t, present) for t in terms)


def _holds_any(text: str, terms: Sequence[str]) -> bool:
    present = set(content_terms(text))
    return any(term_found(t, present) for t in terms)


# Tokens per English word for the bundled models' tokenizers, rounded up: the budget is a
# bound on prompt size (and so on latency), estimated without loading a tokenizer.
TOKENS_PER_WORD = 1.5


def _within_budget(texts: Sequence[str], budget_tokens: int) -> list[str]:
    """The leading texts whose estimated token count fits the budget (always at least one)."""
    kept: list[str] = []
    used = 0.0
    for text in texts:
        cost = len(text.split()) * TOKENS_PER_WORD
        if kept and used + cost > budget_tokens:
            break
        kept.append(text)
        used += cost
    return kept


def _found_part(text: str, proposal: str, question: str) -> str | None:
    """The longest leading part of the reader's proposal that stands word for word in `text`.

    Small models embellish ("June 19, 2019" for "June 19"); the part found in the evidence is
    kept, the rest dropped. The part must say something the question does not. (Trailing or
    middle parts were tried: an incidental word there matched the wrong sentence.)
    """
    asked = set(content_terms(question))
    tokens = proposal.split()
    for end in range(len(tokens), 0, -1):
        part = " ".join(tokens[:end]).strip(" ,.;:")
        if not set(content_terms(part)) - asked:
            break
        if _contains_words(text, part):
            return part
    return None


def _contains_words(text: str, phrase: str) -> bool:
    """`phrase` stands in `text` word for word (case, punctuation and number format aside)."""
    needle = words(phrase)
    hay = words(text)
    if not needle:
        return False
    return any(hay[i : i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1))


def _trim(sentence: str, question: str, proposal: str | None, *, max_words: int) -> str:
    """Shorten an over-long sentence to the clauses that answer the question.

    A window is a run of clauses, or the opening clause (usually the subject) with a later run:
    "Russia's embassy, in comments issued after …, said …" keeps who said it and what.
    """
    if len(sentence.split()) <= max_words:
        return sentence
    clauses = [c for c in re.split(r"(?<=[,;:—–])\s+", sentence) if c]
    question_terms = set(content_terms(question))
    kind = answer_type(question)
    best, best_key = sentence, (-1.0, 0)
    for i in range(len(clauses)):
        for j in range(i + 1, len(clauses) + 1):
            run = clauses[i:j]
            if len(" ".join(run).split()) > max_words:
                break  # longer runs (and the opening clause plus this run) are longer still
            windows = [run] if i < 2 else [run, [*clauses[:1], "…", *run]]
            for window_clauses in windows:
                window = " ".join(window_clauses)
                n = len(window.split()) - window_clauses.count("…")
                if n > max_words:
                    continue
                terms = set(content_terms(window))
                asked = len(terms & question_terms)
                hit = asked + len(terms - question_terms) * 0.01
                if proposal and _contains_words(window, proposal):
                    hit += 100
                elif type_match_strength(kind, window, question) > 0 and (
                    asked or kind is not AnswerType.STATEMENT
                ):
                    # keep the clause that holds the date, number or name asked for; reported
                    # speech only where it is about what was asked ("the embassy … said")
                    hit += 50
                if (hit, -n) > best_key:
                    best, best_key = window, (hit, -n)
    if best is sentence:
        return " ".join(sentence.split()[:max_words]) + " …"
    best = re.sub(r"[,;:—–]\s+…", " …", best)
    prefix = "… " if not sentence.startswith(best.split(" … ")[0]) else ""
    suffix = " …" if not sentence.endswith(best.split(" … ")[-1]) else ""
    return f"{prefix}{best.rstrip(',;:—–')}{suffix}".strip()


def _abstain(
    question: str,
    rewritten: str | None,
    retrieved: list[RetrievedParagraph],
    timings: Mapping[str, float],
    reason: str,
) -> Answer:
    return Answer(
        question=question,
        rewritten_question=rewritten,
        answer="The articles do not hold enough evidence to answer this. "
        "The closest paragraphs are listed so you can look for yourself.",
        status="insufficient_evidence",
        citations=[],
        retrieved=retrieved,
        reason=reason,
        timings_ms=dict(timings),
    )


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
