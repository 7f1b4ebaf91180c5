"""BM25 over the same paragraphs (bm25s), saved beside the FAISS index and loaded, not rebuilt."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import bm25s
import Stemmer

from qa.lexical import fold_latin, written_out_amounts

_STEMMER_LANGUAGE = "english"
# Written beside bm25s' own files: how the words were read. An index saved without it read them
# with their accents, and its queries are read the same way, or "Kraków" would find nothing;
# one saved without "amounts" read "£620m" as the token "620m", and its queries are read so too;
# one saved without "short amounts" read it as "620 million" alone (no "620m" for a question that
# writes the amount without its sign), and its queries are read so too.
_READING = "reading.json"

# bm25s sets its own logger to DEBUG on import, so "Building index from IDs objects" reached the
# rebuild script's output and the server's log past their WARNING level: inherit theirs instead.
logging.getLogger("bm25s").setLevel(logging.NOTSET)


class BM25Store:
    """Paragraphs by BM25; the words of Latin script are read without accents ("Krakow" finds
    "Kraków"), and amounts written short as written out, the short form kept beside ("£620m"
    finds "£620 million", and the reverse, and "620m" finds "£620m" as before:
    `qa.lexical.written_out_amounts`), in the paragraphs and the queries alike."""

    def __init__(
        self,
        retriever: bm25s.BM25,
        size: int,
        *,
        folds_accents: bool = True,
        writes_out_amounts: bool = True,
        keeps_short_amounts: bool = True,
    ) -> None:
        self._retriever = retriever
        self._size = size
        self._stemmer = Stemmer.Stemmer(_STEMMER_LANGUAGE)
        self.folds_accents = folds_accents
        self.writes_out_amounts = writes_out_amounts
        self.keeps_short_amounts = keeps_short_amounts

    @classmethod
    def build(cls, texts: Sequence[str]) -> BM25Store:
        stemmer = Stemmer.Stemmer(_STEMMER_LANGUAGE)
        retriever = bm25s.BM25()
        if texts:
            tokens = bm25s.tokenize(
                [written_out_amounts(fold_latin(t), keep_short=True) for t in texts],
                stopwords="en", stemmer=stemmer, show_progress=False,
            )  # fmt: skip
            retriever.index(tokens, show_progress=False)
        return cls(retriever, len(texts))

    @classmethod
    def load(cls, folder: Path, size: int) -> BM25Store:
        reading = folder / _READING
        said = json.loads(reading.read_text("utf-8")) if reading.exists() else {}
        if not isinstance(said, dict):
            said = {}
        return cls(
            bm25s.BM25.load(str(folder)),
            size,
            folds_accents=said.get("accents") == "folded",
            writes_out_amounts=said.get("amounts") == "written out",
            keeps_short_amounts=said.get("short amounts") == "kept",
        )

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder))
        reading = {
            **({"accents": "folded"} if self.folds_accents else {}),
            **({"amounts": "written out"} if self.writes_out_amounts else {}),
            **({"short amounts": "kept"} if self.keeps_short_amounts else {}),
        }
        if reading:
            (folder / _READING).write_text(json.dumps(reading) + "\n", "utf-8")

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        if self._size == 0:
            return []
        text = fold_latin(query) if self.folds_accents else query
        if self.writes_out_amounts:
            text = written_out_amounts(text, keep_short=self.keeps_short_amounts)
        tokens = bm25s.tokenize([text], stopwords="en", stemmer=self._stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        rows, scores = self._retriever.retrieve(
            tokens, k=min(k, self._size), show_progress=False, n_threads=1
        )
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
