#!/usr/bin/env python
"""How long `POST /documents/import` takes, and what it costs the server in memory.

    python scripts/import_benchmark.py --export ../shared/eval/nyt-dev/corpus [--corpus seeds]
                                       [--json]

A server (extractive answers, admin key) is started on an index of `--corpus` built in a
temporary folder. `--export` is an archive export (`.jsonl`, `.json`, `.csv`, `.tsv`) sent as
it is, or a folder of articles (`.txt`, saved pages) turned into one `.jsonl` export first
(title, text, date, source, author and address as the cleaner reads them); a document
(`.pdf`, `.rtf`, `.docx`: a Nexis Uni export saved as PDF, say) is sent in base64. It is
imported once (the answer's time: reading, storing and the one incremental build, embedding
included) and then sent again (a retry: nothing to add). Printed: records, added, refused,
paragraphs embedded, both times, and the server's resident memory before, after and at its peak
(VmHWM), with the largest of its children (a long PDF is read by child processes).

`--ask-every S` measures what the import costs the rest of the server, as a researcher adding a
long export (`scripts/pdf_benchmark.py --nexis-export 100` prints one) while others ask would
see it: a client asks POST /ask every S seconds, first `--baseline` times before the import,
then all through it, and another asks GET /healthz every half second; printed are /ask's p50,
p95 and slowest answer before and during the import, how many failed, and /healthz's slowest.
The import's time is split by when the server's PDF-reading children ran (`reading_s`, from the
first seen to the last) and the rest (`after_reading_s`: cleaning, storing, embedding and
loading the new version). `--second-after S` sends the same import again from another client S
seconds into the first, and prints its status, time and what it was told. `--port` picks the
server's port (default a free one).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.file_kinds import ARCHIVE_SUFFIXES, BINARY_SUFFIXES, article_files  # noqa: E402
from index.formats import read_article_file  # noqa: E402
from qa.settings import MAX_DOCUMENT_BYTES  # noqa: E402
from scripts.cli import print_figures, run_cli  # noqa: E402
from scripts.kill_rebuild import ADMIN_KEY, run_rebuild, start_server  # noqa: E402

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
QUESTION = {"question": "What did the harbour crews do?"}  # any question: its time is measured


def export_of(source: Path) -> dict[str, str]:
    """The import's body: an archive file as it is, a document in base64, or a folder's
    articles as one `.jsonl` (each read as a build reads the file)."""
    if source.is_file() and source.name.lower().endswith(BINARY_SUFFIXES):
        encoded = base64.b64encode(source.read_bytes()).decode("ascii")
        return {"name": source.name, "content_base64": encoded}
    if source.is_file():
        return {"name": source.name, "content": source.read_text(encoding="utf-8")}
    lines = []
    for path in article_files(source):
        for article in read_article_file(path, max_bytes=MAX_DOCUMENT_BYTES).articles:
            record = {key: getattr(article, key) for key in
                      ("title", "text", "date", "source", "author", "url")}  # fmt: skip
            lines.append(json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False))
    return {"name": f"{source.name}.jsonl", "content": "\n".join(lines) + "\n"}


def memory_kib(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM")}


def children_of(pid: int) -> list[int]:
    """The server's child processes now (the PDF-reading children among them)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


@dataclass
class Watch:
    """What a thread saw while the import ran: the server's children (when they ran, the
    largest's memory) and the answers of the clients asking meanwhile."""

    pid: int
    url: str
    ask_every: float | None
    stop: threading.Event = field(default_factory=threading.Event)
    children_from: float | None = None
    children_to: float | None = None
    largest_child_kib: int = 0
    asks: list[tuple[float, float, int]] = field(default_factory=list)  # (sent, seconds, status)
    health: list[tuple[float, int]] = field(default_factory=list)  # (seconds, status)

    def children(self) -> None:
        while not self.stop.wait(0.2):
            alive = children_of(self.pid)
            if alive:
                now = time.perf_counter()
                self.children_from = self.children_from or now
                self.children_to = now
            for child in alive:
                try:
                    self.largest_child_kib = max(self.largest_child_kib, memory_kib(child)["VmHWM"])
                except (OSError, KeyError):
                    continue

    def ask(self, times: int | None = None) -> None:
        """Ask every `ask_every` seconds, `times` times or until stopped."""
        with httpx.Client(base_url=self.url, timeout=600) as client:
            while times is None or times > 0:
                sent = time.perf_counter()
                try:
                    status = client.post("/ask", json=QUESTION).status_code
                except httpx.HTTPError:
                    status = 0
                self.asks.append((sent, time.perf_counter() - sent, status))
                times = None if times is None else times - 1
                if self.stop.wait(max(0.0, (self.ask_every or 1.0) - (time.perf_counter() - sent))):
                    return

    def healthy(self) -> None:
        with httpx.Client(base_url=self.url, timeout=600) as client:
            while not self.stop.wait(0.5):
                sent = time.perf_counter()
                try:
                    status = client.get("/healthz").status_code
                except httpx.HTTPError:
                    status = 0
                self.health.append((time.perf_counter() - sent, status))


def latencies(asks: list[tuple[float, float, int]]) -> dict[str, object]:
    """p50, p95 and slowest of the answered questions, and how many were not answered."""
    ok = sorted(seconds for _, seconds, status in asks if status == 200)
    if len(ok) < 2:
        return {"asked": len(asks), "failed": len(asks) - len(ok)}
    cuts = statistics.quantiles(ok, n=20)
    return {
        "asked": len(asks),
        "failed": len(asks) - len(ok),
        "p50_s": round(statistics.median(ok), 3),
        "p95_s": round(cuts[18], 3),
        "max_s": round(ok[-1], 3),
    }


