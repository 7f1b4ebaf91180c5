"""The articles of a classic LexisNexis plain-text export, read from its lines.

LexisNexis Academic and Nexis.com save a search's results ("Download", format Text) as one
`.TXT` file: an optional cover page (the request, its time, the search terms), then each
article as

                               3 of 10 DOCUMENTS           ← the item's marker, centred

                               The Sun (England)           ← the publication: the source

                            January 11, 2010 Monday        ← the date line (edition lines
                                   Edition 1;                 may follow it)

    Harbour reopens after the storms                       ← the headline, wrapped over lines

    BYLINE: TREVOR Kavanagh                                ┐ labelled fields, in capitals
    SECTION: FEATURES; Pg. 6                               │
    LENGTH: 677 words                                      ┘ the header ends here
    DATELINE: LONDON                                       ← (sometimes) more header fields

    The article's paragraphs, hard-wrapped, a blank line between two…

    LOAD-DATE: January 11, 2010                            ┐ what LexisNexis adds after the
    LANGUAGE: ENGLISH                                      │ text (GRAPHIC:, URL:,
    PUBLICATION-TYPE: Newspaper                            │ PUBLICATION-TYPE:, …)
                       Copyright 2010 News Group Newspapers Ltd    ┘

This follows how the LexisNexisTools R package (JBGruber/LexisNexisTools, `lnt_parse_nexis`
in R/LexisNexisTools.R, and its test export `inst/extdata/sample.TXT`) reads the format: an
item starts at a line "N of M DOCUMENTS" (German "Dokument N von M", French "Document N de
M"), its header ends at its `LENGTH:` line (`LÄNGE:`, `LONGUEUR:`), the publication is the
header's first line, the date the header line that reads as one, the author the `BYLINE:`
field (`AUTOR:`) with the line under it, and the headline the header lines that are none of
those; the text is the lines after the header, up to its `LANGUAGE:` line, without the
`LOAD-DATE:`, `GRAPHIC:`, `DATELINE:` and `UPDATE:` lines. Where this reader differs:

- **Recognising an export is strict**, as LexisNexisTools, told which files to read, need not
  be: the marker lines (a line that is the marker and nothing else, in capitals) must number
  the items in order, one after another, all "of" the same M (a download of the results 101
  to 200 starts at "101 of 500 DOCUMENTS"), and at least one item must have its `LENGTH:`
  line. An article that says "1 of 3 DOCUMENTS" in a sentence, or a text whose marker-like
  lines are out of order, is no export (`near_miss` says why, for a warning).
- **The text ends at the first field LexisNexis adds after it** (`LOAD-DATE:`, `LANGUAGE:`,
  `GRAPHIC:`, `URL:`, …), as the docx reader (qa/nexis.py) ends at `Load-Date:`; a copyright
  block at the item's end is not text either. Each paragraph's wrapped lines are one line
  again ("well-" and "known" make "well-known").
- **The date line anchors the header**: the publication is the line above it, the headline
  what is under it (its edition lines, which name an "edition", aside), so a header without
  a publication still has its title. The date is read by `qa.dates.parse_date`; a
  periodical's date line that names no day ("May 2012", "Spring 2012", "May/June 2012",
  "Juni 2012") is the date line all the same, not the headline's first words, and the article
  is undated.
- An item with no `LENGTH:` line and no other labelled header line (LexisNexis gives a picture
  so), no headline or no text is a `problem`, and the rest of the export is read.

The pure reading is here; reading the file (its encoding) is `index/text_exports.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.addresses import safe_url
from qa.dates import parse_date
from qa.nexis import NexisArticle

__all__ = ["NexisTextItem", "near_miss", "nexis_text_articles", "nexis_text_items"]

# an item's first line, the marker and nothing else (LexisNexisTools' start keywords)
_MARKER = re.compile(
    r"(?:(?P<en>\d{1,7}) of (?P<en_of>\d{1,7}) DOCUMENTS?"
    r"|Dokument (?P<de>\d{1,7}) von (?P<de_of>\d{1,7})"
    r"|Document (?P<fr>\d{1,7}) de (?P<fr_of>\d{1,7}))"
)
# a cheap test first: a text holding none of these words has no marker
_MARKER_WORDS = ("DOCUMENT", "Dokument ", "Document ")
# the fields that end an item's header: its length (English, German, French)
_LENGTH = frozenset({"LENGTH", "L\u00c4NGE", "LONGUEUR"})
_BYLINE = frozenset({"BYLINE", "AUTOR", "AUTEUR"})
# labelled lines of the header (before or just after LENGTH:), none of them text
_HEADER = frozenset(
    {*_LENGTH, *_BYLINE, "SECTION", "RUBRIK", "RUBRIQUE", "HIGHLIGHT", "DATELINE", "BODY",
     "HEADLINE", "SERIES", "CORRECTION-DATE", "CORRECTION", "TYPE"}
)  # fmt: skip
# labelled lines LexisNexis puts after the text: the text ends at the first
_TAIL = frozenset(
    {"LOAD-DATE", "LANGUAGE", "SPRACHE", "LANGUE", "PUBLICATION-TYPE", "PUBLIKATIONSTYP",
     "GRAPHIC", "GRAFIK", "URL", "DOCUMENT-TYPE", "DOKUMENTTYP", "JOURNAL-CODE", "SUBJECT",
     "ORGANIZATION", "PERSON", "GEOGRAPHIC", "COMPANY", "TICKER", "INDUSTRY", "NOTES",
     "DISTRIBUTION", "UPDATE"}
)  # fmt: skip
# lines dropped wherever they are (LexisNexisTools' `exclude_lines`)
_DROPPED = frozenset({"DATELINE", "GRAPHIC", "GRAFIK", "LOAD-DATE", "UPDATE"})
_LABEL = re.compile(r"^(?P<label>[A-Z\u00c4][A-Z\u00c4\-]{1,30}):(?:\s+(?P<value>.*))?$")
_COPYRIGHT = re.compile(r"^(?:Copyright\b|\u00a9|All Rights Reserved\b)", re.IGNORECASE)
_EDITION = re.compile(r"\b(?:edition|ausgabe|[\u00e9e]dition)\b", re.IGNORECASE)
# a periodical's date line that names no day ("May 2012", "Spring 2012", "May/June 2012",
# "Winter 2011/2012", "Juni 2012"): the date line all the same, never part of the headline
_PERIOD_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|winter"
    r"|januar|j\u00e4nner|februar|m\u00e4rz|mai|juni|juli|oktober|dezember|fr\u00fchling"
    r"|fr\u00fchjahr|sommer|herbst|janvier|f\u00e9vrier|mars|avril|juin|juillet|ao\u00fbt|septembre"
    r"|octobre|novembre|d\u00e9cembre|printemps|\u00e9t\u00e9|automne|hiver)\.?"
)
_PERIOD = re.compile(
    rf"(?:{_PERIOD_NAME}(?:\s*[/\u2013-]\s*{_PERIOD_NAME})?,?\s+)?(?:19|20)\d\d"
    r"(?:\s*[/\u2013-]\s*(?:19|20)?\d\d)?",
    re.IGNORECASE,
)
# a wrapped line ending in a word's hyphen ("well-"): the next line goes on without a space
_HYPHEN_END = re.compile(r"[^\W\d_]-$")


@dataclass(frozen=True)
class NexisTextItem:
    """One item of an export as its marker numbers it, with its lines after the marker."""

    number: int
    lines: list[str]


def _marker(line: str) -> tuple[int, int] | None:
    found = _MARKER.fullmatch(line.strip())
    if found is None:
        return None
    number, of = (int(v) for v in found.groups() if v is not None)
    return number, of


def _markers(lines: Sequence[str]) -> list[tuple[int, int, int]]:
    """(line index, N, M) of each marker line."""
    return [(i, *m) for i, line in enumerate(lines) if (m := _marker(line)) is not None]


def _in_order(markers: Sequence[tuple[int, int, int]]) -> bool:
    """Whether the markers number items one after another (k, k+1, …), all of the same M."""
    if not markers:
        return False
    first, total = markers[0][1], markers[0][2]
    return all(
        of == total and number == first + i and 1 <= number <= total
        for i, (_, number, of) in enumerate(markers)
    )


def nexis_text_items(text: str) -> list[NexisTextItem] | None:
    """The items of `text` when it is a classic LexisNexis export (the markers in order, and an
    item with a `LENGTH:` line), else None. Whatever comes before the first marker (the cover
    page) is no item."""
    if not any(word in text for word in _MARKER_WORDS):
        return None
    lines = text.splitlines()
    markers = _markers(lines)
    if not _in_order(markers):
        return None
    ends = [at for at, _, _ in markers[1:]] + [len(lines)]
    items = [
        NexisTextItem(number, lines[at + 1 : end])
        for (at, number, _), end in zip(markers, ends, strict=True)
    ]
    if not any(_label(line)[0] in _LENGTH for item in items for line in item.lines):
        return None
    return items


def near_miss(text: str) -> str | None:
    """Why a text with two or more lines like a LexisNexis export's markers is not read as one
    (so a warning can say it is read as one article), else None."""
    if not any(word in text for word in _MARKER_WORDS):
        return None
    markers = _markers(text.splitlines())
    if len(markers) < 2 or nexis_text_items(text) is not None:
        return None
    shown = ", ".join(f"{number} of {of}" for _, number, of in markers[:4])
    if _in_order(markers):
        return (
            f"it has {len(markers)} lines like a LexisNexis export's ('{shown}' DOCUMENTS), "
            "but no item has a LENGTH: line"
        )
    return (
        f"it has {len(markers)} lines like a LexisNexis export's ('{shown}' DOCUMENTS), but "
        "they do not number the items one after another, all of the same total"
    )


def nexis_text_articles(text: str) -> list[NexisArticle] | None:
    """Each article of the export `text`, in order (a `problem` for an item that gives
    none), or None when `text` is no export (`nexis_text_items`)."""
    items = nexis_text_items(text)
    if items is None:
        return None
    return [_article(item) for item in items]


def _label(line: str) -> tuple[str | None, str]:
    """A labelled line's label and value ("LENGTH: 834 words" → ("LENGTH", "834 words")), or
    (None, the line) when it is no known label's."""
    found = _LABEL.match(line.strip())
    if found is None or found.group("label") not in _HEADER | _TAIL:
        return None, line
    return found.group("label"), (found.group("value") or "").strip()


