#!/usr/bin/env python
"""Measure the service's speed and memory on a corpus: embedding, index build, retrieval, HTTP.

    python scripts/benchmark.py [--corpus seeds] [--questions FILE.jsonl] [--questions-limit N]
                                [--retrieval-repeats R] [--json] [--keep-data DIR]
                                [--llama-tuning] [--workers 1,2 --generator-url URL|spawn]

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

5. the reader, in-process with the configured GGUF: each question through the service with
   its generator wrapped to record the reader prompt; prompt tokens per request are counted
   with the model's own tokenizer (the `/ask` response does not carry them), and each reader
   call is timed;
6. with `--llama-tuning`: those prompts again on a fresh `Llama` at n_threads 1 and 2, each
   `cold` (`reset()` first: every token evaluated) and `warm` (back to back, as the server
   runs them: llama.cpp keeps the KV cache of the longest prefix shared with the previous
   prompt, i.e. the fixed few-shot part), one generated token each;
7. with `--workers 1,2 --generator-url URL`: for each worker count, a server started with
   `QA_SERVER__WORKERS=N` and `QA_GENERATION__BACKEND=openai` at URL (`spawn` starts
   `python -m llama_cpp.server` with the configured GGUF for the run); `--clients` parallel
   clients each ask every question once: requests/s, latency, start-up, summed worker RSS.

The bundled GGUF is assembled into the temporary data dir before the server starts (timed and
reported separately), so the start-up time is that of a server whose files are in place.

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
        (
            "/ask/stream first event",
            _pair(stream["first_event_ms"]) if stream["available"] else "n/a",
        ),
        ("/ask/stream first token", _pair(stream["ttft_ms"]) if stream["available"] else "n/a"),
        ("/ask/stream total", _pair(stream["total_ms"]) if stream["available"] else "n/a"),
        ("prompt tokens / request", _pair(report["reader"]["prompt_tokens"], "")),
        ("reader call (in-process)", _pair(report["reader"]["reader_ms"])),
    ]
    tuning = report.get("llama_tuning")
    if tuning:
        for threads in (1, 2):
            for mode, label in (("cold", "no prefix reuse"), ("warm", "prefix reused")):
                evaluated = tuning[f"threads_{threads}_{mode}_evaluated_tokens"]["p50"]
                rows.append(
                    (
                        f"reader prompt, {threads} thread(s), {label}",
                        f"{_pair(tuning[f'threads_{threads}_{mode}_ms'])}   "
                        f"tokens evaluated p50 {_cell(evaluated)}",
                    )
                )
    for row in report.get("workers") or []:
        if "error" in row:
            rows.append(
                (f"{row['workers']} worker(s), remote generator", f"failed: {row['error']}")
            )
            continue
        rows.append(
            (
                f"{row['workers']} worker(s), remote generator",
                f"{_cell(row['requests_per_s'], ' req/s')}   {_pair(row['latency_ms'])}   "
                f"start-up {_cell(row['startup_s'], ' s')}   RSS {_cell(row['rss_mib'], ' MiB')}"
                f"   statuses {row['statuses']}",
            )
        )
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
def running_server(
    data_dir: Path, log_path: Path, extra_env: dict[str, str] | None = None
) -> Iterator[RunningServer]:
    """Spawn `python -m api.main` on a free loopback port, wait until ready, always stop it."""
    import httpx

    port = free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "QA_DATA_DIR": str(data_dir),
        "QA_SERVER__HOST": "127.0.0.1",
        "QA_SERVER__PORT": str(port),
        **(extra_env or {}),
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


def _stream_once(
    client: httpx.Client, question: str
) -> tuple[int, float | None, float | None, float]:
    """Status code, seconds to the first event of any kind and to the first `token` frame (None
    if none came), seconds in all."""
    started = time.perf_counter()
    first_event: float | None = None
    first_token: float | None = None
    with client.stream("POST", "/ask/stream", json={"question": question}) as response:
        if response.status_code != 200:
            response.read()
            return response.status_code, None, None, time.perf_counter() - started
        for frame in sse_frames(response.iter_lines()):
            if first_event is None:
                first_event = time.perf_counter() - started
            if frame.event == "token" and first_token is None:
                first_token = time.perf_counter() - started
            elif frame.event == "error":
                raise RuntimeError(f"/ask/stream sent an error event: {frame.data}")
    return 200, first_event, first_token, time.perf_counter() - started


def measure_stream(client: httpx.Client, questions: list[str]) -> dict[str, Any]:
    """Time to the first event (a `status`), to the first token, and in all per question over
    SSE; n/a when the route is missing.

    The first request detects the route and warms it up; it is not counted."""
    status, _, _, _ = _stream_once(client, questions[0])
    if status in UNAVAILABLE:
        return {
            "available": False,
            "http_status": status,
            "first_event_ms": None,
            "ttft_ms": None,
            "total_ms": None,
        }
    if status != 200:
        raise RuntimeError(f"POST /ask/stream answered {status}")
    events: list[float] = []
    firsts: list[float] = []
    totals: list[float] = []
    for question in questions:
        _, event, first, total = _stream_once(client, question)
        totals.append(ms(total))
        if event is not None:
            events.append(ms(event))
        if first is not None:
            firsts.append(ms(first))
    return {
        "available": True,
        "http_status": 200,
        "first_event_ms": percentiles(events),
        "ttft_ms": percentiles(firsts),
        "total_ms": percentiles(totals),
    }


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (uvicorn's worker processes), from /proc."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        queue.extend(int(c) for c in children.split())
    return found


def server_memory(pid: int) -> dict[str, float | None]:
    """Resident memory of the server and its worker processes, summed (VmRSS, VmHWM)."""
    rss_total = peak_total = 0
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text(encoding="utf-8")
        except OSError:
            continue
        rss_total += parse_status_kib(status, "VmRSS") or 0
        peak_total += parse_status_kib(status, "VmHWM") or 0
    return {
        "rss_mib": round(rss_total / 1024, 1) if rss_total else None,
        "peak_rss_mib": round(peak_total / 1024, 1) if peak_total else None,
    }


def measure_server(
    data_dir: Path, questions: list[str], log_dir: Path, gguf_s: float | None
) -> dict[str, Any]:
    import httpx

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


class RecordingReader:
    """Wraps the service's generator: records each reader prompt, its llama.cpp token count
    and the seconds the call took, and passes everything through unchanged."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.prompts: list[str] = []
        self.tokens: list[int] = []
        self.seconds: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _count(self, text: str) -> None:
        llm = self.inner._llm  # LlamaCppGenerator's model, loaded by the service
        self.prompts.append(text)
        self.tokens.append(len(llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)))

    def complete(self, prompt: str, *, max_tokens: int, stop: Sequence[str]) -> str:
        self._count(prompt)
        started = time.perf_counter()
        try:
            return str(self.inner.complete(prompt, max_tokens=max_tokens, stop=stop))
        finally:
            self.seconds.append(time.perf_counter() - started)

    def chat(self, messages: list[dict[str, str]], *, max_tokens: int, stop: Sequence[str]) -> str:
        # the chat template adds a few tokens per message; this counts the messages' text
        self._count("\n".join(m["content"] for m in messages))
        started = time.perf_counter()
        try:
            return str(self.inner.chat(messages, max_tokens=max_tokens, stop=stop))
        finally:
            self.seconds.append(time.perf_counter() - started)


