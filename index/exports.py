"""The records of archive exports other than .jsonl, read as they stream: a table's rows (.csv,
.tsv: `index/table_exports.py`), a JSON document's items (.json: `index/json_exports.py`) and a
feed's or WordPress export's items (.xml, .rss, .atom: `index/feed_exports.py`).

Each record comes out as an `Entry`: its number as the user sees it (a spreadsheet's row, the
header being row 1; an item's place in its array, from 1), its fields, the bytes its content
hash is of, or why it cannot be read. index/formats.py checks an entry's fields as a record
(qa/archives.py) and turns it into an article, as it does a .jsonl line. A problem with the
whole file (no header naming a text column, no list of articles, binary content) is
`BadInput`, raised before the first entry.

Written on the standard library's `csv` and on ijson (a streaming JSON parser), so a dump of
a few GB is never held in memory; what the csv module leaves to its caller (the size of a
record, which separator, which encoding, which order a date's day and month are in) is in
`index/table_exports.py`.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from qa.errors import BadInput
from qa.nexis import NexisArticle


@dataclass(frozen=True)
class Entry:
    """One record of an archive as read from the file, before it is checked as a record."""

    number: int  # its line, row (the header row is row 1, as a spreadsheet shows it) or item
    raw: bytes = b""  # what its content hash is of
    fields: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # why it cannot be read at all
    where: str | None = None  # said in place of "<file> <unit> <number>"


def too_large(max_bytes: int, *, what: str = "the file") -> str:
    return (
        f"{what} is larger than the limit of {max_bytes:,} bytes (setting index.max_document_bytes)"
    )


def read_limited(path: Path, *, max_bytes: int, gzipped: bool) -> bytes:
    """The file's bytes (decompressed for a gzipped page), refusing more than `max_bytes`."""
    with path.open("rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise BadInput(too_large(max_bytes))
    if not gzipped:
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            page = unzipped.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise BadInput(f"not a valid gzip file ({exc})") from exc
    if len(page) > max_bytes:
        raise BadInput(too_large(max_bytes, what="the page, uncompressed,"))
    return page


def record_entry(number: int, fields: dict[str, Any]) -> Entry:
    """An export's article read into an archive record's fields (a Word document's, a text
    export's) as an `Entry`: the empty fields left out, its content hash of the rest as JSON
    with sorted keys."""
    kept = {name: value for name, value in fields.items() if value}
    raw = json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return Entry(number, raw=raw, fields=kept)


class ExportArticle(Protocol):
    """An article as an export's reader gives it (`qa.nexis.NexisArticle`,
    `qa.factiva.FactivaArticle`): `problem` says why an item gives no article."""

    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...
    @property
    def paragraphs(self) -> list[str]: ...
    @property
    def problem(self) -> str | None: ...


A = TypeVar("A", bound=ExportArticle)


def export_entries(articles: Iterable[A], more: Callable[[A], dict[str, Any]]) -> Iterator[Entry]:
    """The articles of an export as entries, numbered as the export numbers them (one that
    gives no article is its problem): the fields every export has, and those `more` gives
    (its address, its accession number)."""
    for article in articles:
        if article.problem is not None:
            yield Entry(article.number, problem=article.problem)
            continue
        fields = {
            "title": article.title,
            "text": "\n\n".join(article.paragraphs),
            "source": article.source,
            "date": article.date,
            "author": article.author,
            **more(article),
        }
        yield record_entry(article.number, fields)


def nexis_entries(articles: Sequence[NexisArticle]) -> list[Entry]:
    """The articles of a LexisNexis export (a Nexis Uni `.docx` or `.pdf`, a classic `.txt`)
    as entries, each with its address when it gives one."""
    return list(export_entries(articles, lambda article: {"url": article.url}))
