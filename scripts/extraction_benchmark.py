#!/usr/bin/env python
"""How well the project pulls the article out of saved web pages, and how fast.

    python scripts/extraction_benchmark.py DIR [--out FILE] [--variants]

DIR holds gzipped pages (`*.html.gz`, directly or in `DIR/html/`) and `ground-truth.json`,
`{page_id: {"articleBody": ..., "url": ...}}` where page_id is a file name without `.html.gz`:
the format of the article-extraction benchmark (Scrapinghub). Every page goes through the
project's own ingestion, `index.formats.read_article_file`, the function index builds run,
and its article text is scored against `articleBody` with that benchmark's measure (4-token
shingles, precision and recall averaged over pages, F1 of the two; qa/shingles.py).

It prints precision, recall, F1 and milliseconds per page (reading, decompressing, decoding,
extracting; after one warm-up page), as wall-clock time and as the CPU time the work took (the
same on an idle machine; on a busy one the wall clock also counts waiting for a core).
`--out FILE` writes what was extracted as `{page_id: {"articleBody": ...}}`, the ground
truth's own format, to score with another tool.
`--variants` also scores trafilatura's options and each step of the project's own
post-processing, one at a time, as a Markdown table (docs/extraction.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from index.formats import read_article_file  # noqa: E402
from qa.extraction import DEFAULT_OPTIONS, ExtractionOptions  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.shingles import Scores, aggregate, score_page  # noqa: E402
from scripts.cli import run_cli  # noqa: E402

SUFFIX = ".html.gz"
# trafilatura.extract()'s defaults, read through the project's rendering of its tree
TRAFILATURA_DEFAULTS = ExtractionOptions(
    favor_precision=False, fast=False, include_comments=True, recall_fallback=False,
    line_rules=False,
)  # fmt: skip
VARIANTS: list[tuple[str, ExtractionOptions]] = [
    ("trafilatura defaults", TRAFILATURA_DEFAULTS),
    ("+ include_comments=False", replace(TRAFILATURA_DEFAULTS, include_comments=False)),
    ("+ favor_precision", replace(TRAFILATURA_DEFAULTS, include_comments=False,
                                  favor_precision=True)),
    ("+ favor_recall", replace(TRAFILATURA_DEFAULTS, include_comments=False, favor_recall=True)),
    ("+ fast (no readability/jusText fallbacks)", replace(TRAFILATURA_DEFAULTS,
                                                          include_comments=False, fast=True)),
    ("+ favor_precision + fast", replace(TRAFILATURA_DEFAULTS, include_comments=False,
                                         favor_precision=True, fast=True)),
    ("+ favor_precision + fast + recall fallback", replace(DEFAULT_OPTIONS, line_rules=False)),
    ("project (all of the above + line rules)", DEFAULT_OPTIONS),
    ("project, fast=False (trafilatura's fallbacks too)", replace(DEFAULT_OPTIONS, fast=False)),
    ("project, include_tables=False", replace(DEFAULT_OPTIONS, include_tables=False)),
    ("project, include_comments=True", replace(DEFAULT_OPTIONS, include_comments=True)),
    ("project, deduplicate=True", replace(DEFAULT_OPTIONS, deduplicate=True)),
    ("project, headings dropped", replace(DEFAULT_OPTIONS, drop_headings=True)),
]  # fmt: skip


@dataclass
class Run:
    scores: Scores
    ms_per_page: list[float]  # wall-clock
    cpu_ms_per_page: list[float]  # this thread's CPU time: what the page costs on a busy machine
    extracted: dict[str, str]
    skipped: list[str]


def pages_in(folder: Path) -> dict[str, Path]:
    """page_id -> file, from `folder/html/` if it exists, else from `folder` itself."""
    html = folder / "html"
    where = html if html.is_dir() else folder
    return {p.name[: -len(SUFFIX)]: p for p in sorted(where.glob(f"*{SUFFIX}"))}


def run(
    pages: dict[str, Path],
    truth: dict[str, dict[str, str]],
    *,
    max_bytes: int,
    options: ExtractionOptions,
) -> Run:
    first = next(iter(pages.values()))
    read_article_file(first, max_bytes=max_bytes, extraction=options)  # warm-up, not timed
    extracted: dict[str, str] = {}
    times: list[float] = []
    cpu: list[float] = []
    skipped: list[str] = []
    for page_id, path in pages.items():
        started, cpu_started = time.perf_counter(), time.thread_time()
        found = read_article_file(path, max_bytes=max_bytes, extraction=options)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - cpu_started) * 1000)
        extracted[page_id] = found.articles[0].text if found.articles else ""
        skipped.extend(found.warnings)
    scores = aggregate(
        [score_page(truth[p].get("articleBody", ""), text) for p, text in extracted.items()]
    )
    return Run(scores, times, cpu, extracted, skipped)


def report(result: Run) -> str:
    times = result.ms_per_page
    lines = [
        f"pages          {len(times)}",
        f"precision      {result.scores.precision:.4f}",
        f"recall         {result.scores.recall:.4f}",
        f"f1             {result.scores.f1:.4f}",
        f"ms_per_page    {statistics.mean(times):.1f} mean, {statistics.median(times):.1f} "
        f"median, {max(times):.1f} max (wall clock)",
        f"cpu_ms_per_page {statistics.mean(result.cpu_ms_per_page):.1f} mean (CPU time of the "
        "extracting thread)",
        f"skipped        {len(result.skipped)}",
    ]
    return "\n".join(lines + [f"  {w}" for w in result.skipped])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("folder", type=Path, help="pages (*.html.gz) and ground-truth.json")
    parser.add_argument("--out", type=Path, help="write the extracted bodies here (JSON)")
    parser.add_argument("--variants", action="store_true", help="also score option variants")
    args = parser.parse_args()

    truth_file = args.folder / "ground-truth.json"
    if not truth_file.is_file():
        parser.error(f"{truth_file} does not exist")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = {p: path for p, path in pages_in(args.folder).items() if p in truth}
    missing = sorted(set(truth) - set(pages))
    if not pages:
        parser.error(f"no *{SUFFIX} page of ground-truth.json in {args.folder} or its html/")
    if missing:
        print(f"warning: {len(missing)} pages of the ground truth are missing", file=sys.stderr)
    max_bytes = Settings().index.max_document_bytes

    result = run(pages, truth, max_bytes=max_bytes, options=DEFAULT_OPTIONS)
    print(report(result))
    if args.out:
        body = {page_id: {"articleBody": text} for page_id, text in result.extracted.items()}
        args.out.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"extracted bodies written to {args.out}")
    if args.variants:
        print("\n| variant | precision | recall | F1 | CPU ms/page |\n|---|---|---|---|---|")
        for name, options in VARIANTS:
            variant = run(pages, truth, max_bytes=max_bytes, options=options)
            s = variant.scores
            print(
                f"| {name} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} | "
                f"{statistics.mean(variant.cpu_ms_per_page):.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    run_cli(main)
