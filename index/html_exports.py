"""The articles of a Factiva HTML export: a saved page (`.html`, `.htm`, `.html.gz`) whose
content is one (qa/factiva.py), told from any other saved page (one article) by its content
alone.

The page is decoded as every saved page is (`qa.decoding.decode_html`: a byte-order mark,
the charset it declares, UTF-8, a guess). Each article comes out as an `Entry`
(index/exports.py) numbered by its place in the export ("results.html item 3"), whose fields
are an archive record's, so it is checked, cleaned and given its id as any archive record is
(qa/archives.py): the id is its accession number (`accession_number`, Factiva's AN), the
same however often the article is exported again or the file renamed; an article without one
(its AN row missing) gets its id from its title and text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from index.exports import Entry, export_entries, read_limited
from qa.decoding import decode_html
from qa.errors import BadInput
from qa.factiva import FactivaArticle, factiva_articles, factiva_near_miss

# the saved pages that may be a Factiva export (longest first), and those POST
# /documents/import takes as `content` (text: not gzipped)
FACTIVA_SUFFIXES = (".html.gz", ".html", ".htm")
FACTIVA_UPLOAD_SUFFIXES = (".html", ".htm")
# what an export's bytes hold, in any encoding that is ASCII for these letters
_MARK = b"articleParagraph"
_ACCESSION = re.compile(rb"[A-Za-z0-9]{8}(?:19|20)\d{2}[01]\d[0-3]\d[A-Za-z0-9]{9}")


def _may_be_export(data: bytes) -> bool:
    return _MARK in data and _ACCESSION.search(data) is not None


def factiva_page(data: bytes) -> list[FactivaArticle] | None:
    """The articles of the page `data` when it is a Factiva export, else None."""
    if not _may_be_export(data):
        return None
    return factiva_articles(decode_html(data))


def factiva_refusal(data: bytes) -> str | None:
    """Why the page `data`, sent as one article's page, is refused: it is a Factiva export,
    whose articles are imported one by one (POST /documents/import), not added as one article
    that mixes them all; None when it is no export."""
    articles = factiva_page(data)
    if articles is None:
        return None
    return (
        f"the page is a Factiva export of {len(articles):,} article(s) (its 'article' divs, "
        "each closed by 'Document' and its accession number), not one article: send the file to "
        "POST /documents/import as `content` with a `name` ending in .html (the page's Add "
        "form does so for such a file) to index each of its articles; nothing was added"
    )


def factiva_near_miss_of(data: bytes) -> str | None:
    """Why a page with `div`s like a Factiva export's articles is not read as an export, if it
    has such divs (`qa.factiva.factiva_near_miss`)."""
    return factiva_near_miss(decode_html(data)) if _MARK in data else None


def is_factiva_export(path: Path, *, max_bytes: int) -> bool:
    """Whether the saved page `path` is a Factiva export (read up to `max_bytes`, a gzipped
    one decompressed: a larger one is refused as too large when it is read, as any page is)."""
    try:
        data = read_limited(path, max_bytes=max_bytes, gzipped=path.name.lower().endswith(".gz"))
    except (OSError, BadInput):
        return False
    return factiva_page(data) is not None


def factiva_entries(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    """The articles of the export `path`, each an `Entry`; `BadInput` (before the first) when
    the file is too large or no export."""
    data = read_limited(path, max_bytes=max_bytes, gzipped=path.name.lower().endswith(".gz"))
    articles = factiva_page(data)
    if articles is None:
        raise BadInput(
            "not a Factiva export (no article div closed by 'Document' and its accession number)"
        )
    # the accession number is the article's id (qa/archives.py: record_doc_id)
    yield from export_entries(articles, lambda article: {"accession_number": article.accession})
