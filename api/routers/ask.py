"""POST /ask: a question in, a grounded answer with checked paragraph citations out."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import partial

from fastapi import APIRouter, Request
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from api.deps import Service
from api.inputs import ClientText, DocIds, HistoryTurn
from api.queue import AnswerQueue, Cancellation, check_question, note_answer, stoppable
from api.service import QAService
from qa.models import Answer
from qa.retrieval import in_articles

router = APIRouter(tags=["answers"])

# what every answering route can answer besides 200 (problem details; see api/errors.py)
BUSY_RESPONSES: dict[int | str, dict[str, object]] = {
    429: {"description": "Too many questions waiting; retry after `Retry-After` seconds."},
    503: {"description": "No index loaded, or the time limit passed (`Retry-After`)."},
}


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"question": "What did the spokesperson say about the treaty?"}]
        },
    )

    question: ClientText = Field(
        description="The question, in plain words (normalised: NFC, no control characters); "
        "it must keep at least one visible character."
    )
    history: list[HistoryTurn] = Field(
        default_factory=list,
        description="Earlier turns, oldest first; a follow-up question is read in their light.",
    )
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
        "has is a 422. With a date range too, the articles must also be dated within it.",
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

    @model_validator(mode="after")
    def _range_in_order(self) -> AskRequest:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        return self

    def answerer(self, service: QAService) -> Callable[..., Answer]:
        """`service.ask`, restricted to the request's date range and articles when it has them."""
        if self.date_from is None and self.date_to is None and self.doc_ids is None:
            return service.ask
        if self.doc_ids is not None:  # an unknown id is a 422 now, not after the queue
            in_articles(self.doc_ids, service.index.corpus.articles)
        return partial(
            service.ask, date_from=self.date_from, date_to=self.date_to, doc_ids=self.doc_ids
        )


@router.post(
    "/ask",
    response_model=Answer,
    summary="Answer a question from the articles, with citations",
    responses={
        422: {"description": "Empty, over-long or malformed question (problem details)."},
        **BUSY_RESPONSES,
    },
)
async def ask(body: AskRequest, service: Service, queue: AnswerQueue, request: Request) -> Answer:
    """Retrieves paragraphs, finds the sentence that answers, and checks every citation.

    `status` is `insufficient_evidence` when the articles do not hold the answer; the closest
    paragraphs are then in `retrieved`.
    """
    check_question(body.question, body.history, service.settings.server)
    # One worker thread answers in turn: the models are CPU-bound and llama.cpp is not
    # thread-safe; a full queue is a 429 rather than a pile-up.
    # A client that leaves drops its question if still waiting, or stops it at its next stage.
    stop = Cancellation()
    answerer = stoppable(body.answerer(service), stop)
    answer = await queue.run(answerer, body.question, body.history, client=request, stop=stop)
    note_answer(request, answer)
    return answer
