#!/usr/bin/env python
"""Compare embedding backends for the bundled MiniLM: speed and whether retrieval stays the same.

    pip install -e ".[bench]"   # openvino (onnxruntime is a runtime dependency already)
    python scripts/embedding_backends.py [--corpus seeds] [--questions ../shared/eval/dev.jsonl]
                                         [--passes 3] [--threads 2] [--json]

Backends (all from the same bundled weights, exported locally, nothing downloaded):

- `torch`: sentence-transformers as the service runs it (`SentenceTransformerEmbedder`);
- `onnx`: the transformer exported with `torch.onnx.export`, run by onnxruntime, with the same
  tokenizer, mean pooling and L2 normalisation as the sentence-transformers pipeline;
- `onnx-int8`: that ONNX file with dynamic int8 weight quantisation
  (`onnxruntime.quantization.quantize_dynamic`);
- `openvino`: the fp32 ONNX file compiled by OpenVINO for the CPU (if `openvino` is installed).

sentence-transformers' own `backend="onnx"` / `"openvino"` needs `optimum-onnx` /
`optimum-intel`; on this project's pins those would downgrade sentence-transformers and
transformers (optimum-onnx 0.1 wants transformers < 4.58) or reinstall torch (optimum-intel), so
the export is done with the libraries underneath them instead.

For each backend it reports paragraphs/s over the corpus paragraphs (`--passes` timed passes
after one warm-up pass, batch size as configured), single-question latency p50, the largest
cosine distance from the torch vectors, and top-10 agreement: for each question, the ten
nearest paragraphs by exact cosine with that backend's vectors compared with torch's (identical
top-10 lists, identical top-10 sets, and mean overlap).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from qa.settings import Settings  # noqa: E402
from scripts.cli import run_cli  # noqa: E402

TOP = 10
EmbedFn = Callable[[Sequence[str]], np.ndarray]


def corpus_paragraphs(folder: Path) -> list[str]:
    from index.corpus import read_corpus
    from qa.paragraphs import split_paragraphs

    articles, _ = read_corpus(folder)
    return [p.text for a in articles for p in split_paragraphs(a)]


def read_questions(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


class OnnxRunner:
    """Tokenise, run an ONNX (or OpenVINO-compiled) transformer, mean-pool, L2-normalise:
    the steps of the sentence-transformers pipeline for MiniLM."""

    def __init__(self, tokenizer: Any, max_length: int, run: Callable[[dict], np.ndarray]):
        self._tokenizer = tokenizer
        self._max_length = max_length
        self._run = run

    def embed(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        # longest first, like sentence-transformers, so a batch holds similar lengths
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), 0), dtype=np.float32)
        parts: list[np.ndarray] = []
        for i in range(0, len(texts), batch_size):
            batch = [texts[j] for j in order[i : i + batch_size]]
            enc = self._tokenizer(
                batch,
                padding=True,
                truncation=True,
                max_length=self._max_length,
                return_tensors="np",
            )
            feed = {k: v.astype(np.int64) for k, v in enc.items()}
            hidden = self._run(feed)
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
            parts.append(pooled.astype(np.float32))
        if parts:
            out = np.vstack(parts)
            out[order] = out.copy()
        return out


def export_onnx(model: Any, folder: Path) -> tuple[Path, Path]:
    """fp32 and int8 ONNX files of the sentence-transformers model's transformer."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Encoder(torch.nn.Module):  # positional inputs, one output: what the exporter traces
        def __init__(self, transformer: Any) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs: Any) -> Any:
            named = dict(zip(names, inputs, strict=True))
            return self.transformer(**named, return_dict=True).last_hidden_state

    fp32, int8 = folder / "model.onnx", folder / "model_int8.onnx"
    enc = model.tokenizer(["an example sentence"], return_tensors="pt")
    names = list(enc.keys())
    dynamic = {name: {0: "batch", 1: "tokens"} for name in names}
    dynamic["last_hidden_state"] = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            Encoder(model[0].auto_model.eval()),
            tuple(enc[name] for name in names),
            str(fp32),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=dynamic,
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return fp32, int8


def onnx_runner(path: Path, tokenizer: Any, max_length: int, threads: int) -> OnnxRunner:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    wanted = {i.name for i in session.get_inputs()}

    def run(feed: dict) -> np.ndarray:
        return np.asarray(session.run(None, {k: v for k, v in feed.items() if k in wanted})[0])

    return OnnxRunner(tokenizer, max_length, run)


