#!/usr/bin/env python
"""Measure the service's speed and memory on a corpus: embedding, index build, retrieval, HTTP.

    python scripts/benchmark.py [--corpus seeds] [--questions FILE.jsonl] [--questions-limit N]
                                [--retrieval-repeats R] [--json] [--keep-data DIR]
                                [--workers 1,2 --generator-url URL|spawn]

What it measures (every number is a measurement of this run; nothing is estimated):

1. embedding throughput: `SentenceTransformerEmbedder.embed` over every paragraph text, then
   every sentence text, of the corpus (after one untimed warm-up call), in paragraphs/s and
   sentences/s; the model's load time is reported on its own;
2. index build: `index.builder.rebuild_configured` (the build `scripts/rebuild_index.py`
   makes) into a temporary data dir (the embedder is the one already loaded in step 1, so
   model load time is not part of it);
3. retrieval: `service.retriever.retrieve(question)` in-process (query embedding, FAISS, BM25,
   fusion), after one untimed warm-up call, each question `--retrieval-repeats` times;
4. the server, `python -m api.main` over the index from step 2 on a free loopback port, with
   the configured settings (by default `generation.backend=none`: the answer selector picks
   the sentence and no language model is loaded): time from spawn until `GET /documents`
   answers 200; then `POST /ask` per question (one untimed warm-up request first), timed by
   the client, and each stage the response's `timings_ms` reports, per stage present
   (`retrieve_ms`, `select_ms`: candidate sentences gathered, shortlisted and read by the
   selector; `write_ms` in generate mode only; `verify_ms`: the citation check); then after
   each question a follow-up (FOLLOW_UPS in turn: "When was that?", …) with that question and
   its answer as the history, timed the same way, with its p50 over the first questions' p50
   and how many were read as follow-ups (`rewritten_question` set); then
   `POST /ask/stream` when the server has that route (404/405 -> n/a): time to the first
   event (a `status`), to the first event after the `status` ones (the checked answer's first
   `token`: no answer text is sent before its citation is checked) and to the `done` event
   (end of stream); last, the server's resident memory (VmRSS, and the peak VmHWM, from
   /proc/<pid>/status);
5. with `--workers 1,2 --generator-url URL`, generate mode with a remote model: for each
   worker count, a server started with `QA_SERVER__WORKERS=N` and
   `QA_GENERATION__BACKEND=openai` at URL (`spawn` starts `python -m llama_cpp.server` with
   the configured GGUF for the run; the bundled GGUF is assembled first, timed and reported
   apart from start-up); `--clients` parallel clients each ask every question once:
   requests/s, latency, the server's stage timings (`write_ms` is the model), start-up, summed
   worker RSS.

Percentiles: `statistics.quantiles(values, n=100, method="inclusive")`, i.e. linear
interpolation between order statistics (the same as `numpy.percentile`'s default).

`--questions` takes JSONL with a `question` field per line; without it, eight built-in
questions about the seed articles are asked. `--json` prints one JSON object on stdout instead
of the table (progress goes to stderr either way). Temporary files are removed at the end unless
`--keep-data DIR` names a folder to build the index into and keep. The servers are stopped on
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
from scripts.cli import run_cli  # noqa: E402

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
# Asked after each question, with that question and its answer as the history: each leans on
# the conversation (a pronoun, or too few words to search alone), so each is read as a follow-up.
FOLLOW_UPS: tuple[str, ...] = (
    "When was that?",
    "What else did they say about it?",
    "Who said that?",
    "And why?",
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


# The stages `/ask` reports in `timings_ms`, in the order an answer goes through them, with the
# table's label for each (qa/answering.py). `write_ms` appears only in generate mode.
STAGE_LABELS: dict[str, str] = {
    "retrieve_ms": "retrieval (retrieve_ms, in /ask)",
    "select_ms": "selector (select_ms, in /ask)",
    "write_ms": "writing, language model (write_ms, in /ask)",
    "verify_ms": "citation check (verify_ms, in /ask)",
}


def follow_up_ratio(follow_up_p50: float | None, first_p50: float | None) -> float | None:
    """Follow-up p50 over first-question p50 (1.2 = follow-ups 20 % slower)."""
    if not follow_up_p50 or not first_p50:
        return None
    return round(follow_up_p50 / first_p50, 3)


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, f"{stage} (in /ask)")


def stage_samples(bodies: Iterable[dict[str, Any]]) -> dict[str, list[float]]:
    """Milliseconds per stage over the `/ask` bodies' `timings_ms`: every stage that appears,
    the known ones in answer order and then any other by name. An answer that stopped before a
    stage (an abstention on the answer score has no `verify_ms`) gives that stage no sample."""
    samples: dict[str, list[float]] = {}
    for body in bodies:
        for stage, value in (body.get("timings_ms") or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                samples.setdefault(stage, []).append(float(value))
    known = list(STAGE_LABELS)

    def order(stage: str) -> tuple[int, str]:
        return (known.index(stage) if stage in known else len(known), stage)

    return {stage: samples[stage] for stage in sorted(samples, key=order)}


def stage_stats(bodies: Iterable[dict[str, Any]]) -> dict[str, dict[str, float | int | None]]:
    """`percentiles` of each stage in `stage_samples`."""
    return {stage: percentiles(values) for stage, values in stage_samples(bodies).items()}


@dataclass
class StreamTimes:
    """Seconds from sending a `/ask/stream` request to each mark (None: never reached)."""

    first_event: float | None = None  # any event; the stream opens with a `status`
    first_kind: str | None = None  # that event's name
    answer: float | None = None  # the first event after the `status` ones: the checked answer
    done: float | None = None  # the `done` event, the last: the whole `/ask` body is in
    closed: float | None = None  # the response has ended
    stages: tuple[str, ...] = ()  # the `stage` of each `status` event, in order
    late_statuses: int = 0  # `status` events after the answer began (should be none)


def time_stream(frames: Iterable[SseFrame], clock: Callable[[], float]) -> StreamTimes:
    """Mark when each part of one stream arrives; `clock()` gives the seconds since the request.

    Before the answer only `status` events come (no text is sent before its citation is
    checked); the first other event (`token`, or `citation`/`done` for an empty answer) is
    when the answer starts arriving. An `error` event, or a stream without `done`, raises."""
    times = StreamTimes()
    stages: list[str] = []
    for frame in frames:
        now = clock()
        if times.first_event is None:
            times.first_event, times.first_kind = now, frame.event
        if frame.event == "error":
            raise RuntimeError(f"/ask/stream sent an error event: {frame.data}")
        if frame.event == "status":
            if times.answer is not None:
                times.late_statuses += 1
            try:
                stages.append(str(json.loads(frame.data).get("stage")))
            except (ValueError, AttributeError):
                stages.append("?")
            continue
        if times.answer is None:
            times.answer = now
        if frame.event == "done":
            times.done = now
    times.closed = clock()
    times.stages = tuple(stages)
    if times.done is None:
        raise RuntimeError("/ask/stream ended without a `done` event")
    return times


def count(items: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


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


def _counts(counts: dict[str, int] | None) -> str:
    return ", ".join(f"{k} {v}" for k, v in (counts or {}).items()) or "n/a"


def _stream_rows(stream: dict[str, Any]) -> list[tuple[str, str]]:
    if not stream["available"]:
        na = f"n/a (HTTP {stream['http_status']})"
        return [("/ask/stream", na)]
    return [
        (
            "/ask/stream first event",
            f"{_pair(stream['first_event_ms'])}   first: {_counts(stream['first_event_kinds'])}",
        ),
        ("/ask/stream status stages", _counts(stream["status_stages"])),
        ("/ask/stream answer starts (1st token)", _pair(stream["answer_ms"])),
        ("/ask/stream end (done event)", _pair(stream["done_ms"])),
    ]


def _follow_up_rows(follow: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not follow:
        return []
    ratio = follow.get("ratio_to_first_p50")
    shown = "n/a" if ratio is None else f"{ratio:.2f}x"
    return [
        ("/ask follow-up (client)", _pair(follow["latency_ms"])),
        *((f"  follow-up {stage_label(k)}", _pair(v)) for k, v in follow["stage_ms"].items()),
        (
            "  follow-up vs first p50",
            f"{shown}   read as follow-ups {follow['read_as_follow_up']}"
            f"/{follow['count']}   answers {_counts(follow['statuses'])}",
        ),
    ]


def _worker_row(row: dict[str, Any]) -> tuple[str, str]:
    name = f"{row['workers']} worker(s), remote generator"
    if "error" in row:
        return name, f"failed: {row['error']}"
    stages = "  ".join(
        f"{stage} {_cell(stats['p50'])}" for stage, stats in (row.get("stage_ms") or {}).items()
    )
    return name, (
        f"{_cell(row['requests_per_s'], ' req/s')}   {_pair(row['latency_ms'])}   "
        f"stages p50: {stages or 'n/a'}   start-up {_cell(row['startup_s'], ' s')}   "
        f"RSS {_cell(row['rss_mib'], ' MiB')}   HTTP {_counts(row['statuses'])}   "
        f"answers {_counts(row.get('answers'))}"
    )


def format_table(report: dict[str, Any]) -> str:
    """The report as a two-column text table."""
    env, corpus, emb = report["environment"], report["corpus"], report["embedding"]
    build, server, ask = report["index_build"], report["server"], report["ask"]
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
        ("server answer mode", server.get("mode") or "n/a"),
        ("server start-up to ready", _cell(server["startup_s"], " s")),
        ("server RSS after questions", _cell(server["rss_mib"], " MiB")),
        ("server peak RSS", _cell(server["peak_rss_mib"], " MiB")),
        ("/ask first request", _cell(ask["first_request_ms"], " ms")),
        ("/ask total (client)", _pair(ask["latency_ms"])),
        *((stage_label(stage), _pair(stats)) for stage, stats in ask["stage_ms"].items()),
        ("/ask statuses", _counts(ask["statuses"])),
        *_follow_up_rows(report.get("follow_ups")),
        *_stream_rows(report["ask_stream"]),
    ]
    if report.get("workers"):
        rows.append(("GGUF prepare (spawned generator)", _cell(report.get("gguf_prepare_s"), " s")))
        rows += [_worker_row(row) for row in report["workers"]]
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
    """The build as `scripts/rebuild_index.py` makes it, near-duplicate removal included."""
    from index.builder import rebuild_configured
    from qa.settings import Settings

    started = time.perf_counter()
    built = rebuild_configured(corpus_dir, Settings(data_dir=data_dir), embedder=embedder)
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


def prepare_gguf(data_dir: Path) -> float:
    """Put the configured GGUF in place for a spawned generator (the bundled one is assembled
    from its parts) and return the seconds it took."""
    from index.generation import resolve_gguf
    from qa.settings import Settings

    settings = Settings(data_dir=data_dir)
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
    """`POST /ask` latency per question (client side), and the server's own time per stage
    from each response's `timings_ms`, after one untimed warm-up request."""
    first_ms = ms(_timed(lambda: _post_ask(client, questions[0])))
    latencies: list[float] = []
    bodies: list[dict[str, Any]] = []
    for question in questions:
        started = time.perf_counter()
        body = _post_ask(client, question)
        latencies.append(ms(time.perf_counter() - started))
        bodies.append(body)
    return {
        "first_request_ms": first_ms,
        "latency_ms": percentiles(latencies),
        "stage_ms": stage_stats(bodies),
        "statuses": count(str(body.get("status")) for body in bodies),
        "_turns": [(q, str(b.get("answer", ""))) for q, b in zip(questions, bodies, strict=True)],
    }


