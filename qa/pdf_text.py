"""From the text boxes of a PDF's pages to an article's raw text and details (pure logic; the
PDF itself is read by index/pdf_pages.py).

A PDF keeps no paragraphs or article structure, only text placed on pages. Its layout analysis
(pdfminer.six) gives text boxes, which are paragraphs nearly always; here:

- **Running headers and footers are dropped.** A box in the top or bottom band of the page
  (`BAND` of its height) whose text, its digits aside, comes back on nearly every page
  (`RUNNING_SHARE`, two pages at least) is no article text: a browser's Save as PDF prints the
  date and the page's title at the top of every page and its address and "2/5" at the bottom;
  a report repeats its name and "Page 2 of 5". A page number alone in a band goes too. A PDF of
  one page has nothing to compare: there, a band's box that is only an address, a date and
  time, or the document's own title goes.
- **The address in such a footer is the article's `url`** (a browser prints the page's
  address there); the PDF's metadata has none.
- **Lines are joined inside a box** ("well-\\nknown" is "well-known"), list items keep a line
  each, and a paragraph split by a page break is joined back by the text cleaner
  (qa/cleaning.py, rule 8: a paragraph that does not end a sentence and one that goes on with
  a small letter), as every article's is.
- **Title, author and date** (`PdfArticle`): the metadata's Title (without a trailing " | Site"
  naming the site of the address) is the title; the text's byline and date line win over the
  metadata's Author and CreationDate, which are used only when the text has none, and the
  CreationDate only for a PDF that no browser printed: a browser's is the day it was printed,
  never the article's, and a document's Author is often whoever made the file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

import justext

from qa.addresses import safe_url
from qa.authors import author_name
from qa.cleaning import clean_article
from qa.cleaning_paragraphs import ADDRESS_LINE
from qa.page_metadata import title_without_site

BAND = 0.1  # the top and bottom tenth of a page hold its running header and footer
RUNNING_SHARE = 0.6  # a band's text on this share of the pages (at least two) is running
ALL_LINKS = 0.9  # a paragraph this much in links is a menu or a link list, however short
MIN_TEXT_CHARACTERS = 20  # fewer letters and digits than this in the whole PDF: no text layer

_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE
)
# a date and time alone, as a browser prints it: "12/7/26, 5:30 AM", "2024-10-21 09:15",
# "21/10/2024, 09:15", "Oct 21, 2024, 9:15 AM"
_DATE_TIME = re.compile(
    r"^(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}"
    r"|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4}),?\s+\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?$"
)
_LIST_LINE = re.compile(r"^(?:[-*•◦▪‣]\s|\d{1,3}[.)]\s)")
_BROWSER = re.compile(r"chrom|skia|firefox|mozilla|safari|webkit|edg/|opera", re.IGNORECASE)
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")
# a title a word processor or scanner writes when the author gave none
_FILE_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint) - .*|untitled.*|.*\.(?:docx?|odt|rtf|txt|pdf|html?))$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class TextBox:
    """A block of text laid out together on a page (a paragraph, nearly always): its lines, and
    where it stands, `top` and `bottom` measured down from the top of the page."""

    lines: tuple[str, ...]
    top: float
    bottom: float
    linked: int = 0  # characters of it inside a link (a printed web page keeps its links)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.lines).split())


@dataclass(frozen=True)
class PdfPage:
    height: float
    boxes: tuple[TextBox, ...]


@dataclass(frozen=True)
class PdfDocument:
    """What a PDF holds that an article is made of: its pages' text boxes, in reading order,
    and its document information (each None when absent)."""

    pages: tuple[PdfPage, ...]
    title: str | None = None
    author: str | None = None
    created: str | None = None  # a PDF date, "D:20241021093000+02'00'"
    producer: str | None = None  # what made the PDF: "Skia/PDF m120" (Chrome), "LibreOffice"
    creator: str | None = None


@dataclass(frozen=True)
class PdfArticle:
    """The raw text the cleaner reads (a `Title:` line when the metadata has a title, then a
    paragraph a block), and the details the text itself cannot give."""

    raw: str
    url: str | None
    author: str | None  # the metadata's, for when the text has no byline
    date: str | None  # the metadata's, ISO, for when the text has none
    paragraphs: list[str] = field(default_factory=list)


def has_text(document: PdfDocument) -> bool:
    """Whether the PDF has a text layer worth reading (a scanned PDF has images only)."""
    characters = sum(
        sum(c.isalnum() for c in line)
        for page in document.pages
        for box in page.boxes
        for line in box.lines
    )
    return characters >= MIN_TEXT_CHARACTERS


def printed_by_browser(document: PdfDocument) -> bool:
    """Whether a web browser made the PDF (its Save as PDF), by what the PDF says made it."""
    return any(_BROWSER.search(name or "") for name in (document.producer, document.creator))


def pdf_article(document: PdfDocument) -> PdfArticle:
    """The article of a PDF: its paragraphs without running headers and footers, the address a
    footer gives, and its metadata's title, author and date (see the module's notes)."""
    running = running_keys(document.pages)
    url: str | None = None
    found: list[tuple[str, int]] = []  # each paragraph, and its characters inside links
    single = len(document.pages) == 1
    for page in document.pages:
        for box in page.boxes:
            text = without_ligatures(box.text)
            if not text:
                continue
            if in_band(box, page):
                if ADDRESS_LINE.match(text) and url is None and (running or single):
                    url = safe_url(text if "://" in text else f"https://{text}")
                if (
                    running_key(text) in running
                    or _PAGE_NUMBER.match(text)
                    or (single and _single_page_furniture(text, document.title))
                ):
                    continue
            found.append((joined_lines(box.lines), box.linked))
    web_page = printed_by_browser(document) or url is not None
    everything = [text for text, _ in found]
    paragraphs = _article_part(found) if web_page else everything
    title = _title(document.title, url)
    header = [f"Title: {title}"] if title else []
    raw = "\n\n".join(header + paragraphs) + "\n"
    # a byline and a date line are short, and stand by the site's menus: the part of a page
    # taken for its article may leave them out, the whole print still has them
    whole = clean_article("\n\n".join(header + everything)) if web_page else None
    author = whole.author if whole is not None else None
    date = whole.date if whole is not None else None
    if author is None and _is_name(document.author):
        author = author_name(document.author)
    if date is None and not printed_by_browser(document):
        date = _pdf_date(document.created)
    return PdfArticle(raw=raw, url=url, author=author, date=date, paragraphs=paragraphs)


def _article_part(found: Sequence[tuple[str, int]]) -> list[str]:
    """The paragraphs of a printed web page that are its article, not the site around it
    (menus, link lists, teasers, footers): jusText's classification (trafilatura's own
    fallback), by each paragraph's length, its share of common words of its language
    (the stoplist the whole text fits best) and its share of linked characters, then by its
    neighbours. When it finds no article at all, every paragraph is kept."""
    if not found:
        return []
    stoplist = _stoplist(" ".join(text for text, _ in found))
    paragraphs = []
    for text, linked in found:
        paragraph = justext.paragraph.Paragraph(SimpleNamespace(dom="body.p", xpath="/body/p"))
        paragraph.append_text(text)
        visible = sum(not c.isspace() for c in text) or 1
        paragraph.chars_count_in_links = round(linked * len(paragraph.text) / visible)
        paragraphs.append(paragraph)
    justext.core.classify_paragraphs(paragraphs, stoplist, no_headings=True)
    justext.core.revise_paragraph_classification(paragraphs)
    kept = [text for (text, _), p in zip(found, paragraphs, strict=True) if not p.is_boilerplate]
    # a short article has no paragraph long enough to be sure of: then every paragraph but
    # the menus and link lists (nearly all links) is kept
    return kept or [
        text
        for (text, _), p in zip(found, paragraphs, strict=True)
        if p.links_density() < ALL_LINKS
    ]


@cache
def _stoplists() -> dict[str, frozenset[str]]:
    return {
        language: frozenset(word.lower() for word in justext.get_stoplist(language))
        for language in justext.get_stoplists()
    }


def _stoplist(text: str) -> frozenset[str]:
    """The stoplist (common words) of the language `text` is most likely in: the one most of
    its words are in."""
    words = [word.lower() for word in text.split()[:5000]]
    return max(_stoplists().values(), key=lambda stop: sum(word in stop for word in words))


def is_page_number(text: str) -> bool:
    """Whether a line is a page number alone: "7", "- 7 -", "2/5", "Page 2 of 5"."""
    return _PAGE_NUMBER.match(text) is not None


def in_band(box: TextBox, page: PdfPage) -> bool:
    """Whether the box stands in the page's top or bottom band (its header or footer)."""
    band = BAND * page.height
    return box.bottom <= band or box.top >= page.height - band


