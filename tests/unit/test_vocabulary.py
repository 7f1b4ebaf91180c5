"""The articles' words (index/vocabulary.py): real rapidfuzz and the real English word list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from index.vocabulary import CorpusVocabulary, english_words, fold

pytestmark = pytest.mark.unit

TEXTS = [
    "Alberto Youssef was jailed in Curitiba. Youssef’s lawyer said he would appeal.",
    "Gloria Steinem spoke in Florida; the Köppen map shows Florida's climate.",
    "The youssef family (lower case once) and Gloria again.",
]


def test_words_are_known_folded_for_case_accents_and_possessives() -> None:
    vocabulary = CorpusVocabulary(TEXTS)
    assert vocabulary.knows("YOUSSEF") and vocabulary.knows("Youssef's")
    assert vocabulary.knows("Koppen")  # the articles say "Köppen"
    assert vocabulary.knows("harmed")  # a common English word the articles do not hold
    assert not vocabulary.knows("Youseff")
    assert fold("Köppen’s") == "koppen"


def test_a_prefix_is_held_when_an_article_word_begins_with_it_folded() -> None:
    vocabulary = CorpusVocabulary(TEXTS)
    assert vocabulary.holds_prefix("Curit") and vocabulary.holds_prefix("Curitiba")
    assert vocabulary.holds_prefix("KOPP")  # the articles say "Köppen"
    assert vocabulary.holds_prefix("Florida")  # "Florida's" is held as "florida"
    assert not vocabulary.holds_prefix("harme")  # English, but in no article
    assert not vocabulary.holds_prefix("Curitibas") and not vocabulary.holds_prefix("zz")


def test_the_nearest_word_is_within_the_edits_allowed_and_spelt_as_the_articles_spell_it() -> None:
    vocabulary = CorpusVocabulary(TEXTS)
    assert vocabulary.nearest("youseff", 2) == "Youssef"  # "Youssef" twice, "youssef" once
    assert vocabulary.nearest("Youseff", 1) is None  # two edits away
    assert vocabulary.nearest("Curitbia", 1) == "Curitiba"  # two letters swapped: one edit
    assert vocabulary.nearest("Zanzibar", 2) is None


def test_a_tie_goes_to_the_word_with_the_same_first_letter() -> None:
    # "Glorida" is one edit from both "Gloria" and "Florida"; Florida is the commoner here
    vocabulary = CorpusVocabulary(TEXTS)
    assert vocabulary.nearest("Glorida", 1) == "Gloria"


def test_the_articles_are_read_once_when_the_vocabulary_is_built() -> None:
    read: list[str] = []

    def texts() -> Iterator[str]:
        for text in TEXTS:
            read.append(text)
            yield text

    vocabulary = CorpusVocabulary(texts())
    assert len(read) == len(TEXTS)  # counted when the index is opened, not on a question
    assert vocabulary.knows("Youssef") and vocabulary.knows("Steinem")
    assert vocabulary.nearest("Youseff", 2) == vocabulary.nearest("Youseff", 2) == "Youssef"
    assert len(read) == len(TEXTS)


def test_words_within_the_edits_allowed_are_found_at_either_length() -> None:
    # only words of a length within the allowed edits are compared; none of those is missed
    vocabulary = CorpusVocabulary(TEXTS)
    assert vocabulary.nearest("Curit", 2) is None
    assert vocabulary.nearest("Curitib", 1) == "Curitiba"  # one longer: still compared
    assert vocabulary.nearest("Curitibaa", 1) == "Curitiba"  # one shorter: still compared


def test_the_english_list_is_the_packaged_one() -> None:
    words = english_words()
    assert len(words) > 80_000
    assert {"harmed", "erected", "nightlife"} <= words
    assert "connectitcut" not in words
