"""From a saved web page to an article: decode it, let trafilatura find the article and its
metadata, then drop the site furniture that is left.

trafilatura (the best-measured open extractor on the article-extraction benchmark) does the
hard part: it finds the article body among navigation, share buttons, cookie notices, comments
and related-story lists, and reads the title, author, date, site name and canonical address
from the page's metadata. What this module adds, each measured in docs/extraction.md:

- **precision first, recall as a safety net.** The body is extracted with
  `favor_precision=True`; when that finds little (under 3,000 characters) a `favor_recall=True`
  pass runs too, and its body is used if it is over 1.5 times as long (and at least 250
  characters): the precise pass missed the article or cut into it (trafilatura's balanced
  mode retries its own short results the same way, with these limits);
- **the text cleaner's line rules** (qa/cleaning.py `clean_paragraphs`: captions, credits,
  bylines, share and follow prompts, copyright and tag lines, related-story sections,
  repeated titles), which also read the text's own dateline;
- **the page's metadata date wins** over a date written in the text (see `extract_page`);
- **no words cut out of a sentence**: `favor_precision` deletes elements that trafilatura's
  precision rules take for page furniture (a `span` of class `link`, an empty inline element
  with the text after it); inside running text those hold words of the sentence, so they are
  unwrapped or removed without their text first (`_keep_running_text`);
- **a lead written as a bare block** in the body (`<div class="article__summary">` holding its
  sentence) is a paragraph: trafilatura reads a `div`'s own text only when the body has too
  few paragraphs (`_keep_leads`);
- **no card of links shown on hover inside a sentence** (`<span class="rollover-people-block">`,
  a tooltip or popover of links to other stories after a name): it is removed, never a
  paragraph whole (`_drop_hover_cards`).

Scripts, styles and event-handler attributes never reach the text: the body is read from
trafilatura's tree of text elements (p, head, list, quote, table), which holds none of them.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import unquote_plus, urlsplit

import charset_normalizer
from courlan import extract_domain  # trafilatura's own address library
from lxml.etree import Element
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import (
    BODY_XPATH,
    OVERALL_DISCARD_XPATH,
    PRECISION_DISCARD_XPATH,
    TEASER_DISCARD_XPATH,
)
from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding
from w3lib.url import url_query_cleaner

from qa.authors import author_name
from qa.cleaning import clean_paragraphs, continues_sentence
from qa.dates import MONTH_ABBREVIATIONS, MONTH_NAMES, parse_date
from qa.errors import BadInput
from qa.lexical import without_accents
from qa.text_input import binary_problem, c1_controls_as_cp1252

# trafilatura logs every page it gives up on as a warning; the caller reports those itself
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_MULTIBYTE = {
    "shift_jis", "cp932", "euc_jp", "euc_jis_2004", "euc_jisx0213", "iso2022_jp", "gb2312",
    "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950", "euc_kr", "cp949", "johab",
    "utf_16", "utf_32",
}  # fmt: skip
_BLOCK_LINES = re.compile(r"\n+")
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")
_LIST_MARKER = re.compile(r"^- ")  # what trafilatura puts before a list item in plain text
_GROUP_MAX_WORDS = 120
MIN_PROSE_WORDS = 10  # an article has a paragraph this long; menus and link lists do not
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# trafilatura's own limits for retrying a short result in recall mode (ESCALATION_MAX_LENGTH,
# ESCALATION_ACCEPT_RATIO in trafilatura/core.py, calibrated on its benchmark suite, and
# MIN_EXTRACTED_SIZE in its settings.cfg: a shorter retry result is noise)
RETRY_BELOW_CHARS = 3000
ACCEPT_RATIO = 1.5
RETRY_MIN_CHARS = 250
_WORD = re.compile(r"\w")
# inline tags trafilatura's precision mode deletes when empty, together with the text after them
# (CUT_EMPTY_ELEMS in trafilatura/settings.py, pruned without tails when favor_precision is on)
_TITLE_SEPARATORS = (" - ", " – ", " — ", " | ")
_INLINE = ("b", "em", "i", "q", "span", "strong")
_TEXTLESS = ("script", "style", "noscript", "template", "svg", "img")


@dataclass(frozen=True)
class ExtractionOptions:
    """How trafilatura runs and what is done after it; the defaults are the measured choice."""

    favor_precision: bool = True
    favor_recall: bool = False
    fast: bool = True  # skip trafilatura's readability/jusText comparison: the recall pass
    # below is the safety net instead, and measured better
    include_tables: bool = True
    include_comments: bool = False
    deduplicate: bool = False
    recall_fallback: bool = True  # a short precise result is retried with favor_recall
    drop_headings: bool = False  # measured: the benchmark's article bodies keep headings
    line_rules: bool = True  # the text cleaner's boilerplate rules (qa/cleaning.py)
    join_body_parts: bool = True  # a body split in sibling parts is read whole
    keep_leads: bool = True  # a lead written as a bare block in the body is a paragraph
    drop_hover_cards: bool = True  # a card of links shown on hover inside a sentence is no text

    def trafilatura_args(self, *, recall: bool = False) -> dict[str, Any]:
        return {
            "favor_precision": self.favor_precision and not recall,
            "favor_recall": self.favor_recall or recall,
            "fast": self.fast,
            "include_tables": self.include_tables,
            "include_comments": self.include_comments,
            "deduplicate": self.deduplicate,
            "with_metadata": False,
        }


DEFAULT_OPTIONS = ExtractionOptions()


@dataclass(frozen=True)
class ExtractedPage:
    """What a page holds: its metadata and the article's paragraphs."""

    title: str | None
    author: str | None
    date: str | None  # ISO date
    sitename: str | None
    url: str | None  # http(s) only
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# --- decoding -----------------------------------------------------------------------------


