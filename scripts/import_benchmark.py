#!/usr/bin/env python
"""How long `POST /documents/import` takes, and what it costs the server in memory.

    python scripts/import_benchmark.py --export ../shared/eval/nyt-dev/corpus [--corpus seeds]
                                       [--json]

A server (extractive answers, admin key) is started on an index of `--corpus` built in a
temporary folder. `--export` is an archive export (`.jsonl`, `.json`, `.csv`, `.tsv`) sent as
it is, or a folder of articles (`.txt`, saved pages) turned into one `.jsonl` export first
(title, text, date, source, author and address as the cleaner reads them). It is imported
once (the answer's time: reading, storing and the one incremental build, embedding included)
and then sent again (a retry: nothing to add). Printed: records, added, refused, paragraphs
embedded, both times, and the server's resident memory before, after and at its peak
(VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.file_kinds import ARCHIVE_SUFFIXES, article_files  # noqa: E402
from index.formats import read_article_file  # noqa: E402
from qa.settings import MAX_DOCUMENT_BYTES  # noqa: E402
from scripts.cli import print_figures, run_cli  # noqa: E402
from scripts.kill_rebuild import ADMIN_KEY, run_rebuild, start_server  # noqa: E402

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def export_of(source: Path) -> tuple[str, str]:
    """(name, content) of the export: an archive file as it is, or a folder's articles as one
    `.jsonl` (each read as a build reads the file)."""
    if source.is_file():
        return source.name, source.read_text(encoding="utf-8")
    lines = []
    for path in article_files(source):
        for article in read_article_file(path, max_bytes=MAX_DOCUMENT_BYTES).articles:
            record = {key: getattr(article, key) for key in
                      ("title", "text", "date", "source", "author", "url")}  # fmt: skip
            lines.append(json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False))
    return f"{source.name}.jsonl", "\n".join(lines) + "\n"


def memory_kib(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM")}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--export", type=Path, required=True,
                        help=f"an archive export ({', '.join(ARCHIVE_SUFFIXES)}) or a folder of "
                        "articles to turn into one")  # fmt: skip
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds",
                        help="the articles indexed before the import (default seeds/)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not args.export.exists():
        parser.error(f"--export {args.export} does not exist")
    name, content = export_of(args.export)
    result: dict[str, Any] = {"export": name, "export_bytes": len(content.encode("utf-8"))}
    with tempfile.TemporaryDirectory(prefix="import-benchmark-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "QA_SERVER__MAX_BODY_BYTES": str(max(1 << 20, 2 * result["export_bytes"])),
        }
        if run_rebuild(corpus, work / "data", env, full=True).wait() != 0:
            raise SystemExit(f"could not index {args.corpus}")
        server = start_server(work / "data", work / "server.log", env, deadline_s=900)
        try:
            with httpx.Client(base_url=server.url, timeout=3600) as client:
                client.post("/ask", json={"question": "What happened?"})  # models warmed up
                result["rss_before_mib"] = memory_kib(server.process.pid)["VmRSS"] // 1024
                body = {"name": name, "content": content}
                began = time.perf_counter()
                first = client.post("/documents/import", json=body, headers=ADMIN)
                result["import_s"] = round(time.perf_counter() - began, 2)
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
            server.stop()
        manifest = json.loads(
            (work / "data" / "index" / "current" / "manifest.json").read_text("utf-8")
        )
    result.update(
        records=len(report["added"]) + len(report["unchanged"]) + report["not_imported"],
        added=len(report["added"]),
        refused=report["not_imported"],
        paragraphs_embedded=manifest.get("changes", {}).get("embedded_paragraphs"),
        articles_served=index.get("articles"),
        rss_after_mib=memory["VmRSS"] // 1024,
        rss_peak_mib=memory["VmHWM"] // 1024,
    )
    print_figures(result, as_json=args.json)
    return 0


if __name__ == "__main__":
    run_cli(main)
