"""Request-body types that put every client text through `qa.text_input.normalize_text`.

A field typed `ClientText` is normalised before pydantic checks it (so a lone surrogate gets
this module's message rather than pydantic's, and length limits count the normalised text);
`OptionalText` is the same, except that a text with nothing visible left counts as not sent.
Whether a required text may be empty is the route's call: questions and history turns are
checked by `api.queue.check_question`, the same for /ask, /ask/stream and chat completions.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from index.corpus import DOC_ID_PATTERN
from qa.models import Turn
from qa.text_input import has_visible_text, normalize_text, surrogate_problem


def normalized(value: Any) -> Any:
    """Normalise a string; anything else is left for pydantic to refuse by its type."""
    if not isinstance(value, str):
        return value
    problem = surrogate_problem(value)
    if problem is not None:
        # the message goes in as a value: pydantic reads the template's braces
        raise PydanticCustomError("unusable_text", "{problem}", {"problem": problem})
    return normalize_text(value)


def normalized_or_none(value: Any) -> Any:
    """`normalized`, and None for a text with nothing visible in it."""
    value = normalized(value)
    if isinstance(value, str) and not has_visible_text(value):
        return None
    return value


def normalized_content(value: Any) -> Any:
    """A chat message's content: a string, or a list of parts each with its `text` normalised
    (here rather than in the part, so the error is one message and not one per union member)."""
    if isinstance(value, list):
        return [
            {**part, "text": normalized(part["text"])}
            if isinstance(part, dict) and "text" in part
            else part
            for part in value
        ]
    return normalized(value)


ClientText = Annotated[str, BeforeValidator(normalized)]
OptionalText = Annotated[str | None, BeforeValidator(normalized_or_none)]
# `doc_ids` of /ask, /ask/stream and /v1: some articles, by the ids GET /documents lists
DocIds = Annotated[
    list[Annotated[str, StringConstraints(pattern=DOC_ID_PATTERN)]],
    Field(min_length=1, max_length=1000),
]


class HistoryTurn(Turn):
    """An earlier turn as a client sends it, both texts normalised."""

    question: ClientText = Field(max_length=2000)
    answer: ClientText = Field(default="", max_length=20000)
