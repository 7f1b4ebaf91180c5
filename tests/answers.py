"""Made-up answers and a stand-in service for unit tests of the HTTP routes (no models)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from api.errors import install_error_handlers
from api.queue import GenerationQueue
from qa.answering import ProgressCallback, no_progress
from qa.models import Answer, Citation, RetrievedParagraph, Turn
from qa.settings import Settings
from tests.clients import LocalClient

PARAGRAPH_A = "The harbour council approved the plan on Tuesday. It will cost 4,200,000 dollars."
PARAGRAPH_B = "Mayor Ingrid Talvik said the lighthouse had guided boats since 1887."


def paragraph(doc_id: str, index: int, text: str) -> dict[str, Any]:
    return {
        "paragraph_id": f"{doc_id}:p{index}",
        "doc_id": doc_id,
        "index": index,
        "start": 0,
        "end": len(text),
        "text": text,
        "title": f"Title of {doc_id}",
        "source": "Harbour News",
        "date": "2024-10-21",
    }


def answered() -> Answer:
    """A follow-up answered with one cited sentence (the lighthouse's age), for the routes'
    tests of answer shapes."""
    return Answer(
        question="And how old is it?",
        rewritten_question="And how old is it? (following: What will the lighthouse cost)",
        answer="It has guided boats since 1887 [1].",
        status="answered",
        citations=[
            Citation(
                **paragraph("lighthouse", 2, PARAGRAPH_B),
                marker=1,
                verified=True,
                support_score=0.9,
                span_start=0,
                span_end=len(PARAGRAPH_B),
            )
        ],
        retrieved=[
            RetrievedParagraph(**paragraph("lighthouse", 2, PARAGRAPH_B), score=0.03),
            RetrievedParagraph(**paragraph("council", 1, PARAGRAPH_A), score=0.02),
        ],
        short_answer="1887",
    )


def insufficient() -> Answer:
    return Answer(
        question="Who won the football final?",
        answer="The articles do not hold enough evidence to answer this.",
        status="insufficient_evidence",
        citations=[],
        retrieved=[RetrievedParagraph(**paragraph("council", 1, PARAGRAPH_A), score=0.01)],
        reason="no sentence in the closest paragraphs answers the question",
    )


@dataclass(frozen=True)
class StandInIndex:
    """The served index as /metrics looks at it: a version name only."""

    version: Path = Path("stand-in-version")


@dataclass
class StandInService:
    """What the routes use of `QAService`: `settings` and `ask`; records what was asked."""

    result: Answer | Exception
    settings: Settings = field(default_factory=Settings)
    asked: list[tuple[str, list[Turn]]] = field(default_factory=list)
    index: StandInIndex = field(default_factory=StandInIndex)
    refusal: None = None

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        on_progress: ProgressCallback = no_progress,
        should_stop: Callable[[], bool] | None = None,
        time_left: Callable[[], float | None] | None = None,
    ) -> Answer:
        self.asked.append((question, list(history)))
        on_progress("searching", {"query": question})
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


@contextmanager
def client_for(service: StandInService, router: APIRouter) -> Iterator[TestClient]:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.state.service = service
    app.state.generation_queue = GenerationQueue.from_settings(service.settings.server)
    with LocalClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.generation_queue.shutdown()
