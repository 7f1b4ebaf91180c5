"""The articles of a Factiva (Dow Jones) HTML export, read from its page.

Factiva saves a search's results, or the articles picked from them, as one HTML page ("Save"
as HTML), each article in a `div` whose class is "article xxArticle" (xx: the article's
language, "enArticle", "frArticle"), in one of two layouts:

- **Full article with its indexing** ("Full Article/Report plus Indexing"): a table of coded
  fields, one row each, the code in the first cell and the value in the second:

      HD   the headline                      SN   the source's name ("The Vessby Post")
      BY   the byline                        SE   the section
      WC   the word count ("412 words")      LP   the lead paragraphs  ┐ `p.articleParagraph`
      PD   the date ("21 October 2024")      TD   the rest of the text ┘ elements, in order
      AN   "Document VSBYPO0020241021ekal0001x": the accession number, Factiva's id for it

  and others (ET the time, CY the copyright, LA the language, NS, RE, IPC, PUB …: codes and
  subjects, none of them text).
- **The article as Factiva shows it** ("Article Format"): no table: the headline in a
  `span` whose class ends in "Headline" (in `div#hd`), the byline in `div.author`, then plain
  `div`s for the word count, the date and the source (the section's `div` may come before the
  headline), then the `p.articleParagraph` paragraphs, and a closing `p` "Document
  VSBYPO0020241021ekal0001x".

This follows how the R package tm.plugin.factiva (nalimilan/R.TeMiS: `FactivaSource` in
R/FactivaSource.R, `readFactivaHTML` in R/readFactivaHTML.R) reads the first layout: the
articles are the `div`s whose class starts with "article ", the table's rows are fields by
their code, the text is the `p` elements whose class starts with "articleParagraph", and the
accession number follows "Document " in the AN row. The second layout is read as the
newspapers R package (koheiw/newspapers, R/factiva.R) reads it: the headline's `span`, then
the date and the source in the `div`s after the word count. Where this reader differs:

- **Recognising an export is strict**, as those readers, told which files to read, need not be:
  a page is an export only when a `div` of class "article xxArticle" in it gives an accession
  number of Factiva's shape (25 letters and digits: the source's code padded with zeros, the
  date as eight digits, a code of nine), as its AN field or as its closing "Document …" line
  (the word as Factiva's interface language writes it, in any script: "Dokument", "Documento",
  "Документ", "文档", a label of up to three words, a colon after it: `CLOSER_LABEL`). One such
  article is enough: no other page has it (a news page with a table, or a `div class="article
  story"`, is read as a page, as before).
- **The date is read by `qa.dates.parse_date`**, in the export's language ("21 October 2024",
  "29 décembre 2011", "9 Januar 1993"); the article-format date is the first plain `div`
  after the headline that reads as one (else, a date in a script it does not read, the `div`
  after the word count when it holds a year), the source the `div` after it, past a time of
  day ("10:02 GMT", a newswire's ET).
- A line break (`br`) in a paragraph or a field parts the words on either side.
- The accession number is the article's id in the index (index/html_exports.py), the same
  whenever the article is exported again; an article without one is an article still, its id
  made from its title and text, as its RTF downloads give it.
- An article `div` with no headline or no text paragraph is a `problem`, and the rest of the
  export is read.

The pure reading is here; reading the file (its encoding) is `index/html_exports.py`. The first
layout downloaded as RTF is read by qa/factiva_indexing.py, which makes its articles with
`article_of_fields`, as the table here is made, so either download gives the same article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

from qa.dates import parse_date

__all__ = [
    "FactivaArticle",
    "accession_of",
    "article_of_fields",
    "factiva_articles",
    "factiva_near_miss",
]

# an accession number: the source's code padded to eight with zeros ("NYTF0000", "TESTFR00"),
# the date it was loaded (YYYYMMDD), then nine letters and digits
ACCESSION = r"[A-Za-z0-9]{8}(?:19|20)\d{2}[01]\d[0-3]\d[A-Za-z0-9]{9}"
# the label before the accession number on the AN field's or a closing line: "Document" as the
# export's interface language writes it, in any script ("Dokument", "Документ", "文档"), up to
# three words of letters ("Document ID", "N° de document", "Dokument-Nr."), then a space or a
# colon ("Документ: …", "文档：…"); a Chinese, Japanese or Korean label may stand right
# before the number, as those languages write no space between words ("文档WSJ0000…")
_LABEL_WORD = r"[^\W\d_](?:[^\W\d_]|[°º-]){1,24}\.?"
_CJK_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
CLOSER_LABEL = (
    rf"(?:(?:{_LABEL_WORD}\s+){{0,2}}{_LABEL_WORD}\s*[:：]?\s+"
    rf"|(?:{_LABEL_WORD}\s+){{0,2}}{_LABEL_WORD}\s*[:：]\s*"
    rf"|[{_CJK_LETTERS}]{{1,8}}\s*[:：]?\s*)"
)
# what the AN field or a closing line holds: the label and the accession number, or the number
# alone; nothing else, so a line of text that holds a number of that shape is no closing line
_CLOSER = re.compile(rf"{CLOSER_LABEL}?(?P<an>{ACCESSION})")
# the class of an article's `div`: "article enArticle" (tm.plugin.factiva's "article XXArticle")
_ARTICLE_CLASS = re.compile(r"article\s+[a-z]{2}Article")
# a field's code in the layout with indexing: HD, BY, PD, SN, LP, TD, AN, IPC, PUB …
FIELD_CODE = re.compile(r"[A-Z]{2,3}")
# the article format's plain lines around the date: the word count before it ("620 words",
# "2029 Wörter", "1,234 words"), and a time of day after it in a newswire's ("10:02",
# "10:02 GMT", "3:45 PM"), before the source
_WORD_COUNT = re.compile(r"\d[\d,.\u00a0 ]*\s*[^\W\d_]+")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")
_TIME = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[AaPp]\.?[Mm]\.?|[A-Z]{2,5}|[+-]\d{2}:?\d{2}))?"
)
# cheap tests first: a page holding none of these is no export
_MARKS = ("articleParagraph", "Article")
_ACCESSION_ANYWHERE = re.compile(ACCESSION)


@dataclass(frozen=True)
class FactivaArticle:
    """One article of an export; `problem` says why it gives no article (then the other
    fields may be empty)."""

    number: int  # its place in the export, from 1
    title: str | None = None
    source: str | None = None
    date: str | None = None  # ISO, when the article's date reads as one
    author: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    accession: str | None = None  # Factiva's AN
    problem: str | None = None


def _tree(text: str) -> Any:
    # bytes, so that a declaration of another encoding in the page is not lxml's error
    parser = lxml_html.HTMLParser(encoding="utf-8")
    tree = lxml_html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    # a line break within a paragraph or a field parts its words ("harbour<br/>front" is two
    # words, not "harbourfront"); the text of an element has none of its own
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return tree


def _line(element: Any) -> str:
    """An element's text as one line: runs of white space (no-break spaces, the line breaks of
    the page's source) one space."""
    return " ".join(str(element.text_content()).replace("\u00a0", " ").split())


