"""Adds, deletes and pruning killed with SIGKILL at a chosen moment, then what comes next.

Each scenario runs the real index code in a child process with the hashing fake embedder;
the child stops at the chosen moment (embedding, writing the new version, removing an old
one) and says so through a marker file, and is then killed. The test then does what a
client and the next build would do: an unrelated add, a retry of the same one, a check of
the folder against the index. Nothing here waits on a model: a scenario takes a second or two.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.builder import rebuild_index
from index.documents import add_article, delete_article
from index.versions import current_version
from qa.articles import content_hash
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = IndexSettings(build_lock_timeout_s=5)

ARTICLES = {
    "ferry": "Ferry returns to Skarra\n\nThe ferry to Skarra island resumed service on Monday.",
    "orchard": "Frost hits orchards\n\nA late frost destroyed 3,000 tonnes of apples in Brenna.",
}
LIBRARY = "Library opens\n\nThe town council opened a library beside the port on Friday."
MUSEUM = "Museum reopens\n\nThe maritime museum reopened on Saturday after two years."

# The child: runs one add or delete and stops (sleeps, to be killed) where `stop_at` says.
CHILD = """
import shutil, sys, time
from pathlib import Path
import index.store, index.versions
from index.documents import add_article, delete_article
from qa.settings import IndexSettings
from tests.fakes import HashingEmbedder

index_dir, op, doc_id, raw, stop_at, marker = sys.argv[1:7]

def stop():
    Path(marker).touch()
    time.sleep(60)

class Stalling(HashingEmbedder):
    def embed(self, texts):
        stop()

embedder = HashingEmbedder()
if stop_at == "embedding":
    embedder = Stalling()
elif stop_at == "saving":
    index.store.CorpusIndex.save = lambda self, folder: stop()
