"""The document change under way, written down before the corpus folder changes.

Adding, replacing or deleting an article changes two things that cannot change in one step:
the corpus folder (the article's file) and the current index version. So the change is first
written down (`<index>/journal/pending.json`, whole or not at all), then the folder changes,
then the new version is built and made current (the commit: one rename of `current`), and only
then is the record removed. Only a holder of the build lock writes a record, so a record found
by the next holder was left by a process that died, and `settle` decides it by the current
version:

* the current version holds the change: it was committed, the record is dropped;
* it does not: the folder change is undone (an added file removed, a deleted one written
  back, a replaced one's new file removed and the earlier one written back) and the record
  dropped, so the folder agrees with the current version again.

An add is therefore either fully served or leaves no trace, whenever the process dies, and a
client that retries it gets the same result as if its first try had been answered. Ids
deleted through the API are remembered with the time the delete was committed
(`journal/deleted.json`, the latest `REMEMBERED_DELETES`) so that a retried DELETE succeeds
instead of getting a 404, and a GET of such an id (or of a paragraph of it) answers 410 Gone
saying when (api/service.py). An id is forgotten when it is indexed again, through the API or
by any build whose new version holds it (`forget_indexed`). A list written before
the times were kept (ids alone) is read as deletes of no known time.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from index.checksums import sha256_file
from index.corpus import remove_article_file, write_article_file
from index.durable import fsync_dir, replace_atomically
from index.manifest import Manifest
from index.versions import current_version
from qa.errors import IndexCorrupt, IndexNotBuilt

log = logging.getLogger(__name__)

JOURNAL_DIR = "journal"
PENDING_NAME = "pending.json"
DELETED_NAME = "deleted.json"
REMEMBERED_DELETES = 1000


class PendingChange(BaseModel):
    """One add, replace, delete or import between its record and its commit."""

    op: Literal["add", "delete", "replace", "import", "unimport"]
    doc_id: str
    content_hash: str = Field(description="SHA-256 of the article file added or deleted.")
    corpus_dir: str = Field(description="The folder the file goes into or comes out of.")
    file_existed: bool = Field(
        default=False, description="add: the same file was already there; undoing keeps it."
    )
    raw_b64: str | None = Field(
        default=None,
        description="delete, replace: the (earlier) file's bytes, to write back when undoing.",
    )
    suffix: str = Field(default=".txt", description="The file's ending: .txt, .html, …")
    old_suffix: str | None = Field(
        default=None, description="replace: the earlier file's ending, where it goes back."
    )
    articles: dict[str, str] = Field(
        default_factory=dict,
        description="import: the id and content hash of each article the new archive adds "
        "(`doc_id` is then the archive's file stem).",
    )
    archive: str | None = Field(
        default=None,
        description="unimport (deleting an imported article): the import archive whose line "
        "is taken out; `raw_b64` holds its earlier bytes.",
    )


def _journal(index_dir: Path) -> Path:
    folder = index_dir / JOURNAL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_json(folder: Path, name: str, data: object) -> None:
    replace_atomically(
        folder / name, json.dumps(data).encode("utf-8"), tmp=folder / f".{name}.{os.getpid()}.tmp"
    )
    fsync_dir(folder)


def begin(index_dir: Path, change: PendingChange) -> None:
    """Write the record down (durably) before the corpus folder changes."""
    _write_json(_journal(index_dir), PENDING_NAME, change.model_dump())


def pending(index_dir: Path) -> PendingChange | None:
    path = index_dir / JOURNAL_DIR / PENDING_NAME
    if not path.exists():
        return None
    try:
        return PendingChange.model_validate_json(path.read_bytes())
    except ValueError:  # never written half (temporary file, then rename); unreadable = foreign
        log.warning("ignoring an unreadable pending-change record")
        return None


def settle(index_dir: Path) -> list[str]:
    """Decide a change left under way by the current version; call it holding the build lock.

    Returns what was done, one line each (nothing when no change was under way).
    """
    folder = index_dir / JOURNAL_DIR
    for tmp in folder.glob(".*.tmp") if folder.is_dir() else []:
        tmp.unlink(missing_ok=True)  # a record or list a kill left half-written
    change = pending(index_dir)
    notes: list[str] = []
    if change is not None:
        for suffix in {change.suffix, change.old_suffix or change.suffix}:
            for tmp in Path(change.corpus_dir).glob(f".{change.doc_id}{suffix}.*.tmp"):
                tmp.unlink(missing_ok=True)  # the article file a kill left half-written
        if change.archive is not None:
            for tmp in Path(change.corpus_dir).glob(f".{change.archive}.*.tmp"):
                tmp.unlink(missing_ok=True)
        notes.append(_settle(index_dir, change))
    if (folder / PENDING_NAME).exists():
        (folder / PENDING_NAME).unlink()
        fsync_dir(folder)
    return notes


def _settle(index_dir: Path, change: PendingChange) -> str:
    indexed = _indexed_articles(index_dir)
    corpus = Path(change.corpus_dir)
    path = corpus / f"{change.doc_id}{change.suffix}"
    if change.op == "replace":
        return _settle_replace(indexed, corpus, change)
    if change.op == "import":
        return _settle_import(index_dir, indexed, corpus, change)
    if change.op == "unimport":
        return _settle_unimport(index_dir, indexed, corpus, change)
    if change.op == "add":
        if indexed.get(change.doc_id) == change.content_hash:
            forget_indexed(index_dir, {change.doc_id})
            return f"the add of {change.doc_id!r} was committed; kept"
        if not change.file_existed and path.is_file() and sha256_file(path) == change.content_hash:
            remove_article_file(corpus, change.doc_id, suffix=change.suffix)
        return f"the add of {change.doc_id!r} was not committed; undone (its file removed)"
    if change.doc_id not in indexed:
        if path.is_file() and sha256_file(path) == change.content_hash:
            remove_article_file(corpus, change.doc_id, suffix=change.suffix)
        remember_deleted(index_dir, change.doc_id)
        return f"the delete of {change.doc_id!r} was committed; kept"
    if change.raw_b64 is not None and not path.exists():
        write_article_file(
            corpus, change.doc_id, base64.b64decode(change.raw_b64), suffix=change.suffix
        )
    return f"the delete of {change.doc_id!r} was not committed; undone (its file put back)"


def _settle_replace(indexed: dict[str, str], corpus: Path, change: PendingChange) -> str:
    if indexed.get(change.doc_id) == change.content_hash:
        return f"the replacement of {change.doc_id!r} was committed; kept"
    new = corpus / f"{change.doc_id}{change.suffix}"
    if new.is_file() and sha256_file(new) == change.content_hash:
        remove_article_file(corpus, change.doc_id, suffix=change.suffix)
    if change.raw_b64 is not None:
        earlier = base64.b64decode(change.raw_b64)
        old_suffix = change.old_suffix or change.suffix
        old = corpus / f"{change.doc_id}{old_suffix}"
        if not (old.is_file() and old.read_bytes() == earlier):
            write_article_file(corpus, change.doc_id, earlier, suffix=old_suffix)
    return (
        f"the replacement of {change.doc_id!r} was not committed; undone (its earlier file put "
        "back)"
    )


def _settle_import(
    index_dir: Path, indexed: dict[str, str], corpus: Path, change: PendingChange
) -> str:
    """An import is committed when the current version holds every article its archive adds
    (one build made them current together); else the archive is removed."""
    path = corpus / f"{change.doc_id}{change.suffix}"
    if all(indexed.get(doc_id) == wanted for doc_id, wanted in change.articles.items()):
        forget_indexed(index_dir, change.articles)
        return f"the import of {path.name} ({len(change.articles)} article(s)) was committed; kept"
    if path.is_file() and sha256_file(path) == change.content_hash:
        path.unlink()
        fsync_dir(corpus)
    return f"the import of {path.name} was not committed; undone (its archive removed)"


def _settle_unimport(
    index_dir: Path, indexed: dict[str, str], corpus: Path, change: PendingChange
) -> str:
    """Deleting an imported article rewrites its import archive without its line (or removes
    the archive it was alone in): committed when the current version no longer holds it, else
    the archive is written back as it was."""
    name = change.archive or ""
    if change.doc_id not in indexed:
        remember_deleted(index_dir, change.doc_id)
        return f"the delete of {change.doc_id!r} (from {name}) was committed; kept"
    if change.raw_b64 is not None:
        earlier = base64.b64decode(change.raw_b64)
        path = corpus / name
        if not (path.is_file() and path.read_bytes() == earlier):
            write_article_file(corpus, path.stem, earlier, suffix=path.suffix)
    return f"the delete of {change.doc_id!r} (from {name}) was not committed; undone"


def _indexed_articles(index_dir: Path) -> dict[str, str]:
    """doc_id -> content hash of the current version; empty when there is none to read."""
    try:
        return Manifest.load(current_version(index_dir)).articles
    except (IndexNotBuilt, IndexCorrupt):
        return {}


@dataclass(frozen=True)
class Deletion:
    """An article deleted through the API: its id and when the delete was committed (ISO
    8601, UTC, to the second), None for one remembered before times were kept."""

    doc_id: str
    at: str | None


def _deleted(index_dir: Path) -> dict[str, str | None]:
    """The ids deleted through the API, oldest first, each with its time (None unknown)."""
    path = index_dir / JOURNAL_DIR / DELETED_NAME
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(entries, list):
        return {}
    found: dict[str, str | None] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            at = entry.get("at")
            found[entry["id"]] = at if isinstance(at, str) else None
        elif isinstance(entry, str):  # written before the times were kept
            found[entry] = None
    return found


def _write_deleted(index_dir: Path, deleted: dict[str, str | None]) -> None:
    entries = [{"id": doc_id, "at": at} for doc_id, at in deleted.items()]
    _write_json(_journal(index_dir), DELETED_NAME, entries[-REMEMBERED_DELETES:])


def was_deleted(index_dir: Path, doc_id: str) -> bool:
    """Whether `doc_id` was deleted through the API (and not added again since)."""
    return doc_id in _deleted(index_dir)


def deletion(index_dir: Path, doc_id: str) -> Deletion | None:
    """How `doc_id` was deleted through the API (and not added again since), else None: an
    id never indexed, one deleted otherwise (its file taken out and the index rebuilt), or one
    of more than `REMEMBERED_DELETES` deleted since."""
    deleted = _deleted(index_dir)
    return Deletion(doc_id, deleted[doc_id]) if doc_id in deleted else None


def remember_deleted(index_dir: Path, doc_id: str, *, at: datetime | None = None) -> None:
    """Remember `doc_id` as deleted now (or `at`), the latest of the ids remembered."""
    when = (at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    deleted = {i: t for i, t in _deleted(index_dir).items() if i != doc_id}
    deleted[doc_id] = when.isoformat().replace("+00:00", "Z")
    _write_deleted(index_dir, deleted)


def forget_indexed(index_dir: Path, doc_ids: Collection[str]) -> None:
    """Forget the deletes of `doc_ids`, the articles a version just made current holds: an id
    deleted through the API and indexed again another way (its file put back and the index
    rebuilt) is no longer gone, and once taken out by hand is a 404, not a 410 naming the
    first delete."""
    deleted = _deleted(index_dir)
    if any(doc_id in doc_ids for doc_id in deleted):
        _write_deleted(index_dir, {i: t for i, t in deleted.items() if i not in doc_ids})


def raw_b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