def decode_html(data: bytes) -> str:
    """Decode a page as a browser would: byte-order mark, then UTF-16 without one
    (`utf16_without_mark`: Word saves pages so), then the charset the page declares
    (meta tag or XML declaration; `iso-8859-1` read as windows-1252, as the HTML standard
    says), then UTF-8, then a guess for undeclared legacy encodings.

    A page declared windows-1252 (or iso-8859-1) that holds one of the five bytes Windows-1252
    leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) is still read as windows-1252 when it is
    not UTF-8 either, as the HTML standard's decoder reads it (each such byte a C1 control,
    which cleaning removes): Python's strict cp1252 refuses those bytes, and the guess that
    followed read the whole page in another code page ("portís" for "port’s"). A page declared
    windows-1252 that is UTF-8 holding C1 controls (decoded as Latin-1, then saved as UTF-8
    with its declaration kept) is read as UTF-8: as windows-1252 it would read "portÂ’s"."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None and bom is not None:
        return data[len(bom) :].decode(bom_encoding, errors="replace")
    wide = utf16_without_mark(data)  # before the charset: UTF-8 and cp1252 read NULs
    if wide is not None:
        return data.decode(wide, errors="replace")
    declared = html_body_declared_encoding(data)
    encoding = None
    if declared is not None:
        encoding = resolve_encoding(declared) or declared
        if _is_cp1252(encoding) and _UTF8_C1.search(data):
            try:  # decoded as Latin-1, then saved as UTF-8 with its declaration kept
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration, or a windows-1252 page with an undefined byte
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if encoding is not None and _is_cp1252(encoding):
        return _windows_1252(data)
    return data.decode(_guess_legacy_encoding(data), errors="replace")


# what a text without a byte-order mark that holds NUL bytes may be written in: UTF-16, where a
# space, a digit, a comma or a Latin letter has a NUL beside it (the high byte of its code unit)
_UTF16 = ["utf_16_le", "utf_16_be"]
# the share of code units with a NUL byte, all on one side, that UTF-16 text shows: Latin text
# about every unit, Cyrillic or Greek its spaces and punctuation (one in six or so), a page its
# markup too; a stray NUL in UTF-8, or binary data, does not
_UTF16_MIN_NULS = 0.1
_UTF16_MIN_NUL_COUNT = 8


def utf16_without_mark(data: bytes) -> str | None:
    """The UTF-16 that `data` is written in without a byte-order mark (Word and other Windows
    programs save pages and text so: "Unicode" in their encoding options), or None. Such bytes
    are also well-formed UTF-8 and windows-1252 when the text is ASCII (each NUL read as a NUL,
    which made the page "binary content"), so this is asked first. Told by where the NUL bytes
    stand (a tenth of the code units or more have one, all on the same side: little- or
    big-endian), then confirmed by charset-normalizer reading the bytes as UTF-16 alone, so
    binary data and UTF-8 with a stray NUL are none. Text in a script far from ASCII (Chinese
    without markup) has too few NULs to tell, and is left to the guess after UTF-8."""
    if b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    most, fewest = max(even, odd), min(even, odd)
    if most < max(_UTF16_MIN_NUL_COUNT, _UTF16_MIN_NULS * len(data) / 2) or fewest > most / 10:
        return None
    # a sample cut inside a character (a table's opening) is read up to the last whole one
    best = charset_normalizer.from_bytes(data[: len(data) // 2 * 2], cp_isolation=_UTF16).best()
    return codecs.lookup(best.encoding).name if best is not None else None


# a C1 control character in UTF-8 (b"\xc2\x92" for U+0092): what a windows-1252 page holds
# once it was decoded as Latin-1 and saved as UTF-8 with its <meta charset="windows-1252">
# kept; read as windows-1252, each would be "Â" and a quote ("portÂ’s"), which no text holds
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def _is_cp1252(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "cp1252"
    except LookupError:
        return False


def _windows_1252(data: bytes) -> str:
    """`data` decoded as the HTML standard's windows-1252: every byte is read, the five that
    Windows-1252 leaves undefined as the C1 controls of their numbers (Python's "cp1252"
    refuses them)."""
    return c1_controls_as_cp1252(data.decode("latin-1"))


class DecodedText(NamedTuple):
    text: str
    encoding: str  # Python's name for it: "utf-8", "utf-16-le", "cp1252", …
    guessed: bool  # not all of it UTF-8, nor named by a byte-order mark
    foreign_bytes: int = 0  # in a UTF-8 text, bytes that are not UTF-8, read as windows-1252


def decode_text(data: bytes) -> DecodedText:
    """A plain-text file's text: in the encoding its byte-order mark names (UTF-8, UTF-16 or
    UTF-32, as Windows Notepad writes them), else UTF-16 without a mark (`utf16_without_mark`,
    said as a guess), else UTF-8, else the likeliest legacy encoding (a
    text saved as Windows-1252 or Shift-JIS declares nothing). A UTF-8 text with a pasted-in
    Windows-1252 paragraph (bytes that are not UTF-8 among ones that are) keeps its UTF-8 and
    reads the others as Windows-1252. A guess can be wrong where a short text reads well in
    two encodings, so the caller says which files were guessed."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None and bom is not None and bom_encoding != "utf-8":
        return DecodedText(
            data[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding, False
        )
    body = data[len(bom) :] if bom is not None else data
    wide = utf16_without_mark(body) if bom is None else None
    if wide is not None:
        return DecodedText(body.decode(wide, errors="replace"), wide, True)
    try:
        return DecodedText(body.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    # the stray bytes come back from the decoder as lone surrogates U+DC80-U+DCFF
    escaped = body.decode("utf-8", errors="surrogateescape")
    foreign = len(escaped) - len(escaped.encode("utf-8", "ignore").decode("utf-8"))
    # mostly UTF-8: marked so, or as many well-formed sequences as stray bytes and a reading
    # whose letters fit one language (a windows-1252 "ß“" is well-formed UTF-8 by chance too);
    # a legacy text, with a stray byte for each of its letters beyond ASCII, stops at the count
    if bom is not None or len(_UTF8_MULTIBYTE.findall(body)) >= foreign:
        text = escaped.translate(_CP1252_OF_STRAY)  # each stray byte read as windows-1252
        if bom is not None or _fits_one_alphabet(text[:SAMPLE_CHARS]):
            return DecodedText(text, "utf-8", True, foreign)
    encoding = codecs.lookup(_guess_legacy_encoding(body)).name
    return DecodedText(body.decode(encoding, errors="replace"), encoding, True)


# a well-formed UTF-8 sequence of two to four bytes (RFC 3629): rare in a legacy text
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


# a stray byte b, as "surrogateescape" gives it back (U+DC00 + b), → b read as windows-1252
# (its five unassigned bytes as U+FFFD)
_CP1252_OF_STRAY = {
    0xDC00 + b: bytes([b]).decode("cp1252", errors="replace") for b in range(0x80, 0x100)
}


def stray_bytes_as_cp1252(text: str) -> str:
    """`text` decoded with "surrogateescape", each byte the decoder could not read (a lone
    surrogate U+DC80-U+DCFF) read as windows-1252 instead."""
    return text.translate(_CP1252_OF_STRAY)


# a decoded text's opening that the plausibility checks read (they are linear in Python; the
# opening tells as well as the whole for a text in one encoding)
SAMPLE_CHARS = 100_000


# the code pages text is written in, by region (charset_normalizer also tries DOS, Mac-Greek,
# HP-Roman8 and others, which win on short texts by accident: "Núñez" as "N·±ez")
_LIKELY_ENCODINGS = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_15", "koi8_r", "koi8_u",
    "mac_roman", "cp932", "euc_jp", "iso2022_jp", "gb18030", "big5", "cp949", "utf_16",
    "utf_16_le", "utf_16_be", "utf_32",
]  # fmt: skip


_IN_WORD_MARKS = "·"  # the Catalan middle dot ("col·lecció")


def _odd_in_words(text: str) -> int:
    """Symbols, digits of another kind, control characters and stray punctuation (not quotes,
    brackets or dashes) between two letters, as a wrong code page leaves them ("Ma³gorzata",
    "M¸ller", "k‰ytt‰j‰"); letters, marks, "Smith’s" and spaces there are normal."""
    return sum(
        1
        for i in range(1, len(text) - 1)
        if ord(text[i]) > 127
        and (
            unicodedata.category(text[i])[0] in "NSC"
            or (unicodedata.category(text[i]) == "Po" and text[i] not in _IN_WORD_MARKS)
        )
        and text[i - 1].isalpha()
        and text[i + 1].isalpha()
    )


# the letters beyond a-z of the languages written in the Latin code pages above (their
# standard alphabets): a reading whose letters no one language has mixes code pages' letters
_LATIN_ALPHABETS = (
    "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "ąćęłńóśźż", "áéíóöőúüű", "čćđšž", "ăâîșțşţ",
    "çğıöşüâîû", "äöüßé", "àâæçéèêëîïôœùûüÿ", "áéíñóúü", "áâãàçéêíóôõú", "àèéìíîòóùú",
    "áéëïóöü", "æøåéó", "åäöé", "äöåšž", "áðéíóúýþæö", "àçèéíïòóúü", "äõöüšž", "āčēģīķļņšūž",
    "ąčęėįšųūž", "ċġħżà", "çë", "âêîôûŵŷáéíóú", "äöüéèà",
)  # fmt: skip


# an a-z letter beside a letter of another script, in one word
_MIXED_WORD = re.compile(r"[A-Za-z][^\W\d_A-Za-z\u00c0-\u024f]|[^\W\d_A-Za-z\u00c0-\u024f][A-Za-z]")


def _fits_one_alphabet(text: str) -> bool:
    """Whether the letters beyond a-z in `text` all belong to one language's alphabet, or all
    to one other script (Cyrillic, Greek, …): true of text read in its own code page, and
    rarely of one read in another's ("Ýstanbul … Þiþli", "Dvoøák")."""
    letters = {c for c in text.lower() if c.isalpha() and ord(c) > 127}
    if not letters:
        return True
    scripts = {unicodedata.name(c, "?").split(" ")[0] for c in letters}
    if scripts != {"LATIN"}:  # one other script, in words of its own ("unterstќtzt" is not)
        return len(scripts) == 1 and not _MIXED_WORD.search(text)
    return any(letters <= set(alphabet) for alphabet in _LATIN_ALPHABETS)


def _guess_legacy_encoding(data: bytes) -> str:
    """charset_normalizer's guess among the likely code pages, weighed by two signs of a wrong
    code page that its scores miss on short texts: symbols inside words ("Ma³gorzata"), and
    letters that no one language has together ("Ýstanbul … Þiþli"). Among the readings with
    the fewest symbols in words and about as little chaos, one whose letters fit a language
    wins, and windows-1252 before the others: it is what undeclared Western text is written in
    (the HTML standard's default for pages), and a short text reads about as well in any
    cp125x."""
    results = list(charset_normalizer.from_bytes(data, cp_isolation=_LIKELY_ENCODINGS))
    if not results:
        return "cp1252"
    if codecs.lookup(results[0].encoding).name.replace("-", "_") in _MULTIBYTE:
        return results[0].encoding
    ranked = sorted(
        ((_odd_in_words(str(r)[:SAMPLE_CHARS]), r.chaos, n, r) for n, r in enumerate(results)),
        key=lambda t: t[:3],
    )
    odd, chaos = ranked[0][0], ranked[0][1]
    ties = [r for o, c, _, r in ranked if o == odd and c <= chaos + 0.1]
    group = [r for r in ties if _fits_one_alphabet(str(r)[:SAMPLE_CHARS])] or ties
    if any("cp1252" in r.could_be_from_charset for r in group):
        return "cp1252"
    return group[0].encoding


# --- extraction ---------------------------------------------------------------------------


_TAG = re.compile(r"<[A-Za-z!/?]")
_WHOLE_PAGE = re.compile(r"<(?:!doctype|html|head|body)\b", re.IGNORECASE)


def extract_page(
    html: str | bytes, *, url: str | None = None, options: ExtractionOptions = DEFAULT_OPTIONS
) -> ExtractedPage:
    """The article in a page; `BadInput` saying why when the page holds none.

    Dates: the page's metadata date (article:published_time, JSON-LD datePublished, a
    <time> element, the address) is kept when the text's own dateline says otherwise; the
    dateline is used only when the metadata has none. See docs/extraction.md for why.
    """
    # a page decoded as Latin-1 before it was saved or sent, its windows-1252 quotes and dashes
    # become C1 controls: each is read as the character of its byte (qa/text_input.py)
    text = c1_controls_as_cp1252(decode_html(html) if isinstance(html, bytes) else html)
    if not text.strip():
        raise BadInput("the page is empty")
    # a PDF, a .docx or an image saved or sent as a page is told by its first bytes, and
    # said so, rather than read for an article that is not there
    problem = binary_problem(html, wanted="an HTML page", text=text)
    if problem is not None:
        raise BadInput(problem)
    if not _TAG.search(text):
        raise BadInput(
            "no HTML tags in it: this is plain text, not a web page; give it as a text "
            "article (`text`, or a .txt file)"
        )
    if not _WHOLE_PAGE.search(text):
        # a fragment ("<p>…</p>"): trafilatura reads whole documents only
        text = f"<html><body>{text}</body></html>"
    try:
        tree = load_html(text)
        if tree is None:
            raise BadInput("the page could not be read as HTML")
        meta = extract_metadata(tree, default_url=url, date_config=set_date_params(False))
        if options.drop_hover_cards:
            _drop_hover_cards(tree)
        if options.favor_precision:
            _keep_running_text(tree)
        first = _first_body(tree) if options.join_body_parts or options.keep_leads else None
        if options.join_body_parts and first is not None:
            first = _join_body_parts(first)
        if options.keep_leads and first is not None:
            _keep_leads(first)
        body = _extract_body(tree, options)
        blocks = _paragraphs(body, options) if body is not None else []
    except BadInput:
        raise
    except Exception as exc:  # a parser failing on one odd page must not stop a whole build
        raise BadInput(f"the page could not be read as HTML ({type(exc).__name__})") from exc
    address = _page_url(tree, meta.url)
    title = meta.title.strip() if meta.title and meta.title.strip() else None
    if title:
        title = _without_site_name(title, meta.sitename, address)
    dateline = byline = None
    if options.line_rules:
        cleaned = clean_paragraphs(blocks, title=title)
        blocks, dateline, byline = cleaned.paragraphs, cleaned.date, cleaned.author
    if not any(_prose_words(b) >= MIN_PROSE_WORDS for b in blocks):
        raise BadInput(
            "no article text was found in the page"
            + (" (only short lines, such as menus and links)" if blocks else "")
        )
    return ExtractedPage(
        title=title,
        # metadata first; a site's name kept as the author is stored as any author is
        author=author_name(_people(meta.author, tree, meta.sitename, address))
        or byline
        or _byline_author(tree),
        date=meta.date or dateline or _byline_date(tree),
        sitename=meta.sitename or None,
        url=address,
        paragraphs=blocks,
    )


def _page_url(tree: Any, found: str | None) -> str | None:
    """The page's address: its canonical link, then its og:url, then what trafilatura found
    (twitter:url, a relative canonical link made absolute, <base>, else the address the page
    came from); the first that is an absolute http(s) URL.

    trafilatura reads og:url before the canonical link, which names the address the publisher
    wants cited (og:url may name a share domain, or http for https), and reads both only inside
    <head>: a page that closes its head early (an ad script before its metadata) has them in
    <body>, where the HTML parser puts them, so they are looked for in the whole page.
    """
    canonical = (
        link.get("href")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    )
    og_url = (
        meta.get("content")
        for meta in tree.iter("meta")
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:url"
    )
    for candidate in (*canonical, *og_url):
        if url := safe_url(candidate):
            return url
    return safe_url(found)


def title_without_site(title: str, url: str | None) -> str:
    """`title` without a trailing " | Site" naming the site of `url` (its domain), as a page's
    title loses it; for a title read from elsewhere than a page (a PDF's metadata)."""
    return _without_site_name(title, None, url)


def _without_site_name(title: str, sitename: str | None, url: str | None) -> str:
    """`title` without a trailing " - Site", " – Site", " — Site" or " | Site" that names the
    site: its name (og:site_name, or the one trafilatura found), its domain ("ZDNet" on
    zdnet.com, "SpaceNews.com"); compared without case, spaces and punctuation. A trailing part
    that names something else (a section: "| Editorial", "- Auto News"; a subtitle) stays."""
    names = {_name_key(sitename)} if sitename else set()
    domain = extract_domain(url, fast=True) if url else None
    if domain:
        names |= {_name_key(domain), _name_key(domain.split(".")[0])}
    names.discard("")
    while True:
        cuts = [(title.rfind(sep), sep) for sep in _TITLE_SEPARATORS]
        cuts += [  # a site name holding a separator itself ("Remember 80/90 - Memorabilia")
            (len(title) - len(sep) - len(sitename), sep)
            for sep in _TITLE_SEPARATORS
            if sitename and title.casefold().endswith((sep + sitename).casefold())
        ]
        cut = next(
            (
                (at, sep)
                for at, sep in sorted(cuts, reverse=True)
                if at > 0 and _name_key(title[at + len(sep) :]) in names
            ),
            None,
        )
        if cut is None or not _name_key(title[: cut[0]]):
            return title
        title = title[: cut[0]].rstrip()


def _people(author: str | None, tree: Any, sitename: str | None, url: str | None) -> str | None:
    """`author` ("A; B", as trafilatura joins names) without the names of the site or its
    owner, when a name is left: a page's `<meta name="author">` often names the publisher or
    the company ("Condé Nast", from its copyright line), and trafilatura adds the people its
    structured data names after it ("Condé Nast; Molly Wood"). The site is its name, its domain
    or the holder its `<meta name="copyright">` or `<meta name="publisher">` names; an author
    that is all there is stays (a personal site's author is often its name)."""
    if not author:
        return None
    names = [_as_name(n) for n in author.split("; ")]
    names = [n for n in names if n and not _not_a_name(n)]
    if not names:
        return None
    # a job title beside the person it describes ("Paul Takahashi; Staff writer", "STEVE
    # PEOPLES; AP National Political Writer"): the person
    names = [n for n in names if not _job_title(n)] or names
    owners = [_words(text) for text in _site_names(tree, sitename, url)]
    people = [n for n in names if not any(_within(_words(n), owner) for owner in owners)]
    return "; ".join(people) if people else author


# the words of a class, id or itemprop that name where a page writes its story's date
_DATE_ELEMENT_WORDS = frozenset(
    {"byline", "dateline", "date", "time", "timestamp", "pubdate", "published", "publish",
     "posted", "datepublished"}
)  # fmt: skip
# not where the story's date is: navigation, side rails and footers, comments, event listings
_NOT_THE_STORY = re.compile(r"^(?:nav|aside|footer)$")
_NOT_THE_STORY_WORDS = frozenset({"comment", "comments", "event", "events", "updated", "modified"})
_BYLINE_PARTS = re.compile(r"\s*[|·•]\s*|\s+[—–]\s+")
_PUBLISHED = re.compile(r"^(?:(?:first\s+)?published|posted)(?:\s+on)?\s*:?\s*", re.IGNORECASE)
_UPDATED = re.compile(r"^(?:last\s+)?(?:updated|modified)\b", re.IGNORECASE)
BYLINE_SEARCH_ELEMENTS = 60  # elements after the headline where a byline may stand
BYLINE_MAX_CHARS = 200  # a longer element is running text, not a byline


def _short_elements_under_headline(tree: Any) -> Iterator[tuple[Any, str]]:
    """The first `BYLINE_SEARCH_ELEMENTS` elements after the page's first `h1`, in page order
    (`following::*` holds elements only), with their text on one line: those with some text and
    at most `BYLINE_MAX_CHARS` of it, none inside navigation, an aside or a footer, nor in an
    element named for comments, events or an update."""
    headline = next(tree.iter("h1"), None)
    if headline is None:
        return
    for element in headline.xpath("following::*")[:BYLINE_SEARCH_ELEMENTS]:
        if any(
            _NOT_THE_STORY.match(str(up.tag)) or _element_words(up) & _NOT_THE_STORY_WORDS
            for up in (element, *element.iterancestors())
        ):
            continue
        text = " ".join("".join(element.itertext()).split())
        if text and len(text) <= BYLINE_MAX_CHARS:
            yield element, text


def _byline_date(tree: Any) -> str | None:
    """The story's date as its byline or date element writes it ("By Nadia Okonkwo | Oct. 10,
    2025", `<span class="time">August 12, 2025, 7:30 AM</span>`), for a page whose metadata
    and text give none: trafilatura's quick date search does not read such elements, and its
    extensive one takes a copyright year for a date.

    Only the first `BYLINE_SEARCH_ELEMENTS` elements after the page's headline (its first
    `h1`) are read, in page order, so a masthead's "today", a rail of latest stories before the
    article and the comments after it are not; nor is anything inside navigation, an aside or a
    footer, or in an element named for comments, events or an update. An element counts when a
    word of its class, id or itemprop names a byline or a date and its text is short; its
    pieces between `|`, `·` and dashes are read after a "Published" or "Posted on" label, a
    piece that is an "Updated" line is not, and only a full calendar date is taken
    (`qa/dates.py: parse_date`)."""
    for element, text in _short_elements_under_headline(tree):
        if not _element_words(element) & _DATE_ELEMENT_WORDS:
            continue
        for part in _BYLINE_PARTS.split(text):
            if _UPDATED.match(part):
                continue
            found = parse_date(_PUBLISHED.sub("", part.strip(), count=1))
            if found is not None:
                return found.isoformat()
    return None


def _byline_author(tree: Any) -> str | None:
    """The author a byline element under the headline names ("By Rosa Lindgren | 4 March
    2024" in a `<div class="meta">`), for a page whose metadata and body give none: trafilatura
    reads an author from elements whose class names one ("byline", "author"), and leaves such
    a line out of the body. An element is read as a line of text is (`clean_paragraphs`: a
    byline, or a byline with its date), among the first `BYLINE_SEARCH_ELEMENTS` after the
    first `h1`, not in navigation, an aside, a footer or comments, and only before the body's
    second paragraph of prose, so a related story's byline below the article is not taken."""
    prose = 0
    for element, text in _short_elements_under_headline(tree):
        if element.tag in _TEXTLESS:
            continue
        if element.tag == "p" and _prose_words(text) >= MIN_PROSE_WORDS:
            prose += 1
            if prose == 2:
                return None  # the body has begun
            continue
        found = clean_paragraphs([text]).author
        if found is not None:
            return found
    return None


def _element_words(element: Any) -> frozenset[str]:
    """The words of an element's class, id and itemprop ("article-byline__date" → article,
    byline, date)."""
    named = " ".join(element.get(a) or "" for a in ("class", "id", "itemprop"))
    return frozenset(re.findall(r"[a-z]+", named.lower()))


def _not_a_name(piece: str) -> bool:
    """A piece of a date that trafilatura took for a name from a byline that also dates the
    story ("By Nadia Okonkwo | Oct. 10, 2025" gives "Nadia Okonkwo; Oct"): a month alone, or
    figures; or a blog's placeholder for nobody in particular ("Admin", "Editorial")."""
    word = piece.strip(" .,").lower()
    return (
        word in MONTH_NAMES
        or word in MONTH_ABBREVIATIONS
        or word in _NOBODY
        or any(c.isdigit() for c in piece)
    )


# what a CMS writes where no person is named
_NOBODY = frozenset({"admin", "administrator", "editorial", "webmaster", "editor", "staff"})
# "By", "Analysis by" … before a name, which trafilatura keeps from some pages' bylines
_BY_PREFIX = re.compile(r"^(?:(?:analysis|opinion|commentary|story|words|written|text)\s+)?by\s+",
                        re.IGNORECASE)  # fmt: skip
# a weekday glued on from the dateline after the byline ("Malcolm Owen Monday"): full English
# names only, as a short one ("Sun") is also a family name
_TRAILING_WEEKDAY = re.compile(
    r"\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?$", re.IGNORECASE
)
# the words of a job title, not a name ("Staff writer", "CNN Editor-at-large")
_ROLE_WORDS = frozenset(
    {"writer", "editor", "editor-at-large", "correspondent", "reporter", "contributor",
     "columnist", "staff"}
)  # fmt: skip


def _as_name(piece: str) -> str:
    """A piece of trafilatura's author without a "By" before it (an "Analysis by", or any
    "By" every author loses: `qa.authors.author_name`) or a weekday after it."""
    name = author_name(_BY_PREFIX.sub("", piece.strip())) or ""
    return _TRAILING_WEEKDAY.sub("", name).strip()


def _job_title(piece: str) -> bool:
    return any(word in _ROLE_WORDS for word in piece.lower().split())


def _site_names(tree: Any, sitename: str | None, url: str | None) -> list[str]:
    """The names a page gives its site and owner: site name, domain, copyright holder."""
    names = [sitename] if sitename else []
    domain = extract_domain(url, fast=True) if url else None
    if domain:
        names += [domain, domain.split(".")[0]]
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").strip().lower() in ("copyright", "publisher"):
            names.append(meta.get("content") or "")
    return names


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _folded(text))


