"""The text of an RTF document (`.rtf`) as its paragraphs, and the articles of an export saved
as RTF.

The RTF is turned into text by striprtf (`rtf_to_text`: code pages by `\\ansicpg` and the font
table's `\\fcharset`, `\\'xx` bytes, `\\uN` characters with their fallbacks skipped, and the
destinations that are no text, the font and colour tables, `\\info`, pictures, headers,
footers, footnotes and field instructions, left out). What striprtf flattens, this reads
first (`_marked`), going over the document's tokens with striprtf's own pattern:

- a paragraph (`\\par`, `\\sect`, `\\page`) is a paragraph, and a line break within one
  (`\\line`) a line break ("\\n") within it: striprtf writes both as a line break;
- a table row (`\\row`) is a line "| cell | cell |" and a table one paragraph (the shape in
  which the Word reader, index/docx_exports.py, keeps a table), a `\\par` inside a cell a space
  (or, asked for, `CELL_BREAK`: a Factiva download with its indexing holds an article's
  paragraphs in one cell, qa/factiva_indexing.py); a row of a table within a cell (Word's
  nested table: `\\nestcell`, and `\\nestrow` in a `\\*\\nesttableprops` group striprtf
  leaves out, so it is marked after that group) is a paragraph "| cell | cell |" of the cell;
- a field's instruction group (`{\\*\\fldinst HYPERLINK "…"}`) is taken out: its result (a
  link's words) is the text, not "words("https://…")" as striprtf writes a link; striprtf's
  pattern for links also takes minutes on a file of many unclosed fields;
- a `\\binN` run of raw bytes is skipped whole (a picture's data);
- a font table's Mac character set for which Python has no codec (Mac Japanese, Chinese,
  Korean, Hebrew, Thai) is read in the Windows code page of that script.

A file that does not start with `{\\rtf`, or whose groups are not all closed (a truncated
download), is refused (`BadInput`, saying what it is); bytes no code page reads become U+FFFD.

An export is told by the paragraphs' content (`rtf_export_articles`): Nexis Uni's RTF download
has the paragraphs of its Word download (qa/nexis.py), a classic LexisNexis RTF the lines of
its text download, "N of M DOCUMENTS" (qa/nexis_text.py), each RTF paragraph one block.
"""

from __future__ import annotations

import re

from striprtf.striprtf import PATTERN, rtf_to_text

from qa.errors import BadInput
from qa.nexis import NexisArticle, is_nexis_uni, nexis_uni_articles
from qa.nexis_text import nexis_text_articles

__all__ = [
    "CELL_BREAK",
    "RTF_MAGIC",
    "is_rtf",
    "rtf_export_articles",
    "rtf_paragraphs",
    "without_cell_breaks",
]

RTF_MAGIC = b"{\\rtf"
# Unicode noncharacters (never in a document's text): what the marked RTF writes for a line
# break, a table cell's end and a row's end, which striprtf would write as "\n", "|" and "\n"
_LINE, _CELL, _ROW = "\ufdd0", "\ufdd1", "\ufdd2"
# a cell's and a row's end in a table within a table's cell (`\\nestcell`, `\\nestrow`: Word's
# nested table, as a table in a Factiva article's text cell is)
_NEST_CELL, _NEST_ROW = "\ufdd4", "\ufdd5"
# a paragraph's end inside a table's cell, kept in a row's line when asked for (another
# noncharacter: no document's text holds it), else a space
CELL_BREAK = "\ufdd3"
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
# a group writing one character whatever the \ucN in force: no fallback character follows
_WRITE = "{{\\uc0\\u{}}}"
# Mac character sets striprtf maps to codecs Python lacks: the Windows code page's set instead
_MAC_CHARSETS = {"78": "128", "79": "136", "80": "129", "82": "177", "85": "134", "88": "222"}
# text with no control word, symbol or group in it, which `_marked` copies as it is
_PLAIN = re.compile(r"[^\\{}]+")
_ANSICPG = re.compile(rb"\\ansicpg(\d{1,5})")


