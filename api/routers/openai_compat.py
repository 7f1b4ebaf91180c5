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
stream) are in qa/chat.py, with no HTTP in them. Here are
the request and response shapes, the checks of what this server supports, the builders of the
OpenAI objects (`completion`, `answer_chunks`, `word_usage`, ...), which need no server, and the
routes, which add the thread hop, the error frame and the SSE framing.
"""

from __future__ import annotations

import difflib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
)
from sse_starlette.event import ServerSentEvent
from sse_starlette.sse import EventSourceResponse
from starlette.background import BackgroundTask

from api.deps import Service
from api.draining import Drain
from api.errors import openai_error, problem_details
from api.inputs import AnswerScope, StopSequences, normalized_content
from api.queue import (
    BUSY_RESPONSES,
    AnswerQueue,
    Cancellation,
    check_question,
    note_answer,
    stoppable,
)
from api.streaming import token_pieces
from qa.chat import FinishReason, OutputLimits, Reply, chat_input, chat_reply
from qa.errors import BadInput, NotFound, QAError
from qa.models import (
    Answer,
    AskedKind,
    Citation,
    RetrievedParagraph,
    Status,
    Turn,
    UnknownWord,
)

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
log = logging.getLogger(__name__)

MODEL_ID = "grounded-qa"
# `created` of the one model: when this server process started
STARTED = int(time.time())
DONE = "[DONE]"

Chunk = dict[str, Any]


# --- models ------------------------------------------------------------------------------------


class ModelCard(BaseModel):
    id: str = MODEL_ID
    object: Literal["model"] = "model"
    created: int = Field(default=STARTED, description="When the server started (Unix time).")
    owned_by: str = MODEL_ID


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


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


# --- request -----------------------------------------------------------------------------------


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None  # normalised with the message's content


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls, ...: accepted and ignored

    role: Literal["user", "assistant", "system", "developer", "tool", "function"] = Field(
        description="`user`, `assistant`; `system`, `developer`, `tool`, `function` are ignored."
    )
    content: Annotated[str | list[ContentPart] | None, BeforeValidator(normalized_content)] = Field(
        default=None, description="Text, or a list of `text` parts (normalised like `/ask`)."
    )


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: StrictBool = False


class _Chat(BaseModel):
    model: str = Field(
        default=MODEL_ID, description="Any id is accepted; answers name grounded-qa."
    )
    messages: list[ChatMessage] = Field(
        json_schema_extra={"minItems": 1},  # documented; an empty list gets our own 400
        description="The conversation; its last `user` message is the question.",
    )
    # strict, as OpenAI's: "stream": "yes" or "max_tokens": "10" is a 400, not a guess
    stream: StrictBool | None = False
    stream_options: StreamOptions | None = None
    max_tokens: StrictInt | None = Field(
        default=None,
        ge=1,
        description="At most this many words of reply (the unit `usage` counts); a longer "
        'reply is cut, with `finish_reason: "length"`. Up to `server.max_completion_tokens`.',
    )
    max_completion_tokens: StrictInt | None = Field(
        default=None, ge=1, description="As `max_tokens`; given both, the smaller applies."
    )
    stop: StopSequences = Field(
        default=None,
        description="A string or a list of strings; the reply ends before the first place one "
        "of them begins.",
    )

    def output_limits(self) -> OutputLimits:
        return OutputLimits.of(
            max_tokens=self.max_tokens,
            max_completion_tokens=self.max_completion_tokens,
            stop=self.stop,
        )


# AnswerScope first among the bases puts its fields last: `messages` leads the schema and the
# problems listed
class ChatCompletionRequest(AnswerScope, _Chat):
    # date_from, date_to, doc_ids (AnswerScope): not OpenAI's; a client sends them as extra body
    # fields, and they restrict the articles as on POST /ask (an unknown id is a 400)
    # temperature, top_p, seed, user, ...: accepted and ignored; n, tool_choice,
    # response_format, logprobs are checked by `check_supported`
    sources_in_text: StrictBool = Field(
        default=True,
        description="Not OpenAI's: end the answer's text with a `Sources:` list naming the "
        "article and paragraph of each `[n]` marker, for clients that show only the text (chat "
        "UIs, LangChain), after a `Note:` line when the quote holds nothing of the kind asked "
        "for (`holds_asked_kind` false). `false` for the answer alone; the `citations`, "
        "`asked_kind` and `holds_asked_kind` fields carry them either way.",
    )
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": MODEL_ID,
                    "messages": [
                        {"role": "user", "content": "Who did South Korea summon on Monday?"}
                    ],
                }
            ]
        },
    )


# this server's own fields, which OpenAI's clients send as extra body fields
OWN_FIELDS = (*AnswerScope.model_fields, "sources_in_text")
# how close (difflib's ratio) an unknown field's name is to one of them to be taken for it
MISSPELLING_CUTOFF = 0.75
# other names a client may give them, which no spelling check links to them
_OWN_FIELD_ALIASES = {
    "from_date": "date_from", "start_date": "date_from", "date_start": "date_from",
    "to_date": "date_to", "end_date": "date_to", "date_end": "date_to",
    "document_ids": "doc_ids", "documentids": "doc_ids", "article_ids": "doc_ids",
}  # fmt: skip


def _check_own_field_names(extra: Mapping[str, Any]) -> None:
    """Refuse an unknown field that is a misspelling of one of this server's own ("doc_id",
    "docIds", "dateFrom"): ignored like OpenAI's many other optional fields, it would quietly
    widen the search or change the text. Other unknown fields are accepted and ignored, as
    OpenAI-compatible servers do, so a newer client's parameters do not break it."""
    for name in extra:
        key = name.lower()
        meant = _OWN_FIELD_ALIASES.get(key) or next(
            iter(difflib.get_close_matches(key, OWN_FIELDS, n=1, cutoff=MISSPELLING_CUTOFF)), None
        )
        if meant:
            raise BadInput(
                f"{name} is not a field of this server: did you mean {meant}? (unknown "
                "fields are otherwise ignored)",
                param=name,
            )


