"""Keyword search (index/bm25_store.py): words of Latin script are read without accents."""

from __future__ import annotations

from pathlib import Path

import bm25s
import pytest
import Stemmer

from index.bm25_store import BM25Store
from qa.lexical import written_out_amounts

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


AMOUNTS = [
    "The council agreed a £620 million budget for the new tram line.",
    "The utility will spend $3bn on the grid and €1.2bn on storage.",
    "The harbour reopened on Monday after the storm.",
    "She won the 100m sprint in the rain.",
]


@pytest.mark.parametrize(
    ("query", "row"),
    [
        ("£620m budget", 0),
        ("$3 billion grid", 1),
        ("€1.2 billion storage", 1),
    ],
)
def test_an_amount_written_short_finds_it_written_out_and_the_reverse(
    tmp_path: Path, query: str, row: int
) -> None:
    store = BM25Store.build(AMOUNTS)
    assert [r for r, _ in store.search(query, k=4)][:1] == [row]
    store.save(tmp_path / "bm25")
    loaded = BM25Store.load(tmp_path / "bm25", len(AMOUNTS))
    assert loaded.writes_out_amounts and loaded.folds_accents
    assert [r for r, _ in loaded.search(query, k=4)][:1] == [row]


def test_the_short_form_alone_finds_the_written_out_amount() -> None:
    store = BM25Store.build(AMOUNTS)
    assert [r for r, _ in store.search("620m", k=4)] == []  # a bare "m" may be metres
    assert [r for r, _ in store.search("£620m", k=4)] == [0]
    assert [r for r, _ in store.search("100m", k=4)] == [3]  # the sprint is not "100 million"


def test_an_amount_written_without_its_sign_finds_the_same_short_form() -> None:
    """Before amounts were written out, "620m" (a question that leaves out the sign) found an
    article's "£620m" by its token "620m"; written out alone, that paragraph had no such token
    and was not found. The short form is kept beside the written-out one."""
    texts = ["A £620m budget for the tram line.", *AMOUNTS[1:]]
    store = BM25Store.build(texts)
    assert [r for r, _ in store.search("620m", k=4)] == [0]
    assert [r for r, _ in store.search("£620 million", k=4)] == [0]


def test_an_index_saved_with_amounts_written_out_alone_is_searched_as_it_was_built(
    tmp_path: Path,
) -> None:
    texts = ["A £620m budget for the tram line.", *AMOUNTS[1:]]
    retriever = bm25s.BM25()  # "£620m" read as "620 million" alone
    stemmer = Stemmer.Stemmer("english")
    read = [written_out_amounts(t) for t in texts]
    retriever.index(bm25s.tokenize(read, stopwords="en", stemmer=stemmer, show_progress=False))
    retriever.save(str(tmp_path / "bm25"))
    reading = '{"accents": "folded", "amounts": "written out"}\n'
    (tmp_path / "bm25" / "reading.json").write_text(reading, "utf-8")
    old = BM25Store.load(tmp_path / "bm25", len(texts))
    assert old.writes_out_amounts and not old.keeps_short_amounts
    assert [r for r, _ in old.search("£620m", k=4)] == [0]
    assert old.search("620m", k=4) == []  # as it was built: rebuild to find it
    old.save(tmp_path / "again")
    assert not BM25Store.load(tmp_path / "again", len(texts)).keeps_short_amounts


def test_an_index_saved_before_amounts_were_written_out_is_searched_as_it_was_built(
    tmp_path: Path,
) -> None:
    texts = ["A £620m budget for the tram line.", *AMOUNTS[1:]]
    retriever = bm25s.BM25()  # as BM25Store.build was: accents folded, "£620m" the token "620m"
    stemmer = Stemmer.Stemmer("english")
    retriever.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False))
    retriever.save(str(tmp_path / "bm25"))
    (tmp_path / "bm25" / "reading.json").write_text('{"accents": "folded"}\n', "utf-8")
    old = BM25Store.load(tmp_path / "bm25", len(texts))
    assert old.folds_accents and not old.writes_out_amounts
    assert [r for r, _ in old.search("£620m", k=4)] == [0]  # its token "620m", read so
    assert old.search("£620 million", k=4) == []  # as it always was: rebuild to find it
