#!/usr/bin/env python
"""Measure the service's speed and memory on a corpus: embedding, index build, retrieval, HTTP.

    python scripts/benchmark.py [--corpus seeds] [--questions FILE.jsonl] [--questions-limit N]
                                [--retrieval-repeats R] [--json] [--keep-data DIR]

What it measures (every number is a measurement of this run; nothing is estimated):

1. embedding throughput: `SentenceTransformerEmbedder.embed` over every paragraph text, then
   every sentence text, of the corpus (after one untimed warm-up call), in paragraphs/s and
   sentences/s; the model's load time is reported on its own;
2. index build: `index.builder.rebuild_index` into a temporary data dir (the embedder is the
   one already loaded in step 1, so model load time is not part of it);
3. retrieval: `service.retriever.retrieve(question)` in-process (query embedding, FAISS, BM25,
   fusion), after one untimed warm-up call, each question `--retrieval-repeats` times;
4. the server, `python -m api.main` over the index from step 2 on a free loopback port: time from
   spawn until `GET /documents` answers 200, then `POST /ask` per question (one untimed warm-up
   request first), then `POST /ask/stream` (time to the first `event: token` frame and to the end
   of the stream) when the server has that route (404/405 -> n/a), and last the server's
   resident memory (VmRSS, and the peak VmHWM, from /proc/<pid>/status).

The bundled GGUF is assembled into the temporary data dir before the server starts (timed and
reported separately), so the start-up time is that of a server whose files are in place.
Prompt tokens per request are reported only if the `/ask` response exposes them; it does not
today, so they are n/a.

Percentiles: `statistics.quantiles(values, n=100, method="inclusive")`, i.e. linear
interpolation between order statistics (the same as `numpy.percentile`'s default).

`--questions` takes JSONL with a `question` field per line; without it, eight built-in
questions about the seed articles are asked. `--json` prints one JSON object on stdout instead
of the table (progress goes to stderr either way). Temporary files are removed at the end unless
`--keep-data DIR` names a folder to build the index into and keep. The server is stopped on
every exit path.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    import httpx

    from index.embedder import SentenceTransformerEmbedder

DEFAULT_QUESTIONS: tuple[str, ...] = (
    "Who is the Russian foreign ministry spokesperson who warned South Korea about provocations?",
    "Which Russian ambassador did South Korea summon?",
    "How many soldiers did South Korea's intelligence service estimate the North could send?",
    "When did Putin and Kim Jong Un sign the strategic partnership treaty?",
    "What did the South Korean military do when North Korean soldiers crossed the border?",
    "How many USB sticks did the activists send across the border with their balloons?",
    "Which U.S. State Department spokesman called Putin's remarks on arms deliveries concerning?",
    "What is the population of Pyongyang?",
)
PERCENTILE_METHOD = (
    "statistics.quantiles(n=100, method='inclusive'): linear interpolation, "
    "same as numpy.percentile's default"
)
READY_POLL_S = 0.05
READY_TIMEOUT_S = 240.0
REQUEST_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 20.0
UNAVAILABLE = (404, 405)


# --- pure helpers (unit-tested) --------------------------------------------------------------


def percentiles(values: Sequence[float]) -> dict[str, float | int | None]:
    """`n`, `p50` and `p95` of `values` (None when there are none), rounded to 0.1."""
    if not values:
        return {"n": 0, "p50": None, "p95": None}
    if len(values) == 1:
        only = round(float(values[0]), 1)
        return {"n": 1, "p50": only, "p95": only}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"n": len(values), "p50": round(cuts[49], 1), "p95": round(cuts[94], 1)}


def load_questions(path: Path | None, limit: int | None) -> list[str]:
    """Questions from a JSONL file's `question` fields, or the built-in ones; at most `limit`."""
    if path is None:
        questions = list(DEFAULT_QUESTIONS)
    else:
        questions = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            question = json.loads(line).get("question")
            if not isinstance(question, str) or not question.strip():
                raise ValueError(f"{path}:{number}: no non-empty `question` string")
            questions.append(question)
    if limit is not None:
        questions = questions[:limit]
    if not questions:
        raise ValueError("no questions to ask")
    return questions


