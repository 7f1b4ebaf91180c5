"""The real app over a real index built with the deterministic fakes (tests/fakes.py), without
its lifespan: for unit tests of the HTTP layer that need index versions to build and swap, not
the bundled models."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.reload import IndexReloader
from api.service import QAService
from index.builder import rebuild_index
from index.loaded import open_index
from index.versions import current_version
from qa.settings import GenerationSettings, IndexSettings, SecuritySettings, Settings
from tests.clients import LocalClient
from tests.fakes import HashingEmbedder, OverlapSelector


def served_with_fakes(corpus: Path, data_dir: Path, *, admin_key: str) -> TestClient:
    """A client of the app serving `corpus`, indexed into `data_dir` with the hashing embedder
    and the overlap selector; admin actions take `admin_key`; reloads only when asked."""
    settings = Settings(
        data_dir=data_dir,
        generation=GenerationSettings(backend="none"),
        index=IndexSettings(reload_interval_s=0),
        security=SecuritySettings(admin_api_key=admin_key),  # type: ignore[arg-type]
    )
    rebuild_index(corpus, settings.index_dir, embedder=HashingEmbedder())
    embedder = HashingEmbedder()
    loaded = open_index(current_version(settings.index_dir), embedder=embedder, settings=settings)
    service = QAService(settings, embedder, loaded, OverlapSelector(), None)  # type: ignore[arg-type]
    app = create_app(settings)
    app.state.service = service
    app.state.reloader = IndexReloader(service)
    return LocalClient(app, raise_server_exceptions=False)
