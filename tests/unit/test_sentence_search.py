"""Unit tests for index.sentence_search: paragraphs scored by their best sentence as well."""

from __future__ import annotations

import numpy as np
import pytest

from index.loaded import vector_search
from index.sentence_search import BestSentenceSearch
from qa.settings import RetrievalSettings
from tests.fakes import build_corpus


class FixedSearch:
    """A paragraph search with set answers: (row, cosine) best first."""

    def __init__(self, hits: list[tuple[int, float]]) -> None:
        self.hits = hits
        self.asked: list[int] = []

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        self.asked.append(k)
        return self.hits[:k]


def unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


QUERY = unit(1, 0, 0)
# paragraph 0: two sentences, the second matches the query exactly
# paragraph 1: one sentence, half-way
# paragraph 2: one sentence, unrelated
SENTENCES = np.stack([unit(0, 1, 0), unit(1, 0, 0), unit(1, 1, 0), unit(0, 0, 1)])
ROWS = [0, 0, 1, 2]


@pytest.mark.unit
def test_a_paragraph_scores_its_best_sentence() -> None:
    # the paragraph vectors put 1 first; paragraph 0's own vector is diluted (0.5)
    search = BestSentenceSearch(FixedSearch([(1, 0.8), (0, 0.5), (2, 0.1)]), SENTENCES, ROWS)
    hits = search.search(QUERY, 3)
    assert [row for row, _ in hits] == [0, 1, 2]
    assert dict(hits)[0] == pytest.approx(1.0)
    # the paragraph's own cosine stays where it is the better one
    assert dict(hits)[1] == pytest.approx(0.8)
    assert dict(hits)[2] == pytest.approx(0.1)


@pytest.mark.unit
def test_a_paragraph_found_only_by_a_sentence_joins_the_list() -> None:
    search = BestSentenceSearch(FixedSearch([(1, 0.8)]), SENTENCES, ROWS)
    hits = search.search(QUERY, 2)
    assert [row for row, _ in hits] == [0, 1]


@pytest.mark.unit
def test_k_is_kept_and_the_order_is_best_first() -> None:
    search = BestSentenceSearch(FixedSearch([(2, 0.9), (1, 0.8), (0, 0.5)]), SENTENCES, ROWS)
    hits = search.search(QUERY, 2)
    assert len(hits) == 2
    assert [row for row, _ in hits] == [0, 2]
    scores = [score for _, score in search.search(QUERY, 10)]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.unit
def test_ties_go_to_the_earlier_row() -> None:
    sentences = np.stack([unit(1, 0, 0), unit(1, 0, 0)])
    search = BestSentenceSearch(FixedSearch([]), sentences, [3, 5])
    assert [row for row, _ in search.search(QUERY, 2)] == [3, 5]


@pytest.mark.unit
def test_no_sentences_is_the_paragraph_search() -> None:
    hits = [(4, 0.7), (2, 0.3)]
    search = BestSentenceSearch(FixedSearch(hits), np.zeros((0, 3), np.float32), [])
    assert search.search(QUERY, 2) == hits


@pytest.mark.unit
def test_rows_out_of_order_or_miscounted_are_refused() -> None:
    with pytest.raises(ValueError, match="ordered"):
        BestSentenceSearch(FixedSearch([]), SENTENCES, [1, 0, 1, 2])
    with pytest.raises(ValueError, match="3 sentence rows for 4"):
        BestSentenceSearch(FixedSearch([]), SENTENCES, [0, 0, 1])


ARTICLES = {
    "harbour": (
        "Harbour town votes on its lighthouse\n\n"
        "The council met for four hours on Tuesday evening and heard from residents, "
        "fishermen, shop owners and the heritage society about roads, parking and schools. "
        "The rebuilding of the lighthouse will cost 4,200,000 dollars from a heritage fund. "
        "A vote on the school budget was put off until next month after a long debate."
    ),
    "orchard": (
        "Frost damages apple orchards\n\n"
        "A late frost destroyed about 3,000 tonnes of apples in the Brenna valley."
    ),
}


@pytest.mark.unit
def test_the_setting_chooses_the_search_over_a_real_index() -> None:
    corpus, _, embedder = build_corpus(ARTICLES)
    on = vector_search(corpus, RetrievalSettings())
    off = vector_search(corpus, RetrievalSettings(sentence_scores=False))
    assert isinstance(on, BestSentenceSearch)
    assert off is corpus.dense
    query = embedder.embed(["How much will the rebuilding of the lighthouse cost?"])[0]
    row = next(i for i, p in enumerate(corpus.paragraphs) if "4,200,000" in p.text)
    sentence = next(
        i for i, ref in enumerate(corpus.sentences)
        if ref.row == row and "4,200,000" in corpus.sentence_text(i)
    )  # fmt: skip
    expected = float(corpus.sentence_vectors[sentence] @ query)
    # the long paragraph scores as its matching sentence does, above its own diluted vector
    assert dict(on.search(query, 5))[row] == pytest.approx(expected, abs=1e-5)
    assert dict(off.search(query, 5))[row] < expected


@pytest.mark.unit
def test_over_the_cap_the_paragraph_vectors_are_searched_alone() -> None:
    corpus, _, _ = build_corpus(ARTICLES)
    sentences = len(corpus.sentences)
    assert (
        vector_search(corpus, RetrievalSettings(sentence_scores_max=sentences)) is not corpus.dense
    )
    assert (
        vector_search(corpus, RetrievalSettings(sentence_scores_max=sentences - 1)) is corpus.dense
    )
