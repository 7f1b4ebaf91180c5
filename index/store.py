"""The on-disk index: articles, paragraphs, sentence vectors, FAISS and BM25, one folder a version.

Layout of one version folder:
    manifest.json        what it was built from and with
    articles.jsonl       cleaned articles
    paragraphs.jsonl     citation units, row i = FAISS id i = BM25 doc i
    paragraphs.faiss     paragraph vectors
    sentences.jsonl      sentence spans [paragraph row, start, end] inside paragraph text
    sentences.npy        sentence vectors, same order
    doc_freq.json        content-term document frequencies (for IDF weights)
    bm25/                bm25s index
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.bm25_store import BM25Store
from index.faiss_store import FaissStore
from index.manifest import Manifest
from qa.errors import IndexCorrupt
from qa.interfaces import Embedder, Vectors
from qa.lexical import content_terms
from qa.models import Article, Paragraph
from qa.paragraphs import split_paragraphs
from qa.sentences import sentence_spans


@dataclass(frozen=True)
class SentenceRef:
    row: int  # paragraph row
    start: int  # offsets inside the paragraph's text
    end: int


@dataclass
class CorpusIndex:
    manifest: Manifest
    articles: dict[str, Article]
    paragraphs: list[Paragraph]
    sentences: list[SentenceRef]
    sentence_vectors: Vectors
    dense: FaissStore
    lexical: BM25Store
    doc_freq: dict[str, int]

    def __post_init__(self) -> None:
        self.sentences_by_row: dict[int, list[int]] = {}
        for i, ref in enumerate(self.sentences):
            self.sentences_by_row.setdefault(ref.row, []).append(i)
        self.rows_by_doc: dict[str, list[int]] = {}
        for row, paragraph in enumerate(self.paragraphs):
            self.rows_by_doc.setdefault(paragraph.doc_id, []).append(row)

    def sentence_text(self, i: int) -> str:
        ref = self.sentences[i]
        return self.paragraphs[ref.row].text[ref.start : ref.end]

    @classmethod
    def build(
        cls,
        articles: Sequence[Article],
        *,
        embedder: Embedder,
        cleaner_version: str,
        corpus_dir: str,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> CorpusIndex:
        paragraphs = [p for article in articles for p in split_paragraphs(article)]
        sentences = [
            SentenceRef(row, span.start, span.end)
            for row, paragraph in enumerate(paragraphs)
            for span in sentence_spans(paragraph.text)
        ]
        paragraph_vectors = _embed_in_batches(
            embedder, [p.text for p in paragraphs], "paragraphs", progress
        )
        sentence_vectors = _embed_in_batches(
            embedder,
            [paragraphs[s.row].text[s.start : s.end] for s in sentences],
            "sentences",
            progress,
        )
        doc_freq: Counter[str] = Counter()
        for paragraph in paragraphs:
            doc_freq.update(set(content_terms(paragraph.text)))
        manifest = Manifest(
            embedding_model=embedder.model_name,
            dimension=embedder.dimension,
            cleaner_version=cleaner_version,
            corpus_dir=corpus_dir,
            articles={a.doc_id: a.content_hash for a in articles},
            paragraph_count=len(paragraphs),
            sentence_count=len(sentences),
        )
        return cls(
            manifest=manifest,
            articles={a.doc_id: a for a in articles},
            paragraphs=paragraphs,
            sentences=sentences,
            sentence_vectors=sentence_vectors,
            dense=FaissStore.build(paragraph_vectors),
            lexical=BM25Store.build([p.text for p in paragraphs]),
            doc_freq=dict(doc_freq),
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        _write_jsonl(folder / "articles.jsonl", [a.model_dump() for a in self.articles.values()])
        _write_jsonl(folder / "paragraphs.jsonl", [p.model_dump() for p in self.paragraphs])
        _write_jsonl(folder / "sentences.jsonl", [[s.row, s.start, s.end] for s in self.sentences])
        np.save(folder / "sentences.npy", self.sentence_vectors)
        self.dense.save(folder / "paragraphs.faiss")
        self.lexical.save(folder / "bm25")
        (folder / "doc_freq.json").write_text(json.dumps(self.doc_freq), encoding="utf-8")
        self.manifest.save(folder)  # last: a folder without a manifest is an unfinished build

    @classmethod
    def load(cls, folder: Path) -> CorpusIndex:
        manifest = Manifest.load(folder)
        try:
            articles = [Article.model_validate(r) for r in _read_jsonl(folder / "articles.jsonl")]
            paragraphs = [
                Paragraph.model_validate(r) for r in _read_jsonl(folder / "paragraphs.jsonl")
            ]
            sentences = [SentenceRef(*r) for r in _read_jsonl(folder / "sentences.jsonl")]
            sentence_vectors = np.load(folder / "sentences.npy")
            dense = FaissStore.load(folder / "paragraphs.faiss")
            lexical = BM25Store.load(folder / "bm25", len(paragraphs))
            doc_freq = json.loads((folder / "doc_freq.json").read_text(encoding="utf-8"))
            if not isinstance(doc_freq, dict):
                raise ValueError("doc_freq.json does not hold an object")
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise IndexCorrupt(
                f"index at {folder} is unreadable ({exc}); rebuild it: "
                "python scripts/rebuild_index.py"
            ) from exc
        if len(dense) != len(paragraphs) or len(sentence_vectors) != len(sentences):
            raise IndexCorrupt(
                f"index at {folder} is inconsistent (vector and paragraph counts differ); "
                "rebuild it: python scripts/rebuild_index.py"
            )
        return cls(
            manifest=manifest,
            articles={a.doc_id: a for a in articles},
            paragraphs=paragraphs,
            sentences=sentences,
            sentence_vectors=sentence_vectors,
            dense=dense,
            lexical=lexical,
            doc_freq=doc_freq,
        )


def _embed_in_batches(
    embedder: Embedder,
    texts: Sequence[str],
    label: str,
    progress: Callable[[str, int, int], None] | None,
    batch: int = 256,
) -> Vectors:
    parts = []
    for i in range(0, len(texts), batch):
        parts.append(embedder.embed(texts[i : i + batch]))
        if progress:
            progress(label, min(i + batch, len(texts)), len(texts))
    if not parts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.vstack(parts)


def _write_jsonl(path: Path, rows: Sequence[object]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
