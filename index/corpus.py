"""Reading a folder of `.txt` articles."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from index.durable import fsync_dir, replace_atomically
from qa.articles import content_hash, make_article
from qa.models import Article

log = logging.getLogger(__name__)

DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}$"
_DOC_ID = re.compile(DOC_ID_PATTERN)


def read_corpus(
    folder: Path,
    *,
    known: Mapping[str, Article] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[Article], list[str]]:
    """Articles from every `*.txt` in `folder` (sorted by name), and warnings for skipped files.

    A file that is not UTF-8 text, has an unusable name, or has no text left after cleaning is
    skipped with a warning rather than failing the whole build. A file whose content hash
    matches its article in `known` (the current index) is not cleaned again: that article is
    reused as it is.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder {folder} does not exist")
    articles: list[Article] = []
    warnings: list[str] = []
    paths = sorted(folder.glob("*.txt"))
    for done, path in enumerate(paths, start=1):
        if progress:
            progress("articles", done, len(paths))
        if not path.is_file():
            warnings.append(f"skipped {path.name}: not a regular file")
            continue
        if not _DOC_ID.match(path.stem):
            warnings.append(f"skipped {path.name}: file name is not a usable document id")
            continue
        try:
            raw = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            warnings.append(f"skipped {path.name}: not UTF-8 text")
            continue
        except OSError as exc:
            warnings.append(f"skipped {path.name}: cannot be read ({exc.strerror})")
            continue
        if "\x00" in raw:
            warnings.append(f"skipped {path.name}: binary content")
            continue
        previous = (known or {}).get(path.stem)
        if previous is not None and previous.content_hash == content_hash(raw):
            articles.append(previous)
            continue
        article = make_article(path.stem, raw)
        if not article.text.strip():
            warnings.append(f"skipped {path.name}: no article text after cleaning")
            continue
        articles.append(article)
    for warning in warnings:
        log.warning(warning)
    return articles, warnings


def write_article_file(folder: Path, doc_id: str, raw: str | bytes) -> Path:
    """Write `<doc_id>.txt` whole or not at all: a temporary file, fsync, then one rename."""
    if not _DOC_ID.match(doc_id):
        raise ValueError(f"{doc_id!r} is not a usable document id ({DOC_ID_PATTERN})")
    target = folder / f"{doc_id}.txt"
    tmp = folder / f".{doc_id}.txt.{os.getpid()}.tmp"  # not *.txt: never read as an article
    replace_atomically(target, raw.encode("utf-8") if isinstance(raw, str) else raw, tmp=tmp)
    fsync_dir(folder)
    return target


def remove_article_file(folder: Path, doc_id: str) -> None:
    (folder / f"{doc_id}.txt").unlink()
    fsync_dir(folder)
