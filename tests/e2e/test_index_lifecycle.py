"""Building, failing to build, and refusing to serve an index: the real script and real server.

`scripts/rebuild_index.py` runs as a subprocess on small made-up corpora written here; the
server is started with `start_server` on copies of a built index that were then damaged.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ROOT, start_server, stop_server

pytestmark = pytest.mark.e2e

ARTICLES = {
    "2031-03-04-tramline.txt": """Oakhaven opens its first tram line

The city of Oakhaven opened its first tram line on Sunday, a 9.5 kilometre route with 14 stops
between the central station and the university.

Transport director Priya Lindqvist said 22,000 passengers rode the trams on the first day, far
more than the 15,000 the city had expected.

The line cost 310 million euros to build and took four years to complete.
""",
    "2031-03-05-bakery-fire.txt": """Fire closes historic bakery in Millbrook

A fire on Tuesday morning closed the Hollis Bakery, which has stood on Millbrook's main square
since 1884.

Fire chief Daniel Osei said nobody was hurt and that the blaze started in an electrical panel
behind the ovens.

The owners said they hope to reopen within three months.
""",
    "2031-03-06-chess.txt": """Teenager wins national chess title

Sixteen-year-old Mira Castellano won the national chess championship on Saturday, becoming the
youngest champion in the event's 70-year history.

She won seven of her nine games and drew the other two, finishing a full point ahead of the
defending champion.
""",
}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def rebuild(folder: Path, data_dir: Path) -> Run:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rebuild_index.py"), str(folder),
         "--data-dir", str(data_dir)],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    return Run(done.returncode, done.stdout, done.stderr)


def write_corpus(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def manifest_of(data_dir: Path) -> dict[str, Any]:
    return json.loads((data_dir / "index" / "current" / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """A data dir with an index over the three made-up articles, and the script's output."""
    corpus = write_corpus(tmp_path_factory.mktemp("corpus"), ARTICLES)
    data_dir = tmp_path_factory.mktemp("data")
    return data_dir, rebuild(corpus, data_dir)


def test_rebuild_indexes_a_folder_and_reports(built: tuple[Path, Run]) -> None:
    data_dir, run = built
    assert run.returncode == 0, run.output
    # progress while embedding, and a summary at the end
    assert "Indexing" in run.stderr
    assert "embedding paragraphs" in run.stderr
    assert "Indexed 3 articles" in run.stdout
    current = data_dir / "index" / "current"
    assert current.exists()
    assert current.is_symlink()
    version = current.resolve()
    assert version.parent == (data_dir / "index" / "versions").resolve()
    assert str(version.name) in run.stdout
    for name in ("manifest.json", "paragraphs.faiss", "paragraphs.jsonl", "articles.jsonl"):
        assert (version / name).is_file(), name
    manifest = manifest_of(data_dir)
    assert set(manifest["articles"]) == {Path(n).stem for n in ARTICLES}
    assert manifest["paragraph_count"] >= 3
    assert manifest["embedding_model"]


def _empty_folder(tmp: Path) -> Path:
    folder = tmp / "empty"
    folder.mkdir()
    return folder


def _unusable_folder(tmp: Path) -> Path:
    folder = tmp / "unusable"
    folder.mkdir()
    (folder / "notes.docx").write_text("Not an article: wrong extension.\n", encoding="utf-8")
    (folder / "blank.txt").write_text("   \n\n  \n", encoding="utf-8")
    (folder / "noise.txt").write_bytes(bytes(range(128, 256)) * 4)  # no encoding's text
    return folder


def _missing_folder(tmp: Path) -> Path:
    return tmp / "does-not-exist"


