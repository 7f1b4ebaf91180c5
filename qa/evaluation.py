"""Scoring answers against a question set (format: ../shared/eval/README.md)."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qa.citations import MARKER, split_claims

LONG_ANSWER_WORDS = 50  # a longer answer to a single-fact question counts as wrong


def normalise(text: str) -> str:
    """Case and punctuation ignored, `12,000` = `12000`."""
    text = re.sub(r"(?<=\d),(?=\d)", "", text.lower())
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def contains(text: str, phrase: str) -> bool:
    hay, needle = f" {normalise(text)} ", f" {normalise(phrase)} "
    return needle in hay


def answer_words(answer: str) -> int:
    """The answer's words: pieces between white space that hold a letter or a digit, so a
    citation marker, an ellipsis, a lone quotation mark (`“ Kim said`) or a dash set apart by
    spaces (`Monday — on`) is none."""
    pieces = MARKER.sub("", answer).replace("…", " ").split()
    return sum(1 for piece in pieces if _WORDLIKE.search(piece))


_WORDLIKE = re.compile(r"[^\W_]")


@dataclass
class Judgement:
    id: str
    kind: str
    correct: bool
    cited: int = 0
    cited_right: int = 0
    evidence_found: float = 0.0
    words: int = 0
    latency_s: float = 0.0
    claims_kept: int = 0  # claims in the answer given (each with its markers)
    claims_removed: int = 0  # claims the citation check took out (generate mode, mostly)
    # answered with a quote that holds nothing of the kind asked for (`holds_asked_kind`)
    lacks_asked_kind: bool = False
    notes: list[str] = field(default_factory=list)


def judge(question: dict[str, Any], response: dict[str, Any], latency_s: float) -> Judgement:
    answered = response.get("status") == "answered"
    answer = response.get("answer", "") if answered else ""
    citations = response.get("citations", []) if answered else []
    words = answer_words(answer) if answered else 0
    j = Judgement(question["id"], question["kind"], False, words=words, latency_s=latency_s)
    j.claims_kept = len(split_claims(answer)) if answered else 0
    j.claims_removed = len(response.get("removed_claims") or [])
    j.lacks_asked_kind = answered and response.get("holds_asked_kind") is False
    if question["kind"] == "unanswerable":
        j.correct = not answered
        if answered:
            j.notes.append("answered an unanswerable question")
        return j
    groups = question["answers"]
    j.correct = (
        answered
        and all(any(contains(answer, alt) for alt in group) for group in groups)
        and words <= LONG_ANSWER_WORDS
    )
    if not answered:
        j.notes.append("abstained")
    elif words > LONG_ANSWER_WORDS:
        j.notes.append(f"answer has {words} words")
    evidence = question["evidence"]

    def supports(citation: dict[str, Any], item: dict[str, str]) -> bool:
        if citation.get("doc_id") != item["doc"]:
            return False
        if "detail" in item:  # our questions about an article itself: its author, date, source
            return citation.get("detail") == item["detail"]
        return contains(citation.get("text", ""), item["text"])

    j.cited = len(citations)
    j.cited_right = sum(any(supports(c, e) for e in evidence) for c in citations)
    if evidence:
        j.evidence_found = sum(any(supports(c, e) for c in citations) for e in evidence) / len(
            evidence
        )
    return j


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarise(judgements: Sequence[Judgement]) -> dict[str, float | int]:
    answerable = [j for j in judgements if j.kind != "unanswerable"]
    unanswerable = [j for j in judgements if j.kind == "unanswerable"]
    cited = sum(j.cited for j in answerable)
    answered_words = [j.words for j in judgements if j.words]
    latencies = [j.latency_s for j in judgements]
    right = sum(j.correct for j in answerable)
    # what the question set's size allows: 84 % of 50 questions is anywhere in 71–92 %
    low, high = wilson_interval(right, len(answerable))
    return {
        "questions": len(judgements),
        "answer_accuracy": _ratio(right, len(answerable)),
        "answer_accuracy_low": low,
        "answer_accuracy_high": high,
        "abstention_accuracy": _ratio(sum(j.correct for j in unanswerable), len(unanswerable)),
        "citation_precision": _ratio(sum(j.cited_right for j in answerable), cited),
        "evidence_recall": _ratio(sum(j.evidence_found for j in answerable), len(answerable)),
        "median_answer_words": statistics.median(answered_words) if answered_words else 0,
        "claims_kept": sum(j.claims_kept for j in judgements),
        "claims_removed": sum(j.claims_removed for j in judgements),
        # how well `holds_asked_kind` warns: answers it marks, and how many of those were right
        "lacking_asked_kind": sum(j.lacks_asked_kind for j in judgements),
        "lacking_asked_kind_right": sum(j.lacks_asked_kind and j.correct for j in answerable),
        "latency_p50_s": round(percentile(latencies, 50), 3),
        "latency_p95_s": round(percentile(latencies, 95), 3),
    }


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion (a five-line formula: no statistics
    library needed for it). (0, 0) for no trials."""
    if total == 0:
        return 0.0, 0.0
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def _ratio(part: float, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
