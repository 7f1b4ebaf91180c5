"""An archive's records and the article ids they give, read as a build reads them: each
record of a .jsonl, .json, .csv/.tsv, feed, Word, PDF, RTF, text or Factiva export
(`archive_entries`), every id a folder's files and records give and where (`ids_in_folder`),
and every place the folder's archives hold one article (`archive_origin`). What a record is
called where it is named (a line, a row, an item) is `record_unit`'s."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.docx_exports import DOCX_SUFFIX, docx_entries
from index.exports import Entry, too_large
from index.feed_exports import FEED_SUFFIXES, feed_entries
from index.file_kinds import TABLE_SUFFIXES, article_files, doc_id_of, is_archive, suffix_of
from index.html_exports import FACTIVA_SUFFIXES, factiva_entries
from index.json_exports import json_entries
from index.pdf_exports import PDF_SUFFIX, pdf_export_entries
from index.pdf_pages import LIMITS, PdfLimits
from index.rtf_documents import RTF_SUFFIX, rtf_export_entries
from index.table_exports import TableReading, table_entries
from index.text_exports import TEXT_EXPORT_SUFFIX, text_export_entries
from qa.archives import parse_line, record_doc_id, record_of
from qa.articles import content_hash
from qa.errors import BadInput
from qa.settings import MAX_DOCUMENT_BYTES

log = logging.getLogger(__name__)


def record_unit(path: Path) -> str:
    """What a record of the archive is called where it is named: a line, a table's row, or an
    item of a JSON array, a feed, a Word document, a text export or a Factiva page."""
    suffix = suffix_of(path)
    if suffix in TABLE_SUFFIXES:
        return "row"
    items = (
        ".json", DOCX_SUFFIX, PDF_SUFFIX, RTF_SUFFIX, TEXT_EXPORT_SUFFIX, *FEED_SUFFIXES,
        *FACTIVA_SUFFIXES,
    )  # fmt: skip
    return "item" if suffix in items else "line"


def archive_entries(
    path: Path, *, max_bytes: int, pdf_limits: PdfLimits = LIMITS
) -> Iterator[Entry]:
    """The records of the archive `path` as read from it, before each is checked as a record
    (the document API's import stores them again)."""
    return read_entries(path, max_bytes=max_bytes, pdf_limits=pdf_limits)


def read_entries(
    path: Path, *, max_bytes: int, say_guess: bool = False, pdf_limits: PdfLimits = LIMITS
) -> Iterator[Entry]:
    """The records of an archive, blank ones left out. A problem with the whole file (a table
    without a header row naming a text column) is `BadInput`. `say_guess`: warn when a table's
    encoding was guessed or some of its rows were read in another, or when a JSON export holds
    articles in a list not read (once a build). `pdf_limits`: what reading a PDF export may
    take, the build's (settings `index.pdf_*`)."""
    suffix = suffix_of(path)
    if suffix == ".json":
        yield from json_entries(path, max_bytes=max_bytes, say_others=say_guess)
        return
    if suffix in FEED_SUFFIXES:
        yield from feed_entries(path, max_bytes=max_bytes)
        return
    if suffix == DOCX_SUFFIX:
        yield from docx_entries(path, max_bytes=max_bytes)
        return
    if suffix == TEXT_EXPORT_SUFFIX:
        yield from text_export_entries(path, max_bytes=max_bytes, say_guess=say_guess)
        return
    if suffix in FACTIVA_SUFFIXES:
        yield from factiva_entries(path, max_bytes=max_bytes)
        return
    if suffix == PDF_SUFFIX:
        yield from pdf_export_entries(path, max_bytes=max_bytes, limits=pdf_limits)
        return
    if suffix == RTF_SUFFIX:
        yield from rtf_export_entries(path, max_bytes=max_bytes)
        return
    if suffix in TABLE_SUFFIXES:
        reading = TableReading()
        yield from table_entries(path, max_bytes=max_bytes, tsv=suffix == ".tsv", reading=reading)
        if say_guess:
            _say_table_encoding(path, reading)
        return
    for number, line in _lines(path, max_bytes=max_bytes):
        if line is None:
            yield Entry(number, problem=too_large(max_bytes, what="the line"))
            continue
        try:
            text = _line_text(line)
        except UnicodeDecodeError:
            yield Entry(number, problem="not UTF-8 text")
            continue
        if not text.strip():
            continue
        try:
            value = parse_line(text)
        except BadInput as exc:
            yield Entry(number, problem=str(exc))
            continue
        # the line's own bytes are its hash, as indexes built before tables were read hold it
        yield Entry(number, raw=line.strip(), fields=value)


def _say_table_encoding(path: Path, reading: TableReading) -> None:
    if reading.guessed:
        log.warning(
            "%s is not UTF-8: read as %s, the likeliest encoding; if its letters look wrong in "
            "the answers, save it as UTF-8 and rebuild",
            path.name,
            reading.encoding,
        )
    if reading.stray_rows:
        log.warning(
            "%s is not all UTF-8: %d row(s) hold bytes that are not, read as cp1252; if their "
            "letters look wrong in the answers, save the file as UTF-8 and rebuild",
            path.name,
            reading.stray_rows,
        )


def _record_ids(
    path: Path,
    *,
    max_bytes: int,
    entries: Sequence[Entry] | None = None,
    pdf_limits: PdfLimits = LIMITS,
) -> Iterator[tuple[int, str, bytes]]:
    """(record number, article id, raw record) of each archive record that is one (bad records
    are left for `_read_archive` to report, and a file that is no archive gives none);
    `entries`: the records, when they were read already."""
    try:
        records = (
            entries
            if entries is not None
            else read_entries(path, max_bytes=max_bytes, pdf_limits=pdf_limits)
        )
        for entry in records:
            if entry.problem is not None:
                continue
            try:
                yield entry.number, record_doc_id(record_of(entry.fields)), entry.raw
            except BadInput:
                continue
    except BadInput:
        return


def ids_in_folder(
    folder: Path, *, max_bytes: int, pdf_limits: PdfLimits = LIMITS
) -> dict[str, str]:
    """Every id a file or archive record of `folder` gives, and where ("harbour.txt",
    "export.jsonl line 3"; the first file, in name order), read in one pass: what an import
    checks its new ids against, however many it brings. Of an archive's records with the same
    id, the place is the last good one, which the build keeps (`_read_archive`): a refusal
    that sends the user to edit the record must not name one the build skipped. `max_bytes`
    and `pdf_limits` are the build's (settings `index.max_document_bytes`, `index.pdf_*`), so
    that a file is an export here exactly when the build reads it as one."""
    places: dict[str, str] = {}
    for path in article_files(folder):
        if not is_archive(path, max_bytes=max_bytes, pdf_limits=pdf_limits):
            places.setdefault(doc_id_of(path), path.name)
            continue
        unit = record_unit(path)
        last = last_records(path, max_bytes=max_bytes, pdf_limits=pdf_limits)
        for doc_id, (number, _) in last.items():
            places.setdefault(doc_id, f"{path.name} {unit} {number}")
    return places


def last_records(
    path: Path,
    *,
    max_bytes: int,
    entries: Sequence[Entry] | None = None,
    pdf_limits: PdfLimits = LIMITS,
) -> dict[str, tuple[int, str]]:
    """Each id's last good record in the archive, and that record's hash."""
    ids = _record_ids(path, max_bytes=max_bytes, entries=entries, pdf_limits=pdf_limits)
    return {doc_id: (number, content_hash(raw)) for number, doc_id, raw in ids}


def _line_text(line: bytes) -> str:
    """A line as text; the byte-order mark Windows tools put before the first one goes."""
    return line.decode("utf-8").removeprefix("\ufeff")


def _lines(path: Path, *, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; None for a line longer than `max_bytes`, which is
    skipped without being held in memory."""
    with path.open("rb") as f:
        number = 0
        while True:
            line = f.readline(max_bytes + 1)
            if not line:
                return
            number += 1
            if len(line) <= max_bytes or line.endswith(b"\n"):
                yield number, line
                continue
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = f.readline(1 << 20)
            yield number, None


@dataclass(frozen=True)
class ArchiveOrigin:
    """Where the archives of a folder hold an article: "<archive> line N" (a table's "row N",
    a JSON export's "item N"), or "lines N and M", for each archive that gives it."""

    places: tuple[str, ...]
    units: frozenset[str]  # "line", "row", "item"

    def __str__(self) -> str:
        return "; ".join(self.places)

    @property
    def those(self) -> str:
        """ "that line", "those rows", "those lines and rows": what to remove."""
        several = len(self.places) > 1 or any(
            f" {u}s " in p for p in self.places for u in self.units
        )
        nouns = [f"{u}s" if several else u for u in sorted(self.units)]
        return f"{'those' if several else 'that'} {' and '.join(nouns)}"


def archive_origin(
    folder: Path,
    doc_id: str,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    pdf_limits: PdfLimits = LIMITS,
) -> ArchiveOrigin | None:
    """Where the archives in `folder` hold the article `doc_id`, for every archive that gives
    it (a build reads the last record of the first archive; removing only that would bring
    back another); None when none does. `max_bytes`, `pdf_limits`: the build's."""
    places: list[str] = []
    units: set[str] = set()
    for path in article_files(folder):
        if not is_archive(path, max_bytes=max_bytes, pdf_limits=pdf_limits):
            continue
        unit = record_unit(path)
        ids = _record_ids(path, max_bytes=max_bytes, pdf_limits=pdf_limits)
        numbers = [str(n) for n, found, _ in ids if found == doc_id]
        if len(numbers) == 1:
            places.append(f"{path.name} {unit} {numbers[0]}")
        elif numbers:
            places.append(f"{path.name} {unit}s {', '.join(numbers[:-1])} and {numbers[-1]}")
        if numbers:
            units.add(unit)
    return ArchiveOrigin(tuple(places), frozenset(units)) if places else None
