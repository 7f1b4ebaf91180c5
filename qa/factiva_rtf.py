"""The articles of a Factiva (Dow Jones) export saved as RTF in the article format, read from
the document's paragraphs (qa/rtf_text.py).

Factiva's "RTF – Article Format" download lays each article out as lines, then its paragraphs,
then a closing line, a page break between two articles:

    News                                  ← the section (optional, and any such line)
    Vessby lantern festival moves …       ← the headline
    By Ines Varga                         ← the byline (optional)
    412 words                             ← the word count ("412 mots", "412 Wörter")
    14 March 2023                         ← the date
    10:05 GMT                             ← the time (optional)
    Vessby Evening Post                   ← the source's name
    VSBYEP                                ← the source's code, the language, the copyright
    English
    Copyright 2023 Vessby Evening Post
    The article's paragraphs, lead paragraphs first …
    Document VSBYEP0020230314ej3e0001a    ← "Document" and the accession number

This reads it as the R scripts that read Factiva's RTF with striprtf do (an article closes at
its "Document <accession>" line; the word count line parts the headline from the date and
source; the text starts after the copyright line), with the accession number's shape as
qa/factiva.py knows it from the HTML export, so an article's id (its accession number) is the
one its HTML export gives. Where the lines are not enough:

- **Recognising an export is strict**: a paragraph that is a word and an accession number and
  nothing else must close an article whose lines hold a word count line. An article that
  mentions a "Document" line in passing is one article.
- **The headline** is the line before a byline ("By …", "Von …", "Par …") when there is one,
  else the line before the word count; lines above it (the section) are passed over.
- **The text** starts after the copyright line ("Copyright", "©", "(c)") under the date; without
  one, after the language line ("English", "Deutsch", "Français" …). An article with neither,
  no headline, no date line or no text is a `problem`, and the rest of the export is read.
- **An article without its closing line** (no accession number) is an article still, as in the
  HTML download: lines up to a closing line that hold two articles' headers (a word count line
  with a date under it) are two articles, the next starting at its headline (and a short line
  above it that ends no sentence, its section), the first without an accession number; the
  last article's lines after the last closing line are one when they hold such a header. Its
  id is made from its title and text (qa/archives.py: `record_doc_id`), the one its HTML
  download gives.

Factiva's "Full Article/Report plus Indexing" RTF (each field under its code, HD, BY, WC …, in
a table) is read by qa/factiva_indexing.py, which gives the same articles under the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.dates import parse_date
from qa.factiva import ACCESSION, CLOSER_LABEL, FactivaArticle

__all__ = ["factiva_rtf_articles"]

# an article's closing line: "Document", in the interface's language and any script
# ("Документ", "文档"; qa/factiva.py CLOSER_LABEL), and its accession number
_CLOSER = re.compile(rf"{CLOSER_LABEL}(?P<an>{ACCESSION})")
_WORDS = re.compile(
    r"\d[\d,.\u00a0 ]*\s+(?:words?|mots?|W\u00f6rter|Wort|palabras|parole|woorden|ord|palavras)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"(?:By|Von|Par|Por|Di|Door)\s+\S", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(?:Copyright\b|\u00a9|\(c\)\s*\d)", re.IGNORECASE)
_TIME = re.compile(r"\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5})?")
# a section's line above a headline ("News", "Local Business"): a few words ending no sentence
_SECTION = re.compile(r"(?:\S+\s){0,4}\S*[^\W\d_]")
_LANGUAGES = frozenset(
    {"english", "french", "german", "spanish", "italian", "dutch", "portuguese", "swedish",
     "fran\u00e7ais", "deutsch", "espa\u00f1ol", "italiano", "nederlands", "portugu\u00eas",
     "svenska", "anglais", "englisch", "ingl\u00e9s"}
)  # fmt: skip


def _line(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _closer(paragraph: str) -> str | None:
    found = _CLOSER.fullmatch(_line(paragraph))
    return found.group("an") if found else None


def factiva_rtf_articles(paragraphs: Sequence[str]) -> list[FactivaArticle] | None:
    """Each article of the RTF document's `paragraphs` when they are a Factiva export in the
    article format (see the module's docstring), in order, a `problem` for one that gives no
    article; None when they are no export. Text after the last closing line is no article."""
    chunks: list[tuple[list[str], str | None]] = []
    lines: list[str] = []
    for paragraph in paragraphs:
        accession = _closer(paragraph)
        if accession is None:
            if _line(paragraph):
                lines.append(paragraph.strip())
            continue
        chunks.append((lines, accession))
        lines = []
    if not any(any(_WORDS.fullmatch(_line(line)) for line in chunk) for chunk, _ in chunks):
        return None
    if _headers([_line(line) for line in lines]):
        chunks.append((lines, None))  # the last article, without its closing line
    items = [item for chunk, accession in chunks for item in _items(chunk, accession)]
    return [
        _article(number, chunk, accession)
        for number, (chunk, accession) in enumerate(items, start=1)
    ]


def _headers(flat: list[str]) -> list[int]:
    """Where an article's header holds its word count line: one with a date under it."""
    return [
        at
        for at, line in enumerate(flat)
        if _WORDS.fullmatch(line) and any(parse_date(d) for d in flat[at + 1 : at + 4])
    ]


def _items(chunk: list[str], accession: str | None) -> list[tuple[list[str], str | None]]:
    """The articles of the lines up to a closing line (`accession` its number): one, or, when
    an article before the last lacks its closing line, each at its headline (the line above
    its word count, or above its byline), those before the last without an accession number.
    A short line above the headline that ends no sentence ("News") is its section's, as
    `_article` passes it over; a paragraph of the text before ends a sentence."""
    flat = [_line(line) for line in chunk]
    starts: list[int] = []
    for count_at in _headers(flat)[1:]:
        bylined = count_at >= 2 and _BYLINE.match(flat[count_at - 1]) is not None
        start = count_at - 2 if bylined else count_at - 1
        before = starts[-1] if starts else 0
        if start - 1 > before and _SECTION.fullmatch(flat[start - 1]):
            start -= 1
        if start > before:
            starts.append(start)
    bounds = [0, *starts, len(chunk)]
    return [
        (chunk[begin:end], accession if end == len(chunk) else None)
        for begin, end in zip(bounds, bounds[1:], strict=False)
    ]


def _article(number: int, chunk: list[str], accession: str | None) -> FactivaArticle:
    flat = [_line(line) for line in chunk]
    count_at = next((i for i, line in enumerate(flat) if _WORDS.fullmatch(line)), None)
    if count_at is None:
        return _problem(number, "no word count line ('412 words') under its headline")
    header = flat[:count_at]
    byline_at = next((i for i, line in enumerate(header) if _BYLINE.match(line)), None)
    author = header[byline_at] if byline_at is not None else None
    title_at = (byline_at if byline_at is not None else len(header)) - 1
    if title_at < 0:
        return _problem(number, "no headline above its word count line")
    date_at = next(
        (i for i in range(count_at + 1, min(count_at + 4, len(flat))) if parse_date(flat[i])),
        None,
    )
    if date_at is None:
        return _problem(number, "no date line under its word count line", title=header[title_at])
    date = parse_date(flat[date_at])
    start = next(
        (i + 1 for i in range(date_at + 1, len(flat)) if _COPYRIGHT.match(flat[i])), None
    ) or next((i + 1 for i in range(date_at + 1, len(flat)) if flat[i].lower() in _LANGUAGES), None)
    if start is None:
        return _problem(
            number,
            "no copyright or language line between its header and its text",
            title=header[title_at],
        )
    # the source's name: the first line between the date and that line that is no time
    source = next(
        (line for line in flat[date_at + 1 : start - 1] if not _TIME.fullmatch(line)), None
    )
    body = chunk[start:]
    if not body:
        return _problem(number, "no text under its header", title=header[title_at])
    return FactivaArticle(
        number,
        title=header[title_at],
        source=source,
        date=date.isoformat() if date else None,
        author=author,
        paragraphs=body,
        accession=accession,
    )


def _problem(number: int, problem: str, *, title: str | None = None) -> FactivaArticle:
    return FactivaArticle(number, title=title, problem=problem)