def _within(name: list[str], owner: list[str]) -> bool:
    """Whether `name`'s words are all of `owner`'s, or stand together in it ("Condé Nast" in
    "Copyright (c) Condé Nast 2019"), or are its words run together ("Business Insider",
    businessinsider.de)."""
    if not name:
        return False
    if "".join(name) == "".join(owner):
        return True
    return any(owner[i : i + len(name)] == name for i in range(len(owner) - len(name) + 1))


def _name_key(name: str) -> str:
    """A name compared without case, accents, spaces or punctuation ("SpaceNews.com")."""
    return "".join(c for c in _folded(name) if c.isalnum())


def _folded(text: str) -> str:
    """`text` in lower case without accents ("Condé" → "conde"), as the project drops them."""
    return without_accents(text.casefold())


def _prose_words(paragraph: str) -> int:
    """Words; in scripts written without spaces (Chinese, Japanese, Korean), about three
    characters make a word."""
    return max(len(paragraph.split()), len(_CJK.findall(paragraph)) // 3)


# the query parameters that say how a reader came to an article, not which article it is: a
# link from a newsletter, a share button, an ad or a feed carries them ("?utm_source=rss",
# "?fbclid=…", "?smid=tw-share"), so one article saved from two links had two addresses (and an
# archive record two ids). Names that every analytics, ad and mail tool documents, compared in
# any case; a name some sites also use for content ("ref", "src", "cid", "id") is none of them.
_TRACKING_PREFIXES = (
    "utm_",  # Google Analytics campaigns, and every tool that copied them
    "mtm_", "pk_", "matomo_",  # Matomo (Piwik)
    "hsa_", "_hs",  # HubSpot ads and mail (_hsenc, _hsmi)
    "ns_",  # comScore (the BBC's ns_mchannel, ns_source, ns_campaign)
    "at_",  # AT Internet (at_medium, at_campaign)
    "itm_", "oly_", "vero_", "ga_",
)  # fmt: skip
_TRACKING_NAMES = frozenset(
    {"fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid",
     "yclid", "igshid", "igsh", "li_fat_id", "epik", "mc_cid", "mc_eid", "_ga", "_gl",
     "ocid", "cmpid", "cmp", "intcmp", "icid", "ncid", "smid", "smtyp", "mbid", "xtor",
     "referringsource", "ref_src", "ref_url", "s_cid", "wt.mc_id", "wt_mc", "soc_src",
     "soc_trk", "guccounter", "guce_referrer", "guce_referrer_sig", "sr_share", "fb_action_ids",
     "fb_action_types", "fb_ref", "fb_source", "trk", "trkcampaign", "sc_cid", "cx_testid",
     "cx_testvariant"}
)  # fmt: skip


def _tracking(name: str) -> bool:
    name = unquote_plus(name).strip().lower()
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


def without_tracking(url: str) -> str:
    """`url` without the query parameters that only track how a reader came to it (`utm_source`,
    `fbclid`, `smid`, …: `_TRACKING_NAMES`), every other part as written, in its order; a `?`
    left with nothing after it goes too. w3lib's `url_query_cleaner` takes them out."""
    query = urlsplit(url).query
    found = [p.partition("=")[0] for p in query.split("&") if _tracking(p.partition("=")[0])]
    if not found:
        return url
    return url_query_cleaner(url, found, remove=True, unique=False, keep_fragments=True)


def safe_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) address, else None (never javascript: or data:),
    without its tracking parameters (`without_tracking`): the address an article is stored,
    cited and told apart by."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or ord(c) < 32 for c in url)
    ):
        return None
    return without_tracking(url)


