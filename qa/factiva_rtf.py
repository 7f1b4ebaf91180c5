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

Factiva's "Full Article/Report plus Indexing" RTF (each field under its code, HD, BY, WC …, in
a table) is read by qa/factiva_indexing.py, which gives the same articles under the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.dates import parse_date
from qa.factiva import ACCESSION, FactivaArticle

__all__ = ["factiva_rtf_articles"]

# an article's closing line: "Document", in the interface's language, and its accession number
_CLOSER = re.compile(rf"[^\W\d_]{{2,20}}\s+(?P<an>{ACCESSION})")
_WORDS = re.compile(
    r"\d[\d,.\u00a0 ]*\s+(?:words?|mots?|W\u00f6rter|Wort|palabras|parole|woorden|ord|palavras)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"(?:By|Von|Par|Por|Di|Door)\s+\S", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(?:Copyright\b|\u00a9|\(c\)\s*\d)", re.IGNORECASE)
_TIME = re.compile(r"\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,5})?")
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
    chunks: list[tuple[list[str], str]] = []
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
    return [
        _article(number, chunk, accession)
        for number, (chunk, accession) in enumerate(chunks, start=1)
    ]


def _article(number: int, chunk: list[str], accession: str) -> FactivaArticle:
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
