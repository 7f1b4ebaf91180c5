"""A streamed answer when the server is told to stop: it finishes within the grace, or the
stream says the server is shutting down (api/draining.py)."""

from __future__ import annotations

import asyncio

import pytest

from api.draining import Drain
from qa.errors import ShuttingDown

pytestmark = pytest.mark.unit


def test_an_answer_ready_before_any_signal_is_waited_for_as_usual() -> None:
    async def scenario() -> str:
        drain = Drain(grace_s=0.0)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()
        loop.call_later(0.05, answer.set_result, "answer")
        return await drain.result(answer)

    assert asyncio.run(scenario()) == "answer"


def test_an_answer_ready_within_the_grace_is_given() -> None:
    async def scenario() -> str:
        drain = Drain(grace_s=1.0)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()
        loop.call_later(0.02, drain.stopping.set)
        loop.call_later(0.2, answer.set_result, "answer")
        return await drain.result(answer)

    assert asyncio.run(scenario()) == "answer"


def test_an_answer_not_ready_when_the_grace_ends_is_a_shutting_down_error_and_is_dropped() -> None:
    given_up: list[str] = []

    async def scenario() -> tuple[BaseException | None, bool, float]:
        drain = Drain(grace_s=0.1, give_up=given_up.append)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()
        loop.call_later(0.02, drain.stopping.set)
        started = loop.time()
        caught: BaseException | None = None
        try:
            await drain.result(answer)
        except ShuttingDown as exc:
            caught = exc
        return caught, answer.cancelled(), loop.time() - started

    caught, dropped, waited = asyncio.run(scenario())
    assert isinstance(caught, ShuttingDown)
    assert "shutdown_grace_s (0.1 s)" in str(caught) and "ask again" in str(caught)
    assert dropped  # the job behind it is cancelled, not left to run for nobody
    assert given_up == ["the server is shutting down"]  # and its log line says why
    assert 0.1 <= waited < 1.0


def test_the_grace_is_counted_once_across_several_waits() -> None:
    """A stream waits again after each progress report: the deadline set at the signal holds,
    it does not start over."""

    async def scenario() -> float | None:
        drain = Drain(grace_s=0.2)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()
        drain.stopping.set()
        started = loop.time()
        for _ in range(100):  # 5 s of reports: a grace that starts over never ends
            report: asyncio.Future[None] = loop.create_future()
            loop.call_later(0.05, report.set_result, None)
            try:
                await drain.wait({answer, report})
            except ShuttingDown:
                return loop.time() - started
        return None

    waited = asyncio.run(scenario())
    assert waited is not None and 0.2 <= waited < 2.0


def test_the_response_is_cancelled_by_sse_starlette_only_after_the_grace() -> None:
    drain = Drain(grace_s=2.5)
    options = drain.response_options()
    assert options["shutdown_event"] is drain.stopping
    assert options["shutdown_grace_period"] > 2.5
