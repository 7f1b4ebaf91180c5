"""The body of `POST /v1/chat/completions` (api/routers/openai_compat.py) as OpenAI's chat API
sends it, and the checks of what this server can honour.

* `ChatCompletionRequest`: `messages` (each a `ChatMessage`, its content a string or text
  parts, normalised as on `/ask`), `stream` and `stream_options`, `max_tokens`,
  `max_completion_tokens` and `stop` (`output_limits`, which qa/chat.py cuts the reply by),
  this server's own `sources_in_text`, and `AnswerScope`'s `date_from`, `date_to` and
  `doc_ids` as extra body fields. Other fields are accepted and ignored, as OpenAI-compatible
  servers do.
* `check_supported`: what a client would rely on and cannot have (`n` over 1, JSON output, a
  forced tool call, audio, log probabilities), values OpenAI itself refuses, and a misspelling
  of one of this server's own fields, each refused naming the field (`BadInput`, a 400 under
  /v1); `check_token_limit`: `max_tokens` over `server.max_completion_tokens`.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt

from api.inputs import AnswerScope, StopSequences, normalized_content
from api.openai_response import MODEL_ID
from qa.chat import OutputLimits
from qa.errors import BadInput


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
