"""Split a cleaned article into paragraphs, the unit a citation points at."""

from __future__ import annotations

import hashlib
import re

from qa.models import Article, Paragraph

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraph_id(doc_id: str, text: str) -> str:
    """Stable id: depends only on the article and the paragraph's text, so rebuilds keep it."""
    digest = hashlib.sha256(f"{doc_id}\x00{text}".encode()).hexdigest()[:12]
    return f"{doc_id}:{digest}"


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