def parse_status_kib(status_text: str, field: str) -> int | None:
    """A `kB` field (e.g. `VmRSS`) of a /proc/<pid>/status text, in KiB."""
    for line in status_text.splitlines():
        name, _, value = line.partition(":")
        if name == field:
            parts = value.split()
            return int(parts[0]) if parts and parts[0].isdigit() else None
    return None


@dataclass(frozen=True)
class SseFrame:
    event: str
    data: str


def sse_frames(lines: Iterable[str]) -> Iterator[SseFrame]:
    """Complete Server-Sent Event frames from a stream's lines, each as soon as its blank line
    arrives. Comment lines (`: ping`) are skipped; a frame without `event:` is a `message`."""
    event: str | None = None
    data: list[str] = []
    for line in lines:
        if not line:
            if event is not None or data:
                yield SseFrame(event or "message", "\n".join(data))
            event, data = None, []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
    if event is not None or data:
        yield SseFrame(event or "message", "\n".join(data))


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def rate(count: int, seconds: float) -> float | None:
    return round(count / seconds, 1) if seconds > 0 else None


def prompt_tokens_of(response: dict[str, Any]) -> int | None:
    """Prompt tokens, if the `/ask` response exposes them (`usage.prompt_tokens` or a
    `prompt_tokens` entry at the top or in `timings_ms`)."""
    usage = response.get("usage")
    candidates = [
        usage.get("prompt_tokens") if isinstance(usage, dict) else None,
        response.get("prompt_tokens"),
        (response.get("timings_ms") or {}).get("prompt_tokens"),
    ]
    return next((int(c) for c in candidates if isinstance(c, int | float)), None)


def _cell(value: object, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}"
    return f"{value}{unit}"


def _pair(stats: dict[str, Any] | None, unit: str = " ms") -> str:
    if not stats or stats.get("p50") is None:
        return "n/a"
    return f"p50 {_cell(stats['p50'], unit)}   p95 {_cell(stats['p95'], unit)}   (n={stats['n']})"


