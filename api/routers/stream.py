"""POST /ask/stream: the `/ask` answer as Server-Sent Events (status, token, citation, done, error).

No answer text is sent before its citation has been checked, and the check needs the finished
sentence; so while the question waits, is searched and is read, the stream reports each stage
as a `status` event (the slow part, the reader, takes most of the time), then sends the checked
answer's text word by word, each checked citation, and the full `/ask` body. Clients can show
progress at once, text as it arrives, and still render the final answer from one well-defined
`done` event.

The pure part, `answer_events`, turns an `Answer` into the ordered `(event, data)` pairs and
needs no server; the route adds the progress reports, the error event and the SSE framing
(done by `sse-starlette`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette.event import ServerSentEvent
from sse_starlette.sse import EventSourceResponse
from starlette.background import BackgroundTask

from api.deps import Service
from api.draining import Drain
from api.errors import problem_details
from api.inputs import AskRequest
from api.queue import (
    BUSY_RESPONSES,
    AnswerQueue,
    Cancellation,
    check_question,
    note_answer,
    stoppable,
)
from api.streaming import token_pieces
from qa.errors import QAError
from qa.models import Answer

router = APIRouter(tags=["answers"])
log = logging.getLogger(__name__)

EventPair = tuple[str, dict[str, Any]]


def answer_events(answer: Answer) -> list[EventPair]:
    """The stream for one finished answer, in order: tokens, citations, then `done`.

    Token texts concatenate to `answer.answer`; citations come in marker order; `done` carries
    exactly the body `POST /ask` returns.
    """
    events: list[EventPair] = [("token", {"text": piece}) for piece in token_pieces(answer.answer)]
    events += [
        ("citation", citation.model_dump(mode="json"))
        for citation in sorted(answer.citations, key=lambda c: c.marker)
    ]
    events.append(("done", answer.model_dump(mode="json")))
    return events


def sse_event(event: str, data: Mapping[str, object]) -> ServerSentEvent:
    """One SSE frame with compact JSON data (JSON escapes newlines, so it stays one line)."""
    return ServerSentEvent(
        data=json.dumps(data, ensure_ascii=False, separators=(",", ":")), event=event
    )


STREAM_DESCRIPTION = """\
Answers like `POST /ask` (same JSON body, same checks), as a stream of
[Server-Sent Events](https://html.spec.whatwg.org/multipage/server-sent-events.html).
Every event's `data` is one line of JSON. In order:

* `status`, zero or more, while the answer is being worked out: `{"stage": ...}` with
  `queued` (`ahead`: questions in front of this one), `searching` (`query`: what is
  searched, the rewritten question for a follow-up), `reading` (`sentences`, `articles`: the
  candidate sentences the selector reads), `writing` (`passages`; generate mode only) and
  `checking` (`paragraph_id`: the paragraph the answer's citation is checked against). Stages
  may be skipped: an abstention on the selector's score stops after `reading` (one whose
  citation check fails has been through `checking`).
* `token`, zero or more: `{"text": "..."}`, a word of the answer with its whitespace;
  concatenating every `text` gives exactly the `answer` of the `done` body.
* `citation`, one per citation in marker order: the citation object, as in `citations` of
  `/ask` (with `marker`, `verified`, `support_score`, `span_start` and `span_end`).
* `done`, exactly once, last: the full body `POST /ask` returns for the question.

Bad input (empty, whitespace-only or over-long question, malformed body) is refused before the
stream starts, with the same problem-details response as `/ask`. If answering fails after the
stream has started, the stream ends with one `error` event whose data is RFC 9457 problem
details `{"type", "title", "status", "detail", "request_id"}` instead of `done` (status 503
when the question was not answered within the time limit, or when the server was told to stop
and the answer was not ready within `server.shutdown_grace_s`). When too many questions are
already waiting, the request is refused before the stream with 429 and `Retry-After`.

The answer's text is sent only once its citation has been checked, so `token` events follow
the last `status`; comment lines (`: ping`) may arrive in between. Use `fetch` and read the
body: `EventSource` cannot POST.
"""

# What each event of the stream is, as OpenAPI 3.1 describes an event-stream item.
SSE_EVENT_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["status", "token", "citation", "done", "error"]},
        "data": {"type": "string", "description": "One line of JSON."},
    },
}

STREAM_EXAMPLE = (
    'event: status\r\ndata: {"stage":"searching","query":"…"}\r\n\r\n'
    'event: status\r\ndata: {"stage":"reading","sentences":3,"articles":2}\r\n\r\n'
    'event: token\r\ndata: {"text":"Georgy "}\r\n\r\n'
    'event: token\r\ndata: {"text":"Zinoviev [1]."}\r\n\r\n'
    'event: citation\r\ndata: {"marker":1,"verified":true,"paragraph_id":"…","…":"…"}\r\n\r\n'
    'event: done\r\ndata: {"question":"…","answer":"Georgy Zinoviev [1].",'
    '"status":"answered","citations":["…"],"…":"…"}\r\n\r\n'
)


@router.post(
    "/ask/stream",
    response_class=EventSourceResponse,
    summary="Answer a question as a stream of Server-Sent Events",
    description=STREAM_DESCRIPTION,
    responses={
        200: {
            "description": "An event stream: `status`* `token`* `citation`* then `done` "
            "(or `error`).",
            "content": {
                "text/event-stream": {"schema": SSE_EVENT_SCHEMA, "example": STREAM_EXAMPLE}
            },
        },
        422: {"description": "Empty, over-long or malformed question (problem details)."},
        **BUSY_RESPONSES,
    },
)
async def ask_stream(
    body: AskRequest, service: Service, queue: AnswerQueue, request: Request
) -> EventSourceResponse:
    # Refuse bad questions with a plain 4xx before any event: same check and message as /ask.
    check_question(body.question, body.history, service.settings.server)
    loop = asyncio.get_running_loop()
    progress: asyncio.Queue[EventPair] = asyncio.Queue()

    def report(stage: str, detail: dict[str, object]) -> None:  # runs on the worker thread
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody left to tell
            loop.call_soon_threadsafe(progress.put_nowait, ("status", {"stage": stage, **detail}))

    ahead = queue.depth
    # The slot is taken before the stream starts, so a full queue is a plain 429 too. A client
    # that leaves (Stop on the page) drops the job if still waiting, or stops it at its next
    # stage boundary.
    stop = Cancellation()
    answerer = stoppable(body.answerer(service), stop, report)
    job = queue.submit(answerer, body.question, body.history, stop=stop)
    # told to stop, the server lets the question be answered within the grace, else says so
    drain = Drain(service.settings.server.shutdown_grace_s, give_up=job.cancel)

    async def events() -> AsyncIterator[ServerSentEvent]:
        if ahead:
            yield sse_event("status", {"stage": "queued", "ahead": ahead})
        # a client that disconnects cancels this task, and with it the job if still queued
        result = asyncio.ensure_future(job.result())
        try:
            async for pair in _progress_until(result, progress, drain):
                yield sse_event(*pair)
            answer = result.result()
            note_answer(request, answer)
            pairs = answer_events(answer)
        except asyncio.CancelledError:  # the client left: sse-starlette cancels this task
            request.state.outcome = "cancelled"  # the access log line says so
            raise
        except Exception as exc:  # reported as an event: the stream is already under way
            # the same problem details /ask would answer with (a 500 hides the internals)
            if not isinstance(exc, QAError):
                log.exception("unhandled error while streaming an answer", exc_info=exc)
            yield sse_event("error", problem_details(exc))
            return
        finally:
            result.cancel()
        for event, data in pairs:
            yield sse_event(event, data)

    # also drops the job of a client that left before the stream started
    return EventSourceResponse(
        events(), background=BackgroundTask(job.cancel), **drain.response_options()
    )


async def _progress_until(
    result: asyncio.Future[Answer], progress: asyncio.Queue[EventPair], drain: Drain
) -> AsyncIterator[EventPair]:
    """The progress events reported until `result` is done, then those still queued;
    `ShuttingDown` when the server is stopping and the answer is not ready within its grace.

    The worker reports through `call_soon_threadsafe`, as the finished future does, so every
    report made before the answer was ready is delivered before it.
    """
    while not result.done():
        next_report = asyncio.ensure_future(progress.get())
        either: set[asyncio.Future[Any]] = {result, next_report}
        try:
            await drain.wait(either)
        finally:
            next_report.cancel()
        if next_report.done() and not next_report.cancelled():
            yield next_report.result()
    while not progress.empty():
        yield progress.get_nowait()
