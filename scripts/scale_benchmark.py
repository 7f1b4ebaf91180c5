#!/usr/bin/env python
"""Retrieval at 10k, 100k and 1M paragraphs: build time, memory, recall, latency.

    python scripts/scale_benchmark.py [--sizes 10000,100000,1000000] [--queries 200]
                                      [--embed-sample 2000] [--approximate ivf,hnsw]
                                      [--ivf-probe 8,16,32,64,128] [--ef-search 32,64,128,256,512]
                                      [--seed 0] [--json]

Embedding 1M paragraphs with MiniLM on two CPU cores takes hours, so this script does not:

- **embedding**: the real `SentenceTransformerEmbedder` embeds `--embed-sample` synthetic
  paragraphs (measured paragraphs/s); the build time at each size is that rate extrapolated,
  and labelled `extrapolated`;
- **vectors**: each size gets synthetic unit vectors from a two-level mixture around real
  MiniLM vectors: the sample's vectors are the anchors; each anchor has 50 sub-centres
  (anchor + Gaussian noise, sigma 0.6, normalised); each paragraph vector is a random
  sub-centre + noise (sigma 0.4, normalised). So the index sees MiniLM's uneven geometry plus
  tight clusters (near neighbours that are really near), not uniform random points, and recall
  is meaningful. Queries: real MiniLM vectors of held-out question-like texts (`minilm`), and
  held-out draws from the same mixture (`held-out`);
- **BM25**: `BM25Store.build` (bm25s) on the real synthetic text at each size: build time,
  saved size, search latency.

Per size, in a fresh child process (so its peak memory is its own): exact search
(`IndexFlatIP`, the ground truth) and each `--approximate` kind are built with the settings'
build parameters (`ivf`: `IndexIVFFlat` with 4·√N lists; `hnsw`: `IndexHNSWFlat`, M and
efConstruction), all inner product; recall@10 against exact is measured for each `--ivf-probe`
(nprobe) or `--ef-search` value; then the full retrieval (query embedding + FAISS + BM25 +
fusion, the service's `Retriever`) runs with the index the settings choose at that size.
Latencies are single queries, one after another, p50/p95 (`statistics.quantiles`, inclusive).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.cli import UsageError, at_least, run_cli  # noqa: E402

sys.path.insert(0, str(ROOT / "scripts"))

import synthetic_corpus  # noqa: E402

from index.faiss_store import FaissStore, choose_kind  # noqa: E402
from qa.settings import IndexSettings, RetrievalSettings, Settings  # noqa: E402

SUB_CENTRES_PER_ANCHOR = 50
SIGMA_SUB, SIGMA_POINT = 0.6, 0.4
TOP = 10
HELD_OUT_START = 50_000_000  # synthetic paragraph numbers no corpus size reaches


def rss_mib(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def pct(values: Sequence[float]) -> dict[str, float]:
    if len(values) == 1:
        return {"p50": round(values[0], 2), "p95": round(values[0], 2)}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2)}


def timed_ms(call: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    call(*args)
    return (time.perf_counter() - started) * 1000


def folder_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- synthetic vectors -----------------------------------------------------------------------


def _unit(rows: np.ndarray) -> np.ndarray:
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows.astype(np.float32)


def sub_centres(anchors: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 1])
    d = anchors.shape[1]
    repeated = np.repeat(anchors, SUB_CENTRES_PER_ANCHOR, axis=0).astype(np.float64)
    return _unit(repeated + rng.standard_normal(repeated.shape) * SIGMA_SUB / np.sqrt(d))


def mixture_vectors(centres: np.ndarray, count: int, seed: int, stream: int) -> np.ndarray:
    """`count` unit vectors: a random sub-centre each, plus noise; chunked to bound memory."""
    rng = np.random.default_rng([seed, 2, stream])
    d = centres.shape[1]
    out = np.empty((count, d), dtype=np.float32)
    for start in range(0, count, 50_000):
        n = min(50_000, count - start)
        picked = centres[rng.integers(0, len(centres), n)].astype(np.float64)
        out[start : start + n] = _unit(
            picked + rng.standard_normal((n, d)) * SIGMA_POINT / np.sqrt(d)
        )
    return out


# --- parent: embedding sample, then one child per size ------------------------------------


def measure_embedding(sample: int, queries: int, seed: int, scratch: Path) -> dict[str, Any]:
    from index.embedder import SentenceTransformerEmbedder

    settings = Settings()
    embedder = SentenceTransformerEmbedder(
        settings.index.embedding_model, batch_size=settings.index.embed_batch_size
    )
    embedder.warm_up()
    texts = list(synthetic_corpus.paragraphs(sample, seed, start=HELD_OUT_START))
    embedder.embed(texts[:32])  # warm-up
    started = time.perf_counter()
    anchors = embedder.embed(texts)
    seconds = time.perf_counter() - started
    questions = [synthetic_corpus.question(seed, i) for i in range(queries)]
    single = [timed_ms(embedder.embed, [q]) for q in questions[:50]]
    np.save(scratch / "anchors.npy", anchors)
    np.save(scratch / "queries.npy", embedder.embed(questions))
    (scratch / "questions.json").write_text(json.dumps(questions))
    return {
        "sample_paragraphs": sample,
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "seconds": round(seconds, 1),
        "paragraphs_per_s": round(sample / seconds, 1),
        "query_embed_ms": pct(single),
    }


def run_child(size: int, args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--child", str(size), "--scratch", str(scratch),
        "--seed", str(args.seed), "--ef-search", args.ef_search, "--queries", str(args.queries),
        "--ivf-probe", args.ivf_probe, "--approximate", args.approximate,
    ]  # fmt: skip
    # the child's progress goes straight to stderr; its one JSON line comes on stdout
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- child: one size -------------------------------------------------------------------------


class LazyParagraphs(Sequence[Any]):
    """Paragraph records made on demand: the Retriever reads only the few it returns."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, row: Any) -> Any:
        from qa.models import Paragraph

        text = self._texts[row]
        return Paragraph(
            paragraph_id=f"syn:{row}", doc_id=f"syn_{row // 12}", index=row % 12, start=0,
            end=len(text), text=text, title="synthetic",
        )  # fmt: skip

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))


