#!/usr/bin/env python
"""Run the evaluation command under several settings and print one Markdown table.

    python scripts/compare_settings.py --set seeds=../shared/eval/dev.jsonl:data \\
        --set nyt=../shared/eval/nyt-dev/nyt-dev.jsonl:data-nyt [--config NAME=K=V,K=V ...]

Each --set is NAME=QUESTIONS:DATA_DIR (an index already built there). Each --config is a name
and QA_* settings; without --config a default comparison of generators and k is run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_CONFIGS: dict[str, dict[str, str]] = {
    "no model (extractive)": {"QA_GENERATION__BACKEND": "none"},
    "gemma-3-270m, completion (default)": {},
    "smollm2-135m, completion": {"QA_GENERATION__GGUF_PATH": "bundled:smollm2-135m-instruct"},
    "smollm2-135m, chat template": {
        "QA_GENERATION__GGUF_PATH": "bundled:smollm2-135m-instruct",
        "QA_GENERATION__PROMPT_FORMAT": "chat",
    },
    "gemma, top_k=4 paragraphs": {"QA_RETRIEVAL__TOP_K": "4"},
    "gemma, top_k=12 paragraphs": {"QA_RETRIEVAL__TOP_K": "12"},
    "gemma, reader sees 3 sentences": {"QA_ANSWER__CANDIDATE_SENTENCES": "3"},
    "gemma, max 30 answer words": {"QA_ANSWER__MAX_ANSWER_WORDS": "30"},
}
COLUMNS = [
    ("answer_accuracy", "acc"),
    ("abstention_accuracy", "abst"),
    ("citation_precision", "cite P"),
    ("evidence_recall", "ev R"),
    ("median_answer_words", "words"),
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
    args = parser.parse_args()
    sets = [(n, *spec.split(":", 1)) for n, spec in (s.split("=", 1) for s in args.set)]
    configs = DEFAULT_CONFIGS
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
    raise SystemExit(main())
