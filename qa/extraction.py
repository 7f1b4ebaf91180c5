"""From a saved web page to an article: decode it (qa/decoding.py), let trafilatura find the
article and its metadata, then drop the site furniture that is left.

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
  unwrapped or removed without their text first (qa/page_repairs.py `keep_running_text`);
- **a lead written as a bare block** in the body (`<div class="article__summary">` holding its
  sentence) is a paragraph: trafilatura reads a `div`'s own text only when the body has too
  few paragraphs (qa/page_repairs.py `restore_leads`);
- **no card of links shown on hover inside a sentence** (`<span class="rollover-people-block">`,
  a tooltip or popover of links to other stories after a name): it is removed, never a
  paragraph whole (qa/page_repairs.py `remove_hover_cards`).

Where trafilatura's metadata needs help (the canonical address, a title without the site's
name, authors without the site's, a byline's date and author) qa/page_metadata.py reads it.

Scripts, styles and event-handler attributes never reach the text: the body is read from
trafilatura's tree of text elements (p, head, list, quote, table), which holds none of them.
"""

from __future__ import annotations

import logging
import re
from copy import copy
from dataclasses import dataclass, field
from typing import Any

from lxml.etree import Element
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from qa.authors import author_name
from qa.cleaning import clean_paragraphs
from qa.cleaning_paragraphs import continues_sentence
from qa.decoding import decode_html
from qa.errors import BadInput
from qa.page_elements import MIN_PROSE_WORDS, prose_words
from qa.page_metadata import (
    byline_author,
    byline_date,
    page_url,
    people_in_byline,
    without_site_name,
)
from qa.page_repairs import (
    first_body,
    keep_running_text,
    remove_hover_cards,
    restore_leads,
    whole_body,
)
from qa.text_input import binary_problem, c1_controls_as_cp1252

# trafilatura logs every page it gives up on as a warning; the caller reports those itself
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_BLOCK_LINES = re.compile(r"\n+")
_TABLE_RULE = re.compile(r"^\|?(?:\s*:?-{3,}:?\s*\|)+\s*$")
_LIST_MARKER = re.compile(r"^- ")  # what trafilatura puts before a list item in plain text
_GROUP_MAX_WORDS = 120
# trafilatura's own limits for retrying a short result in recall mode (ESCALATION_MAX_LENGTH,
# ESCALATION_ACCEPT_RATIO in trafilatura/core.py, calibrated on its benchmark suite, and
# MIN_EXTRACTED_SIZE in its settings.cfg: a shorter retry result is noise)
RETRY_BELOW_CHARS = 3000
ACCEPT_RATIO = 1.5
RETRY_MIN_CHARS = 250


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
            remove_hover_cards(tree)
        if options.favor_precision:
            keep_running_text(tree)
        first = first_body(tree) if options.join_body_parts or options.keep_leads else None
        if options.join_body_parts and first is not None:
            first = whole_body(first)
        if options.keep_leads and first is not None:
            restore_leads(first)
        body = _extract_body(tree, options)
        blocks = _paragraphs(body, options) if body is not None else []
    except BadInput:
        raise
    except Exception as exc:  # a parser failing on one odd page must not stop a whole build
        raise BadInput(f"the page could not be read as HTML ({type(exc).__name__})") from exc
    address = page_url(tree, meta.url)
    title = meta.title.strip() if meta.title and meta.title.strip() else None
    if title:
        title = without_site_name(title, meta.sitename, address)
    dateline = byline = None
    if options.line_rules:
        cleaned = clean_paragraphs(blocks, title=title)
        blocks, dateline, byline = cleaned.paragraphs, cleaned.date, cleaned.author
    if not any(prose_words(b) >= MIN_PROSE_WORDS for b in blocks):
        raise BadInput(
            "no article text was found in the page"
            + (" (only short lines, such as menus and links)" if blocks else "")
        )
    return ExtractedPage(
        title=title,
        # metadata first; a site's name kept as the author is stored as any author is
        author=author_name(people_in_byline(meta.author, tree, meta.sitename, address))
        or byline
        or byline_author(tree),
        date=meta.date or dateline or byline_date(tree),
        sitename=meta.sitename or None,
        url=address,
        paragraphs=blocks,
    )


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
