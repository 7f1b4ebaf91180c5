"""Unit tests for qa.retrieval: rank fusion, near-duplicate collapse, the hybrid Retriever."""

from __future__ import annotations

import pytest

from qa.retrieval import (
    Retriever,
    collapse_near_duplicates,
    in_articles,
    reciprocal_rank_fusion,
)
from qa.settings import RetrievalSettings
from tests.fakes import HashingEmbedder, build_corpus, make_retriever

ARTICLES = {
    "lighthouse": (
        "Harbour town votes to rebuild its old lighthouse\n\n"
        "The council of Port Alder approved the lighthouse plan on Tuesday.\n\n"
        "The rebuilding will cost 4,200,000 dollars from a heritage fund."
    ),
    "orchard": (
        "Frost damages apple orchards\n\n"
        "A late frost destroyed about 3,000 tonnes of apples in the Brenna valley.\n\n"
        "Growers asked the province for help to replant damaged trees."
    ),
    "choir": (
        "Village choir wins national title\n\n"
        "The Elmsby choir won the national folk singing contest on Saturday."
    ),
}


# --- reciprocal rank fusion -----------------------------------------------------------------


@pytest.mark.unit
def test_rrf_sums_reciprocal_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([[7, 3], [3, 9]], k=10))
    assert fused[3] == pytest.approx(1 / 12 + 1 / 11)
    assert fused[7] == pytest.approx(1 / 11)
    assert fused[9] == pytest.approx(1 / 12)


@pytest.mark.unit
def test_rrf_orders_best_first() -> None:
    fused = reciprocal_rank_fusion([[7, 3], [3, 9]], k=10)
    assert [item for item, _ in fused] == [3, 7, 9]
    scores = [score for _, score in fused]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.unit
def test_rrf_ties_are_broken_by_smaller_item() -> None:
    # 5 and 2 both rank first once; 8 and 4 both rank second once
    fused = reciprocal_rank_fusion([[5, 8], [2, 4]], k=60)
    assert [item for item, _ in fused] == [2, 5, 4, 8]
    assert fused[0][1] == fused[1][1] == pytest.approx(1 / 61)


@pytest.mark.unit
def test_rrf_item_in_both_rankings_beats_item_first_in_one() -> None:
    fused = reciprocal_rank_fusion([[1, 2], [3, 2]], k=60)
    assert fused[0][0] == 2


@pytest.mark.unit
def test_rrf_k_damps_the_rank_difference() -> None:
    sharp = dict(reciprocal_rank_fusion([[1, 2]], k=1))
    flat = dict(reciprocal_rank_fusion([[1, 2]], k=1000))
    assert sharp[1] / sharp[2] > flat[1] / flat[2] > 1


@pytest.mark.unit
def test_rrf_of_nothing_is_empty() -> None:
    assert reciprocal_rank_fusion([[], []], k=60) == []


# --- near duplicates ------------------------------------------------------------------------


# 1 is a near-copy of 4; 6 is about something else
FERRY_AND_COPY = {
    4: "The ferry to Skarra resumed service on Monday after storms.",
    1: "The ferry to Skarra resumed its service on Monday, after the storms.",
    6: "Apple growers in the valley lost their harvest to frost.",
}


@pytest.mark.unit
def test_collapse_keeps_the_first_of_near_duplicates() -> None:
    texts = FERRY_AND_COPY
    assert collapse_near_duplicates([4, 1, 6], texts, threshold=0.9) == [4, 6]
    assert collapse_near_duplicates([1, 4, 6], texts, threshold=0.9) == [1, 6]


@pytest.mark.unit
def test_collapse_keeps_distinct_paragraphs_in_order() -> None:
    texts = {
        0: "The ferry to Skarra resumed service on Monday.",
        1: "The ferry to Skarra was cancelled on Friday because of fog.",
        2: "Apple growers lost their harvest to frost.",
    }
    assert collapse_near_duplicates([2, 0, 1], texts, threshold=0.9) == [2, 0, 1]


@pytest.mark.unit
def test_collapse_with_a_limit_stops_once_that_many_are_kept() -> None:
    texts = {**FERRY_AND_COPY, 3: "The choir won the national title on Saturday."}
    # the copy of 4 is skipped, not counted: the limit is of paragraphs kept
    assert collapse_near_duplicates([4, 1, 6, 3], texts, threshold=0.9, limit=2) == [4, 6]
    assert collapse_near_duplicates([4, 1, 6, 3], texts, threshold=0.9, limit=9) == [4, 6, 3]


