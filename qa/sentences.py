"""Sentence spans inside a paragraph (pysbd: rule-based, handles "U.S." and "Oct. 10")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pysbd


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def sentence_spans(text: str) -> list[Span]:
    """Sentences of `text` with offsets into it, surrounding white space trimmed."""
    spans: list[Span] = []
    for piece in _segmenter().segment(text):
        raw = piece.sent
        stripped = raw.strip()
        if not stripped:
            continue
        start = piece.start + raw.index(stripped)
        spans.append(Span(start, start + len(stripped), stripped))
    return _merge_closing_quotes(text, spans)


def _merge_closing_quotes(text: str, spans: list[Span]) -> list[Span]:
    """pysbd sometimes leaves a closing quote or bracket as its own 'sentence'; glue it back."""
    merged: list[Span] = []
    for span in spans:
        if merged and (len(span.text) <= 2 or not any(c.isalnum() for c in span.text)):
            prev = merged.pop()
            merged.append(Span(prev.start, span.end, text[prev.start : span.end]))
        else:
            merged.append(span)
    return merged
