"""An index built from a one-article folder, and an export imported into it (index/imports.py),
with a stand-in embedder: what the unit tests of each export format's import share."""

from __future__ import annotations

from pathlib import Path

from index.builder import rebuild_index
from index.imports import ImportReport, import_archive
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder

SETTINGS = IndexSettings(build_lock_timeout_s=5)
FERRY = "Ferry returns\n\nThe ferry to Skarra island resumed service on Monday."


def built_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus folder holding one article (`ferry.txt`) and the index built from it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    return corpus, index_dir


def run_import(index_dir: Path, name: str, data: str | bytes) -> ImportReport:
    """`data` (text as UTF-8) imported under `name`, as POST /documents/import does."""
    sent = data.encode("utf-8") if isinstance(data, str) else data
    return import_archive(index_dir, name, sent, embedder=HashingEmbedder(),
                          index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip
