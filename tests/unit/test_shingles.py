"""Unit tests for qa.shingles: the article-extraction benchmark's measure, on small texts."""

from __future__ import annotations

import pytest

from qa.shingles import PageScore, aggregate, score_page, shingles

pytestmark = pytest.mark.unit

ARTICLE = "the harbour of Skarra reopened on Monday after a week of storms"  # 12 tokens, 9 shingles


def test_shingles_are_four_token_windows_counted_with_repeats() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2
    assert shingles("short text") == {("short", "text"): 1}  # fewer than four: one shingle
    assert shingles("") == {}
    assert shingles("It's 3,000 - OK") == {("It", "s", "3", "000"): 1, ("s", "3", "000", "OK"): 1}


def test_identical_texts_score_one() -> None:
    score = score_page(ARTICLE, ARTICLE.replace(" ", "\n"))  # only tokens count
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_extra_text_costs_precision_and_missing_text_costs_recall() -> None:
    extra = score_page(ARTICLE, ARTICLE + " Share on Facebook now please")
    assert extra.recall == 1.0 and extra.precision == pytest.approx(9 / 14)
    missing = score_page(ARTICLE, "the harbour of Skarra reopened on Monday")  # 4 of 9 shingles
    assert missing.precision == 1.0 and missing.recall == pytest.approx(4 / 9)
    assert score_page(ARTICLE, "") == PageScore(0.0, 0.0, 1.0)
    assert score_page(ARTICLE, "").recall == 0.0


def test_pages_weigh_alike_and_f1_is_of_the_two_means() -> None:
    long_page = score_page(ARTICLE * 10, ARTICLE * 10)
    half = score_page(ARTICLE, "the harbour of Skarra reopened on Monday")
    scores = aggregate([long_page, half])
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx((1 + 4 / 9) / 2)
    assert scores.f1 == pytest.approx(2 * scores.recall / (1 + scores.recall))


def test_a_page_with_nothing_extracted_is_left_out_of_precision_only() -> None:
    scores = aggregate([score_page(ARTICLE, ARTICLE), score_page(ARTICLE, "")])
    assert scores.precision == 1.0 and scores.recall == 0.5