def _blocks(lines: Sequence[str]) -> list[list[str]]:
    """The lines in runs between blank lines, each line without its indentation; a labelled
    line starts a run of its own (fields written one under another, no blank line between)."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            blocks.append([])
            continue
        if _label(line)[0] is not None:
            blocks.append([])
        blocks[-1].append(" ".join(line.split()))
    return [block for block in blocks if block]


def _joined(lines: Sequence[str]) -> str:
    """Wrapped lines as one: a space between two, none after a word's hyphen."""
    text = ""
    for line in lines:
        if text and not _HYPHEN_END.search(text):
            text += " "
        text += line
    return text


def _article(item: NexisTextItem) -> NexisArticle:
    blocks = _blocks(item.lines)
    labels = [_label(block[0])[0] for block in blocks]
    end = next((i for i, label in enumerate(labels) if label in _LENGTH), None)
    if end is None:  # no length: the header ends at its last labelled line, if it has one
        header_at = [i for i, label in enumerate(labels) if label in _HEADER]
        end = header_at[-1] if header_at else None
    if end is None:
        return NexisArticle(
            item.number,
            problem=(
                "no LENGTH: line, nor any other labelled header line (LexisNexis gives a "
                "picture or a table without text so): its header cannot be told from its text"
            ),
        )
    # DATELINE:, HIGHLIGHT: … after the length (BODY: opens the text: `_body`)
    while end + 1 < len(blocks) and labels[end + 1] in _HEADER - {"BODY"}:
        end += 1
    title, source, date, author = _header_fields(blocks[: end + 1])
    body_blocks, url = _body(blocks[end + 1 :])
    if title is None:
        return NexisArticle(item.number, problem="no headline above its labelled lines")
    body = [_joined(block) for block in body_blocks]
    if not body:
        return NexisArticle(
            item.number, title=title, problem="no article text after its LENGTH: line"
        )
    return NexisArticle(item.number, title, source, date, author, body, url=url)


