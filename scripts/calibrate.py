#!/usr/bin/env python
"""Choose the abstention threshold on the selector's score, on every validation set together.

    python scripts/calibrate.py --set ../shared/eval/dev.jsonl:data \\
        --set ../shared/eval/nyt-dev/nyt-dev.jsonl:data-nyt \\
        --set ../shared/eval/public-qa/wiki-val/wiki-val.jsonl:data-wiki [--max-wrong 0.10]

Each --set is QUESTIONS:DATA_DIR (index already built). Every question is answered by the full
answer path with the threshold at 0 (nothing withheld on the score), and its best answer score
recorded with whether the answer is right. Then, for each threshold, a question is answered
when its score reaches it. Printed: the score distributions of right answers, wrong answers and
unanswerable questions; accuracy and abstention per set at each threshold; and the chosen
operating point: among the thresholds at which wrong answers (answered unanswerable questions
and wrong answers to answerable ones) are at most --max-wrong of the answers given, on all sets
pooled with equal weight per set, the one that answers the most questions right (mean accuracy
of the sets), and of those the one with the fewest wrong answers: the lowest threshold within
the limit, raised as far as raising it costs no right answer. Never one set alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from api.service import QAService  # noqa: E402
from qa.evaluation import judge  # noqa: E402
from qa.settings import GenerationSettings, Settings  # noqa: E402
from scripts.cli import run_cli  # noqa: E402

THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]


@dataclass(frozen=True)
class Outcome:
    set: str
    qid: str
    answerable: bool
    score: float  # 0 when the answer path abstained before scoring (no words, no support)
    right: bool  # the answer (had it been given) is right


def outcomes(name: str, questions: Path, data_dir: Path) -> list[Outcome]:
    settings = Settings(data_dir=data_dir, generation=GenerationSettings(backend="none"))
    settings.answer.min_answer_score = 0.0
    service = QAService.load(settings)
    found = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        answer = service.ask(q["question"]).model_dump()
        answerable = q["kind"] != "unanswerable"
        score = float(answer["evidence_score"] or 0.0) if answer["status"] == "answered" else 0.0
        right = judge(q, answer, 0.0).correct if answerable else False
        found.append(Outcome(name, q["id"], answerable, score, right))
    return found


def at_threshold(items: list[Outcome], t: float) -> dict[str, float]:
    answerable = [o for o in items if o.answerable]
    unanswerable = [o for o in items if not o.answerable]
    given = [o for o in items if o.score >= t]
    wrong = [o for o in given if not (o.answerable and o.right)]
    return {
        "accuracy": sum(o.right and o.score >= t for o in answerable) / max(1, len(answerable)),
        "abstention": sum(o.score < t for o in unanswerable) / max(1, len(unanswerable)),
        "wrong_share": len(wrong) / max(1, len(given)),
    }


def choose(rows: dict[float, list[dict[str, float]]], max_wrong: float) -> float | None:
    """The operating point from each threshold's per-set figures (`at_threshold`): within the
    pooled wrong-share limit, the most right answers, then the smallest wrong share (so a lower
    threshold that only adds wrong answers is not chosen), then the higher threshold."""

    def pooled(sets: list[dict[str, float]], key: str) -> float:
        return round(sum(r[key] for r in sets) / len(sets), 9)

    allowed = [t for t, sets in rows.items() if pooled(sets, "wrong_share") <= max_wrong]
    if not allowed:
        return None
    return max(
        allowed,
        key=lambda t: (pooled(rows[t], "accuracy"), -pooled(rows[t], "wrong_share"), t),
    )


def histogram(values: list[float], bins: int = 10) -> str:
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int(v * bins))] += 1
    return " ".join(f"{c:3d}" for c in counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        action="append",
        required=True,
        metavar="QUESTIONS:DATA_DIR",
        help="a question set and the data dir of its index; give it once per set",
    )
    parser.add_argument(
        "--max-wrong",
        type=float,
        default=0.10,
        help="largest share of wrong answers among those given, pooled (default 0.10)",
    )
    parser.add_argument("--out", type=Path, help="write every outcome here (JSON lines)")
    parser.add_argument(
        "--card", type=Path, help="write the figures into this model card's Validation section"
    )
    args = parser.parse_args()
    if not 0 <= args.max_wrong <= 1:
        parser.error("--max-wrong is a share of answers: from 0 to 1 (0.10 = 10 %)")
    by_set: dict[str, list[Outcome]] = {}
    for spec in args.set:
        questions, colon, data_dir = spec.rpartition(":")
        if not colon or not questions or not data_dir:
            parser.error(f"--set takes QUESTIONS:DATA_DIR, got {spec!r}")
        name = Path(questions).stem
        by_set[name] = outcomes(name, Path(questions), Path(data_dir))
    if args.out:
        with args.out.open("w", encoding="utf-8") as out:
            for items in by_set.values():
                for o in items:
                    out.write(json.dumps(o.__dict__) + "\n")

    print("score distribution (bins of 0.1 from 0 to 1):")
    for name, items in by_set.items():
        right = [o.score for o in items if o.answerable and o.right]
        wrong = [o.score for o in items if o.answerable and not o.right]
        none = [o.score for o in items if not o.answerable]
        print(f"  {name:<12} right        {histogram(right)}")
        print(f"  {'':<12} wrong        {histogram(wrong)}")
        print(f"  {'':<12} unanswerable {histogram(none)}")
    print()
    header = "threshold " + " ".join(f"{n[:10]:>10} acc/abst" for n in by_set) + "  wrong share"
    print(header)
    by_threshold: dict[float, list[dict[str, float]]] = {}
    for t in THRESHOLDS:
        rows = {n: at_threshold(items, t) for n, items in by_set.items()}
        by_threshold[t] = list(rows.values())
        pooled = sum(r["wrong_share"] for r in rows.values()) / len(rows)
        cells = " ".join(
            f"{r['accuracy']:>10.1%} {r['abstention']:>4.0%}    " for r in rows.values()
        )
        print(f"{t:>9.2f} {cells} {pooled:>8.1%}")
    chosen = choose(by_threshold, args.max_wrong)
    print()
    print(
        f"chosen threshold: {chosen} (pooled wrong-answer share ≤ {args.max_wrong:.0%}: the most "
        "right answers, then the fewest wrong)"
    )
    if args.card and chosen is not None:
        write_card(args.card, by_set, chosen, args.max_wrong)
        print(f"wrote the Validation section of {args.card}")
    return 0


def write_card(
    card: Path, by_set: dict[str, list[Outcome]], chosen: float, max_wrong: float
) -> None:
    """Replace everything from the card's `## Validation` heading on with these figures."""
    lines = [
        "## Validation",
        "",
        "Written by `scripts/calibrate.py --card` from the full answer path (retrieval, shortlist,",
        "selector, trimming, citation check) on the three validation sets, none of them trained",
        f"on. Threshold chosen: **{chosen:.2f}**: of the thresholds at which wrong answers",
        "(answered unanswerable questions and wrong answers to answerable ones) are at most",
        f"{max_wrong:.0%} of the answers given, the three sets pooled with equal weight, the one",
        "with the most right answers, then the fewest wrong ones.",
        "",
        "| set | answerable | unanswerable | answered right | abstained on unanswerable "
        "| wrong share of answers |",
        "|---|---|---|---|---|---|",
    ]
    for name, items in by_set.items():
        row = at_threshold(items, chosen)
        answerable = sum(o.answerable for o in items)
        lines.append(
            f"| {name} | {answerable} | {len(items) - answerable} | {row['accuracy']:.1%} "
            f"| {row['abstention']:.1%} | {row['wrong_share']:.1%} |"
        )
    lines += [
        "",
        "Best answer score, counts in bins of 0.1 from 0 to 1:",
        "",
        "| set | outcome | " + " | ".join(f"{i / 10:.1f}" for i in range(10)) + " |",
        "|---|---|" + "---|" * 10,
    ]
    for name, items in by_set.items():
        groups = {
            "right": [o.score for o in items if o.answerable and o.right],
            "wrong": [o.score for o in items if o.answerable and not o.right],
            "unanswerable": [o.score for o in items if not o.answerable],
        }
        for label, values in groups.items():
            cells = " | ".join(histogram(values).split())
            lines.append(f"| {name} | {label} | {cells} |")
    text = card.read_text(encoding="utf-8")
    head = text.split("## Validation", 1)[0].rstrip()
    card.write_text(head + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    run_cli(main)
