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
are archives) read a PDF only when its bytes are new.
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
# what is kept: whether each PDF is an export (a few bytes each), and an export's articles
_VERDICTS = 4096
_EXPORTS = 32


class _Verdicts:
    """What reading a PDF found, by the SHA-256 of its bytes: its articles when it is an
    export, None when it is one article. Keyed by content, an entry is never stale; a PDF that
    could not be read is not kept (its reading says why, each time)."""

    def __init__(self) -> None:
        self._found: OrderedDict[str, tuple[NexisArticle, ...] | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str) -> tuple[bool, list[NexisArticle] | None]:
        """(known, its articles or None)."""
        with self._lock:
            if digest not in self._found:
                return False, None
            self._found.move_to_end(digest)
            found = self._found[digest]
            return True, (list(found) if found is not None else None)

    def put(self, digest: str, articles: list[NexisArticle] | None) -> None:
        with self._lock:
            self._found[digest] = tuple(articles) if articles is not None else None
            self._found.move_to_end(digest)
            exports = [key for key, found in self._found.items() if found is not None]
            for key in exports[: max(0, len(exports) - _EXPORTS)]:
                del self._found[key]  # the oldest exports: their articles take room
            while len(self._found) > _VERDICTS:
                self._found.popitem(last=False)


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
    known, articles = _FOUND.get(digest)
    if known and articles is not None:
        return PdfReading(articles)
    document = read_pdf(data, limits=limits)
    articles = nexis_pdf_articles(document)
    _FOUND.put(digest, articles)
    return PdfReading(articles, document)


def pdf_export_articles(data: bytes, *, limits: PdfLimits = LIMITS) -> list[NexisArticle] | None:
    """The articles of the PDF `data` when it is a Nexis Uni export, else None (read only when
    its bytes are new); `BadInput` when it cannot be read."""
    known, articles = _FOUND.get(hashlib.sha256(data).hexdigest())
    return articles if known else read_pdf_file(data, limits=limits).articles


def is_pdf_export(path: Path, *, max_bytes: int) -> bool:
    """Whether the PDF `path` is a Nexis Uni export (one that cannot be read is not: it is
    skipped as the PDF it is, saying why)."""
    try:
        data = read_limited(path, max_bytes=max_bytes, gzipped=False)
        return pdf_export_articles(data) is not None
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
