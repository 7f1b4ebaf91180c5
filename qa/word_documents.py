"""One article kept as a Word document (a `.docx` that is not a Nexis Uni export): its title,
author and text as an archive record's fields (qa/archives.py), from the document's paragraphs
in order and its core properties. Opening the file is `index/docx_exports.py`.

- **Title**: the document's Title property when it is set; else its headline, the first
  paragraph styled Title, or else Heading 1–9, among the paragraphs before the first one of
  text; else the first paragraph when the text cleaner reads it as a headline, as it reads a
  `.txt` file's first line. The paragraph the title came from, and any repeating it, is not
  text.
- **Author**: a byline in the text ("By Jane Doe") wins, as the article's own words; the
  Author property only when the text has none, and never a program's or a shared account's
  name (python-docx writes "python-docx", Word on a fresh machine "Microsoft Office User"):
  that property names whoever made the file, often not who wrote the article.
- **Date**: only a date line in the text ("Published: 3 March 2024", read by the cleaner). The
  Created and Modified properties are when the file was made and saved (a copy saved today of
  an article of 2019, or python-docx's template, dated 2013-12-23): read as the article's date
  they would put it in the wrong range, so an article without a date line is indexed undated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.cleaning import clean_article
from qa.errors import BadInput

__all__ = ["WordBlock", "word_document_fields"]

# the Author property as programs and shared machines leave it: the file's, not a writer's
_NO_ONE = frozenset(
    {"python-docx", "microsoft office user", "windows user", "administrator", "admin", "user",
     "owner", "author", "unknown", "apache poi", "docx4j", "libreoffice"}
)  # fmt: skip
_NO_TITLE = (
    "no title: give the document a Title property (File > Info > Properties), or style its "
    "headline as Title or Heading 1"
)


@dataclass(frozen=True)
class WordBlock:
    """A paragraph of the document, or a table's row, with its style's name."""

    text: str
    style: str = ""

    @property
    def is_heading(self) -> bool:
        return self.style == "Title" or self.style.startswith("Heading")


def word_document_fields(
    blocks: Sequence[WordBlock], *, title: str | None, author: str | None
) -> dict[str, str]:
    """The record of a Word document's article: `title`, `text` (its paragraphs, a blank line
    between them) and `author` when there is one; `BadInput` when it has no text or no
    title. `title` and `author` are its core properties."""
    blocks = [WordBlock(b.text.strip(), b.style) for b in blocks if b.text.strip()]
    blocks = [b for b in blocks if b.style != "Caption"]  # a picture's, not the article's
    if not blocks:
        raise BadInput("the document holds no text")
    headline = " ".join((title or "").split()) or _styled_headline(blocks)
    paragraphs = [b.text for b in blocks]
    if headline is None:
        headline = clean_article("\n\n".join(paragraphs)).title
        if headline is None:
            raise BadInput(_NO_TITLE)
    key = headline.casefold()
    paragraphs = [p for p in paragraphs if " ".join(p.split()).casefold() != key]
    if not paragraphs:
        raise BadInput("the document holds a title and no text under it")
    fields = {"title": headline, "text": "\n\n".join(paragraphs)}
    writer = " ".join((author or "").split())
    if writer and writer.casefold() not in _NO_ONE and _byline(paragraphs) is None:
        fields["author"] = writer
    return fields


def _styled_headline(blocks: list[WordBlock]) -> str | None:
    """The first paragraph styled Title, else Heading, before the first paragraph of text."""
    top: list[WordBlock] = []
    for block in blocks:
        if not block.is_heading:
            break
        top.append(block)
    chosen = next((b for b in top if b.style == "Title"), top[0] if top else None)
    return " ".join(chosen.text.split()) if chosen is not None else None


def _byline(paragraphs: list[str]) -> str | None:
    """The byline the text cleaner reads in the text, if any."""
    return clean_article("\n\n".join(paragraphs)).author
