"""Split a cleaned article into paragraphs, the unit a citation points at."""

from __future__ import annotations

import hashlib
import re

from qa.models import Article, Paragraph

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# what follows the article's id and ":" in a paragraph's id: the digest, then "-1", "-2" … for
# a paragraph repeated in its article
ID_DIGEST_PATTERN = r"[0-9a-f]{12}(?:-[1-9][0-9]*)?"


def paragraph_id(doc_id: str, text: str) -> str:
    """Stable id: depends only on the article and the paragraph's text, so rebuilds keep it."""
    digest = hashlib.sha256(f"{doc_id}\x00{text}".encode()).hexdigest()[:12]
    return f"{doc_id}:{digest}"


def article_id_of(paragraph_id: str) -> str:
    """The id of the article a paragraph id names: what stands before its last ":" (an
    article's id holds none)."""
    return paragraph_id.rpartition(":")[0]


def find_paragraph(article: Article, paragraph_id: str) -> Paragraph | None:
    """The paragraph of `article` (as it is now) with this id, or None when none has it: a
    paragraph whose text was changed has another id, so an id given for earlier words finds
    nothing rather than the words that took their place."""
    return next((p for p in split_paragraphs(article) if p.paragraph_id == paragraph_id), None)


def split_paragraphs(article: Article) -> list[Paragraph]:
    """Paragraphs with offsets such that `article.text[p.start:p.end] == p.text`.

    A paragraph repeated verbatim in one article gets an occurrence suffix so ids stay unique.
    """
    paragraphs: list[Paragraph] = []
    seen: dict[str, int] = {}
    position = 0
    for block in _PARAGRAPH_BREAK.split(article.text):
        start = article.text.index(block, position)
        position = start + len(block)
        stripped = block.strip()
        if not stripped:
            continue
        start += block.index(stripped)
        pid = paragraph_id(article.doc_id, stripped)
        occurrence = seen.get(pid, 0)
        seen[pid] = occurrence + 1
        if occurrence:
            pid = f"{pid}-{occurrence}"
        paragraphs.append(
            Paragraph(
                paragraph_id=pid,
                doc_id=article.doc_id,
                index=len(paragraphs),
                start=start,
                end=start + len(stripped),
                text=stripped,
                title=article.display_title,
                source=article.source,
                date=article.date,
                author=article.author,
                url=article.url,
            )
        )
    return paragraphs
