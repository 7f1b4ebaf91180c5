"""FAISS inner-product index over normalised paragraph vectors (cosine similarity).

The index type is chosen by size: exact search (`IndexFlatIP`) up to
`index.exact_search_max_paragraphs`; above it, where exact search costs a full scan per
question, an approximate index, `index.approximate_index`: inverted lists (`IndexIVFFlat`, the
default: it kept recall@10 ≥ 0.95 on question vectors at 1M paragraphs where HNSW did not) or
an HNSW graph (`IndexHNSWFlat`). The saved FAISS file is the record of what was built: its type
and parameters (lists and probes, or M, efConstruction and efSearch) are read back from it on
load, so a loaded index knows what it is whatever the settings say today.
Measurements behind the defaults: docs/scaling.md.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import faiss
import numpy as np

from qa.interfaces import Vectors
from qa.settings import IndexSettings

DenseKind = Literal["flat", "ivf", "hnsw"]
IVF_TRAIN_PER_LIST = 40  # k-means sample: enough points per centroid, far fewer than 1M
IVF_TRAIN_ITERATIONS = 10  # half faiss's default 25: training time halves; recall was measured


@dataclass(frozen=True)
class DenseIndexInfo:
    """What a vector index is; the parameters of the other kinds are None."""

    kind: DenseKind
    vectors: int
    dimension: int
    ivf_lists: int | None = None
    ivf_probe: int | None = None
    hnsw_m: int | None = None
    hnsw_ef_construction: int | None = None
    hnsw_ef_search: int | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def choose_kind(paragraphs: int, settings: IndexSettings) -> DenseKind:
    if paragraphs <= settings.exact_search_max_paragraphs:
        return "flat"
    return settings.approximate_index


def ivf_lists(paragraphs: int, settings: IndexSettings) -> int:
    """The configured list count, or 4·√paragraphs; never more lists than paragraphs."""
    wanted = settings.ivf_lists or round(4 * math.sqrt(paragraphs))
    return max(1, min(wanted, paragraphs))


class FaissStore:
    def __init__(self, index: faiss.Index) -> None:
        # `read_index` already returns the concrete type; a downcast copy would not own the
        # C++ object, which would be freed with the original proxy
        self._index = index
        if not isinstance(
            self._index, faiss.IndexFlatIP | faiss.IndexIVFFlat | faiss.IndexHNSWFlat
        ):
            raise ValueError(f"unsupported FAISS index type {type(self._index).__name__}")
        if self._index.metric_type != faiss.METRIC_INNER_PRODUCT:
            raise ValueError("the FAISS index does not use inner product")

    @classmethod
    def build(cls, vectors: Vectors, settings: IndexSettings | None = None) -> FaissStore:
        """Exact search for small corpora, IVF or HNSW above `exact_search_max_paragraphs`."""
        settings = settings or IndexSettings()
        dimension = vectors.shape[1]
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index: faiss.Index
        kind = choose_kind(len(vectors), settings)
        if kind == "flat":
            index = faiss.IndexFlatIP(dimension)
        elif kind == "ivf":
            index = _trained_ivf(vectors, ivf_lists(len(vectors), settings))
            index.nprobe = settings.ivf_probe  # saved with the index
        else:
            index = faiss.IndexHNSWFlat(dimension, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = settings.hnsw_ef_construction
            index.hnsw.efSearch = settings.hnsw_ef_search  # saved with the index
        if len(vectors):
            index.add(vectors)
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> FaissStore:
        return cls(faiss.read_index(str(path)))

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @property
    def info(self) -> DenseIndexInfo:
        if isinstance(self._index, faiss.IndexIVFFlat):
            return DenseIndexInfo(
                kind="ivf",
                vectors=len(self),
                dimension=self.dimension,
                ivf_lists=int(self._index.nlist),
                ivf_probe=int(self._index.nprobe),
            )
        if isinstance(self._index, faiss.IndexHNSWFlat):
            hnsw = self._index.hnsw
            return DenseIndexInfo(
                kind="hnsw",
                vectors=len(self),
                dimension=self.dimension,
                # level 0 has 2·M links, the others M (faiss's type stubs lack the method)
                hnsw_m=int(hnsw.nb_neighbors(1)),  # type: ignore[attr-defined]
                hnsw_ef_construction=int(hnsw.efConstruction),
                hnsw_ef_search=int(hnsw.efSearch),
            )
        return DenseIndexInfo(kind="flat", vectors=len(self), dimension=self.dimension)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        if len(self) == 0:
            return []
        k = min(k, len(self))
        queries = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if isinstance(self._index, faiss.IndexHNSWFlat):
            # the beam must be at least k wide, or HNSW returns fewer than k good neighbours
            ef = max(int(self._index.hnsw.efSearch), k)
            scores, rows = self._index.search(
                queries,
                k,
                params=faiss.SearchParametersHNSW(efSearch=ef),  # type: ignore[attr-defined]
            )
        else:
            scores, rows = self._index.search(queries, k)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]


def _trained_ivf(vectors: Vectors, lists: int) -> faiss.IndexIVFFlat:
    """Inverted lists over k-means centroids of a fixed-seed sample of the vectors."""
    quantizer = faiss.IndexFlatIP(vectors.shape[1])
    index = faiss.IndexIVFFlat(quantizer, vectors.shape[1], lists, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = IVF_TRAIN_ITERATIONS
    index.cp.seed = 1234  # same vectors, same lists
    sample_size = min(len(vectors), IVF_TRAIN_PER_LIST * lists)
    rng = np.random.default_rng(0)
    sample = vectors[np.sort(rng.choice(len(vectors), sample_size, replace=False))]
    index.train(sample)
    return index