def format_table(report: dict[str, Any]) -> str:
    """The report as a two-column text table."""
    env, corpus, emb = report["environment"], report["corpus"], report["embedding"]
    build, server, ask = report["index_build"], report["server"], report["ask"]
    stream, stages = report["ask_stream"], ask.get("server_stage_ms_p50") or {}
    rows: list[tuple[str, str]] = [
        (
            "machine",
            f"{env['cpus']} CPUs, load average {env['load_avg_start']} at start, "
            f"{env['load_avg_end']} at end",
        ),
        (
            "corpus",
            f"{corpus['folder']}: {corpus['articles']} articles, "
            f"{corpus['paragraphs']} paragraphs, {corpus['sentences']} sentences",
        ),
        ("questions", f"{report['questions']['count']} from {report['questions']['source']}"),
        ("embedder load", _cell(emb["model_load_s"], " s")),
        (
            "embed paragraphs",
            f"{_cell(emb['paragraphs_per_s'], '/s')}  ({_cell(emb['paragraphs_s'], ' s')})",
        ),
        (
            "embed sentences",
            f"{_cell(emb['sentences_per_s'], '/s')}  ({_cell(emb['sentences_s'], ' s')})",
        ),
        ("index build", _cell(build["seconds"], " s")),
        ("retrieval (in-process)", _pair(report["retrieval_ms"])),
        ("GGUF prepare (not start-up)", _cell(server["gguf_prepare_s"], " s")),
        ("server start-up to ready", _cell(server["startup_s"], " s")),
        ("server RSS after questions", _cell(server["rss_mib"], " MiB")),
        ("server peak RSS", _cell(server["peak_rss_mib"], " MiB")),
        ("/ask first request", _cell(ask["first_request_ms"], " ms")),
        ("/ask total", _pair(ask["latency_ms"])),
        ("/ask statuses", ", ".join(f"{k} {v}" for k, v in ask["statuses"].items()) or "n/a"),
        ("/ask server stages p50", "  ".join(f"{k} {v}" for k, v in stages.items()) or "n/a"),
        ("/ask/stream first token", _pair(stream["ttft_ms"]) if stream["available"] else "n/a"),
        ("/ask/stream total", _pair(stream["total_ms"]) if stream["available"] else "n/a"),
        ("prompt tokens / request", _pair(ask["prompt_tokens"], "")),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines += ["", f"percentiles: {report['percentile_method']}"]
    lines += [f"note: {note}" for note in report["notes"]]
    return "\n".join(lines)


# --- measurements ----------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"[benchmark] {message}", file=sys.stderr, flush=True)


def resolve_corpus(folder: Path) -> Path:
    """`folder` as given, or relative to the repository when it is not there."""
    if folder.is_dir() or folder.is_absolute():
        return folder.resolve()
    return (ROOT / folder).resolve()


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def corpus_texts(corpus_dir: Path) -> tuple[int, list[str], list[str]]:
    """Article count, paragraph texts and sentence texts, split as the index builder splits."""
    from index.corpus import read_corpus
    from qa.paragraphs import split_paragraphs
    from qa.sentences import sentence_spans

    articles, _warnings = read_corpus(corpus_dir)
    paragraphs = [p.text for article in articles for p in split_paragraphs(article)]
    sentences = [p[s.start : s.end] for p in paragraphs for s in sentence_spans(p)]
    return len(articles), paragraphs, sentences


def measure_embedding(
    embedder: SentenceTransformerEmbedder, paragraphs: list[str], sentences: list[str]
) -> dict[str, Any]:
    load_s = _timed(embedder.warm_up)
    embedder.embed(["warm-up"])
    paragraphs_s = _timed(lambda: embedder.embed(paragraphs))
    sentences_s = _timed(lambda: embedder.embed(sentences))
    return {
        "model": embedder.model_name,
        "model_load_s": round(load_s, 2),
        "paragraphs_s": round(paragraphs_s, 2),
        "sentences_s": round(sentences_s, 2),
        "paragraphs_per_s": rate(len(paragraphs), paragraphs_s),
        "sentences_per_s": rate(len(sentences), sentences_s),
    }


def measure_build(
    corpus_dir: Path, data_dir: Path, embedder: SentenceTransformerEmbedder
) -> dict[str, Any]:
    from index.builder import rebuild_index

    started = time.perf_counter()
    built = rebuild_index(corpus_dir, data_dir / "index", embedder=embedder)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "articles": built.articles,
        "paragraphs": built.paragraphs,
        "sentences": built.sentences,
    }


def measure_retrieval(data_dir: Path, questions: list[str], repeats: int) -> dict[str, Any]:
    """Retrieval latency in-process, through the service the server also builds."""
    from api.service import QAService
    from qa.settings import GenerationSettings, Settings

    settings = Settings(data_dir=data_dir, generation=GenerationSettings(backend="none"))
    service = QAService.load(settings)
    service.retriever.retrieve(questions[0])  # warm-up, untimed
    samples: list[float] = []
    for _ in range(repeats):
        for question in questions:
            started = time.perf_counter()
            service.retriever.retrieve(question)
            samples.append(ms(time.perf_counter() - started))
    return percentiles(samples)


def prepare_gguf(data_dir: Path) -> float | None:
    """Put the configured GGUF in place (the bundled one is assembled) and return the seconds
    it took; None when generation is off."""
    from qa.generation import resolve_gguf
    from qa.settings import Settings

    settings = Settings(data_dir=data_dir)
    if settings.generation.backend != "llama_cpp":
        return None
    spec = settings.generation.gguf_path
    return round(_timed(lambda: resolve_gguf(spec, settings.models_dir)), 2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen[bytes]
    startup_s: float


@contextmanager
def running_server(data_dir: Path, log_path: Path) -> Iterator[RunningServer]:
    """Spawn `python -m api.main` on a free loopback port, wait until ready, always stop it."""
    import httpx

    port = free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "QA_DATA_DIR": str(data_dir),
        "QA_SERVER__HOST": "127.0.0.1",
        "QA_SERVER__PORT": str(port),
    }
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "api.main"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
    try:
        with httpx.Client(base_url=url, timeout=2, trust_env=False) as client:
            startup_s = _wait_ready(client, process, started, log_path)
        yield RunningServer(url, process, startup_s)
    finally:
        _stop(process)


