"""Build an index version from a corpus folder and make it current only once it is complete."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.corpus import read_corpus
from index.store import CorpusIndex
from index.versions import make_current, new_version_dir
from qa.cleaning import CLEANER_VERSION
from qa.interfaces import Embedder


@dataclass
class BuildReport:
    version: Path
    articles: int
    paragraphs: int
    sentences: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


def rebuild_index(
    corpus_dir: Path,
    index_dir: Path,
    *,
    embedder: Embedder,
    progress: Callable[[str, int, int], None] | None = None,
) -> BuildReport:
    """Clean, split, embed and store `corpus_dir`; the previous index stays current on failure."""
    started = time.perf_counter()
    articles, warnings = read_corpus(corpus_dir)
    if not articles:
        raise ValueError(f"no usable .txt articles in {corpus_dir}")
    index_dir.mkdir(parents=True, exist_ok=True)
    version = new_version_dir(index_dir)
    try:
        built = CorpusIndex.build(
            articles,
            embedder=embedder,
            cleaner_version=CLEANER_VERSION,
            corpus_dir=str(corpus_dir),
            progress=progress,
        )
        built.save(version)
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)  # never half-written: current is untouched
        raise
    make_current(index_dir, version)
    return BuildReport(
        version=version,
        articles=len(articles),
        paragraphs=len(built.paragraphs),
        sentences=len(built.sentences),
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )
