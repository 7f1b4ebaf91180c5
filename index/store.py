"""The on-disk index: articles, paragraphs, sentence vectors, FAISS and BM25, one folder a version.

Layout of one version folder:
    manifest.json        what it was built from and with
    articles.jsonl       cleaned articles
    paragraphs.jsonl     citation units, row i = FAISS id i = BM25 doc i
    paragraphs.faiss     paragraph vectors, searched
    paragraphs.npy       the same vectors, reused by the next incremental build
    sentences.jsonl      sentence spans [paragraph row, start, end] inside paragraph text
    sentences.npy        sentence vectors, same order
    doc_freq.json        content-term document frequencies (for IDF weights)
    bm25/                bm25s index

Near-duplicate paragraphs (syndicated copies) are left out of the searched rows; the manifest
lists them with the paragraph they repeat. Every file is fsync'd and its SHA-256 recorded in
the manifest, which is written last.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.bm25_store import BM25Store
from index.checksums import folder_checksums, verify_checksums, without_paths
from index.duplicates import find_near_duplicates
from index.durable import fsync_dir, fsync_tree
from index.faiss_store import FaissStore
from index.manifest import MANIFEST_NAME, Changes, Duplicate, Manifest
from qa.errors import IndexCorrupt
from qa.interfaces import Embedder, Vectors
from qa.lexical import content_terms
from qa.models import Article, Paragraph
from qa.paragraphs import split_paragraphs
from qa.sentences import sentence_spans
from qa.settings import IndexSettings


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
    # None for an index saved before paragraph vectors were kept (nothing to reuse then)
    paragraph_vectors: Vectors | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.sentences_by_row: dict[int, list[int]] = {}
        for i, ref in enumerate(self.sentences):
            self.sentences_by_row.setdefault(ref.row, []).append(i)
        self.rows_by_doc: dict[str, list[int]] = {}
        for row, paragraph in enumerate(self.paragraphs):
            self.rows_by_doc.setdefault(paragraph.doc_id, []).append(row)

    def vectors_of(self, ids: Sequence[int]) -> Vectors:
        """The vectors of sentences `ids`, in that order."""
        return self.sentence_vectors[list(ids)]

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
        previous: CorpusIndex | None = None,
        near_duplicate_threshold: float | None = None,
        changes: Changes | None = None,
        dense_settings: IndexSettings | None = None,
        reuse_sentence_spans: bool = True,
    ) -> CorpusIndex:
        """Index `articles`; vectors of paragraphs `previous` already holds are reused.

        A paragraph id names the article and the exact paragraph text, so an equal id means an
        equal text and its stored paragraph and sentence vectors are still right. Its sentence
        spans are reused too, unless `reuse_sentence_spans` is false (another cleaner, which
        may split sentences otherwise: a sentence split the same way keeps its vector). With
        `near_duplicate_threshold`, a paragraph that repeats an earlier one is left out.
        """
        candidates = [p for article in articles for p in split_paragraphs(article)]
        terms = [frozenset(content_terms(p.text)) for p in candidates]
        duplicates: list[Duplicate] = []
        if near_duplicate_threshold is not None:
            for dup in find_near_duplicates(terms, threshold=near_duplicate_threshold):
                duplicates.append(
                    Duplicate(
                        paragraph_id=candidates[dup.row].paragraph_id,
                        duplicate_of=candidates[dup.original].paragraph_id,
                        similarity=dup.similarity,
                    )
                )
        left_out = {d.paragraph_id for d in duplicates}
        kept = [i for i, p in enumerate(candidates) if p.paragraph_id not in left_out]
        paragraphs = [candidates[i] for i in kept]

        reuse = _Reusable.of(previous, embedder.model_name, spans=reuse_sentence_spans)
        to_embed = [p for p in paragraphs if p.paragraph_id not in reuse.paragraph_vectors]
        fresh = _embed_in_batches(embedder, [p.text for p in to_embed], "paragraphs", progress)
        # the model need not even load when everything is reused
        dimension = reuse.dimension if reuse.dimension is not None else _width(fresh, embedder)
        fresh_by_id = {p.paragraph_id: fresh[i] for i, p in enumerate(to_embed)}
        paragraph_vectors = _stack(
            [
                reuse.paragraph_vectors.get(p.paragraph_id, fresh_by_id.get(p.paragraph_id))
                for p in paragraphs
            ],
            dimension,
        )

        sentences: list[SentenceRef] = []
        sentence_source: list[tuple[str, int, int]] = []  # (paragraph id, start, end)
        for row, paragraph in enumerate(paragraphs):
            spans = reuse.sentence_spans.get(paragraph.paragraph_id)
            if spans is None:
                spans = [(s.start, s.end) for s in sentence_spans(paragraph.text)]
            for start, end in spans:
                sentences.append(SentenceRef(row, start, end))
                sentence_source.append((paragraph.paragraph_id, start, end))
        new_sentences = [i for i, key in enumerate(sentence_source) if key not in reuse.sentences]
        fresh_sentences = _embed_in_batches(
            embedder,
            [paragraphs[sentences[i].row].text[sentences[i].start : sentences[i].end]
             for i in new_sentences],
            "sentences",
            progress,
        )  # fmt: skip
        fresh_sentence_by_index = {i: fresh_sentences[n] for n, i in enumerate(new_sentences)}
        sentence_vectors = _stack(
            [
                reuse.sentences[key] if key in reuse.sentences else fresh_sentence_by_index[i]
                for i, key in enumerate(sentence_source)
            ],
            dimension,
        )

        doc_freq: Counter[str] = Counter()
        for i in kept:
            doc_freq.update(terms[i])
        recorded_changes = (changes or Changes()).model_copy(
            update={"embedded_paragraphs": len(to_embed), "embedded_sentences": len(new_sentences)}
        )
        manifest = Manifest(
            embedding_model=embedder.model_name,
            dimension=dimension,
            cleaner_version=cleaner_version,
            corpus_dir=corpus_dir,
            articles={a.doc_id: a.content_hash for a in articles},
            paragraph_count=len(paragraphs),
            sentence_count=len(sentences),
            near_duplicate_threshold=near_duplicate_threshold,
            duplicates=duplicates,
            changes=recorded_changes,
        )
        return cls(
            manifest=manifest,
            articles={a.doc_id: a for a in articles},
            paragraphs=paragraphs,
            sentences=sentences,
            sentence_vectors=sentence_vectors,
            dense=FaissStore.build(paragraph_vectors, dense_settings),  # exact or IVF by size
            lexical=BM25Store.build([p.text for p in paragraphs]),
            doc_freq=dict(doc_freq),
            paragraph_vectors=paragraph_vectors,
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        _write_jsonl(folder / "articles.jsonl", [a.model_dump() for a in self.articles.values()])
        _write_jsonl(folder / "paragraphs.jsonl", [p.model_dump() for p in self.paragraphs])
        _write_jsonl(folder / "sentences.jsonl", [[s.row, s.start, s.end] for s in self.sentences])
        np.save(folder / "sentences.npy", self.sentence_vectors)
        if self.paragraph_vectors is not None:
            np.save(folder / "paragraphs.npy", self.paragraph_vectors)
        self.dense.save(folder / "paragraphs.faiss")
        self.lexical.save(folder / "bm25")
        (folder / "doc_freq.json").write_text(json.dumps(self.doc_freq), encoding="utf-8")
        fsync_tree(folder)  # on disk before the manifest says the version is complete
        self.manifest = self.manifest.model_copy(
            update={"files": folder_checksums(folder, exclude=frozenset({MANIFEST_NAME}))}
        )
        self.manifest.save(folder)  # last: a folder without a manifest is an unfinished build
        fsync_dir(folder)

    @classmethod
    def load(cls, folder: Path, *, verify: bool = True) -> CorpusIndex:
        """Load a version; with `verify`, every file is first checked against its checksum."""
        manifest = Manifest.load(folder)
        if verify:
            verify_checksums(folder, manifest.files)
        try:
            articles = read_articles(folder)
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
            vectors_path = folder / "paragraphs.npy"
            paragraph_vectors = np.load(vectors_path) if vectors_path.exists() else None
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise IndexCorrupt(
                f"index version {folder.name} is unreadable ({without_paths(str(exc), folder)}); "
                "rebuild it: python scripts/rebuild_index.py"
            ) from exc
        if (
            len(dense) != len(paragraphs)
            or len(sentence_vectors) != len(sentences)
            or (paragraph_vectors is not None and len(paragraph_vectors) != len(paragraphs))
        ):
            raise IndexCorrupt(
                f"index version {folder.name} is inconsistent (vector and paragraph counts "
                "differ); rebuild it: python scripts/rebuild_index.py"
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
            paragraph_vectors=paragraph_vectors,
        )


@dataclass
class _Reusable:
    """Vectors of a previous version, by paragraph id, for an incremental build."""

    dimension: int | None = None
    paragraph_vectors: dict[str, Vectors] = field(default_factory=dict)
    sentence_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    sentences: dict[tuple[str, int, int], Vectors] = field(default_factory=dict)

    @classmethod
    def of(cls, previous: CorpusIndex | None, model_name: str, *, spans: bool = True) -> _Reusable:
        if (
            previous is None
            or previous.paragraph_vectors is None
            or previous.manifest.embedding_model != model_name  # other model: other vectors
        ):
            return cls()
        reuse = cls(dimension=previous.manifest.dimension)
        for row, paragraph in enumerate(previous.paragraphs):
            reuse.paragraph_vectors[paragraph.paragraph_id] = previous.paragraph_vectors[row]
            reuse.sentence_spans[paragraph.paragraph_id] = []
        for i, ref in enumerate(previous.sentences):
            pid = previous.paragraphs[ref.row].paragraph_id
            reuse.sentence_spans[pid].append((ref.start, ref.end))
            reuse.sentences[(pid, ref.start, ref.end)] = previous.sentence_vectors[i]
        if not spans:  # split again; a span that comes out the same keeps its vector
            reuse.sentence_spans.clear()
        return reuse


def _width(fresh: Vectors, embedder: Embedder) -> int:
    return int(fresh.shape[1]) if fresh.ndim == 2 and len(fresh) else embedder.dimension


def _stack(rows: Sequence[Vectors | None], dimension: int) -> Vectors:
    if not rows:
        return np.zeros((0, dimension), dtype=np.float32)
    present = [r for r in rows if r is not None]
    if len(present) != len(rows):  # pragma: no cover - every row is reused or embedded
        raise RuntimeError("a paragraph or sentence was neither reused nor embedded")
    return np.ascontiguousarray(np.vstack(present), dtype=np.float32)


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
    if not parts:  # nothing to embed: do not load the model just to learn its width
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(parts)


def _write_jsonl(path: Path, rows: Sequence[object]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_articles(folder: Path) -> list[Article]:
    """The cleaned articles a version folder holds (the document API's import compares an
    export's articles with them)."""
    return [Article.model_validate(r) for r in _read_jsonl(folder / "articles.jsonl")]


def _read_jsonl(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
