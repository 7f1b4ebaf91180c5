"""What a build skipped is kept in its index version, and an admin write names only its own.

Before, the skipped files of the corpus folder were said once in the build's output and then
only in the `warnings` of the next admin write, all of them on every write, burying the
warnings about the article sent. A real `QAService` over index versions built with the hashing
fake embedder, in the real app without its lifespan (as tests/unit/test_readiness.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.builder import rebuild_index
from index.manifest import RECORDED_SKIPS, recorded_skips
from index.skips import LISTED_SKIPS, skips_of_files
from tests.fakes import HashingEmbedder
from tests.served import served_with_fakes

pytestmark = pytest.mark.unit

ADMIN_KEY = "unit-kept-skips-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
FERRY = "Ferry returns\n\nThe ferry to Skarra island resumed service on Monday."
TRAM = "The new tram line to the harbour opened on Saturday, three months late."
RECORD = json.dumps({"title": "Tram opens", "text": TRAM})
BROKEN = {  # the reviewer's folder: each file skipped for a reason of its own
    "empty.txt": b"",
    "blob.txt": b"\x00\x01\x02\x03 binary \x00\xff" * 20,
    "report.docx": b"PK\x03\x04 not read",
    "nav.html": b"<html><body><nav>Home</nav></body></html>",
    "archive.jsonl": f"{RECORD}\n{RECORD}\n".encode(),
    "sheet.csv": f'title,text\n,\n"Tram opens","{TRAM}"\n'.encode(),
}


def corpus_with_broken_files(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    for name, data in BROKEN.items():
        (corpus / name).write_bytes(data)
    return corpus


def serve(corpus: Path, tmp_path: Path) -> TestClient:
    return served_with_fakes(corpus, tmp_path / "data", admin_key=ADMIN_KEY)


def test_the_build_keeps_its_skips_in_the_manifest_and_the_admin_listing_shows_them(
    tmp_path: Path,
) -> None:
    corpus = corpus_with_broken_files(tmp_path)
    report = rebuild_index(corpus, tmp_path / "index", embedder=HashingEmbedder())
    manifest = json.loads((report.version / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"] == report.skipped == 7  # sheet.csv row 3 repeats a record
    assert manifest["skips"] == list(report.warnings)
    for name in BROKEN:
        assert any(w.startswith(f"skipped {name}") for w in manifest["skips"]), name
    assert "skipped sheet.csv row 2: every cell of the row is empty" in "\n".join(
        manifest["skips"]
    )  # said at all: it used to be passed over without a word

    client = serve(corpus, tmp_path)
    listed = client.get("/admin/index", headers=ADMIN).json()
    assert listed["skipped"] == 7 and listed["skips"] == manifest["skips"]
    assert client.get("/readyz").json()["skipped"] == 7


def test_a_new_broken_file_alone_writes_a_version_that_records_it(tmp_path: Path) -> None:
    """No article changed, but the version's record of the skipped files would be wrong."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    index_dir = tmp_path / "index"
    first = rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    assert rebuild_index(corpus, index_dir, embedder=HashingEmbedder()).up_to_date

    (corpus / "empty.txt").write_bytes(b"")
    second = rebuild_index(corpus, index_dir, embedder=HashingEmbedder())

    assert not second.up_to_date and second.version != first.version
    assert second.rewritten == "the files and archive records it skips changed"
    manifest = json.loads((second.version / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"] == 1 and manifest["skips"][0].startswith("skipped empty.txt:")
    assert rebuild_index(corpus, index_dir, embedder=HashingEmbedder()).up_to_date


def test_a_manifest_keeps_a_bounded_number_of_skip_lines() -> None:
    warnings = [f"skipped broken-{i}.txt: the file is empty" for i in range(RECORDED_SKIPS + 50)]
    kept = recorded_skips(warnings)
    assert kept[:-1] == warnings[:RECORDED_SKIPS]
    assert kept[-1].startswith("50 more warning line(s) of skipped files are not kept here")
    assert recorded_skips(warnings[:3]) == warnings[:3]


def test_an_admin_write_names_its_own_skips_and_only_counts_the_folders_others(
    tmp_path: Path,
) -> None:
    client = serve(corpus_with_broken_files(tmp_path), tmp_path)
    for _ in range(2):  # the second add too: the folder's skips are not said again one by one
        text = f"Council opens library {_}\n\nThe town council opened a library {_} by the port."
        added = client.post("/documents", json={"text": text}, headers=ADMIN)
        assert added.status_code == 201, added.text
        body = added.json()
        assert body["skipped"] == 7
        assert body["warnings"] == [
            "7 other file(s) or archive record(s) of the corpus folder are skipped by the index "
            "build, not one this request wrote: GET /admin/index lists them and why"
        ]

    export = "\n".join(
        json.dumps({"title": f"Storm {i}", "text": f"A storm closed the port for {i} days."})
        for i in range(2)
    )
    imported = client.post(
        "/documents/import", json={"name": "storms.jsonl", "content": export}, headers=ADMIN
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["warnings"] == [
        "7 other file(s) or archive record(s) of the corpus folder are skipped by the index "
        "build, not one this request wrote: GET /admin/index lists them and why"
    ]


def test_the_skips_of_the_written_files_are_told_from_the_others() -> None:
    warnings = [
        "skipped blob.txt: binary content",
        "skipped import-1.jsonl line 2: not valid JSON",
        "skipped notes.txt: its id 'tram' is already used by import-1.jsonl line 1",
        "skipped notes.html: its id 'ferry' is already used by import-1.jsonl.bak",
        f"skipped 30 more part(s) of import-1.jsonl, for reasons like those above (the first "
        f"{LISTED_SKIPS} are named); fix those and rebuild to see the rest",
        "skipped 4 more part(s) of other.csv, for reasons like those above",
        "skipped import-1.jsonl.bak: not a kind of file the index reads",
    ]
    own, counted = skips_of_files(warnings, ["import-1.jsonl"])
    assert own == [warnings[1], warnings[2], warnings[4]]
    assert counted == 32
    assert skips_of_files(warnings, []) == ([], 0)
