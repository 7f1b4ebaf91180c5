"""From a raw article file's text to a cleaned `Article`."""

from __future__ import annotations

import hashlib

from qa.cleaning import clean_article
from qa.models import Article


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
