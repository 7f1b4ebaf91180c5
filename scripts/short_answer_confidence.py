#!/usr/bin/env python
"""Would withholding a short answer the span head is unsure of help? Measured, not shipped.

    python scripts/short_answer_confidence.py [--work-dir data/selector] [--model models/selector]
                                              [--min-score 0.20] [--tune-limit 400]

On the tuning questions of the selector's candidate lists (`scripts/selector_data.py`; the
articles `train_selector.py` keeps apart, never trained on), each question's candidates are
scored as the service scores them, and for the best one, when it clears `--min-score` and its
span fits the asked kind (`short_answer_fits`), the span head's probability of its span is
read: start probability × end probability, each a softmax over the whole input. A span is right
when the gold answer is inside it or it is inside the gold answer, in whole words with case and
punctuation aside (`qa.evaluation.contains`, as `evaluate.py` judges answers).
Printed: how well the probability tells right spans from wrong ones (AUC), and what
withholding spans under a few thresholds would show and remove. docs/grounding.md quotes it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import run_cli  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_selector as ts  # noqa: E402

from index.selector import OnnxSelector  # noqa: E402
from qa.evaluation import contains, normalise  # noqa: E402
from qa.evidence import answer_type, short_answer_fits  # noqa: E402
from qa.settings import AnswerSettings  # noqa: E402


def span_is_right(span: str, answers: list[str]) -> bool:
    """The gold answer inside the span, or the span inside it, as `evaluate.py` matches words."""
    return bool(normalise(span)) and any(
        normalise(a) and (contains(span, a) or contains(a, span)) for a in answers
    )


def span_probability(selector: OnnxSelector, question: str, item: Any) -> tuple[str, float]:
    """The best span, as the service picks it (`best_span`), and its start × end probability."""
    [reading] = selector.span_logits(question, [item])
    found = reading.best_span(AnswerSettings().span_length_penalty)
    if found is None:
        return "", 0.0
    a, b, _ = found
    e = reading.encoded
    inside = [k for k, (x, y) in enumerate(e.offsets) if x >= a and y <= b]
    first, last = e.sentence_start + inside[0], e.sentence_start + inside[-1]
    s = reading.starts.astype(np.float64)  # over the whole input, as before any padding
    t = reading.ends.astype(np.float64)
    p_start = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    p_end = np.exp(t - t.max()) / np.exp(t - t.max()).sum()
    return item.sentence[a:b], float(p_start[first] * p_end[last])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("data/selector"),
        help="the candidate lists of scripts/selector_data.py (default %(default)s)",
    )
    parser.add_argument(
        "--model",
        type=Path,
        default=Path("models/selector"),
        help="the selector folder to read with (default %(default)s)",
    )
    parser.add_argument(
        "--min-score",
        type=float,
        default=0.20,
        help="answer score a question's best candidate must reach to count (default %(default)s)",
    )
    parser.add_argument(
        "--tune-limit",
        type=int,
        default=400,
        help="tuning questions read per source (default %(default)s)",
    )
    args = parser.parse_args()

    selector = OnnxSelector(args.model, threads=1)
    selector.warm_up()
    lists = ts.load_lists(args.work_dir, ts.SOURCES)
    questions = ts.tune_questions(lists, args.tune_limit)
    statement_words = AnswerSettings().min_statement_words
    rows: list[tuple[bool, bool, float]] = []  # (right sentence, right span, probability)
    for n, q in enumerate(questions, 1):
        cands = ts.service_view(q)
        if not cands:
            continue
        items = [ts.as_input(c) for c in cands]
        scores = [s.score for s in selector.select(q["question"], items)]
        top = int(np.argmax(scores))
        if scores[top] < args.min_score:
            continue
        span, probability = span_probability(selector, q["question"], items[top])
        kind = answer_type(q["question"])
        if not short_answer_fits(kind, span, min_statement_words=statement_words):
            continue
        right_sentence = cands[top]["label"] == 1
        rows.append(
            (right_sentence, right_sentence and span_is_right(span, q["answers"]), probability)
        )
        if n % 200 == 0:
            print(f"{n}/{len(questions)} questions", file=sys.stderr, flush=True)

    in_right = [r for r in rows if r[0]]
    right_spans = [p for _, ok, p in in_right if ok]
    wrong_spans = [p for _, ok, p in in_right if not ok]
    print(f"tuning questions: {len(questions)}; answered with a fitting short answer: {len(rows)}")
    print(
        "AUC right vs wrong span, answers from the right sentence: "
        f"{ts._auc(right_spans, wrong_spans):.3f}"
    )
    print("threshold  shown  right  wrong  precision | right sentence: right spans  wrong spans")
    for threshold in (0.0, 0.05, 0.1, 0.2, 0.3):
        shown = [r for r in rows if r[2] >= threshold]
        right = sum(ok for _, ok, _ in shown)
        kept = [r for r in in_right if r[2] >= threshold]
        good = sum(ok for _, ok, _ in kept)
        print(
            f"{threshold:9.2f}  {len(shown):5d}  {right:5d}  {len(shown) - right:5d}  "
            f"{right / max(1, len(shown)):9.3f} | {good:25d}  {len(kept) - good:11d}"
        )
    return 0


if __name__ == "__main__":
    run_cli(main)
