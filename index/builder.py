"""Build an index version from a corpus folder and make it current only once it is complete.

Builds are incremental: articles whose raw file hash matches the current version are not
cleaned again, and paragraphs (and sentences) it already holds keep their stored vectors, so
only new or changed text is embedded. `full=True` starts from nothing. One build runs at a
time per index folder (a file lock shared by the script and the server), and each build goes
into a new version folder that becomes `current` in one atomic rename.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from index.corpus import read_corpus
from index.durable import storage_problem
from index.file_kinds import SUFFIXES
from index.journal import forget_indexed, settle
from index.manifest import Changes, recorded_skips
from index.pdf_pages import PdfLimits
from index.skips import Skips
from index.store import CorpusIndex
from index.versions import clean_leftovers, current_version, make_current, new_version_dir
from qa.cleaning import CLEANER_VERSION
from qa.errors import BadInput, BuildBusy, Conflict, EmptyCorpus, QAError, StorageFailed
from qa.interfaces import Embedder
from qa.models import Article
from qa.settings import IndexSettings, Settings

log = logging.getLogger(__name__)

LOCK_NAME = ".build.lock"

Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    version: Path  # the current version after the build (the old one when nothing changed)
    articles: int
    paragraphs: int
    sentences: int
    seconds: float
    warnings: Skips = field(default_factory=Skips)
    full: bool = True
    up_to_date: bool = False  # nothing changed: no new version was written
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded_paragraphs: int = 0
    embedded_sentences: int = 0
    duplicates: int = 0
    rewritten: str | None = None  # why a new version though no article changed

    @property
    def skipped(self) -> int:
        """Files and archive records left out (each has a warning saying why, or past a
        file's first `LISTED_SKIPS` is counted in one)."""
        return self.warnings.total


@contextmanager
def build_lock(index_dir: Path, *, timeout_s: float = -1) -> Iterator[list[str]]:
    """Hold the one-build-at-a-time lock of `index_dir`; `BuildBusy` (a `Conflict`) after
    `timeout_s` (-1 waits).

    Whoever takes the lock first settles what a killed process left (no build is under way
    while it is held): a document change under way is kept or undone by the current version
    (index/journal.py), half-removed and unfinished versions are removed (`clean_leftovers`).
    The lock yields what was recovered, one line each.
    """
    lock = FileLock(index_dir / LOCK_NAME, thread_local=False)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=timeout_s)
    except Timeout as exc:
        raise BuildBusy("another index build is running; try again when it has finished") from exc
    except OSError as exc:
        if (failed := _storage_failed(exc, index_dir)) is None:
            raise
        raise failed from exc
    try:
        recovered = settle(index_dir) + clean_leftovers(index_dir)
        for note in recovered:
            log.warning("recovered: %s", note)
        yield recovered
    except (OSError, RuntimeError) as exc:  # a full or read-only disk, said in words
        if (failed := _storage_failed(exc, index_dir)) is None:
            raise
        raise failed from exc
    finally:
        lock.release()


def _storage_failed(exc: OSError | RuntimeError, index_dir: Path) -> StorageFailed | None:
    """`StorageFailed` saying which folder could not be written and why, when the disk is the
    cause (numpy's "41472 requested and 23520 written" or a bare 500 said neither); else None.
    No path: an API problem detail carries none. What the lock's holder was doing is
    undone by then (the version folder removed, the document change settled)."""
    problem = storage_problem(exc)
    if problem is None:
        return None
    why, advice = problem
    name = getattr(exc, "filename", None)
    where = (
        "the corpus folder"
        if name is not None and not Path(os.path.abspath(name)).is_relative_to(index_dir.absolute())
        else "the index folder (index/ in the data folder)"
    )
    return StorageFailed(
        f"{where} cannot be written: {why}; nothing half-written was kept. {advice}"
    )


def recover(index_dir: Path) -> list[str]:
    """Settle what killed processes left (see `build_lock`) now, e.g. at server start-up.

    If a build holds the lock, nothing is done here: that build settled it when it started.
    """
    try:
        with build_lock(index_dir, timeout_s=0) as recovered:
            return recovered
    except Conflict:
        log.info("an index build is running; it has settled what earlier ones left")
        return []