def openvino_runner(path: Path, tokenizer: Any, max_length: int, threads: int) -> OnnxRunner:
    import openvino as ov

    core = ov.Core()
    compiled = core.compile_model(
        str(path), "CPU", {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY"}
    )
    wanted = {i.get_any_name() for i in compiled.inputs}

    def run(feed: dict) -> np.ndarray:
        result = compiled({k: v for k, v in feed.items() if k in wanted})
        return np.asarray(result[compiled.outputs[0]])

    return OnnxRunner(tokenizer, max_length, run)


def top_rows(questions: np.ndarray, paragraphs: np.ndarray) -> list[list[int]]:
    scores = questions @ paragraphs.T
    return [list(np.argsort(-row, kind="stable")[:TOP]) for row in scores]


def measure(
    name: str,
    embed: EmbedFn,
    paragraphs: list[str],
    questions: list[str],
    passes: int,
) -> dict[str, Any]:
    embed(paragraphs[:64])  # warm-up
    seconds = []
    vectors = np.zeros((0,))
    for _ in range(passes):
        started = time.perf_counter()
        vectors = embed(paragraphs)
        seconds.append(time.perf_counter() - started)
    single = []
    for question in questions:
        started = time.perf_counter()
        embed([question])
        single.append((time.perf_counter() - started) * 1000)
    return {
        "backend": name,
        "paragraphs_per_s": round(len(paragraphs) / statistics.median(seconds), 1),
        "query_ms_p50": round(statistics.median(single), 2),
        "paragraph_vectors": vectors,
        "question_vectors": embed(questions),
    }


def compare(rows: list[dict[str, Any]]) -> None:
    base = rows[0]
    base_top = top_rows(base["question_vectors"], base["paragraph_vectors"])
    for row in rows:
        top = top_rows(row["question_vectors"], row["paragraph_vectors"])
        overlaps = [len(set(a) & set(b)) / TOP for a, b in zip(top, base_top, strict=True)]
        cosines = np.sum(row["paragraph_vectors"] * base["paragraph_vectors"], axis=1)
        row["speed_vs_torch"] = round(row["paragraphs_per_s"] / base["paragraphs_per_s"], 2)
        row["top10_identical_lists"] = sum(a == b for a, b in zip(top, base_top, strict=True))
        row["top10_identical_sets"] = sum(
            set(a) == set(b) for a, b in zip(top, base_top, strict=True)
        )
        row["top10_mean_overlap"] = round(float(np.mean(overlaps)), 3)
        row["max_cosine_distance"] = float(f"{float(1 - cosines.min()):.2e}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=ROOT / "seeds", help="folder of articles to embed"
    )
    parser.add_argument(
        "--questions",
        type=Path,
        default=ROOT.parent / "shared/eval/dev.jsonl",
        help="question file (JSON lines with a question field) whose questions are embedded",
    )
    parser.add_argument(
        "--passes", type=int, default=3, help="timed passes per backend (default %(default)s)"
    )
    parser.add_argument("--threads", type=int, default=2, help="threads for every backend")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.passes < 1 or args.threads < 1:
        parser.error("--passes and --threads must be at least 1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(args.threads)
    settings = Settings()
    batch = settings.index.embed_batch_size
    paragraphs = corpus_paragraphs(args.corpus)
    questions = read_questions(args.questions)
    print(
        f"{len(paragraphs)} paragraphs, {len(questions)} questions, {args.threads} threads, "
        f"batch {batch}, cpus {os.cpu_count()}, load {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    embedder = SentenceTransformerEmbedder(settings.index.embedding_model, batch_size=batch)
    model = embedder.warm_up()
    tokenizer = model.tokenizer
    # the model's own limit (256 for MiniLM); its tokenizer's if the model states none
    max_length = int(model.max_seq_length or tokenizer.model_max_length)
    rows = [measure("torch", embedder.embed, paragraphs, questions, args.passes)]
    with tempfile.TemporaryDirectory(prefix="qa-onnx-") as scratch:
        fp32, int8 = export_onnx(model, Path(scratch))
        sizes = {"onnx": fp32.stat().st_size, "onnx-int8": int8.stat().st_size}
        runners: dict[str, Callable[[], OnnxRunner]] = {
            "onnx": lambda: onnx_runner(fp32, tokenizer, max_length, args.threads),
            "onnx-int8": lambda: onnx_runner(int8, tokenizer, max_length, args.threads),
            "openvino": lambda: openvino_runner(fp32, tokenizer, max_length, args.threads),
        }
        for name, make in runners.items():
            try:
                runner = make()
            except ImportError as exc:
                print(f"{name}: skipped ({exc})", file=sys.stderr)
                continue
            embed: EmbedFn = functools.partial(runner.embed, batch_size=batch)
            rows.append(measure(name, embed, paragraphs, questions, args.passes))
    compare(rows)
    for row in rows:
        row.pop("paragraph_vectors")
        row.pop("question_vectors")
        if row["backend"] in sizes:
            row["model_mib"] = round(sizes[row["backend"]] / 2**20, 1)
    if args.json:
        print(json.dumps(rows))
        return 0
    header = (
        f"{'backend':<10} {'paragraphs/s':>12} {'vs torch':>8} {'query ms':>9} "
        f"{'top10 same list':>15} {'same set':>8} {'overlap':>7} {'max cos dist':>12}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['backend']:<10} {r['paragraphs_per_s']:>12} {r['speed_vs_torch']:>8} "
            f"{r['query_ms_p50']:>9} {r['top10_identical_lists']:>9}/{len(questions):<5} "
            f"{r['top10_identical_sets']:>5}/{len(questions):<2} {r['top10_mean_overlap']:>7} "
            f"{r['max_cosine_distance']:>12}"
        )
    return 0


if __name__ == "__main__":
    run_cli(main)