def _wait_ready(
    client: httpx.Client, process: subprocess.Popen[bytes], started: float, log_path: Path
) -> float:
    import httpx

    while time.perf_counter() - started < READY_TIMEOUT_S:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{_tail(log_path)}")
        try:
            if client.get("/documents").status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(READY_POLL_S)
    raise RuntimeError(f"server not ready after {READY_TIMEOUT_S:.0f} s:\n{_tail(log_path)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _post_ask(client: httpx.Client, question: str) -> dict[str, Any]:
    response = client.post("/ask", json={"question": question})
    response.raise_for_status()
    return dict(response.json())


def measure_ask(client: httpx.Client, questions: list[str]) -> dict[str, Any]:
    """`POST /ask` latency per question (client side), after one untimed warm-up request."""
    first_ms = ms(_timed(lambda: _post_ask(client, questions[0])))
    latencies: list[float] = []
    stages: dict[str, list[float]] = {}
    statuses: dict[str, int] = {}
    tokens: list[float] = []
    for question in questions:
        started = time.perf_counter()
        body = _post_ask(client, question)
        latencies.append(ms(time.perf_counter() - started))
        statuses[str(body.get("status"))] = statuses.get(str(body.get("status")), 0) + 1
        for stage, value in (body.get("timings_ms") or {}).items():
            stages.setdefault(stage, []).append(float(value))
        if (count := prompt_tokens_of(body)) is not None:
            tokens.append(count)
    return {
        "first_request_ms": first_ms,
        "latency_ms": percentiles(latencies),
        "statuses": statuses,
        "server_stage_ms_p50": {k: percentiles(v)["p50"] for k, v in stages.items()},
        "prompt_tokens": percentiles(tokens) if tokens else None,
    }


def _stream_once(client: httpx.Client, question: str) -> tuple[int, float | None, float]:
    """Status code, seconds to the first `token` frame (None if none came), seconds in all."""
    started = time.perf_counter()
    first: float | None = None
    with client.stream("POST", "/ask/stream", json={"question": question}) as response:
        if response.status_code != 200:
            response.read()
            return response.status_code, None, time.perf_counter() - started
        for frame in sse_frames(response.iter_lines()):
            if frame.event == "token" and first is None:
                first = time.perf_counter() - started
            elif frame.event == "error":
                raise RuntimeError(f"/ask/stream sent an error event: {frame.data}")
    return 200, first, time.perf_counter() - started


def measure_stream(client: httpx.Client, questions: list[str]) -> dict[str, Any]:
    """Time to first token and total per question over SSE; n/a when the route is missing.

    The first request detects the route and warms it up; it is not counted."""
    status, _, _ = _stream_once(client, questions[0])
    if status in UNAVAILABLE:
        return {"available": False, "http_status": status, "ttft_ms": None, "total_ms": None}
    if status != 200:
        raise RuntimeError(f"POST /ask/stream answered {status}")
    firsts: list[float] = []
    totals: list[float] = []
    for question in questions:
        _, first, total = _stream_once(client, question)
        totals.append(ms(total))
        if first is not None:
            firsts.append(ms(first))
    return {
        "available": True,
        "http_status": 200,
        "ttft_ms": percentiles(firsts),
        "total_ms": percentiles(totals),
    }


def server_memory(pid: int) -> dict[str, float | None]:
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    rss, peak = parse_status_kib(status, "VmRSS"), parse_status_kib(status, "VmHWM")
    return {
        "rss_mib": None if rss is None else round(rss / 1024, 1),
        "peak_rss_mib": None if peak is None else round(peak / 1024, 1),
    }


def measure_server(data_dir: Path, questions: list[str], log_dir: Path) -> dict[str, Any]:
    import httpx

    gguf_s = prepare_gguf(data_dir)
    say("starting the server …")
    with running_server(data_dir, log_dir / "server.log") as server:
        say(f"server ready in {server.startup_s:.1f} s; asking {len(questions)} questions …")
        with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S, trust_env=False) as c:
            ask = measure_ask(c, questions)
            say("streaming …")
            stream = measure_stream(c, questions)
        memory = server_memory(server.process.pid)
    return {
        "server": {"gguf_prepare_s": gguf_s, "startup_s": round(server.startup_s, 2), **memory},
        "ask": ask,
        "ask_stream": stream,
    }


