"""Adding and deleting one article: change the corpus folder, then build incrementally.

The corpus folder stays the source of truth: an article is added by writing its file (whole
or not at all) and deleted by removing it, and the new index version is built from the folder
by the same incremental path as `scripts/rebuild_index.py`, under the same lock. If the build
fails, the folder change is undone, so folder and current index never disagree for long.
"""

from __future__ import annotations

import os
from pathlib import Path

from index.builder import BuildReport, Progress, build_lock, rebuild_locked
from index.corpus import remove_article_file, write_article_file
from index.manifest import Manifest
from index.versions import current_version
from qa.errors import Conflict, NotFound
from qa.interfaces import Embedder
from qa.settings import IndexSettings


def corpus_folder(index_dir: Path) -> Path:
    """The folder the current version was built from, where new articles go."""
    manifest = Manifest.load(current_version(index_dir))
    return Path(os.path.abspath(manifest.corpus_dir))


def add_article(
    index_dir: Path,
    doc_id: str,
    raw: str,
    *,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
    progress: Progress | None = None,
) -> BuildReport:
    """Write `<doc_id>.txt` into the corpus folder and make an index holding it current."""
    with build_lock(index_dir, timeout_s=index_settings.build_lock_timeout_s):
        folder = corpus_folder(index_dir)
        if (folder / f"{doc_id}.txt").exists():
            raise Conflict(f"a document with id {doc_id!r} exists; DELETE it first to replace it")
        write_article_file(folder, doc_id, raw)
        try:
            return rebuild_locked(
                folder,
                index_dir,
                embedder=embedder,
                progress=progress,
                dense_settings=index_settings,
                near_duplicate_threshold=near_duplicate_threshold,
            )
        except BaseException:
            remove_article_file(folder, doc_id)  # the folder goes back to what is indexed
            raise


def delete_article(
    index_dir: Path,
    doc_id: str,
    *,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
) -> BuildReport:
    """Remove `<doc_id>.txt` from the corpus folder and make an index without it current."""
    with build_lock(index_dir, timeout_s=index_settings.build_lock_timeout_s):
        manifest = Manifest.load(current_version(index_dir))
        folder = Path(os.path.abspath(manifest.corpus_dir))
        path = folder / f"{doc_id}.txt"
        if doc_id not in manifest.articles and not path.exists():
            raise NotFound(f"no document with id {doc_id!r}; GET /documents lists the ids")
        if set(manifest.articles) <= {doc_id}:
            raise Conflict(f"{doc_id!r} is the only article; an index needs at least one")
        raw = path.read_bytes() if path.exists() else None
        if raw is not None:
            remove_article_file(folder, doc_id)
        try:
            return rebuild_locked(
                folder,
                index_dir,
                embedder=embedder,
                dense_settings=index_settings,
                near_duplicate_threshold=near_duplicate_threshold,
            )
        except BaseException:
            if raw is not None:  # put the file back: it is still in the current index
                write_article_file(folder, doc_id, raw)
            raise
