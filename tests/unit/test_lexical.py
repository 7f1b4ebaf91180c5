"""Unit tests for qa.lexical: token normalisation, content words, IDF, coverage, Jaccard."""

from __future__ import annotations

import math
import re
import sys
import unicodedata

import pytest

from qa.lexical import (
    CURRENCY_SIGNS,
    FUNCTION_WORDS,
    content_terms,
    coverage,
    fold_latin,
    idf_weights,
    jaccard,
    matched_spans,
    normalise_token,
    words,
    written_out_amounts,
)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("12,000", "12000"),
        ("12000", "12000"),
        ("1,250,000", "1250000"),
        ("2024.", "2024"),
        ("3.5", "3.5"),
        ("three", "3"),
        ("Three", "3"),
        ("twelve", "12"),
        ("million", "1000000"),
        ("Lighthouse", "lighthouse"),
        ("keeper's", "keeper"),
        ("Keeper’s", "keeper"),
    ],
)
def test_normalise_token(token: str, expected: str) -> None:
    assert normalise_token(token) == expected


@pytest.mark.unit
def test_number_forms_are_the_same_word() -> None:
    assert words("12,000 sheep") == words("12000 sheep") == ["12000", "sheep"]
    assert words("three boats") == words("3 boats") == ["3", "boats"]


@pytest.mark.unit
def test_words_keep_function_words_and_strip_punctuation() -> None:
    assert words("The keeper's dog, Brill, barked!") == ["the", "keeper", "dog", "brill", "barked"]


@pytest.mark.unit
def test_trailing_full_stop_is_not_part_of_a_number() -> None:
    assert words("They counted 1,500.") == ["they", "counted", "1500"]


@pytest.mark.unit
def test_possessive_matches_plain_name() -> None:
    assert content_terms("Ingrid Talvik's boat") == content_terms("Ingrid Talvik boat")
    assert content_terms("Talvik’s") == content_terms("Talvik")


@pytest.mark.unit
def test_content_terms_drop_function_and_question_words() -> None:
    assert content_terms("What did they say about it and when?") == []
    terms = content_terms("What did the keeper say about the storm?")
    assert terms == content_terms("keeper storm")
    assert len(terms) == 2
    assert not set(terms) & {"what", "did", "the", "about", "say"}


@pytest.mark.unit
def test_content_terms_are_stemmed() -> None:
    assert content_terms("boats sailing") == content_terms("boat sailed")
    assert content_terms("Boats") == content_terms("boat")


@pytest.mark.unit
def test_content_terms_normalise_numbers() -> None:
    assert content_terms("twelve boats and 3,000 nets") == content_terms("12 boat 3000 net")


@pytest.mark.unit
def test_function_word_list_covers_question_words() -> None:
    assert {"what", "when", "who", "how", "why", "which", "where", "the", "of"} <= FUNCTION_WORDS
    assert "lighthouse" not in FUNCTION_WORDS


@pytest.mark.unit
def test_idf_unseen_term_gets_largest_weight_and_rare_beats_common() -> None:
    doc_freq = {"common": 9, "rare": 1}
    weights = idf_weights(doc_freq, 10, ["common", "rare", "unseen"])
    assert weights["unseen"] > weights["rare"] > weights["common"] > 0
    assert weights["rare"] == pytest.approx(math.log(1 + 11 / 1.5))


@pytest.mark.unit
def test_idf_weights_only_the_asked_terms_once_each() -> None:
    weights = idf_weights({"a": 1, "b": 2}, 5, ["b", "b", "c"])
    assert set(weights) == {"b", "c"}


@pytest.mark.unit
def test_coverage_is_the_weighted_share_found() -> None:
    weights = {"rare": 3.0, "common": 1.0}
    assert coverage(["rare", "common"], {"rare"}, weights) == pytest.approx(0.75)
    assert coverage(["rare", "common"], {"common"}, weights) == pytest.approx(0.25)
    assert coverage(["rare", "common"], {"rare", "common", "other"}, weights) == 1.0
    assert coverage(["rare", "common"], set(), weights) == 0.0


@pytest.mark.unit
def test_coverage_counts_repeated_needles_once_and_defaults_weight_to_one() -> None:
    assert coverage(["x", "x", "y"], {"x"}, {}) == pytest.approx(0.5)


@pytest.mark.unit
def test_coverage_of_nothing_is_full() -> None:
    assert coverage([], {"anything"}, {}) == 1.0


@pytest.mark.unit
def test_jaccard() -> None:
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard({"a"}, {"a"}) == 1.0
    assert jaccard({"a"}, {"b"}) == 0.0
    assert jaccard(set(), set()) == 1.0


@pytest.mark.unit
def test_latin_words_match_without_their_accents_and_other_scripts_keep_theirs() -> None:
    assert content_terms("Kraków, Łódź and Sønderborg") == content_terms("Krakow, Lodz, Sonderborg")
    assert normalise_token("Straße") == "strasse"
    assert fold_latin("Café in Kraków; Йошкар-Ола, 東京") == "Cafe in Krakow; Йошкар-Ола, 東京"


def _marked(query: str, text: str) -> list[str]:
    return [text[start:end] for start, end in matched_spans(query, text)]


@pytest.mark.unit
def test_the_words_a_search_matched_are_found_in_their_other_forms() -> None:
    text = "A drone flew over Kraków twice; the drones were shot down near the border."
    assert _marked("Drones over Krakow?", text) == ["drone", "Kraków", "drones"]


@pytest.mark.unit
def test_neighbouring_matched_words_are_one_span_and_function_words_are_not_marked() -> None:
    text = "Kim Jong Un meets the Russian leader in Pyongyang, said the state-run agency."
    assert _marked("When did Kim Jong Un meet the state-run agency?", text) == [
        "Kim Jong Un meets",
        "state-run agency",
    ]
    assert _marked("the of what", text) == []
    assert _marked("tram", "") == []


@pytest.mark.unit
def test_matched_spans_are_offsets_into_the_text() -> None:
    text = "Fire at the bakery: the bakery’s ovens, 12,000 loaves."
    spans = matched_spans("bakery fires 12000", text)
    assert [text[a:b] for a, b in spans] == ["Fire", "bakery", "bakery’s", "12,000"]
    assert all(0 <= a < b <= len(text) for a, b in spans)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("short", "written"),
    [
        ("£620m", "£620 million"),
        ("£620mn", "£620 million"),
        ("$5M", "$5 million"),
        ("$3bn", "$3 billion"),
        ("$3B", "$3 billion"),
        ("US$3bn", "US$3 billion"),
        ("€1.2bn", "€1.2 billion"),
        ("¥2.5tn", "¥2.5 trillion"),
        ("3bn people", "3 billion people"),
        ("2.5tn", "2.5 trillion"),
        ("£45k", "£45,000"),
        ("$10K", "$10,000"),
        ("£1.1k", "£1,100"),
        ("£1,200m", "£1,200 million"),
        ("a £3m-a-year deal.", "a £3 million-a-year deal."),
    ],
)
def test_an_amount_written_short_is_read_as_written_out(short: str, written: str) -> None:
    assert written_out_amounts(short) == written
    assert words(short) == words(written)
    assert content_terms(f"It cost {short} in all") == content_terms(f"It cost {written} in all")


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "the 100m sprint",  # metres: "m" without a currency sign is left alone
        "a height of 4m",
        "a 5k race",
        "a 4K television",
        "3M tape",
        "a 401k plan",
        "Figure 3b",
        "3D",
        "4G",
        "COVID-19",
        "F1",
        "m2",
        "at 5pm",
        "10km",
        "5mm",
        "the 5,000m final",
        "x3bn",  # inside a word
        "£3-4m",  # a range: only a figure right after the sign is read
        "£1.2.3k",  # no figure
        "£620 million",
    ],
)
def test_what_is_not_an_amount_written_short_is_left_as_it_is(text: str) -> None:
    assert written_out_amounts(text) == text


@pytest.mark.unit
def test_an_amount_written_short_is_marked_whole_in_either_form() -> None:
    assert matched_spans("£620m", "It cost £620 million in all.") == [(9, 20)]
    assert matched_spans("£620 million", "It cost £620m in all.") == [(9, 13)]
    assert matched_spans("620", "It cost £620m in all.") == [(9, 13)]


@pytest.mark.unit
def test_the_currency_signs_are_unicodes() -> None:
    signs = re.compile(f"[{CURRENCY_SIGNS}]")
    every = (chr(code) for code in range(sys.maxunicode + 1))
    assert {c for c in every if signs.fullmatch(c)} == {
        chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Sc"
    }
