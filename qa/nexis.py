"""The articles of a Nexis Uni (LexisNexis) export, read from its paragraphs in order.

Nexis Uni saves a search's results as one Word document (`.docx`): an optional cover page
(who asked, when, the search terms, the list of titles), then each article as

    Title
    Publication                       ← the source
    March 3, 2019 Sunday              ← the date line (edition lines may follow)
    Copyright 2019 …                  ┐
    Section: NEWS; Pg. 4              │ labelled fields, a no-break space after the colon
    Length: 834 words                 │
    Byline: Jane Doe                  ┘
    Body
    the article's paragraphs…
    Graphic / Classification / Load-Date: …   ← what Nexis adds after the text
    End of Document

This follows how the LexisNexisTools R package (JBGruber/LexisNexisTools, `lnt_parse_uni` in
R/LexisNexisTools.R) reads the format: an article ends at an "End of Document" paragraph, its
header ends at a "Body" paragraph, the title is its first line and the publication its second,
the date the line in the header that reads as one, the author the "Byline:" field, and a cover
page is set off from the first article by three or more empty paragraphs. The text after the
body that Nexis adds (the "Graphic" captions, the "Classification" block of subjects and
companies, "Load-Date:") ends the body, as the Leiden University Libraries' nexis-analysis
tool ends it at "Load-Date:". The pure reading is here; opening the file is
`index/docx_exports.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from qa.dates import parse_date

__all__ = [
    "BODY_MARK", "END_MARK", "FIELD", "TAIL", "NexisArticle", "is_nexis_uni", "nexis_uni_articles",
]  # fmt: skip

END_MARK = "End of Document"
BODY_MARK = "Body"
# labelled header fields of a Nexis Uni article ("Length:\xa0834 words"); English labels, and
# the German and French ones LexisNexisTools knows for the length
FIELD = re.compile(
    r"^(?P<label>Byline|Length|Section|Highlight|Dateline|Load-Date|Language|Publication-Type|"
    r"Journal-Code|Edition|Series|Type|L\u00e4nge|Longueur)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^(?:Copyright\b|\u00a9|All Rights Reserved\b)", re.IGNORECASE)
# what Nexis puts after an article's text, before "End of Document": the body ends at the first
TAIL = re.compile(r"^(?:Classification|Graphic|Load-Date\s*:.*)$", re.IGNORECASE)
# a line Nexis puts in place of a picture or a page's scan, within the text
_LINK_LINE = re.compile(r"^Link to (?:Image|(?:the )?PDF(?: Document)?)$", re.IGNORECASE)
# empty paragraphs that set the cover page off from the first article (LexisNexisTools: more
# than two)
_COVER_GAP = 3


@dataclass(frozen=True)
class NexisArticle:
    """One article of an export, as its header and body give it; `problem` says why it gives
    no article (then the other fields may be empty)."""

    number: int  # its place in the export, from 1
    title: str | None = None
    source: str | None = None
    date: str | None = None  # ISO, when the header has a date line
    author: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    problem: str | None = None
    url: str | None = None  # an export that gives the article's address (a text export's URL:)


def _line(text: str) -> str:
    """A paragraph as one line: no-break spaces as spaces, runs of spaces one, no ends."""
    return " ".join(text.replace("\u00a0", " ").split())


def is_nexis_uni(paragraphs: Sequence[str]) -> bool:
    """Whether the paragraphs are a Nexis Uni export: a paragraph that is "End of Document"
    and nothing else, with a paragraph "Body" before it (an item of an export may lack its
    "Body", a picture's; the export as a whole does not). A document that merely mentions
    "End of Document" in a sentence, or has such a line with no "Body" line before it, is no
    export."""
    seen_body = False
    for paragraph in paragraphs:
        line = _line(paragraph)
        if line == BODY_MARK:
            seen_body = True
        elif line == END_MARK and seen_body:
            return True
    return False


def nexis_uni_articles(paragraphs: Sequence[str]) -> list[NexisArticle]:
    """Each article of the export, in order: the paragraphs before each "End of Document", and
    after the last one only when they hold a "Body" line (an export cut off before its end)."""
    chunks: list[list[str]] = [[]]
    for paragraph in paragraphs:
        if _line(paragraph) == END_MARK:
            chunks.append([])
        else:
            chunks[-1].append(paragraph)
    last = chunks.pop()
    if any(_line(p) == BODY_MARK for p in last):
        chunks.append(last)
    return [
        _article(number, chunk, first=number == 1) for number, chunk in enumerate(chunks, start=1)
    ]


def _article(number: int, chunk: list[str], *, first: bool) -> NexisArticle:
    lines = [_line(p) for p in chunk]
    body_at = next((i for i, line in enumerate(lines) if line == BODY_MARK), None)
    if body_at is None:
        return NexisArticle(
            number,
            problem=(
                f"no '{BODY_MARK}' line before its '{END_MARK}' (Nexis gives a picture or a "
                "table without text so): no article text"
            ),
        )
    start = _after_cover(lines, body_at) if first else 0
    header = [line for line in lines[start:body_at] if line]
    title, source, date, author = _header_fields(header)
    if title is None:
        return NexisArticle(number, problem=f"no title before its '{BODY_MARK}' line")
    body: list[str] = []
    for paragraph, line in zip(chunk[body_at + 1 :], lines[body_at + 1 :], strict=True):
        if TAIL.match(line):
            break
        if line and not _LINK_LINE.match(line):
            body.append(paragraph.strip())
    if not body:
        return NexisArticle(
            number,
            title=title,
            problem=f"no article text between its '{BODY_MARK}' line and its end",
        )
    return NexisArticle(number, title, source, date, author, body)


def _after_cover(lines: list[str], body_at: int) -> int:
    """Where the first article's header starts: after the last run of `_COVER_GAP` or more
    empty paragraphs before its "Body" line (the gap after the cover page), else at the top."""
    start, empty = 0, 0
    for i, line in enumerate(lines[:body_at]):
        empty = empty + 1 if not line else 0
        if empty >= _COVER_GAP:
            start = i + 1
    return start


def _header_fields(
    header: list[str],
) -> tuple[str | None, str | None, str | None, str | None]:
    """Title, source, ISO date and byline of an article's header lines (empty ones left out).

    The date line is the last line, not a labelled field, that reads as a full date; the
    publication is the line before it and the title the line before that, so lines above the
    title (a cover page without its gap) are passed over. Without a date line, the title is
    the first line and the publication the second, as LexisNexisTools reads them."""
    author = None
    plain: list[str] = []
    for line in header:
        found = FIELD.match(line)
        if found is None:
            if not _COPYRIGHT.match(line):
                plain.append(line)
        elif found.group("label").lower() == "byline" and author is None:
            author = found.group("value").strip() or None
    dated = [(i, d) for i, line in enumerate(plain) if (d := parse_date(line)) is not None]
    if dated:
        at, date = dated[-1]
        source = plain[at - 1] if at >= 1 else None
        title = plain[at - 2] if at >= 2 else None
        if title is None:  # only a publication above the date: it is the title
            title, source = source, None
        return title, source, date.isoformat(), author
    title = plain[0] if plain else None
    source = plain[1] if len(plain) > 1 else None
    return title, source, None, author
