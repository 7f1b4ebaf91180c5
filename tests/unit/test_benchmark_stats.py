"""Unit tests for scripts/benchmark.py's helpers: percentiles, stage timings, SSE frames and
stream marks, the table, /proc."""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
from collections.abc import Callable, Iterator
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


def _client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(base_url="http://test", transport=httpx.MockTransport(handler))


@pytest.mark.unit
def test_stage_stats_cover_every_stage_present_in_answer_order() -> None:
    bodies = [
        {"timings_ms": {"verify_ms": 30.0, "select_ms": 200.0, "retrieve_ms": 10.0}},
        {"timings_ms": {"retrieve_ms": 20.0, "select_ms": 100.0}},  # abstained: no check
        {"timings_ms": {"retrieve_ms": 30.0, "select_ms": 300.0, "write_ms": 900.0}},
        {"timings_ms": {"zeta_ms": 1, "alpha_ms": 2.5}},  # a stage this script does not know
        {"status": "answered"},  # no timings at all
    ]
    stats = bench.stage_stats(bodies)
    assert list(stats) == [
        "retrieve_ms",
        "select_ms",
        "write_ms",
        "verify_ms",
        "alpha_ms",
        "zeta_ms",
    ]
    assert stats["retrieve_ms"] == {"n": 3, "p50": 20.0, "p95": 29.0}
    assert stats["select_ms"] == bench.percentiles([200.0, 100.0, 300.0])
    assert stats["write_ms"]["n"] == 1 and stats["verify_ms"]["n"] == 1
    assert bench.stage_label("select_ms") == "selector (select_ms, in /ask)"
    assert bench.stage_label("alpha_ms") == "alpha_ms (in /ask)"


@pytest.mark.unit
def test_measure_ask_reports_each_stage_from_timings_ms() -> None:
    timings = iter([12.0, 8.0, 9.0])  # the warm-up, then two timed requests

    def handler(request: httpx.Request) -> httpx.Response:
        select = next(timings)
        body = {"status": "answered", "timings_ms": {"retrieve_ms": 5.0, "select_ms": select}}
        return httpx.Response(200, json=body)

    with _client(handler) as client:
        result = bench.measure_ask(client, ["A?", "B?"])
    assert result["latency_ms"]["n"] == 2
    assert result["statuses"] == {"answered": 2}
    assert result["stage_ms"] == {
        "retrieve_ms": {"n": 2, "p50": 5.0, "p95": 5.0},
        "select_ms": {"n": 2, "p50": 8.5, "p95": 8.9},  # the warm-up is not counted
    }
    assert "score_ms" not in result["stage_ms"] and "read_ms" not in result["stage_ms"]


def _frames(*pairs: tuple[str, str]) -> list[Any]:
    return [bench.SseFrame(event, data) for event, data in pairs]


def _ticks() -> Callable[[], float]:
    """A clock that reads 1, 2, 3 … seconds, one tick per call."""
    state = {"now": 0.0}

    def clock() -> float:
        state["now"] += 1.0
        return state["now"]

    return clock


@pytest.mark.unit
def test_time_stream_marks_first_status_answer_and_done() -> None:
    frames = _frames(
        ("status", '{"stage":"searching","query":"Q?"}'),
        ("status", '{"stage":"reading","sentences":3,"articles":2}'),
        ("status", '{"stage":"checking","paragraph_id":"p"}'),
        ("token", '{"text":"Yes "}'),
        ("token", '{"text":"[1]"}'),
        ("citation", '{"marker":1}'),
        ("done", "{}"),
    )
    times = bench.time_stream(frames, _ticks())
    assert times.first_event == 1.0 and times.first_kind == "status"
    assert times.answer == 4.0  # the first token, after the three status events
    assert times.done == 7.0
    assert times.closed == 8.0
    assert times.stages == ("searching", "reading", "checking")
    assert times.late_statuses == 0


@pytest.mark.unit
def test_time_stream_of_an_abstention_and_a_late_status() -> None:
    frames = _frames(
        ("status", '{"stage":"searching"}'),
        ("token", '{"text":"No."}'),
        ("status", '{"stage":"checking"}'),
        ("done", "{}"),
    )
    times = bench.time_stream(frames, _ticks())
    assert (times.first_event, times.answer, times.done) == (1.0, 2.0, 4.0)
    assert times.late_statuses == 1


@pytest.mark.unit
def test_time_stream_raises_on_error_event_or_missing_done() -> None:
    with pytest.raises(RuntimeError, match="error event"):
        bench.time_stream(_frames(("status", "{}"), ("error", '{"status":503}')), _ticks())
    with pytest.raises(RuntimeError, match="without a `done`"):
        bench.time_stream(_frames(("status", '{"stage":"searching"}')), _ticks())


@pytest.mark.unit
def test_stream_is_na_when_the_route_is_missing() -> None:
    with _client(lambda request: httpx.Response(404, json={"detail": "Not Found"})) as client:
        result = bench.measure_stream(client, ["Q?"])
    assert result == {"available": False, "http_status": 404}
    assert bench._stream_rows(result) == [("/ask/stream", "n/a (HTTP 404)")]


