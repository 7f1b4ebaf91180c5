"""The articles of a Factiva (Dow Jones) export in the layout with its indexing ("Full
Article/Report plus Indexing"), read from an RTF download's paragraphs (qa/rtf_text.py).

With that display option Factiva lays each article out as its HTML download does
(qa/factiva.py): a table of coded fields, a row each, the code in the first cell and its value
in the second, the article's paragraphs in the LP and TD cells, a page break between articles.
qa/rtf_text.py gives such a table as rows "| HD | Vessby lantern festival … |", a cell's
paragraphs parted by `CELL_BREAK` when asked for them (`rtf_paragraphs(…, cell_breaks=True)`):

    | SE | News |
    | HD | Vessby lantern festival moves to the harbour |
    | BY | By Ines Varga |
    | WC | 412 words |
    | PD | 14 March 2023 |
    | ET | 10:05 |                  the time: no part of a date here
    | SN | Vessby Evening Post |
    | SC | VSBYEP |  ED, PG, LA, CY  the source's code, edition, page, language, copyright
    | LP | The Vessby … ⸱ The old market square … |
    | TD | Fishing boats will carry … |
    | CO | vsbhar : Vessby Harbour Authority |   CT, RF, CO, IN, NS, RE, IPC, IPD, PUB: codes,
    | NS | gcat : Political/General News |       contacts and subjects, none of them text
    | AN | Document VSBYEP0020230314ej3e0001a |

The same table as plain text (Word's or TextEdit's "save as text", `textutil -convert txt`)
writes a row as its code, a tab and its value, and a cell's further paragraphs as lines of
their own: "LP<tab>The Vessby …", "The old market square …", "TD<tab>Fishing boats …"; an
RTF holding that text (each line a paragraph) is read too.

This reads the fields as tm.plugin.factiva reads the HTML table (nalimilan/R.TeMiS:
`readFactivaHTML`: the value of each code, the text the LP and TD paragraphs, the accession
number after "Document " in AN) and as the scripts that read the RTF with striprtf read its
rows (a row's code and value; the lines a cell's further paragraphs; AN closes the article),
and makes each article as qa/factiva.py does its HTML table's (`article_of_fields`), so an
article's id, title, date, source, author and text are those its HTML download, and its
article-format download (qa/factiva_rtf.py), give. Where this reader is stricter or differs:

- **Recognising an export is strict**: the paragraphs are one only when an article of them has
  a headline (HD) and an AN field that is an accession number of Factiva's shape. A document
  with a table of codes and no such AN row is one article.
- **Items.** An article ends at its AN field; a second HD (an article without AN) starts the
  next. A line before the first field, or after an AN, is no article's (a cover, a footer).
  A field given twice in an article is one, its paragraphs in order.
- **A field** is a table's row whose first cell is a code (two or three capitals), or a
  paragraph that is a known field code, a tab and its value; a row with an empty first cell,
  and any other paragraph inside an article, is more of the field above it.
- An article with no headline or no text (no LP or TD paragraph) is a `problem`, and the rest
  of the export is read. One without an accession number (its AN field missing, or no number)
  is an article, its id made from its title and text (qa/archives.py: `record_doc_id`), as the
  HTML download (qa/factiva.py) gives the same item: the same id from either file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from qa.factiva import FIELD_CODE, FactivaArticle, accession_of, article_of_fields
from qa.rtf_text import CELL_BREAK

__all__ = ["factiva_indexed_articles"]

# Factiva's field codes (its documentation of them, and tm.plugin.factiva's list): a paragraph
# opening with one of them and a tab is a field; a table's row needs only a code's shape
_KNOWN_CODES = frozenset(
    {"AN", "ART", "BY", "CLM", "CO", "CR", "CT", "CX", "CY", "DLN", "ED", "ET", "HD", "IN",
     "IPC", "IPD", "LA", "LP", "NS", "PD", "PG", "PUB", "RE", "RF", "RST", "SC", "SE", "SN",
     "TD", "VOL", "WC"}
)  # fmt: skip
_TABBED = re.compile(r"(?P<code>[A-Z]{2,3})\t+(?P<value>.*)", re.DOTALL)
_ROW = re.compile(r"\|(?P<inner>.*)\|")
_TRAILING_CELLS = re.compile(r"(?:\s*\|)+\s*$")  # a row's empty cells after its value


@dataclass
class _Item:
    fields: dict[str, list[str]] = field(default_factory=dict)
    last: str | None = None  # the field its next further line belongs to


def factiva_indexed_articles(paragraphs: Sequence[str]) -> list[FactivaArticle] | None:
    """Each article of the RTF document's `paragraphs` (read with `cell_breaks=True`) when
    they are a Factiva export in the layout with its indexing (see the module's docstring), in
    order, a `problem` for one that gives no article; None when they are no such export."""
    items: list[_Item] = []
    item: _Item | None = None
    for code, pieces in _lines(paragraphs):
        if code is None:  # more of the field above, inside an article
            if item is not None and item.last is not None:
                item.fields[item.last].extend(pieces)
            continue
        if item is None or (code == "HD" and "HD" in item.fields):
            item = _Item()
            items.append(item)
        item.fields.setdefault(code, []).extend(pieces)
        item.last = code
        if code == "AN":
            item = None
    if not any("HD" in i.fields and _accession(i) is not None for i in items):
        return None
    return [_article(number, item) for number, item in enumerate(items, start=1)]


def _lines(paragraphs: Sequence[str]) -> Iterator[tuple[str | None, list[str]]]:
    """Each field line of the paragraphs as its code and its value's paragraphs, and each
    other line as None and its paragraphs; empty ones left out."""
    for paragraph in paragraphs:
        rows = [_ROW.fullmatch(row) for row in paragraph.split("\n")]
        inners = [row.group("inner") for row in rows if row is not None]
        if len(inners) == len(rows):  # a table: each line a row
            yield from (_row(inner) for inner in inners)
            continue
        text = paragraph.strip()
        tabbed = _TABBED.fullmatch(text)
        if tabbed is not None and tabbed.group("code") in _KNOWN_CODES:
            yield tabbed.group("code"), _pieces(tabbed.group("value"))
        elif text:
            yield None, [text]


def _row(inner: str) -> tuple[str | None, list[str]]:
    """A table's row, "| code | value |" within its outer pipes: its code (None when its first
    cell is no code) and its value's paragraphs."""
    first, parted, rest = inner.partition(" | ")
    code = first.strip()
    if parted and FIELD_CODE.fullmatch(code):
        return code, _pieces(_TRAILING_CELLS.sub("", rest))
    if parted and not code:  # no code: more of the field above
        return None, _pieces(_TRAILING_CELLS.sub("", rest))
    return None, _pieces(_TRAILING_CELLS.sub("", inner))


def _pieces(value: str) -> list[str]:
    """A value's paragraphs, the rows of a table within it ("| US | 12 |", a table in an
    article's text) one paragraph, a line each, as a table is kept elsewhere."""
    pieces: list[str] = []
    for piece in (p.strip() for p in value.split(CELL_BREAK)):
        if pieces and _ROW.fullmatch(piece) and _ROW.fullmatch(pieces[-1].rsplit("\n", 1)[-1]):
            pieces[-1] += "\n" + piece
        elif piece:
            pieces.append(piece)
    return pieces


def _accession(item: _Item) -> str | None:
    return accession_of(" ".join(item.fields.get("AN", [])))


def _article(number: int, item: _Item) -> FactivaArticle:
    """The article of an item, as the HTML table's (`article_of_fields`): one without an
    accession number (its AN field missing or no number) is an article still, its `accession`
    None, so its id is made from its title and text, as the HTML download's is."""
    values = {code: " ".join(pieces) for code, pieces in item.fields.items()}
    text = [p for code in ("LP", "TD") for p in item.fields.get(code, [])]
    return article_of_fields(number, values, text)
