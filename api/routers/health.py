"""GET /healthz (the process answers) and GET /readyz (index and models loaded)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from qa.errors import IndexNotBuilt

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    articles: int = Field(description="Articles in the loaded index.")
    paragraphs: int = Field(description="Paragraphs in the loaded index.")
    generator: str | None = Field(description="The language model, or null when there is none.")


@router.get("/healthz", response_model=Health, summary="Liveness: the server process answers")
async def healthz() -> Health:
    """Checks nothing else: a process that answers this is alive, even while it loads."""
    return Health()


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness: the index and the models are loaded",
    responses={503: {"description": "Still starting, or stopping (problem details)."}},
)
async def readyz(request: Request) -> Readiness:
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise IndexNotBuilt("not ready: the index and the models are not loaded (yet)")
    return Readiness(
        articles=len(service.corpus.articles),
        paragraphs=len(service.corpus.paragraphs),
        generator=service.generator.model_name if service.generator is not None else None,
    )