STREAM_BODY = (
    ': ping\r\n\r\nevent: status\r\ndata: {"stage":"searching","query":"Q?"}\r\n\r\n'
    'event: status\r\ndata: {"stage":"reading","sentences":3,"articles":1}\r\n\r\n'
    'event: status\r\ndata: {"stage":"checking","paragraph_id":"p"}\r\n\r\n'
    'event: token\r\ndata: {"text":"Yes."}\r\n\r\n'
    'event: citation\r\ndata: {"marker":1}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n'
)


@pytest.mark.unit
def test_stream_times_the_first_status_the_answer_and_the_done_event() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=STREAM_BODY, headers={"content-type": "text/event-stream"})

    with _client(handler) as client:
        result = bench.measure_stream(client, ["A?", "B?"])
    assert result["available"] is True
    assert result["first_event_kinds"] == {"status": 2}
    assert result["status_stages"] == {"searching": 2, "reading": 2, "checking": 2}
    assert result["late_statuses"] == 0
    for mark in ("first_event_ms", "answer_ms", "done_ms", "closed_ms"):
        assert result[mark]["n"] == 2
    first, answer = result["first_event_ms"]["p50"], result["answer_ms"]["p50"]
    assert first <= answer <= result["done_ms"]["p50"] <= result["closed_ms"]["p50"]


@pytest.mark.unit
def test_stream_error_event_is_raised() -> None:
    body = 'event: status\r\ndata: {"stage":"searching"}\r\n\r\nevent: error\r\ndata: {}\r\n\r\n'

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})

    with _client(handler) as client, pytest.raises(RuntimeError, match="error event"):
        bench.measure_stream(client, ["A?", "B?"])


@pytest.mark.unit
def test_answer_mode_from_readyz() -> None:
    def ready(generator: str | None) -> Callable[[httpx.Request], httpx.Response]:
        return lambda request: httpx.Response(200, json={"status": "ready", "generator": generator})

    with _client(ready(None)) as client:
        assert bench.answer_mode(client).startswith("extract")
    with _client(ready("gemma.gguf")) as client:
        assert bench.answer_mode(client).startswith("generate (gemma.gguf")
    with _client(lambda request: httpx.Response(404, text="nope")) as client:
        assert bench.answer_mode(client) == "unknown"


def _report() -> dict[str, Any]:
    stats = {"n": 2, "p50": 50.0, "p95": 60.0}
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
            "mode": "extract (selector's sentence, no language model)",
            "startup_s": 3.0,
            "rss_mib": 500.0,
            "peak_rss_mib": 600.0,
        },
        "ask": {
            "first_request_ms": 100.0,
            "latency_ms": {"n": 1, "p50": 90.0, "p95": 90.0},
            "stage_ms": {
                "retrieve_ms": {"n": 1, "p50": 10.0, "p95": 10.0},
                "select_ms": {"n": 1, "p50": 70.0, "p95": 70.0},
                "verify_ms": {"n": 1, "p50": 5.0, "p95": 5.0},
            },
            "statuses": {"answered": 1},
        },
        "ask_stream": {
            "available": True,
            "http_status": 200,
            "first_event_ms": {"n": 2, "p50": 4.0, "p95": 5.0},
            "first_event_kinds": {"status": 2},
            "status_stages": {"searching": 2, "reading": 2, "checking": 2},
            "answer_ms": {"n": 2, "p50": 99.0, "p95": 120.0},
            "done_ms": stats | {"p50": 100.0},
            "closed_ms": stats | {"p50": 101.0},
            "late_statuses": 0,
        },
        "workers": None,
        "workers_generator": None,
        "gguf_prepare_s": None,
        "percentile_method": "inclusive",
    }
    report["notes"] = bench._notes(report)
    return report


@pytest.mark.unit
def test_table_shows_each_stage_beside_the_ask_latency() -> None:
    table = bench.format_table(_report())
    lines = table.splitlines()
    names = [line.split("  ")[0] for line in lines]
    at = names.index("/ask total (client)")
    assert names[at + 1 : at + 4] == [
        "retrieval (retrieve_ms, in /ask)",
        "selector (select_ms, in /ask)",
        "citation check (verify_ms, in /ask)",
    ]
    assert "p50 70.0 ms   p95 70.0 ms   (n=1)" in lines[at + 2]
    assert "p50 90.0 ms   p95 90.0 ms   (n=1)" in lines[at]
    assert "first: status 2" in table
    assert "/ask/stream answer starts (1st token)" in table
    assert "/ask/stream end (done event)" in table
    assert "first token comes at 99% of the time to `done`" in table
    assert "n/a" not in table
    for gone in ("reader", "prompt tokens", "prefix", "GGUF", "worker", "score_ms", "read_ms"):
        assert gone not in table


@pytest.mark.unit
def test_table_shows_na_for_what_was_not_measured() -> None:
    report = _report()
    report["ask"]["stage_ms"] = {}
    report["ask_stream"] = {"available": False, "http_status": 405}
    report["notes"] = bench._notes(report)
    table = bench.format_table(report)
    assert "/ask/stream   " in table and "n/a (HTTP 405)" in table
    assert "in /ask)" not in table
    assert "note: /ask/stream answered 405: n/a" in table


