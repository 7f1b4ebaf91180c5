"""Keyword search (index/bm25_store.py): words of Latin script are read without accents."""

from __future__ import annotations

from pathlib import Path

import bm25s
import pytest
import Stemmer

from index.bm25_store import BM25Store

pytestmark = pytest.mark.unit

TEXTS = [
    "The tram line in Kraków opened on Sunday after two years of work.",
    "Frost damaged the apple orchards of Sønderborg this spring.",
    "Москва объявила новые правила для такси.",
    "The harbour reopened on Monday after the storm.",
]


@pytest.mark.parametrize(
    ("query", "row"),
    [
        ("Krakow", 0),
        ("Kraków", 0),
        ("Sonderborg", 1),
        ("SØNDERBORG", 1),
        ("Москва такси", 2),  # another script: read as it is
    ],
)
def test_a_name_typed_with_or_without_its_accents_finds_the_paragraph(
    tmp_path: Path, query: str, row: int
) -> None:
    store = BM25Store.build(TEXTS)
    assert store.search(query, k=1)[0][0] == row
    store.save(tmp_path / "bm25")
    loaded = BM25Store.load(tmp_path / "bm25", len(TEXTS))
    assert loaded.folds_accents and loaded.search(query, k=1)[0][0] == row


def test_an_index_saved_before_accents_were_dropped_is_searched_as_it_was_built(
    tmp_path: Path,
) -> None:
    retriever = bm25s.BM25()  # as BM25Store.build was: the words with their accents
    stemmer = Stemmer.Stemmer("english")
    retriever.index(bm25s.tokenize(TEXTS, stopwords="en", stemmer=stemmer, show_progress=False))
    retriever.save(str(tmp_path / "bm25"))
    old = BM25Store.load(tmp_path / "bm25", len(TEXTS))
    assert not old.folds_accents
    assert old.search("Kraków", k=1)[0][0] == 0  # not read as "krakow", which it lacks
    assert old.search("Krakow", k=1) == []  # as it always was: rebuild to find it
