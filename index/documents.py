"""Adding, replacing and deleting one article: change the corpus folder, then build
incrementally.

The corpus folder stays the source of truth: an article is added by writing its file (whole
or not at all) and deleted by removing it, and the new index version is built from the folder
by the same incremental path as `scripts/rebuild_index.py`, under the same lock. Each change
is written down first (index/journal.py) and settled after the build, or by the next holder
of the lock if this process dies: it is either in the current version or undone, so folder
and current index never disagree for long.

Both are idempotent: adding an article the current version already holds with the same
content, or deleting one that was deleted through the API, does nothing and says so (`None`),
so a client may retry after a lost answer or a crash.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypedDict

from index import journal
from index.archive_records import archive_origin
from index.builder import BuildReport, Progress, build_lock, rebuild_locked
from index.checksums import sha256_file
from index.corpus import article_file, files_giving, remove_article_file, write_article_file
from index.durable import fsync_dir
from index.file_kinds import is_renamed, suffix_of
from index.formats import read_article_file
from index.html_exports import FACTIVA_SUFFIXES, factiva_refusal
from index.imports import imported_line, without_line
from index.manifest import Manifest
from index.pdf_pages import PdfLimits
from index.text_exports import TEXT_EXPORT_SUFFIX, export_refusal
from index.versions import current_version
from qa.articles import content_hash, make_article, same_article
from qa.errors import BadInput, Conflict, NotFound
from qa.interfaces import Embedder
from qa.models import Article
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
    replace: bool = False,
    read: Article | None = None,
) -> BuildReport | None:
    """Write `<doc_id><suffix>` (.txt, or .html for a page) into the corpus folder and make an
    index holding it current.

    `None` when the current version already holds this very article (a retry). The same id
    with other content is a `Conflict`, unless `replace`: then the article's file is replaced
    by the new one in the same single build (`_replace_locked`). An article the build would
    skip is `BadInput`. `read`: the article `raw` gives, when the caller has read it as the
    build reads the file (a PDF's reading takes a second): it is not read again, neither to
    check it nor by the build.
    """
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if (suffix == TEXT_EXPORT_SUFFIX and (refusal := export_refusal(data))) or (
        suffix in FACTIVA_SUFFIXES and (refusal := factiva_refusal(data))
    ):
        raise BadInput(refusal)  # its file would be read as the export's many articles
    with build_lock(index_dir, timeout_s=index_settings.build_lock_timeout_s):
        manifest = Manifest.load(current_version(index_dir))
        folder = Path(os.path.abspath(manifest.corpus_dir))
        wanted = content_hash(raw)
        indexed = manifest.articles.get(doc_id)
        if indexed == wanted:
            return None
        found = article_file(folder, doc_id, **_reading(index_settings))
        if replace and indexed is not None:
            return _replace_locked(
                index_dir, folder, doc_id, raw, found, suffix=suffix, wanted=wanted,
                embedder=embedder, index_settings=index_settings,
                near_duplicate_threshold=near_duplicate_threshold, progress=progress,
            )  # fmt: skip
        if indexed is not None and found is not None and is_renamed(found):
            raise Conflict(
                f"a document with id {doc_id!r} exists with other content, read from the file "
                f"{found.name!r}; change that file and rebuild the index to replace it"
            )
        if (
            indexed is not None
            and found is not None
            and (
                (other := _other_source(folder, doc_id, found, index_settings=index_settings))
                is not None
            )
        ):
            raise Conflict(
                f"a document with id {doc_id!r} exists with other content, and {found.name} and "
                f"{other} both give that id; rename or remove one of them first"
            )
        if indexed is not None and found is None:  # from an archive: PUT cannot replace it
            raise Conflict(
                f"a document with id {doc_id!r} exists with other content; "
                + _archive_conflict(folder, doc_id, index_settings)
            )
        if indexed is not None:
            if _reads_the_same(found, indexed, doc_id, raw, suffix):
                return None  # a retry of an add an earlier release wrote out differently
            raise Conflict(
                f"a document with id {doc_id!r} exists with other content; send it with PUT "
                f"/documents/{doc_id} to replace it"
            )
        if found is not None and found.name != f"{doc_id}{suffix}":
            raise Conflict(
                f"the corpus folder holds another, unindexed file for id {doc_id!r} "
                f"({found.name}); remove it or choose another id"
            )
        path = folder / f"{doc_id}{suffix}"
        existed = path.exists()
        if existed and (not path.is_file() or sha256_file(path) != wanted):
            raise Conflict(
                f"the corpus folder holds another, unindexed file for id {doc_id!r}; remove it "
                "or choose another id"
            )
        if read is None:
            _check_readable(doc_id, raw, suffix, index_settings, kept="nothing was added")

        def write() -> None:
            if not existed:
                write_article_file(folder, doc_id, raw, suffix=suffix)

        return _journalled(
            index_dir,
            journal.PendingChange(
                op="add", doc_id=doc_id, content_hash=wanted, corpus_dir=str(folder),
                file_existed=existed, suffix=suffix,
            ),
            write,
            embedder=embedder, index_settings=index_settings,
            near_duplicate_threshold=near_duplicate_threshold, progress=progress,
            require={doc_id: wanted},  # else nothing is made current, and the file goes
            read={doc_id: read.model_copy(update={"doc_id": doc_id})} if read else None,
        )  # fmt: skip


def _journalled(
    index_dir: Path,
    change: journal.PendingChange,
    apply: Callable[[], None],
    *,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
    progress: Progress | None = None,
    require: Mapping[str, str] | None = None,
    read: Mapping[str, Article] | None = None,
) -> BuildReport:
    """Write `change` down, `apply` it to the corpus folder, build from the folder and make the
    version current; then settle the record: kept if committed, else the folder change undone
    (index/journal.py). Holding the build lock."""
    journal.begin(index_dir, change)
    try:
        apply()
        return rebuild_locked(
            Path(change.corpus_dir),
            index_dir,
            embedder=embedder,
            progress=progress,
            dense_settings=index_settings,
            near_duplicate_threshold=near_duplicate_threshold,
            require=require,
            read=read,
        )
    finally:
        journal.settle(index_dir)


def _replace_locked(
    index_dir: Path,
    folder: Path,
    doc_id: str,
    raw: str | bytes,
    found: Path | None,
    *,
    suffix: str,
    wanted: str,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
    progress: Progress | None,
) -> BuildReport:
    """Put the new file in place of the indexed article's and build once, so there is no
    version without the article in between; holding the build lock. Refused where a delete
    would be (an article from an archive line, or read from a file whose name is not its id,
    or whose id two sources give): the change log restores a file by its id."""
    if found is None:
        raise Conflict(_archive_conflict(folder, doc_id, index_settings))
    if is_renamed(found):
        raise Conflict(
            f"a document with id {doc_id!r} exists with other content, read from the file "
            f"{found.name!r}; change that file and rebuild the index to replace it"
        )
    if (other := _other_source(folder, doc_id, found, index_settings=index_settings)) is not None:
        raise Conflict(
            f"{found.name} and {other} both give the id {doc_id!r}; rename or remove one of "
            "them first"
        )
    _check_readable(doc_id, raw, suffix, index_settings, kept="the stored article is unchanged")
    old_suffix = found.name[len(doc_id) :]
    if old_suffix.lower() == suffix.lower():
        suffix = old_suffix  # "ferry.TXT" stays that file (one file on a case-blind disk)

    def swap() -> None:
        write_article_file(folder, doc_id, raw, suffix=suffix)  # atomic over a same-named file
        if old_suffix != suffix:
            remove_article_file(folder, doc_id, suffix=old_suffix)

    # a version without the new article is never made current: the build refuses first, and
    # settling puts the earlier file back, so the earlier article stays served
    return _journalled(
        index_dir,
        journal.PendingChange(
            op="replace", doc_id=doc_id, content_hash=wanted, corpus_dir=str(folder),
            raw_b64=journal.raw_b64(found.read_bytes()), suffix=suffix, old_suffix=old_suffix,
        ),
        swap,
        embedder=embedder, index_settings=index_settings,
        near_duplicate_threshold=near_duplicate_threshold, progress=progress,
        require={doc_id: wanted},
    )  # fmt: skip


class _Reading(TypedDict):
    max_bytes: int
    pdf_limits: PdfLimits


def _reading(settings: IndexSettings) -> _Reading:
    """What tells an export from one article as the build with `settings` reads the folder
    (the largest file it reads, what reading a PDF may take), for `article_file` and
    `archive_origin`: a check under other limits would see other ids."""
    return _Reading(max_bytes=settings.max_document_bytes, pdf_limits=PdfLimits.of(settings))


def _archive_conflict(folder: Path, doc_id: str, index_settings: IndexSettings) -> str:
    """Why an indexed article read from an archive is not replaced (by `PUT`, or by an add of
    other content under its id), and what does: for one the API imported, a delete and a new
    add; else an edit of the archive."""
    if imported_line(folder, doc_id, index_settings=index_settings):
        return (
            f"{doc_id!r} was imported with an archive (POST /documents/import); delete it "
            f"(DELETE /documents/{doc_id}) and add the new version"
        )
    origin = archive_origin(folder, doc_id, **_reading(index_settings))
    return (
        f"{doc_id!r} comes from {f'the archive {origin}' if origin else 'no file of its own'}; "
        "change it there and rebuild the index to replace it"
    )


def _reads_the_same(
    found: Path | None, indexed: str, doc_id: str, raw: str | bytes, suffix: str
) -> bool:
    """The stored text file, as the current version indexed it (`indexed`, its hash), and `raw`
    read back as the same article (title, byline, source, date and body): a client retrying an
    add after an upgrade sends what an earlier release wrote out in another shape
    (`qa/articles.py: compose_raw`), so the files' hashes differ while the article does not. A
    file edited since the index was built is not what is served, so it is no retry of it."""
    if found is None or suffix != ".txt" or suffix_of(found) != ".txt":
        return False
    if sha256_file(found) != indexed:
        return False
    try:
        stored = found.read_bytes().decode("utf-8")
        sent = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except (OSError, UnicodeDecodeError):
        return False
    return same_article(make_article(doc_id, stored), make_article(doc_id, sent))


def _check_readable(
    doc_id: str, raw: str | bytes, suffix: str, settings: IndexSettings, *, kept: str
) -> None:
    """`BadInput` when the build would skip the article (too large, no text after cleaning,
    not a page): read as the build reads a file, from a scratch folder, before anything is
    written or rebuilt, so a refused article leaves the index and the folder as they were
    (`kept` says so: nothing added, or the stored article unchanged)."""
    scratch = Path(tempfile.mkdtemp(prefix="qa-add-"))
    trial = scratch / f"{doc_id}{suffix}"
    try:  # one file: removed by hand, not by a tree removal that a build's pruning shares
        trial.write_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
        read = read_article_file(
            trial, max_bytes=settings.max_document_bytes, pdf_limits=PdfLimits.of(settings)
        )
    finally:
        trial.unlink(missing_ok=True)
        scratch.rmdir()
    if not read.articles:
        raise BadInput(
            f"the article could not be indexed ({'; '.join(read.warnings) or 'skipped'}); {kept}"
        )


def _other_source(
    folder: Path, doc_id: str, path: Path, *, index_settings: IndexSettings
) -> str | None:
    """Another file or archive record of `folder` that gives `doc_id`, besides `path`."""
    reading = _reading(index_settings)
    others = [
        other.name for other in files_giving(folder, doc_id, **reading) if other.name != path.name
    ]
    if others:
        return others[0]
    origin = archive_origin(folder, doc_id, **reading)
    return str(origin) if origin else None


def delete_article(
    index_dir: Path,
    doc_id: str,
    *,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
) -> BuildReport | None:
    """Remove the article's file from the corpus folder and make an index without it current.

    `None` when the id was deleted before (a retry). An id never indexed is `NotFound`, even
    when a file of that name is in the folder (one the index skipped, or not an article at
    all): the API deletes articles, not other files, and keeps no copy to restore such a file
    from. An article from an archive (.jsonl, .json, .csv, .tsv) is not deleted (`Conflict`): its
    line or row is in a file that holds other articles too,
    so it is taken out by editing that archive. Nor is one whose id was made of its file's name
    ("Fire - Post.html" → "Fire-Post"): the change log restores a file by its id.
    """
    with build_lock(index_dir, timeout_s=index_settings.build_lock_timeout_s):
        manifest = Manifest.load(current_version(index_dir))
        folder = Path(os.path.abspath(manifest.corpus_dir))
        path = article_file(folder, doc_id, **_reading(index_settings))
        suffix = path.name[len(doc_id) :] if path is not None else ".txt"
        if doc_id not in manifest.articles:
            if journal.was_deleted(index_dir, doc_id):
                return None
            if path is not None and path.is_file():  # a file the index skipped: not an article
                raise NotFound(
                    f"no document with id {doc_id!r}: the corpus folder has a file "
                    f"{path.name!r}, but it is not indexed (a rebuild says why); it is left as "
                    "it is"
                )
            raise NotFound(f"no document with id {doc_id!r}; GET /documents lists the ids")
        if set(manifest.articles) <= {doc_id}:
            raise Conflict(f"{doc_id!r} is the only article; an index needs at least one")
        if path is not None and is_renamed(path):
            raise Conflict(
                f"{doc_id!r} is read from the file {path.name!r}, whose name is not its id; "
                "delete that file and rebuild the index, or rename it to "
                f"{doc_id + (suffix_of(path) or '')!r} to manage it through the API"
            )
        if (
            path is not None
            and (other := _other_source(folder, doc_id, path, index_settings=index_settings))
            is not None
        ):
            raise Conflict(
                f"{path.name} and {other} both give the id {doc_id!r}: the index holds the one "
                "read first, and deleting one would bring the other back in its place; rename "
                "or remove one of them first"
            )
        if path is None and (
            imported := imported_line(folder, doc_id, index_settings=index_settings)
        ):
            return _unimport_locked(
                index_dir, folder, doc_id, imported, content_hash=manifest.articles[doc_id],
                embedder=embedder, index_settings=index_settings,
                near_duplicate_threshold=near_duplicate_threshold,
            )  # fmt: skip
        if path is None and (origin := archive_origin(folder, doc_id, **_reading(index_settings))):
            raise Conflict(
                f"{doc_id!r} comes from the archive {origin}; remove "
                f"{origin.those} "
                "and rebuild the index to delete it"
            )
        raw = path.read_bytes() if path is not None and path.is_file() else None

        def remove() -> None:
            if raw is not None:
                remove_article_file(folder, doc_id, suffix=suffix)

        return _journalled(
            index_dir,
            journal.PendingChange(
                op="delete", doc_id=doc_id, content_hash=manifest.articles[doc_id],
                corpus_dir=str(folder), raw_b64=journal.raw_b64(raw) if raw is not None else None,
                suffix=suffix,
            ),
            remove,
            embedder=embedder, index_settings=index_settings,
            near_duplicate_threshold=near_duplicate_threshold,
        )  # fmt: skip


def _unimport_locked(
    index_dir: Path,
    folder: Path,
    doc_id: str,
    imported: tuple[Path, int],
    *,
    content_hash: str,
    embedder: Embedder,
    index_settings: IndexSettings,
    near_duplicate_threshold: float | None,
) -> BuildReport:
    """Delete an article the document API imported (index/imports.py): its line is taken out
    of the import archive, which is removed when no other line is left; holding the build
    lock. Settled like any change: a crash before the commit writes the archive back."""
    archive, number = imported
    earlier = archive.read_bytes()
    remaining = without_line(earlier, number)

    def remove() -> None:
        if remaining:
            write_article_file(folder, archive.stem, remaining, suffix=archive.suffix)
        else:
            archive.unlink()
            fsync_dir(folder)

    return _journalled(
        index_dir,
        journal.PendingChange(
            op="unimport", doc_id=doc_id, content_hash=content_hash, corpus_dir=str(folder),
            raw_b64=journal.raw_b64(earlier), suffix=".jsonl", archive=archive.name,
        ),
        remove,
        embedder=embedder, index_settings=index_settings,
        near_duplicate_threshold=near_duplicate_threshold,
    )  # fmt: skip