def rebuild_index(
    corpus_dir: Path,
    index_dir: Path,
    *,
    embedder: Embedder,
    progress: Progress | None = None,
    dense_settings: IndexSettings | None = None,
    full: bool = False,
    near_duplicate_threshold: float | None = None,
    lock_timeout_s: float = -1,
) -> BuildReport:
    """Clean, split, embed and store `corpus_dir`; the previous index stays current on failure."""
    with build_lock(index_dir, timeout_s=lock_timeout_s):
        return rebuild_locked(
            corpus_dir,
            index_dir,
            embedder=embedder,
            progress=progress,
            dense_settings=dense_settings,
            full=full,
            near_duplicate_threshold=near_duplicate_threshold,
        )


def rebuild_configured(
    corpus_dir: Path,
    settings: Settings,
    *,
    embedder: Embedder,
    progress: Progress | None = None,
    full: bool = False,
    lock_timeout_s: float = -1,
) -> BuildReport:
    """`rebuild_index` into `settings`' index with its index options and near-duplicate
    removal: the build `scripts/rebuild_index.py` makes, for every script that measures or
    serves one like it."""
    return rebuild_index(
        corpus_dir,
        settings.index_dir,
        embedder=embedder,
        progress=progress,
        dense_settings=settings.index,
        full=full,
        near_duplicate_threshold=settings.retrieval.near_duplicate_threshold,
        lock_timeout_s=lock_timeout_s,
    )


def rebuild_locked(
    corpus_dir: Path,
    index_dir: Path,
    *,
    embedder: Embedder,
    progress: Progress | None = None,
    dense_settings: IndexSettings | None = None,
    full: bool = False,
    near_duplicate_threshold: float | None = None,
    require: Mapping[str, str] | None = None,
    read: Mapping[str, Article] | None = None,
) -> BuildReport:
    """`rebuild_index` for a caller that already holds `build_lock(index_dir)`. `require`:
    article ids and the content hashes the new version must hold (the document API's add or
    replacement); when the folder does not give them so, `BadInput` is raised before anything
    is built or made current. `read`: articles the caller has read from files it wrote (a
    PDF's reading takes a second), by id, reused as an unchanged article is when the file
    still has their content hash."""
    started = time.perf_counter()
    previous = None if full else _reusable_current(index_dir, embedder)
    # another cleaner: every article is cleaned again, but an unchanged paragraph text keeps its
    # vectors (its id names the text); only its sentence spans are split again
    recleaned = previous is not None and previous.manifest.cleaner_version != CLEANER_VERSION
    known = previous.articles if previous is not None and not recleaned else None
    if read:
        known = {**(known or {}), **read}
    settings = dense_settings or IndexSettings()
    articles, warnings = read_corpus(
        corpus_dir,
        known=known,
        progress=progress,
        max_bytes=settings.max_document_bytes,
        pdf_limits=PdfLimits.of(settings),
    )
    if not articles:
        raise EmptyCorpus(
            f"no usable articles in {corpus_dir} ({', '.join(SUFFIXES)} files)"
            + (f"; {len(warnings)} skipped, the first: {warnings[0]}" if warnings else "")
        )
    hashes = {a.doc_id: a.content_hash for a in articles}
    for doc_id, wanted in (require or {}).items():
        if hashes.get(doc_id) != wanted:
            why = [w for w in warnings if w.startswith(f"skipped {doc_id}.")]
            raise BadInput(
                f"the article {doc_id!r} could not be indexed ({'; '.join(why) or 'skipped'}); "
                "nothing was changed"
            )
    base = current_version(index_dir).name if previous is not None else None
    changes = _changes(previous, base, hashes)
    unchanged = previous is not None and not (changes.added or changes.changed or changes.removed)
    skips = recorded_skips(warnings)
    skipped = warnings.total
    rewritten = (
        _why_rewritten(previous, corpus_dir, near_duplicate_threshold)
        or _skips_changed(previous, skips, skipped)
        if unchanged
        else None
    )
    if previous is not None and unchanged and rewritten is None:
        return BuildReport(
            version=current_version(index_dir),
            articles=len(articles),
            paragraphs=len(previous.paragraphs),
            sentences=len(previous.sentences),
            seconds=time.perf_counter() - started,
            warnings=warnings,
            full=False,
            up_to_date=True,
            duplicates=len(previous.manifest.duplicates),
        )
    version = new_version_dir(index_dir)
    try:
        built = CorpusIndex.build(
            articles,
            embedder=embedder,
            cleaner_version=CLEANER_VERSION,
            corpus_dir=os.path.abspath(corpus_dir),  # the document API writes into it
            progress=progress,
            previous=previous,
            near_duplicate_threshold=near_duplicate_threshold,
            changes=changes,
            dense_settings=dense_settings,
            reuse_sentence_spans=not recleaned,
        )
        # kept in the version, so GET /admin/index shows them until the next build
        built.manifest = built.manifest.model_copy(update={"skipped": skipped, "skips": skips})
        built.save(version)
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)  # never half-written: current is untouched
        raise
    make_current(index_dir, version)
    forget_indexed(index_dir, hashes)  # an id deleted through the API and now indexed again
    return BuildReport(
        version=version,
        articles=len(articles),
        paragraphs=len(built.paragraphs),
        sentences=len(built.sentences),
        seconds=time.perf_counter() - started,
        warnings=warnings,
        full=previous is None,
        added=changes.added,
        changed=changes.changed,
        removed=changes.removed,
        embedded_paragraphs=built.manifest.changes.embedded_paragraphs,
        embedded_sentences=built.manifest.changes.embedded_sentences,
        duplicates=len(built.manifest.duplicates),
        rewritten=rewritten,
    )


