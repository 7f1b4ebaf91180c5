"""The vector search scored by a paragraph's best sentence as well as by the paragraph.

One vector for a whole paragraph averages its sentences: a long paragraph whose one sentence
answers the question scores below a short paragraph that only shares its topic. Scoring each
paragraph by the better of its own cosine and its best sentence's (MaxP, Dai and Callan,
"Deeper Text Understanding for IR with Contextual Neural Language Modeling", SIGIR 2019) keeps
that sentence's match. The sentence vectors are the index's own (`sentences.npy`, kept for the
evidence features), so nothing is embedded again; the scan over them is one matrix-vector
product (measured in docs/scaling.md). Why and what it moved: docs/grounding.md, "Retrieval
recall".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qa.interfaces import Vectors, VectorSearch


class BestSentenceSearch:
    """A `VectorSearch` over paragraphs: (row, max(paragraph cosine, best sentence cosine))."""

    def __init__(
        self, paragraphs: VectorSearch, sentence_vectors: Vectors, sentence_rows: Sequence[int]
    ) -> None:
        """`sentence_rows[i]`: the paragraph row of sentence i (rows in order, as the index
        stores them)."""
        rows = np.asarray(sentence_rows, dtype=np.int64)
        if len(rows) != len(sentence_vectors):
            raise ValueError(f"{len(rows)} sentence rows for {len(sentence_vectors)} vectors")
        if len(rows) and (np.diff(rows) < 0).any():
            raise ValueError("sentences must be ordered by paragraph row")
        self._paragraphs = paragraphs
        self._vectors = np.ascontiguousarray(sentence_vectors, dtype=np.float32)
        # where each paragraph's sentences begin, for one maximum.reduceat per question
        self._starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else rows
        self._rows = rows[self._starts]
        # row → its place in `self._rows` (-1: a paragraph without sentences)
        self._place = np.full(int(rows[-1]) + 1 if len(rows) else 0, -1, dtype=np.int64)
        self._place[self._rows] = np.arange(len(self._rows))

    def search(self, query: Vectors, k: int) -> list[tuple[int, float]]:
        best = dict(self._paragraphs.search(query, k))
        if not len(self._rows) or k < 1:
            return sorted(best.items(), key=lambda hit: (-hit[1], hit[0]))[:k]
        sims = self._vectors @ np.asarray(query, dtype=np.float32).reshape(-1)
        per_row = np.maximum.reduceat(sims, self._starts)
        top = np.argpartition(-per_row, k - 1)[:k] if k < len(per_row) else range(len(per_row))
        for row in {int(self._rows[i]) for i in top} | set(best):
            place = self._place[row] if row < len(self._place) else -1
            if place >= 0:
                best[row] = max(best.get(row, -np.inf), float(per_row[place]))
        return sorted(best.items(), key=lambda hit: (-hit[1], hit[0]))[:k]
