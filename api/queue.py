"""Bounded admission for answering: one worker thread, a short queue, a time limit.

The llama.cpp model must not be called from several threads at once, and on a small CPU two
answers computed side by side are each slower than one after the other. So every question is
answered by a single worker thread, in arrival order. At most `generation_queue_size` questions
wait behind the one being answered; one more is refused at once with `Overloaded` (429 with
`Retry-After`) instead of piling up until clients time out; so is one that would, behind the
questions ahead of it and by the measured time per answer, not be answered within the time
limit anyway (a question with none ahead is always let in). A question that has not been
answered within `request_timeout_s` of arriving (waiting included) gets `TimedOut` (503 with
`Retry-After`).

A slot is held by the job in the worker, not by the request: a request that gives up (timeout,
client gone, stream closed, Stop on the page) cancels its job, which frees the slot at once if
the job was still waiting. A job the worker has started stops at its next stage boundary: its
`Cancellation` makes the progress callback raise `ClientGone` when answering reports the next
stage, and a language model writing asks `should_stop` between tokens, so the worker moves on
to the next question instead of finishing an answer nobody will read. The slot is freed
when the worker lets go of the job, so the count always matches the work really in hand.
"""

from __future__ import annotations

import asyncio
import logging
import math
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Request

from api.errors import request_id
from qa.answering import ProgressCallback, no_progress, validate_question
from qa.errors import BadInput, ClientGone, Overloaded, TimedOut
from qa.models import Answer, Turn
from qa.settings import ServerSettings
from qa.text_input import empty_text_problem, has_visible_text

T = TypeVar("T")
log = logging.getLogger(__name__)

# what every answering route can answer besides 200 (problem details; see api/errors.py)
BUSY_RESPONSES: dict[int | str, dict[str, object]] = {
    429: {"description": "Too many questions waiting; retry after `Retry-After` seconds."},
    503: {"description": "No index loaded, or the time limit passed (`Retry-After`)."},
}

# Before any question has been timed, assume this long per answer for Retry-After.
_FIRST_GUESS_S = 1.0
# The time per answer is the median of the last few answers' times: a busy CPU, which slows
# every answer, raises it within three answers, while one answer slowed by its own question
# (a huge pasted paragraph) does not hold back the ordinary questions after it. A running
# average that weighed slower answers more kept a newsroom throttled with 429s for forty
# answers after one such outlier (helper-89).
_RECENT_ANSWERS = 5
# Share of the time limit an admitted question is expected to need at most: the rest is
# headroom for answers slower than the average.
_ADMIT_WITHIN = 0.75


def _seconds(value: float) -> str:
    """`0.8 s`, `12 s`: a tenth where whole seconds would round a short wait to the limit."""
    return f"{value:.1f} s" if value < 10 else f"{value:.0f} s"


class Cancellation:
    """Set once nobody waits for a job's answer: the job then stops at its next stage.

    `guard(report)` is the progress callback to hand to the answer path: it raises `ClientGone`
    (which ends the job in the worker thread) at the first stage reported after `set()`, and
    otherwise passes the report on. Made in the request's task, it keeps the request id, so the
    log line that says where the answer stopped carries it.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._request_id = request_id.get()
        self._why = "the client left"
        self._deadline: float | None = None  # time.monotonic() by which the answer is due

    def due_by(self, deadline: float) -> None:
        """The time (`time.monotonic()`) by which the job's answer is due: its time limit."""
        self._deadline = deadline

    def time_left(self) -> float | None:
        """Seconds until the answer is due, or None when it has no time limit."""
        return None if self._deadline is None else self._deadline - time.monotonic()

    def set(self, why: str = "the client left") -> None:
        """Stop the job; `why` is said in the log line where it stops."""
        if not self._event.is_set():
            self._why = why
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def guard(self, report: ProgressCallback = no_progress) -> ProgressCallback:
        def on_progress(stage: str, detail: dict[str, object]) -> None:  # on the worker thread
            if self._event.is_set():
                log.info(
                    f"stopped answering: {self._why}",
                    extra={"request_id": self._request_id, "stopped_before": stage},
                )
                raise ClientGone(f"{self._why}; answering stopped before {stage!r}")
            report(stage, detail)

        return on_progress


