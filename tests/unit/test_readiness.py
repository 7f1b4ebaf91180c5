"""Honest readiness: /readyz is 200 only while the current index version is served.

A real `QAService` over real index versions built with the hashing fake embedder, in the
real app (without its lifespan, so no model loads): versions are added, damaged and removed
on disk, and /readyz, /metrics and the admin endpoints are read over the test client.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.app import create_app
from api.reload import IndexReloader
from api.service import QAService
from index.builder import rebuild_index
from index.loaded import open_index
from index.versions import current_version
from qa.settings import GenerationSettings, IndexSettings, SecuritySettings, Settings
from tests.clients import LocalClient
from tests.fakes import HashingEmbedder, OverlapSelector

pytestmark = pytest.mark.unit

ADMIN_KEY = "unit-readiness-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
FERRY = "Ferry returns\n\nThe ferry to Skarra island resumed service on Monday."
ORCHARD = "Frost hits orchards\n\nA late frost destroyed 3,000 tonnes of apples in Brenna."
MUSEUM = "Museum reopens\n\nThe maritime museum reopened on Saturday after two years."


class Setup:
    def __init__(self, tmp_path: Path) -> None:
        self.corpus = tmp_path / "corpus"
        self.corpus.mkdir()
        (self.corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
        self.settings = Settings(
            data_dir=tmp_path / "data",
            generation=GenerationSettings(backend="none"),
            index=IndexSettings(reload_interval_s=0),
            security=SecuritySettings(admin_api_key=ADMIN_KEY),  # type: ignore[arg-type]
        )
        self.index_dir = self.settings.index_dir
        self.rebuild()
        embedder = HashingEmbedder()
        loaded = open_index(
            current_version(self.index_dir), embedder=embedder, settings=self.settings
        )
        self.service = QAService(self.settings, embedder, loaded, OverlapSelector(), None)  # type: ignore[arg-type]
        app = create_app(self.settings)
        app.state.service = self.service
        app.state.reloader = IndexReloader(self.service)
        self.client = LocalClient(app, raise_server_exceptions=False)

    def rebuild(self) -> Path:
        return rebuild_index(self.corpus, self.index_dir, embedder=HashingEmbedder()).version

    def degraded_metric(self) -> float:
        for line in self.client.get("/metrics").text.splitlines():
            if line.startswith("qa_index_degraded "):
                return float(line.split()[1])
        raise AssertionError("no qa_index_degraded gauge")


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def test_ready_while_the_current_version_is_served(setup: Setup) -> None:
    r = setup.client.get("/readyz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ready" and body["reason"] is None
    assert (
        body["served_version"] == body["current_version"] == current_version(setup.index_dir).name
    )
    assert setup.degraded_metric() == 0


def test_a_refused_current_version_is_degraded_with_both_versions_and_why(setup: Setup) -> None:
    served = setup.service.index.version.name
    (setup.corpus / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    damaged = setup.rebuild()
    (damaged / "sentences.npy").write_bytes(b"not the vectors")

    reloaded = setup.client.post("/admin/reload", headers=ADMIN).json()
    assert reloaded["status"] == "failed"
    assert "sentences.npy" in reloaded["detail"]

    r = setup.client.get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["status"] == "degraded"
    assert (body["served_version"], body["current_version"]) == (served, damaged.name)
    assert damaged.name in body["reason"] and "sentences.npy" in body["reason"]
    assert body["articles"] == 1  # what is served: the older version
    assert setup.degraded_metric() == 1
    # no detail a client sees names a place on the server's disk
    for text in (reloaded["detail"], body["reason"]):
        assert str(setup.settings.data_dir) not in text
        assert not re.search(r"(?:^|[\s'\"(])/\w", text), text  # no absolute path at all

    (damaged / "sentences.npy").unlink()
    good = setup.rebuild()  # a full build, since current is damaged: it moves `current` on
    assert setup.client.post("/admin/reload", headers=ADMIN).json()["version"] == good.name
    assert setup.client.get("/readyz").json()["status"] == "ready"
    assert setup.degraded_metric() == 0


def test_a_current_version_not_loaded_yet_is_degraded_until_it_is(setup: Setup) -> None:
    (setup.corpus / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    newer = setup.rebuild()  # the watcher is off: nothing loads it by itself
    r = setup.client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["reason"] == f"the current version {newer.name} is not loaded yet"

    setup.client.post("/admin/reload", headers=ADMIN)
    assert setup.client.get("/readyz").status_code == 200


def test_the_admin_listing_shows_only_loadable_versions(setup: Setup) -> None:
    """A version a kill half-removed is not listed, nor a killed build's empty folder."""
    versions = [setup.service.index.version]
    for name, text in (("orchard", ORCHARD), ("museum", MUSEUM)):
        (setup.corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        versions.append(setup.rebuild())
    (versions[0] / "paragraphs.faiss").unlink()  # as a kill in the middle of removing it did
    (setup.index_dir / "versions" / "20000101T000000Z-000000000").mkdir()  # a killed build

    listed = setup.client.get("/admin/index", headers=ADMIN).json()
    assert listed["versions"] == [versions[2].name, versions[1].name]

    # the next holder of the build lock removes both (tests/unit/test_recovery.py)
    setup.rebuild()
    assert sorted(p.name for p in (setup.index_dir / "versions").iterdir()) == [
        versions[1].name,
        versions[2].name,
    ]
