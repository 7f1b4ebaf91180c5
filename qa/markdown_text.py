"""Markdown articles (pasted from a notes app, an export, a language-model tool; `.md` files)
read as the plain text the cleaner reads.

The text is parsed with markdown-it-py (CommonMark, with tables and strikethrough; HTML is
text, as in any other article) and its words taken from the token stream, not by pattern:

* the first level-1 heading (`# Title`, or a line underlined with `===`) is the title;
  other headings, list items, block quotes, table rows and code blocks become paragraphs;
* emphasis (`**bold**`, `_italics_`, `~~struck~~`) and inline code keep their words, a link
  its text (the address is dropped; a bare address, or one in `<…>`, is text and stays), an
  image nothing (its alt text is no sentence of the article);
* a line break inside a paragraph is a space, as Markdown renders it; a hard break (two
  spaces or a backslash at the end of a line) starts a line, which the cleaner reads as one;
* a short paragraph of parts set apart by `|`, `·` or `•` (`*By Tom Carver* | **Published:**
  2024-09-12`) is a line each, so the cleaner reads a byline, a date line or a source line
  among them as it reads them in plain text.

`read_markdown` converts only text that is clearly Markdown (`is_markdown`): an ATX heading
(`# …`) at the start (after at most a few one-line header paragraphs, such as the `Title:`,
byline, `Source:` and `Published:` lines `qa/articles.py: compose_raw` writes), or several
Markdown constructs of more than one kind. Plain news text hardly holds either: of the 217
articles of the NYT dev and wiki-val corpora and the seeds, and 7,098 SQuAD-format contexts
(Wikipedia, Amazon reviews, Reddit comments), it took none for Markdown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

# a separator between the parts of a header line: "By Tom Carver | Published: 2024-09-12"
_SEPARATOR = re.compile(r"\s+[|·•]\s+")
_SHORT_PARAGRAPH_WORDS = 20
# how many header lines may come before the opening `# heading` (compose_raw's header: title,
# byline, source, date; or a kicker), each a paragraph of one line: a labelled title of any
# length, or a short line that does not end like a sentence (not a body paragraph)
_HEADER_PARAGRAPHS = 4
_HEADER_WORDS = 12
_TITLE_LABEL = re.compile(r"(?:title|headline)\s*:", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]*$")
# Markdown constructs, of at least two kinds, that make a text Markdown without a heading at
# its start
_SIGNALS_NEEDED = 3
_EMPHASIS = {"em_open", "strong_open", "s_open"}


@dataclass(frozen=True)
class MarkdownText:
    """A Markdown article as plain text: its first level-1 heading (`title`, None without
    one) and the rest, paragraphs separated by a blank line, lines of one kept apart."""

    title: str | None
    text: str


def _parse(text: str) -> list[Token]:
    return _PARSER.parse(text.replace("\x00", ""))


def markdown_signals(tokens: Sequence[Token]) -> Counter[str]:
    """How many of each Markdown construct `tokens` hold: headings (ATX `#`, or `===`
    underlined; a `---` underline is left out, plain text draws such rules), emphasis, links
    (not a bare `<address>`), images, block quotes and tables. Lists and code blocks are
    left out too: plain text has dash bullets and indented lines."""
    found: Counter[str] = Counter()
    for token in tokens:
        if token.type == "heading_open" and token.markup != "-":
            found["heading"] += 1
        elif token.type in ("blockquote_open", "table_open"):
            found[token.type.removesuffix("_open")] += 1
        elif token.type == "inline":
            for child in token.children or []:
                if child.type in _EMPHASIS:
                    found["emphasis"] += 1
                elif child.type == "link_open" and child.markup != "autolink":
                    found["link"] += 1
                elif child.type == "image":
                    found["image"] += 1
    return found


def opens_with_heading(tokens: Sequence[Token]) -> bool:
    """An ATX heading (`# …`) is the first block, or follows only a few header lines (title,
    byline, source and date lines: `_header_line`)."""
    before = 0
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            return token.markup.startswith("#")
        if token.type != "paragraph_open" or token.level != 0:
            if token.nesting == 1 and token.level == 0:
                return False  # a list, a quote, a table, code: the body has begun
            continue
        if before == _HEADER_PARAGRAPHS or not _header_line(tokens[i + 1], first=before == 0):
            return False
        before += 1
    return False


def _header_line(inline: Token, *, first: bool) -> bool:
    """A paragraph that can be a line of a header above the headline: one line, a labelled
    title ("Title: …", compose_raw's) first, or short and not ending like a sentence."""
    if any(c.type in ("softbreak", "hardbreak") for c in inline.children or []):
        return False
    text = inline.content.strip()
    if first and _TITLE_LABEL.match(text):
        return True
    return len(text.split()) <= _HEADER_WORDS and not _SENTENCE_END.search(text)


def is_markdown(tokens: Sequence[Token]) -> bool:
    """Clearly Markdown: a `# heading` at the start, or at least three constructs of two
    kinds or more (`markdown_signals`)."""
    if opens_with_heading(tokens):
        return True
    found = markdown_signals(tokens)
    return sum(found.values()) >= _SIGNALS_NEEDED and len(found) >= 2


def looks_like_markdown(text: str) -> bool:
    """`is_markdown` of `text` parsed."""
    return is_markdown(_parse(text))


def read_markdown(text: str, *, declared: bool = False) -> MarkdownText | None:
    """`text` read as Markdown, when it is (`is_markdown`) or is `declared` so (a `.md`
    file); None for other text."""
    tokens = _parse(text)
    if not declared and not is_markdown(tokens):
        return None
    return to_plain(tokens)


def to_plain(tokens: Sequence[Token]) -> MarkdownText:
    """The title and plain text of parsed Markdown (see the module's description)."""
    title: str | None = None
    blocks: list[list[str]] = []
    row: list[str] | None = None
    heading = ""
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            cells = [cell for cell in row if cell]
            if cells:
                blocks.append([" | ".join(cells)])
            row = None
        elif token.type in ("fence", "code_block"):
            blocks.extend(_code_blocks(token.content))
        elif token.type == "inline":
            if row is not None:
                row.append(" ".join(_inline_lines(token)))
            elif heading:
                text = " ".join(_inline_lines(token))
                if heading == "h1" and title is None and text:
                    title = text
                elif text:
                    blocks.append([text])
            else:
                lines = _inline_lines(token)
                if len(" ".join(lines).split()) <= _SHORT_PARAGRAPH_WORDS:
                    lines = _inline_lines(token, parts=True)
                if lines:
                    blocks.append(lines)
        elif token.type == "heading_close":
            heading = ""
    return MarkdownText(title=title, text="\n\n".join("\n".join(b) for b in blocks))


def _inline_lines(token: Token, *, parts: bool = False) -> list[str]:
    """The words of an inline token (a paragraph's, a heading's, a cell's), a line for each
    hard break; `parts`: also a line for each part a `|`, `·` or `•` outside emphasis and
    links sets apart."""
    lines = [""]
    depth = 0
    for child in token.children or []:
        if child.nesting:  # emphasis, a link: their words are the text tokens inside
            depth += child.nesting
        elif child.type == "softbreak":
            lines[-1] += " "
        elif child.type == "hardbreak":
            lines.append("")
        elif child.type == "image":
            continue  # the alt text describes a picture: no sentence of the article
        elif parts and depth == 0 and child.type == "text":
            first, *rest = _SEPARATOR.split(child.content)
            lines[-1] += first
            lines.extend(rest)
        else:  # text, code, an escaped character or an entity
            lines[-1] += child.content
    return [" ".join(line.split()) for line in lines if line.split()]


def _code_blocks(content: str) -> list[list[str]]:
    """A code block's lines, as blocks split at its blank lines."""
    return [
        [line.strip() for line in chunk.splitlines() if line.strip()]
        for chunk in re.split(r"\n\s*\n", content)
        if chunk.strip()
    ]
