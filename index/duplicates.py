"""Near-duplicate paragraphs at ingest: syndicated copies of a story are searched once.

Same measure as the query-time collapse in `qa/retrieval.py` (Jaccard overlap of content
words), applied to the whole corpus in order: a paragraph that overlaps an earlier *kept*
paragraph by at least the threshold is a duplicate of it. Comparing every pair is quadratic,
so candidates come from prefix filtering (Chaudhuri et al., 2006; Bayardo et al., 2007): with
terms ordered rarest first, two sets with Jaccard >= t must share a term among the first
`n - ceil(t * n) + 1` terms of each. Candidates are then checked exactly, so the result is the
same as comparing all pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from qa.lexical import jaccard


@dataclass(frozen=True)
class DuplicateOf:
    row: int  # the duplicate
    original: int  # the earlier kept paragraph it repeats
    similarity: float


def find_near_duplicates(
    term_sets: Sequence[frozenset[str]], *, threshold: float
) -> list[DuplicateOf]:
    """Rows (in order) whose terms overlap an earlier kept row's by `threshold` or more.

    A paragraph without content words is never a duplicate (there is nothing to compare).
    """
    if threshold <= 0:
        threshold = 1e-9  # 0 would make every pair a duplicate through empty prefixes
    frequency: Counter[str] = Counter(t for terms in term_sets for t in terms)
    postings: dict[str, list[int]] = {}
    found: list[DuplicateOf] = []
    for row, terms in enumerate(term_sets):
        if not terms:
            continue
        ordered = sorted(terms, key=lambda t: (frequency[t], t))
        prefix = ordered[: _prefix_length(len(ordered), threshold)]
        seen: set[int] = set()
        best: DuplicateOf | None = None
        for term in prefix:
            for other in postings.get(term, ()):
                if other in seen:
                    continue
                seen.add(other)
                other_terms = term_sets[other]
                small, large = sorted((len(terms), len(other_terms)))
                if small < threshold * large:
                    continue  # sizes alone rule it out
                similarity = jaccard(set(terms), set(other_terms))
                if similarity >= threshold and (best is None or other < best.original):
                    best = DuplicateOf(row, other, round(similarity, 4))
        if best is not None:
            found.append(best)
            continue  # only kept paragraphs are compared against, as at query time
        for term in prefix:
            postings.setdefault(term, []).append(row)
    return found


def _prefix_length(size: int, threshold: float) -> int:
    # the tiny epsilon keeps 0.9 * 10 = 9.000000000000002 from rounding up to 10
    return size - math.ceil(threshold * size - 1e-9) + 1
