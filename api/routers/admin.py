"""Admin actions on the index: reload the current version now, see what is served."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import Service
from api.reload import Reloader
from api.security import AdminAccess
from index.manifest import RECORDED_SKIPS
from index.skips import LISTED_SKIPS
from index.versions import loadable_versions, pointed_at

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[AdminAccess])

ADMIN_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"description": "No or wrong admin API key (problem details)."},
    403: {"description": "Admin actions are switched off (problem details)."},
}


class ReloadOutcome(BaseModel):
    status: Literal["reloaded", "unchanged", "failed"] = Field(
        description="`failed`: the current version was refused and the served one kept."
    )
    version: str = Field(description="The index version served now.")
    detail: str | None = Field(default=None, description="Why a version was refused.")


class IndexStatus(BaseModel):
    served: str = Field(description="The version this server answers from.")
    current: str | None = Field(description="The version `current` points at on disk.")
    versions: list[str] = Field(
        description="Loadable versions on disk (complete, every file present), newest first."
    )
    articles: int
    paragraphs: int
    near_duplicates: int = Field(description="Paragraphs left out as near-duplicates.")
    skipped: int = Field(
        description="Files and archive records of the corpus folder the served version's build "
        "skipped."
    )
    skips: list[str] = Field(
        description="Why each was skipped, as the build warned: at most "
        f"{LISTED_SKIPS} of one file named, the rest of that file's counted in one line, and "
        f"at most {RECORDED_SKIPS} lines in all (a last one counts the rest). Empty for a "
        "version built before builds kept them."
    )
    recovered_at_startup: list[str] = Field(
        description="What start-up settled that a killed process had left: a document change "
        "kept or undone, half-removed or unfinished versions removed."
    )


@router.post(
    "/reload",
    response_model=ReloadOutcome,
    summary="Load the current index version now (admin)",
    responses=ADMIN_RESPONSES,
)
async def reload_index(reloader: Reloader) -> ReloadOutcome:
    """The server also notices a new version by itself every `index.reload_interval_s`.
    Requests in flight finish on the version they started with."""
    result = await run_in_threadpool(reloader.reload, retry=True)
    return ReloadOutcome(status=result.status, version=result.version, detail=result.detail)


@router.get(
    "/index",
    response_model=IndexStatus,
    summary="Which index version is served and which are on disk (admin)",
    responses=ADMIN_RESPONSES,
)
async def index_status(service: Service, request: Request) -> IndexStatus:
    index = service.index
    current = pointed_at(service.settings.index_dir)
    versions = await run_in_threadpool(loadable_versions, service.settings.index_dir)
    return IndexStatus(
        served=index.version.name,
        current=current.name if current is not None else None,
        versions=[v.name for v in versions],
        articles=len(index.corpus.articles),
        paragraphs=len(index.corpus.paragraphs),
        near_duplicates=len(index.corpus.manifest.duplicates),
        skipped=index.corpus.manifest.skipped,
        skips=index.corpus.manifest.skips,
        recovered_at_startup=getattr(request.app.state, "recovered", []),
    )
