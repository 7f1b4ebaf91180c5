#!/usr/bin/env python
"""How the span length penalty (`answer.span_length_penalty`) changes the short answer, read
on the tuning questions: the articles of `train/` that `scripts/train_selector.py` keeps apart
and never trains on (`selector_data.tune_articles`).

    python scripts/span_length.py [--train-dir ../shared/eval/public-qa/train]
                                  [--model models/selector] [--penalties 0,0.05,0.1,0.2,0.3,0.5]

Each tuning question is read with the sentence that holds its answer (its article's title and
the sentence before it, as the service reads a candidate), and the span head's best span is
taken under each penalty: start + end logit, less the penalty for each token past the first.
Printed per penalty: exact match and token F1 against the question's answers (SQuAD's
normalisation: case, punctuation and articles aside), by source and by the asked kind, and the
span's mean length in words. docs/grounding.md quotes it.
"""

from __future__ import annotations

import argparse
import collections
import re
import string
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import UsageError, run_cli  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from selector_data import read_source, tune_articles  # noqa: E402

from index.selector import OnnxSelector  # noqa: E402
from qa.evidence import answer_type  # noqa: E402
from qa.interfaces import SelectorInput  # noqa: E402
from qa.sentences import sentence_spans  # noqa: E402

SOURCES = {
    "new-wiki": "new-wiki-train.json",
    "squad": "squad-v1.1-dev.json",
    "reddit": "reddit.json",
    "amazon": "amazon-reviews.json",
}
_PUNCTUATION = set(string.punctuation)


def squad_normal(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(c for c in text.lower() if c not in _PUNCTUATION)
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def token_f1(found: str, gold: str) -> float:
    """SQuAD's token F1 of a found answer against a gold one."""
    a, b = squad_normal(found).split(), squad_normal(gold).split()
    if not a or not b:
        return float(a == b)
    common = sum((collections.Counter(a) & collections.Counter(b)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def tuning_items(train_dir: Path) -> list[tuple[str, str, SelectorInput, list[str]]]:
    """(source, question, the answer's sentence as the selector reads it, answers) for each
    tuning question whose answer stands whole in one sentence."""
    items = []
    for name, file_name in SOURCES.items():
        path = train_dir / file_name
        if not path.exists():
            raise UsageError(f"{path} not found: give the public-qa train folder as --train-dir")
        source = read_source(path, name)
        tune = tune_articles(source.articles)
        for q in source.questions:
            if q.doc not in tune:
                continue
            title, paragraphs = source.articles[q.doc]
            spans = sentence_spans(paragraphs[q.paragraph])
            at = q.answers[0][1]
            k = next((i for i, s in enumerate(spans) if s.start <= at < s.end), None)
            answers = [text for text, _ in q.answers]
            if k is None or not any(a in spans[k].text for a in answers):
                continue
            previous = spans[k - 1].text if k else ""
            items.append((name, q.text, SelectorInput(spans[k].text, title, previous), answers))
    return items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--train-dir",
        type=Path,
        default=Path("../shared/eval/public-qa/train"),
        help="the public-qa train folder (default %(default)s)",
    )
    parser.add_argument(
        "--model",
        type=Path,
        default=Path("models/selector"),
        help="the selector folder to read with (default %(default)s)",
    )
    parser.add_argument(
        "--penalties",
        default="0,0.05,0.1,0.2,0.3,0.5",
        help="span length penalties to compare, comma-separated (default %(default)s)",
    )
    args = parser.parse_args()
    try:
        penalties = [float(p) for p in args.penalties.split(",")]
    except ValueError as exc:
        raise UsageError(f"--penalties: {exc}") from exc

    selector = OnnxSelector(args.model, threads=1)
    selector.warm_up()
    items = tuning_items(args.train_dir)
    print(f"tuning questions with their answer in one sentence: {len(items)}")
    found: dict[float, list[tuple[str, str, str, list[str]]]] = {p: [] for p in penalties}
    for n, (source, question, item, answers) in enumerate(items, 1):
        [reading] = selector.span_logits(question, [item])
        kind = answer_type(question).name.lower()
        for penalty in penalties:
            span = reading.best_span(penalty)
            text = item.sentence[span[0] : span[1]] if span else ""
            found[penalty].append((source, kind, text, answers))
        if n % 500 == 0:
            print(f"{n}/{len(items)} questions", file=sys.stderr, flush=True)
    for penalty in penalties:
        print(f"penalty {penalty:g}: " + _figures(found[penalty]))
    return 0


def _figures(rows: Sequence[tuple[str, str, str, list[str]]]) -> str:
    groups: dict[str, list[tuple[float, float, int]]] = collections.defaultdict(list)
    for source, kind, text, answers in rows:
        row = (
            max(float(squad_normal(text) == squad_normal(a)) for a in answers),
            max(token_f1(text, a) for a in answers),
            len(text.split()),
        )
        groups["all"].append(row)
        groups[source].append(row)
        groups[f"kind {kind}"].append(row)

    def mean(values: list[float]) -> float:
        return sum(values) / max(1, len(values))

    return "; ".join(
        f"{name} (n {len(g)}) EM {mean([r[0] for r in g]):.3f} F1 {mean([r[1] for r in g]):.3f}"
        f" words {mean([float(r[2]) for r in g]):.2f}"
        for name, g in sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0]))
    )


if __name__ == "__main__":
    run_cli(main)
