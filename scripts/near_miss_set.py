#!/usr/bin/env python
"""A question set of answerable questions and near misses from SQuAD-format files.

    python scripts/near_miss_set.py --squad FILE [--squad FILE ...] --out DIR
                                    [--articles N] [--kinds number,time,...]

The three validation sets hold 52 unanswerable questions between them, too few to measure a
rule that declines a kind of answer. This makes a larger set from public training data: of each
chosen article, every other paragraph (the 2nd, 4th, …) is left out of the corpus. A question
on a kept paragraph is answerable; a question on a left-out paragraph is a near miss, asked of
its own article's other paragraphs, unless one of its answer texts is still in the corpus (then
it is left out: it may be answered). Articles are taken in the order of their id's sha256
(`selector_data.ranked_articles`), so the articles `scripts/train_selector.py` keeps apart for
tuning come first; questions of the other articles may have been trained on.

Writes `DIR/corpus/` (one article a file, as `scripts/selector_data.py` writes them) and
`DIR/questions.jsonl` in the format of `dev.jsonl`, each question also marked `tune` (its
article was never trained on) and `asked` (the kind `qa/evidence.py: answer_type` reads).
Then:

    python scripts/rebuild_index.py DIR/corpus --data-dir DIR/data
    python scripts/evaluate.py --questions DIR/questions.jsonl --data-dir DIR/data \
        --out DIR/run.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import UsageError, run_cli  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts import each other by name

from selector_data import SOURCES, Source, ranked_articles, read_source, tune_articles  # noqa: E402

from qa.evaluation import contains  # noqa: E402
from qa.evidence import AnswerType, answer_type  # noqa: E402


def kept(paragraphs: Sequence[str]) -> list[str]:
    """The paragraphs left in the corpus: the 1st, 3rd, 5th, …"""
    return [p for i, p in enumerate(paragraphs) if i % 2 == 0]


def near_miss_questions(
    source: Source, articles: Sequence[str], tune: set[str], kinds: set[AnswerType] | None
) -> list[dict[str, Any]]:
    """The questions of `articles`: answerable on a kept paragraph, unanswerable on a left-out
    one whose answers are in no kept paragraph of these articles (each in `dev.jsonl`'s form)."""
    left = {doc: kept(source.articles[doc][1]) for doc in articles}
    rows = []
    for q in source.questions:
        if q.doc not in left:
            continue
        kind = answer_type(q.text)
        if kinds is not None and kind not in kinds:
            continue
        alts = sorted({text for text, _ in q.answers})
        mark = {"tune": q.doc in tune, "asked": kind.value}
        qid = f"{source.name}-{q.qid}"
        if q.paragraph % 2 == 0:
            evidence = [{"doc": q.doc, "text": alt} for alt in alts]
            rows.append(
                {"id": qid, "kind": "single", "question": q.text, "answers": [alts],
                 "evidence": evidence, **mark}
            )  # fmt: skip
        elif not any(contains(p, alt) for ps in left.values() for p in ps for alt in alts):
            rows.append(
                {"id": qid, "kind": "unanswerable", "question": q.text, "answers": [],
                 "evidence": [], **mark}
            )  # fmt: skip
    return rows


def write_article(folder: Path, doc: str, title: str, paragraphs: Sequence[str]) -> None:
    body = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    (folder / f"{doc}.txt").write_text(f"{title or 'Untitled'}\n\n{body}\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--squad", type=Path, action="append", required=True,
                        help="a file of public-qa/train (repeatable)")  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="folder to write (must be new)")
    parser.add_argument("--articles", type=int, default=25, help="articles per file (default 25)")
    parser.add_argument("--kinds", help="only questions asking for these kinds, comma-separated "
                        f"({', '.join(k.value for k in AnswerType)}); default all")  # fmt: skip
    args = parser.parse_args()
    kinds = None
    if args.kinds:
        names = [k.strip() for k in args.kinds.split(",") if k.strip()]
        known = {k.value: k for k in AnswerType}
        if unknown := [n for n in names if n not in known]:
            raise UsageError(f"--kinds: unknown {', '.join(unknown)}; known: {', '.join(known)}")
        kinds = {known[n] for n in names}
    if args.out.exists():
        raise UsageError(f"{args.out} exists: name a new folder")
    corpus = args.out / "corpus"
    corpus.mkdir(parents=True)
    rows: list[dict[str, Any]] = []
    for path in args.squad:
        if path.name not in SOURCES:
            raise UsageError(f"{path}: not one of {', '.join(SOURCES)}")
        source = read_source(path, SOURCES[path.name])
        tune = tune_articles(source.articles)
        chosen = ranked_articles(source.articles)[: args.articles]
        for doc in chosen:
            title, paragraphs = source.articles[doc]
            write_article(corpus, doc, title, kept(paragraphs))
        rows += near_miss_questions(source, chosen, tune, kinds)
    with (args.out / "questions.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = Counter((r["kind"], "tuning article" if r["tune"] else "other") for r in rows)
    print(f"{len(rows)} questions in {args.out / 'questions.jsonl'}")
    for (kind, part), n in sorted(counts.items()):
        print(f"  {kind:<13} {part:<15} {n}")
    return 0


if __name__ == "__main__":
    run_cli(main)
