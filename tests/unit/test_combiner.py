"""The selector's combiner and what it reads from the span head (index/selector.py), without the
model: the logits and spans are given."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from index.selector import Combiner, reading_features
from qa.errors import QAError
from qa.evidence import AnswerType, span_fit

pytestmark = pytest.mark.unit


def test_reading_features_rate_the_span_text_with_the_questions_check() -> None:
    sentence = "Officials said several officers were killed on Oct. 3."
    span = (sentence.index("several"), sentence.index(" were"), 4.0)
    check = partial(span_fit, AnswerType.NUMBER)
    assert reading_features(span, sentence, check) == {"span_confidence": 4.0, "span_fit": 0.0}
    dated = (sentence.index("Oct"), len(sentence) - 1, 3.0)
    assert reading_features(dated, sentence, check)["span_fit"] == 1.0
    assert reading_features(None, sentence, check) == {"span_confidence": 0.0, "span_fit": 0.0}


def test_without_a_check_there_is_no_span_fit() -> None:
    assert reading_features((0, 3, 1.0), "Ten people came.") == {"span_confidence": 1.0}


def test_a_span_that_misses_the_kind_lowers_the_score() -> None:
    combiner = Combiner({"relevance": 1.0, "span_fit": 2.0}, bias=-1.0)
    fits, misses = combiner.scores(
        np.array([1.0, 1.0], dtype=np.float32), [{"span_fit": 1.0}, {"span_fit": 0.0}]
    )
    assert fits > misses


def test_a_combiner_fitted_with_span_fit_says_when_it_is_not_given() -> None:
    combiner = Combiner({"relevance": 1.0, "span_fit": 2.0}, bias=0.0)
    with pytest.raises(QAError, match="span_fit"):
        combiner.scores(np.array([1.0], dtype=np.float32), [{}])
