"""The articles of a Nexis Uni export saved as PDF: a `.pdf` whose text is one (qa/nexis_pdf.py
lays its pages out as the lines of the Word export, qa/nexis.py reads those), told from any
other PDF (one article, index/pdf_pages.py) by its content alone.

Each article comes out as an `Entry` (index/exports.py: `nexis_entries`) numbered by its place
in the export ("results.pdf item 3"), whose fields are an archive record's, so it is checked,
cleaned and given its id as any archive record is (qa/archives.py): the id from its title and
text, which the same document's Word export gives it too.

Reading a PDF is a child process of a second or more, and a PDF's content alone says whether
it is an export: the build reads each once (index/formats.py hands the pages it read to the
reader it chooses), and what was found is kept by the file's SHA-256 (index/verdicts.py), so the
questions asked of a corpus folder on every import and delete (which ids it gives, which files
are archives) read a PDF only when its bytes are new (or, for an export, when its articles
were let go to keep the memory they take bounded). What was found is kept under the limits it
was read with (`PdfLimits`, the settings `index.pdf_*`) as well: a PDF over one page limit is
refused under it, whatever another limit let a reading find. A PDF refused for its length (no
article, and no export, or one longer than an export is read to) is kept as no export under
those limits with that refusal, so neither the folder's questions nor the next build read its
first pages again. A PDF that could not be read otherwise (out of time, memory, a damaged
page) is kept as no export, so the folder's questions do not read it again on every import
and delete (a long export's reading may take `index.pdf_export_wall_s`); the build reads it
again, to say why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from index.exports import Entry, nexis_entries, read_limited
from index.pdf_pages import LIMITS, PdfLimits, TooManyPages, read_pdf, too_many_pages
from index.verdicts import KEPT_SIZE, Verdicts
from qa.errors import BadInput
from qa.nexis import NexisArticle
from qa.nexis_pdf import nexis_pdf_articles, opens_export
from qa.pdf_text import PdfDocument

PDF_SUFFIX = ".pdf"

# a PDF as read: the SHA-256 of its bytes, and the limits of the reading
_Key = tuple[str, PdfLimits]


def _size(articles: tuple[NexisArticle, ...]) -> int:
    """The text the articles hold, in characters."""
    return sum(len(p) for a in articles for p in a.paragraphs)


def _verdicts(*, article_chars: int = KEPT_SIZE) -> Verdicts[_Key, tuple[NexisArticle, ...]]:
    """What reading a PDF found (index/verdicts.py): whether it is an export, and an export's
    articles up to `article_chars` characters of text."""
    return Verdicts(size=_size, kept_size=article_chars)


_FOUND = _verdicts()


@dataclass(frozen=True)
class PdfReading:
    """What a PDF holds: its articles when it is a Nexis Uni export, else None and its pages
    (`document`, None only for an export known from before)."""

    articles: list[NexisArticle] | None
    document: PdfDocument | None = None


def _key(data: bytes, limits: PdfLimits) -> _Key:
    return hashlib.sha256(data).hexdigest(), limits


def read_pdf_file(data: bytes, *, limits: PdfLimits = LIMITS) -> PdfReading:
    """The PDF `data` read under `limits` as an export or as one article's pages, at most
    once: an export known by its bytes and those limits is not read again; `BadInput` when it
    cannot be read. A PDF longer than an article (`index.pdf_max_pages`) is read on only while
    its first pages open a Nexis Uni export (`read_pdf`'s `read_on`), and refused for its
    length (`TooManyPages`) is known as no export with that refusal, so neither the folder's
    checks nor the next build lay out its first pages again; one that cannot be read is known
    as no export too, so the folder's checks do not read it again."""
    key = _key(data, limits)
    kept = _FOUND.kept(key)
    if kept is not None:
        return PdfReading(list(kept))
    refused = _FOUND.refusal(key)
    if refused is not None:  # its length alone: reading it again would say the same
        raise TooManyPages(refused)
    try:
        document = read_pdf(
            data, limits=limits, read_on=partial(opens_export, article_pages=limits.max_pages)
        )
        articles = nexis_pdf_articles(document)
        if articles is None and len(document.pages) > limits.max_pages:  # read on, no export
            why = ", and is no Nexis Uni export"
            raise TooManyPages(too_many_pages(f"{len(document.pages):,}", limits.max_pages, why))
    except TooManyPages as exc:
        _FOUND.put(key, None, refusal=str(exc))
        raise
    except BadInput:
        # no export to the folder's checks, which an export's reading that failed cost up to
        # index.pdf_export_wall_s each import and delete; the build reads it again, to say why
        # (a reading out of time may not be next time)
        _FOUND.put(key, None)
        raise
    _FOUND.put(key, None if articles is None else tuple(articles))
    return PdfReading(articles, document)


def pdf_export_articles(data: bytes, *, limits: PdfLimits = LIMITS) -> list[NexisArticle] | None:
    """The articles of the PDF `data` when it is a Nexis Uni export, else None (read only when
    its bytes are new to `limits`); `BadInput` when it cannot be read under them."""
    key = _key(data, limits)
    if _FOUND.verdict(key) is False:
        return None
    kept = _FOUND.kept(key)
    return list(kept) if kept is not None else read_pdf_file(data, limits=limits).articles


def is_pdf_export(path: Path, *, max_bytes: int, limits: PdfLimits = LIMITS) -> bool:
    """Whether the PDF `path` is a Nexis Uni export, read under `limits` as the build reads it
    (one that cannot be read is not: it is skipped as the PDF it is, saying why)."""
    try:
        data = read_limited(path, max_bytes=max_bytes, gzipped=False)
        known = _FOUND.verdict(_key(data, limits))
        return known if known is not None else pdf_export_articles(data, limits=limits) is not None
    except (OSError, BadInput):
        return False


def pdf_export_entries(
    path: Path, *, max_bytes: int, limits: PdfLimits = LIMITS
) -> Iterator[Entry]:
    """The articles of the export `path` read under `limits`, each an `Entry`; `BadInput`
    (before the first) when the file is too large, cannot be read, or is no export."""
    data = read_limited(path, max_bytes=max_bytes, gzipped=False)
    # read again when known as no export: to say why (too long, say), as the build does
    articles = read_pdf_file(data, limits=limits).articles
    if articles is None:
        raise BadInput(_NO_EXPORT)
    yield from nexis_entries(articles)


_NO_EXPORT = (
    "not a Nexis Uni export (no 'End of Document' line with a 'Body' line before it), so one "
    "article"
)