def _header_fields(
    blocks: Sequence[list[str]],
) -> tuple[str | None, str | None, str | None, str | None]:
    """Title, source, ISO date and author of an item's header blocks."""
    plain: list[list[str]] = []
    author = headline = None
    for block in blocks:
        label, value = _label(block[0])
        if label is None:
            if not _COPYRIGHT.match(block[0]):
                plain.extend(_at_date(block))
            continue
        lines = [value, *block[1:]]  # a field's value may go on over the lines under it
        if label in _BYLINE and author is None:
            author = _joined(lines) or None
        elif label == "HEADLINE" and headline is None:
            headline = _joined(lines) or None
    dated = next(
        ((i, d) for i, block in enumerate(plain) if (d := parse_date(block[0])) is not None),
        None,
    )
    # else a periodical's "May 2012": the date line, though it gives no day
    period = next((i for i, block in enumerate(plain) if _is_period(block[0])), None)
    at = dated[0] if dated is not None else period
    if at is None:
        source = _joined(plain[0]) if len(plain) > 1 else None
        rest = plain[1:] if len(plain) > 1 else plain
    else:
        source = _joined(plain[at - 1]) if at >= 1 else None
        # the date block's other lines are the edition ("Edition 1;", "Scotland")
        rest = plain[at + 1 :]
    date = dated[1].isoformat() if dated is not None else None
    titled = [block for block in rest if not (len(block) <= 2 and _EDITION.search(block[0]))]
    title = headline or (" ".join(_joined(block) for block in titled) or None)
    return title, source, date, author


def _is_period(line: str) -> bool:
    return _PERIOD.fullmatch(line.strip()) is not None


def _at_date(block: list[str]) -> list[list[str]]:
    """A header block split before its date line when that is not its first line (the
    publication and the date written one under the other)."""
    at = next(
        (i for i, line in enumerate(block[1:], 1) if parse_date(line) or _is_period(line)), None
    )
    return [block] if at is None else [block[:at], block[at:]]


def _body(blocks: Sequence[list[str]]) -> tuple[list[list[str]], str | None]:
    """The text's blocks (up to the first field LexisNexis adds after the text, without a
    closing copyright block or dropped lines) and the `URL:` field's address, if any."""
    body: list[list[str]] = []
    url = None
    ended = False
    for block in blocks:
        label, value = _label(block[0])
        if label == "URL" and url is None:
            url = safe_url(value)
        if label in _TAIL:
            ended = True
        if ended or label in _DROPPED:
            continue
        if label == "BODY":  # "BODY:" before the text; a value on its line is text
            opened = [value, *block[1:]] if value else block[1:]
            if opened:
                body.append(opened)
            continue
        body.append(block)
    while body and _COPYRIGHT.match(body[-1][0]):
        body.pop()
    return body, url