def _keep_running_text(tree: Any) -> None:
    """Keep the words of a sentence that trafilatura's precision mode would cut out of it.

    Two of its precision-only rules, meant for page furniture, also hit words inside sentences:
    an element whose class is `link` (or `bottom`, or styled with a border) is deleted, text and
    all, and so a linked phrase wrapped in `<span class="link">` vanishes ("has reported that
    for his role"); an empty inline element (an icon's `<i></i>`) is deleted together with the
    text after it. Such a `span` with text right before or after it in its parent is unwrapped
    (its text stays, its children keep their own tags and rules), unless one of trafilatura's
    other rules (hidden, navigation, teaser…) would delete it anyway; an empty inline element
    that text follows is removed, its text kept, as trafilatura's other modes do.
    """
    for xpath in PRECISION_DISCARD_XPATH:
        for element in xpath(tree):
            if element.tag == "span" and _in_running_text(element) and not _discarded(element):
                element.drop_tag()
    for element in list(tree.iter(*_INLINE)):
        if element.tail and _WORD.search(element.tail) and _textless(element):
            element.drop_tree()  # lxml keeps the tail, joined to the text before


def _join_body_parts(first: Any) -> Any:
    """Read an article body that the page splits into sibling parts as one; the element the
    body rules then match first (`first`, the element they matched, or what now holds it).

    Pages cut the body into parts of one tag and class between ads, photos and related links
    (`<div class="article-body__part">` … `<div class="inline-ad">` … the next part), and
    trafilatura reads the first element its body rules match: the first part alone, a
    paragraph or two of the story, with no sign that the rest was left out. Where the element a
    body rule matches first has following siblings of its tag and class (a modifier such as
    `article-body__part--last` aside) that hold paragraphs too, the run from it to the last such
    part is wrapped in one element of that tag and class, which the same rule then matches
    first; what stands between the parts is judged by trafilatura's own rules as anywhere in a
    body. The run ends before anything that starts another story or section: an `article`
    element, or a heading (h1-h3) in a part or between parts (the next story of an endless
    page, "More from …" teasers); an `article`, a `post` or an `entry` is never cut into parts.
    """
    if first.tag == "article":
        return first
    parent, kind = first.getparent(), _class_tokens(first)
    if parent is None or not kind or kind & _WHOLE_STORIES:
        return first
    run = [first]
    for sibling in first.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag == "article" or _holds_heading(sibling):
            break
        run.append(sibling)
    parts = [
        k for k, element in enumerate(run)
        if element.tag == first.tag and _class_tokens(element) == kind
        and element.find(".//p") is not None
    ]  # fmt: skip
    if len(parts) < 2:
        return first
    whole = Element(first.tag)
    whole.set("class", first.get("class") or "")
    parent.insert(parent.index(first), whole)
    for element in run[: parts[-1] + 1]:
        whole.append(element)  # lxml moves it, its tail with it
    return whole


