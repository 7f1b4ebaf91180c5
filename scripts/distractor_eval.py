#!/usr/bin/env python
"""Ask each question set against one index of all the sets' articles plus distractors.

    python scripts/distractor_eval.py --set QUESTIONS:CORPUS [--set ...]
                                      [--distractors FOLDER ...] [--squad FILE ...]
                                      [--work-dir DIR] [--json]

Each question set is normally asked of its own articles (`make eval`, `eval-nyt`,
`eval-wiki`). Here every set's articles go into one index, with the articles of any
`--distractors` folder and of any SQuAD-format `--squad` file as extra distractors, and each
set is asked of that index: the
corpus is several times larger and most of it is about something else, as a user's pile of
articles is. The service runs with the settings it ships with (QA_* env vars apply).

Per set it prints the figures of `scripts/evaluate.py` and how many answers cite an article
that is not in the set's own corpus (a distractor took the answer). An article's id is its
file name without the extension (an archive's articles keep their records' ids), so the judge
finds the set's evidence as before; two articles with one id in different folders would make
that ambiguous and stop the run. SQuAD articles are written as the selector's training corpora
are (`scripts/selector_data.py`).

The index is built incrementally under `--work-dir` (default `data-distractors`), so a second
run reuses it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import read_questions, run_cli  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts import each other by name

from selector_data import read_source, write_corpus  # noqa: E402

from index.file_kinds import article_files, doc_id_of, is_archive  # noqa: E402
from index.formats import read_article_file  # noqa: E402
from qa.evaluation import judge, summarise  # noqa: E402
from qa.settings import IndexSettings  # noqa: E402


@dataclass(frozen=True)
class QuestionSet:
    name: str
    questions: Path
    corpus: Path


def parse_set(spec: str) -> QuestionSet:
    """`QUESTIONS:CORPUS` → a named set (its name: the questions file's stem)."""
    questions, sep, corpus = spec.rpartition(":")
    if not sep or not questions or not corpus:
        raise argparse.ArgumentTypeError(f"expected QUESTIONS:CORPUS, got {spec!r}")
    return QuestionSet(Path(questions).stem, Path(questions), Path(corpus))


def article_ids(path: Path) -> list[str]:
    """The ids of the articles an article file holds: a single article's is its file name
    without the suffix (`index.file_kinds.doc_id_of`), an archive's are its records' own."""
    if not is_archive(path):
        return [doc_id_of(path)]
    found = read_article_file(path, max_bytes=IndexSettings().max_document_bytes)
    return [article.doc_id for article in found.articles]


def corpus_ids(folder: Path) -> set[str]:
    return {ident for path in article_files(folder) for ident in article_ids(path)}


def squad_folder(squad: Path, name: str, folder: Path) -> Path:
    """The articles of a SQuAD-format file as a folder of text files, written as the selector's
    training corpora are (`scripts/selector_data.py`: `read_source`, `write_corpus`)."""
    shutil.rmtree(folder, ignore_errors=True)  # only this file's articles, none of a last run's
    write_corpus(read_source(squad, name), folder)
    return folder


def assemble(folders: Sequence[Path], dest: Path) -> int:
    """Links every article file of `folders` into `dest`. Refuses two articles with the same id
    (the judge matches evidence by id). Returns how many files `dest` holds."""
    dest.mkdir(parents=True, exist_ok=True)
    seen: dict[str, str] = {}

    def claim(ident: str, where: str) -> None:
        if ident in seen:
            raise SystemExit(
                f"two articles are named {ident!r} ({seen[ident]} and {where}); "
                "rename one, ids must be unique across the sets"
            )
        seen[ident] = where

    wanted: dict[str, Path] = {}
    for folder in folders:
        for path in article_files(folder):
            for ident in article_ids(path):
                claim(ident, str(folder))
            wanted[path.name] = path.resolve()
    for old in dest.iterdir():  # an earlier run's article no longer asked for
        if old.name not in wanted:
            old.unlink()
    for name, source in wanted.items():
        target = dest / name
        if target.is_symlink() and target.resolve() == source:
            continue
        target.unlink(missing_ok=True)
        target.symlink_to(source)
    return len(wanted)


def foreign(response: dict[str, Any], own: set[str]) -> bool:
    """Whether an answer cites an article outside the set's own corpus."""
    if response.get("status") != "answered":
        return False
    return any(c.get("doc_id") not in own for c in response.get("citations", []))


def build(folder: Path, data_dir: Path) -> None:
    from index.builder import rebuild_configured
    from index.embedder import SentenceTransformerEmbedder
    from qa.settings import Settings

    settings = Settings(data_dir=data_dir)
    embedder = SentenceTransformerEmbedder(
        settings.index.embedding_model, batch_size=settings.index.embed_batch_size
    )
    report = rebuild_configured(folder, settings, embedder=embedder)
    print(
        f"index: {report.articles} articles, {report.paragraphs} paragraphs "
        f"({report.duplicates} near-duplicates left out), {report.seconds:.0f} s",
        file=sys.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", dest="sets", type=parse_set, action="append", required=True,
        metavar="QUESTIONS:CORPUS",
        help="a question set and the folder of its own articles; repeat for each set",
    )  # fmt: skip
    parser.add_argument(
        "--distractors", type=Path, action="append", default=[], metavar="FOLDER",
        help="a folder of articles (no questions) added as distractors",
    )  # fmt: skip
    parser.add_argument(
        "--squad", type=Path, action="append", default=[],
        help="a SQuAD-format file whose articles are added as distractors",
    )  # fmt: skip
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("data-distractors"),
        help="where the combined index is built and kept for the next run (default %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    squads = [
        squad_folder(path, f"distractor{k}-", args.work_dir / f"squad{k}")
        for k, path in enumerate(args.squad)
    ]
    folder = args.work_dir / "articles"
    total = assemble([s.corpus for s in args.sets] + args.distractors + squads, folder)
    distractors = sum(len(article_files(f)) for f in args.distractors + squads)
    print(f"{total} articles ({distractors} distractors) in {folder}", file=sys.stderr)
    build(folder, args.work_dir)

    from api.service import QAService
    from qa.settings import Settings

    service = QAService.load(Settings(data_dir=args.work_dir))
    figures: dict[str, dict[str, Any]] = {}
    for qs in args.sets:
        own = corpus_ids(qs.corpus)
        questions = read_questions(qs.questions, needs=("id", "kind", "question"))
        judgements, elsewhere = [], {"answerable": 0, "unanswerable": 0}
        for q in questions:
            started = time.perf_counter()
            response = service.ask(q["question"]).model_dump()
            judgements.append(judge(q, response, time.perf_counter() - started))
            if foreign(response, own):
                elsewhere["unanswerable" if q["kind"] == "unanswerable" else "answerable"] += 1
        figures[qs.name] = {
            **summarise(judgements),
            "own_articles": len(own),
            "answers_citing_other_articles": elsewhere,
        }
    figures["_index"] = {"articles": total, "distractor_articles": distractors,
                         "paragraphs": len(service.corpus.paragraphs)}  # fmt: skip
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    index = figures.pop("_index")
    print(f"one index: {index['articles']} articles ({index['distractor_articles']} "
          f"distractors), {index['paragraphs']} paragraphs")  # fmt: skip
    print(f"{'set':<12} {'own articles':>12} {'accuracy':>9} {'abstention':>11} "
          f"{'citation prec.':>15} {'cites another (ans./unans.)':>28}")  # fmt: skip
    for name, f in figures.items():
        other = f["answers_citing_other_articles"]
        print(
            f"{name:<12} {f['own_articles']:>12} {f['answer_accuracy']:>9.1%} "
            f"{f['abstention_accuracy']:>11.1%} {f['citation_precision']:>15.1%} "
            f"{other['answerable']:>14} / {other['unanswerable']:<11}"
        )
    return 0


if __name__ == "__main__":
    run_cli(main)
