"""What `GET /v1/models` and `POST /v1/chat/completions` (api/routers/openai_compat.py) send, in
OpenAI's shapes, built from an `Answer` and its `Reply` (qa/chat.py) with no server needed:

* the model (`ModelCard`, `ModelList`): one, `grounded-qa`;
* the non-streamed reply (`completion`, a `ChatCompletion`): the reply whole, `usage` in words
  (`word_usage`), and the grounding as extra top-level fields (`grounding_fields`);
* the streamed reply's `chat.completion.chunk`s (`role_chunk`, `answer_chunks`, `usage_chunk`,
  `usage_announced`), and the error frame a stream under way ends with (`error_frame`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.errors import openai_error, problem_details
from api.streaming import token_pieces
from qa.chat import FinishReason, Reply
from qa.models import Answer, AskedKind, Citation, RetrievedParagraph, Status, Turn, UnknownWord

MODEL_ID = "grounded-qa"
# `created` of the one model: when this server process started
STARTED = int(time.time())

Chunk = dict[str, Any]


class ModelCard(BaseModel):
    id: str = MODEL_ID
    object: Literal["model"] = "model"
    created: int = Field(default=STARTED, description="When the server started (Unix time).")
    owned_by: str = MODEL_ID


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


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