def _why_rewritten(
    previous: CorpusIndex | None, corpus_dir: Path, near_duplicate_threshold: float | None
) -> str | None:
    """Why a new version is written though no article changed, or None (it is up to date)."""
    if previous is None:
        return None
    if previous.manifest.cleaner_version != CLEANER_VERSION:
        return (
            f"the cleaner changed ({previous.manifest.cleaner_version} → {CLEANER_VERSION}): "
            "every article was cleaned again"
        )
    if previous.manifest.near_duplicate_threshold != near_duplicate_threshold:
        return "the near-duplicate threshold changed"
    if not previous.lexical.folds_accents:
        return "keyword search now reads words without their accents"
    if not previous.lexical.writes_out_amounts:
        return "keyword search now reads amounts written short as written out"
    if not previous.lexical.keeps_short_amounts:
        return "keyword search now keeps an amount's short form beside the written-out one"
    # the same articles read from another folder: a new version records that folder, or
    # POST /documents would go on writing into the old one
    if os.path.realpath(previous.manifest.corpus_dir) != os.path.realpath(corpus_dir):
        return "the articles are read from another folder"
    return None


def _skips_changed(previous: CorpusIndex | None, skips: list[str], skipped: int) -> str | None:
    """Why a new version is written for the skipped files alone (a broken file added, or one
    fixed that gives no new article): the version's record of them would be wrong. None when
    they are as recorded."""
    if previous is None or (previous.manifest.skips, previous.manifest.skipped) == (
        skips,
        skipped,
    ):
        return None
    return "the files and archive records it skips changed"


def _reusable_current(index_dir: Path, embedder: Embedder) -> CorpusIndex | None:
    """The current version if an incremental build may start from it (its vectors reused),
    else None (full build)."""
    if not (index_dir / "current").exists():
        return None
    try:
        previous = CorpusIndex.load(current_version(index_dir))
    except QAError as exc:  # a damaged current version is rebuilt from scratch, not reused
        log.warning("current index cannot be reused (%s); building everything", exc)
        return None
    if previous.manifest.cleaner_version != CLEANER_VERSION:
        log.warning("current index was cleaned with cleaner %s; cleaning every article again "
                    "(unchanged paragraphs keep their vectors)",
                    previous.manifest.cleaner_version)  # fmt: skip
    if previous.manifest.embedding_model != embedder.model_name:
        return None  # its vectors mean nothing to this model
    if previous.paragraph_vectors is None:
        return None  # built before paragraph vectors were kept: nothing to reuse
    return previous


def _changes(previous: CorpusIndex | None, base: str | None, hashes: dict[str, str]) -> Changes:
    if previous is None:
        return Changes(added=sorted(hashes))
    before = previous.manifest.articles
    return Changes(
        base_version=base,
        added=sorted(set(hashes) - set(before)),
        changed=sorted(d for d in hashes if d in before and before[d] != hashes[d]),
        removed=sorted(set(before) - set(hashes)),
    )
