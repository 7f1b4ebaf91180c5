"""The ONNX question encoder with the real bundled MiniLM: same vectors as torch, or not used."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedder import SentenceTransformerEmbedder
from qa.settings import BUNDLED_EMBEDDER

TEXTS = [
    "How many boats were damaged in the storm?",
    "The harbour master said forty boats broke their moorings overnight.",
    "",
]


@pytest.mark.e2e
def test_onnx_questions_embed_like_torch(tmp_path: Path) -> None:
    torch_embedder = SentenceTransformerEmbedder(BUNDLED_EMBEDDER)
    onnx_embedder = SentenceTransformerEmbedder(BUNDLED_EMBEDDER, onnx_dir=tmp_path)
    onnx_embedder.warm_up()
    assert onnx_embedder.backend == "onnx"
    assert list(tmp_path.glob("*.onnx")), "the export is kept for the next start"
    assert not list(tmp_path.glob("*.partial"))
    ours, theirs = onnx_embedder.embed(TEXTS), torch_embedder.embed(TEXTS)
    assert ours.dtype == np.float32 and ours.shape == theirs.shape
    assert float(np.max(1.0 - np.sum(ours * theirs, axis=1))) < 1e-4


@pytest.mark.e2e
def test_a_damaged_export_is_not_used(tmp_path: Path) -> None:
    SentenceTransformerEmbedder(BUNDLED_EMBEDDER, onnx_dir=tmp_path).warm_up()
    for exported in tmp_path.glob("*.onnx"):
        exported.write_bytes(b"not a model")
    embedder = SentenceTransformerEmbedder(BUNDLED_EMBEDDER, onnx_dir=tmp_path)
    embedder.warm_up()
    assert embedder.backend == "torch"  # falls back with a warning, still answers
    assert embedder.embed(["still works"]).shape == (1, embedder.dimension)
    # the damaged file is gone, so the next start exports a good one again
    again = SentenceTransformerEmbedder(BUNDLED_EMBEDDER, onnx_dir=tmp_path)
    again.warm_up()
    assert again.backend == "onnx"