def measure_follow_ups(
    client: httpx.Client, turns: list[tuple[str, str]], first_p50: float | None
) -> dict[str, Any]:
    """`POST /ask` of a follow-up (FOLLOW_UPS in turn) after each question, with that question
    and its answer as the history: latency, stages, whether it was read as a follow-up
    (`rewritten_question` set), and its p50 against the first questions' p50."""
    latencies: list[float] = []
    bodies: list[dict[str, Any]] = []
    for n, (question, answer) in enumerate(turns):
        follow_up = FOLLOW_UPS[n % len(FOLLOW_UPS)]
        payload = {"question": follow_up, "history": [{"question": question, "answer": answer}]}
        started = time.perf_counter()
        response = client.post("/ask", json=payload)
        latencies.append(ms(time.perf_counter() - started))
        response.raise_for_status()
        bodies.append(dict(response.json()))
    stats = percentiles(latencies)
    p50 = stats.get("p50")
    return {
        "latency_ms": stats,
        "stage_ms": stage_stats(bodies),
        "read_as_follow_up": sum(1 for b in bodies if b.get("rewritten_question")),
        "count": len(bodies),
        "statuses": count(str(b.get("status")) for b in bodies),
        "ratio_to_first_p50": follow_up_ratio(float(p50) if p50 is not None else None, first_p50),
    }


