#!/usr/bin/env python
"""Ask every question of a question set and score the answers.

    python scripts/evaluate.py --questions ../shared/eval/dev.jsonl [--url http://127.0.0.1:8000]
                               [--out results.jsonl] [--json] [--data-dir DIR]

In-process (default) it loads the service from the same settings as the server (QA_* env vars);
with --url it asks a running server over HTTP instead.

A question with a `history` (a list of earlier questions) is a follow-up: the earlier questions
are asked first, in order, each with the conversation so far and the service's own answers,
and only the last is judged (and timed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from qa.evaluation import Judgement, judge, summarise  # noqa: E402
from scripts.cli import UsageError, read_questions, run_cli  # noqa: E402

Asker = Callable[[str, list[dict[str, str]]], dict[str, Any]]
ANSWER_STATUSES = ("answered", "insufficient_evidence")


def _asker(args: argparse.Namespace) -> Asker:
    if args.url:
        import httpx

        client = httpx.Client(base_url=args.url, timeout=120)

        def ask_http(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
            response = client.post("/ask", json={"question": question, "history": history})
            if response.is_error:  # recorded as a failed question; the run goes on
                return {"status": f"http {response.status_code}", "answer": response.text}
            return dict(response.json())

        return ask_http

    from api.service import QAService
    from qa.errors import IndexNotBuilt
    from qa.models import Turn
    from qa.settings import Settings

    settings = Settings() if args.data_dir is None else Settings(data_dir=args.data_dir)
    if not (settings.data_dir / "index" / "current").exists():  # before any model is exported
        raise IndexNotBuilt(
            f"no index in {settings.data_dir}: build one with "
            f"python scripts/rebuild_index.py FOLDER --data-dir {settings.data_dir}"
        )
    service = QAService.load(settings)
    return lambda question, history: service.ask(
        question, [Turn(**turn) for turn in history]
    ).model_dump()


def converse(ask: Asker, earlier: list[str]) -> list[dict[str, str]]:
    """The conversation the service holds after being asked `earlier` in order."""
    history: list[dict[str, str]] = []
    for question in earlier:
        answer = ask(question, history)
        # a failed request (an HTTP error) said nothing: its body is not an answer to carry
        given = answer.get("answer") if answer.get("status") in ANSWER_STATUSES else None
        history.append({"question": question, "answer": str(given or "")})
    return history


def retrieval_recall(questions: list[dict[str, Any]], data_dir: Path | None) -> dict[str, Any]:
    """Recall@k of the evidence paragraph for dense, BM25 and fused rankings (in-process)."""
    from api.service import QAService
    from qa.evaluation import contains
    from qa.settings import Settings

    overrides: dict[str, Any] = {"generation": {"backend": "none"}}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    service = QAService.load(Settings(**overrides))
    paragraphs = service.corpus.paragraphs
    ks = (1, 3, 5, 10)
    hits: dict[str, dict[int, int]] = {m: dict.fromkeys(ks, 0) for m in ("dense", "bm25", "fused")}
    answerable = [q for q in questions if q["kind"] != "unanswerable"]
    for q in answerable:
        ranked = service.retriever.rankings(q["question"])
        for method, ranking in (("dense", ranked.dense), ("bm25", ranked.lexical),
                                ("fused", ranked.fused)):  # fmt: skip
            rows = [r for r, _ in ranking]
            first = next(
                (i for i, r in enumerate(rows) if any(
                    paragraphs[r].doc_id == e["doc"] and "text" in e  # a detail names none
                    and contains(paragraphs[r].text, e["text"])
                    for e in q["evidence"])),
                None,
            )  # fmt: skip
            for k in ks:
                hits[method][k] += first is not None and first < k
    return {
        m: {f"recall@{k}": round(v / len(answerable), 4) for k, v in per_k.items()}
        for m, per_k in hits.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--questions", type=Path, required=True, help="question set, one JSON object per line"
    )
    parser.add_argument("--url", help="ask a running server instead of loading in-process")
    parser.add_argument(
        "--out",
        type=Path,
        help="write one JSON line per question here (as OUT.partial until the run ends)",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.add_argument(
        "--data-dir", type=Path, help="data directory holding index/ (default: QA_DATA_DIR)"
    )
    parser.add_argument(
        "--retrieval",
        action="store_true",
        help="only measure retrieval: evidence recall@k for dense, BM25 and fused rankings",
    )
    args = parser.parse_args()
    if args.retrieval and args.url:
        raise UsageError(
            "--retrieval ranks with the index in --data-dir, in this process; a server at --url "
            "is not asked: leave out --url (or --retrieval, to measure the server's answers)"
        )

    questions = read_questions(args.questions, needs=("id", "kind", "question"))
    for q in questions:
        earlier = q.get("history", [])
        if not isinstance(earlier, list) or not all(
            isinstance(e, str) and e.strip() for e in earlier
        ):
            raise UsageError(f"{args.questions}: {q['id']}: history must be a list of questions")
        if earlier and args.retrieval:
            raise UsageError(
                f"{args.questions}: {q['id']}: --retrieval ranks questions on their own; "
                "a follow-up (a question with a history) is measured by the whole run"
            )
    if args.retrieval:
        recall = retrieval_recall(questions, args.data_dir)
        if args.json:
            print(json.dumps(recall))
        else:
            print(f"{'ranking':<8} " + " ".join(f"{k:>10}" for k in next(iter(recall.values()))))
            for method, row in recall.items():
                print(f"{method:<8} " + " ".join(f"{v:>10.1%}" for v in row.values()))
        return 0
    ask = _asker(args)
    judgements: list[Judgement] = []
    # written as OUT.partial and renamed when every question is in: an interrupted run
    # leaves no file that looks complete
    partial = args.out.with_name(args.out.name + ".partial") if args.out else None
    out = partial.open("w", encoding="utf-8") if partial else None
    for q in questions:
        history = converse(ask, q.get("history", []))
        started = time.perf_counter()
        response = ask(q["question"], history)
        latency = time.perf_counter() - started
        j = judge(q, response, latency)
        judgements.append(j)
        if out:
            row = {
                "id": q["id"],
                "kind": q["kind"],
                "question": q["question"],
                **({"history": history} if history else {}),
                "rewritten_question": response.get("rewritten_question"),
                "answer": response.get("answer"),
                "status": response.get("status"),
                "correct": j.correct,
                "short_answer": response.get("short_answer"),
                "evidence_score": response.get("evidence_score"),
                "asked_kind": response.get("asked_kind"),
                "holds_asked_kind": response.get("holds_asked_kind"),
                "reason": response.get("reason"),
                "citations": response.get("citations", []),
                "retrieved": response.get("retrieved", []),
                "latency_s": round(latency, 3),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        if not args.json:
            mark = "ok " if j.correct else "BAD"
            answer = " ".join(str(response.get("answer", "")).split())
            print(f"{mark} {q['id']:<12} {response.get('status', '?'):<22} {answer[:110]}")
    if out and partial and args.out:
        out.close()
        partial.replace(args.out)
    summary = summarise(judgements)
    if args.json:
        print(json.dumps(summary))
    else:
        print()
        for key, value in summary.items():
            shown = (
                f"{value:.1%}"
                if isinstance(value, float)
                and key.endswith(("accuracy", "precision", "recall", "_low", "_high"))
                else value
            )
            print(f"{key:<22} {shown}")
    return 0


if __name__ == "__main__":
    run_cli(main)
