"""BM25 over the same paragraphs (bm25s), saved beside the FAISS index and loaded, not rebuilt."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import Stemmer

_STEMMER_LANGUAGE = "english"

# bm25s sets its own logger to DEBUG on import, so "Building index from IDs objects" reached the
# rebuild script's output and the server's log past their WARNING level: inherit theirs instead.
logging.getLogger("bm25s").setLevel(logging.NOTSET)


class BM25Store:
    def __init__(self, retriever: bm25s.BM25, size: int) -> None:
        self._retriever = retriever
        self._size = size
        self._stemmer = Stemmer.Stemmer(_STEMMER_LANGUAGE)

    @classmethod
    def build(cls, texts: Sequence[str]) -> BM25Store:
        stemmer = Stemmer.Stemmer(_STEMMER_LANGUAGE)
        retriever = bm25s.BM25()
        if texts:
            tokens = bm25s.tokenize(
                list(texts), stopwords="en", stemmer=stemmer, show_progress=False
            )
            retriever.index(tokens, show_progress=False)
        return cls(retriever, len(texts))

    @classmethod
    def load(cls, folder: Path, size: int) -> BM25Store:
        return cls(bm25s.BM25.load(str(folder)), size)

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder))

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        if self._size == 0:
            return []
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self._stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        rows, scores = self._retriever.retrieve(
            tokens, k=min(k, self._size), show_progress=False, n_threads=1
        )
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