def _first_body(tree: Any) -> Any:
    """The element trafilatura's body rules match first (the rule order is theirs), or None."""
    for rule in BODY_XPATH:
        first = next(iter(rule(tree)), None)
        if first is not None:
            return first
    return None


def _keep_leads(body: Any) -> None:
    """Keep the lead of the article that the page writes as a bare block in its body.

    A summary, standfirst or dek above the body's paragraphs is often a `div` holding its
    sentence directly (`<div class="article__summary">Three people have died …</div>`), not a
    `p`; trafilatura reads the text of such a `div` only when the body has too few paragraphs,
    so the article lost its first paragraph. In `body`, the element the body rules match first,
    a `div` or `section` that a word of its class or id names a lead (`_LEAD_WORDS`) becomes a
    paragraph when it holds no block of its own (no paragraph, list, table, heading), a
    sentence of `MIN_PROSE_WORDS` words or more that is not mostly link text, and what the
    body's paragraphs do not repeat; trafilatura's own rules then judge it as any paragraph."""
    said = None
    for element in list(body.iterdescendants("div", "section")):
        if not _element_words(element) & _LEAD_WORDS or _holds_block(element):
            continue
        text = _flat(element)
        linked = sum(len(_flat(a)) for a in element.iter("a"))
        if _prose_words(text) < MIN_PROSE_WORDS or 2 * linked > len(text):
            continue
        if said is None:
            said = "\n".join(_flat(p) for p in body.iter("p"))
        if text not in said:
            element.tag = "p"


