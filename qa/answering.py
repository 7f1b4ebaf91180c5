"""The answer path, stage by stage: analyse, search, gather candidates, select, trim, check.

The answer text is a sentence of an article (cut to whole clauses when long), so every claim
has a paragraph that contains it. Which sentence, and whether to answer at all, is decided by
one learned score (`qa/selection.py`); the citation is then checked against its paragraph
(`qa/citations.py`) before anything is returned. In generate mode (a language model
configured), once the selector has decided to answer, the model writes the answer over the
paragraphs of the best choices with [n] markers, and each claim is checked the same way
(`qa/writing.py`); a model answer left without support is withheld, and the sentence the
selector chose is quoted instead (`quoted_instead` says why).
"""

from __future__ import annotations

import itertools
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import cast

from qa.antecedents import (
    named_speaker,
    names_someone,
    naming_clause,
    opens_with_reference,
    short_answer_names,
    speaker_is_reference,
)
from qa.article_details import (
    DetailQuestion,
    article_meant,
    detail_of,
    detail_statement,
    missing_detail,
    tells_detail,
)
from qa.candidates import Candidate, Corpus, candidate_before
from qa.choosing import ProgressCallback, choose, no_progress, part_answers, search
from qa.citations import MARKER, CheckedAnswer, check_answer, split_claims
from qa.conversation import (
    quoted_by_last_answer,
)
from qa.evidence import AnswerType, holds_asked_kind, short_answer_fits
from qa.interfaces import Embedder, Generator, Selector, Vocabulary
from qa.lexical import FUNCTION_WORDS, fold_word, words
from qa.models import (
    DECLINED,
    Answer,
    AskedKind,
    Citation,
    Paragraph,
    RetrievedParagraph,
    Turn,
)
from qa.question import QuestionAnalysis, analyse_question, validate_question
from qa.retrieval import Retriever
from qa.selection import Choice, select
from qa.settings import ConversationSettings, Settings
from qa.trimming import clause_spans, cut_words, inside_quotation, trim
from qa.writing import Passage, write_answer

__all__ = [
    "ProgressCallback",
    "answer_question",
    "no_progress",
    "reader_reason",
    "validate_question",
]

# the reason for most refusals, and the scores that follow it (`reader_reason` leaves them out)
NO_SENTENCE_GOOD_ENOUGH = "no sentence in the articles answers this well enough"
_SCORE_NOTE = re.compile(r"^ \((?:best answer score|no sentence left to score)[^)]*\)")
EARLIER_SPAN_OVERLAP = ConversationSettings().earlier_span_overlap  # the setting's default


