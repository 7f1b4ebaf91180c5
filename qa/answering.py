"""The answer path, stage by stage: analyse, search, gather candidates, select, trim, check.

The answer text is a sentence of an article (cut to whole clauses when long), so every claim
has a paragraph that contains it. Which sentence, and whether to answer at all, is decided by
one learned score (`qa/selection.py`); the citation is then checked against its paragraph
(`qa/citations.py`) before anything is returned. In generate mode (a language model
configured), once the selector has decided to answer, the model writes the answer over the
paragraphs of the best choices with [n] markers, and each claim is checked the same way
(`qa/writing.py`); a model answer left without support is withheld, and the sentence the
selector chose is quoted instead (`quoted_instead` says why).

This module runs the stages in order and decides which way a question is answered; the answer
itself is made in `qa/quoting.py` (the sentences chosen, trimmed and checked; the refusal),
`qa/generated_answers.py` (generate mode) and `qa/detail_answers.py` (an article's own details).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from qa.article_details import tells_detail
from qa.candidates import Candidate, Corpus
from qa.choosing import ProgressCallback, choose, no_progress, part_answers, search
from qa.detail_answers import detail_answer
from qa.generated_answers import generated_answer
from qa.interfaces import Embedder, Generator, Selector, Vocabulary
from qa.lexical import FUNCTION_WORDS, fold_word, words
from qa.models import Answer, Turn
from qa.question import QuestionAnalysis, analyse_question, validate_question
from qa.quoting import abstain, ms, quoted_answer
from qa.retrieval import Retriever
from qa.selection import Choice, select
from qa.settings import ConversationSettings, Settings

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
    scope_vocabulary: Vocabulary | None = None,
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
        scope_vocabulary=scope_vocabulary,
    )
    if analysis.other_script:  # nothing to search with: no letter of it is in any article
        return abstain(
            analysis, [], timings,
            "none of the question's words is found in any article: it is written in another "
            "script than the articles; ask it in the articles' language",
        )  # fmt: skip
    if analysis.unreadable and not analysis.absent:  # "asdfgh qwerty": nothing to search for
        said = [w for w in words(analysis.asked) if w not in FUNCTION_WORDS]
        pointing = ", ".join(f"“{w}”" for w in dict.fromkeys(said[:4]))
        pointing += " …" if len(said) > 4 else ""
        return abstain(
            analysis, [], timings,
            f"none of the question's words ({pointing}) is in any article, nor spelt nearly "
            "so, and most are no English word either: check how it is written, or ask it in "
            "words of the articles' language",
        )  # fmt: skip
    on_progress("searching", {"query": analysis.rewritten or analysis.asked})
    retrieval = search(analysis, retriever)
    timings["retrieve_ms"] = ms(clock)
    retrieved = [h.paragraph for h in retrieval.hits]
    if not retrieval.hits:
        return abstain(
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
        return abstain(
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
        return abstain(
            analysis, retrieved, timings,
            f"no article mentions {names}, nor any name spelt nearly so: the articles cannot "
            "say what the question asks about",
        )  # fmt: skip
    # nor can the articles a date range or `doc_ids` leaves, when none of them names it
    if analysis.absent_here and not analysis.mostly_unknown and retriever.restriction:
        names = ", ".join(f"“{name}”" for name in analysis.absent_here)
        return abstain(
            analysis, retrieved, timings,
            f"no article left to search by {retriever.restriction.scope} mentions {names}, nor "
            "any name spelt nearly so (other articles do: widen or remove the restriction to "
            "search them)",
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
        told = detail_answer(
            analysis, asked_detail, retrieved, corpus, embedder, settings, one_article,
            scope=_scope_note(retriever, kept), keep=retriever.restriction,
        )  # fmt: skip
        if told is not None:
            told.timings_ms.update(timings)
            told.timings_ms["select_ms"] = ms(clock)
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
            return abstain(
                analysis, retrieved, timings,
                f"no sentence that names “{named}” answers this well enough: {which} "
                f"({a.min_answer_score:.2f}) {'does' if over == 1 else 'do'} not name it",
            )  # fmt: skip
    if len(analysis.parts) > 1:
        # "What did X accuse Y of, and how did Y answer?": each part is asked on its own too
        # (in generate mode as well: whether to answer is never the model's call)
        picked = part_answers(analysis, picked, retriever, corpus, selector, settings)
    timings["select_ms"] = ms(clock)
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
        return abstain(
            analysis,
            retrieved,
            timings,
            f"{NO_SENTENCE_GOOD_ENOUGH} ({best}){within}",
        )
    if generator is not None:
        # the model is shown the paragraphs of the sentences picked (each part's, for a
        # question of several), then of the next best choices
        generated = generated_answer(
            analysis, [*picked, *choices], corpus, embedder, generator, settings, retrieved,
            timings, on_progress, should_stop, time_left,
        )  # fmt: skip
        if generated.status == "answered":
            return generated
        # The model's words were all removed, but the selector judged that the articles answer
        # the question: the article's own sentence is given, as in extract mode, rather than a
        # refusal that would say the articles hold no answer.
        quoted = quoted_answer(
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
    return quoted_answer(
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


def reader_reason(reason: str | None) -> str | None:
    """A refusal's reason as a reader needs it beside "the articles do not hold enough
    evidence": the scores left out, and nothing when that is all it says. A narrowed search
    ("a date range left 2 of the 5 articles…"), another script or a question with no words
    stays."""
    if reason is None or not reason.startswith(NO_SENTENCE_GOOD_ENOUGH):
        return reason
    rest = _SCORE_NOTE.sub("", reason.removeprefix(NO_SENTENCE_GOOD_ENOUGH), count=1)
    return rest.lstrip("; ") or None
