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
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import ijson
from w3lib.encoding import read_bom

from index.checksums import sha256_file
from qa.archives import BODY_NAMES, column_names, names_of
from qa.dates import parse_date
from qa.errors import BadInput
from qa.extraction import decode_text, stray_bytes_as_cp1252

log = logging.getLogger(__name__)


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
_SEP_LINE = re.compile(r"sep=([^\s\"])\s*")  # Excel's first line naming the separator: "sep=;"
_DATE_FIELDS = names_of("date")
# a date in figures whose day and month order the table as a whole may tell: 03/04/2016, and
# with a time of day after it, 03/04/2016 10:30
_FIGURES_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})((?:[\sT,]+\d.*)?)")
# a cell of figures alone in a date column, read as a number would be: YYYYMMDD or a Unix time
_NUMERIC_DATE = re.compile(r"\d{8}|\d{9,13}(?:\.\d+)?")
_CELL_LIMIT = 2**31 - 1  # the csv module's own, process-wide; records are limited by _Lines


class _TooLarge(Exception):
    """A record over the limit, raised from inside the csv reader."""


class _Lines:
    """A table's lines for `csv.reader`, counting the characters of the record being read so
    that one over the limit stops it before it is held, whatever the process-wide cell limit
    of the csv module is; the record's lines are kept (at most that limit) to find its end."""

    def __init__(self, text: io.TextIOWrapper, max_chars: int) -> None:
        self._text = text
        self._max = max_chars
        self._pushed: list[str] = []
        self._record: list[str] = []
        self._pending = 0

    def __iter__(self) -> _Lines:
        return self

    def _read_line(self) -> str:
        """The next line, a peeked one first; "" at the end. A line longer than the limit
        comes in parts."""
        return self._pushed.pop() if self._pushed else self._text.readline(self._max + 1)

    def __next__(self) -> str:
        line = self._read_line()
        if not line:
            raise StopIteration
        self._pending += len(line)
        self._record.append(line)
        if self._pending > self._max:
            raise _TooLarge
        return line

    def peek(self, chars: int) -> list[str]:
        """The next lines, whole (the csv module ends a record at the end of each string it is
        given), until about `chars` characters are read; left to be read."""
        peeked: list[str] = []
        read = 0
        while read < chars:
            line = self._read_line()
            if not line:
                break
            peeked.append(line)
            read += len(line)
        self._pushed.extend(reversed(peeked))
        return peeked

    @property
    def record_lines(self) -> int:
        """How many lines the record being read has taken so far."""
        return len(self._record)

    def push_back(self, line: str) -> None:
        self._pushed.append(line)
        self.record_done()

    def record_done(self) -> None:
        self._pending = 0
        self._record = []

    def skip_to_even_quotes(self) -> int:
        """Read on while the record read so far holds an odd number of quotes (a malformed
        cell still open), at most to the limit; how many lines that took."""
        quotes = sum(line.count('"') for line in self._record)
        taken = 0
        read = self._pending
        while quotes % 2 and read <= self._max:
            line = self._read_line()
            if not line:
                break
            quotes += line.count('"')
            read += len(line)
            taken += 1
        return taken

    def skip_record(self, separator: str, *, quoted: bool) -> None:
        """Read on to the end of the record over the limit: the first line end outside a
        quoted cell, read as the csv module reads quotes (a table without quoting ends its
        record at the line's end)."""
        state = _Quotes(separator, quoted=quoted)
        line = ""
        for line in self._record:
            state.feed(line)
        while state.open or not line.endswith(("\n", "\r")):
            line = self._read_line()
            if not line:
                break
            state.feed(line)
        self.record_done()


