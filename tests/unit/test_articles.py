"""Unit tests for qa.articles: the title filter the documents list uses."""

from __future__ import annotations

import pytest

from qa.articles import title_matches

pytestmark = pytest.mark.unit

TITLE = "South Korea summons Russian envoy"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("korea summ", True),  # beginnings of words, in any order
        ("SUMMONS korea", True),  # any case
        ("envoy", True),
        ("", True),  # no words: nothing to filter by
        ("orea", False),  # inside a word is not the beginning of one
        ("korea tram", False),  # every word must match
        ("korea, summons!", True),  # punctuation is not a word
    ],
)
def test_title_filter_matches_word_beginnings(query: str, expected: bool) -> None:
    assert title_matches(TITLE, query) is expected