def answer_question(
    question: str,
    *,
    retriever: Retriever,
    corpus: Corpus,
    embedder: Embedder,
    selector: Selector,
    settings: Settings,
    history: Sequence[Turn] = (),
    generator: Generator | None = None,
    vocabulary: Vocabulary | None = None,
    on_progress: ProgressCallback = no_progress,
    should_stop: Callable[[], bool] | None = None,
    time_left: Callable[[], float | None] | None = None,
) -> Answer:
    """`on_progress` hears each stage as it starts (and may end the answer there by raising);
    `should_stop` is asked while a language model writes, the one stage that takes long, and
    so is `time_left` (seconds until the answer is due, None for no limit): a model still
    writing `generation.stop_before_limit_s` before then is stopped, and the sentence chosen
    is quoted instead."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    analysis = analyse_question(
        question,
        history,
        max_chars=settings.server.max_question_chars,
        max_history_turns=settings.server.max_history_turns,
        conversation=settings.conversation,
        vocabulary=vocabulary,
        spelling=settings.spelling,
    )
    if analysis.other_script:  # nothing to search with: no letter of it is in any article
        return _abstain(
            analysis, [], timings,
            "none of the question's words is found in any article: it is written in another "
            "script than the articles; ask it in the articles' language",
        )  # fmt: skip
    on_progress("searching", {"query": analysis.rewritten or analysis.asked})
    retrieval = search(analysis, retriever)
    timings["retrieve_ms"] = _ms(clock)
    retrieved = [h.paragraph for h in retrieval.hits]
    if not retrieval.hits:
        return _abstain(
            analysis, retrieved, timings,
            retriever.restriction.nothing_kept
            if retriever.restriction is not None and not retriever.keeps_any()
            else "no paragraph was found to read for this question",
        )  # fmt: skip
    if not analysis.has_words:
        # "When?", "What is it?" asked with no conversation: only words that lean on one
        own = words(analysis.asked)
        leans = bool(own) and not analysis.history
        pointing = ", ".join(f"“{w}”" for w in dict.fromkeys(own[:4]))
        pointing += " …" if len(own) > 4 else ""
        return _abstain(
            analysis, retrieved, timings,
            f"the question's words ({pointing}) only point back at an earlier question, and none "
            "came with it: ask it in full (what it is about), or ask it after the question it "
            "follows (over the API, with the earlier turns as history)"
            if leans
            else "the question has no words to look for in the articles; ask it in words",
        )  # fmt: skip
    # no sentence can say what someone no article names did (a question mostly in another
    # language is told that instead: its capitalised nouns are no names)
    if analysis.absent and not analysis.mostly_unknown:
        names = ", ".join(f"“{name}”" for name in analysis.absent)
        return _abstain(
            analysis, retrieved, timings,
            f"no article mentions {names}, nor any name spelt nearly so: the articles cannot "
            "say what the question asks about",
        )  # fmt: skip

    clock = time.perf_counter()
    a = settings.answer
    choices = choose(analysis, retrieval, corpus, selector, settings, on_progress)
    # the highest score (the first choice may be one near the last answer, not the highest)
    top = max(choices, key=lambda c: c.score, default=None)
    asked_detail = analysis.about_article
    if (
        asked_detail is not None
        and a.article_details
        and not (
            top is not None
            and top.score >= a.text_over_details_score
            and tells_detail(asked_detail.detail, top.candidate.text)
        )
    ):
        # "Who wrote the article about …?": told from the article's details, unless a sentence
        # answers it well and says who wrote, ran or dated a piece (the news may tell who
        # wrote or ran an article it reports on: "…, Reuters reported")
        kept = retriever.articles_kept()
        one_article = kept[0] == 1  # asked of one article alone
        told = _detail_answer(
            analysis, asked_detail, retrieved, corpus, embedder, settings, one_article,
            scope=_scope_note(retriever, kept), keep=retriever.restriction,
        )  # fmt: skip
        if told is not None:
            told.timings_ms.update(timings)
            told.timings_ms["select_ms"] = _ms(clock)
            return told
    overlap = settings.conversation.earlier_span_overlap
    picked = [
        _span_for_follow_up(analysis, c, selector, overlap=overlap)
        for c in choices[:1]
        if c.score >= a.min_answer_score
    ]
    named = analysis.named_alone or analysis.swapped_in
    if picked and named and not _names(picked[0].candidate, named):
        # "What about John Kirby?": the first choice (which may be one near the last answer,
        # about someone else) does not name him; the best choice over the bar that does is
        # the answer
        over_bar = (c for c in choices[1:] if c.score >= a.min_answer_score)
        naming = next((c for c in over_bar if _names(c.candidate, named)), None)
        if naming is not None:
            picked = [_span_for_follow_up(analysis, naming, selector, overlap=overlap)]
        elif analysis.swapped_in:
            # "What about NATO?" asked as "What did the NATO spokesman call …?" found no
            # sentence over the bar that names NATO: someone else's words. Read with the
            # conversation instead.
            unswapped = settings.model_copy(
                update={
                    "conversation": settings.conversation.model_copy(update={"swap_named": False})
                }
            )
            return answer_question(
                question, retriever=retriever, corpus=corpus, embedder=embedder,
                selector=selector, settings=unswapped, generator=generator,
                vocabulary=vocabulary, history=history, on_progress=on_progress,
                should_stop=should_stop, time_left=time_left,
            )  # fmt: skip
        else:
            # read with the conversation, "What about John Kirby?" still found only sentences
            # that do not name him: what someone else did is no answer about him
            over = sum(c.score >= a.min_answer_score for c in choices)
            which = (
                "the one sentence over the bar"
                if over == 1
                else f"the {over} sentences over the bar"
            )
            return _abstain(
                analysis, retrieved, timings,
                f"no sentence that names “{named}” answers this well enough: {which} "
                f"({a.min_answer_score:.2f}) {'does' if over == 1 else 'do'} not name it",
            )  # fmt: skip
    if len(analysis.parts) > 1:
        # "What did X accuse Y of, and how did Y answer?": each part is asked on its own too
        # (in generate mode as well: whether to answer is never the model's call)
        picked = part_answers(analysis, picked, retriever, corpus, selector, settings)
    timings["select_ms"] = _ms(clock)
    if not picked and analysis.may_stand_alone and settings.conversation.short_may_stand_alone:
        # "Who signed the treaty?" after a question about balloons is short, not a follow-up
        # of it: asked again without the history, as a new question
        alone = answer_question(
            question, retriever=retriever, corpus=corpus, embedder=embedder, selector=selector,
            settings=settings, generator=generator, vocabulary=vocabulary,
            on_progress=on_progress, should_stop=should_stop, time_left=time_left,
        )  # fmt: skip
        if alone.status == "answered":
            return alone
    if not picked:
        # rounded down: a score just under the bar must not read as equal to it ("0.20, needed
        # 0.20" for 0.1996)
        if choices:
            shown = math.floor(choices[0].score * 100 + 1e-9) / 100
            best = f"best answer score {shown:.2f}, needed {a.min_answer_score:.2f}"
        elif analysis.follow_up:  # every sentence found was left out as not about the talk
            best = (
                "no sentence left to score: a follow-up is answered from sentences about the "
                "earlier questions, or one an earlier answer gave when it asks about that"
            )
        else:
            best = "no sentence left to score"
        within = _scope_note(retriever)
        if analysis.mostly_unknown:
            within += (
                "; most of the question's words are in no article nor in English: if it is "
                "asked in another language, ask it in the articles' language"
            )
        return _abstain(
            analysis,
            retrieved,
            timings,
            f"{NO_SENTENCE_GOOD_ENOUGH} ({best}){within}",
        )
    if generator is not None:
        # the model is shown the paragraphs of the sentences picked (each part's, for a
        # question of several), then of the next best choices
        generated = _generated_answer(
            analysis, [*picked, *choices], corpus, embedder, generator, settings, retrieved,
            timings, on_progress, should_stop, time_left,
        )  # fmt: skip
        if generated.status == "answered":
            return generated
        # The model's words were all removed, but the selector judged that the articles answer
        # the question: the article's own sentence is given, as in extract mode, rather than a
        # refusal that would say the articles hold no answer.
        quoted = _checked_answer(
            analysis, picked, corpus, embedder, settings, retrieved, timings, on_progress
        )
        if quoted.status != "answered":
            return generated
        return quoted.model_copy(
            update={
                "removed_claims": [*generated.removed_claims, *quoted.removed_claims],
                "quoted_instead": generated.reason,
            }
        )
    return _checked_answer(
        analysis, picked, corpus, embedder, settings, retrieved, timings, on_progress
    )


def _span_for_follow_up(
    analysis: QuestionAnalysis,
    choice: Choice,
    selector: Selector,
    *,
    overlap: float = EARLIER_SPAN_OVERLAP,
) -> Choice:
    """`choice`, its answer span read from the follow-up alone when the span it marks is what
    an earlier question alone would mark in that sentence.

    A follow-up read with the earlier questions ("Where from?" after "How many balloons did
    they send?") can have its span head mark what they asked for ("20 balloons carrying
    300,000"), in the sentence an earlier answer gave or in another ("Who led the activists?"
    after "How many balloons did North Korea send?", answered from the activists' sentence).
    When reading one of the earlier questions alone marks mostly the same words (they share
    at least `overlap` of the shorter span, `conversation.earlier_span_overlap`), the follow-up
    as asked says which part is asked now ("the South Korean border town", "North Korean
    defector Park Sang-hak"); otherwise the span stands ("Oct. 3" for "When?" after "What did
    media report about the officers?")."""
    if choice.span is None or not analysis.reads_earlier_questions:
        return choice

    def span_of(question: str) -> tuple[int, int] | None:
        # only the span is kept, and the span head reads no candidate features: no ranks
        read = select(
            question, [choice.candidate], [replace(choice.evidence, index=0)],
            selector=selector, limit=1, ranks={},
        )  # fmt: skip
        return read[0].span

    for question in analysis.earlier_questions:  # those the reading holds, the last first
        earlier = span_of(question)
        if earlier is not None and _mostly_within(choice.span, earlier, overlap):
            return replace(choice, span=span_of(analysis.asked))
    return choice


def _mostly_within(a: tuple[int, int], b: tuple[int, int], share: float) -> bool:
    """The two spans share at least `share` of the shorter one (and something)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= share * min(a[1] - a[0], b[1] - b[0])


def _checked_answer(
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
        claims.append(f"{text} [{marker_of[row]}]")

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
    return _checked(
        " ".join(claims), cited, analysis, picked[0], embedder, settings, retrieved, timings,
        on_progress,
        unsupported="the best sentence found was not supported by its own paragraph, so it was "
        "removed",
        short_answer=speaker,
        own_span=own_span,
    )  # fmt: skip


_TOKEN = re.compile(r"[\w.’'-]+")


# a person's title, which names no one: "Mr. Miller" does not name "Mr. Kirby"
_TITLES = frozenset("mr mrs ms dr sen rep gov gen lt col capt sgt prof rev".split())


def _names(candidate: Candidate, name: str) -> bool:
    """Whether a sentence, the one before it or its article's title names `name`: one of its
    words in any case ("the third colony" for "the New Haven Colony"), or a capitalised word
    beginning with its first four letters ("Scottish" for "Scotland", "Norwegian" for
    "Norway"; not "statements" for "States"); a word of three letters or fewer must stand
    whole and in the same case, its full stops aside ("UN" and "U.N.", not the "Un" of "Kim
    Jong Un")."""

    def key(token: str) -> str:  # "O’Rourke" = "O'Rourke", "Šefčovič" = "Sefcovic"
        return re.sub(r"'s$", "", fold_word(token.replace(".", "").replace("’", "'")))

    text = f"{candidate.title} {candidate.previous} {candidate.text}"
    said = {key(t) for t in _TOKEN.findall(text)}
    lowered = {w.lower() for w in said}
    capitalised = {w.lower() for w in said if w[:1].isupper()}
    for word in map(key, _TOKEN.findall(name)):
        plain = word.lower()
        if plain in FUNCTION_WORDS or plain in _TITLES:  # "of" in "the Joint Chiefs of Staff",
            continue  # "Mr." in "Mr. Kirby": every sentence may hold them
        if len(word) <= 3:
            if word in said:
                return True
        elif plain in lowered or any(w.startswith(plain[:4]) for w in capitalised):
            return True
    return False


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


def _generated_answer(
    analysis: QuestionAnalysis,
    choices: Sequence[Choice],
    corpus: Corpus,
    embedder: Embedder,
    generator: Generator,
    settings: Settings,
    retrieved: list[RetrievedParagraph],
    timings: dict[str, float],
    on_progress: ProgressCallback,
    should_stop: Callable[[], bool] | None = None,
    time_left: Callable[[], float | None] | None = None,
) -> Answer:
    """Generate mode: the model answers over the paragraphs of the best choices, numbered; every
    claim it writes is checked against the paragraphs its markers name. A question given up
    while the model writes (`should_stop`) stops it; the next stage report then ends it. A
    model that has not finished `generation.stop_before_limit_s` before the answer is due
    (`time_left`) is stopped too, and its unfinished words are not used: the refusal returned
    says so, and the caller quotes the sentence chosen instead."""
    margin = settings.generation.stop_before_limit_s
    cut_short: list[bool] = []  # set once the model is told to stop for want of time

    def stop_writing() -> bool:
        if should_stop is not None and should_stop():
            return True
        left = time_left() if time_left is not None else None
        if left is not None and left <= margin:
            cut_short.append(True)
            return True
        return False

    rows: list[int] = []
    for choice in choices:  # best first; the best cleared the bar, the others must too
        if len(rows) == settings.generation.max_passages:
            break
        if choice.candidate.row not in rows and (
            not rows or choice.score >= settings.answer.min_answer_score
        ):
            rows.append(choice.candidate.row)
    cited = {n: corpus.paragraphs[row] for n, row in enumerate(rows, 1)}
    on_progress("writing", {"passages": len(cited)})
    clock = time.perf_counter()
    written = write_answer(
        generator,
        analysis.read_as,
        [Passage(p.title, p.text) for p in cited.values()],
        max_tokens=settings.generation.max_tokens,
        should_stop=stop_writing,
    )
    timings["write_ms"] = _ms(clock)
    if cut_short and not (should_stop is not None and should_stop()):
        limit = f"{margin:g} s before the question's time limit (server.request_timeout_s)"
        return _abstain(
            analysis, retrieved, timings,
            f"the model had not finished its answer {limit}: generation.stop_before_limit_s",
        )  # fmt: skip
    return _checked(
        written.text, cited, analysis, choices[0], embedder, settings, retrieved, timings,
        on_progress,
        unsupported=_why_unsupported(written.text),
    )  # fmt: skip


def _why_unsupported(text: str) -> str:
    """Why a model's answer left no claim: it wrote none, cited nothing, or was not supported."""
    if not text.strip():
        return "the model wrote no answer"
    if not any(claim.markers for claim in split_claims(text)):
        return "the model's answer cites no paragraph ([n]), so it was removed"
    return "the model's answer was not supported by the paragraphs it cites, so it was removed"


def _checked(
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
    timings["verify_ms"] = _ms(clock)
    if not checked.citations:
        abstained = _abstain(analysis, retrieved, timings, unsupported)
        return abstained.model_copy(update={"removed_claims": checked.removed_claims})
    if short_answer is not None and short_answer not in checked.text:
        short_answer = None  # the claim that held it was removed
    if short_answer is None and own_span:
        short_answer = _fitting_short_answer(
            analysis, choice.short_answer, settings.answer.min_statement_words
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


def _detail_answer(
    analysis: QuestionAnalysis,
    asked_for: DetailQuestion,
    retrieved: list[RetrievedParagraph],
    corpus: Corpus,
    embedder: Embedder,
    settings: Settings,
    one_article: bool = False,
    scope: str = "",
    keep: Callable[[Paragraph], bool] | None = None,
) -> Answer | None:
    """The article's author, date or source, cited to the paragraph of it that matched what the
    question says the article is about; a refusal that names the article when it states no such
    detail. The article is described by the question ("the article about …"), or pointed at
    ("Who wrote that article?"): the article an earlier answer quoted, or the one article the
    question is asked of (`doc_ids`, the page's "Ask about this article"). None leaves the
    question to the sentences: an article described otherwise ("the op-ed criticizing the
    mayor", "the article in The Lancet"), or pointed at with nothing to point at, may be one
    the news tells of. One that matches no
    article of the corpus well enough (`answer.min_article_match`) is declined saying so."""
    # "Who wrote that article?" after an answer: the article that answer quoted, found by its
    # words where they stand (retrieved first, then any article), else the article that best
    # matches them (an answer a language model worded, or an article's details told before).
    # One the question's scope (`keep`) leaves out is not answered about: another in scope
    # would be a confident wrong answer
    earlier = MARKER.sub("", analysis.history[-1].answer).strip() if analysis.history else ""
    quoted = (
        quoted_by_last_answer(
            analysis,
            itertools.chain(retrieved, corpus.paragraphs),
            settings.conversation.said_before_words,
        )
        if earlier and asked_for.pointing and not asked_for.about and not one_article
        else None
    )
    if quoted is not None and keep is not None and not keep(quoted):
        return _abstain(
            analysis, retrieved, {},
            f"the article the last answer quoted, “{quoted.title or quoted.doc_id}”, is not "
            f"among the articles this question is asked of{scope}",
        )  # fmt: skip
    if quoted is not None:
        return _told_detail(analysis, asked_for, quoted, retrieved, one_article, quoted=True)
    if asked_for.about:
        described = asked_for.about
    elif not asked_for.pointing:
        return None
    elif one_article:
        described = analysis.asked
    elif earlier or analysis.rewritten:  # the earlier question, when its answer is not sent
        described = earlier or str(analysis.rewritten)
    else:
        # "When was the article published?" out of the blue: an article its text tells of, if
        # any (such training questions are answered from their paragraph: "May 2006")
        return None
    meant = article_meant(described, retrieved, embedder)
    this_one = one_article and asked_for.pointing
    if meant is None or (meant.match < settings.answer.min_article_match and not this_one):
        # "the article about …" names an article the question takes to be in the corpus: a
        # quote from the text would be no answer to who wrote it
        best = f" (best: “{meant.paragraph.title}”, {meant.match:.2f})" if meant else ""
        return _abstain(
            analysis, retrieved, {},
            "no article matches what the question says the article is about well enough"
            f"{best}; an article's author, date and source are told for the article it describes"
            f"{scope}",
        )  # fmt: skip
    return _told_detail(analysis, asked_for, meant.paragraph, retrieved, one_article)


def _told_detail(
    analysis: QuestionAnalysis,
    asked_for: DetailQuestion,
    paragraph: Paragraph,
    retrieved: list[RetrievedParagraph],
    one_article: bool,
    *,
    quoted: bool = False,
) -> Answer:
    """The detail of the article `paragraph` stands in, cited to it, or the refusal that names
    the article when it states no such detail (`quoted`: the one the last answer quoted)."""
    value = detail_of(paragraph, asked_for.detail)
    if value is None:
        why = missing_detail(
            paragraph.title, asked_for.detail, asked_of_it=one_article, quoted=quoted
        )
        return _abstain(analysis, retrieved, {}, why)
    statement, short = detail_statement(paragraph.title, asked_for.detail, value)
    citation = Citation(
        **Paragraph.model_validate(paragraph, from_attributes=True).model_dump(),
        marker=1,
        verified=True,
        quoted=False,
        support_score=1.0,
        span_start=0,
        span_end=0,
        detail=asked_for.detail.value,
    )
    return Answer(
        question=analysis.as_typed,
        rewritten_question=analysis.rewritten,
        answer=f"{statement} [1]",
        status="answered",
        citations=[citation],
        retrieved=retrieved,
        short_answer=short,
        answers_question=False,  # no sentence was judged: the article's details say it
        unknown_words=list(analysis.unknown),
    )


def _scope_note(retriever: Retriever, kept: tuple[int, int] | None = None) -> str:
    """What a date range or the articles asked for left to search, said with a refusal ("; the
    date range left 9 of the 33 articles to search …"), or nothing when they left out none.
    `kept`: `retriever.articles_kept()`, when the caller has it already."""
    searched, every = kept or retriever.articles_kept()
    restriction = retriever.restriction
    if restriction is None or searched >= every:
        return ""
    left = f"{restriction.scope} left {searched} of the {every} articles to search"
    return f"; {left}{restriction.note}"


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


def reader_reason(reason: str | None) -> str | None:
    """A refusal's reason as a reader needs it beside "the articles do not hold enough
    evidence": the scores left out, and nothing when that is all it says. A narrowed search
    ("a date range left 2 of the 5 articles…"), another script or a question with no words
    stays."""
    if reason is None or not reason.startswith(NO_SENTENCE_GOOD_ENOUGH):
        return reason
    rest = _SCORE_NOTE.sub("", reason.removeprefix(NO_SENTENCE_GOOD_ENOUGH), count=1)
    return rest.lstrip("; ") or None


def _abstain(
    analysis: QuestionAnalysis,
    retrieved: list[RetrievedParagraph],
    timings: Mapping[str, float],
    reason: str,
) -> Answer:
    return Answer(
        question=analysis.as_typed,
        rewritten_question=analysis.rewritten,
        answer=f"{DECLINED} The closest paragraphs are listed so you can look for yourself.",
        status="insufficient_evidence",
        citations=[],
        retrieved=retrieved,
        reason=reason,
        unknown_words=list(analysis.unknown),
        timings_ms=dict(timings),
    )


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
