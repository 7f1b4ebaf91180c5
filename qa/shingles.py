"""How well an extracted article body matches a hand-made one: the article-extraction
benchmark's measure (Scrapinghub's `evaluate.py`), reimplemented to give the same numbers.

- Tokens are runs of word characters (`\\w+`), case kept; shingles are the 4-token windows
  (a text shorter than four tokens is one shingle of all of them), counted with repeats.
- Per page, true positives are the shingles both texts share (the smaller count), false
  positives the extra ones extracted, false negatives the ones missed; the three are divided
  by their sum so that a long article weighs no more than a short one.
- Precision is the mean of the pages' precisions (pages with something extracted or expected);
  recall the mean of their recalls; F1 the harmonic mean of those two means. A page where
  both texts are empty is left out of both means.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class PageScore:
    """One page's normalised true positives, false positives and false negatives."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fn == 0 else self.tp / (self.tp + self.fn)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def score_page(expected: str, extracted: str) -> PageScore:
    true, predicted = shingles(expected), shingles(extracted)
    tp = fp = fn = 0
    for key in true.keys() | predicted.keys():
        t, p = true.get(key, 0), predicted.get(key, 0)
        tp, fp, fn = tp + min(t, p), fp + max(0, p - t), fn + max(0, t - p)
    total = tp + fp + fn
    return PageScore(tp / total, fp / total, fn / total) if total else PageScore(0.0, 0.0, 0.0)


def aggregate(pages: Sequence[PageScore]) -> Scores:
    precisions = [p.precision for p in pages if p.tp + p.fp > 0]
    recalls = [p.recall for p in pages if p.tp + p.fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision=precision, recall=recall, f1=f1)