class _Quotes:
    """Whether a quoted cell is open, line after line (a quote opens a cell only at its
    start; inside, a doubled quote is a quote and a single one closes it). In a table
    without quoting none ever is."""

    def __init__(self, separator: str, *, quoted: bool) -> None:
        self._separator = separator
        self._quoted = quoted
        self.open = False
        self._at_start = True

    def feed(self, line: str) -> None:
        if not self._quoted:
            return
        i = 0
        while i < len(line):
            char = line[i]
            if self.open:
                if char == '"' and line[i + 1 : i + 2] == '"':
                    i += 1
                elif char == '"':
                    self.open = False
            elif char == '"' and self._at_start:
                self.open = True
            else:
                self._at_start = char in (self._separator, "\n", "\r")
                i += 1
                continue
            self._at_start = False
            i += 1


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
    table that has both kinds tells nothing. Remembered for the file's content (its SHA-256,
    read in a twentieth of the time this pass takes): a build reads a table twice, and a
    document change builds again, and this pass costs a third of each reading."""
    return _day_first_of(path, sha256_file(path), max_bytes=max_bytes, tsv=tsv)


@lru_cache(maxsize=16)
def _day_first_of(path: Path, _content: str, *, max_bytes: int, tsv: bool) -> bool | None:
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
            b"\x00" in sample and not reading.encoding.startswith(("utf-16", "utf-32"))
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
            quoted = _quoted(lines, separator)
        except (_TooLarge, UnicodeDecodeError) as exc:
            raise BadInput(f"its first rows cannot be read ({_why(exc, reading)})") from None
        yield from _rows(lines, separator, quoted, max_bytes, day_first, reading)


def _quoted(lines: _Lines, separator: str) -> bool:
    """Whether the table quotes its cells as a csv writer does. One split by commas,
    semicolons or bars does; one split by tabs (a .tsv) only when its opening shows a quoted
    cell with what only quoting allows in it (a doubled quote, a tab or a line break): written
    without quoting (a database's COPY, a join on tabs), a cell that opens with a quotation
    mark is text, not a quoted cell."""
    if separator != "\t":
        return True
    opening = "".join(lines.peek(1 << 16))
    cell = re.compile(r'(?:^|\t)"((?:[^"]|"")*)"(?=\t|\r|\n|$)', re.MULTILINE)
    return any(re.search(r'""|\t|\n|\r', found[1]) for found in cell.finditer(opening))


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
    lines: _Lines,
    separator: str,
    quoted: bool,
    max_bytes: int,
    day_first: bool | None,
    reading: TableReading,
) -> Iterator[Entry]:
    names: list[str | None] | None = None
    number = 0  # the row last read
    given = 0  # rows that were not empty, read or not
    empty: list[int] = []  # rows of empty cells since the last row with text
    while True:
        reader = csv.reader(
            lines,
            delimiter=separator,
            strict=True,
            quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE,
        )
        try:
            for row in reader:
                lines.record_done()
                number += 1
                if names is None:
                    names = column_names([cell.lstrip("\ufeff") for cell in row])
                    continue
                entry = _row_entry(number, row, names, max_bytes, day_first, reading)
                if entry is None:
                    if len(row) > 1:  # cells, all empty (a blank line is no row at all)
                        empty.append(number)
                    continue
                yield from _empty_rows(empty)
                given += 1
                yield entry
            break
        except _TooLarge:
            number += 1
            lines.skip_record(separator, quoted=quoted)
            if names is None:
                raise BadInput(
                    f"its first row is larger than the limit of {max_bytes:,} bytes"
                ) from None
            given += 1
            yield from _empty_rows(empty)
            yield Entry(
                number,
                problem=too_large(max_bytes, what="the row")
                + "; if it should not be, a quote in it may be left open",
            )
        except csv.Error as exc:
            number += 1
            spanned = lines.record_lines
            if quoted and spanned == 1:
                # broken on its first line with a quote left open there ("He said "yes" and
                # left.↵Later…"): the lines up to the quote that closes it belong to it
                spanned += lines.skip_to_even_quotes()
            lines.record_done()
            if names is None:
                raise BadInput(f"its first row cannot be read ({exc})") from None
            given += 1
            yield from _empty_rows(empty)
            if "unexpected end of data" in str(exc):
                yield Entry(
                    number,
                    problem="a quote opened in this row is never closed, so every row after it "
                    'was read as one cell: close it, or double a quote inside a quoted cell ("")',
                    where=f"row {number} and the rows after it",
                )
                return
            runs_on = (
                f"; it runs over {spanned} lines, the rows a quote opened in it took in"
                if spanned > 1
                else ""
            )
            yield Entry(
                number,
                problem=f"not a well-formed row ({exc}{runs_on}): a quote inside a cell is "
                'doubled and the cell quoted ("He said ""yes""")',
            )
        except UnicodeDecodeError as exc:  # a UTF-16 file cut short: escapes do not apply
            given += 1
            yield from _empty_rows(empty)
            yield Entry(
                number + 1,
                problem=_why(exc, reading),
                where=f"row {number + 1} and the rows after it",
            )
            return
    if names is None:
        raise BadInput("the file is empty")
    if given == 0:  # nothing after the header but empty rows
        raise BadInput("it has a header row and no rows under it")


