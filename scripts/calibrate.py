#!/usr/bin/env python
"""Calibrate the evidence weights, the abstention threshold and the citation-support threshold.

    python scripts/calibrate.py --set ../shared/eval/dev.jsonl:data \\
                                --set ../shared/eval/nyt-dev/nyt-dev.jsonl:data-nyt

Each --set is QUESTIONS:DATA_DIR (index already built). All sets are used together, never one
alone. Prints (1) weight/threshold settings that keep abstention accuracy at 100 % on every set
while maximising answer accuracy, with the window of thresholds that gives the same result, and
(2) citation support of answer sentences against their own paragraph versus other retrieved
paragraphs. Extraction only (no language model), so it measures the evidence scorer itself.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.service import QAService  # noqa: E402
from qa.answering import _candidates  # noqa: E402
from qa.citations import measure_support  # noqa: E402
from qa.evaluation import contains  # noqa: E402
from qa.evidence import score_sentences  # noqa: E402
from qa.settings import GenerationSettings, Settings  # noqa: E402

FEATURES = ("cosine", "term_coverage", "context_coverage", "type_match")
GRID = {
    "cosine": (0.3, 0.45, 0.6),
    "term_coverage": (0.1, 0.2, 0.3, 0.4),
    "context_coverage": (0.0, 0.15, 0.3),
    "type_match": (0.0, 0.1, 0.2),
}


def features(
    questions: Path, data_dir: Path
) -> tuple[list[dict[str, Any]], list[float], list[float]]:
    settings = Settings(data_dir=data_dir, generation=GenerationSettings(backend="none"))
    service = QAService.load(settings)
    rows, own, other = [], [], []
    for line in questions.read_text().splitlines():
        q = json.loads(line)
        retrieval = service.retriever.retrieve(q["question"])
        candidates, vectors = _candidates(retrieval.hits, service.corpus)
        scored = score_sentences(
            q["question"], retrieval.query_vector, candidates, vectors,
            doc_freq=service.corpus.doc_freq, n_docs=len(service.corpus.paragraphs),
        )  # fmt: skip
        cands = []
        for s in scored[:20]:
            ok = bool(q["answers"]) and all(
                any(contains(s.text, alt) for alt in group) for group in q["answers"]
            )
            cands.append({**{f: float(getattr(s, f)) for f in FEATURES}, "ok": ok})
        rows.append({"kind": q["kind"], "cands": cands})
        if scored and q["kind"] != "unanswerable":
            best = scored[0]
            paragraphs = service.corpus.paragraphs
            own.append(measure_support(best.text, paragraphs[best.row].text,
                                       embedder=service.embedder).score)  # fmt: skip
            for hit in retrieval.hits[:3]:
                if hit.row != best.row and best.text not in paragraphs[hit.row].text:
                    other.append(measure_support(best.text, paragraphs[hit.row].text,
                                                 embedder=service.embedder).score)  # fmt: skip
    return rows, own, other


def outcome(
    rows: list[dict[str, Any]], weights: dict[str, float], threshold: float
) -> tuple[int, int, int, int]:
    right = answerable = abstained = unanswerable = 0
    for row in rows:
        scores = [sum(weights[f] * c[f] for f in FEATURES) for c in row["cands"]]
        best = max(range(len(scores)), key=scores.__getitem__) if scores else None
        answered = best is not None and scores[best] >= threshold
        if row["kind"] == "unanswerable":
            unanswerable += 1
            abstained += not answered
        else:
            answerable += 1
            right += answered and row["cands"][best]["ok"]
    return right, answerable, abstained, unanswerable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", required=True, help="QUESTIONS:DATA_DIR")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    sets, own, other = {}, [], []
    for spec in args.set:
        questions, data_dir = spec.split(":", 1)
        sets[questions], o, x = features(Path(questions), Path(data_dir))
        own += o
        other += x
    thresholds = [t / 100 for t in range(30, 95)]
    results = []
    for values in itertools.product(*GRID.values()):
        weights = dict(zip(GRID, values, strict=True))
        passing = []
        for t in thresholds:
            outcomes = [outcome(rows, weights, t) for rows in sets.values()]
            if all(a == u for _, _, a, u in outcomes):  # every unanswerable question abstained
                passing.append((sum(r / n for r, n, _, _ in outcomes), t, outcomes))
        if passing:
            best = max(p[0] for p in passing)
            window = [p[1] for p in passing if p[0] == best]
            outcomes = next(p[2] for p in passing if p[0] == best)
            results.append((best, len(window), weights, min(window), max(window), outcomes))
    results.sort(key=lambda r: (-r[0], -r[1]))
    print("weights | threshold window | right/answerable per set | abstained/unanswerable")
    for _, _, weights, lo, hi, outcomes in results[: args.top]:
        per_set = ", ".join(f"{r}/{n}" for r, n, _, _ in outcomes)
        abst = ", ".join(f"{a}/{u}" for _, _, a, u in outcomes)
        print(f"{weights} | {lo:.2f}–{hi:.2f} | {per_set} | {abst}")
    own.sort()
    other.sort()
    print(f"\ncitation support, answer sentence vs its own paragraph: n={len(own)} "
          f"min={own[0]:.2f} p5={own[len(own) // 20]:.2f}")  # fmt: skip
    print(f"citation support, answer sentence vs other retrieved paragraphs: n={len(other)} "
          f"p95={other[int(len(other) * 0.95)]:.2f} max={other[-1]:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
