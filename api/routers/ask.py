"""POST /ask: a question in, a grounded answer with checked paragraph citations out."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import Service
from api.inputs import AskRequest
from api.queue import (
    BUSY_RESPONSES,
    AnswerQueue,
    Cancellation,
    check_question,
    note_answer,
    stoppable,
)
from qa.models import Answer

router = APIRouter(tags=["answers"])


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