def stoppable(
    answerer: Callable[..., T], stop: Cancellation, report: ProgressCallback = no_progress
) -> Callable[..., T]:
    """`answerer` (an `ask` taking `on_progress`, `should_stop` and `time_left`) that stops at
    a stage boundary once `stop` is set, and stops a language model writing at its next token;
    told the time left before its answer is due, the model also stops in time for the answer
    to be given from the article's sentence (`generation.stop_before_limit_s`)."""
    return partial(
        answerer,
        on_progress=stop.guard(report),
        should_stop=stop.is_set,
        time_left=stop.time_left,
    )


class Job(Generic[T]):
    """A question handed to the worker: await `result()`, or `cancel()` to give up on it."""

    def __init__(
        self,
        future: Future[T],
        *,
        deadline: float,
        queue: GenerationQueue,
        stop: Cancellation | None = None,
    ) -> None:
        self._future = future
        self._deadline = deadline
        self._queue = queue
        self._stop = stop

    async def result(self) -> T:
        """The job's value, or `TimedOut` at the deadline; cancelling the caller cancels it."""
        remaining = self._deadline - time.monotonic()
        try:
            return await asyncio.wait_for(asyncio.wrap_future(self._future), max(remaining, 0))
        except TimeoutError:
            self.cancel(why="the time limit passed")
            raise TimedOut(
                f"the question was not answered within {self._queue.timeout_s:g} s "
                f"(waiting included); try again in a moment",
                retry_after_s=self._queue.retry_after_s(),
            ) from None
        except asyncio.CancelledError:
            self.cancel()  # the client went away: do not answer a question nobody waits for
            raise

    def cancel(self, why: str = "the client left") -> None:
        """Drop the job if the worker has not started it yet; a started one stops at its next
        stage boundary (or token, while a model writes) if it was submitted with a
        `Cancellation`, else runs to its end."""
        self._future.cancel()
        if self._stop is not None:
            self._stop.set(why)


