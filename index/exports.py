"""The records of archive exports other than .jsonl, read as they stream: a table's rows (.csv,
.tsv) and a JSON document's items (.json).

Each record comes out as an `Entry`: its number as the user sees it (a spreadsheet's row, the
header being row 1; an item's place in its array, from 1), its fields, the bytes its content
hash is of, or why it cannot be read. index/formats.py checks an entry's fields as a record
(qa/archives.py) and turns it into an article, as it does a .jsonl line. A problem with the
whole file (no header naming a text column, no list of articles, binary content) is
`BadInput`, raised before the first entry.

Written on the standard library's `csv` and on ijson (a streaming JSON parser), so a dump of
a few GB is never held in memory; what the csv module leaves to its caller (the size of a
record, which separator, which encoding, which order a date's day and month are in) is here.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ijson
from w3lib.encoding import read_bom

from qa.archives import ALIASES, column_names
from qa.errors import BadInput
from qa.extraction import decode_text, stray_bytes_as_cp1252


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


# --- tables -------------------------------------------------------------------------------

_SEPARATORS = (",", ";", "\t", "|")
_NO_SEPARATOR = "\x1f"  # a header of one column: its rows are not split at all
_BINARY = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # a zip (an .xlsx workbook) or an old .xls
_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte the decoder did not read (surrogateescape)
_SEP_LINE = re.compile(r"sep=(.)\s*")  # Excel's first line naming the separator: "sep=;"
_DATE_FIELDS = ("date", *ALIASES["date"])
_BODY_FIELDS = ("text", *ALIASES["text"])
# a date in figures whose day and month order the table as a whole may tell: 03/04/2016
_FIGURES_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
# a cell of figures alone in a date column, read as a number would be: YYYYMMDD or a Unix time
_NUMERIC_DATE = re.compile(r"\d{8}|\d{9,13}(?:\.\d+)?")
_CELL_LIMIT = 2**31 - 1  # the csv module's own, process-wide; records are limited by _Lines


class _TooLarge(Exception):
    """A record over the limit, raised from inside the csv reader."""


class _Lines:
    """A table's lines for `csv.reader`, counting the characters of the record being read so
    that one over the limit stops it before it is held, whatever the process-wide cell limit
    of the csv module is."""

    def __init__(self, text: io.TextIOWrapper, max_chars: int) -> None:
        self._text = text
        self._max = max_chars
        self._pushed: list[str] = []
        self._pending = 0
        self._quotes = 0
        self._ended = True

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._pushed.pop() if self._pushed else self._text.readline(self._max + 1)
        if not line:
            raise StopIteration
        self._pending += len(line)
        self._quotes += line.count('"')
        self._ended = line.endswith(("\n", "\r"))
        if self._pending > self._max:
            raise _TooLarge
        return line

    def push_back(self, line: str) -> None:
        self._pushed.append(line)
        self.record_done()

    def record_done(self) -> None:
        self._pending = self._quotes = 0

    def skip_record(self) -> None:
        """Read on to the end of the record over the limit: the first line end outside quotes
        (an even count of `"` so far, as quoting doubles a quote inside a quoted cell)."""
        while self._quotes % 2 or not self._ended:
            line = self._text.readline(self._max + 1)
            if not line:
                break
            self._quotes += line.count('"')
            self._ended = line.endswith(("\n", "\r"))
        self.record_done()


@dataclass
class TableReading:
    """What reading a table found out about the file as a whole."""

    encoding: str = "utf-8"
    guessed: bool = False  # the encoding is the likeliest, not a certain one
    stray_rows: int = 0  # rows of a UTF-8 table with bytes that are not, read as windows-1252


def table_entries(
    path: Path, *, max_bytes: int, tsv: bool, reading: TableReading | None = None
) -> Iterator[Entry]:
    """The rows of a `.csv` or `.tsv` export under its header row (see docs/extraction.md,
    "Tables"). `reading` is filled in as the file is read."""
    reading = reading if reading is not None else TableReading()
    day_first = _day_first(path, max_bytes=max_bytes, tsv=tsv)
    yield from _table_rows(path, max_bytes=max_bytes, tsv=tsv, day_first=day_first, reading=reading)


def _day_first(path: Path, *, max_bytes: int, tsv: bool) -> bool | None:
    """Whether the table's dates in figures put the day first (True), the month (False), or
    cannot tell (None): 31/12/2016 in one row says how 03/04/2016 in another is read, and a
    table that has both kinds tells nothing."""
    day, month = 0, 0
    for entry in _table_rows(
        path, max_bytes=max_bytes, tsv=tsv, day_first=None, reading=TableReading()
    ):
        for name in _DATE_FIELDS:
            found = _FIGURES_DATE.fullmatch(str(entry.fields.get(name, "")).strip())
            if found:
                first, second = int(found[1]), int(found[3])
                day += first > 12 >= second
                month += second > 12 >= first
    return True if day and not month else False if month and not day else None


def _table_rows(
    path: Path, *, max_bytes: int, tsv: bool, day_first: bool | None, reading: TableReading
) -> Iterator[Entry]:
    if csv.field_size_limit() < _CELL_LIMIT:
        csv.field_size_limit(_CELL_LIMIT)
    with path.open("rb") as f:
        sample = f.read(1 << 16)
        if not sample.strip():
            raise BadInput("the file is empty")
        reading.encoding, reading.guessed = _table_encoding(sample)
        if sample.startswith(_BINARY) or (
            b"\x00" in sample and not reading.encoding.startswith("utf-")
        ):
            raise BadInput(
                "binary content, not a table (a spreadsheet workbook such as .xlsx? save it as CSV)"
            )
        f.seek(0)
        # bytes the encoding does not read stay as escapes, so only their rows are affected
        text = io.TextIOWrapper(f, encoding=reading.encoding, errors="surrogateescape", newline="")
        lines = _Lines(text, max_chars=max_bytes)
        try:
            separator = _separator(lines, tsv=tsv)
        except (_TooLarge, UnicodeDecodeError) as exc:
            raise BadInput(f"its first row cannot be read ({_why(exc, reading)})") from None
        yield from _rows(lines, separator, max_bytes, day_first, reading)


def _separator(lines: _Lines, *, tsv: bool) -> str:
    """Tab for a .tsv; the one an Excel "sep=;" first line names (that line is not a row);
    else the one of `,` `;` tab `|` that splits the header row into the most cells, none when
    no one splits it (a table of one column)."""
    first = next(lines, "")
    named = _SEP_LINE.fullmatch(first.lstrip("\ufeff"))
    if named:
        lines.record_done()
        return named[1]
    lines.push_back(first)
    if tsv:
        return "\t"
    counts = {s: len(next(csv.reader([first], delimiter=s), [])) for s in _SEPARATORS}
    best = max(counts, key=lambda s: (counts[s], s == ","))
    return best if counts[best] > 1 else _NO_SEPARATOR


def _rows(
    lines: _Lines, separator: str, max_bytes: int, day_first: bool | None, reading: TableReading
) -> Iterator[Entry]:
    names: list[str | None] | None = None
    number = 0  # the row last read
    while True:
        reader = csv.reader(lines, delimiter=separator, strict=True)
        try:
            for row in reader:
                lines.record_done()
                number += 1
                if names is None:
                    names = column_names([cell.lstrip("\ufeff") for cell in row])
                    continue
                entry = _row_entry(number, row, names, max_bytes, day_first, reading)
                if entry is not None:
                    yield entry
            break
        except _TooLarge:
            number += 1
            lines.skip_record()
            if names is None:
                raise BadInput(
                    f"its first row is larger than the limit of {max_bytes:,} bytes"
                ) from None
            yield Entry(
                number,
                problem=too_large(max_bytes, what="the row")
                + "; if it should not be, a quote in it may be left open",
            )
        except csv.Error as exc:
            number += 1
            lines.record_done()
            if names is None:
                raise BadInput(f"its first row cannot be read ({exc})") from None
            if "unexpected end of data" in str(exc):
                yield Entry(
                    number,
                    problem="a quote opened in this row is never closed, so every row after it "
                    'was read as one cell: close it, or double a quote inside a quoted cell ("")',
                    where=f"row {number} and the rows after it",
                )
                return
            yield Entry(
                number,
                problem=f"not a well-formed row ({exc}): a quote inside a cell is doubled "
                'and the cell quoted ("He said ""yes""")',
            )
        except UnicodeDecodeError as exc:  # a UTF-16 file cut short: escapes do not apply
            yield Entry(
                number + 1,
                problem=_why(exc, reading),
                where=f"row {number + 1} and the rows after it",
            )
            return
    if names is None:
        raise BadInput("the file is empty")
    if number == 1:
        raise BadInput("it has a header row and no rows under it")


