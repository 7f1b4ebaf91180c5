"""Stopping the server while streamed questions wait: each stream still ends with `done`, or
with an `error` event that says the server is shutting down, never silently.

A real uvicorn server on the seeds gets SIGTERM while several `/ask/stream` questions and one
streamed `/v1/chat/completions` are waiting in its answering queue (`server.shutdown_grace_s`).
"""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, start_server
from tests.e2e.test_stream import parse_sse

pytestmark = pytest.mark.e2e

STREAMS = 8


def _ask(server: Server, path: str, body: dict[str, Any], started: threading.Semaphore,
         out: list[Any]) -> None:  # fmt: skip
    try:
        with (
            httpx.Client(base_url=server.url, timeout=120) as client,
            client.stream("POST", path, json=body) as response,
        ):
            assert response.status_code == 200, response.read().decode()
            started.release()  # admitted: its job is in the queue
            out.append(list(response.iter_lines()))
    except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in a thread
        started.release()
        out.append(exc)


def _stop_while_streaming(
    seeds_data_dir: Path, tmp_path: Path, grace_s: str
) -> tuple[list[list[str]], list[str]]:
    """The /ask/stream lines of each question and the /v1 stream's lines, SIGTERM sent once
    every request has been admitted."""
    server = start_server(
        seeds_data_dir, tmp_path / "server.log", QA_SERVER__SHUTDOWN_GRACE_S=grace_s
    )
    started = threading.Semaphore(0)
    results: list[list[Any]] = [[] for _ in range(STREAMS + 1)]
    threads = [
        threading.Thread(
            target=_ask,
            args=(
                server,
                "/ask/stream",
                {"question": f"How many troops did North Korea send to Russia ({i})?"},
                started,
                results[i],
            ),
        )  # fmt: skip
        for i in range(STREAMS)
    ]
    threads.append(
        threading.Thread(
            target=_ask,
            args=(
                server,
                "/v1/chat/completions",
                {
                    "stream": True,
                    "messages": [
                        {"role": "user", "content": "Who signed the treaty with North Korea?"}
                    ],
                },
                started,
                results[STREAMS],
            ),
        )  # fmt: skip
    )
    try:
        for thread in threads:
            thread.start()
            assert started.acquire(timeout=120)  # in this order: the /v1 question waits last
        server.process.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=120)
        # uvicorn raises the signal again once it has shut down: the exit is SIGTERM's
        assert server.process.wait(timeout=60) in (0, -signal.SIGTERM)
    finally:
        if server.process.poll() is None:
            server.process.kill()
    for got in results:
        assert len(got) == 1 and not isinstance(got[0], Exception), got
    return [got[0] for got in results[:STREAMS]], results[STREAMS][0]


def _v1_frames(lines: list[str]) -> list[Any]:
    return [
        line[len("data: "):] if line == "data: [DONE]" else json.loads(line[len("data: "):])
        for line in lines
        if line.startswith("data: ")
    ]  # fmt: skip


def test_questions_waiting_when_the_server_is_stopped_are_still_answered(
    seeds_data_dir: Path, tmp_path: Path
) -> None:
    streams, v1 = _stop_while_streaming(seeds_data_dir, tmp_path, grace_s="60")
    for lines in streams:
        names = [name for name, _ in parse_sse(lines + [""])]
        assert names and names[-1] == "done", names  # before: the queued ones just ended
        done = parse_sse(lines + [""])[-1][1]
        assert done["status"] in ("answered", "insufficient_evidence")
    frames = _v1_frames(v1)
    assert frames[-1] == "[DONE]", frames[-3:]
    assert not any(isinstance(f, dict) and "error" in f for f in frames)


def test_questions_not_answered_within_the_grace_end_with_a_shutting_down_error(
    seeds_data_dir: Path, tmp_path: Path
) -> None:
    streams, v1 = _stop_while_streaming(seeds_data_dir, tmp_path, grace_s="0")
    errors = []
    for lines in streams:
        events = parse_sse(lines + [""])
        assert events and events[-1][0] in ("done", "error"), events[-2:]
        if events[-1][0] == "error":
            errors.append(events[-1][1])
    assert errors, "every question was answered before the signal: nothing was waiting"
    for problem in errors:
        assert problem["status"] == 503 and problem["title"] == "Shutting down", problem
        assert "ask again" in problem["detail"] and problem["request_id"], problem
    frames = _v1_frames(v1)
    last = frames[-1]
    assert last == "[DONE]" or (last["error"]["status"] == 503 and "ask again" in
                                last["error"]["message"]), frames[-2:]  # fmt: skip