class GenerationQueue:
    """One worker thread with `capacity = 1 + max_waiting` slots; see the module docstring."""

    def __init__(self, *, max_waiting: int, timeout_s: float) -> None:
        self.max_waiting = max_waiting
        self.timeout_s = timeout_s
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answering")
        self._lock = threading.Lock()  # slots are freed from the worker thread
        self._in_hand = 0
        self._recent: deque[float] = deque(maxlen=_RECENT_ANSWERS)  # the last answers' times
        self.rejected = 0

    @classmethod
    def from_settings(cls, settings: ServerSettings) -> GenerationQueue:
        return cls(max_waiting=settings.generation_queue_size, timeout_s=settings.request_timeout_s)

    @property
    def capacity(self) -> int:
        return 1 + self.max_waiting

    @property
    def depth(self) -> int:
        """Jobs in hand: the one being answered plus those waiting."""
        with self._lock:
            return self._in_hand

    def retry_after_s(self) -> int:
        """Whole seconds until the jobs in hand are likely done (at least 1)."""
        with self._lock:
            estimate = max(self._in_hand, 1) * (self._seconds_per_job() or _FIRST_GUESS_S)
        return max(1, math.ceil(estimate))

    def _seconds_per_job(self) -> float | None:
        """The median of the last answers' times; None before one has been timed. Hold the lock."""
        return statistics.median(self._recent) if self._recent else None

    def submit(
        self, fn: Callable[..., T], /, *args: object, stop: Cancellation | None = None
    ) -> Job[T]:
        """Queue `fn(*args)` for the worker, or raise `Overloaded` if every slot is taken.
        Cancelling the job sets `stop` (see `stoppable`)."""
        with self._lock:
            # the jobs in hand, then this one
            expected_s = (self._in_hand + 1) * (self._seconds_per_job() or 0.0)
            if self._in_hand >= self.capacity:
                held = (
                    "1 question is already being answered"
                    if self.capacity == 1
                    else f"{self.capacity} questions are already being answered or waiting"
                )
                refusal = f"{held} (setting server.generation_queue_size is {self.max_waiting})"
            elif self._in_hand and expected_s >= _ADMIT_WITHIN * self.timeout_s:
                # only with questions ahead: alone, a question starts at once, and refusing it
                # would also keep the average (measured on answers finished) from ever falling
                refusal = (
                    f"with the questions ahead it would take about {_seconds(expected_s)}, more "
                    f"than {_ADMIT_WITHIN:.0%} of the time limit of {self.timeout_s:g} s "
                    "(setting server.request_timeout_s)"
                )
            else:
                refusal = None
                self._in_hand += 1
            if refusal is not None:
                self.rejected += 1
        if refusal is not None:
            raise Overloaded(
                f"{refusal}; retry after the number of seconds in the Retry-After header",
                retry_after_s=self.retry_after_s(),
            )
        deadline = time.monotonic() + self.timeout_s
        if stop is not None:
            stop.due_by(deadline)
        try:
            future = self._executor.submit(self._timed, fn, *args)
        except RuntimeError:  # shut down: the server is stopping
            self._release(None)
            raise
        future.add_done_callback(self._release)
        return Job(future, deadline=deadline, queue=self, stop=stop)

    async def run(
        self,
        fn: Callable[..., T],
        /,
        *args: object,
        client: Request | None = None,
        stop: Cancellation | None = None,
    ) -> T:
        """`submit` and wait for the result. If `client` disconnects first, the job is dropped
        (if still waiting, else stopped at its next stage when `fn` watches `stop`) and
        `ClientGone` raised: a plain request's handler is not cancelled when its client leaves,
        so without this a timed-out client would keep its slot."""
        job = self.submit(fn, *args, stop=stop)
        if client is None:
            return await job.result()
        answer = asyncio.ensure_future(job.result())
        gone = asyncio.ensure_future(_until_disconnected(client))
        try:
            await asyncio.wait({answer, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            if not answer.done():
                answer.cancel()  # cancels the job too (see Job.result)
        if not answer.done() or answer.cancelled():
            job.cancel()
            raise ClientGone("the client disconnected before the answer was ready")
        return answer.result()

    def shutdown(self) -> None:
        """Drop the waiting jobs and let the running one finish in the background."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _timed(self, fn: Callable[..., T], *args: object) -> T:
        started = time.monotonic()
        stopped = False
        try:
            return fn(*args)
        except ClientGone:
            stopped = True  # part-way: an answer takes at least this long, maybe more
            raise
        finally:
            self._note_time(time.monotonic() - started, at_least=stopped)

    def _note_time(self, elapsed: float, *, at_least: bool = False) -> None:
        """Count an answer's time among the last answers'. A stopped answer's time (`at_least`)
        counts only when it is over the current estimate (it says the answer needed at least
        that long): when every answer runs past the time limit and is stopped, none would ever
        be timed, and questions were let in to wait for a 503 instead of a 429."""
        with self._lock:
            current = self._seconds_per_job()
            if not at_least or current is None or elapsed > current:
                self._recent.append(elapsed)

    def _release(self, _: object) -> None:
        with self._lock:
            self._in_hand -= 1


async def _until_disconnected(client: Request) -> None:
    """Returns when the client has gone. The body has been read, so the next ASGI message
    is the disconnect (the same wait sse-starlette uses for streams)."""
    while (await client.receive())["type"] != "http.disconnect":
        pass


def get_generation_queue(request: Request) -> GenerationQueue:
    queue: GenerationQueue = request.app.state.generation_queue
    return queue


AnswerQueue = Annotated[GenerationQueue, Depends(get_generation_queue)]


def check_question(question: str, history: Sequence[Turn], settings: ServerSettings) -> None:
    """Refuse an unusable question before it takes a slot (the service checks it again).

    The texts arrive normalised (api/inputs.py); one with nothing visible left is refused here
    with the same message on every answering endpoint.
    """
    if not has_visible_text(question):
        raise BadInput(empty_text_problem("question", "a question"))
    for n, turn in enumerate(history):
        if not has_visible_text(turn.question):
            raise BadInput(empty_text_problem(f"history.{n}.question", "each earlier question"))
    validate_question(question, max_chars=settings.max_question_chars)
    if len(history) > settings.max_history_turns:
        raise BadInput(
            f"history has {len(history)} turns; the limit is {settings.max_history_turns}. "
            "Send only the most recent turns."
        )


def note_answer(request: Request, answer: Answer) -> None:
    """Hand the answer's outcome and stage timings to the access log line of this request."""
    request.state.outcome = answer.status
    request.state.timings_ms = dict(answer.timings_ms)
