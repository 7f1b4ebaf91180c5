"""Unit tests for the FAISS store: exact or HNSW by size, what a saved index says it is."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest
from pydantic import ValidationError

from index.faiss_store import FaissStore, choose_kind, ivf_lists
from qa.interfaces import Vectors
from qa.settings import IndexSettings


def unit_vectors(count: int, dimension: int = 32, seed: int = 0) -> Vectors:
    """Clustered unit vectors: 20 random centres, each point a noisy copy of one."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((20, dimension))
    points = centres[rng.integers(0, 20, count)] + 0.6 * rng.standard_normal((count, dimension))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return points.astype(np.float32)


def exact_top(vectors: Vectors, query: Vectors, k: int) -> list[int]:
    return [int(i) for i in np.argsort(-(vectors @ query), kind="stable")[:k]]


SMALL_GRAPH = IndexSettings(
    exact_search_max_paragraphs=100, approximate_index="hnsw", hnsw_m=16, hnsw_ef_search=48
)
SMALL_IVF = IndexSettings(exact_search_max_paragraphs=100, ivf_probe=8)
APPROXIMATE = [pytest.param(SMALL_IVF, id="ivf"), pytest.param(SMALL_GRAPH, id="hnsw")]


@pytest.mark.unit
def test_kind_follows_the_size_threshold() -> None:
    settings = IndexSettings(exact_search_max_paragraphs=100)
    assert choose_kind(0, settings) == "flat"
    assert choose_kind(100, settings) == "flat"
    assert choose_kind(101, settings) == "ivf"
    assert choose_kind(101, settings.model_copy(update={"approximate_index": "hnsw"})) == "hnsw"


@pytest.mark.unit
def test_ivf_list_count_grows_with_the_square_root_and_never_exceeds_the_paragraphs() -> None:
    assert ivf_lists(1_000_000, IndexSettings()) == 4000
    assert ivf_lists(10_000, IndexSettings()) == 400
    assert ivf_lists(3, IndexSettings(ivf_lists=50)) == 3
    assert ivf_lists(500, IndexSettings(ivf_lists=20)) == 20


@pytest.mark.unit
def test_small_corpus_gets_exact_search_with_exact_results() -> None:
    vectors = unit_vectors(300)
    store = FaissStore.build(vectors)  # default threshold is far above 300
    assert store.info.kind == "flat"
    assert store.info.hnsw_m is None
    query = vectors[7]
    found = store.search(query, 10)
    assert [row for row, _ in found] == exact_top(vectors, query, 10)
    assert found[0] == (7, pytest.approx(1.0, abs=1e-5))
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.unit
def test_large_corpus_gets_hnsw_with_the_configured_parameters() -> None:
    store = FaissStore.build(unit_vectors(500), SMALL_GRAPH)
    info = store.info
    assert (info.kind, info.vectors, info.dimension) == ("hnsw", 500, 32)
    assert (info.hnsw_m, info.hnsw_ef_search) == (16, 48)
    assert info.hnsw_ef_construction == SMALL_GRAPH.hnsw_ef_construction


@pytest.mark.unit
def test_large_corpus_gets_ivf_by_default_with_its_lists_and_probes() -> None:
    store = FaissStore.build(unit_vectors(500), SMALL_IVF)
    info = store.info
    assert (info.kind, info.vectors, info.dimension) == ("ivf", 500, 32)
    assert (info.ivf_lists, info.ivf_probe) == (ivf_lists(500, SMALL_IVF), 8)
    assert info.hnsw_m is None


@pytest.mark.unit
@pytest.mark.parametrize("settings", APPROXIMATE)
def test_approximate_search_finds_nearly_what_exact_search_finds(settings: IndexSettings) -> None:
    held_out = unit_vectors(2050, seed=1)  # queries from the same clusters as the index
    vectors, queries = held_out[:2000], held_out[2000:]
    store = FaissStore.build(vectors, settings)
    hits = 0
    for query in queries:
        found = {row for row, _ in store.search(query, 10)}
        hits += len(found & set(exact_top(vectors, query, 10)))
    assert hits / (10 * len(queries)) >= 0.95


@pytest.mark.unit
def test_hnsw_returns_k_results_even_when_k_exceeds_ef_search() -> None:
    narrow = IndexSettings(
        exact_search_max_paragraphs=10, approximate_index="hnsw", hnsw_m=8, hnsw_ef_search=8
    )
    store = FaissStore.build(unit_vectors(400), narrow)
    found = store.search(unit_vectors(1, seed=5)[0], 40)
    assert len(found) == 40
    assert len({row for row, _ in found}) == 40


@pytest.mark.unit
@pytest.mark.parametrize(
    "settings", [IndexSettings(), SMALL_IVF, SMALL_GRAPH], ids=["flat", "ivf", "hnsw"]
)
def test_saved_index_loads_as_what_it_was_built(tmp_path: Path, settings: IndexSettings) -> None:
    vectors = unit_vectors(400, seed=3)
    built = FaissStore.build(vectors, settings)
    built.save(tmp_path / "paragraphs.faiss")
    loaded = FaissStore.load(tmp_path / "paragraphs.faiss")
    assert loaded.info == built.info
    for query in unit_vectors(5, seed=4):
        assert loaded.search(query, 10) == built.search(query, 10)


@pytest.mark.unit
def test_empty_store_finds_nothing() -> None:
    store = FaissStore.build(np.zeros((0, 16), dtype=np.float32))
    assert len(store) == 0
    assert store.search(np.ones(16, dtype=np.float32), 5) == []


@pytest.mark.unit
def test_index_of_another_metric_is_refused(tmp_path: Path) -> None:
    l2 = faiss.IndexHNSWFlat(8, 8)  # a supported type, but L2 distance: not a cosine
    l2.add(unit_vectors(5, dimension=8))
    faiss.write_index(l2, str(tmp_path / "l2.faiss"))
    with pytest.raises(ValueError, match="inner product"):
        FaissStore.load(tmp_path / "l2.faiss")


@pytest.mark.unit
def test_hnsw_settings_are_range_checked() -> None:
    with pytest.raises(ValidationError):
        IndexSettings(hnsw_m=2)
    with pytest.raises(ValidationError):
        IndexSettings(exact_search_max_paragraphs=-1)
