#!/usr/bin/env python
"""What one very long paragraph costs: a text with no blank lines, sent to `POST /documents`.

    python scripts/long_paragraph_benchmark.py [--kb 300] [--repeat] [--corpus seeds] [--json]

A server (extractive answers, admin key) is started on an index of `--corpus` built in a
temporary folder. An article of about `--kb` kilobytes in one paragraph (sentences that each
hold a number) is added; meanwhile another client asks an unrelated question every two
seconds. Printed: the upload's time, the time of a question about the long article and of
one about the corpus after it, and the status and time of each question asked during the
upload (the server must keep answering them). Sentence splitting used to take time that grew
with the square of a paragraph's length (qa/sentences.py reads a long one in parts).
`--repeat` makes the paragraph one sentence repeated (a pasted block): every copy matches the
question, and the citation check once embedded each of them (qa/citations.py reads a text once).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.cli import print_figures, run_cli  # noqa: E402
from scripts.kill_rebuild import ADMIN_KEY, run_rebuild, start_server  # noqa: E402

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
SENTENCE = "The Vossberg dam audit listed {i} cracks in section {s} and flagged pumps."
ABOUT_IT = "How many cracks did the Vossberg dam audit list in section 5?"


def long_text(kb: int, *, repeat: bool = False) -> str:
    """One paragraph of about `kb` kilobytes: sentences that differ, or (`repeat`) one sentence,
    the one `ABOUT_IT` asks about, over and over."""
    sentences: list[str] = []
    size = 0
    while size < kb * 1000:
        n = 7 if repeat else len(sentences)
        sentences.append(SENTENCE.format(i=n, s=5 if repeat else n % 97))
        size += len(sentences[-1]) + 1
    return " ".join(sentences)


def served_after(client: httpx.Client, began: float, limit_s: float = 120) -> float:
    """Seconds from `began` until the server answers from the newest index version."""
    while time.perf_counter() - began < limit_s:
        ready = client.get("/readyz").json()
        if ready.get("served_version") == ready.get("current_version"):
            break
        time.sleep(0.2)
    return round(time.perf_counter() - began, 2)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kb", type=int, default=300, help="the paragraph's size (default 300)")
    parser.add_argument(
        "--repeat",
        action="store_true",
        help="one sentence repeated instead of sentences that differ",
    )
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds",
                        help="the articles indexed before (default seeds/)")  # fmt: skip
    parser.add_argument("--question", default="Who is Maria Zakharova?",
                        help="asked of the corpus during the upload and after it")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not 1 <= args.kb <= 1000:
        parser.error("--kb must be 1–1000 (a body is at most 1 MiB by default)")
    text = long_text(args.kb, repeat=args.repeat)
    result: dict[str, Any] = {"paragraph_chars": len(text)}
    with tempfile.TemporaryDirectory(prefix="long-paragraph-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        if run_rebuild(corpus, work / "data", env, full=True).wait() != 0:
            raise SystemExit(f"could not index {args.corpus}")
        server = start_server(work / "data", work / "server.log", env, deadline_s=900)
        during: list[tuple[int, float]] = []
        uploading = threading.Event()
        uploading.set()

        def ask_meanwhile() -> None:
            with httpx.Client(base_url=server.url, timeout=120) as other:
                while uploading.is_set():
                    began = time.perf_counter()
                    answer = other.post("/ask", json={"question": args.question})
                    during.append((answer.status_code, round(time.perf_counter() - began, 2)))
                    time.sleep(2)

        try:
            with httpx.Client(base_url=server.url, timeout=3600) as client:
                client.post("/ask", json={"question": args.question})  # models warmed up
                asker = threading.Thread(target=ask_meanwhile)
                asker.start()
                body = {"title": "Vossberg dam audit", "text": text, "doc_id": "long-paragraph"}
                began = time.perf_counter()
                added = client.post("/documents", json=body, headers=ADMIN)
                result["upload_s"] = round(time.perf_counter() - began, 2)
                uploading.clear()
                asker.join()
                if added.status_code != 201:
                    raise SystemExit(f"upload got {added.status_code}: {added.text[:500]}")
                result["served_after_s"] = served_after(client, began)
                for name, question in (("long", ABOUT_IT), ("other", args.question)):
                    began = time.perf_counter()
                    answer = client.post("/ask", json={"question": question})
                    result[f"ask_{name}_s"] = round(time.perf_counter() - began, 2)
                    said = answer.json() if answer.status_code == 200 else {}
                    result[f"ask_{name}"] = said.get("status", f"http {answer.status_code}")
                    cited = {c.get("doc_id") for c in said.get("citations") or []}
                    result[f"ask_{name}_cites_long"] = "long-paragraph" in cited
        finally:
            server.stop()
    result["asked_during_upload"] = len(during)
    result["answered_during_upload"] = sum(status == 200 for status, _ in during)
    result["slowest_during_upload_s"] = max((seconds for _, seconds in during), default=None)
    print_figures(result, as_json=args.json)
    return 0


if __name__ == "__main__":
    run_cli(main)