def running_key(text: str) -> str:
    """A band's text compared across pages: digits aside ("2/5" and "3/5"), in any case."""
    return _DIGITS.sub("#", " ".join(text.split())).casefold()


def running_keys(pages: tuple[PdfPage, ...]) -> set[str]:
    """The texts of the pages' bands that come back on nearly every page."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for page in pages:
        keys = {running_key(box.text) for box in page.boxes if box.text and in_band(box, page)}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, RUNNING_SHARE * len(pages))
    return {key for key, count in counts.items() if count >= needed}


def _single_page_furniture(text: str, title: str | None) -> bool:
    """A one-page PDF's header or footer line: an address, a date and time, its own title."""
    own_title = title is not None and " ".join(title.split()).casefold() == text.casefold()
    return bool(ADDRESS_LINE.match(text) or _DATE_TIME.match(text)) or own_title


def joined_lines(lines: tuple[str, ...]) -> str:
    """A box's lines as one paragraph: a word hyphenated at the margin is one word again
    ("well-" + "known"), a list item keeps a line of its own."""
    joined: list[str] = []
    for raw in lines:
        line = " ".join(without_ligatures(raw).split())
        if not line:
            continue
        if not joined or _LIST_LINE.match(line):
            joined.append(line)
            continue
        prev = joined[-1]
        if prev.endswith("-") and prev[-2:-1].isalpha() and line[0].islower():
            joined[-1] = prev + line
        else:
            joined[-1] = f"{prev} {line}"
    return "\n".join(joined)


