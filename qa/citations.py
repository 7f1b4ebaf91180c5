"""Citation checking: does the cited paragraph support the sentence that cites it?

Support is measured, not assumed: lexical (the claim's content words found in one sentence
window of the paragraph) and semantic (cosine between the claim and that window). The window
that supports the claim best is returned as the supporting span.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from qa.interfaces import Embedder
from qa.lexical import content_terms
from qa.models import Paragraph
from qa.sentences import sentence_spans
from qa.settings import AnswerSettings

MARKER = re.compile(r"\s*\[(\d+)\]")

LEXICAL_WEIGHT = AnswerSettings().support_lexical_weight  # the setting's default


@dataclass(frozen=True)
class Claim:
    text: str  # without markers
    markers: list[int]


@dataclass(frozen=True)
class Support:
    score: float
    lexical: float
    semantic: float
    span_start: int
    span_end: int


def split_claims(answer: str) -> list[Claim]:
    """Answer text → claims, each with the markers that follow it ("... said. [1][2]")."""
    claims: list[Claim] = []
    position = 0
    for match in re.finditer(r"((?:\s*\[\d+\])+)", answer):
        # a full stop after a marker ("... Monday [1]. Next ...") belongs to the claim before it
        text = MARKER.sub("", answer[position : match.start()]).strip().lstrip(".,;:!? ")
        markers = [int(m) for m in re.findall(r"\[(\d+)\]", match.group(1))]
        if text:
            claims.append(Claim(text, markers))
        elif claims:  # markers after markers belong to the previous claim
            claims[-1].markers.extend(markers)
        position = match.end()
    tail = MARKER.sub("", answer[position:]).strip().lstrip(".,;:!? ")
    if tail:
        claims.append(Claim(tail, []))
    return claims


def measure_support(
    claim: str, paragraph: str, *, embedder: Embedder, lexical_weight: float = LEXICAL_WEIGHT
) -> Support:
    """Best support `paragraph` gives `claim`, over windows of one or two adjacent sentences."""
    spans = sentence_spans(paragraph) or []
    windows = [(s.start, s.end) for s in spans]
    windows += [(a.start, b.end) for a, b in zip(spans, spans[1:], strict=False)]
    if not windows:
        return Support(0.0, 0.0, 0.0, 0, 0)
    claim_terms = set(content_terms(claim))
    texts = [paragraph[a:b] for a, b in windows]
    vectors = embedder.embed([claim, *texts])
    cosines = vectors[1:] @ vectors[0]
    best: Support | None = None
    for (a, b), text, cos in zip(windows, texts, cosines, strict=True):
        found = claim_terms & set(content_terms(text))
        lexical = len(found) / len(claim_terms) if claim_terms else 0.0
        semantic = float(np.clip(cos, 0.0, 1.0))
        score = lexical_weight * lexical + (1 - lexical_weight) * semantic
        # prefer the shorter window when support is equal: it is the tighter span
        if best is None or score > best.score + 1e-9:
            best = Support(round(score, 4), round(lexical, 4), round(semantic, 4), a, b)
    assert best is not None
    return best


def is_quote(claim: str, paragraph: str) -> bool:
    """The claim's words stand word for word in the paragraph (each part, where "…" cut it)."""
    text = " ".join(paragraph.split())
    parts = [" ".join(p.split()).strip(" .") for p in claim.split("…")]
    return any(parts) and all(p in text for p in parts if p)


@dataclass
class CheckedCitation:
    marker: int
    paragraph: Paragraph
    support: Support
    quoted: bool = True  # every claim citing it stands word for word in the paragraph


@dataclass(frozen=True)
class CheckedAnswer:
    """An answer whose every remaining claim is supported by every citation it carries."""

    text: str
    citations: list[CheckedCitation]
    removed_claims: list[str]
    removed_citations: int


def check_answer(
    draft: str,
    cited: Mapping[int, Paragraph],
    *,
    embedder: Embedder,
    min_support: float,
    lexical_weight: float = LEXICAL_WEIGHT,
) -> CheckedAnswer:
    """Check each claim of `draft` against the paragraphs its markers point at.

    A citation whose paragraph does not support its claim is removed; a claim left with no
    supporting citation is removed. Markers are renumbered in order of first use.
    """
    parts: list[str] = []
    citations: list[CheckedCitation] = []
    marker_of: dict[str, int] = {}
    removed_claims: list[str] = []
    removed_citations = 0
    for claim in split_claims(draft):
        markers: list[int] = []
        for old in claim.markers:
            paragraph = cited.get(old)
            if paragraph is None:
                removed_citations += 1
                continue
            support = measure_support(
                claim.text, paragraph.text, embedder=embedder, lexical_weight=lexical_weight
            )
            if support.score < min_support:
                removed_citations += 1
                continue
            quoted = is_quote(claim.text, paragraph.text)
            if paragraph.paragraph_id not in marker_of:
                marker_of[paragraph.paragraph_id] = len(marker_of) + 1
                citations.append(CheckedCitation(len(marker_of), paragraph, support, quoted))
            else:
                known = citations[marker_of[paragraph.paragraph_id] - 1]
                known.quoted = known.quoted and quoted
            markers.append(marker_of[paragraph.paragraph_id])
        if not markers:
            removed_claims.append(claim.text)
            continue
        parts.append(claim.text + " " + "".join(f"[{m}]" for m in dict.fromkeys(markers)))
    return CheckedAnswer(" ".join(parts), citations, removed_claims, removed_citations)
