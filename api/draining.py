"""A server shutdown seen from a streamed answer: finish within a grace, else say so.

On SIGTERM uvicorn stops taking connections and waits for the open ones; sse-starlette ends
every event stream at once (`AppStatus`), so a question still waiting in the queue used to
end with no `done` and no `error`: the client could not tell it from a finished stream. Here
a stream keeps going for `server.shutdown_grace_s` after the signal, which is enough for the
questions in hand to be answered in extract mode, and one still unanswered then ends with an
`error` event (`ShuttingDown`, 503) that says to ask again. sse-starlette's own cancellation
(`shutdown_grace_period`) is set a little later, as the backstop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection
from typing import Any, TypeVar

import anyio

from qa.errors import ShuttingDown

T = TypeVar("T")

# after the grace, time for the error event to be written before sse-starlette cancels
_BACKSTOP_S = 1.0


class Drain:
    """One stream's view of a shutdown. Hand `response_options()` to `EventSourceResponse`
    (its `shutdown_event` is set when the server is told to stop) and wait through `wait`."""

    def __init__(self, grace_s: float, give_up: Callable[[str], None] | None = None) -> None:
        """`give_up(why)` is called when the grace has passed (the job's `cancel`: the log line
        where it stops then says why)."""
        self.grace_s = grace_s
        self.stopping = anyio.Event()
        self._give_up = give_up
        self._deadline: float | None = None

    def response_options(self) -> dict[str, Any]:
        return {
            "shutdown_event": self.stopping,
            "shutdown_grace_period": self.grace_s + _BACKSTOP_S,
        }

    async def wait(self, futures: Collection[asyncio.Future[Any]]) -> None:
        """Until one of `futures` is done; `ShuttingDown` if the server was told to stop and
        the grace has passed first."""
        loop = asyncio.get_running_loop()
        if self._deadline is None:
            signal = asyncio.ensure_future(self.stopping.wait())
            try:
                await asyncio.wait({*futures, signal}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                signal.cancel()
            if any(f.done() for f in futures):
                return
            self._deadline = loop.time() + self.grace_s
        left = self._deadline - loop.time()
        if left > 0:
            done, _ = await asyncio.wait(futures, timeout=left, return_when=asyncio.FIRST_COMPLETED)
            if done:
                return
        if self._give_up is not None:
            self._give_up("the server is shutting down")
        raise ShuttingDown(
            "the server is shutting down and did not answer this question within "
            f"server.shutdown_grace_s ({self.grace_s:g} s); ask again once it is back"
        )

    async def result(self, awaitable: Awaitable[T]) -> T:
        """`awaitable`'s value, or `ShuttingDown` as `wait` says (it is then cancelled)."""
        future = asyncio.ensure_future(awaitable)
        try:
            while not future.done():
                await self.wait({future})
            return future.result()
        finally:
            future.cancel()
