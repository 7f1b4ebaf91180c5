"""An OpenAI-compatible face: `GET /v1/models` and `POST /v1/chat/completions`.

Any client written for the OpenAI chat API (the official `openai` package, chat UIs, agent
frameworks) can point its base URL at `http://host:port/v1` and ask the articles questions.
It is the same service as `POST /ask`, in the OpenAI shapes:

* The last `user` message is the question (the text after a prompt template's "Question:"
  label, when it has one: `labelled_question`). Earlier `user`/`assistant` pairs become the
  conversation history (`Turn`s), so a follow-up like "And what did he say about it?" is read
  in their light. Only the most recent `server.max_history_turns` turns are kept, so a long
  chat never gets refused for its length.
* `system` and `developer` messages (and tool messages) are ignored: the articles are the only
  source of truth, and a system prompt cannot change how answers are found or checked.
* Sampling fields (`temperature`, `top_p`, `seed`, ...) are accepted and ignored; so is the
  API key, unless a read key is configured (`api/security.py`). `max_tokens` (up to
  `server.max_completion_tokens`) and `stop` are honoured: they cut the reply's text, with
  `finish_reason: "length"` when the word limit did (`OutputLimits`). Any
  `model` id is accepted, and the response always names `grounded-qa`. What a client would
  rely on and cannot have (`n` over 1, JSON output, a forced tool call, audio, log
  probabilities) is refused (`check_supported`), and so is a conversation with an assistant
  message after the last user message.
* Errors are problem details, as everywhere, plus OpenAI's `error` object, and a refused
  request is a 400, as OpenAI's (`api/errors.py: problem_body`).
* The answer text, with its `[n]` markers, is `choices[0].message.content`, followed by a
  `Sources:` list naming what each marker points at unless `sources_in_text` is false (with a
  `Note:` line before it when the quote holds nothing of the kind asked for, `lacking_note`); a
  refusal's content says which articles the closest paragraphs come from, since a chat client
  shows the content alone (`message_content`). The grounding
  comes as extra top-level fields (`status`, `citations`, `retrieved`, `reason`,
  `rewritten_question`, `unknown_words`, `removed_claims`, `quoted_instead`, `asked_kind`,
  `holds_asked_kind`); the official client exposes them in
  `response.model_extra`.
* `usage` counts whitespace-separated words, not model tokens: `prompt_tokens` are the words
  of the question and of the history turns sent to the service, `completion_tokens` those of
  the answer.

With `stream: true` the answer comes as `chat.completion.chunk` Server-Sent Events, ending with
`data: [DONE]`, like OpenAI's. The answer is computed and checked in full, then sent word by
word (this format has no place for `/ask/stream`'s `status` progress events).

Reading the messages (`chat_input`) and writing the answer's text (`message_content`, cut by
`max_tokens` and `stop`: `chat_reply`, built once per answer for both the plain reply and the
stream) are in qa/chat.py, with no HTTP in them; the request body and the checks of what this
server supports in api/openai_request.py; OpenAI's response objects and chunks in
api/openai_response.py. Here are the routes, which add the answering queue, the stream's error
frame and the SSE framing.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette.event import ServerSentEvent
from sse_starlette.sse import EventSourceResponse
from starlette.background import BackgroundTask

from api.deps import Service
from api.draining import Drain
from api.openai_request import ChatCompletionRequest, check_supported, check_token_limit
from api.openai_response import (
    MODEL_ID,
    ChatCompletion,
    ModelCard,
    ModelList,
    Usage,
    answer_chunks,
    completion,
    error_frame,
    new_completion_id,
    role_chunk,
    usage_announced,
    usage_chunk,
    word_usage,
)
from api.queue import (
    BUSY_RESPONSES,
    AnswerQueue,
    Cancellation,
    check_question,
    note_answer,
    stoppable,
)
from qa.chat import Reply, chat_input, chat_reply
from qa.errors import BadInput, NotFound, QAError
from qa.models import Answer

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
log = logging.getLogger(__name__)

DONE = "[DONE]"


# --- models ------------------------------------------------------------------------------------


@router.get("/models", response_model=ModelList, summary="List the models (OpenAI-compatible)")
async def list_models() -> ModelList:
    """One model, `grounded-qa`: the articles with checked citations."""
    return ModelList(data=[ModelCard()])


@router.get(
    "/models/{model}",
    response_model=ModelCard,
    summary="Describe a model (OpenAI-compatible)",
    responses={404: {"description": "Any id but `grounded-qa` (problem details)."}},
)
async def retrieve_model(model: str) -> ModelCard:
    if model != MODEL_ID:
        raise NotFound(f"no model with id {model!r}; the only model is {MODEL_ID!r}")
    return ModelCard()


# --- the chat route ----------------------------------------------------------------------------


def data_frame(data: Mapping[str, Any] | str) -> ServerSentEvent:
    """A `data:` frame with no event name, as OpenAI sends; JSON is compact and on one line."""
    if isinstance(data, str):
        return ServerSentEvent(data=data)
    return ServerSentEvent(data=json.dumps(data, ensure_ascii=False, separators=(",", ":")))


# Each event of the stream: an unnamed `data:` frame (a chunk as JSON, or `[DONE]`).
CHUNK_EVENT_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "event": {"type": "string", "enum": ["message"]},
        "data": {"type": "string", "description": "A `chat.completion.chunk` as JSON, or [DONE]."},
    },
}

STREAM_EXAMPLE = (
    'data: {"id":"chatcmpl-…","object":"chat.completion.chunk","created":1729500000,'
    '"model":"grounded-qa","choices":[{"index":0,"delta":{"role":"assistant","content":""},'
    '"finish_reason":null,"logprobs":null}]}\r\n\r\n'
    'data: {"id":"chatcmpl-…","object":"chat.completion.chunk",…,"choices":[{"index":0,'
    '"delta":{"content":"Georgy "},"finish_reason":null,"logprobs":null}]}\r\n\r\n'
    'data: {"id":"chatcmpl-…","object":"chat.completion.chunk",…,"choices":[{"index":0,'
    '"delta":{},"finish_reason":"stop","logprobs":null}],"status":"answered",'
    '"citations":["…"],"retrieved":["…"],"reason":null,"rewritten_question":null,'
    '"unknown_words":[]}\r\n\r\n'
    "data: [DONE]\r\n\r\n"
)


@router.post(
    "/chat/completions",
    response_model=None,
    summary="Answer the last user message, OpenAI chat style",
    responses={
        200: {
            "model": ChatCompletion,
            "description": (
                "A `chat.completion` with the grounding as extra fields; with `stream: true`, "
                "`chat.completion.chunk` events then `data: [DONE]`."
            ),
            "content": {
                "text/event-stream": {"schema": CHUNK_EVENT_SCHEMA, "example": STREAM_EXAMPLE}
            },
        },
        400: {
            "description": (
                "No or empty user message, over-long question, an unsupported field (`n` over "
                "1, `response_format` JSON, a forced `tool_choice` or `function_call`, audio, "
                "`logprobs`), a value OpenAI refuses too: problem details with OpenAI's "
                "`error` object."
            )
        },
        **BUSY_RESPONSES,
    },
)
async def chat_completions(
    body: ChatCompletionRequest, service: Service, queue: AnswerQueue, request: Request
) -> ChatCompletion | EventSourceResponse:
    """The last `user` message is the question; earlier `user`/`assistant` pairs are the history.

    `system` messages are ignored: the articles are the only source of truth. Sampling fields
    are accepted and ignored (`n` over 1, JSON `response_format`, a forced `tool_choice` or
    `function_call`, audio and `logprobs` are a 400 naming the field), any `model` id is
    accepted (the answer names
    `grounded-qa`), and the grounding of the answer (`status`, `citations`, `retrieved`, `reason`,
    `rewritten_question`, `unknown_words`, `removed_claims`, `quoted_instead`) comes as extra
    top-level fields. `usage` counts
    words, not tokens. `max_tokens` cuts the reply to that many words (`finish_reason:
    "length"`), and `stop` ends it before the first of its sequences. `doc_ids`, `date_from`
    and `date_to`, sent as extra body fields, restrict the articles as on POST /ask.

    With `stream: true`: Server-Sent Events of `chat.completion.chunk` objects (the role, the
    answer word by word, a chunk with the `finish_reason` carrying the grounding fields, a
    usage chunk when `stream_options.include_usage` is set), then `data: [DONE]`. If
    answering fails once the stream has started (or the server is told to stop and the answer
    is not ready within `server.shutdown_grace_s`), it ends with one
    `data: {"error": {...problem details...}}` frame.
    Bad input is refused before the stream, with the problem details of `/ask` plus OpenAI's
    `error` object, as a 400.
    """
    settings = service.settings.server
    check_supported(body)
    check_token_limit(body, limit=settings.max_completion_tokens)
    question, history = chat_input(body.messages, max_turns=settings.max_history_turns)
    # refuse a bad question with a plain 4xx before any event: same check and message as /ask
    try:
        check_question(question, history, settings)
    except BadInput as exc:
        asked = max(i for i, m in enumerate(body.messages) if m.role == "user")
        raise BadInput(str(exc), param=f"messages.{asked}.content") from exc
    try:  # an unknown id is refused now, not after the queue
        answer_from = body.answerer(service)
    except BadInput as exc:
        raise BadInput(str(exc), param="doc_ids") from exc
    completion_id, created = new_completion_id(), int(time.time())

    def replied(answer: Answer) -> tuple[Reply, Usage]:
        """The reply's text, the same streamed or not, and its usage."""
        note_answer(request, answer)
        reply = chat_reply(answer, sources=body.sources_in_text, limits=body.output_limits())
        return reply, word_usage(question, history, reply)

    if not body.stream:
        # one worker answers in turn (see api/queue.py); a full queue is a 429
        stop = Cancellation()  # a client that leaves stops its question at the next stage
        answer = await queue.run(
            stoppable(answer_from, stop), question, history, client=request, stop=stop
        )
        reply, usage = replied(answer)
        return completion(answer, reply, usage, completion_id=completion_id, created=created)

    include_usage = body.stream_options is not None and body.stream_options.include_usage
    # the slot is taken before the stream starts, so a full queue is a plain 429 too
    stop = Cancellation()
    job = queue.submit(stoppable(answer_from, stop), question, history, stop=stop)
    # told to stop, the server lets the question be answered within the grace, else says so
    drain = Drain(settings.shutdown_grace_s, give_up=job.cancel)

    async def events() -> AsyncIterator[ServerSentEvent]:
        yield data_frame(usage_announced(role_chunk(completion_id, created), include_usage))
        try:
            # a client that disconnects cancels a queued job
            answer = await drain.result(job.result())
            reply, usage = replied(answer)
            chunks = [
                usage_announced(item, include_usage)
                for item in answer_chunks(
                    answer, reply, completion_id=completion_id, created=created
                )
            ]
            if include_usage:
                chunks.append(usage_chunk(completion_id, created, usage))
        except Exception as exc:  # reported as a frame: the stream is already under way
            if not isinstance(exc, QAError):
                log.exception("unhandled error while streaming a chat completion", exc_info=exc)
            yield data_frame(error_frame(exc))
            return
        for item in chunks:
            yield data_frame(item)
        yield data_frame(DONE)

    # also drops the job of a client that left before the stream started
    return EventSourceResponse(
        events(), background=BackgroundTask(job.cancel), **drain.response_options()
    )
