"""Reading a corpus folder: text files, saved web pages and .jsonl archives (index/formats.py)."""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path

from index.durable import fsync_dir, replace_atomically
from index.formats import (
    ARCHIVE_SUFFIXES,
    PAGE_SUFFIXES,
    TEXT_SUFFIXES,
    article_files,
    doc_id_of,
    read_article_file,
    suffix_of,
)
from qa.extraction import DEFAULT_OPTIONS, ExtractionOptions
from qa.models import Article
from qa.settings import MAX_DOCUMENT_BYTES

log = logging.getLogger(__name__)

DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}$"
_DOC_ID = re.compile(DOC_ID_PATTERN)


def read_corpus(
    folder: Path,
    *,
    known: Mapping[str, Article] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    extraction: ExtractionOptions = DEFAULT_OPTIONS,
) -> tuple[list[Article], list[str]]:
    """Articles from every article file in `folder` (sorted by name), and a warning for each
    file or archive line skipped.

    A file that is not UTF-8 text (pages: not decodable), is binary, too large, has an unusable
    name, or has no article text is skipped with a warning rather than failing the whole build;
    so is an archive line that is not a valid record, and an article whose id an earlier file
    already gave. An article whose content hash matches its article in `known` (the current
    index) is not cleaned again: that article is reused as it is.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder {folder} does not exist")
    articles: list[Article] = []
    warnings: list[str] = []
    origin: dict[str, str] = {}
    paths = article_files(folder)
    for done, path in enumerate(paths, start=1):
        if progress:
            progress("articles", done, len(paths))
        if suffix_of(path) not in ARCHIVE_SUFFIXES and not _DOC_ID.match(doc_id_of(path)):
            warnings.append(
                f"skipped {path.name}: its name is not a usable document id (letters, digits, "
                f"'.', '_' and '-', up to 200, starting with a letter or digit): rename it, "
                f"e.g. to {usable_name(path)!r}"
            )
            continue
        found = read_article_file(path, max_bytes=max_bytes, known=known, extraction=extraction)
        warnings.extend(found.warnings)
        for article, where in zip(found.articles, found.origins, strict=True):
            if article.doc_id in origin:
                warnings.append(
                    f"skipped {where}: its id {article.doc_id!r} is already used by "
                    f"{origin[article.doc_id]}"
                )
                continue
            origin[article.doc_id] = where
            articles.append(article)
    for warning in warnings:
        log.warning(warning)
    return articles, warnings


def usable_name(path: Path) -> str:
    """A name the file could take ("Fire - Post (1).html" → "Fire-Post-1.html"): accents
    dropped, every run of other characters one hyphen."""
    suffix = suffix_of(path) or path.suffix
    plain = unicodedata.normalize("NFKD", doc_id_of(path)).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_.]+", "-", plain).strip("-._")[:200] or "article"
    return f"{stem}{suffix}"


def write_article_file(
    folder: Path, doc_id: str, raw: str | bytes, *, suffix: str = ".txt"
) -> Path:
    """Write `<doc_id><suffix>` whole or not at all: a temporary file, fsync, then one rename."""
    if not _DOC_ID.match(doc_id):
        raise ValueError(f"{doc_id!r} is not a usable document id ({DOC_ID_PATTERN})")
    target = folder / f"{doc_id}{suffix}"
    tmp = folder / f".{doc_id}{suffix}.{os.getpid()}.tmp"  # hidden: never read as an article
    replace_atomically(target, raw.encode("utf-8") if isinstance(raw, str) else raw, tmp=tmp)
    fsync_dir(folder)
    return target


def remove_article_file(folder: Path, doc_id: str, *, suffix: str = ".txt") -> None:
    (folder / f"{doc_id}{suffix}").unlink()
    fsync_dir(folder)


def article_file(folder: Path, doc_id: str) -> Path | None:
    """The single-article file (.txt or a page) that holds `doc_id`, if there is one."""
    for suffix in TEXT_SUFFIXES + PAGE_SUFFIXES:
        path = folder / f"{doc_id}{suffix}"
        if path.exists():
            return path
    return None