def say(message: str) -> None:
    print(f"[scale] {message}", file=sys.stderr, flush=True)


def measure_exact(
    vectors: np.ndarray,
    query_sets: dict[str, np.ndarray],
    timed_queries: np.ndarray,
    scratch: Path,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Exact search: its cost, and the true top-10 of every query (the recall reference)."""
    size = len(vectors)
    started = time.perf_counter()
    flat = FaissStore.build(vectors, IndexSettings(exact_search_max_paragraphs=size))
    build_s = time.perf_counter() - started
    truth = {
        name: flat._index.search(np.ascontiguousarray(q), TOP)[1] for name, q in query_sets.items()
    }
    search_ms = [timed_ms(flat.search, q, 20) for q in timed_queries]
    path = scratch / f"flat-{size}.faiss"
    flat.save(path)
    report = {
        "build_s": round(build_s, 2),
        "bytes_per_paragraph": round(path.stat().st_size / size),
        "search_ms": pct(search_ms),
    }
    path.unlink()
    return report, truth


def child(size: int, args: argparse.Namespace) -> dict[str, Any]:
    import faiss

    from index.bm25_store import BM25Store

    scratch = Path(args.scratch)
    settings = Settings().index
    anchors = np.load(scratch / "anchors.npy")
    minilm_queries = np.load(scratch / "queries.npy")[: args.queries]
    questions = json.loads((scratch / "questions.json").read_text())[: args.queries]
    base_rss = rss_mib()
    report: dict[str, Any] = {"paragraphs": size}

    say(f"{size:,}: generating text …")
    started = time.perf_counter()
    texts = list(synthetic_corpus.paragraphs(size, args.seed))
    report["text_generation_s"] = round(time.perf_counter() - started, 1)
    report["text_mib"] = round(sum(len(t) for t in texts) / 2**20, 1)

    say(f"{size:,}: BM25 …")
    rss_before = rss_mib()
    started = time.perf_counter()
    lexical = BM25Store.build(texts)
    bm25_build_s = time.perf_counter() - started
    gc.collect()
    bm25_dir = scratch / f"bm25-{size}"
    lexical.save(bm25_dir)
    bm25_ms = [timed_ms(lexical.search, q, 20) for q in questions]
    report["bm25"] = {
        "build_s": round(bm25_build_s, 1),
        "rss_growth_mib": round(rss_mib() - rss_before, 1),
        "saved_mib": round(folder_bytes(bm25_dir) / 2**20, 1),
        "bytes_per_paragraph": round(folder_bytes(bm25_dir) / size),
        "search_ms": pct(bm25_ms),
    }
    shutil.rmtree(bm25_dir)

    say(f"{size:,}: vectors …")
    centres = sub_centres(anchors, args.seed)
    vectors = mixture_vectors(centres, size, args.seed, stream=0)
    held_out = mixture_vectors(centres, args.queries, args.seed, stream=1)
    del centres
    query_sets = {"minilm": minilm_queries, "held-out": held_out}

    say(f"{size:,}: exact index …")
    report["exact"], truth = measure_exact(vectors, query_sets, minilm_queries, scratch)
    gc.collect()

    approximate: dict[str, FaissStore] = {}
    for kind in args.approximate.split(","):
        sweep_values = [
            int(v) for v in (args.ef_search if kind == "hnsw" else args.ivf_probe).split(",")
        ]
        say(f"{size:,}: {kind} …")
        report[kind], approximate[kind] = measure_approximate(
            kind, vectors, settings, query_sets, truth, sweep_values, minilm_queries, scratch
        )
    del vectors
    gc.collect()

    kind = choose_kind(size, settings)
    say(f"{size:,}: full retrieval with the default choice ({kind}) …")
    if kind in approximate:
        dense = approximate[kind]
    else:
        approximate.clear()
        gc.collect()
        dense = FaissStore.build(
            mixture_vectors(sub_centres(anchors, args.seed), size, args.seed, stream=0), settings
        )
    from index.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(
        settings.embedding_model, threads=settings.embed_threads
    )  # as the server runs it
    embedder.warm_up()
    total_ms = retrieval_ms(dense, embedder, lexical, texts, questions)
    setting = {"flat": None, "ivf": settings.ivf_probe, "hnsw": settings.hnsw_ef_search}[kind]
    default_row = next(
        (r for r in report.get(kind, {}).get("sweep", []) if r["setting"] == setting), None
    )
    report["default"] = {
        "kind": kind,
        "exact_search_max_paragraphs": settings.exact_search_max_paragraphs,
        "info": dense.info.as_dict(),
        "recall@10_minilm": 1.0 if kind == "flat" else (default_row or {}).get("recall@10_minilm"),
        "recall@10_held-out": 1.0
        if kind == "flat"
        else (default_row or {}).get("recall@10_held-out"),
        "retrieval_ms": pct(total_ms),
    }
    report["sentence_scores"] = measure_sentence_scores(
        size, dense, embedder, lexical, texts, questions, anchors, args.seed
    )
    report["faiss_threads"] = faiss.omp_get_max_threads()
    report["peak_rss_mib"] = rss_mib("VmHWM")
    report["start_rss_mib"] = base_rss
    report["peak_bytes_per_paragraph"] = round((rss_mib("VmHWM") - base_rss) * 2**20 / size)
    return report


def retrieval_ms(
    dense: Any, embedder: Any, lexical: Any, texts: list[str], questions: list[str]
) -> list[float]:
    """The service's `Retriever` over these searches with the default settings: each
    question's time, after one untimed warm-up question."""
    from qa.retrieval import Retriever

    retriever = Retriever(
        embedder=embedder,
        dense=dense,
        lexical=lexical,
        paragraphs=LazyParagraphs(texts),
        settings=RetrievalSettings(),
    )
    retriever.retrieve(questions[0])
    return [timed_ms(retriever.retrieve, q) for q in questions]


def measure_sentence_scores(
    size: int,
    dense: FaissStore,
    embedder: Any,
    lexical: Any,
    texts: list[str],
    questions: list[str],
    anchors: np.ndarray,
    seed: int,
) -> dict[str, Any]:
    """The full retrieval again with `retrieval.sentence_scores` (each paragraph scored by its
    best sentence too): synthetic sentence vectors from the same mixture, 1–6 a paragraph
    (mean 3.5, the seeds' and the validation corpora's ratio), unless that many sentences are
    over `retrieval.sentence_scores_max`, where the service skips the scan."""
    from index.sentence_search import BestSentenceSearch

    retrieval = RetrievalSettings()
    limit = retrieval.sentence_scores_max
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 7, size)
    sentences = int(counts.sum())
    if sentences > limit:
        return {"sentences": sentences, "skipped": f"over sentence_scores_max ({limit:,})"}
    say(f"{size:,}: full retrieval with sentence scores ({sentences:,} sentences) …")
    rss_before = rss_mib()
    centres = sub_centres(anchors, seed)
    vectors = mixture_vectors(centres, sentences, seed, stream=2)
    rows = np.repeat(np.arange(size), counts)
    search = BestSentenceSearch(dense, vectors, rows.tolist())
    query = mixture_vectors(centres, 1, seed, stream=3)[0]
    scan_ms = [timed_ms(search.search, query, retrieval.dense_k) for _ in questions]
    total_ms = retrieval_ms(search, embedder, lexical, texts, questions)
    return {
        "sentences": sentences,
        "vector_search_ms": pct(scan_ms),
        "retrieval_ms": pct(total_ms),
        "rss_growth_mib": round(rss_mib() - rss_before, 1),
    }


