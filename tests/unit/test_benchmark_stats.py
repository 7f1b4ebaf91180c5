"""Unit tests for the pure helpers of scripts/benchmark.py: percentiles, SSE frames, /proc."""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "benchmark.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = _load()


@pytest.mark.unit
def test_percentiles_interpolate_linearly_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 50.0]
    # numpy.percentile(values, [50, 95]) == [30.0, 48.0]
    assert bench.percentiles(values) == {"n": 5, "p50": 30.0, "p95": 48.0}


@pytest.mark.unit
def test_percentiles_of_unsorted_values_match_statistics() -> None:
    values = [7.0, 1.0, 3.0, 9.0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    assert bench.percentiles(values) == {"n": 4, "p50": round(cuts[49], 1), "p95": 8.7}


@pytest.mark.unit
def test_percentiles_of_one_and_of_no_value() -> None:
    assert bench.percentiles([12.34]) == {"n": 1, "p50": 12.3, "p95": 12.3}
    assert bench.percentiles([]) == {"n": 0, "p50": None, "p95": None}


@pytest.mark.unit
def test_sse_frames_yield_complete_frames_and_skip_comments() -> None:
    lines = [
        ": ping",
        "",
        "event: token",
        'data: {"text":"Georgy "}',
        "",
        "event: done",
        "data: {}",
        "",
    ]
    frames = list(bench.sse_frames(lines))
    assert [(f.event, f.data) for f in frames] == [
        ("token", '{"text":"Georgy "}'),
        ("done", "{}"),
    ]


@pytest.mark.unit
def test_sse_frame_is_yielded_only_when_its_blank_line_arrives() -> None:
    seen: list[str] = []

    def lines() -> Iterator[str]:
        for line in ["event: token", "data: {}"]:
            seen.append(line)
            yield line
        seen.append("")
        yield ""

    first = next(bench.sse_frames(lines()))
    assert first.event == "token"
    assert seen[-1] == ""


@pytest.mark.unit
def test_sse_frames_without_event_name_are_messages_and_data_lines_join() -> None:
    frames = list(bench.sse_frames(["data: a", "data: b"]))
    assert [(f.event, f.data) for f in frames] == [("message", "a\nb")]


@pytest.mark.unit
def test_parse_status_kib_reads_vm_fields() -> None:
    status = "Name:\tpython\nVmHWM:\t  950000 kB\nVmRSS:\t  901234 kB\nThreads:\t7\n"
    assert bench.parse_status_kib(status, "VmRSS") == 901234
    assert bench.parse_status_kib(status, "VmHWM") == 950000
    assert bench.parse_status_kib(status, "VmSwap") is None


@pytest.mark.unit
def test_load_questions_from_jsonl_with_limit(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    rows = [{"id": "a", "question": "One?"}, {"question": "Two?"}, {"question": "Three?"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    assert bench.load_questions(path, 2) == ["One?", "Two?"]
    assert bench.load_questions(None, None) == list(bench.DEFAULT_QUESTIONS)


@pytest.mark.unit
def test_load_questions_rejects_a_line_without_question(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "Fine?"}\n{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        bench.load_questions(path, None)


@pytest.mark.unit
def test_prompt_tokens_only_when_the_response_exposes_them() -> None:
    assert bench.prompt_tokens_of({"timings_ms": {"read_ms": 12.0}}) is None
    assert bench.prompt_tokens_of({"usage": {"prompt_tokens": 321}}) == 321
    assert bench.prompt_tokens_of({"timings_ms": {"prompt_tokens": 99.0}}) == 99


def _client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(base_url="http://test", transport=httpx.MockTransport(handler))


@pytest.mark.unit
def test_stream_is_na_when_the_route_is_missing() -> None:
    with _client(lambda request: httpx.Response(404, json={"detail": "Not Found"})) as client:
        result = bench.measure_stream(client, ["Q?"])
    assert result == {
        "available": False,
        "http_status": 404,
        "first_event_ms": None,
        "ttft_ms": None,
        "total_ms": None,
    }


@pytest.mark.unit
def test_stream_times_the_first_event_and_the_first_token_frame() -> None:
    body = (
        ': ping\r\n\r\nevent: status\r\ndata: {"stage":"searching"}\r\n\r\n'
        'event: token\r\ndata: {"text":"Yes."}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n'
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    with _client(handler) as client:
        result = bench.measure_stream(client, ["A?", "B?"])
    assert result["available"] is True
    assert result["first_event_ms"]["n"] == 2
    assert result["ttft_ms"]["n"] == 2
    assert result["total_ms"]["n"] == 2
    assert result["first_event_ms"]["p50"] <= result["ttft_ms"]["p50"] <= result["total_ms"]["p50"]


def _report() -> dict[str, Any]:
    na = {"n": 0, "p50": None, "p95": None}
    report = {
        "environment": {"cpus": 2, "load_avg_start": 1.0, "load_avg_end": 1.5},
        "corpus": {"folder": "seeds", "articles": 1, "paragraphs": 2, "sentences": 3},
        "questions": {"source": "built-in", "count": 1},
        "embedding": {
            "model_load_s": 1.0,
            "paragraphs_s": 1.0,
            "sentences_s": 1.0,
            "paragraphs_per_s": 2.0,
            "sentences_per_s": 3.0,
        },
        "index_build": {"seconds": 2.0},
        "retrieval_ms": {"n": 1, "p50": 10.0, "p95": 10.0},
        "server": {
            "gguf_prepare_s": None,
            "startup_s": 3.0,
            "rss_mib": 500.0,
            "peak_rss_mib": 600.0,
        },
        "ask": {
            "first_request_ms": 100.0,
            "latency_ms": {"n": 1, "p50": 90.0, "p95": 90.0},
            "statuses": {"answered": 1},
            "server_stage_ms_p50": {"retrieve_ms": 10.0},
            "prompt_tokens": None,
        },
        "ask_stream": {
            "available": False,
            "http_status": 404,
            "first_event_ms": na,
            "ttft_ms": na,
            "total_ms": na,
        },
        "reader": {"prompt_tokens": None, "reader_ms": None, "reader_calls": 0},
        "llama_tuning": None,
        "workers": None,
        "percentile_method": "inclusive",
        "notes": ["a note"],
    }
    return report


@pytest.mark.unit
def test_table_shows_na_for_what_was_not_measured() -> None:
    table = bench.format_table(_report())
    assert "/ask/stream first token" in table
    # GGUF prepare, stream first event, ttft and total, prompt tokens, reader call
    assert table.count("n/a") == 6
    assert "p50 90.0 ms   p95 90.0 ms   (n=1)" in table
    assert "worker" not in table
    assert "prefix" not in table


@pytest.mark.unit
def test_table_shows_prompt_tokens_tuning_and_workers_when_measured() -> None:
    report = _report()
    report["reader"] = {
        "prompt_tokens": {"n": 2, "p50": 410.0, "p95": 455.0},
        "reader_ms": {"n": 2, "p50": 700.0, "p95": 900.0},
        "reader_calls": 2,
    }
    stats = {"n": 2, "p50": 50.0, "p95": 60.0}
    report["llama_tuning"] = {
        f"threads_{t}_{mode}_{what}": stats
        for t in (1, 2)
        for mode in ("cold", "warm")
        for what in ("ms", "evaluated_tokens")
    }
    report["workers"] = [
        {
            "workers": w,
            "requests_per_s": 1.5 * w,
            "latency_ms": stats,
            "startup_s": 4.0,
            "rss_mib": 800.0 * w,
            "statuses": {"200": 8},
        }
        for w in (1, 2)
    ]
    table = bench.format_table(report)
    assert "prompt tokens / request" in table and "p50 410.0   p95 455.0   (n=2)" in table
    assert table.count("reader prompt, ") == 4
    assert "2 thread(s), prefix reused" in table
    lines = {line.split("  ")[0]: line for line in table.splitlines()}
    assert "1.5 req/s" in lines["1 worker(s), remote generator"]
    assert "3.0 req/s" in lines["2 worker(s), remote generator"]
    assert "RSS 1,600.0 MiB" in table


class _Tokenizer:
    """Stands in for llama_cpp.Llama: one token per word, plus BOS."""

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = True) -> list[int]:
        return [0] * (len(text.split()) + int(add_bos))


class _Reader:
    model_name = "fake.gguf"
    prompt_format = "completion"

    def __init__(self) -> None:
        self._llm = _Tokenizer()

    def complete(self, prompt: str, *, max_tokens: int, stop: Sequence[str]) -> str:
        return "answer"

    def chat(self, messages: list[dict[str, str]], *, max_tokens: int, stop: Sequence[str]) -> str:
        return "chat answer"


@pytest.mark.unit
def test_recording_reader_counts_tokens_and_passes_calls_through() -> None:
    recorder = bench.RecordingReader(_Reader())
    assert recorder.complete("one two three", max_tokens=4, stop=[]) == "answer"
    messages = [{"role": "system", "content": "a b"}, {"role": "user", "content": "c"}]
    assert recorder.chat(messages, max_tokens=4, stop=[]) == "chat answer"
    assert recorder.tokens == [4, 4]  # words + BOS; chat messages joined by newlines
    assert recorder.prompts[0] == "one two three"
    assert len(recorder.seconds) == 2
    assert recorder.prompt_format == "completion"  # everything else is the wrapped reader's


@pytest.mark.unit
def test_process_tree_lists_this_process() -> None:
    import os

    assert bench.process_tree(os.getpid())[0] == os.getpid()
    memory = bench.server_memory(os.getpid())
    assert memory["rss_mib"] and memory["rss_mib"] > 0


@pytest.mark.unit
def test_workers_need_a_generator_url() -> None:
    with pytest.raises(SystemExit):
        bench.parse_args(["--workers", "1,2"])
    args = bench.parse_args(["--workers", "1,2", "--generator-url", "spawn"])
    assert args.workers == [1, 2]