def _stream_once(client: httpx.Client, question: str) -> tuple[int, StreamTimes | None]:
    """Status code and, for a 200, when each part of the stream arrived."""
    started = time.perf_counter()
    with client.stream("POST", "/ask/stream", json={"question": question}) as response:
        if response.status_code != 200:
            response.read()
            return response.status_code, None
        frames = sse_frames(response.iter_lines())
        return 200, time_stream(frames, lambda: time.perf_counter() - started)


def measure_stream(client: httpx.Client, questions: list[str]) -> dict[str, Any]:
    """Per question over SSE: time to the first event (a `status`), to the first event after
    the `status` ones (the checked answer's first `token`) and to `done`, the end of the stream;
    n/a when the route is missing.

    The first request detects the route and warms it up; it is not counted."""
    status, _ = _stream_once(client, questions[0])
    if status in UNAVAILABLE:
        return {"available": False, "http_status": status}
    if status != 200:
        raise RuntimeError(f"POST /ask/stream answered {status}")
    runs = [times for _, times in (_stream_once(client, q) for q in questions) if times]

    def marks(name: str) -> dict[str, float | int | None]:
        return percentiles([ms(v) for t in runs if (v := getattr(t, name)) is not None])

    return {
        "available": True,
        "http_status": 200,
        "first_event_ms": marks("first_event"),
        "first_event_kinds": count(str(t.first_kind) for t in runs),
        "status_stages": count(stage for t in runs for stage in t.stages),
        "answer_ms": marks("answer"),
        "done_ms": marks("done"),
        "closed_ms": marks("closed"),
        "late_statuses": sum(t.late_statuses for t in runs),
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


def answer_mode(client: httpx.Client) -> str:
    """What the server answers with, from `GET /readyz`'s `generator` (null: no model)."""
    import httpx

    try:
        body = client.get("/readyz").json()
    except (httpx.HTTPError, ValueError):
        return "unknown"
    if not isinstance(body, dict) or "generator" not in body:
        return "unknown"
    if body["generator"] is None:
        return "extract (selector's sentence, no language model)"
    return f"generate ({body['generator']} words the chosen sentence)"


def measure_server(data_dir: Path, questions: list[str], log_dir: Path) -> dict[str, Any]:
    import httpx

    say("starting the server …")
    with running_server(data_dir, log_dir / "server.log") as server:
        say(f"server ready in {server.startup_s:.1f} s; asking {len(questions)} questions …")
        with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S, trust_env=False) as c:
            mode = answer_mode(c)
            ask = measure_ask(c, questions)
            say("follow-ups …")
            first_p50 = ask["latency_ms"].get("p50")
            follow_ups = measure_follow_ups(c, ask.pop("_turns"), first_p50)
            say("streaming …")
            stream = measure_stream(c, questions)
        memory = server_memory(server.process.pid)
    return {
        "server": {"mode": mode, "startup_s": round(server.startup_s, 2), **memory},
        "ask": ask,
        "follow_ups": follow_ups,
        "ask_stream": stream,
    }


