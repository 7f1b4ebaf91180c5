"""Reading a folder of `.txt` articles."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from qa.articles import make_article
from qa.models import Article

log = logging.getLogger(__name__)

DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}$"
_DOC_ID = re.compile(DOC_ID_PATTERN)


def read_corpus(folder: Path) -> tuple[list[Article], list[str]]:
    """Articles from every `*.txt` in `folder` (sorted by name), and warnings for skipped files.

    A file that is not UTF-8 text, has an unusable name, or has no text left after cleaning is
    skipped with a warning rather than failing the whole build.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder {folder} does not exist")
    articles: list[Article] = []
    warnings: list[str] = []
    for path in sorted(folder.glob("*.txt")):
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
        article = make_article(path.stem, raw)
        if not article.text.strip():
            warnings.append(f"skipped {path.name}: no article text after cleaning")
            continue
        articles.append(article)
    for warning in warnings:
        log.warning(warning)
    return articles, warnings