def _row_entry(
    number: int,
    row: list[str],
    names: list[str | None],
    max_bytes: int,
    day_first: bool | None,
    reading: TableReading,
) -> Entry | None:
    if not any(cell.strip() for cell in row):
        return None
    if any(_ESCAPED.search(cell) for cell in row):
        if reading.encoding not in ("utf-8", "utf-8-sig"):
            return Entry(
                number,
                problem=f"holds bytes that are not {reading.encoding} text, which the rest of "
                "the file is; save the file in one encoding and rebuild",
            )
        # a UTF-8 table with rows another tool wrote in the Windows code page (or one whose
        # first 64 KiB are ASCII): those bytes read as windows-1252, as in a text file
        row = [stray_bytes_as_cp1252(cell) for cell in row]
        reading.stray_rows += 1
    if sum(len(cell.encode("utf-8")) for cell in row) > max_bytes:
        return Entry(number, problem=too_large(max_bytes, what="the row"))
    extra = [cell for cell in row[len(names) :] if cell.strip()]
    if extra:
        return Entry(
            number,
            problem=f"it has {len(names) + len(extra)} cells with text, and the header row "
            f"names {len(names)} columns (a separator or quote out of place?)",
        )
    fields: dict[str, Any] = {
        name: cell for name, cell in zip(names, row, strict=False) if name and cell.strip()
    }
    for name in _DATE_FIELDS:
        value = str(fields.get(name, "")).strip()
        if _NUMERIC_DATE.fullmatch(value):  # a cell is text: read as the number it writes
            fields[name] = float(value) if "." in value else int(value)
        elif day_first is not None and (found := _FIGURES_DATE.fullmatch(value)):
            day, month = (found[1], found[3]) if day_first else (found[3], found[1])
            fields[name] = f"{found[4]}-{int(month):02d}-{int(day):02d}"
    if fields.get("html") and any(fields.get(name) for name in _BODY_FIELDS):
        del fields["html"]  # a scraper's table with both: the text it extracted
    # the hash is of what the record reads, so columns it does not read can change freely
    raw = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return Entry(number, raw=raw, fields=fields)