def measure_approximate(
    kind: str,
    vectors: np.ndarray,
    settings: IndexSettings,
    query_sets: dict[str, np.ndarray],
    truth: dict[str, np.ndarray],
    sweep_values: list[int],
    timed_queries: np.ndarray,
    scratch: Path,
) -> tuple[dict[str, Any], Any]:
    """Build `kind` (ivf or hnsw) with the settings' build parameters; recall@10 against exact
    and latency for each search setting (IVF nprobe, HNSW efSearch)."""
    size = len(vectors)
    chosen = settings.model_copy(
        update={"exact_search_max_paragraphs": 0, "approximate_index": kind}
    )
    rss_before = rss_mib()
    started = time.perf_counter()
    store = FaissStore.build(vectors, chosen)
    build_s = time.perf_counter() - started
    path = scratch / f"{kind}-{size}.faiss"
    store.save(path)
    index: Any = store._index  # faiss.IndexIVFFlat or IndexHNSWFlat: knobs by kind
    saved = index.nprobe if kind == "ivf" else index.hnsw.efSearch
    sweep = []
    for value in sweep_values:
        if kind == "ivf":
            index.nprobe = value
        else:
            index.hnsw.efSearch = value
        row: dict[str, Any] = {"setting": value}
        for name, queries in query_sets.items():
            hits = 0
            for q, true_rows in zip(queries, truth[name], strict=True):
                found = {r for r, _ in store.search(q, TOP)}
                hits += len(found & set(true_rows.tolist()))
            row[f"recall@10_{name}"] = round(hits / (TOP * len(queries)), 4)
        row["search_ms"] = pct([timed_ms(store.search, q, 20) for q in timed_queries])
        sweep.append(row)
    if kind == "ivf":
        index.nprobe = saved
    else:
        index.hnsw.efSearch = saved
    info = store.info.as_dict()
    report = {
        "parameters": {k: v for k, v in info.items() if v is not None and k.startswith(kind)},
        "sweep_of": "nprobe" if kind == "ivf" else "efSearch",
        "build_s": round(build_s, 1),
        "rss_growth_mib": round(rss_mib() - rss_before, 1),
        "bytes_per_paragraph": round(path.stat().st_size / size),
        "sweep": sweep,
    }
    path.unlink()
    return report, store