def is_rtf(data: bytes) -> bool:
    """Whether `data` starts as an RTF document does (a UTF-8 byte-order mark and white space
    before it allowed)."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(RTF_MAGIC)


def rtf_paragraphs(data: bytes, *, cell_breaks: bool = False) -> list[str]:
    """The paragraphs of the RTF document `data`, in order, a line break within one as "\\n",
    each without white space at its ends; empty ones kept (an export's cover page is set off by
    them). A paragraph's end inside a table's cell is a space, or with `cell_breaks`
    `CELL_BREAK` (`without_cell_breaks` then gives what it would have been without). `BadInput`
    when `data` is no RTF document or a truncated one."""
    if not is_rtf(data):
        raise BadInput(
            "not an RTF document: it does not start with '{\\rtf' (a file of another kind named "
            ".rtf?); save it again as Rich Text Format"
        )
    source = _decoded(data.removeprefix(b"\xef\xbb\xbf"))
    text = rtf_to_text(_marked(source), errors="replace")
    # a character beyond U+FFFF comes as its two \uN halves: joined again
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    paragraphs = _paragraphs(text)
    return paragraphs if cell_breaks else without_cell_breaks(paragraphs)


def without_cell_breaks(paragraphs: list[str]) -> list[str]:
    """The paragraphs `rtf_paragraphs(…, cell_breaks=True)` gave as `rtf_paragraphs` gives them
    without: a paragraph's end inside a cell a space."""
    return [p.replace(CELL_BREAK, " ") if CELL_BREAK in p else p for p in paragraphs]


def _decoded(data: bytes) -> str:
    """The RTF's characters: it is 7-bit ASCII by its specification, but a writer may put raw
    bytes of its code page (`\\ansicpg`, Windows-1252 by default) or UTF-8 in it."""
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    page = _ANSICPG.search(data[:4096])
    encoding = f"cp{page.group(1).decode()}" if page else "cp1252"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("cp1252", errors="replace")


def _marked(source: str) -> str:
    """The RTF `source` with its line breaks, cells and rows written as the noncharacters that
    `_paragraphs` reads, a cell's paragraph break as a space, its field instructions and `\\bin`
    data taken out (see the module's docstring). `BadInput` when its groups do not close."""
    source = source.lstrip()
    pieces: list[str] = []
    opened: list[int] = []  # where each open group starts in `pieces`
    dropped: set[int] = set()  # depths of groups to take out when they close
    in_table = False
    after_group: dict[int, str] = {}  # what to write once the group at a depth closes
    at = 0
    while at < len(source):
        plain = _PLAIN.match(source, at)
        if plain is not None:  # a run of text (most of a document): as it is
            pieces.append(plain.group())
            at = plain.end()
            continue
        token = PATTERN.match(source, at)
        if token is None:  # PATTERN's last alternative takes any character but a line break
            at += 1
            continue
        word, arg, _, _, brace, _ = token.groups()
        at = token.end()
        piece = token.group()
        if brace == "{":
            opened.append(len(pieces))
        elif brace == "}":
            if not opened:  # the document is closed: the rest is out of it, as Word reads it
                break
            start = opened.pop()
            if len(opened) + 1 in after_group:
                pieces.append(piece + after_group.pop(len(opened) + 1))
                continue
            if len(opened) + 1 in dropped:
                dropped.discard(len(opened) + 1)
                del pieces[start:]
                continue
        elif word == "fldinst":
            dropped.add(len(opened))
        elif word == "bin" and arg is not None:
            at += max(int(arg), 0)  # raw bytes, no tokens
            continue
        elif word == "line":
            piece = _WRITE.format(ord(_LINE))
        elif word == "cell":
            piece = _WRITE.format(ord(_CELL))
        elif word == "nestcell":
            piece = _WRITE.format(ord(_NEST_CELL))
        elif word == "nestrow":  # in a `{\\*\\nesttableprops …}` group, which striprtf leaves out
            after_group[len(opened)] = _WRITE.format(ord(_NEST_ROW))
        elif word == "row":
            piece = _WRITE.format(ord(_ROW))
            in_table = False  # the next row's paragraphs say \intbl again; text after a
            # table need not start with \pard
        elif word == "intbl":
            in_table = True
        elif word == "pard":
            in_table = False
        elif word == "par" and in_table:
            piece = _WRITE.format(ord(CELL_BREAK))
        elif word == "fcharset" and arg in _MAC_CHARSETS:
            piece = f"\\fcharset{_MAC_CHARSETS[arg]} "
        pieces.append(piece)
        if not opened:
            break  # the document's group closed
    if opened:
        raise BadInput(
            f"a damaged RTF document: {len(opened):,} of its groups are not closed (a download "
            "cut off before its end?); save or download it again"
        )
    return "".join(pieces)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs out of striprtf's text of a marked document: a line break ends one, a row
    marker a table's row (the rows in a run one paragraph, a line each)."""
    paragraphs: list[str] = []
    rows: list[str] = []
    parts = re.split(f"(\n|{_ROW})", text)
    for content, end in zip(parts[0::2], [*parts[1::2], None], strict=True):
        if end == _ROW or _CELL in content:
            cells = content.split(_CELL)
            if len(cells) > 1 and _blank(cells[-1]):
                cells.pop()  # after the last cell's end
            rows.append("| " + " | ".join(_flat(cell) for cell in cells) + " |")
            continue
        if rows:
            paragraphs.append("\n".join(rows))
            rows = []
        if end is not None or not _blank(content):  # striprtf's text ends with a paragraph's end
            paragraphs.append(_clean(content))
    if rows:
        paragraphs.append("\n".join(rows))
    return paragraphs