def _empty_rows(numbers: list[int]) -> Iterator[Entry]:
    """The rows of `numbers` (emptied), each skipped as a row of empty cells. Said only once a
    row with text follows them: between rows, one may be an article whose cells were lost, but
    the empty rows a spreadsheet writes after its last one are no records, and stay unsaid."""
    for number in numbers:
        yield Entry(number, problem="every cell of the row is empty: no article to read")
    numbers.clear()


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
            iso = f"{found[4]}-{int(month):02d}-{int(day):02d}"
            if parse_date(iso) is not None:
                fields[name] = f"{iso}{found[5]}"
            # else left as the file writes it, which is what its refusal quotes ("45/45/2024")
    if not any(fields.get(name) for name in BODY_NAMES):
        # an empty text cell: said as empty ("`text` is empty"), not as a missing column
        given = next((name for name in names if name in BODY_NAMES), None)
        if given is not None:
            fields[given] = ""
    if fields.get("html") and any(fields.get(name) for name in names_of("text")):
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
    if b"\x00" in sample:  # valid UTF-8, but no text is: UTF-16 without its mark, or binary
        return _utf16_without_mark(sample) or "utf-8", False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        guess = decode_text(sample)
        return guess.encoding, guess.encoding != "utf-8"
    return "utf-8", False


