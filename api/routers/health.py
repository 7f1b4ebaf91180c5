"""GET /healthz (the process answers) and GET /readyz (the current index and the models loaded).

Readiness, for load balancers and orchestrators: 200 `ready` only when the index version
served is the one `current` points at. While the server answers from an older version (the
current one was refused as damaged, or is not loaded yet), /readyz is 503 with a JSON body
whose `status` is `degraded`, naming both versions and the reason; so a balancer that routes
on /readyz stops sending traffic to an instance that would answer without the newest
articles, while /healthz stays 200 so the process is not restarted for it. The port opens
only once the index and models are loaded (the lifespan loads them first); an app without a
loaded service (built without its lifespan) answers 503 with problem details.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.reload import served_state
from qa.errors import IndexNotBuilt

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready", "degraded"] = Field(
        description="`ready`: the current index version is served (HTTP 200). `degraded`: an "
        "older version is served (HTTP 503); `reason` says why."
    )
    reason: str | None = Field(default=None, description="Why the server is degraded.")
    served_version: str = Field(description="The index version answers come from.")
    current_version: str | None = Field(description="The version `current` points at on disk.")
    articles: int = Field(description="Articles in the served index.")
    paragraphs: int = Field(description="Paragraphs in the served index.")
    skipped: int = Field(
        default=0,
        description="Files and archive records of the corpus folder the served version's build "
        "skipped (GET /admin/index says which and why).",
    )
    selector: str = Field(description="The answer selector model.")
    generator: str | None = Field(
        description="The language model of generate mode, or null when there is none (the default)."
    )


@router.get("/healthz", response_model=Health, summary="Liveness: the server process answers")
async def healthz() -> Health:
    """Checks nothing else: a server that answers this is alive (it answers once its index and
    models are loaded, as every route does)."""
    return Health()


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness: the current index version and the models are loaded",
    responses={
        503: {
            "model": Readiness,
            "description": "Degraded: an older index version than `current` is served (JSON, "
            "`status: degraded`); or no service loaded (problem details).",
        }
    },
)
async def readyz(request: Request) -> Readiness | JSONResponse:
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise IndexNotBuilt("not ready: the index and the models are not loaded (yet)")
    index = service.index  # one version for the whole answer
    state = served_state(service)
    readiness = Readiness(
        status="degraded" if state.degraded else "ready",
        reason=state.reason,
        served_version=index.version.name,
        current_version=state.current,
        articles=len(index.corpus.articles),
        paragraphs=len(index.corpus.paragraphs),
        skipped=index.corpus.manifest.skipped,
        selector=service.selector.model_name,
        generator=service.generator.model_name if service.generator is not None else None,
    )
    if state.degraded:
        return JSONResponse(readiness.model_dump(), status_code=503)
    return readiness
