"""Request-body types that put every client text through `qa.text_input.normalize_text`, and
the bodies the answering routes share (`AskRequest`: /ask and /ask/stream).

A field typed `ClientText` is normalised before pydantic checks it (so a lone surrogate gets
this module's message rather than pydantic's, and length limits count the normalised text);
`OptionalText` is the same, except that a text with nothing visible left counts as not sent.
`StopSequences` reads /v1's `stop`: a string or a list of strings, none with a lone surrogate.
Whether a required text may be empty is the route's call: questions and history turns are
checked by `api.queue.check_question`, the same for /ask, /ask/stream and chat completions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from index.corpus import DOC_ID_PATTERN
from index.file_kinds import doc_id_problem
from qa.models import TURN_ANSWER_MAX_CHARS, TURN_QUESTION_MAX_CHARS, Answer, Turn
from qa.retrieval import in_articles
from qa.text_input import has_visible_text, normalize_text, surrogate_problem

if TYPE_CHECKING:
    from api.service import QAService


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
        for number, part in enumerate(value):
            if not isinstance(part, dict) or not isinstance(part.get("type"), str):
                raise PydanticCustomError(
                    "content_part",
                    f"content part {number} is not an object with a type: send parts as "
                    '{"type": "text", "text": "…"}',
                )
            if part.get("text") is not None and not isinstance(part["text"], str):
                raise PydanticCustomError(
                    "content_part",
                    f"content part {number} has a text that is not a string: send parts as "
                    '{"type": "text", "text": "…"}',
                )
        return [
            {**part, "text": normalized(part["text"])} if "text" in part else part for part in value
        ]
    if value is not None and not isinstance(value, str):
        # one message here, rather than one per member of the union it would fail
        raise PydanticCustomError(
            "content_type",
            'content must be a string or a list of content parts ([{"type": "text", "text": "…"}])',
        )
    return normalized(value)


ClientText = Annotated[str, BeforeValidator(normalized)]
OptionalText = Annotated[str | None, BeforeValidator(normalized_or_none)]


def stop_sequences(value: Any) -> Any:
    """`stop` as OpenAI takes it: a string or a list of strings (or null), said in those words
    rather than as one pydantic error per member of a union."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
        raise PydanticCustomError("stop", "send a string or a list of strings, or leave stop out")
    for item in items:
        if (problem := surrogate_problem(item)) is not None:
            raise PydanticCustomError("unusable_text", "{problem}", {"problem": problem})
    return items


StopSequences = Annotated[list[str] | None, BeforeValidator(stop_sequences)]


def _id_form(value: object) -> object:
    """An id no article can have (spaces, "ä"), said in words, not as pydantic's "String should
    match pattern '^[A-Za-z0-9]…'" (`pattern` stays for the schema)."""
    if isinstance(value, str) and (problem := doc_id_problem(value)) is not None:
        raise PydanticCustomError(
            "doc_id",
            "no article has the id {value}: an id {problem}; GET /documents lists the ids",
            {"value": repr(value[:80]), "problem": problem},
        )
    return value


# `doc_ids` of /ask, /ask/stream and /v1: some articles, by the ids GET /documents lists
DocIds = Annotated[
    list[Annotated[str, BeforeValidator(_id_form), StringConstraints(pattern=DOC_ID_PATTERN)]],
    Field(min_length=1, max_length=1000),
]


class HistoryTurn(Turn):
    """An earlier turn as a client sends it, both texts normalised."""

    question: ClientText = Field(max_length=TURN_QUESTION_MAX_CHARS)
    answer: ClientText = Field(default="", max_length=TURN_ANSWER_MAX_CHARS)


class AnswerScope(BaseModel):
    """Which articles a question is asked of: a date range, some articles, or both. The same
    fields, checks and words on /ask, /ask/stream and (as extra body fields) /v1."""

    date_from: date | None = Field(
        default=None,
        description="Only articles published on or after this ISO date (e.g. 2024-10-01). "
        "With a date range, articles without a date are left out.",
    )
    date_to: date | None = Field(
        default=None, description="Only articles published on or before this ISO date."
    )
    doc_ids: DocIds | None = Field(
        default=None,
        description="Only these articles (ids as GET /documents lists them); an id no article "
        "has is refused. With a date range too, the articles must also be dated within it.",
    )

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        """A calendar date written as YYYY-MM-DD, said in those words when it is not (pydantic's
        own, "input is too short" or "should have zero time", do not say what to send)."""
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass  # e.g. 2024-02-30
        raise ValueError(
            f"{value!r} is not a calendar date; send one as YYYY-MM-DD, e.g. 2024-10-01"
        )

    @field_validator("date_to")
    @classmethod
    def _range_in_order(cls, value: date | None, info: ValidationInfo) -> date | None:
        """A field's check, not the model's, so the refusal names a field (`param`)."""
        since = info.data.get("date_from")
        if value is not None and since is not None and since > value:
            raise ValueError(f"date_from {since} is after date_to {value}")
        return value

    def answerer(self, service: QAService) -> Callable[..., Answer]:
        """`service.ask`, restricted to the request's date range and articles when it has them.
        An unknown id is refused now (`BadInput`), not after the queue."""
        if self.date_from is None and self.date_to is None and self.doc_ids is None:
            return service.ask
        if self.doc_ids is not None:
            in_articles(self.doc_ids, service.index.corpus.articles)
        return partial(
            service.ask, date_from=self.date_from, date_to=self.date_to, doc_ids=self.doc_ids
        )


class _Asked(BaseModel):
    question: ClientText = Field(
        description="The question, in plain words (normalised: NFC, no control characters); "
        "it must keep at least one visible character."
    )
    history: list[HistoryTurn] = Field(
        default_factory=list,
        description="Earlier turns, oldest first; a follow-up question is read in their light. "
        "null is read as no earlier turns.",
    )

    @field_validator("history", mode="before")
    @classmethod
    def _no_history(cls, value: object) -> object:
        """`null` is no history: clients that fill every optional field send it so."""
        return [] if value is None else value


# the body of POST /ask and POST /ask/stream (api/routers/ask.py, stream.py); AnswerScope first
# among the bases puts its fields last: `question` leads the schema and the
# problems listed
class AskRequest(AnswerScope, _Asked):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"question": "What did the spokesperson say about the treaty?"}]
        },
    )