@pytest.mark.parametrize(
    "make_folder",
    [_empty_folder, _unusable_folder, _missing_folder],
    ids=["empty-folder", "no-usable-txt", "nonexistent-folder"],
)
def test_failed_rebuild_keeps_the_previous_index(
    built: tuple[Path, Run], tmp_path: Path, make_folder: Callable[[Path], Path]
) -> None:
    data_dir, first = built
    assert first.returncode == 0, first.output
    current = data_dir / "index" / "current"
    before_version = current.resolve()
    before_manifest = (current / "manifest.json").read_bytes()
    before_versions = sorted(p.name for p in (data_dir / "index" / "versions").iterdir())

    folder = make_folder(tmp_path)
    run = rebuild(folder, data_dir)

    assert run.returncode != 0, run.output
    assert "rebuild failed" in run.stderr
    assert str(folder) in run.stderr  # says which folder was the problem
    assert "previous index is still current" in run.stderr
    assert current.resolve() == before_version
    assert (current / "manifest.json").read_bytes() == before_manifest
    after_versions = sorted(p.name for p in (data_dir / "index" / "versions").iterdir())
    assert after_versions == before_versions  # no half-built version left behind


def test_a_legacy_encoded_file_is_read_and_named_and_a_binary_one_skipped(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    good = dict(list(ARTICLES.items())[:2])
    corpus = write_corpus(tmp_path_factory.mktemp("mixed"), good)
    # Windows-1252 text with curly quotes and an accented name: not UTF-8, read as cp1252
    (corpus / "cp1252-article.txt").write_bytes(
        "Caf\u00e9 reopens\n\n\u201cWe are delighted,\u201d said Jos\u00e9 Mart\u00ednez of the "
        "caf\u00e9.\n".encode("cp1252")
    )
    # valid UTF-8 bytes but with NULs: a binary file with a .txt name
    (corpus / "binary-blob.txt").write_bytes(b"\x00\x01\x02PK\x03\x04 data\x00\x00 more data\x00")
    data_dir = tmp_path_factory.mktemp("mixed-data")

    run = rebuild(corpus, data_dir)

    assert run.returncode == 0, run.output
    warnings = [line for line in run.stderr.splitlines() if "warning" in line.lower()]
    assert any("cp1252-article.txt is not UTF-8: read as cp1252" in w for w in warnings), run.stderr
    assert any("skipped binary-blob.txt: binary content" in w for w in warnings), run.stderr
    assert "Indexed 3 articles" in run.stdout
    assert set(manifest_of(data_dir)["articles"]) == {Path(n).stem for n in good} | {
        "cp1252-article"
    }
    paragraphs = [
        json.loads(line)
        for line in (data_dir / "index" / "current" / "paragraphs.jsonl")
        .read_text("utf-8")
        .splitlines()
    ]
    assert any(
        p["text"] == "\u201cWe are delighted,\u201d said Jos\u00e9 Mart\u00ednez of the caf\u00e9."
        for p in paragraphs
    ), paragraphs[-3:]


def copy_index(data_dir: Path, target: Path) -> Path:
    """A copy of the data dir's index (the relative `current` link still resolves)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data_dir / "index", target / "index", symlinks=True)
    assert (target / "index" / "current").resolve().is_relative_to(target)
    return target


def expect_refusal(data_dir: Path, log: Path) -> str:
    """Start the server on `data_dir`; it must exit on its own. Returns its log."""
    try:
        server = start_server(data_dir, log)
    except RuntimeError as exc:
        message = str(exc)
        assert "exited early" in message, message  # it stopped rather than hung
        return message
    stop_server(server)
    pytest.fail(f"the server started on a bad index; log:\n{log.read_text()}")


@pytest.mark.parametrize(
    ("field", "value"),
    [("embedding_model", "sentence-transformers/all-mpnet-base-v2"), ("dimension", 768)],
)
def test_server_refuses_an_index_from_another_embedding_model(
    built: tuple[Path, Run], tmp_path: Path, field: str, value: object
) -> None:
    source, run = built
    assert run.returncode == 0, run.output
    data_dir = copy_index(source, tmp_path / "data")
    manifest_path = data_dir / "index" / "current" / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest[field] = value
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    log = expect_refusal(data_dir, tmp_path / "server.log")

    if field == "embedding_model":  # read from the manifest before any model loads: one line
        assert "api.main: cannot start: the index was built with the embedding model" in log
        assert "Traceback" not in log, log
    else:  # the vectors' width is known once the model has loaded
        assert "IndexMismatch" in log
    assert str(value) in log
    assert "rebuild" in log.lower()
    assert "rebuild_index.py" in log


def test_server_refuses_a_corrupt_index(built: tuple[Path, Run], tmp_path: Path) -> None:
    source, run = built
    assert run.returncode == 0, run.output
    data_dir = copy_index(source, tmp_path / "data")
    (data_dir / "index" / "current" / "paragraphs.faiss").unlink()

    log = expect_refusal(data_dir, tmp_path / "server.log")

    assert "IndexCorrupt" in log
    assert "paragraphs.faiss" in log
    assert "rebuild" in log.lower()
    assert "rebuild_index.py" in log


# --- incremental builds, rollback, last good version, kills and swaps ---------------------


def rebuild_with(folder: Path, data_dir: Path, *flags: str) -> Run:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rebuild_index.py"), str(folder),
         "--data-dir", str(data_dir), *flags],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    return Run(done.returncode, done.stdout, done.stderr)


def run_script(name: str, *args: str, timeout: float = 300) -> Run:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / name), *args],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    return Run(done.returncode, done.stdout, done.stderr)


def versions_of(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "index" / "versions").iterdir())


def test_incremental_rebuild_reports_what_changed(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    data_dir = tmp_path / "data"
    assert rebuild_with(corpus, data_dir).returncode == 0

    library = "Library opens in Oakhaven\n\nThe new Oakhaven library opened on Monday.\n"
    write_corpus(corpus, {"2031-03-07-library.txt": library})
    tram = corpus / "2031-03-04-tramline.txt"
    tram.write_text(tram.read_text("utf-8").replace("22,000", "23,500"), encoding="utf-8")
    (corpus / "2031-03-06-chess.txt").unlink()
    run = rebuild_with(corpus, data_dir)

    assert run.returncode == 0, run.output
    assert "Indexed 3 articles" in run.stdout
    assert "incremental: 1 added, 1 changed, 1 removed" in run.stdout
    changes = manifest_of(data_dir)["changes"]
    assert changes["added"] == ["2031-03-07-library"]
    assert changes["changed"] == ["2031-03-04-tramline"]
    assert changes["removed"] == ["2031-03-06-chess"]
    assert changes["embedded_paragraphs"] == 2  # the library's paragraph and the changed one

    before = versions_of(data_dir)
    again = rebuild_with(corpus, data_dir)
    assert again.returncode == 0, again.output
    assert "up to date" in again.stdout
    assert versions_of(data_dir) == before  # nothing changed: no new version

    full = rebuild_with(corpus, data_dir, "--full")
    assert full.returncode == 0, full.output
    assert "full build" in full.stdout
    assert manifest_of(data_dir)["changes"]["embedded_paragraphs"] >= 5


def test_help_documents_the_exit_codes() -> None:
    for script in ("rebuild_index.py", "rollback_index.py"):
        run = run_script(script, "--help")
        assert run.returncode == 0, run.output
        assert "exit status" in run.stdout
        for code in ("0 ", "1 ", "2 ", "3 "):
            assert f"\n  {code}" in run.stdout, (script, code)
    assert run_script("rebuild_index.py", "--no-such-flag").returncode == 2


def test_rollback_script_goes_back_and_forward(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    data_dir = tmp_path / "data"
    assert rebuild_with(corpus, data_dir).returncode == 0
    first = (data_dir / "index" / "current").resolve().name
    (corpus / "2031-03-06-chess.txt").unlink()
    assert rebuild_with(corpus, data_dir).returncode == 0
    second = (data_dir / "index" / "current").resolve().name

    back = run_script("rollback_index.py", "--data-dir", str(data_dir))
    assert back.returncode == 0, back.output
    assert f"Rolled back: current → {first} (was {second})" in back.stdout
    assert (data_dir / "index" / "current").resolve().name == first
    assert "2031-03-06-chess" in manifest_of(data_dir)["articles"]
    listed = run_script("rollback_index.py", "--data-dir", str(data_dir), "--list")
    assert f"* {first}" in listed.stdout and f"  {second}" in listed.stdout

    nothing = run_script("rollback_index.py", "--data-dir", str(data_dir))
    assert nothing.returncode == 1
    assert "no intact version older" in nothing.stderr
    assert (data_dir / "index" / "current").resolve().name == first

    forward = run_script("rollback_index.py", "--data-dir", str(data_dir), "--to", second)
    assert forward.returncode == 0, forward.output
    assert f"Moved forward: current → {second} (was {first})" in forward.stdout
    assert (data_dir / "index" / "current").resolve().name == second

    # --list says which version would fail its checksums, before anyone rolls back to it
    version = (data_dir / "index" / "current").resolve().parent / first
    listed_files = json.loads((version / "manifest.json").read_text("utf-8"))["files"]
    vectors = version / next(name for name in listed_files if name.endswith(".npy"))
    data = bytearray(vectors.read_bytes())
    data[-5] ^= 0xFF  # one flipped byte: the file still parses, only the checksum tells
    vectors.write_bytes(bytes(data))
    listed = run_script("rollback_index.py", "--data-dir", str(data_dir), "--list")
    damaged = next(line for line in listed.stdout.splitlines() if first in line)
    assert "(damaged:" in damaged and "(damaged:" not in listed.stdout.split(first)[0], listed
    empty = run_script("rollback_index.py", "--data-dir", str(tmp_path / "none"), "--list")
    assert empty.returncode == 1 and "no index versions" in empty.stderr


def test_server_serves_the_last_good_version_when_current_is_damaged(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    data_dir = tmp_path / "data"
    assert rebuild_with(corpus, data_dir).returncode == 0
    (corpus / "2031-03-06-chess.txt").unlink()
    assert rebuild_with(corpus, data_dir).returncode == 0
    damaged = data_dir / "index" / "current"
    vectors = damaged / "sentences.npy"
    data = bytearray(vectors.read_bytes())
    data[-5] ^= 0xFF  # one flipped byte: the file still parses, only the checksum tells
    vectors.write_bytes(bytes(data))

    server = start_server(data_dir, tmp_path / "server.log", QA_GENERATION__BACKEND="none")
    try:
        with server.client() as client:
            ids = {d["doc_id"] for d in client.get("/documents").json()["documents"]}
            answer = client.post("/ask", json={"question": "Who won the chess championship?"})
            ready = client.get("/readyz")
            metrics = client.get("/metrics").text
    finally:
        stop_server(server)
    assert "2031-03-06-chess" in ids  # the older, intact version is served
    assert answer.status_code == 200
    # and readiness says so: degraded (503 for load balancers), with both versions and why
    assert ready.status_code == 503, ready.text
    readiness = ready.json()
    assert readiness["status"] == "degraded"
    assert readiness["current_version"] == damaged.resolve().name
    assert readiness["served_version"] not in (None, readiness["current_version"])
    assert "sentences.npy does not match its checksum" in readiness["reason"]
    assert str(data_dir) not in readiness["reason"]
    assert "qa_index_degraded 1.0" in metrics
    log = (tmp_path / "server.log").read_text()
    assert "sentences.npy does not match its checksum" in log
    assert "last good index version" in log


def test_queries_succeed_while_rebuilds_are_killed_and_swapped(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    run = run_script(
        "kill_rebuild.py", "--corpus", str(corpus), "--runs", "3", "--swaps", "2",
        "--seed", "1", "--max-seconds", "500", "--json", timeout=700,
    )  # fmt: skip
    tally = json.loads(run.stdout.strip().splitlines()[-1])
    assert tally["runs"] == 3, run.output
    assert tally["swaps_seen_by_server"] == 2, run.output
    assert tally["queries"] > 0
    damage = (tally["corrupt_indexes"], tally["lost_articles"], tally["failed_queries"])
    assert damage == (0, 0, 0), tally["problems"]
    assert run.returncode == 0, run.output
