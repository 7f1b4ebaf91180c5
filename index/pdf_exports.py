"""The articles of a Nexis Uni export saved as PDF: a `.pdf` whose text is one (qa/nexis_pdf.py
lays its pages out as the lines of the Word export, qa/nexis.py reads those), told from any
other PDF (one article, index/pdf_pages.py) by its content alone.

Each article comes out as an `Entry` (index/exports.py: `nexis_entries`) numbered by its place
in the export ("results.pdf item 3"), whose fields are an archive record's, so it is checked,
cleaned and given its id as any archive record is (qa/archives.py): the id from its title and
text, which the same document's Word export gives it too.

Reading a PDF is a child process of a second or more, and a PDF's content alone says whether
it is an export: the build reads each once (index/formats.py hands the pages it read to the
reader it chooses), and what was found is kept by the file's SHA-256 (`_Verdicts`), so the
questions asked of a corpus folder on every import and delete (which ids it gives, which files
are archives) read a PDF only when its bytes are new (or, for an export, when its articles
were let go to keep the memory they take bounded).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from index.exports import Entry, nexis_entries, read_limited
from index.pdf_pages import LIMITS, PdfLimits, read_pdf
from qa.errors import BadInput
from qa.nexis import NexisArticle
from qa.nexis_pdf import nexis_pdf_articles
from qa.pdf_text import PdfDocument

PDF_SUFFIX = ".pdf"
# what is kept: whether each PDF is an export (a few bytes each), and exports' articles up to
# this much text (characters): some seventy exports of a hundred news stories. A folder's
# exports are all read again by each import and delete (`ids_in_folder` needs their ids), so
# a bound of a few exports had a folder of more read every one of them every time.
_VERDICTS = 4096
_ARTICLE_CHARS = 32_000_000


def _size(articles: tuple[NexisArticle, ...]) -> int:
    """The text the articles hold, in characters (at least 1 for an export of empty ones)."""
    return max(1, sum(len(p) for a in articles for p in a.paragraphs))


class _Verdicts:
    """What reading a PDF found, by the SHA-256 of its bytes: whether it is an export, and an
    export's articles. Keyed by content, an entry is never stale; a PDF that could not be read
    is not kept (its reading says why, each time). When the articles kept pass
    `article_chars`, the least recently used export's articles go, its verdict stays."""

    def __init__(self, *, verdicts: int = _VERDICTS, article_chars: int = _ARTICLE_CHARS) -> None:
        self._exports: OrderedDict[str, bool] = OrderedDict()
        self._articles: OrderedDict[str, tuple[NexisArticle, ...]] = OrderedDict()
        self._chars = 0
        self._verdicts = verdicts
        self._article_chars = article_chars
        self._lock = threading.Lock()

    def verdict(self, digest: str) -> bool | None:
        """Whether the PDF is an export, None when it was not read (or is long forgotten)."""
        with self._lock:
            found = self._exports.get(digest)
            if found is not None:
                self._exports.move_to_end(digest)
            return found

    def articles(self, digest: str) -> list[NexisArticle] | None:
        """The export's articles when they are kept."""
        with self._lock:
            found = self._articles.get(digest)
            if found is None:
                return None
            self._articles.move_to_end(digest)
            self._exports.move_to_end(digest)
            return list(found)

    def put(self, digest: str, articles: list[NexisArticle] | None) -> None:
        with self._lock:
            self._exports[digest] = articles is not None
            self._exports.move_to_end(digest)
            while len(self._exports) > self._verdicts:
                gone, _ = self._exports.popitem(last=False)
                self._forget(gone)
            self._forget(digest)
            if articles is None:
                return
            self._articles[digest] = tuple(articles)
            self._chars += _size(self._articles[digest])
            while self._chars > self._article_chars and len(self._articles) > 1:
                self._forget(next(iter(self._articles)))  # the oldest's articles; its verdict stays

    def _forget(self, digest: str) -> None:
        """Let an export's articles go (the lock held)."""
        if digest in self._articles:
            self._chars -= _size(self._articles.pop(digest))


_FOUND = _Verdicts()


@dataclass(frozen=True)
class PdfReading:
    """What a PDF holds: its articles when it is a Nexis Uni export, else None and its pages
    (`document`, None only for an export known from before)."""

    articles: list[NexisArticle] | None
    document: PdfDocument | None = None


def read_pdf_file(data: bytes, *, limits: PdfLimits = LIMITS) -> PdfReading:
    """The PDF `data` read as an export or as one article's pages, at most once: an export
    known by its bytes is not read again; `BadInput` when it cannot be read."""
    digest = hashlib.sha256(data).hexdigest()
    articles = _FOUND.articles(digest)
    if articles is not None:
        return PdfReading(articles)
    document = read_pdf(data, limits=limits)
    articles = nexis_pdf_articles(document)
    _FOUND.put(digest, articles)
    return PdfReading(articles, document)


def pdf_export_articles(data: bytes, *, limits: PdfLimits = LIMITS) -> list[NexisArticle] | None:
    """The articles of the PDF `data` when it is a Nexis Uni export, else None (read only when
    its bytes are new); `BadInput` when it cannot be read."""
    digest = hashlib.sha256(data).hexdigest()
    if _FOUND.verdict(digest) is False:
        return None
    return _FOUND.articles(digest) or read_pdf_file(data, limits=limits).articles


def is_pdf_export(path: Path, *, max_bytes: int) -> bool:
    """Whether the PDF `path` is a Nexis Uni export (one that cannot be read is not: it is
    skipped as the PDF it is, saying why)."""
    try:
        data = read_limited(path, max_bytes=max_bytes, gzipped=False)
        known = _FOUND.verdict(hashlib.sha256(data).hexdigest())
        return known if known is not None else pdf_export_articles(data) is not None
    except (OSError, BadInput):
        return False


def pdf_export_entries(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    """The articles of the export `path`, each an `Entry`; `BadInput` (before the first) when
    the file is too large, cannot be read, or is no export."""
    articles = pdf_export_articles(read_limited(path, max_bytes=max_bytes, gzipped=False))
    if articles is None:
        raise BadInput(_NO_EXPORT)
    yield from nexis_entries(articles)


_NO_EXPORT = (
    "not a Nexis Uni export (no 'End of Document' line with a 'Body' line before it), so one "
    "article"
)
