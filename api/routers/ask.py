"""POST /ask: a question in, a grounded answer with checked paragraph citations out."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Service
from qa.models import Answer, Turn

router = APIRouter(tags=["answers"])


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"question": "What did the spokesperson say about the treaty?"}]
        },
    )

    question: str = Field(min_length=1, description="The question, in plain words.")
    history: list[Turn] = Field(
        default_factory=list,
        description="Earlier turns, oldest first; a follow-up question is read in their light.",
    )


@router.post(
    "/ask",
    response_model=Answer,
    summary="Answer a question from the articles, with citations",
    responses={
        422: {"description": "Empty, over-long or malformed question (problem details)."},
        503: {"description": "No index loaded (problem details)."},
    },
)
async def ask(body: AskRequest, service: Service) -> Answer:
    """Retrieves paragraphs, finds the sentence that answers, and checks every citation.

    `status` is `insufficient_evidence` when the articles do not hold the answer; the closest
    paragraphs are then in `retrieved`.
    """
    # The models are CPU-bound and not async: keep them off the event loop.
    return await run_in_threadpool(service.ask, body.question, body.history)
