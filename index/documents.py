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
from index.corpus import article_file, remove_article_file, write_article_file
from index.formats import archive_origin
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
    raw: str | bytes,
    *,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
    progress: Progress | None = None,
    suffix: str = ".txt",
) -> BuildReport:
    """Write `<doc_id><suffix>` (.txt, or .html for a page) into the corpus folder and make an
    index holding it current."""
    with build_lock(index_dir, timeout_s=index_settings.build_lock_timeout_s):
        manifest = Manifest.load(current_version(index_dir))
        folder = Path(os.path.abspath(manifest.corpus_dir))
        if article_file(folder, doc_id) is not None or doc_id in manifest.articles:
            raise Conflict(f"a document with id {doc_id!r} exists; DELETE it first to replace it")
        write_article_file(folder, doc_id, raw, suffix=suffix)
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
            # the folder goes back to what is indexed
            remove_article_file(folder, doc_id, suffix=suffix)
            raise


def delete_article(
    index_dir: Path,
    doc_id: str,
    *,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
) -> BuildReport:
    """Remove the article's file from the corpus folder and make an index without it current.

    An article from a .jsonl archive is not deleted (`Conflict`): its line is in a file that
    holds other articles too, so it is taken out by editing that archive."""
    with build_lock(index_dir, timeout_s=index_settings.build_lock_timeout_s):
        manifest = Manifest.load(current_version(index_dir))
        folder = Path(os.path.abspath(manifest.corpus_dir))
        path = article_file(folder, doc_id)
        if doc_id not in manifest.articles and path is None:
            raise NotFound(f"no document with id {doc_id!r}; GET /documents lists the ids")
        if set(manifest.articles) <= {doc_id}:
            raise Conflict(f"{doc_id!r} is the only article; an index needs at least one")
        if path is None and (origin := archive_origin(folder, doc_id)) is not None:
            raise Conflict(
                f"{doc_id!r} comes from the archive {origin}; remove that line from the archive "
                "and rebuild the index to delete it"
            )
        raw = path.read_bytes() if path is not None else None
        suffix = path.name[len(doc_id) :] if path is not None else ".txt"
        if raw is not None:
            remove_article_file(folder, doc_id, suffix=suffix)
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
                write_article_file(folder, doc_id, raw, suffix=suffix)
            raise
