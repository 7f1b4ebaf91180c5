"""The selector's answer span, read from made-up logits (index/selector.py: best_span)."""

from __future__ import annotations

import numpy as np
import pytest

from index.selector import Encoded, best_span

pytestmark = pytest.mark.unit

# "Maria Zakharova said" as word pieces: maria | za ##khar ##ova | said
SENTENCE = "Maria Zakharova said"
OFFSETS = [(0, 5), (6, 8), (8, 12), (12, 15), (16, 20)]
WORDS: list[int | None] = [0, 1, 1, 1, 2]
HEAD = 3  # [CLS] and two question tokens before the sentence


def logits(favoured: int) -> np.ndarray:
    values = np.full(HEAD + len(OFFSETS) + 1, -5.0, dtype=np.float32)
    values[HEAD + favoured] = 5.0
    return values


def span(start: int, end: int, words: list[int | None], penalty: float = 0.0) -> str:
    encoded = Encoded([0] * (HEAD + 6), [0] * (HEAD + 6), HEAD, OFFSETS, words)
    found = best_span(logits(start), logits(end), encoded, max_tokens=10, length_penalty=penalty)
    assert found is not None
    return SENTENCE[found[0] : found[1]]


def test_a_span_ending_inside_a_word_takes_the_whole_word() -> None:
    assert span(0, 2, WORDS) == "Maria Zakharova"  # the model marked "Maria Zakhar"


def test_a_span_starting_inside_a_word_takes_the_whole_word() -> None:
    assert span(3, 4, WORDS) == "Zakharova said"  # the model marked "ova said"


def test_whole_words_are_left_as_they_are_and_unknown_words_are_not_widened() -> None:
    assert span(0, 0, WORDS) == "Maria"
    assert span(0, 2, []) == "Maria Zakhar"


def test_a_length_penalty_prefers_the_shorter_of_two_spans_liked_about_as_well() -> None:
    start, end = logits(0), logits(4)
    end[HEAD + 0] = 4.5  # "Maria" ends nearly as well as "Maria Zakharova said"
    encoded = Encoded([0] * (HEAD + 6), [0] * (HEAD + 6), HEAD, OFFSETS, WORDS)

    def best(penalty: float) -> str:
        found = best_span(start, end, encoded, max_tokens=10, length_penalty=penalty)
        assert found is not None
        return SENTENCE[found[0] : found[1]]

    assert best(0.0) == "Maria Zakharova said"
    assert best(0.1) == "Maria Zakharova said"  # 0.4 off for four tokens more: still ahead
    assert best(0.2) == "Maria"  # 0.8 off: the shorter wins
    # a clear favourite is kept whatever its length
    assert span(0, 4, WORDS, penalty=0.5) == "Maria Zakharova said"