def second_import(url: str, body: dict[str, str], after_s: float, said: dict[str, object]) -> None:
    """The same import sent again by another client `after_s` seconds into the first."""
    time.sleep(after_s)
    began = time.perf_counter()
    with httpx.Client(base_url=url, timeout=3600) as client:
        answer = client.post("/documents/import", json=body, headers=ADMIN)
    said["second_import_status"] = answer.status_code
    said["second_import_s"] = round(time.perf_counter() - began, 2)
    said["second_import_said"] = answer.text[:400]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--export", type=Path, required=True,
                        help=f"an archive export ({', '.join(ARCHIVE_SUFFIXES)}), a document "
                        f"({', '.join(BINARY_SUFFIXES)}) or a folder of articles to turn into "
                        "an export")  # fmt: skip
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds",
                        help="the articles indexed before the import (default seeds/)")  # fmt: skip
    parser.add_argument(
        "--ask-every",
        type=float,
        metavar="S",
        help="ask POST /ask every S seconds before and during the import",
    )
    parser.add_argument(
        "--baseline",
        type=int,
        default=10,
        help="questions asked before the import (with --ask-every; default 10)",
    )
    parser.add_argument(
        "--second-after",
        type=float,
        metavar="S",
        help="send the same import again S seconds into the first",
    )
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: free)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not args.export.exists():
        parser.error(f"--export {args.export} does not exist")
    body = export_of(args.export)
    sent = body.get("content") or body.get("content_base64") or ""
    result: dict[str, Any] = {"export": body["name"], "export_bytes": len(sent.encode("utf-8"))}
    with tempfile.TemporaryDirectory(prefix="import-benchmark-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        body_bytes = str(max(1 << 20, 2 * result["export_bytes"]))
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "QA_SERVER__MAX_BODY_BYTES": body_bytes,
            "QA_SERVER__MAX_IMPORT_BODY_BYTES": str(max(16 << 20, int(body_bytes))),
        }
        if run_rebuild(corpus, work / "data", env, full=True).wait() != 0:
            raise SystemExit(f"could not index {args.corpus}")
        server = start_server(
            work / "data", work / "server.log", env, deadline_s=900, port=args.port
        )
        watch = Watch(server.process.pid, server.url, args.ask_every)
        threads: list[threading.Thread] = []
        try:
            with httpx.Client(base_url=server.url, timeout=3600) as client:
                client.post("/ask", json=QUESTION)  # models warmed up
                result["rss_before_mib"] = memory_kib(server.process.pid)["VmRSS"] // 1024
                if args.ask_every:
                    watch.ask(args.baseline)
                    result["ask_before"] = latencies(watch.asks)
                    watch.asks.clear()
                    threads += [
                        threading.Thread(target=watch.ask),
                        threading.Thread(target=watch.healthy),
                    ]
                threads.append(threading.Thread(target=watch.children))
                if args.second_after is not None:
                    threads.append(threading.Thread(
                        target=second_import, args=(server.url, body, args.second_after, result)
                    ))  # fmt: skip
                for thread in threads:
                    thread.start()
                began = time.perf_counter()
                first = client.post("/documents/import", json=body, headers=ADMIN)
                ended = time.perf_counter()
                result["import_s"] = round(ended - began, 2)
                if watch.children_from is not None and watch.children_to is not None:
                    result["reading_s"] = round(watch.children_to - watch.children_from, 1)
                    result["after_reading_s"] = round(ended - watch.children_to, 1)
                    result["largest_child_mib"] = watch.largest_child_kib // 1024
                if args.ask_every:
                    result["ask_during"] = latencies([a for a in watch.asks if a[0] < ended])
                    slowest = max((s for s, _ in watch.health), default=0.0)
                    result["health_max_s"] = round(slowest, 3)
                    result["health_failed"] = sum(status != 200 for _, status in watch.health)
                if args.second_after is not None:
                    threads[-1].join()
                watch.stop.set()
                for thread in threads:
                    thread.join()
                if first.status_code not in (200, 201):
                    raise SystemExit(f"import got {first.status_code}: {first.text[:500]}")
                report = first.json()
                began = time.perf_counter()
                again = client.post("/documents/import", json=body, headers=ADMIN)
                result["retry_s"] = round(time.perf_counter() - began, 2)
                result["retry_status"] = again.status_code
                index = client.get("/admin/index", headers=ADMIN).json()
            memory = memory_kib(server.process.pid)
        finally:
            watch.stop.set()
            server.stop()
        manifest = json.loads(
            (work / "data" / "index" / "current" / "manifest.json").read_text("utf-8")
        )
    result.update(
        records=len(report["added"]) + len(report["unchanged"]) + report["not_imported"],
        added=len(report["added"]),
        refused=report["not_imported"],
        warnings=report["warnings"][:5],
        paragraphs_embedded=manifest.get("changes", {}).get("embedded_paragraphs"),
        sentences_embedded=manifest.get("changes", {}).get("embedded_sentences"),
        articles_served=index.get("articles"),
        rss_after_mib=memory["VmRSS"] // 1024,
        rss_peak_mib=memory["VmHWM"] // 1024,
    )
    print_figures(result, as_json=args.json)
    return 0


if __name__ == "__main__":
    run_cli(main)