def check_supported(body: ChatCompletionRequest) -> None:
    """Refuse what a client would rely on and this server cannot give, naming the field: more
    than one choice, JSON or schema output, a forced tool call, log probabilities. Silently
    ignored, each broke the caller later (`choices[1]`, `json.loads`, an agent loop waiting for
    its tool call). Values OpenAI itself refuses are refused too."""
    extra = body.model_extra or {}
    _check_own_field_names(extra)
    n = extra.get("n")
    if n is not None and (isinstance(n, bool) or n != 1):
        raise BadInput(
            f"n is {json.dumps(n)}; this server gives exactly one answer per request: leave n "
            "out or send 1",
            param="n",
        )
    fmt = extra.get("response_format")
    kind = fmt.get("type") if isinstance(fmt, dict) else fmt
    if isinstance(fmt, dict) and kind is None:
        raise BadInput(
            'response_format has no type: send {"type": "text"} or leave response_format out',
            param="response_format",
        )
    if fmt is not None and kind != "text":
        raise BadInput(
            f"response_format {kind!r} is not supported: answers are article sentences with "
            'citations, not JSON; leave response_format out or send {"type": "text"}',
            param="response_format",
        )
    for name in ("tool_choice", "function_call"):  # function_call: the older form
        choice = extra.get(name)
        if choice is not None and choice not in ("none", "auto"):
            raise BadInput(
                f"{name} asks for a tool call, and this server calls no tools (tools and "
                f'functions are ignored): leave {name} out or send "auto" or "none"',
                param=name,
            )
    modalities = extra.get("modalities")
    if extra.get("audio") is not None or (modalities is not None and modalities != ["text"]):
        raise BadInput(
            "only text answers are available: leave audio out and send modalities "
            '["text"] or leave it out',
            param="audio" if extra.get("audio") is not None else "modalities",
        )
    if extra.get("logprobs") or extra.get("top_logprobs"):
        raise BadInput(
            "log probabilities are not available: the answer is quoted from an article, not "
            "sampled; leave logprobs and top_logprobs out",
            param="logprobs" if extra.get("logprobs") else "top_logprobs",
        )
    for name, lowest, highest in (
        ("temperature", 0, 2),
        ("top_p", 0, 1),
        ("presence_penalty", -2, 2),
        ("frequency_penalty", -2, 2),
    ):
        value = extra.get(name)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not lowest <= value <= highest
        ):
            raise BadInput(
                f"{name} must be a number from {lowest} to {highest} (it is ignored)",
                param=name,
            )
    if body.stream_options is not None and not body.stream:
        raise BadInput("stream_options is only allowed with stream: true", param="stream_options")


def check_token_limit(body: ChatCompletionRequest, *, limit: int) -> None:
    """Refuse a request for more tokens than the server allows (a smaller one cuts the
    reply's text: `qa/chat.py`, `OutputLimits`)."""
    for name in ("max_tokens", "max_completion_tokens"):
        asked = getattr(body, name)
        if asked is not None and asked > limit:
            raise BadInput(
                f"{name} is {asked}; this server allows at most {limit} "
                "(setting server.max_completion_tokens). Ask for fewer tokens or leave it out.",
                param=name,
            )


# --- response ----------------------------------------------------------------------------------


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str = Field(description="The answer with its `[n]` markers.")
    refusal: None = None


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: FinishReason = Field(
        default="stop", description='`"length"` when `max_tokens` cut the reply.'
    )
    logprobs: None = None