_LIGATURES = re.compile("[\ufb00-\ufb06]")
_UNKNOWN_GLYPH = re.compile(r"\(cid:\d+\)")  # a glyph the PDF gives no character for


def without_ligatures(text: str) -> str:
    """ "oﬀ" as "off": a PDF's text keeps the ligature glyphs a typeface drew (ﬀ, ﬁ, ﬂ, ﬃ,
    ﬄ), which no word is spelt with; a glyph with no character (an icon: "(cid:0)") goes."""
    text = _UNKNOWN_GLYPH.sub("", text)
    return _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _title(title: str | None, url: str | None) -> str | None:
    """The metadata's title, without a trailing " | Site" naming the address's site; None when
    it is missing or a file's name ("Microsoft Word - draft.docx", "Untitled")."""
    if title is None or not title.strip():
        return None
    title = " ".join(title.split())
    if _FILE_TITLE.match(title):
        return None
    return title_without_site(title, url)


def _is_name(author: str | None) -> bool:
    """Whether a metadata Author reads as a person's name: a few capitalised words."""
    words = (author or "").split()
    return 0 < len(words) <= 6 and all(w[0].isupper() for w in words if w[0].isalpha())


def _pdf_date(value: str | None) -> str | None:
    """A PDF date ("D:20241021093000+02'00'") as an ISO day, or None."""
    match = _PDF_DATE.match((value or "").strip())
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None
