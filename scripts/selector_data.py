#!/usr/bin/env python
"""Candidate lists for training the answer selector, built with the project's own retriever.

    python scripts/selector_data.py [--train-dir ../shared/eval/public-qa/train]
                                    [--work-dir data/selector] [--limit N]

For each SQuAD-format file in the training folder: its paragraphs are written out as a corpus
(one article a file), indexed by the project's own index builder, and every question is then
searched with the project's own retriever. Its candidate sentences (every sentence of the
retrieved paragraphs, plus the gold paragraph's when retrieval missed it) are stored with
their retrieval features and a label:

- 1: the sentence of the gold paragraph that holds the answer span (by character offset);
- 0: any other sentence that does not contain an answer text;
- left out: a sentence outside the gold paragraph that contains an answer text (it may
  answer the question too: neither a safe positive nor a safe negative).

The output, `<work-dir>/<source>.pkl`, is read by `scripts/train_selector.py`, which keeps a
share of each source's articles apart for tuning (by article, never by question).
`<work-dir>/lists.json` records the retrieval options each source's lists were built with, for
the model card.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import pickle
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from index.builder import rebuild_index  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from index.loaded import vector_search  # noqa: E402
from index.store import CorpusIndex  # noqa: E402
from index.versions import current_version  # noqa: E402
from qa.candidates import candidate_sentences  # noqa: E402
from qa.evaluation import contains  # noqa: E402
from qa.evidence import score_sentences  # noqa: E402
from qa.lexical import content_terms  # noqa: E402
from qa.retrieval import Retriever  # noqa: E402
from qa.sentences import sentence_spans  # noqa: E402
from qa.settings import GenerationSettings, Settings  # noqa: E402
from scripts.cli import run_cli  # noqa: E402

SOURCES = {
    "squad-v1.1-dev.json": "squad",
    "new-wiki-train.json": "newwiki",
    "reddit.json": "reddit",
    "amazon-reviews.json": "amazon",
}
# Reddit posts and Amazon reviews have no headline: their "articles" are a collection name
UNTITLED = {"reddit", "amazon"}


@dataclass
class Question:
    qid: str
    text: str
    answers: list[tuple[str, int]]  # (text, char offset in the paragraph)
    doc: str
    paragraph: int  # position of the gold paragraph in its article


@dataclass
class Source:
    name: str
    articles: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # doc → title, paras
    questions: list[Question] = field(default_factory=list)


def slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:6]
    return "-".join(words)[:40] or "doc"


TUNE_SHARE = 0.05  # of each source's articles (at least one) are kept apart for tuning


def ranked_articles(docs: Iterable[str]) -> list[str]:
    """Article ids by the sha256 of the id: a fixed, seedless order."""
    return sorted(docs, key=lambda d: hashlib.sha256(d.encode()).hexdigest())


def tune_articles(docs: Iterable[str]) -> set[str]:
    """The articles `scripts/train_selector.py` keeps apart for tuning: the first of
    `ranked_articles`."""
    ranked = ranked_articles(docs)
    return set(ranked[: max(1, round(len(ranked) * TUNE_SHARE))])


def read_source(path: Path, name: str) -> Source:
    """Articles and questions of one SQuAD-format file. Reddit posts and Amazon products are
    one article each (their files group them under one or a few collection names)."""
    source = Source(name)
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    for a, article in enumerate(data):
        groups: list[list[dict[str, Any]]] = (
            [[p] for p in article["paragraphs"]] if name == "reddit" else [article["paragraphs"]]
        )
        for g, paragraphs in enumerate(groups):
            title = "" if name in UNTITLED else article["title"].replace("_", " ")
            doc = f"{name}{a:03d}-{g:04d}-{slug(title or paragraphs[0]['context'])}"
            source.articles[doc] = (title, [p["context"] for p in paragraphs])
            for i, paragraph in enumerate(paragraphs):
                for qa in paragraph["qas"]:
                    answers = [(x["text"], int(x["answer_start"])) for x in qa["answers"]]
                    if answers:
                        source.questions.append(Question(qa["id"], qa["question"], answers, doc, i))
    return source


def write_corpus(source: Source, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc, (title, paragraphs) in source.articles.items():
        heading = title or ("Reddit post" if source.name == "reddit" else "Product review")
        body = "\n\n".join(" ".join(p.split()) for p in paragraphs)
        (folder / f"{doc}.txt").write_text(f"{heading}\n\n{body}\n", encoding="utf-8")


def gold_row(corpus: CorpusIndex, doc: str, context: str) -> int | None:
    """The index row holding the gold paragraph: the article's row that holds most of its
    content words (the cleaner may have joined it with a neighbour)."""
    wanted = set(content_terms(context))
    best, best_share = None, 0.0
    for row in corpus.rows_by_doc.get(doc, []):
        share = len(wanted & set(content_terms(corpus.paragraphs[row].text))) / max(1, len(wanted))
        if share > best_share:
            best, best_share = row, share
    return best if best_share >= 0.8 else None


def answer_sentence(context: str, start: int) -> str:
    """The sentence of the raw paragraph in which the answer span starts."""
    for span in sentence_spans(context):
        if span.start <= start < span.end:
            return span.text
    return ""


def overlap(a: str, b: str) -> float:
    x, y = set(content_terms(a)), set(content_terms(b))
    return len(x & y) / max(1, len(x | y))


def label_candidates(
    question: Question, context: str, candidates: list[dict[str, Any]], gold: int | None
) -> None:
    """Set `label` on each candidate (1, 0, or None to leave it out)."""
    texts = [t for t, _ in question.answers]
    targets = {answer_sentence(context, s) for _, s in question.answers} - {""}
    for cand in candidates:
        holds = [t for t in texts if contains(cand["text"], t)]
        if cand["row"] != gold:
            cand["label"] = None if holds else 0
            continue
        matched = holds and any(overlap(cand["text"], t) >= 0.6 for t in targets)
        cand["label"] = 1 if matched else (0 if not holds else None)
        if matched:
            first = next(t for t in texts if contains(cand["text"], t))
            at = cand["text"].lower().find(first.lower())
            cand["answer"] = (at, at + len(first)) if at >= 0 else None


def candidate_lists(
    source: Source, corpus: CorpusIndex, retriever: Retriever, limit: int | None
) -> Iterator[dict[str, Any]]:
    questions = source.questions[:limit] if limit else source.questions
    started = time.perf_counter()
    for n, question in enumerate(questions, start=1):
        context = source.articles[question.doc][1][question.paragraph]
        retrieval = retriever.retrieve(question.text)
        rows = [hit.row for hit in retrieval.hits]
        gold = gold_row(corpus, question.doc, context)
        retrieved_gold = gold in rows
        if gold is not None and not retrieved_gold:
            rows.append(gold)
        found, vectors = candidate_sentences(rows, corpus)
        scored = score_sentences(
            question.text,
            retrieval.query_vector,
            found,
            vectors,
            doc_freq=corpus.doc_freq,
            n_docs=len(corpus.paragraphs),
            keep_echoes=True,
        )
        hits = {hit.row: (rank, hit.paragraph) for rank, hit in enumerate(retrieval.hits)}
        candidates = []
        for s in scored:
            cand = found[s.index]
            rank, paragraph = hits.get(s.row, (None, None))
            candidates.append(
                {
                    "row": s.row,
                    "text": s.text,
                    "title": "" if source.name in UNTITLED else cand.title,
                    "previous": cand.previous,
                    "evidence": s.score,
                    "cosine": s.cosine,
                    "term_coverage": s.term_coverage,
                    "context_coverage": s.context_coverage,
                    "type_match": s.type_match,
                    "paragraph_rank": rank,
                    "dense": paragraph.dense_score if paragraph else None,
                    "lexical": paragraph.lexical_score if paragraph else None,
                }
            )
        label_candidates(question, context, candidates, gold)
        if n % 500 == 0:
            rate = n / (time.perf_counter() - started)
            print(f"  {source.name}: {n}/{len(questions)} questions ({rate:.1f}/s)", flush=True)
        yield {
            "qid": question.qid,
            "question": question.text,
            "answers": [t for t, _ in question.answers],
            "doc": question.doc,
            "source": source.name,
            "gold_retrieved": retrieved_gold,
            "candidates": candidates,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--train-dir",
        type=Path,
        default=Path("../shared/eval/public-qa/train"),
        help="folder of the SQuAD-format training files (default %(default)s)",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("data/selector"),
        help="where each source's index and candidate lists are written (default %(default)s)",
    )
    parser.add_argument("--limit", type=int, help="questions per source (a smoke run)")
    parser.add_argument(
        "--sources",
        nargs="*",
        default=list(SOURCES.values()),
        help="which sources to build lists for (default: all of %(default)s)",
    )
    parser.add_argument(
        "--retrieval-depth",
        type=int,
        default=20,
        help="paragraphs each of the vector and keyword searches hands to fusion; 20 is what "
        "the shipped selector's lists were built with (the service now reads 100)",
    )
    parser.add_argument(
        "--sentence-scores",
        choices=("on", "off"),
        default="off",
        help="score paragraphs in the vector search by their best sentence too "
        "(retrieval.sentence_scores, on in the service); off is what the shipped selector's "
        "lists were built with",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    settings = Settings(data_dir=args.work_dir, generation=GenerationSettings(backend="none"))
    # only the depth is set here; any other QA_RETRIEVAL__* from the environment still applies
    depth = {
        "dense_k": args.retrieval_depth,
        "lexical_k": args.retrieval_depth,
        "sentence_scores": args.sentence_scores == "on",
    }
    settings = settings.model_copy(
        update={"retrieval": settings.retrieval.model_copy(update=depth)}
    )
    # index builds embed with torch (batch throughput), questions with ONNX (as the server)
    builder = SentenceTransformerEmbedder(
        settings.index.embedding_model, batch_size=settings.index.embed_batch_size
    )
    embedder = SentenceTransformerEmbedder(
        settings.index.embedding_model, onnx_dir=args.work_dir / "onnx", threads=1
    )
    for filename, name in SOURCES.items():
        if name not in args.sources:
            continue
        source = read_source(args.train_dir / filename, name)
        if args.limit:
            docs = {q.doc for q in source.questions[: args.limit]}
            source.articles = {d: a for d, a in source.articles.items() if d in docs}
        corpus_dir = args.work_dir / "corpora" / name
        index_dir = args.work_dir / "indexes" / name
        write_corpus(source, corpus_dir)
        print(
            f"{name}: {len(source.articles)} articles, {len(source.questions)} questions; "
            "indexing …",
            flush=True,
        )
        rebuild_index(
            corpus_dir,
            index_dir,
            embedder=builder,
            dense_settings=settings.index,
            near_duplicate_threshold=None,
        )
        version = current_version(index_dir)
        assert version is not None
        corpus = CorpusIndex.load(version)
        retriever = Retriever(
            embedder=embedder,
            dense=vector_search(corpus, settings.retrieval),
            lexical=corpus.lexical,
            paragraphs=corpus.paragraphs,
            settings=settings.retrieval,
        )
        lists = list(candidate_lists(source, corpus, retriever, args.limit))
        out = args.work_dir / f"{name}.pkl"
        with out.open("wb") as handle:
            pickle.dump(lists, handle)
        record_options(
            args.work_dir,
            name,
            {"retrieval_depth": args.retrieval_depth, "sentence_scores": args.sentence_scores},
        )
        positives = sum(any(c["label"] == 1 for c in q["candidates"]) for q in lists)
        retrieved = sum(q["gold_retrieved"] for q in lists)
        print(
            f"{name}: {len(lists)} questions, {positives} with a labelled answer sentence, "
            f"gold paragraph retrieved for {retrieved} → {out}",
            flush=True,
        )
    return 0


LIST_OPTIONS = "lists.json"


def record_options(work_dir: Path, source: str, options: dict[str, Any]) -> None:
    """Note in `<work-dir>/lists.json` the options `source`'s lists were built with (other
    sources' entries kept: they may come from other runs)."""
    path = work_dir / LIST_OPTIONS
    recorded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    recorded[source] = options
    path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    run_cli(main)