@pytest.mark.unit
def test_table_shows_generate_mode_workers_with_their_stages() -> None:
    report = _report()
    stats = {"n": 2, "p50": 50.0, "p95": 60.0}
    report["workers"] = [
        {
            "workers": w,
            "requests_per_s": 1.5 * w,
            "latency_ms": stats,
            "stage_ms": {"select_ms": stats, "write_ms": {"n": 2, "p50": 800.0, "p95": 900.0}},
            "startup_s": 4.0,
            "rss_mib": 800.0 * w,
            "statuses": {"200": 8},
            "answers": {"answered": 6, "insufficient_evidence": 2},
        }
        for w in (1, 2)
    ] + [{"workers": 3, "error": "llama_cpp.server exited"}]
    report["workers_generator"] = "spawn"
    report["gguf_prepare_s"] = 0.4
    report["notes"] = bench._notes(report)
    table = bench.format_table(report)
    lines = {line.split("  ")[0]: line for line in table.splitlines()}
    assert "1.5 req/s" in lines["1 worker(s), remote generator"]
    assert "write_ms 800.0" in lines["2 worker(s), remote generator"]
    assert "3.0 req/s" in lines["2 worker(s), remote generator"]
    assert "failed: llama_cpp.server exited" in lines["3 worker(s), remote generator"]
    assert "RSS 1,600.0 MiB   HTTP 200 8   answers answered 6, insufficient_evidence 2" in table
    assert "0.4 s" in lines["GGUF prepare (spawned generator)"]
    assert "generate mode (QA_GENERATION__BACKEND=openai) against spawn" in table


@pytest.mark.unit
def test_process_tree_lists_this_process() -> None:
    import os

    assert bench.process_tree(os.getpid())[0] == os.getpid()
    memory = bench.server_memory(os.getpid())
    assert memory["rss_mib"] and memory["rss_mib"] > 0


@pytest.mark.unit
def test_workers_need_a_generator_url_and_llama_tuning_is_gone() -> None:
    with pytest.raises(SystemExit):
        bench.parse_args(["--workers", "1,2"])
    args = bench.parse_args(["--workers", "1,2", "--generator-url", "spawn"])
    assert args.workers == [1, 2]
    with pytest.raises(SystemExit):
        bench.parse_args(["--llama-tuning"])


@pytest.mark.unit
def test_follow_ups_are_asked_with_each_question_and_its_answer_as_history() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        payload = json.loads(request.content)
        seen.append(payload)
        body = {
            "status": "answered",
            "rewritten_question": f"{payload['question']} ({payload['history'][0]['question']})",
            "timings_ms": {"retrieve_ms": 4.0, "select_ms": 6.0},
        }
        return httpx.Response(200, json=body)

    with _client(handler) as client:
        result = bench.measure_follow_ups(client, [("A?", "a. [1]"), ("B?", "b. [1]")], 100.0)
    assert [p["question"] for p in seen] == list(bench.FOLLOW_UPS[:2])
    assert seen[1]["history"] == [{"question": "B?", "answer": "b. [1]"}]
    assert result["count"] == 2 and result["read_as_follow_up"] == 2
    assert result["stage_ms"]["select_ms"]["p50"] == 6.0
    assert result["ratio_to_first_p50"] == round(result["latency_ms"]["p50"] / 100.0, 3)


@pytest.mark.unit
def test_follow_up_ratio_and_its_row() -> None:
    assert bench.follow_up_ratio(110.0, 100.0) == 1.1
    assert bench.follow_up_ratio(None, 100.0) is None and bench.follow_up_ratio(5.0, 0.0) is None
    report = _report()
    report["follow_ups"] = {
        "latency_ms": {"n": 4, "p50": 99.0, "p95": 120.0},
        "stage_ms": {"select_ms": {"n": 4, "p50": 70.0, "p95": 80.0}},
        "read_as_follow_up": 4,
        "count": 4,
        "statuses": {"answered": 3, "insufficient_evidence": 1},
        "ratio_to_first_p50": 1.1,
    }
    table = bench.format_table(report)
    assert "/ask follow-up (client)" in table
    assert "1.10x   read as follow-ups 4/4   answers answered 3, insufficient_evidence 1" in table


@pytest.mark.unit
def test_the_benchmark_builds_as_rebuild_index_does_near_duplicates_left_out(
    tmp_path: Path,
) -> None:
    from tests.fakes import HashingEmbedder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shared = "The harbour authority said the ferry would run twice a day from Monday."
    (corpus / "a.txt").write_text(f"Ferry returns\n\n{shared}\n\nTickets cost four euros.")
    (corpus / "b.txt").write_text(f"Island news\n\n{shared}\n\nThe library opens in May.")
    built = bench.measure_build(corpus, tmp_path / "data", HashingEmbedder())
    # four paragraphs, one of them a copy of another: the service's index holds three
    assert built["paragraphs"] == 3
