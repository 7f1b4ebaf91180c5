"""Exact inner-product FAISS index over normalised paragraph vectors (cosine similarity)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from qa.interfaces import Vectors


class FaissStore:
    def __init__(self, index: faiss.Index) -> None:
        self._index = index

    @classmethod
    def build(cls, vectors: Vectors) -> FaissStore:
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> FaissStore:
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        if len(self) == 0:
            return []
        scores, rows = self._index.search(
            query.reshape(1, -1).astype(np.float32), min(k, len(self))
        )
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]