# --- report ----------------------------------------------------------------------------------


def sentence_line(m: dict[str, Any] | None) -> str:
    if m is None:
        return "  with sentence scores      not measured"
    if "skipped" in m:
        return f"  with sentence scores      {m['sentences']:,} sentences: {m['skipped']}, skipped"
    return (
        f"  with sentence scores      {m['sentences']:,} sentences: vector search (FAISS + scan) "
        f"p50 {m['vector_search_ms']['p50']} ms p95 {m['vector_search_ms']['p95']} ms; "
        f"retrieval total p50 {m['retrieval_ms']['p50']} ms p95 {m['retrieval_ms']['p95']} ms; "
        f"+{m['rss_growth_mib']} MiB RSS"
    )


def format_table(report: dict[str, Any]) -> str:
    emb = report["embedding"]
    lines = [
        f"machine: {report['cpus']} CPUs, load {report['load_start']} at start, "
        f"{report['load_end']} at end (shared machine: provisional numbers)",
        f"embedding (measured): {emb['paragraphs_per_s']} paragraphs/s on "
        f"{emb['sample_paragraphs']} synthetic paragraphs (mean {emb['mean_chars']} chars); "
        f"query embedding p50 {emb['query_embed_ms']['p50']} ms, "
        f"p95 {emb['query_embed_ms']['p95']} ms",
        f"vectors: synthetic 2-level mixture around {emb['sample_paragraphs']} real MiniLM vectors "
        f"(sigma {SIGMA_SUB}/{SIGMA_POINT}); queries: {report['queries']} real MiniLM question "
        "vectors ('minilm') and held-out mixture draws ('held-out')",
        "",
    ]
    for r in report["sizes"]:
        n = r["paragraphs"]
        hours = n / emb["paragraphs_per_s"] / 3600
        d = r["default"]
        lines += [
            f"== {n:,} paragraphs ==",
            f"  embedding build time      {hours:.2f} h  (extrapolated from the measured rate)",
            f"  BM25 build (measured)     {r['bm25']['build_s']} s, "
            f"{r['bm25']['bytes_per_paragraph']} B/paragraph on disk, "
            f"+{r['bm25']['rss_growth_mib']} MiB RSS; search p50 {r['bm25']['search_ms']['p50']} ms"
            f" p95 {r['bm25']['search_ms']['p95']} ms",
            f"  exact FAISS (measured)    build {r['exact']['build_s']} s, "
            f"{r['exact']['bytes_per_paragraph']} B/paragraph; search p50 "
            f"{r['exact']['search_ms']['p50']} ms p95 {r['exact']['search_ms']['p95']} ms",
        ]
        for kind in ("ivf", "hnsw"):
            if kind not in r:
                continue
            a = r[kind]
            lines.append(
                f"  {kind.upper()} {a['parameters']} (measured) build {a['build_s']} s, "
                f"{a['bytes_per_paragraph']} B/paragraph, +{a['rss_growth_mib']} MiB RSS"
            )
            for row in a["sweep"]:
                lines.append(
                    f"    {a['sweep_of']} {row['setting']:>4}: recall@10 minilm "
                    f"{row['recall@10_minilm']:.3f}, held-out {row['recall@10_held-out']:.3f}; "
                    f"search p50 {row['search_ms']['p50']} ms p95 {row['search_ms']['p95']} ms"
                )
        lines += [
            f"  default index             {d['kind']} "
            + str({k: v for k, v in d["info"].items() if v is not None and k.startswith(d["kind"])})
            + f", recall@10 vs exact: minilm {d['recall@10_minilm']}, "
            f"held-out {d['recall@10_held-out']}",
            f"  retrieval total           p50 {d['retrieval_ms']['p50']} ms p95 "
            f"{d['retrieval_ms']['p95']} ms (query embedding + FAISS + BM25 + fusion)",
            sentence_line(r.get("sentence_scores")),
            f"  memory                    peak RSS {r['peak_rss_mib']} MiB "
            f"({r['peak_bytes_per_paragraph']} B/paragraph over the start), "
            f"text {r['text_mib']} MiB",
            "",
        ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="corpus sizes in paragraphs, comma-separated",
    )
    parser.add_argument("--queries", type=int, default=200, help="questions searched per size")
    parser.add_argument(
        "--embed-sample", type=int, default=2000, help="synthetic paragraphs embedded with MiniLM"
    )
    parser.add_argument(
        "--approximate", default="ivf,hnsw", help="approximate kinds to measure: ivf, hnsw"
    )
    parser.add_argument("--ivf-probe", default="8,16,32,64,128", help="IVF nprobe values")
    parser.add_argument("--ef-search", default="32,64,128,256,512", help="HNSW efSearch values")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the synthetic paragraphs and vectors (default %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.child is not None:  # a size of its own, in a process of its own
        print(json.dumps(child(args.child, args)))
        return 0
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError as exc:
        raise UsageError(f"--sizes must be whole numbers separated by commas: {exc}") from exc
    for size in sizes:
        at_least(size, 1, "each of --sizes")
    at_least(args.queries, 1, "--queries")
    at_least(args.embed_sample, 1, "--embed-sample")
    unknown = set(args.approximate.split(",")) - {"ivf", "hnsw", ""}
    if unknown:
        raise UsageError(f"--approximate takes ivf and hnsw; unknown: {', '.join(sorted(unknown))}")
    load_start = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="qa-scale-") as tmp:
        scratch = Path(tmp)
        say(f"embedding {args.embed_sample} synthetic paragraphs with MiniLM …")
        embedding = measure_embedding(args.embed_sample, args.queries, args.seed, scratch)
        results = []
        for size in sizes:
            results.append(run_child(size, args, scratch))
            say(f"{size:,}: done {json.dumps(results[-1])}")  # kept if a later size fails
    report = {
        "cpus": os.cpu_count(),
        "load_start": load_start,
        "load_end": round(os.getloadavg()[0], 2),
        "queries": args.queries,
        "embedding": embedding,
        "sizes": results,
    }
    print(json.dumps(report) if args.json else format_table(report))
    return 0


if __name__ == "__main__":
    run_cli(main)
