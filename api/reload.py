"""Hot reload: a new index version is loaded beside the served one, then swapped in.

`index/loaded.py` loads and checks one version (checksums, embedding model) and puts a
`Retriever` over it. `IndexReloader.reload` does that for whatever `current` points at, off the
request path, and hands the result to the service in one reference assignment: a request that
already took the old `LoadedIndex` finishes on it, the next one gets the new one, and no request
sees half of each. A version that fails to load is logged and skipped (the served one stays) until
`current` points somewhere else; the service keeps why (`Refusal`), and `served_state` tells
/readyz and /metrics whether the served version is the current one. `watch` polls the
`current` link every few seconds, so a rebuild by the script is picked up without a restart;
`POST /admin/reload` asks at once. No detail here carries a filesystem path.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from typing import Annotated, Literal, Protocol

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from index.checksums import without_paths
from index.loaded import LoadedIndex, Refusal, open_index
from index.versions import missing_current, pointed_at
from qa.errors import IndexNotBuilt, QAError
from qa.interfaces import Embedder
from qa.settings import Settings

log = logging.getLogger(__name__)


class Served(Protocol):
    """What reloading needs of the service (api/service.py's `QAService` is one)."""

    refusal: Refusal | None

    @property
    def settings(self) -> Settings: ...

    @property
    def embedder(self) -> Embedder: ...

    @property
    def index(self) -> LoadedIndex: ...

    def swap(self, loaded: LoadedIndex) -> None: ...


@dataclass(frozen=True)
class ServedState:
    """Whether the served version is the current one; `reason` says why not."""

    served: str
    current: str | None
    reason: str | None = None

    @property
    def degraded(self) -> bool:
        return self.reason is not None


def served_state(service: Served) -> ServedState:
    """Compare the served version with the one `current` points at (a cheap look at a link)."""
    served = service.index.version.name
    target = pointed_at(service.settings.index_dir)
    if target is None:
        missing = missing_current(service.settings.index_dir)
        if missing is None:
            return ServedState(served, None, "there is no 'current' index version on disk")
        return ServedState(served, missing, f"'current' points at version {missing}, which is "
                           "missing")  # fmt: skip
    current = target.name
    if current == served:
        return ServedState(served, current)
    refusal = service.refusal
    if refusal is not None and refusal.version == current:
        why = f"the current version {current} was refused: {refusal.reason}"
    else:
        why = f"the current version {current} is not loaded yet"
    return ServedState(served, current, why)


@dataclass(frozen=True)
class ReloadResult:
    status: Literal["reloaded", "unchanged", "failed"]
    version: str  # the version served after the call
    detail: str | None = None  # why a version was refused


class IndexReloader:
    """Swaps the version `current` points at into `service`; one reload at a time."""

    def __init__(self, service: Served) -> None:
        self._service = service
        self._lock = threading.Lock()

    def reload(self, *, retry: bool = False) -> ReloadResult:
        """Blocking: call it from a worker thread. `retry` tries a refused version again."""
        with self._lock:
            served = self._service.index.version
            target = pointed_at(self._service.settings.index_dir)
            if target is None:
                missing = "'current' is missing or points at a missing version"
                return ReloadResult("unchanged", served.name, missing)
            if target == served:
                return ReloadResult("unchanged", served.name)
            refused = self._service.refusal
            if refused is not None and refused.version == target.name and not retry:
                return ReloadResult("failed", served.name, f"version {target.name} was refused")
            try:
                loaded = open_index(
                    target, embedder=self._service.embedder, settings=self._service.settings
                )
            except QAError as exc:
                reason = without_paths(str(exc), self._service.settings.index_dir)
                self._service.refusal = Refusal(target.name, reason)
                log.warning("keeping index version %s; refused %s: %s", served.name,
                            target.name, reason)  # fmt: skip
                return ReloadResult("failed", served.name, reason)
            self._service.swap(loaded)
            log.info(
                "now serving index version %s (%d articles, %d paragraphs)",
                target.name,
                len(loaded.corpus.articles),
                len(loaded.corpus.paragraphs),
            )
            return ReloadResult("reloaded", target.name)

    async def watch(self, interval_s: float) -> None:
        """Poll `current` forever (cancel the task to stop); reload off the event loop."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                if self._moved():
                    await run_in_threadpool(self.reload)
            except Exception:  # a watcher that dies silently would stop all reloads
                log.exception("index watcher failed; trying again in %.1f s", interval_s)

    def _moved(self) -> bool:
        target = pointed_at(self._service.settings.index_dir)
        if target is None:
            return False
        refused = self._service.refusal
        return target != self._service.index.version and not (
            refused is not None and refused.version == target.name
        )


def get_reloader(request: Request) -> IndexReloader:
    reloader: IndexReloader | None = getattr(request.app.state, "reloader", None)
    if reloader is None:
        raise IndexNotBuilt("the service is still starting or has no index")
    return reloader


Reloader = Annotated[IndexReloader, Depends(get_reloader)]