elif stop_at == "pruning":
    real_rmtree = shutil.rmtree
    def half_removed(path, *args, **kwargs):
        files = sorted(p for p in Path(path).rglob("*") if p.is_file())
        for f in files[: len(files) // 2]:
            f.unlink()
        stop()
    index.versions.shutil.rmtree = half_removed
settings = IndexSettings(build_lock_timeout_s=5)
if op == "add":
    add_article(Path(index_dir), doc_id, raw, embedder=embedder, index_settings=settings,
                near_duplicate_threshold=None)
else:
    delete_article(Path(index_dir), doc_id, embedder=embedder, index_settings=settings,
                   near_duplicate_threshold=None)
"""


def setup(tmp_path: Path, extra_versions: int = 0) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id, raw in ARTICLES.items():
        (corpus / f"{doc_id}.txt").write_text(raw, encoding="utf-8")
    index_dir = tmp_path / "index"
    rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    for n in range(extra_versions):  # old versions for a later build to prune
        (corpus / f"note-{n}.txt").write_text(f"Note {n}\n\nThe council met {n} times.", "utf-8")
        rebuild_index(corpus, index_dir, embedder=HashingEmbedder())
    return corpus, index_dir


def kill_during(index_dir: Path, op: str, doc_id: str, raw: str, stop_at: str) -> None:
    """Run the operation in a child and SIGKILL it at `stop_at` (failing if it never gets there)."""
    marker = index_dir.parent / f"stopped-{time.monotonic_ns()}"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(index_dir), op, doc_id, raw, stop_at, str(marker)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not marker.exists():
        if child.poll() is not None:
            stderr = child.stderr.read().decode() if child.stderr else ""
            pytest.fail(f"the child ended before {stop_at}: {stderr}")
        assert time.monotonic() < deadline, f"the child never reached {stop_at}"
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    if child.stderr:
        child.stderr.close()


def indexed(index_dir: Path) -> dict[str, str]:
    manifest = json.loads((current_version(index_dir) / "manifest.json").read_text("utf-8"))
    return dict(manifest["articles"])


def assert_folder_matches_index(corpus: Path, index_dir: Path) -> None:
    """No orphan file and no missing one: the folder holds exactly what the index serves."""
    files = {p.stem: content_hash(p.read_text("utf-8")) for p in corpus.glob("*.txt")}
    assert files == indexed(index_dir)


def assert_no_broken_version(index_dir: Path) -> None:
    """Every folder in versions/ is a complete version with all its files (unfinished builds
    are removed by the next build, so none may be left after one)."""
    for version in (index_dir / "versions").iterdir():
        manifest = json.loads((version / "manifest.json").read_text("utf-8"))
        missing = [name for name in manifest["files"] if not (version / name).is_file()]
        assert missing == [], f"{version.name} is listed but lacks {missing}"


def add(index_dir: Path, doc_id: str, raw: str) -> object:
    return add_article(index_dir, doc_id, raw, embedder=HashingEmbedder(),
                       index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip


def delete(index_dir: Path, doc_id: str) -> object:
    return delete_article(index_dir, doc_id, embedder=HashingEmbedder(),
                          index_settings=SETTINGS, near_duplicate_threshold=None)  # fmt: skip


@pytest.mark.parametrize("stop_at", ["embedding", "saving"])
def test_an_add_killed_before_its_commit_leaves_no_trace_and_a_retry_adds_it(
    tmp_path: Path, stop_at: str
) -> None:
    corpus, index_dir = setup(tmp_path)
    kill_during(index_dir, "add", "library", LIBRARY, stop_at)

    # the next, unrelated add does only its own work
    report = add(index_dir, "museum", MUSEUM)
    assert report is not None and report.added == ["museum"]
    assert "library" not in indexed(index_dir)
    assert_folder_matches_index(corpus, index_dir)

    retried = add(index_dir, "library", LIBRARY)  # the client's retry is not a 409
    assert retried is not None and retried.added == ["library"]
    assert_folder_matches_index(corpus, index_dir)


def test_an_add_killed_after_its_commit_is_kept_and_a_retry_finds_it(tmp_path: Path) -> None:
    corpus, index_dir = setup(tmp_path, extra_versions=3)
    kill_during(index_dir, "add", "library", LIBRARY, "pruning")  # after `current` moved

    assert indexed(index_dir)["library"] == content_hash(LIBRARY)
    assert add(index_dir, "library", LIBRARY) is None  # already there: a success, no build
    assert_folder_matches_index(corpus, index_dir)
    assert_no_broken_version(index_dir)


def test_a_kill_while_pruning_leaves_no_listed_version_with_files_missing(tmp_path: Path) -> None:
    corpus, index_dir = setup(tmp_path, extra_versions=3)
    kill_during(index_dir, "add", "library", LIBRARY, "pruning")
    assert_no_broken_version(index_dir)

    add(index_dir, "museum", MUSEUM)  # the next build cleans what the kill left
    assert_no_broken_version(index_dir)
    assert_folder_matches_index(corpus, index_dir)
    # nothing of the pruned version is left anywhere: only versions and bookkeeping files
    stray = [
        p.relative_to(index_dir)
        for p in index_dir.rglob("*")
        if p.is_file() and p.relative_to(index_dir).parts[0] not in ("versions", "journal")
        and p.name != ".build.lock"
    ]  # fmt: skip
    assert stray == []


def test_a_delete_killed_before_its_commit_is_undone_and_a_retry_deletes(tmp_path: Path) -> None:
    corpus, index_dir = setup(tmp_path)
    kill_during(index_dir, "delete", "orchard", "", "saving")

    report = add(index_dir, "museum", MUSEUM)  # the next build puts the file back first
    assert report is not None and report.removed == []
    assert "orchard" in indexed(index_dir)
    assert_folder_matches_index(corpus, index_dir)

    delete(index_dir, "orchard")
    assert "orchard" not in indexed(index_dir)
    assert_folder_matches_index(corpus, index_dir)


def test_a_delete_killed_after_its_commit_is_kept_and_a_retry_succeeds(tmp_path: Path) -> None:
    corpus, index_dir = setup(tmp_path, extra_versions=3)
    kill_during(index_dir, "delete", "orchard", "", "pruning")

    assert "orchard" not in indexed(index_dir)
    assert delete(index_dir, "orchard") is None  # a retry of a delete that happened
    assert_folder_matches_index(corpus, index_dir)
