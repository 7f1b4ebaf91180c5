"""Unit tests for what the combiner may read of the span head (`index/selector.py`)."""

from __future__ import annotations

import numpy as np
import pytest

from index.selector import Combiner, reading_features, span_echo
from qa.lexical import content_terms

pytestmark = pytest.mark.unit

QUESTION = "What does the mutual defense clause require of members?"
SENTENCE = "The mutual defense clause requires members to come to each other's aid."
ASKED = set(content_terms(QUESTION))


def test_a_span_that_only_repeats_the_question_echoes_fully() -> None:
    assert span_echo("the mutual defense clause", ASKED) == 1.0


def test_a_span_with_new_words_echoes_little() -> None:
    assert span_echo("to come to each other's aid", ASKED) == 0.0
    # content terms "member", "come", "aid" ("each", "other" are function words): one of three
    assert span_echo("members to come to each other's aid", ASKED) == pytest.approx(1 / 3)


def test_a_span_without_content_terms_echoes_nothing() -> None:
    assert span_echo("of the", ASKED) == 0.0


def test_reading_features_cut_the_span_out_of_the_sentence() -> None:
    start = SENTENCE.index("to come")
    read = reading_features((start, len(SENTENCE) - 1, 7.5), SENTENCE, ASKED)
    assert read == {"span_confidence": 7.5, "span_echo": 0.0}
    assert reading_features(None, SENTENCE, ASKED) == {"span_confidence": 0.0, "span_echo": 0.0}


def test_a_combiner_with_either_reading_feature_reads_spans() -> None:
    assert not Combiner({"relevance": 1.0}, 0.0).reads_spans
    assert Combiner({"relevance": 1.0, "span_echo": -1.0}, 0.0).reads_spans
    assert Combiner({"relevance": 1.0, "span_confidence": 0.1}, 0.0).reads_spans


def test_a_negative_echo_weight_ranks_the_echoing_candidate_lower() -> None:
    combiner = Combiner({"relevance": 1.0, "span_echo": -2.0}, 0.0)
    echo, answer = combiner.scores(np.array([1.0, 1.0]), [{"span_echo": 1.0}, {"span_echo": 0.0}])
    assert echo < answer