def measure_reader(data_dir: Path, questions: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Prompt tokens per request and reader call time, in-process with the configured GGUF
    (the prompts are the ones the server builds; the HTTP response does not carry them)."""
    from api.service import QAService
    from qa.settings import Settings

    settings = Settings(data_dir=data_dir)
    if settings.generation.backend != "llama_cpp":
        return {"prompt_tokens": None, "reader_ms": None, "reader_calls": 0}, []
    service = QAService.load(settings)
    recorder = RecordingReader(service.generator)
    service.generator = recorder  # type: ignore[assignment]
    for question in questions:
        service.ask(question)
    result = {
        "prompt_tokens": percentiles([float(t) for t in recorder.tokens]),
        "reader_ms": percentiles([ms(t) for t in recorder.seconds]),
        "reader_calls": len(recorder.tokens),
        "model": recorder.inner.model_name,
    }
    del service
    gc.collect()
    return result, recorder.prompts


def measure_llama_tuning(data_dir: Path, prompts: list[str]) -> dict[str, Any]:
    """Prompt evaluation with and without llama.cpp's reuse of the previous prompt's KV cache
    (the reader prompts share their few-shot prefix), at n_threads 1 and 2.

    `cold`: `Llama.reset()` before each prompt, so every token is evaluated. `warm`: prompts
    back to back, as the server runs them; `Llama.__call__` evaluates only the tokens after the
    longest prefix shared with the previous prompt. One token is generated each time, so the
    time is (almost all) prompt evaluation."""
    import llama_cpp
    from llama_cpp import Llama

    from qa.generation import resolve_gguf
    from qa.settings import Settings

    settings = Settings(data_dir=data_dir)
    path = resolve_gguf(settings.generation.gguf_path, settings.models_dir)
    results: dict[str, Any] = {"prompts": len(prompts)}
    for threads in (1, 2):
        llm = Llama(
            model_path=str(path),
            n_ctx=settings.generation.n_ctx,
            n_threads=threads,
            seed=0,
            verbose=False,
        )
        llm(prompts[0], max_tokens=1)  # warm-up, untimed
        for mode in ("cold", "warm"):
            samples = []
            evaluated = []
            previous: list[int] = []
            for prompt in prompts:
                tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
                if mode == "cold":
                    llm.reset()
                    previous = []
                expected = len(tokens) - Llama.longest_token_prefix(previous, tokens)
                llama_cpp.llama_perf_context_reset(llm.ctx)
                started = time.perf_counter()
                llm(prompt, max_tokens=1, temperature=0.0)
                samples.append(ms(time.perf_counter() - started))
                # llama.cpp's own count of prompt tokens it evaluated (what the reuse saved)
                counted = llama_cpp.llama_perf_context(llm.ctx).n_p_eval
                evaluated.append(float(counted if counted > 0 else expected))
                previous = tokens
            results[f"threads_{threads}_{mode}_ms"] = percentiles(samples)
            results[f"threads_{threads}_{mode}_evaluated_tokens"] = percentiles(evaluated)
        llm.close()
        del llm
        gc.collect()
    return results


def _ask_concurrently(url: str, questions: list[str], clients: int) -> dict[str, Any]:
    """Every question once per client, `clients` at a time: requests/s and latency."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    work = [q for _ in range(clients) for q in questions]

    def ask(question: str) -> tuple[float, str]:
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S, trust_env=False) as c:
            started = time.perf_counter()
            try:
                status = str(c.post("/ask", json={"question": question}).status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            return ms(time.perf_counter() - started), status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        done = list(pool.map(ask, work))
    seconds = time.perf_counter() - started
    statuses: dict[str, int] = {}
    for _, status in done:
        statuses[status] = statuses.get(status, 0) + 1
    answered = [latency for latency, status in done if status == "200"]
    return {
        "requests": len(work),
        "clients": clients,
        "seconds": round(seconds, 2),
        "requests_per_s": rate(len(answered), seconds),  # 200s only
        "latency_ms": percentiles(answered),
        "statuses": statuses,
    }


def measure_workers(
    data_dir: Path,
    questions: list[str],
    workers: list[int],
    generator_url: str,
    clients: int,
    log_dir: Path,
) -> list[dict[str, Any]]:
    """Throughput with N API worker processes sharing the index on disk and one remote
    OpenAI-compatible generator."""
    import httpx

    rows = []
    for count in workers:
        env = {
            "QA_SERVER__WORKERS": str(count),
            "QA_GENERATION__BACKEND": "openai",
            "QA_GENERATION__BASE_URL": generator_url,
            # measure throughput, not the time limit: queued questions must not turn into 503s
            "QA_SERVER__REQUEST_TIMEOUT_S": str(REQUEST_TIMEOUT_S),
            "QA_SERVER__GENERATION_QUEUE_SIZE": str(4 * clients),
            "QA_GENERATION__TIMEOUT_S": str(REQUEST_TIMEOUT_S),
        }
        say(f"{count} worker(s) against {generator_url} …")
        with running_server(data_dir, log_dir / f"server-{count}w.log", env) as server:
            with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
                for question in questions[: max(2, count)]:  # warm each worker, untimed
                    c.post("/ask", json={"question": question})
            load = _ask_concurrently(server.url, questions, clients)
            rows.append(
                {
                    "workers": count,
                    "startup_s": round(server.startup_s, 2),
                    **load,
                    **server_memory(server.process.pid),
                }
            )
    return rows


@contextmanager
def spawned_generator(data_dir: Path, log_path: Path, threads: int) -> Iterator[str]:
    """`python -m llama_cpp.server` with the configured GGUF on a free loopback port."""
    import httpx

    from qa.generation import resolve_gguf
    from qa.settings import Settings

    settings = Settings(data_dir=data_dir)
    gguf = resolve_gguf(settings.generation.gguf_path, settings.models_dir)
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host",
             "127.0.0.1", "--port", str(port), "--n_ctx", str(settings.generation.n_ctx),
             "--n_threads", str(threads), "--verbose", "False"],
            stdout=log, stderr=log,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        started = time.perf_counter()
        with httpx.Client(timeout=2, trust_env=False) as client:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"llama_cpp.server exited:\n{_tail(log_path)}")
                try:
                    if client.get(f"{url}/models").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.perf_counter() - started > READY_TIMEOUT_S:
                    raise RuntimeError(f"llama_cpp.server not ready:\n{_tail(log_path)}")
                time.sleep(READY_POLL_S)
        yield url
    finally:
        _stop(process)