def _ask_concurrently(url: str, questions: list[str], clients: int) -> dict[str, Any]:
    """Every question once per client, `clients` at a time: requests/s, latency, and the
    server's stage timings of the answered ones."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    work = [q for _ in range(clients) for q in questions]

    def ask(question: str) -> tuple[float, str, dict[str, Any]]:
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S, trust_env=False) as c:
            started = time.perf_counter()
            try:
                response = c.post("/ask", json={"question": question})
            except httpx.HTTPError as exc:
                return ms(time.perf_counter() - started), type(exc).__name__, {}
            latency = ms(time.perf_counter() - started)
            ok = response.status_code == 200
            return latency, str(response.status_code), dict(response.json()) if ok else {}

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        done = list(pool.map(ask, work))
    seconds = time.perf_counter() - started
    answered = [(latency, body) for latency, status, body in done if status == "200"]
    return {
        "requests": len(work),
        "clients": clients,
        "seconds": round(seconds, 2),
        "requests_per_s": rate(len(answered), seconds),  # 200s only
        "latency_ms": percentiles([latency for latency, _ in answered]),
        "stage_ms": stage_stats(body for _, body in answered),
        "statuses": count(status for _, status, _ in done),
        "answers": count(str(body.get("status")) for _, body in answered),
    }


def measure_workers(
    data_dir: Path,
    questions: list[str],
    workers: list[int],
    generator_url: str,
    clients: int,
    log_dir: Path,
) -> list[dict[str, Any]]:
    """Generate mode: throughput with N API worker processes sharing the index on disk and
    one remote OpenAI-compatible generator that words each answer."""
    import httpx

    rows = []
    for n_workers in workers:
        env = {
            "QA_SERVER__WORKERS": str(n_workers),
            "QA_GENERATION__BACKEND": "openai",
            "QA_GENERATION__BASE_URL": generator_url,
            # measure throughput, not the time limit: queued questions must not turn into 503s
            "QA_SERVER__REQUEST_TIMEOUT_S": str(REQUEST_TIMEOUT_S),
            "QA_SERVER__GENERATION_QUEUE_SIZE": str(4 * clients),
            "QA_GENERATION__TIMEOUT_S": str(REQUEST_TIMEOUT_S),
        }
        say(f"{n_workers} worker(s) against {generator_url} …")
        with running_server(data_dir, log_dir / f"server-{n_workers}w.log", env) as server:
            with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S, trust_env=False) as c:
                for question in questions[: max(2, n_workers)]:  # warm each worker, untimed
                    c.post("/ask", json={"question": question})
            load = _ask_concurrently(server.url, questions, clients)
            rows.append(
                {
                    "workers": n_workers,
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

    from index.generation import resolve_gguf
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
        "stage rows are the server's own timings_ms of the same /ask requests; select_ms covers "
        "gathering and shortlisting the candidate sentences and the selector model reading them",
    ]
    if report.get("workers"):
        notes.append(
            "workers: generate mode (QA_GENERATION__BACKEND=openai) against "
            f"{report['workers_generator']}; each question once per client, clients in "
            "parallel; memory sums the server and its worker processes"
        )
    stream = report["ask_stream"]
    if not stream["available"]:
        notes.append(f"/ask/stream answered {stream['http_status']}: n/a")
        return notes
    answer, done = stream["answer_ms"]["p50"], stream["done_ms"]["p50"]
    if answer and done:
        notes.append(
            f"/ask/stream: the answer's first token comes at {answer / done:.0%} of the time to "
            "`done` (p50): only `status` events come before it, since no text is sent before "
            "its citation is checked"
        )
    if stream["late_statuses"]:
        notes.append(f"/ask/stream: {stream['late_statuses']} `status` event(s) after the answer")
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
    workers, generator_url, gguf_s = None, args.generator_url, None
    if args.workers:
        with ExitStack() as stack:
            try:
                if generator_url == "spawn":
                    gguf_s = prepare_gguf(data_dir)
                    generator_url = stack.enter_context(
                        spawned_generator(
                            data_dir, scratch / "llama-server.log", args.generator_threads
                        )
                    )
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
        "workers": workers,
        "workers_generator": args.generator_url if workers else None,
        "gguf_prepare_s": gguf_s,
        "percentile_method": PERCENTILE_METHOD,
    }
    report["notes"] = _notes(report)
    return report


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("seeds"), help="folder of articles")
    parser.add_argument("--questions", type=Path, help="JSONL with a `question` field per line")
    parser.add_argument("--questions-limit", type=int, help="ask only the first N questions")
    parser.add_argument(
        "--retrieval-repeats", type=int, default=5, help="times each question is retrieved"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep-data", type=Path, help="build the index here and keep it")
    parser.add_argument(
        "--workers",
        type=lambda v: [int(n) for n in v.split(",")],
        help="comma-separated API worker counts to measure generate-mode throughput at (e.g. "
        "1,2); needs --generator-url",
    )
    parser.add_argument(
        "--generator-url",
        help="OpenAI-compatible base URL (…/v1) the workers' generate mode uses, or `spawn` to "
        "start `python -m llama_cpp.server` with the configured GGUF",
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
    run_cli(main)
