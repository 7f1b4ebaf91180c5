"""Choosing the answer sentence: the learned selector reads the question with each candidate.

The candidates are first ranked by the cheap evidence score (`qa/evidence.py`: meaning and
shared words), and the best `limit` of them go to the selector, a cross-encoder trained on
public QA data (`scripts/train_selector.py`). Its score alone orders them and decides whether
the question is answered at all (`answer.min_answer_score`); where it found one, it also marks
the answer span inside the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qa.candidates import Candidate
from qa.evidence import ScoredSentence
from qa.interfaces import Selector, SelectorInput


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    evidence: ScoredSentence  # the cheap features it was preselected by
    score: float  # the selector's: how likely the sentence answers the question (0..1)
    span: tuple[int, int] | None  # the answer inside `candidate.text`, character offsets

    @property
    def short_answer(self) -> str | None:
        if self.span is None:
            return None
        a, b = self.span
        return self.candidate.text[a:b].strip() or None


# beyond the last retrieved paragraph (a rank no retrieved paragraph has)
UNRANKED = 8


def candidate_features(
    *,
    cosine: float,
    term_coverage: float,
    context_coverage: float,
    type_match: float,
    paragraph_rank: int | None,
) -> dict[str, float]:
    """What the selector's combiner may weigh beside its own reading of the pair: the evidence
    features (qa/evidence.py) and how high the sentence's paragraph was retrieved. Training
    (scripts/train_selector.py) builds them with this same function."""
    rank = UNRANKED if paragraph_rank is None else paragraph_rank
    return {
        "cosine": cosine,
        "term_coverage": term_coverage,
        "context_coverage": context_coverage,
        "type_match": type_match,
        "paragraph_rank": 1.0 / (1.0 + rank),
    }


def select(
    question: str,
    candidates: Sequence[Candidate],
    scored: Sequence[ScoredSentence],
    *,
    selector: Selector,
    limit: int,
    ranks: Mapping[int, int],
) -> list[Choice]:
    """The best `limit` candidates by evidence, scored by the selector, best first. `ranks`:
    each retrieved paragraph's row → its place in the retrieval (0 = first)."""
    shortlist = list(scored[:limit])
    if not shortlist:
        return []
    picked = [candidates[s.index] for s in shortlist]
    verdicts = selector.select(
        question,
        [
            SelectorInput(
                c.text,
                c.title,
                c.previous,
                candidate_features(
                    cosine=s.cosine,
                    term_coverage=s.term_coverage,
                    context_coverage=s.context_coverage,
                    type_match=s.type_match,
                    paragraph_rank=ranks.get(s.row),
                ),
            )
            for c, s in zip(picked, shortlist, strict=True)
        ],
    )
    choices = [
        Choice(
            candidate,
            evidence,
            verdict.score,
            (verdict.span_start, verdict.span_end)
            if verdict.span_start is not None and verdict.span_end is not None
            else None,
        )
        for candidate, evidence, verdict in zip(picked, shortlist, verdicts, strict=True)
    ]
    # ties (rare) keep the evidence order
    return sorted(choices, key=lambda c: -c.score)
