"""The articles of a `.json` archive export, item by item as the file streams (ijson, a
streaming JSON parser): each an `Entry` (`index/exports.py`). Where the articles are (a
top-level array, a list under a key such as `{"articles": [...]}`, one object, one a line) is
found in a first pass; nothing but the item being built is held in memory.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import ijson

from index.exports import Entry, too_large
from qa.archives import BODY_NAMES, names_of
from qa.errors import BadInput

log = logging.getLogger(__name__)

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
