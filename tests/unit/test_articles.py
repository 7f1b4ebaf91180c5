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


def test_a_symbol_in_the_filter_is_found_in_the_title() -> None:
    # an emoji or a currency sign holds no word, but is no reason to list every article
    assert title_matches("Harbour 🌉 bridge reopens", "🌉")
    assert title_matches("Harbour 🌉 bridge reopens", "harb 🌉")
    assert not title_matches(TITLE, "🌉")
    assert not title_matches(TITLE, "korea €")


@pytest.mark.parametrize(
    ("title", "query"),
    [("Kraków tram drivers win a pay rise", "krakow tram"), ("Lyon cafe reopens", "café")],
)
def test_the_title_filter_ignores_accents_both_ways(title: str, query: str) -> None:
    assert title_matches(title, query)
    assert not title_matches(title, "krakau")


def test_a_new_id_takes_the_accents_off_the_title() -> None:
    from qa.articles import new_doc_id

    assert new_doc_id("Kraków tram drivers", "x").startswith("krakow-tram-drivers-")
    assert new_doc_id("Bäckerei Schröder schließt", "x").startswith("backerei-schroder-schliesst-")
    assert new_doc_id(None, "Zoë Łukasik reports from Rostock.").startswith("zoe-lukasik-")
