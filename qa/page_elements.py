"""What the page modules read of an element and of a paragraph's text: the words of an
element's class, id and itemprop (`element_words`), and how many words of prose a paragraph
holds (`prose_words`, `MIN_PROSE_WORDS`); qa/extraction.py, qa/page_metadata.py and
qa/page_repairs.py share them."""

from __future__ import annotations

import re
from typing import Any

MIN_PROSE_WORDS = 10  # an article has a paragraph this long; menus and link lists do not
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
TEXTLESS = ("script", "style", "noscript", "template", "svg", "img")


def element_words(element: Any) -> frozenset[str]:
    """The words of an element's class, id and itemprop ("article-byline__date" → article,
    byline, date)."""
    named = " ".join(element.get(a) or "" for a in ("class", "id", "itemprop"))
    return frozenset(re.findall(r"[a-z]+", named.lower()))


def prose_words(paragraph: str) -> int:
    """Words; in scripts written without spaces (Chinese, Japanese, Korean), about three
    characters make a word."""
    return max(len(paragraph.split()), len(_CJK.findall(paragraph)) // 3)