def _blank(text: str) -> bool:
    """Whether `text` is only white space (a cell's paragraph end one too)."""
    return not text.replace(CELL_BREAK, " ").strip()


def _flat(cell: str) -> str:
    """A cell's text on one line, its paragraphs' ends (empty paragraphs left out) kept as
    `CELL_BREAK`; a row of a table within it a paragraph "| cell | cell |", a `CELL_BREAK`
    after the table's last (its closing "|" is no empty cell of the row around it)."""
    parts = re.split(f"([{CELL_BREAK}{_NEST_ROW}])", cell)
    pieces: list[str] = []
    nested = False  # whether the last piece is a row
    for content, end in zip(parts[0::2], [*parts[1::2], None], strict=True):
        if end == _NEST_ROW:
            cells = [_one_line(c) for c in content.split(_NEST_CELL)]
            if len(cells) > 1 and not cells[-1]:
                cells.pop()  # after the last cell's end
            pieces.append("| " + " | ".join(cells) + " |")
            nested = True
        elif _one_line(content):
            pieces.append(_one_line(content))
            nested = False
    return CELL_BREAK.join(pieces) + (CELL_BREAK if nested else "")


def _one_line(text: str) -> str:
    return " ".join(_NONCHARACTERS.sub(" ", text).split())


_OUTSIDE_CELLS = {_LINE: "\n", CELL_BREAK: " "}  # the other noncharacters: nothing


def _clean(paragraph: str) -> str:
    lines = _NONCHARACTERS.sub(lambda m: _OUTSIDE_CELLS.get(m.group(), ""), paragraph)
    return "\n".join(line.strip() for line in lines.strip().split("\n"))


def rtf_export_articles(paragraphs: list[str]) -> list[NexisArticle] | None:
    """The articles of the RTF document's `paragraphs` when they are a LexisNexis export
    (a Nexis Uni download, qa/nexis.py; a classic one, qa/nexis_text.py), else None."""
    if is_nexis_uni(paragraphs):
        return nexis_uni_articles(paragraphs)
    return nexis_text_articles("\n\n".join(paragraphs))