def _notes(report: dict[str, Any]) -> list[str]:
    notes = [
        "index build reuses the embedder loaded for the throughput test (model load excluded)",
        "/ask and /ask/stream run one untimed warm-up request each before the timed ones",
    ]
    if report["ask"]["prompt_tokens"] is None:
        notes.append("prompt tokens: the /ask response does not expose them, so n/a")
    stream = report["ask_stream"]
    if not stream["available"]:
        notes.append(f"/ask/stream answered {stream['http_status']}: n/a")
    elif stream["ttft_ms"]["p50"] and stream["total_ms"]["p50"]:
        share = stream["ttft_ms"]["p50"] / stream["total_ms"]["p50"]
        notes.append(f"/ask/stream: first token p50 is {share:.0%} of the stream's total p50")
    return notes


def run(args: argparse.Namespace, data_dir: Path, scratch: Path) -> dict[str, Any]:
    from index.embedder import SentenceTransformerEmbedder
    from qa.settings import Settings

    corpus_dir = resolve_corpus(args.corpus)
    questions = load_questions(args.questions, args.questions_limit)
    load_start = os.getloadavg()[0]
    settings = Settings(data_dir=data_dir)
    embedder = SentenceTransformerEmbedder(
        settings.index.embedding_model, batch_size=settings.index.embed_batch_size
    )
    articles, paragraphs, sentences = corpus_texts(corpus_dir)
    say(f"embedding {len(paragraphs)} paragraphs and {len(sentences)} sentences …")
    embedding = measure_embedding(embedder, paragraphs, sentences)
    say("building the index …")
    build = measure_build(corpus_dir, data_dir, embedder)
    del embedder
    say("timing retrieval in-process …")
    retrieval = measure_retrieval(data_dir, questions, args.retrieval_repeats)
    gc.collect()
    served = measure_server(data_dir, questions, scratch)
    report: dict[str, Any] = {
        "environment": {
            "cpus": os.cpu_count(),
            "load_avg_start": round(load_start, 2),
            "load_avg_end": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
        },
        "corpus": {
            "folder": str(corpus_dir),
            "articles": articles,
            "paragraphs": len(paragraphs),
            "sentences": len(sentences),
        },
        "questions": {
            "source": str(args.questions) if args.questions else "built-in",
            "count": len(questions),
        },
        "embedding": embedding,
        "index_build": build,
        "retrieval_ms": {**retrieval, "repeats_per_question": args.retrieval_repeats},
        **served,
        "percentile_method": PERCENTILE_METHOD,
    }
    report["notes"] = _notes(report)
    return report


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("seeds"), help="folder of .txt files")
    parser.add_argument("--questions", type=Path, help="JSONL with a `question` field per line")
    parser.add_argument("--questions-limit", type=int, help="ask only the first N questions")
    parser.add_argument(
        "--retrieval-repeats", type=int, default=5, help="times each question is retrieved"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep-data", type=Path, help="build the index here and keep it")
    args = parser.parse_args(argv)
    if args.questions_limit is not None and args.questions_limit < 1:
        parser.error("--questions-limit must be at least 1")
    if args.retrieval_repeats < 1:
        parser.error("--retrieval-repeats must be at least 1")
    return args


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through `finally`: the server is stopped


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="qa-bench-")))
        data_dir = args.keep_data.resolve() if args.keep_data else scratch / "data"
        report = run(args, data_dir, scratch)  # an error propagates; `finally`s clean up
    print(json.dumps(report) if args.json else format_table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
