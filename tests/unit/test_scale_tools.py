"""Unit tests for the scale-run helpers: the synthetic corpus and the synthetic vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.corpus import read_corpus
from qa.paragraphs import split_paragraphs
from tests.scripts import load_script

synthetic = load_script("synthetic_corpus")
scale = load_script("scale_benchmark")


@pytest.mark.unit
def test_paragraphs_are_deterministic_and_a_small_corpus_is_a_prefix() -> None:
    small = list(synthetic.paragraphs(30, seed=3))
    assert small == list(synthetic.paragraphs(30, seed=3))
    assert list(synthetic.paragraphs(60, seed=3))[:30] == small
    assert small != list(synthetic.paragraphs(30, seed=4))
    held_out = list(synthetic.paragraphs(5, seed=3, start=1000))
    assert not set(held_out) & set(small)


@pytest.mark.unit
def test_paragraphs_read_like_news() -> None:
    texts = list(synthetic.paragraphs(200, seed=0))
    assert len(set(texts)) == len(texts)
    words = [len(t.split()) for t in texts]
    assert min(words) >= 15 and max(words) <= 140
    assert all(t.endswith((".", '"')) for t in texts)
    vocabulary = {w for t in texts for w in t.split()}
    assert len(vocabulary) > 500  # made-up names keep the vocabulary growing


@pytest.mark.unit
def test_written_articles_index_into_the_same_paragraphs(tmp_path: Path) -> None:
    count, per_article = 30, 12
    synthetic.write(tmp_path, count, 0, per_article, "txt")
    articles, warnings = read_corpus(tmp_path)
    assert warnings == []
    assert len(articles) == 3  # 12 + 12 + 6
    paragraphs = [p.text for a in articles for p in split_paragraphs(a)]
    assert paragraphs == list(synthetic.paragraphs(count, 0, per_article=per_article))


@pytest.mark.unit
def test_mixture_vectors_are_unit_length_deterministic_and_clustered() -> None:
    rng = np.random.default_rng(0)
    anchors = rng.standard_normal((20, 64)).astype(np.float32)
    anchors /= np.linalg.norm(anchors, axis=1, keepdims=True)
    centres = scale.sub_centres(anchors, seed=1)
    assert centres.shape == (20 * scale.SUB_CENTRES_PER_ANCHOR, 64)
    vectors = scale.mixture_vectors(centres, 500, seed=1, stream=0)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(vectors, scale.mixture_vectors(centres, 500, seed=1, stream=0))
    assert not np.array_equal(vectors, scale.mixture_vectors(centres, 500, seed=1, stream=1))
    # each vector is much closer to its nearest anchor than random unit vectors would be
    nearest = (vectors @ anchors.T).max(axis=1)
    assert float(np.median(nearest)) > 0.6
