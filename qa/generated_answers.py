"""Generate mode: a language model words the answer over the paragraphs of the best choices,
numbered, with [n] markers (`qa/writing.py`); each claim it writes is checked against the
paragraphs its markers name, and a model that has not finished in time is stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from qa.candidates import Corpus
from qa.choosing import ProgressCallback
from qa.citations import split_claims
from qa.interfaces import Embedder, Generator
from qa.models import Answer, RetrievedParagraph
from qa.question import QuestionAnalysis
from qa.quoting import abstain, checked_answer, ms
from qa.selection import Choice
from qa.settings import Settings
from qa.writing import Passage, write_answer


def generated_answer(
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
    timings["write_ms"] = ms(clock)
    if cut_short and not (should_stop is not None and should_stop()):
        limit = f"{margin:g} s before the question's time limit (server.request_timeout_s)"
        return abstain(
            analysis, retrieved, timings,
            f"the model had not finished its answer {limit}: generation.stop_before_limit_s",
        )  # fmt: skip
    return checked_answer(
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