@pytest.mark.unit
def test_collapse_threshold_decides() -> None:
    texts = {0: "ferry harbour storm", 1: "ferry harbour island"}  # Jaccard 2/4
    assert collapse_near_duplicates([0, 1], texts, threshold=0.5) == [0]
    assert collapse_near_duplicates([0, 1], texts, threshold=0.51) == [0, 1]


# --- the Retriever --------------------------------------------------------------------------


@pytest.mark.unit
def test_retriever_finds_the_paragraph_sharing_the_question_words() -> None:
    corpus, retriever, _ = build_corpus(ARTICLES)
    retrieval = retriever.retrieve("How many tonnes of apples did the frost destroy?")
    best = retrieval.hits[0].paragraph
    assert best.doc_id == "orchard"
    assert "3,000 tonnes" in best.text
    assert best.dense_score is not None and best.dense_score > 0.3
    assert best.lexical_score is not None and best.lexical_score > 0
    assert retrieval.hits[0].row == corpus.paragraphs.index(
        next(p for p in corpus.paragraphs if p.paragraph_id == best.paragraph_id)
    )


@pytest.mark.unit
def test_retriever_hits_are_fused_scores_best_first() -> None:
    _, retriever, _ = build_corpus(ARTICLES)
    hits = retriever.retrieve("lighthouse council plan").hits
    scores = [h.paragraph.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert len({h.row for h in hits}) == len(hits)
    assert hits[0].paragraph.doc_id == "lighthouse"
    # only paragraphs BM25 found have a lexical score; FAISS scores every paragraph here
    assert all(h.paragraph.dense_score is not None for h in hits)
    assert any(h.paragraph.lexical_score is None for h in hits)


@pytest.mark.unit
def test_retriever_query_vector_is_the_embedded_question() -> None:
    _, retriever, embedder = build_corpus(ARTICLES)
    question = "Which choir won the singing contest?"
    retrieval = retriever.retrieve(question)
    assert retrieval.query_vector.shape == (embedder.dimension,)
    assert retrieval.query_vector.tolist() == embedder.embed([question])[0].tolist()


@pytest.mark.unit
def test_retriever_respects_top_k() -> None:
    corpus, retriever, _ = build_corpus(ARTICLES, RetrievalSettings(top_k=2))
    assert len(corpus.paragraphs) == 5
    assert len(retriever.retrieve("frost apples").hits) == 2
    assert len(retriever.retrieve("frost apples", top_k=4).hits) == 4


@pytest.mark.unit
def test_retriever_collapses_near_duplicate_paragraphs() -> None:
    copy = dict(ARTICLES, orchard_copy=ARTICLES["orchard"].replace("Frost", "Cold"))
    corpus, retriever, _ = build_corpus(copy)
    hits = retriever.retrieve("How many tonnes of apples did the frost destroy?").hits
    texts = [h.paragraph.text for h in hits]
    assert sum("3,000 tonnes" in t for t in texts) == 1
    assert sum("3,000 tonnes" in p.text for p in corpus.paragraphs) == 2


@pytest.mark.unit
def test_retriever_over_an_empty_corpus_finds_nothing() -> None:
    corpus, _, embedder = build_corpus({})
    retriever = Retriever(
        embedder=embedder,
        dense=corpus.dense,
        lexical=corpus.lexical,
        paragraphs=corpus.paragraphs,
        settings=RetrievalSettings(),
    )
    assert retriever.retrieve("anything at all").hits == []


@pytest.mark.unit
def test_hashing_embedder_gives_shared_words_a_high_cosine() -> None:
    embedder = HashingEmbedder()
    a, b, c, empty = embedder.embed(
        ["apple frost valley", "frost destroyed apples in the valley", "choir singing", "the of"]
    )
    assert float(a @ b) > 0.7
    assert float(a @ c) < 0.3
    assert float(a @ a) == pytest.approx(1.0)
    assert not empty.any()


@pytest.mark.unit
def test_a_restricted_search_counts_every_article_in_its_total() -> None:
    corpus, retriever, embedder = build_corpus(ARTICLES)
    searched = sorted({p.doc_id for p in corpus.paragraphs})
    first = corpus.paragraphs[0]
    # one more article, whose every paragraph repeats another's: in no searched row
    stand_ins = [first.model_copy(update={"doc_id": d}) for d in [*searched, "copy"]]
    counted = make_retriever(corpus, embedder, articles=stand_ins)
    asked = in_articles([first.doc_id, "copy"], {*searched, "copy"})
    assert counted.restricted(asked).articles_kept() == (2, len(searched) + 1)
    assert retriever.restricted(asked).articles_kept() == (1, len(searched))
