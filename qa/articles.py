"""From a raw article file's text to a cleaned `Article`, and back for articles sent by API."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from qa.cleaning import clean_article
from qa.dates import parse_date
from qa.errors import BadInput
from qa.models import Article

__all__ = ["article_from_request", "compose_raw", "content_hash", "make_article", "new_doc_id",
           "parse_date", "title_matches"]  # fmt: skip

_WORD = re.compile(r"\w+")


def content_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def make_article(doc_id: str, raw: str) -> Article:
    cleaned = clean_article(raw)
    return Article(
        doc_id=doc_id,
        title=cleaned.title,
        source=cleaned.source,
        date=cleaned.date,
        text=cleaned.text,
        content_hash=content_hash(raw),
    )


def compose_raw(text: str, *, title: str | None, source: str | None, date: dt.date | None) -> str:
    """The file for an article sent by API, in the shape the cleaner reads back: a headline,
    a `Source:` line and a `Published:` date line, then the body."""
    header = [
        title.strip() if title and title.strip() else None,
        f"Source: {source.strip()}" if source and source.strip() else None,
        f"Published: {date.isoformat()}" if date else None,
    ]
    return "\n\n".join([h for h in header if h] + [text.strip()]) + "\n"


def article_from_request(
    doc_id: str, text: str, *, title: str | None, source: str | None, date: dt.date | None
) -> tuple[Article, str]:
    """The cleaned article and the raw file text; `BadInput` when cleaning leaves no text."""
    raw = compose_raw(text, title=title, source=source, date=date)
    article = make_article(doc_id, raw)
    if not article.text.strip():
        raise BadInput(
            "the article has no usable text: after removing boilerplate (share buttons, "
            "captions, credits, bylines, date and source lines) nothing is left"
        )
    return article, raw


def new_doc_id(title: str | None, text: str) -> str:
    """A readable, unique-enough id: the title's (or opening words') slug and a content hash."""
    words = re.findall(r"[a-z0-9]+", (title or text).lower())[:8]
    slug = "-".join(words)[:60].strip("-") or "article"
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def title_matches(title: str, query: str) -> bool:
    """Every word of `query` begins a word of `title`, ignoring case: a filter as you type
    ("korea summ" matches "South Korea summons …")."""
    words = set(_WORD.findall(title.casefold()))
    parts = _WORD.findall(query.casefold())
    return all(any(word.startswith(part) for word in words) for part in parts)