def _notes(report: dict[str, Any]) -> list[str]:
    notes = [
        "index build reuses the embedder loaded for the throughput test (model load excluded)",
        "/ask and /ask/stream run one untimed warm-up request each before the timed ones",
    ]
    if report["reader"]["prompt_tokens"] is not None:
        notes.append(
            "prompt tokens: counted in-process with the model's tokenizer on the reader prompts "
            "the service built for the same questions (the /ask response does not carry them)"
        )
    if report.get("workers"):
        notes.append(
            "workers: each question once per client, clients in parallel, against "
            f"{report['workers_generator']}; memory sums the server and its worker processes"
        )
    stream = report["ask_stream"]
    if not stream["available"]:
        notes.append(f"/ask/stream answered {stream['http_status']}: n/a")
    elif stream["ttft_ms"]["p50"] and stream["total_ms"]["p50"]:
        share = stream["ttft_ms"]["p50"] / stream["total_ms"]["p50"]
        notes.append(
            f"/ask/stream: first token p50 is {share:.0%} of the stream's total p50 (no text "
            "is sent before its citation is checked); the first event is a `status`"
        )
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
    gguf_s = prepare_gguf(data_dir)
    say("counting reader prompt tokens in-process …")
    reader, prompts = measure_reader(data_dir, questions)
    tuning = None
    if args.llama_tuning and prompts:
        say("llama.cpp prefix cache and threads …")
        tuning = measure_llama_tuning(data_dir, prompts)
    served = measure_server(data_dir, questions, scratch, gguf_s)
    workers, generator_url = None, args.generator_url
    if args.workers:
        with ExitStack() as stack:
            if generator_url == "spawn":
                generator_url = stack.enter_context(
                    spawned_generator(
                        data_dir, scratch / "llama-server.log", args.generator_threads
                    )
                )
            try:
                workers = measure_workers(
                    data_dir, questions, args.workers, generator_url, args.clients, scratch
                )
            except (RuntimeError, OSError, ValueError) as exc:  # keep what was measured
                say(f"workers: failed ({exc})")
                workers = [{"workers": n, "error": str(exc)[:500]} for n in args.workers]
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
        "reader": reader,
        "llama_tuning": tuning,
        "workers": workers,
        "workers_generator": args.generator_url if workers else None,
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
    parser.add_argument(
        "--llama-tuning",
        action="store_true",
        help="also time reader prompts with and without the shared-prefix cache, 1 and 2 threads",
    )
    parser.add_argument(
        "--workers",
        type=lambda v: [int(n) for n in v.split(",")],
        help="comma-separated API worker counts to measure throughput at (e.g. 1,2); needs "
        "--generator-url",
    )
    parser.add_argument(
        "--generator-url",
        help="OpenAI-compatible base URL (…/v1) the workers use, or `spawn` to start "
        "`python -m llama_cpp.server` with the configured GGUF",
    )
    parser.add_argument(
        "--generator-threads", type=int, default=2, help="n_threads of a spawned generator"
    )
    parser.add_argument("--clients", type=int, default=4, help="parallel clients for --workers")
    args = parser.parse_args(argv)
    if args.workers and not args.generator_url:
        parser.error("--workers needs --generator-url (a URL, or spawn)")
    if args.workers and min(args.workers) < 1:
        parser.error("--workers counts must be at least 1")
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