def _article_divs(tree: Any) -> list[Any]:
    return [
        div
        for div in tree.iter("div")
        if _ARTICLE_CLASS.fullmatch(" ".join(str(div.get("class", "")).split()))
    ]


def accession_of(text: str) -> str | None:
    """The accession number an AN field or a closing line gives ("Document
    VSBYEP0020230314ej3e0001a", the label in the interface's language, "Документ: …", "文档
    …", or the number alone),
    else None."""
    found = _CLOSER.fullmatch(" ".join(text.replace("\u00a0", " ").split()))
    return found.group("an") if found else None


def _fields(div: Any) -> dict[str, Any] | None:
    """The coded fields of an article's table (code → its value's cell), or None when the
    article has no such table (the article format)."""
    for table in div.iter("table"):
        fields: dict[str, Any] = {}
        for row in table.iter("tr"):
            cells = [c for c in row if c.tag in ("td", "th")]
            code = _line(cells[0]) if len(cells) >= 2 else ""
            if FIELD_CODE.fullmatch(code):
                fields.setdefault(code, cells[1])
        if "HD" in fields or "AN" in fields:
            return fields
    return None


def _paragraphs(element: Any) -> list[str]:
    """The text paragraphs under `element`: its `p.articleParagraph…` elements, else its `p`
    elements, else its text, each as one line; empty ones left out."""
    found = [p for p in element.iter("p") if str(p.get("class", "")).startswith("articleParagraph")]
    found = found or list(element.iter("p"))
    lines = [_line(p) for p in found] if found else [_line(element)]
    return [line for line in lines if line]


def _from_table(number: int, fields: dict[str, Any]) -> FactivaArticle:
    values = {code: _line(cell) for code, cell in fields.items()}
    paragraphs = [p for code in ("LP", "TD") if code in fields for p in _paragraphs(fields[code])]
    return article_of_fields(number, values, paragraphs)


