"""A change whose new index version this server cannot load is not acknowledged as served.

The document API builds a version and swaps it in before answering; when the swap fails (the
version is refused as damaged), an add answered 503 saying so, but a delete answered 204 while
the article was still served and cited. A real `QAService` over index versions built with the
hashing fake embedder, in the real app without its lifespan (as tests/unit/test_readiness.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import api.reload
from qa.errors import IndexCorrupt
from tests.served import served_with_fakes

pytestmark = pytest.mark.unit

ADMIN_KEY = "unit-not-loaded-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
FERRY = "Ferry returns\n\nThe ferry to Skarra island resumed service on Monday."
ORCHARD = "Frost hits orchards\n\nA late frost destroyed 3,000 tonnes of apples in Brenna."


def serve(tmp_path: Path) -> TestClient:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (corpus / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    return served_with_fakes(corpus, tmp_path / "data", admin_key=ADMIN_KEY)


def refuse_every_new_version(version: Path, **kwargs: object) -> object:
    raise IndexCorrupt(f"index version {version.name} is damaged: sentences.npy is missing")


def test_a_delete_whose_new_version_cannot_be_loaded_is_a_503_not_a_204(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = serve(tmp_path)
    served = client.get("/readyz").json()["served_version"]
    monkeypatch.setattr(api.reload, "open_index", refuse_every_new_version)
    r = client.delete("/documents/orchard", headers=ADMIN)
    assert r.status_code == 503, r.text
    detail = r.json()["detail"]
    assert detail.startswith("the article was deleted from the index, but the new index version")
    assert "sentences.npy is missing" in detail and f"version {served} is still served" in detail
    assert client.get("/documents/orchard").status_code == 200  # still served, as said
    monkeypatch.undo()
    assert client.post("/admin/reload", headers=ADMIN).json()["status"] == "reloaded"
    assert client.get("/documents/orchard").status_code == 410  # deleted through the API
    assert client.delete("/documents/orchard", headers=ADMIN).status_code == 204  # a retry


def test_an_add_whose_new_version_cannot_be_loaded_is_a_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = serve(tmp_path)
    monkeypatch.setattr(api.reload, "open_index", refuse_every_new_version)
    body = {"doc_id": "library", "text": "The town council opened a library on Friday."}
    r = client.post("/documents", json=body, headers=ADMIN)
    assert r.status_code == 503, r.text
    assert r.json()["detail"].startswith("the article was indexed, but the new index version")