def _utf16_without_mark(sample: bytes) -> str | None:
    """UTF-16 written without a byte-order mark: text whose every other byte is NUL (the high
    byte of a Latin letter), little- or big-endian by where the NULs stand; None otherwise."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.6 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _why(exc: Exception, reading: TableReading) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not {reading.encoding} text: save the file as UTF-8 and rebuild"
    return "larger than the limit (setting index.max_document_bytes)"


# --- JSON documents -----------------------------------------------------------------------

# deeper than any article needs; a deeper item is refused before it is built (a JSON reader
# that builds every level can be made to use memory by nesting alone)
_MAX_DEPTH = 64
_TITLE_KEYS = frozenset(name.lower() for name in names_of("title"))
_BODY_KEYS = frozenset(name.lower() for name in BODY_NAMES)
_SEARCHED_DEPTH = 4  # how many keys down a top-level object a list of articles is looked for
_UTF8_MARK = b"\xef\xbb\xbf"
_STARTS = ("start_map", "start_array")
# what the parser raises on input it cannot read: broken JSON, bytes that are not UTF-8, an
# integer of more than 4,300 digits (Python's limit, a ValueError; ijson's C backend may leave
# it pending and raise SystemError instead)
_UNREADABLE = (ijson.JSONError, UnicodeDecodeError, ValueError, SystemError)
_ENDS = ("end_map", "end_array")


@dataclass(frozen=True)
class _ArticlesAt:
    """Where a JSON export keeps its articles: the items of the array under `keys` (() for a
    top-level array), or, with `values`, each top-level value (one article a file, or one a
    line, as a .jsonl saved under .json)."""

    keys: tuple[str, ...] = ()
    values: bool = False
    # other lists whose first object names a text too: not read (one list is the articles)
    others: tuple[tuple[str, ...], ...] = ()

    @property
    def depth(self) -> int:
        """How many containers are open where an article begins."""
        return 0 if self.values else len(self.keys) + 1


@dataclass
class _Open:
    """A container open while a JSON file streams."""

    kind: str  # "start_map" or "start_array"
    under: str | None  # the key it is the value of (None: an array's item, or the top)
    key: str | None = None  # in an object, the key of the value being read
    items: int = 0  # in an array, the objects begun so far
    first_of: int | None = None  # an object that is the first item of that candidate list


def json_entries(path: Path, *, max_bytes: int, say_others: bool = False) -> Iterator[Entry]:
    """The articles of a `.json` export, item by item as the file streams (ijson's
    `basic_parse`: events, so nothing is held but the item being built). An item nested deeper
    than `_MAX_DEPTH` levels or larger than `max_bytes` is skipped without being built; broken
    JSON ends the reading there, with one entry saying so from that item on. `say_others`:
    warn when other lists of the file hold articles too (they are not read)."""
    at = _json_articles_at(path)
    if say_others and at.others:
        log.warning(
            "%s: the articles are read from the list under %s; the list(s) under %s hold "
            "articles too and are not read (put them in one list, or in a file of their own)",
            path.name,
            _path_of(at.keys),
            ", ".join(_path_of(keys) for keys in at.others),
        )
    opened: list[_Open] = []
    number = 0
    item: _Item | None = None
    with path.open("rb") as f:
        _skip_utf8_mark(f)
        try:
            for event, value in ijson.basic_parse(_NonFinite(f), multiple_values=True):
                if item is not None:
                    if item.add(event, value):
                        yield item.entry(number)
                        item = None
                    continue
                if event not in (*_ENDS, "map_key") and _at_articles(at, opened, event):
                    number += 1
                    if event in _STARTS:
                        item = _Item(max_bytes=max_bytes)
                        item.add(event, value)
                    else:
                        yield Entry(
                            number, problem=f"an item must be a JSON object, not {_kind(event)}"
                        )
                    continue
                if event == "map_key":
                    opened[-1].key = str(value)
                elif event in _STARTS:
                    parent = opened[-1] if opened else None
                    under = (
                        parent.key if parent is not None and parent.kind == "start_map" else None
                    )
                    opened.append(_Open(event, under))
                elif event in _ENDS:
                    opened.pop()
        except _UNREADABLE as exc:
            failed = number if item is not None else number + 1  # an item begun is counted
            yield Entry(
                failed,
                problem=f"not valid JSON ({_json_problem(exc)})",
                where=f"item {failed} and the items after it",
            )
            return
    if number == 0:
        raise BadInput("its list of articles is empty")


def _at_articles(at: _ArticlesAt, opened: list[_Open], event: str) -> bool:
    """Whether a value beginning now is an article: a top-level value (but a top-level array
    of articles, whose items are), or an item of the array where the articles are."""
    if not opened and (at.values or (not at.keys and event != "start_array")):
        return True  # (after a top-level array, another value is an article, or said not to be)
    if at.values or len(opened) != at.depth:
        return False
    return opened[-1].kind == "start_array" and tuple(o.under for o in opened[1:]) == at.keys


class _Item:
    """One item built from its parse events, unless it turns out nested too deep or too
    large: then its events are only counted until it ends."""

    def __init__(self, *, max_bytes: int) -> None:
        self._builder = ijson.ObjectBuilder()
        self._max_bytes = max_bytes
        self._depth = 0
        self._size = 0
        self._problem: str | None = None

    def add(self, event: str, value: Any) -> bool:
        """Take the next event; True when the item has ended with it."""
        self._depth += (event in _STARTS) - (event in _ENDS)
        if isinstance(value, Decimal):  # a number with a fraction or exponent: as json reads it
            value = float(value)
        if self._problem is None:
            self._size += len(value) if isinstance(value, str) else 8
            if self._depth > _MAX_DEPTH:
                self._problem = f"the item is nested deeper than {_MAX_DEPTH} levels"
            elif self._size > self._max_bytes:
                self._problem = too_large(self._max_bytes, what="the item")
            else:
                self._builder.event(event, value)
        return self._depth == 0

    def entry(self, number: int) -> Entry:
        if self._problem is not None:
            return Entry(number, problem=self._problem)
        value = self._builder.value
        if not isinstance(value, dict):
            return Entry(number, problem="an item must be a JSON object, not an array")
        raw = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
        if len(raw) > self._max_bytes:
            return Entry(number, problem=too_large(self._max_bytes, what="the item"))
        return Entry(number, raw=raw, fields=value)


def _json_articles_at(path: Path) -> _ArticlesAt:
    """Where a `.json` export keeps its articles: a top-level array's items; each top-level
    value when there are several (one object a line); a top-level object that names a title
    and a text is one article; else, in a top-level object, the first list of objects (up to
    `_SEARCHED_DEPTH` keys down: `{"articles": [...]}`, `{"response": {"docs": [...]}}`) whose
    first object names a text, else the first list of objects, else the object itself when it
    names a text. `BadInput` when it holds none of these."""
    with path.open("rb") as f:
        start = f.read(1 << 16)
        if not start.removeprefix(_UTF8_MARK).strip() and not f.read(1):
            raise BadInput("the file is empty")
        if start.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise BadInput("UTF-16 text: a .json file is read as UTF-8 (save it as UTF-8)")
        f.seek(0)
        _skip_utf8_mark(f)
        opened: list[_Open] = []
        top_keys: dict[str, str] = {}  # lower case → as written
        lists: list[tuple[tuple[str, ...], set[str]]] = []  # where, its first object's keys
        values = 0
        first = ""
        try:
            for event, value in ijson.basic_parse(_NonFinite(f), multiple_values=True):
                if not opened and event not in _ENDS:  # a top-level value begins
                    values += 1
                    if values > 1:
                        return _ArticlesAt(values=True)
                    first = event
                    if event == "start_array":
                        return _ArticlesAt()
                    if event == "start_map":
                        opened.append(_Open(event, None))
                    continue
                if event == "map_key":
                    here = opened[-1]
                    here.key = str(value)
                    if len(opened) == 1:
                        top_keys.setdefault(here.key.lower(), here.key)
                    if here.first_of is not None:
                        lists[here.first_of][1].add(here.key.lower())
                elif event in _STARTS:
                    parent = opened[-1]
                    under = parent.key if parent.kind == "start_map" else None
                    child = _Open(event, under)
                    if parent.kind == "start_array" and event == "start_map":
                        parent.items += 1
                        # its first object (the depth first: no path for every level of a deep
                        # file)
                        if (
                            parent.items == 1
                            and len(opened) <= _SEARCHED_DEPTH + 1
                            and None not in (keys := tuple(o.under for o in opened[1:]))
                        ):
                            lists.append((tuple(k for k in keys if k is not None), set()))
                            child.first_of = len(lists) - 1
                    opened.append(child)
                elif event in _ENDS:
                    opened.pop()
        except _UNREADABLE as exc:
            if values == 0 or not top_keys:  # not even a first field: nothing to read
                raise BadInput(f"not valid JSON ({_json_problem(exc)})") from None
    if first != "start_map":
        raise BadInput(f"the file holds {_kind(first)}, not articles")
    if top_keys.keys() & _TITLE_KEYS and top_keys.keys() & _BODY_KEYS:
        return _ArticlesAt(values=True)
    with_text = [where for where, keys in lists if keys & _BODY_KEYS]
    if with_text or lists:
        return _ArticlesAt(keys=(with_text or [lists[0][0]])[0], others=tuple(with_text[1:]))
    if top_keys.keys() & _BODY_KEYS:
        return _ArticlesAt(values=True)
    named = list(top_keys.values())[:8]
    shown = f" (with {', '.join(repr(k) for k in named)})" if named else ""
    raise BadInput(
        f"no articles: the file holds an object{shown} and no list of objects; give a JSON "
        "array of articles, each with `title` and `text` (or `html`)"
    )


# outside a string: a string opens, or a constant Python's json writes and JSON has no word for
_OUTSIDE = re.compile(rb'"|NaN|-?Infinity')
_INSIDE = re.compile(rb'[\\"]')  # in a string: an escape, or the string's end
# what a read may end in that could begin such a constant ("-" may begin a number, held all the
# same: it is given with the next read)
_CONSTANT_START = re.compile(rb"(?:N|Na|-|-?(?:I|In|Inf|Infi|Infin|Infini|Infinit))\Z")


class _NonFinite:
    """A binary file read with `NaN`, `Infinity` and `-Infinity` outside strings given as
    `null`: Python's json writes them (a missing value of a pandas table is NaN) and ijson, as
    JSON itself, has no such values, so an export holding one would end there. Hand-written:
    ijson has no option for them, and this keeps the streaming (a few regular-expression
    searches a chunk; only what lies outside strings is rewritten)."""

    def __init__(self, f: Any) -> None:
        self._f = f
        self._in_string = False
        self._escaped = False  # the last chunk ended in a string's backslash
        self._held = b""  # a chunk's end that may begin a constant

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        while True:
            chunk = self._f.read(size if size > 0 else -1)
            text = self._held + chunk
            self._held = b""
            if not chunk:  # the end: what was held is what it is
                return text
            out = self._rewrite(text)
            if out:
                return out  # (never empty before the end: an empty read means the end)

    def _rewrite(self, text: bytes) -> bytes:
        out: list[bytes] = []
        at = 0
        if self._escaped:
            out.append(text[:1])
            at, self._escaped = 1, False
        while at < len(text):
            if self._in_string:
                found = _INSIDE.search(text, at)
                if found is None:
                    out.append(text[at:])
                    break
                if found.group() == b"\\":
                    out.append(text[at : found.end() + 1])
                    self._escaped = found.end() == len(text)
                    at = found.end() + 1
                    continue
                out.append(text[at : found.end()])
                self._in_string, at = False, found.end()
                continue
            found = _OUTSIDE.search(text, at)
            if found is None:
                rest = text[at:]
                start = _CONSTANT_START.search(rest)
                if start is not None:
                    self._held, rest = rest[start.start() :], rest[: start.start()]
                out.append(rest)
                break
            if found.group() == b'"':
                out.append(text[at : found.end()])
                self._in_string = True
            else:
                out.append(text[at : found.start()] + b"null")
            at = found.end()
        return b"".join(out)


def _path_of(keys: tuple[str, ...]) -> str:
    return "'" + ".".join(keys) + "'"


def _skip_utf8_mark(f: Any) -> None:
    """Past the byte-order mark Windows tools write first, if there is one."""
    if f.read(3) != _UTF8_MARK:
        f.seek(0)


def _json_problem(exc: Exception) -> str:
    """The parser's first line, as text (yajl gives bytes, with the line it stopped at)."""
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, SystemError) or "Exceeds the limit" in str(exc):
        return "a number of more than 4,300 digits, more than a JSON reader takes"
    said = exc.args[0] if exc.args else str(exc)
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    return text.strip().split("\n")[0].strip()[:200]


def _kind(event: str) -> str:
    return {
        "string": "a string", "number": "a number", "boolean": "true or false",
        "null": "null", "start_array": "an array",
    }.get(event, event)  # fmt: skip