def article_of_fields(
    number: int, values: Mapping[str, str], paragraphs: list[str]
) -> FactivaArticle:
    """The article of the layout with indexing whose fields are `values` (a field's code → its
    text on one line) and whose text is `paragraphs` (its LP then its TD paragraphs): the
    headline HD, the byline BY, the date PD (read by `parse_date`; the time, ET, is no part of
    a date here), the source's name SN, the accession number AN; a `problem` when it has no
    headline or no text. The codes (CO, IN, NS, RE …) are neither its text nor its fields."""

    def value(code: str) -> str | None:
        return values.get(code) or None

    date = parse_date(value("PD") or "") if value("PD") else None
    return _checked(
        FactivaArticle(
            number,
            title=value("HD"),
            source=value("SN"),
            date=date.isoformat() if date else None,
            author=value("BY"),
            paragraphs=paragraphs,
            accession=accession_of(value("AN") or ""),
        ),
        missing_title="no headline (its HD field is missing or empty)",
        missing_text="no text (no LP or TD paragraphs)",
    )


def _from_layout(number: int, div: Any) -> FactivaArticle:
    """An article in the article format: headline, byline, the plain `div`s after them, the
    paragraphs and the closing "Document …" line."""
    headline = next(
        (
            e
            for e in div.iter("span", "div")
            if str(e.get("class", "")).endswith("Headline") or e.get("id") == "hd"
        ),
        None,
    )
    author = next((e for e in div.iter("div") if "author" in str(e.get("class", "")).split()), None)
    # the plain divs after the headline (the section's may stand before it)
    after: list[str] = []
    seen = headline is None
    for e in div.iter("div", "span"):
        seen = seen or e is headline
        if seen and e.tag == "div" and not e.attrib:
            after.append(_line(e))
    date, source = _date_and_source(after)
    closers = [
        found
        for e in div.iter("p", "div")
        if not e.get("class") and (found := accession_of(_line(e))) is not None
    ]
    return _checked(
        FactivaArticle(
            number,
            title=_line(headline) or None if headline is not None else None,
            source=source,
            date=date,
            author=(_line(author) or None) if author is not None else None,
            paragraphs=[
                _line(p)
                for p in div.iter("p")
                if str(p.get("class", "")).startswith("articleParagraph") and _line(p)
            ],
            accession=closers[-1] if closers else None,
        ),
        missing_title="no headline",
        missing_text="no text (no articleParagraph paragraphs)",
    )


def _date_and_source(lines: list[str]) -> tuple[str | None, str | None]:
    """The ISO date and the source of an article-format article's plain lines: the date the
    first line that reads as one, else (a date in a script `parse_date` does not read) the
    line after the word count when it holds a year; the source the line after the date,
    past a time of day."""
    date_at = next((at for at, line in enumerate(lines) if parse_date(line) is not None), None)
    if date_at is None:
        counted = next((at for at, line in enumerate(lines) if _WORD_COUNT.fullmatch(line)), None)
        if counted is None or not _YEAR.search(" ".join(lines[counted + 1 : counted + 2])):
            return None, None  # no date line (an item without its date, PD)
        date_at = counted + 1
    read = parse_date(lines[date_at]) if date_at < len(lines) else None
    rest = [line for line in lines[date_at + 1 :] if line]
    if rest and _TIME.fullmatch(rest[0]):
        rest = rest[1:]
    return (read.isoformat() if read else None), (rest[0] if rest else None)


def _checked(article: FactivaArticle, *, missing_title: str, missing_text: str) -> FactivaArticle:
    problem = (
        missing_title if not article.title else missing_text if not article.paragraphs else None
    )
    if problem is None:
        return article
    return FactivaArticle(article.number, title=article.title, problem=problem)


def _read(number: int, div: Any) -> FactivaArticle:
    fields = _fields(div)
    return _from_table(number, fields) if fields is not None else _from_layout(number, div)


def _may_be_export(text: str) -> bool:
    return all(mark in text for mark in _MARKS) and _ACCESSION_ANYWHERE.search(text) is not None


def factiva_articles(text: str) -> list[FactivaArticle] | None:
    """Each article of the page `text` when it is a Factiva export (an article `div` of it
    gives an accession number), in order, a `problem` for one that gives no article; None
    when it is no export."""
    if not _may_be_export(text):
        return None
    articles = [_read(number, div) for number, div in enumerate(_article_divs(_tree(text)), 1)]
    if not any(a.accession for a in articles):
        return None
    return articles


def factiva_near_miss(text: str) -> str | None:
    """Why a page with `div`s like a Factiva export's articles is not read as one, for a
    warning, else None."""
    if "Article" not in text or "article" not in text:
        return None
    divs = _article_divs(_tree(text))
    if not divs or factiva_articles(text) is not None:
        return None
    return (
        f"it has {len(divs)} div(s) of class 'article xxArticle' as a Factiva export's articles, "
        "but none ends with its accession number ('Document' and 25 letters and digits)"
    )
