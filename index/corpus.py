"""Reading a corpus folder: text files, saved web pages and archives (index/formats.py)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from index.durable import fsync_dir, replace_atomically
from index.file_kinds import (
    DOC_ID,
    DOC_ID_PATTERN,
    SUFFIXES,
    article_files,
    doc_id_of,
    is_archive,
    is_renamed,
    unread_files,
)
from index.formats import read_article_file
from index.pdf_pages import LIMITS, PdfLimits
from index.skips import Skips
from qa.extraction import DEFAULT_OPTIONS, ExtractionOptions
from qa.models import Article
from qa.settings import MAX_DOCUMENT_BYTES

log = logging.getLogger(__name__)


def read_corpus(
    folder: Path,
    *,
    known: Mapping[str, Article] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    extraction: ExtractionOptions = DEFAULT_OPTIONS,
    pdf_limits: PdfLimits = LIMITS,
) -> tuple[list[Article], Skips]:
    """Articles from every article file in `folder` (sorted by name, files named as their id
    first), and a warning for each file or archive line skipped (`Skips`: at most
    `LISTED_SKIPS` of one file named, the rest of them counted in one line).

    A file whose name is not a document id is read under an id made of its name
    (`index.file_kinds.doc_id_of`). A file that no encoding reads as text, is
    binary, too large, or has no article text is skipped with a warning rather than failing
    the whole build, and so is a file of another kind (a .zip export, an .xlsx workbook);
    so is an archive line that is not a valid record, and an article whose id an earlier file
    already gave. An article whose content hash matches its article in `known` (the current
    index) is not cleaned again: that article is reused as it is.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder {folder} does not exist")
    articles: list[Article] = []
    warnings = Skips()
    origin: dict[str, str] = {}
    paths = reading_order(folder)
    for done, path in enumerate(paths, start=1):
        if progress:
            progress("articles", done, len(paths))
        found = read_article_file(
            path, max_bytes=max_bytes, known=known, extraction=extraction, pdf_limits=pdf_limits
        )
        warnings.merge(found.warnings)
        for article, where in zip(found.articles, found.origins, strict=True):
            if article.doc_id in origin:
                warnings.skip(
                    path.name,
                    f"skipped {where}: its id {article.doc_id!r} is already used by "
                    f"{origin[article.doc_id]}",
                )
                continue
            origin[article.doc_id] = where
            articles.append(article)
    readable = ", ".join(SUFFIXES)
    for path in unread_files(folder):
        warnings.skip(
            path.name,
            f"skipped {path.name}: not a kind of file the index reads ({readable}); convert it "
            "to one of them, or move it out of the folder",
        )
    warnings.close()
    for warning in warnings:
        log.warning(warning)
    return articles, warnings


def reading_order(folder: Path) -> list[Path]:
    """The article files of `folder` in the order a build reads them, the first to give an id
    keeping it: by name, except that files whose ids were made of their names come last (so
    such an id never takes the id of a file named as it). A PDF is not read to sort it (each
    reading is seconds, and the build reads it next): a Nexis Uni export saved as PDF under a
    name that is no id sorts with the renamed files, which its items' ids (made of their
    titles and a hash) never collide with."""
    return sorted(
        article_files(folder),
        key=lambda path: is_renamed(path) and not is_archive(path, read_pdfs=False),
    )


def write_article_file(
    folder: Path, doc_id: str, raw: str | bytes, *, suffix: str = ".txt"
) -> Path:
    """Write `<doc_id><suffix>` whole or not at all: a temporary file, fsync, then one rename."""
    if not DOC_ID.fullmatch(doc_id):
        raise ValueError(f"{doc_id!r} is not a usable document id ({DOC_ID_PATTERN})")
    target = folder / f"{doc_id}{suffix}"
    tmp = folder / f".{doc_id}{suffix}.{os.getpid()}.tmp"  # hidden: never read as an article
    replace_atomically(target, raw.encode("utf-8") if isinstance(raw, str) else raw, tmp=tmp)
    fsync_dir(folder)
    return target


def remove_article_file(folder: Path, doc_id: str, *, suffix: str = ".txt") -> None:
    (folder / f"{doc_id}{suffix}").unlink()
    fsync_dir(folder)


def files_giving(
    folder: Path,
    doc_id: str,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    pdf_limits: PdfLimits = LIMITS,
) -> list[Path]:
    """The single-article files (.txt or pages) of `folder` that give `doc_id`, in reading
    order: the first is the one a build indexes ("harbour.TXT", or "Fire - Post.html" for
    "Fire-Post"); an archive line read before it may hold the id instead
    (`index.archive_records.archive_origin`). `max_bytes`, `pdf_limits`: the build's (settings
    `index.max_document_bytes`, `index.pdf_*`), which tell an export from one article."""
    return [
        path
        for path in reading_order(folder)
        if doc_id_of(path) == doc_id
        and not is_archive(path, max_bytes=max_bytes, pdf_limits=pdf_limits)
    ]


def article_file(
    folder: Path,
    doc_id: str,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    pdf_limits: PdfLimits = LIMITS,
) -> Path | None:
    """The single-article file that gives `doc_id`, if there is one (`files_giving`)."""
    files = files_giving(folder, doc_id, max_bytes=max_bytes, pdf_limits=pdf_limits)
    return next(iter(files), None)