# class or id words of an article's lead ("article__summary", "standfirst", "c-entry-dek")
_LEAD_WORDS = frozenset(
    {"summary", "lead", "lede", "standfirst", "dek", "deck", "intro", "abstract", "sapo",
     "chapo", "chapeau"}
)  # fmt: skip
# elements that make a block of their own text, never part of a paragraph's
_BLOCKS = ("p", "div", "section", "article", "ul", "ol", "li", "table", "blockquote", "pre",
           "figure", "h1", "h2", "h3", "h4", "h5", "h6")  # fmt: skip


def _holds_block(element: Any) -> bool:
    return next(element.iterdescendants(*_BLOCKS), None) is not None


def _flat(element: Any) -> str:
    """The element's text with its white space collapsed."""
    return " ".join("".join(element.itertext()).split())


def _drop_hover_cards(tree: Any) -> None:
    """Remove the cards of links that a page shows when a name in a sentence is hovered.

    A page can put such a card inside the paragraph, right after the name it belongs to
    (`Gov. <span class="rollover-people"><a>Kristi Noem</a><span class="rollover-people-block">
    <a>Kristi Lynn Noem</a><a>South Dakota governor doubles down on …</a>…<a>MORE</a></span>
    </span> (R) is defending …`), and every mode of trafilatura reads its links into the
    sentence ("Gov. Kristi NoemKristi Lynn NoemSouth Dakota governor … MORE (R) is defending").
    An element inside a paragraph, list item, table cell or quote, whose class or id has a word
    naming a hover card (`_HOVER_WORDS`), is removed (its tail kept) when it holds two links or
    more that make at least half its text, no paragraph, list, table or heading of its own, and
    when its parent holds words besides it (another card removed before it not counted), so the
    name hovered and the rest of the sentence stay, and a paragraph is never removed whole. Of
    such elements nested in one another the innermost goes: the wrapper of the name and its card
    keeps the name; and one that holds words besides a child holding the links loses that child
    alone (`_card_within`: a wrapper named for the card it holds with the name).
    """
    cards = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and element.tag not in _TEXT_BLOCKS
        and _HOVER_HINT.search(f"{element.get('class') or ''} {element.get('id') or ''}")
        and _element_words(element) & _HOVER_WORDS
        and _is_hover_card(element)
    ]
    inner = set(cards)
    for card in cards:
        # asked again: a card beside it, already removed, no longer counts as words besides it
        if not any(other in inner for other in card.iterdescendants()) and _is_hover_card(card):
            _card_within(card).drop_tree()  # lxml keeps the tail, joined to the text before


