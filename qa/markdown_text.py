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
  so does every line break of a paragraph whose lines are each a label and its value
  ("Author: Eva Lund", "Date: March 3, 2024", a notes app's properties);
* a short paragraph of parts set apart by `|`, `·` or `•` (`*By Tom Carver* | **Published:**
  2024-09-12`) is a line each, so the cleaner reads a byline, a date line or a source line
  among them as it reads them in plain text;
* a list item keeps a marker (`- ` for a bullet, `1. ` or `1) ` as numbered) and a table row
  its pipes (`| Item | 2024 |`), so the cleaner reads them as it reads a list or a table in
  plain text: content, never a heading.

A notes app's syntax that CommonMark lacks is read as Obsidian shows it, outside code: a
wikilink is the words it shows, an embed nothing, a highlight (`==words==`) its words; a
comment (`%%…%%`) and a line of tags only (`#news #harbour`) are nothing, and a callout's
marker (`> [!note] Title`) too, its title a paragraph of the quote.

Front matter (`split_front_matter`, `read_front_matter`), the `---` block of `key: value`
lines that static-site generators and notes apps put first, is metadata, not text: its title,
author and date are the article's, read by the cleaner.

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

from qa.fields import ALIASES

_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

# a separator between the parts of a header line: "By Tom Carver | Published: 2024-09-12"
_SEPARATOR = re.compile(r"\s+[|·•]\s+")
_SHORT_PARAGRAPH_WORDS = 20
_LABELLED_LINE = re.compile(r"^[^\W\d_][\w -]{0,24}:\s+\S")
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
# front matter: a `---` line first, `key: value` lines (or a list's `- item` lines, comments,
# blank lines), a closing `---` or `...` line; at most this many lines, so a text that merely
# opens with a rule is not read to its end. Windows line ends too: the API's text is split as
# it was sent
_FRONT_MATTER_LINES = 60
_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n((?:[ \t]*(?:#.*|[\w-]+[ \t]*:(?:[ \t].*)?|-(?:[ \t].*)?)?\r?\n)"
    rf"{{1,{_FRONT_MATTER_LINES}}}?)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)"
)
_KEY_VALUE = re.compile(r"^([\w-]+)[ \t]*:(?:[ \t]+(.*))?$")
# the keys that name the article's title, author, date, source and address: each field's own
# name and the other names archive records are read under (qa/fields.py), any case, and Hugo's
# `publishDate`
_FRONT_MATTER_FIELDS = ("title", "author", "date", "source", "url")
_FRONT_MATTER_KEYS = {
    name.lower(): field
    for field in _FRONT_MATTER_FIELDS
    for name in (field, *ALIASES[field], *(("publishDate",) if field == "date" else ()))
}
# an Obsidian wikilink, `[[Page]]`, `[[Page#Heading]]`, `[[Page|shown text]]`, or an embed,
# `![[picture.png]]`: the words a reader sees are the shown text, else the page's name (else
# the heading's, for a link into the same note); an embed shows a picture or another note,
# no sentence of this one
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n|#^]*)(?:[#^]([^\[\]\n|]*))?(?:\|([^\[\]\n]*))?\]\]")
# Obsidian's highlight, `==words==` (what its web clipper writes for a page's <mark>): the
# words. Not "a == b", nor "x==1 and y==2" (an `==` inside a word)
_HIGHLIGHT = re.compile(r"(?<![=\w\\])==(?=[^\s=])([^\n]*?[^\s=\\])==(?![=\w])")
# Obsidian's comment, `%%…%%` on a line or over several: a note to oneself, no text of the
# article (an unclosed `%%` is left, so "5%%" in a sentence stays)
_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
# a line of Obsidian tags only ("#news #harbour/ferry"): a tag holds a letter ("#2024" is
# none), and "# Title" (a space after the mark) is a heading
_TAG = r"#[\w/-]*[^\W\d_][\w/-]*"
_TAG_LINE = re.compile(rf"^[ \t]*{_TAG}(?:[ \t]+{_TAG})*[ \t]*(?:\n|\Z)", re.MULTILINE)
# an Obsidian callout's first line, `> [!note] Title` (`[!tip]-` folded): the marker is no
# text, its title a paragraph of the quote
_CALLOUT = re.compile(r"^((?:[ \t]*>)+)[ \t]*\[![\w-]+\][+-]?[ \t]*(.*)$", re.MULTILINE)
# code, whose text is as written (a wikilink or `==` in it is no link or highlight): a fenced
# block to its closing fence (or the end), or a code span
_CODE = re.compile(
    r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,}).*?(?:^[ \t]{0,3}(?P=fence)[`~]*[ \t]*$|\Z)"
    r"|(?<!`)(?P<ticks>`+)(?!`)[^\n]*?(?<!`)(?P=ticks)(?!`)",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class MarkdownText:
    """A Markdown article as plain text: its first level-1 heading (`title`, None without
    one) and the rest, paragraphs separated by a blank line, lines of one kept apart."""

    title: str | None
    text: str


@dataclass(frozen=True)
class FrontMatter:
    """What front matter says of its article, as written (the cleaner reads the date, as it
    reads a date line); an author list is "; "-joined, as an archive record's is."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None


def split_front_matter(text: str) -> tuple[str, str]:
    """`text`'s front matter block (its `---` lines included; "" without one) and the rest.

    Only a block whose every line is YAML of the simple kind (`key: value`, a list's `- item`,
    a comment) counts, so plain text that opens with a `---` rule keeps its lines."""
    found = _FRONT_MATTER.match(text)
    if found is None or not any(_KEY_VALUE.match(line) for line in found[1].splitlines()):
        return "", text
    return found[0], text[found.end() :]


def read_front_matter(block: str) -> FrontMatter:
    """The title, author and date of a front matter block (`split_front_matter`); other keys
    are ignored. PyYAML is in the environment only as another package's dependency, not one of
    this project's, so the simple YAML that front matter holds is read here: a plain or quoted
    scalar, a `[a, b]` list, or a list of `- item` lines under its key."""
    values: dict[str, list[str]] = {}
    key: str | None = None
    for line in block.splitlines()[1:-1]:
        item = re.match(r"^[ \t]*-[ \t]+(.*)$", line)
        if item and key is not None and line[:1] in (" ", "\t", "-"):
            values.setdefault(key, []).append(_scalar(item[1]))
            continue
        pair = _KEY_VALUE.match(line)
        key = _FRONT_MATTER_KEYS.get(pair[1].lower()) if pair and not line[:1].isspace() else None
        if pair is None or key is None or key in values or not pair[2]:
            continue  # an unknown key, a nested one, a repeat, or a list on the lines below
        raw = pair[2].strip()
        if raw.startswith("[") and raw.endswith("]"):
            values[key] = [_scalar(part) for part in raw[1:-1].split(",")]
        else:
            values[key] = [_scalar(raw)]
    found = {k: [v for v in vs if v] for k, vs in values.items()}
    return FrontMatter(
        title=" ".join(found["title"]) if found.get("title") else None,
        author="; ".join(found["author"]) if found.get("author") else None,
        date=found["date"][0] if found.get("date") else None,
        source=found["source"][0] if found.get("source") else None,
        url=found["url"][0] if found.get("url") else None,
    )


def _scalar(value: str) -> str:
    """A YAML scalar's text: a quoted one without its quotes, a plain one without a trailing
    `# comment`; spaces made single."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    else:
        value = re.sub(r"\s+#.*$", "", value)
    return " ".join(without_wikilinks(value).split())


def without_wikilinks(text: str) -> str:
    """`text` with each wikilink (`_WIKILINK`) as the words it shows: `[[Eva Lund]]` is "Eva
    Lund", `[[Storm 2024|the storm]]` "the storm", an embed nothing. Notes apps write them (an
    Obsidian web clip's author is `"[[Eva Lund]]"`); CommonMark, so markdown-it, has no such
    link and would keep the brackets as text."""
    return _WIKILINK.sub(_shown, text) if "[[" in text else text


def _shown(link: re.Match[str]) -> str:
    embed, page, heading, shown = link.groups()
    if embed:
        return ""
    return " ".join((shown or page or heading or "").split())


def _parse(text: str) -> list[Token]:
    return _PARSER.parse(_notes_syntax_read(text.replace("\x00", "")))


def _notes_syntax_read(text: str) -> str:
    """`text` with a notes app's syntax that CommonMark lacks read as Obsidian shows it,
    outside code (a fenced block, a code span), whose text stays as written: wikilinks
    (`without_wikilinks`) and highlights (`==words==`) as the words they show; comments
    (`%%…%%`) and lines of tags only (`#news #harbour`) as nothing; a callout's marker
    (`> [!note] Title`) as nothing, its title a paragraph of the quote."""
    if not any(mark in text for mark in ("[[", "==", "%%", "#", "[!")):
        return text

    def read(prose: str) -> str:
        prose = _TAG_LINE.sub("", _COMMENT.sub("", prose))
        prose = _CALLOUT.sub(_callout_title, prose)
        return _HIGHLIGHT.sub(r"\1", without_wikilinks(prose))

    parts: list[str] = []
    start = 0
    for code in _CODE.finditer(text):
        parts += [read(text[start : code.start()]), code[0]]
        start = code.end()
    parts.append(read(text[start:]))
    return "".join(parts)


def _callout_title(callout: re.Match[str]) -> str:
    """A callout's first line without its marker: its title, then an empty line of the quote,
    so the words under it are a paragraph of their own; no line at all without a title."""
    quote, title = callout.groups()
    return f"{quote} {title}\n{quote}" if title.strip() else quote


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
    marker = ""  # a list item's, until its first line takes it
    items = 0  # list items open around the token
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag
        elif token.type == "list_item_open":
            marker = f"{token.info}{token.markup} " if token.info else "- "
            items += 1
        elif token.type == "list_item_close":
            items -= 1
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if any(row):
                blocks.append([f"| {' | '.join(row)} |"])
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
                labelled = _labelled_lines(token)
                lines = _inline_lines(token, lines=items > 0 or labelled)
                if len(" ".join(lines).split()) <= _SHORT_PARAGRAPH_WORDS and not items:
                    lines = _inline_lines(token, parts=True, lines=labelled)
                if lines and marker:
                    lines[0] = marker + lines[0]
                    marker = ""
                if lines:
                    blocks.append(lines)
        elif token.type == "heading_close":
            heading = ""
    return MarkdownText(title=title, text="\n\n".join("\n".join(b) for b in blocks))


def _labelled_lines(token: Token) -> bool:
    """A paragraph of two or more lines, each a label and its value ("Author: Eva Lund",
    "Date: March 3, 2024", "Source: Coastal Courier", as a notes app exports a page's
    properties): a line each, as the cleaner reads a byline, a date line or a source line,
    not the one line Markdown renders them as."""
    found = _inline_lines(token, lines=True)
    return len(found) >= 2 and all(_LABELLED_LINE.match(line) for line in found)


def _inline_lines(token: Token, *, parts: bool = False, lines: bool = False) -> list[str]:
    """The words of an inline token (a paragraph's, a heading's, a cell's), a line for each
    hard break; `parts`: also a line for each part a `|`, `·` or `•` outside emphasis and
    links sets apart; `lines`: a line for each line break (a list item's: a line that Markdown
    takes lazily into the last item, "- Free for pupils\nBoard chair Mika Laine said…", is
    then read by the cleaner as a line of plain text is, a paragraph when capitalised)."""
    found = [""]
    depth = 0
    for child in token.children or []:
        if child.nesting:  # emphasis, a link: their words are the text tokens inside
            depth += child.nesting
        elif child.type == "softbreak" and not lines:
            found[-1] += " "
        elif child.type in ("softbreak", "hardbreak"):
            found.append("")
        elif child.type == "image":
            continue  # the alt text describes a picture: no sentence of the article
        elif parts and depth == 0 and child.type == "text":
            first, *rest = _SEPARATOR.split(child.content)
            found[-1] += first
            found.extend(rest)
        else:  # text, code, an escaped character or an entity
            found[-1] += child.content
    return [" ".join(line.split()) for line in found if line.split()]


def _code_blocks(content: str) -> list[list[str]]:
    """A code block's lines, as blocks split at its blank lines."""
    return [
        [line.strip() for line in chunk.splitlines() if line.strip()]
        for chunk in re.split(r"\n\s*\n", content)
        if chunk.strip()
    ]
