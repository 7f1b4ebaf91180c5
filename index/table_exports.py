"""The rows of a `.csv` or `.tsv` archive export under its header row, read as the file
streams (docs/extraction.md, "Tables"): each an `Entry` (`index/exports.py`).

On the standard library's `csv`, with what it leaves to its caller: the size of a record (one
over `index.max_document_bytes` is skipped before it is held), which separator, which encoding
(a UTF-8 table with rows in the Windows code page too), which order a date's day and month are
in, and where a malformed row ends.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from w3lib.encoding import read_bom

from index.checksums import sha256_file
from index.exports import Entry, too_large
from qa.archives import BODY_NAMES, column_names, names_of
from qa.dates import parse_date
from qa.decoding import decode_text, stray_bytes_as_cp1252, utf16_without_mark
from qa.errors import BadInput

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
        return utf16_without_mark(sample) or "utf-8", False
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