_TAKES_THE_MARK_OFF = {
    "utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
    "utf-32-le": "utf-32", "utf-32-be": "utf-32",
}  # fmt: skip


def _table_encoding(sample: bytes) -> tuple[str, bool]:
    """The encoding a table is read in, and whether it is a guess. A UTF-8 table with some
    bytes that are not is UTF-8 (those rows are read as windows-1252)."""
    bom_encoding, bom = read_bom(sample)
    if bom_encoding is not None and bom is not None:
        # the codecs that take the mark off the first header cell
        return _TAKES_THE_MARK_OFF.get(bom_encoding, bom_encoding), False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        guess = decode_text(sample)
        return guess.encoding, guess.encoding != "utf-8"
    return "utf-8", False


def _why(exc: Exception, reading: TableReading) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not {reading.encoding} text: save the file as UTF-8 and rebuild"
    return "larger than the limit (setting index.max_document_bytes)"


# --- JSON documents -----------------------------------------------------------------------

_END = object()
_UTF8_MARK = b"\xef\xbb\xbf"


def json_entries(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    """The articles of a `.json` export, item by item as they stream: the items of a
    top-level array, or of the first array of objects a top-level object holds (an API's
    `{"status": "ok", "articles": [...]}`), or the object itself when it is one article (it
    names a text field). An item that is not valid JSON ends the reading there, with one
    entry saying so from that item on."""
    prefix = _json_articles_at(path)
    number = 0
    with path.open("rb") as f:
        if f.read(3) != _UTF8_MARK:  # the byte-order mark Windows tools write first
            f.seek(0)
        items = ijson.items(f, prefix, use_float=True)
        while True:
            try:
                value = next(items, _END)
            except (ijson.JSONError, UnicodeDecodeError) as exc:
                yield Entry(
                    number + 1,
                    problem=f"not valid JSON ({_json_problem(exc)})",
                    where=f"item {number + 1} and the items after it",
                )
                return
            if value is _END:
                return
            number += 1
            if not isinstance(value, dict):
                yield Entry(number, problem=f"an item must be a JSON object, not {_kind(value)}")
                continue
            raw = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
            if len(raw) > max_bytes:
                yield Entry(number, problem=too_large(max_bytes, what="the item"))
                continue
            yield Entry(number, raw=raw, fields=value)


def _json_articles_at(path: Path) -> str:
    """Where a `.json` export keeps its articles, as an ijson prefix: "item" (a top-level
    array), "<key>.item" (the first array of objects in a top-level object), or "" (the
    top-level object is itself an article). `BadInput` when it holds none of these."""
    keys: list[str] = []
    first_list: str | None = None
    opened: str | None = None  # the key whose array was just opened, until its first item
    with path.open("rb") as f:
        if not f.read(1 << 16).removeprefix(_UTF8_MARK).strip() and not f.read(1):
            raise BadInput("the file is empty")
        f.seek(0)
        if f.read(3) != _UTF8_MARK:
            f.seek(0)
        try:
            for prefix, event, value in ijson.parse(f):
                if prefix == "" and event == "start_array":
                    return "item"
                if prefix == "" and event in ("string", "number", "boolean", "null"):
                    raise BadInput(f"the file holds a single JSON {event}, not articles")
                if prefix == "" and event == "map_key":
                    keys.append(str(value))
                elif opened is not None and prefix == f"{opened}.item":
                    if event == "start_map" and first_list is None:
                        first_list = opened
                    opened = None
                elif event == "start_array" and prefix in keys and "." not in prefix:
                    opened = prefix
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            if not keys:  # not even a first field: nothing to read
                raise BadInput(f"not valid JSON ({_json_problem(exc)})") from None
    if any(key.lower() in {"text", "html", *(b.lower() for b in _BODY_FIELDS)} for key in keys):
        return ""
    if first_list is not None:
        return f"{first_list}.item"
    shown = f" (with {', '.join(repr(k) for k in keys[:8])})" if keys else ""
    raise BadInput(
        f"no articles: the file holds an object{shown} and no list of objects; give a JSON "
        "array of articles, each with `title` and `text` (or `html`)"
    )


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc).split("\n")[0][:200]


def _kind(value: object) -> str:
    return {list: "an array", str: "a string", type(None): "null", bool: "true or false"}.get(
        type(value), "a number"
    )
