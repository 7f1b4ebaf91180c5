"""`scripts/train_selector.py: fit_combiner` reads the spans it weighs as the service reads
them: under `answer.span_length_penalty`, whatever penalty the selector was made with."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from index.selector import Encoded, SpanLogits
from qa.interfaces import SelectorInput
from qa.settings import AnswerSettings
from tests.scripts import load_script

pytestmark = pytest.mark.unit

# "[CLS] q [SEP] Ada Byron wrote [SEP]": the sentence's tokens are 3, 4 and 5
SENTENCE = "Ada Byron wrote"
ENCODED = Encoded(
    ids=[101, 7, 102, 11, 12, 13, 102],
    types=[0, 0, 0, 1, 1, 1, 1],
    sentence_start=3,
    offsets=[(0, 3), (4, 9), (10, 15)],
    words=[0, 1, 2],
)
# "Ada Byron" scores 2 + 1.9 = 3.9, "Ada" 2 + 1.85 = 3.85: the longer span wins with no
# penalty, the shorter under any penalty over 0.05 a token
STARTS = np.array([0, 0, 0, 2.0, 0, 0, 0], dtype=np.float32)
ENDS = np.array([0, 0, 0, 1.85, 1.9, 0, 0], dtype=np.float32)


class RawSelector:
    """Gives every item the same raw reading, with a given relevance logit per item; `read`
    chooses spans as a selector made with no length penalty does."""

    def span_logits(self, question: str, items: Sequence[SelectorInput]) -> list[SpanLogits]:
        return [
            SpanLogits(ENCODED, float(k), STARTS, ENDS, max_tokens=24) for k in range(len(items))
        ]

    def read(self, question: str, items: Sequence[SelectorInput]) -> tuple[Any, list[Any]]:
        readings = self.span_logits(question, items)
        return np.array([r.relevance for r in readings]), [r.best_span() for r in readings]


def _question(n: int) -> dict[str, Any]:
    def candidate(label: int) -> dict[str, Any]:
        return {
            "text": SENTENCE, "title": "", "previous": "", "label": label, "cosine": 0.5,
            "term_coverage": 0.5, "context_coverage": 0.5, "type_match": 0.0,
            "paragraph_rank": 0,
        }  # fmt: skip

    return {"question": f"Who wrote it {n}?", "candidates": [candidate(0), candidate(1)]}


@pytest.fixture(scope="module")
def ts() -> ModuleType:
    return load_script("train_selector")


def _spans_read(ts: ModuleType, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> set[str]:
    seen: set[str] = set()
    real = ts.reading_features

    def recording(span: Any, sentence: str, asked: set[str]) -> dict[str, float]:
        seen.add(sentence[span[0] : span[1]])
        return dict(real(span, sentence, asked))

    monkeypatch.setattr(ts, "reading_features", recording)
    ts.fit_combiner(RawSelector(), [_question(n) for n in range(4)], 0, ("span_echo",), **kwargs)
    return seen


def test_fit_combiner_reads_spans_under_the_services_length_penalty(
    ts: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert AnswerSettings().span_length_penalty > 0.05  # else the two spans below tie
    assert _spans_read(ts, monkeypatch) == {"Ada"}
    assert _spans_read(ts, monkeypatch, span_length_penalty=0.0) == {"Ada Byron"}
