"""Stopping a question nobody waits for: dropped while it waits, stopped at the next stage once
the worker has started it, and the worker free for the next question either way.

The worker is the queue's real thread; the answer path is a stand-in that reports stages the way
`qa.answering.answer_question` does and blocks between two of them until the test lets it go.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator

import pytest

from api.errors import request_id
from api.queue import Cancellation, GenerationQueue, stoppable
from qa.answering import ProgressCallback, no_progress
from qa.errors import ClientGone
from tests.answers import StandInService
from tests.unit.test_limits import ClientThatLeaves, app_client, wait_until

pytestmark = pytest.mark.unit


class StagedAnswer:
    """Reports `searching`, waits for `gate`, reports `reading` and `checking`, then answers."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.reached: list[str] = []
        self.finished: list[str] = []

    def ask(
        self,
        question: str,
        on_progress: ProgressCallback = no_progress,
        should_stop: Callable[[], bool] | None = None,
        time_left: object = None,
    ) -> str:
        self.reached.append(f"{question}:searching")
        on_progress("searching", {"query": question})
        assert self.gate.wait(timeout=10), "the test never opened the gate"
        for stage in ("reading", "checking"):
            on_progress(stage, {})
            self.reached.append(f"{question}:{stage}")
        self.finished.append(question)
        return f"answer to {question}"


@pytest.fixture
def queue() -> Iterator[GenerationQueue]:
    q = GenerationQueue(max_waiting=2, timeout_s=10.0)
    yield q
    q.shutdown()


def test_a_guard_passes_reports_on_until_set_then_raises() -> None:
    reports: list[str] = []
    stop = Cancellation()
    guarded = stop.guard(lambda stage, detail: reports.append(stage))
    guarded("searching", {})
    stop.set()
    with pytest.raises(ClientGone, match="before 'reading'"):
        guarded("reading", {})
    assert reports == ["searching"]
    assert stop.is_set()


def test_a_started_answer_whose_client_leaves_stops_at_its_next_stage(
    queue: GenerationQueue, caplog: pytest.LogCaptureFixture
) -> None:
    service = StagedAnswer()

    async def scenario() -> str:
        request_id.set("req-stopped")  # as the middleware sets it for the request
        stop = Cancellation()
        client = ClientThatLeaves()
        leaving = asyncio.ensure_future(
            queue.run(stoppable(service.ask, stop), "first", client=client, stop=stop)  # type: ignore[arg-type]
        )
        await asyncio.to_thread(wait_until, lambda: service.reached == ["first:searching"])
        client.left.set()
        with pytest.raises(ClientGone, match="disconnected"):
            await leaving
        assert stop.is_set()
        service.gate.set()  # the reader finishes; the next stage boundary stops the answer
        await asyncio.to_thread(wait_until, lambda: queue.depth == 0)
        # the worker is free and the next question is answered normally
        return await queue.run(stoppable(service.ask, Cancellation()), "second")

    with caplog.at_level(logging.INFO, logger="api.queue"):
        assert asyncio.run(scenario()) == "answer to second"
    assert service.finished == ["second"]
    assert "first:reading" not in service.reached
    stopped = [r for r in caplog.records if r.getMessage() == "stopped answering: the client left"]
    assert len(stopped) == 1
    assert stopped[0].request_id == "req-stopped"  # type: ignore[attr-defined]
    assert stopped[0].stopped_before == "reading"  # type: ignore[attr-defined]


def test_a_waiting_answer_whose_job_is_cancelled_never_starts(queue: GenerationQueue) -> None:
    service = StagedAnswer()

    async def scenario() -> None:
        running = queue.submit(stoppable(service.ask, Cancellation()), "running")
        stop = Cancellation()
        waiting = queue.submit(stoppable(service.ask, stop), "waiting", stop=stop)
        await asyncio.to_thread(wait_until, lambda: service.reached == ["running:searching"])
        assert queue.depth == 2
        waiting.cancel()  # what a stream does when its client leaves
        assert queue.depth == 1  # freed at once, not when the running answer is done
        service.gate.set()
        assert await running.result() == "answer to running"

    asyncio.run(scenario())
    assert service.finished == ["running"]
    assert not any(step.startswith("waiting") for step in service.reached)


def test_a_stopped_answer_does_not_count_towards_the_time_per_answer(
    queue: GenerationQueue,
) -> None:
    def stopped() -> str:
        raise ClientGone("the client left; answering stopped before 'reading'")

    job = queue.submit(stopped)
    wait_until(lambda: queue.depth == 0)
    assert job._future.exception() is not None  # noqa: SLF001 - what the worker ended with
    assert queue.retry_after_s() == 1  # still the first guess: no answer has been timed


def test_a_question_whose_client_left_is_logged_as_cancelled_with_499(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What a plain request's access log line says when its question ended with ClientGone."""

    service = StandInService(
        result=ClientGone("the client disconnected before the answer was ready")
    )
    client = app_client(service)
    with caplog.at_level(logging.INFO, logger="api.access"):
        response = client.post("/ask", json={"question": "Who?"})
    assert response.status_code == 499
    line = next(r for r in caplog.records if r.name == "api.access")
    assert (line.status, line.outcome) == (499, "cancelled")  # type: ignore[attr-defined]