def _card_within(element: Any) -> Any:
    """The card in `element`: the element itself, or, when it also holds words besides a child
    holding the links (the name hovered, in a wrapper of the name and its card named for the
    card), that child's card."""
    while True:
        children = [c for c in element if isinstance(c.tag, str)]  # not a comment
        holder = next((c for c in children if len(c.findall(".//a")) >= HOVER_CARD_MIN_LINKS), None)
        if holder is None:
            return element
        outside = [element.text, *(_flat(c) for c in children if c is not holder)]
        outside += [c.tail for c in element]
        if not any(piece and _WORD.search(piece) for piece in outside):
            return element
        element = holder


# class or id words of a card a page shows on hover ("rollover-people-block", "tooltip")
_HOVER_WORDS = frozenset(
    {"tooltip", "tooltips", "popover", "popovers", "hovercard", "hovercards", "rollover",
     "rollovers", "popup", "popups"}
)  # fmt: skip
# one of those words in a class or id, maybe within another (then read by _element_words)
_HOVER_HINT = re.compile("tooltip|popover|hovercard|rollover|popup", re.IGNORECASE)
# where a sentence is written, and a card inside it is no part of it
_RUNNING_TEXT = frozenset({"p", "li", "td", "th", "dd", "blockquote"})
# what holds a paragraph's text, or paragraphs: never inside a card (a `div` may be)
_TEXT_BLOCKS = ("p", "ul", "ol", "li", "dl", "dd", "dt", "table", "td", "th", "blockquote",
                "pre", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section")  # fmt: skip
HOVER_CARD_MIN_LINKS = 2  # a card lists links; the name it belongs to is one


def _is_hover_card(element: Any) -> bool:
    parent = element.getparent()
    if parent is None or next(element.iterdescendants(*_TEXT_BLOCKS), None) is not None:
        return False
    if not any(str(up.tag) in _RUNNING_TEXT for up in element.iterancestors()):
        return False
    links = list(element.iter("a"))
    text = _flat(element)
    if len(links) < HOVER_CARD_MIN_LINKS or 2 * sum(len(_flat(a)) for a in links) < len(text):
        return False
    # words in the parent besides the card: the name hovered, the sentence around it
    outside = [parent.text, element.tail]
    for sibling in parent:
        if sibling is not element:
            own = _flat(sibling) if isinstance(sibling.tag, str) else None  # not a comment's
            outside += [own, sibling.tail]
    return any(piece and _WORD.search(piece) for piece in outside)


# classes of a whole story or post, never a part of one
_WHOLE_STORIES = frozenset({"post", "entry", "story", "article"})


def _class_tokens(element: Any) -> frozenset[str]:
    """The element's classes, without BEM modifiers (`part--last` is `part`'s)."""
    return frozenset(t for t in (element.get("class") or "").split() if "--" not in t)


def _holds_heading(element: Any) -> bool:
    """The element is, or holds, a heading h1-h3 (lxml's `iter` starts at the element)."""
    return next(element.iter("h1", "h2", "h3"), None) is not None


def _discarded(element: Any) -> bool:
    """Whether trafilatura's rules for every mode (hidden, aria-hidden, navigation…) or for
    teasers delete `element`. They read its own attributes only, so they are run on a bare
    copy of it, not on the whole page again."""
    bare = copy(element)  # a copy, as attribute names a parser takes ("@click") may not be
    del bare[:]  # valid for a new element
    holder = Element("div")
    holder.append(bare)
    return any(xpath(holder) for xpath in (*OVERALL_DISCARD_XPATH, *TEASER_DISCARD_XPATH))


def _in_running_text(element: Any) -> bool:
    """Whether words stand right before or right after `element` in its parent."""
    previous = element.getprevious()
    before = element.getparent().text if previous is None else previous.tail
    return any(text and _WORD.search(text) for text in (before, element.tail))


def _textless(element: Any) -> bool:
    """No text inside (scripts, styles and images hold none that is read), and no line break.
    An element holding only white space is left to trafilatura, which keeps it and its space."""
    if element.text:
        return False
    for child in element.iterdescendants():
        if child.tag == "br":
            return False
        own = child.text if isinstance(child.tag, str) and child.tag not in _TEXTLESS else None
        if (own and own.strip()) or (child.tail and child.tail.strip()):
            return False
    return True


def _extract_body(tree: Any, options: ExtractionOptions) -> Any:
    """The precise pass's body; when it is short, the recall pass's if that is clearly longer
    (the rule trafilatura's balanced mode applies to its own short results, with its limits)."""
    main = _body(tree, options.trafilatura_args())
    length = _chars(main)
    if not options.recall_fallback or length >= RETRY_BELOW_CHARS:
        return main
    backup = _body(tree, options.trafilatura_args(recall=True))
    retried = _chars(backup)
    if retried >= RETRY_MIN_CHARS and retried > ACCEPT_RATIO * length:
        return backup  # the precise pass missed the article, or cut into it
    return main


def _body(tree: Any, args: dict[str, Any]) -> Any:
    """trafilatura's tree of the article's text elements, or None when it finds none."""
    document: Any = bare_extraction(tree, **args)
    return None if document is None else document.body


def _chars(body: Any) -> int:
    return len(" ".join(" ".join(body.itertext()).split())) if body is not None else 0


def _paragraphs(body: Any, options: ExtractionOptions) -> list[str]:
    """Paragraphs of trafilatura's body tree: one per text line of a paragraph or quote (but a
    line going on with the sentence before, `_sentences_across_breaks`), one per list or table
    (its items or rows on their own lines, split when long)."""
    paragraphs: list[str] = []
    for block in body:
        if options.drop_headings and block.tag == "head":
            continue
        lines = [line.strip() for line in _BLOCK_LINES.split(xmltotxt(block, False))]
        lines = [line for line in lines if line]
        if block.tag == "list":
            paragraphs.extend(_grouped([_LIST_MARKER.sub("", line) for line in lines]))
        elif block.tag == "table" and block.find(".//cell/p") is not None:
            # a page laid out in a table (an old CMS's `<td>` holding the whole story, its
            # paragraphs set apart by `<br><br>`): its cells' paragraphs are paragraphs, not
            # the words of one row; trafilatura makes each of its lines (`<br>`) a paragraph,
            # so one going on with the sentence before is joined to it
            paragraphs.extend(_sentences_across_breaks(_paragraphs(_layout_blocks(block), options)))
        elif block.tag == "table":
            rows = [_row(line) for line in lines if not _TABLE_RULE.match(line)]
            paragraphs.extend(_grouped([row for row in rows if row]))
        else:
            paragraphs.extend(_sentences_across_breaks(lines))
    return [p for p in paragraphs if any(c.isalnum() for c in p)]


def _layout_blocks(table: Any) -> list[Any]:
    """The blocks of a layout table's cells, in order: each cell's own text before and between
    its blocks as a paragraph, and its blocks (paragraphs, headings, lists, tables) as they
    are, without the text after them (read on its own)."""
    blocks: list[Any] = []

    def text_block(text: str | None) -> None:
        if text and text.strip():
            paragraph = Element("p")
            paragraph.text = text
            blocks.append(paragraph)

    for row in table.iter("row"):
        for cell in row.iterchildren("cell"):
            text_block(cell.text)
            for child in cell:
                block = copy(child)
                block.tail = None
                blocks.append(block)
                text_block(child.tail)
    return blocks


def _sentences_across_breaks(lines: list[str]) -> list[str]:
    """A paragraph's lines (trafilatura ends one at each `<br>`), a line each, except that a line
    going on with the sentence the line before leaves unfinished is joined to it with a space
    ("… journeys between<br>the town centre …": a break the page set inside a sentence, for its
    layout, is no paragraph break)."""
    joined: list[str] = []
    for line in lines:
        lines_of_one = joined and "\n" not in joined[-1] + line  # a list's or table's: not read
        if lines_of_one and continues_sentence(joined[-1], line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _row(line: str) -> str:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return " | ".join(cell for cell in cells if cell)


def _grouped(lines: list[str]) -> list[str]:
    """Consecutive lines as one paragraph, a new one whenever it would pass the word limit."""
    groups: list[list[str]] = []
    words = 0
    for line in lines:
        n = len(line.split())
        if not groups or words + n > _GROUP_MAX_WORDS:
            groups.append([])
            words = 0
        groups[-1].append(line)
        words += n
    return ["\n".join(group) for group in groups]
