#!/usr/bin/env python
"""Run the evaluation command under several settings and print one Markdown table.

    python scripts/compare_settings.py --set seeds=../shared/eval/dev.jsonl:data \\
        --set nyt=../shared/eval/nyt-dev/nyt-dev.jsonl:data-nyt [--config NAME=K=V,K=V ...]

Each --set is NAME=QUESTIONS:DATA_DIR (an index already built there). Each --config is a name
and QA_* settings; without --config the default comparison below is run (the rules left in
the answer path switched off one at a time, the selector's shortlist, and generate mode).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_CONFIGS: dict[str, dict[str, str]] = {
    "default (extract mode)": {},
    "no trimming": {"QA_ANSWER__MAX_ANSWER_WORDS": "1000"},
    "echoes kept": {"QA_EVIDENCE__DROP_ECHOES": "false"},
    "selector reads 10 candidates": {"QA_ANSWER__SELECTOR_CANDIDATES": "10"},
    "selector reads 40 candidates": {"QA_ANSWER__SELECTOR_CANDIDATES": "40"},
    "generate mode, gemma-3-270m": {"QA_GENERATION__BACKEND": "llama_cpp"},
    "generate mode, smollm2-135m chat": {
        "QA_GENERATION__BACKEND": "llama_cpp",
        "QA_GENERATION__GGUF_PATH": "bundled:smollm2-135m-instruct",
        "QA_GENERATION__PROMPT_FORMAT": "chat",
    },
}
COLUMNS = [
    ("answer_accuracy", "acc"),
    ("abstention_accuracy", "abst"),
    ("citation_precision", "cite P"),
    ("evidence_recall", "ev R"),
    ("median_answer_words", "words"),
    ("claims_kept", "kept"),
    ("claims_removed", "removed"),
    ("latency_p50_s", "p50 s"),
]


def run(questions: str, data_dir: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "evaluate.py"), "--questions", questions,
         "--data-dir", data_dir, "--json"],
        env={**os.environ, "HF_HUB_OFFLINE": "1", **env}, cwd=ROOT, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", required=True, help="NAME=QUESTIONS:DATA_DIR")
    parser.add_argument("--config", action="append", default=[], help="NAME=K=V,K=V")
    parser.add_argument(
        "--only", action="append", default=[], help="run only this default configuration (by name)"
    )
    args = parser.parse_args()
    for spec in args.set:
        name, _, where = spec.partition("=")
        if not name or ":" not in where:
            parser.error(f"--set takes NAME=QUESTIONS:DATA_DIR, got {spec!r}")
    sets = [(n, *spec.split(":", 1)) for n, spec in (s.split("=", 1) for s in args.set)]
    if unknown := set(args.only) - set(DEFAULT_CONFIGS):
        parser.error(
            f"--only: no configuration {', '.join(sorted(unknown))}; "
            f"there are {', '.join(DEFAULT_CONFIGS)}"
        )
    configs = {n: c for n, c in DEFAULT_CONFIGS.items() if not args.only or n in args.only}
    if args.config:
        configs = {}
        for item in args.config:
            name, _, pairs = item.partition("=")
            configs[name] = dict(p.split("=", 1) for p in pairs.split(",") if p)
    header = ["setting"]
    header += [f"{set_name} {label}" for set_name, _, _ in sets for _, label in COLUMNS]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, env in configs.items():
        cells = [name]
        for _, questions, data_dir in sets:
            summary = run(questions, data_dir, env)
            for key, _ in COLUMNS:
                value = summary[key]
                is_ratio = key.endswith(("accuracy", "precision", "recall"))
                cells.append(f"{value:.1%}" if is_ratio else f"{value:g}")
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    run_cli(main)