class Usage(BaseModel):
    """Whitespace-separated words, not model tokens."""

    prompt_tokens: int = Field(description="Words of the question and of the history turns.")
    completion_tokens: int = Field(description="Words of the answer.")
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[Choice]
    usage: Usage
    # the grounding, as in the /ask body
    status: Status
    citations: list[Citation]
    retrieved: list[RetrievedParagraph]
    reason: str | None = None
    rewritten_question: str | None = None
    unknown_words: list[UnknownWord] = Field(default_factory=list)
    removed_claims: list[str] = Field(default_factory=list)
    quoted_instead: str | None = None
    asked_kind: AskedKind | None = None
    holds_asked_kind: bool | None = None


def new_completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def word_usage(question: str, history: Sequence[Turn], reply: Reply) -> Usage:
    prompt = len(question.split()) + sum(
        len(t.question.split()) + len(t.answer.split()) for t in history
    )
    return Usage(
        prompt_tokens=prompt, completion_tokens=reply.words, total_tokens=prompt + reply.words
    )


def grounding_fields(answer: Answer) -> dict[str, Any]:
    """The extra top-level fields: what `/ask` says about the answer besides its text."""
    return answer.model_dump(
        mode="json",
        include={
            "status", "citations", "retrieved", "reason", "rewritten_question", "unknown_words",
            "removed_claims", "quoted_instead", "asked_kind", "holds_asked_kind",
        },
    )  # fmt: skip


def completion(
    answer: Answer, reply: Reply, usage: Usage, *, completion_id: str, created: int
) -> ChatCompletion:
    """The non-streamed reply: `reply` whole, the grounding of `answer` beside it."""
    return ChatCompletion.model_validate(
        {
            "id": completion_id,
            "created": created,
            "choices": [
                Choice(
                    message=AssistantMessage(content=reply.content),
                    finish_reason=reply.finish_reason,
                )
            ],
            "usage": usage,
            **grounding_fields(answer),
        }
    )


def chunk(
    completion_id: str,
    created: int,
    delta: Mapping[str, Any],
    finish_reason: str | None = None,
    **extra: Any,
) -> Chunk:
    """One `chat.completion.chunk` with a single choice."""
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [
            {"index": 0, "delta": dict(delta), "finish_reason": finish_reason, "logprobs": None}
        ],
        **extra,
    }


def role_chunk(completion_id: str, created: int) -> Chunk:
    """The first chunk, sent before the answer is ready: who speaks."""
    return chunk(completion_id, created, {"role": "assistant", "content": ""})


def answer_chunks(answer: Answer, reply: Reply, *, completion_id: str, created: int) -> list[Chunk]:
    """The streamed reply: `reply` word by word in content deltas (joined, exactly the
    non-streamed content), then the last chunk: an empty delta, the `finish_reason` (`"stop"`,
    or `"length"` when `max_tokens` cut the text) and the grounding fields of `answer`.
    """
    pieces = token_pieces(reply.content)
    chunks = [chunk(completion_id, created, {"content": piece}) for piece in pieces]
    chunks.append(
        chunk(completion_id, created, {}, reply.finish_reason, **grounding_fields(answer))
    )
    return chunks


def usage_announced(item: Chunk, include_usage: bool) -> Chunk:
    """With `stream_options.include_usage`, every chunk before the usage chunk carries
    `"usage": null`, as OpenAI documents ("all other chunks will also include a usage field,
    but with a null value"): a client may tell the usage chunk by its field's value."""
    return {**item, "usage": None} if include_usage else item


def usage_chunk(completion_id: str, created: int, usage: Usage) -> Chunk:
    """Sent before `[DONE]` when `stream_options.include_usage` is set: no choices, the usage."""
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL_ID,
        "choices": [],
        "usage": usage.model_dump(),
    }


def error_frame(exc: BaseException) -> dict[str, Any]:
    """`{"error": ...}`: the problem details (title, status, detail, request id) with OpenAI's
    `message` (what OpenAI clients show: the detail), `type`, `param` and `code`."""
    problem = problem_details(exc)
    problem.pop("type", None)  # about:blank; OpenAI's `type` is the kind of error
    openai = problem.pop("error", None)  # absent outside a /v1 request (unit tests)
    if not isinstance(openai, dict):
        openai = openai_error(int(str(problem["status"])), str(problem["detail"]))
    return {"error": {**problem, **openai}}


def data_frame(data: Mapping[str, Any] | str) -> ServerSentEvent:
    """A `data:` frame with no event name, as OpenAI sends; JSON is compact and on one line."""
    if isinstance(data, str):
        return ServerSentEvent(data=data)
    return ServerSentEvent(data=json.dumps(data, ensure_ascii=False, separators=(",", ":")))


# --- the route ---------------------------------------------------------------------------------

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
