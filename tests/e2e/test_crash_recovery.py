"""A server killed (SIGKILL) in the middle of adding or deleting an article, then restarted.

A real server (extractive answers, the real embedder) on a small made-up corpus: the test
sends an add or a delete, kills the server the moment the article's file appears in (or
leaves) the corpus folder, restarts it on the same data, and checks what a client and an
operator see: the article fully served or fully absent, the folder and the index agreeing,
a retry that succeeds, leftovers of killed builds and prunes gone, and start-up saying what
it recovered. `scripts/kill_documents.py` does the same at random moments, many times.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from index import journal
from tests.e2e.conftest import Server, build_index, start_server, stop_server

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-crash-recovery-admin-key-42"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}

CORPUS = {
    "tram": "Oakhaven opens its first tram line\n\nThe city of Oakhaven opened its first tram "
    "line on Sunday, a 9.5 kilometre route with 14 stops.",
    "bakery": "Fire closes historic bakery\n\nA fire on Tuesday closed the Hollis Bakery, which "
    "has stood on Millbrook's main square since 1884.",
    "chess": "Teenager wins chess title\n\nSixteen-year-old Mira Castellano won the national "
    "chess championship on Saturday.",
}


def long_article(seed: int, paragraphs: int = 40) -> str:
    """A made-up report long enough that indexing it takes a moment to interrupt."""
    rng = random.Random(seed)
    words = ("harbour council budget ferry tram library orchard bridge school museum storm "
             "festival pier lighthouse market station").split()  # fmt: skip
    return "\n\n".join(
        f"Item {n}: the {rng.choice(words)} committee said the {rng.choice(words)} plan for "
        f"district {n} would cost {rng.randrange(2, 900)} million and take {n % 7 + 2} years. "
        f"Residents of ward {n} asked about the {rng.choice(words)} and the {rng.choice(words)}."
        for n in range(paragraphs)
    )


LONG = {
    "doc_id": "long-report",
    "title": "Council publishes its long report",
    "text": "The council report says the lighthouse will be repainted in May.\n\n"
    + long_article(1),
}


@dataclass
class Setup:
    corpus: Path
    data_dir: Path
    logs: Path
    server: Server

    def restart(self) -> None:
        if self.server.process.poll() is None:
            self.server.process.kill()
            self.server.process.wait()
        log = self.logs / f"server-{time.monotonic_ns()}.log"
        self.server = start_server(self.data_dir, log, **SERVER_ENV)

    def client(self) -> httpx.Client:
        return self.server.client()

    @property
    def versions(self) -> Path:
        return self.data_dir / "index" / "versions"


SERVER_ENV = {
    "QA_GENERATION__BACKEND": "none",
    "QA_SECURITY__ADMIN_API_KEY": ADMIN_KEY,
    "QA_INDEX__RELOAD_INTERVAL_S": "0.5",
}


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    corpus = tmp_path_factory.mktemp("crash-corpus")
    for doc_id, raw in CORPUS.items():
        (corpus / f"{doc_id}.txt").write_text(raw, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("crash-data")
    build_index(corpus, data_dir)
    logs = tmp_path_factory.mktemp("crash-logs")
    running = Setup(
        corpus, data_dir, logs, start_server(data_dir, logs / "first.log", **SERVER_ENV)
    )
    yield running
    stop_server(running.server)


def in_background(call: Callable[[], object]) -> threading.Thread:
    def run() -> None:
        # the server is killed under it: the client never gets an answer
        with contextlib.suppress(httpx.HTTPError):
            call()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def kill_when(server: Server, condition: Callable[[], bool], timeout_s: float = 60) -> None:
    """SIGKILL the server as soon as `condition` holds (polled every few milliseconds)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the moment to kill never came"
        time.sleep(0.002)
    server.process.kill()
    server.process.wait()


def kill_during(
    setup: Setup,
    change: Callable[[httpx.Client], object],
    condition: Callable[[], bool],
    undo: Callable[[httpx.Client], httpx.Response],
    tries: int = 5,
) -> None:
    """Send `change` and SIGKILL the server when `condition` holds, while the change is still
    written down as pending. A kill that came after the change was settled (a fast machine,
    or the test process descheduled) proves nothing: the change is undone through the API and
    tried again."""
    for _ in range(tries):
        with setup.client() as c:
            sending = in_background(lambda c=c: change(c))
            kill_when(setup.server, condition)
            sending.join()
        if journal.pending(setup.data_dir / "index") is not None:
            return
        setup.restart()
        with setup.client() as c:
            undone = undo(c)
            # undone now, or already (404 on a delete, 409 on an add: nothing to undo)
            assert undone.status_code in (201, 204, 404, 409), undone.text
    pytest.fail(f"no kill landed while the change was pending, in {tries} tries")


def served_ids(client: httpx.Client) -> set[str]:
    return {
        d["doc_id"] for d in client.get("/documents", params={"limit": 1000}).json()["documents"]
    }


def assert_folder_agrees(setup: Setup, client: httpx.Client) -> None:
    """Every file in the corpus folder is served, every served article has its file."""
    assert {p.stem for p in setup.corpus.glob("*.txt")} == served_ids(client)


def test_an_add_killed_mid_way_is_settled_at_start_up_and_a_retry_succeeds(setup: Setup) -> None:
    article_file = setup.corpus / f"{LONG['doc_id']}.txt"
    kill_during(
        setup,
        lambda c: c.post("/documents", json=LONG, headers=ADMIN),
        article_file.exists,
        undo=lambda c: c.delete(f"/documents/{LONG['doc_id']}", headers=ADMIN),
    )
    # what killed builds and prunes leave: an empty version folder, a version half removed
    killed_build = setup.versions / "20000101T000000Z-000000000"
    killed_build.mkdir()
    half_removed = setup.versions / "20000101T000000Z-000000001"
    shutil.copytree(setup.data_dir / "index" / "current", half_removed)
    (half_removed / "paragraphs.faiss").unlink()

    setup.restart()

    with setup.client() as client:
        status = client.get("/admin/index", headers=ADMIN).json()
        assert killed_build.name not in status["versions"]
        assert half_removed.name not in status["versions"]
        assert not killed_build.exists() and not half_removed.exists()
        recovered = " | ".join(status["recovered_at_startup"])
        assert "'long-report'" in recovered and half_removed.name in recovered, recovered
        # fully served or fully absent, never a file without its index entry
        assert_folder_agrees(setup, client)
        found = client.get(f"/documents/{LONG['doc_id']}").status_code
        assert found in (200, 404)

        retry = client.post("/documents", json=LONG, headers=ADMIN)
        assert retry.status_code == (200 if found == 200 else 201), retry.text
        assert client.get(f"/documents/{LONG['doc_id']}").status_code == 200
        assert_folder_agrees(setup, client)
        answer = client.post("/ask", json={"question": "When will the lighthouse be repainted?"})
        assert answer.status_code == 200
        assert answer.json()["citations"][0]["doc_id"] == LONG["doc_id"]
        assert client.get("/readyz").json()["status"] == "ready"


def test_a_delete_killed_mid_way_is_settled_at_start_up_and_a_retry_succeeds(
    setup: Setup,
) -> None:
    article_file = setup.corpus / "bakery.txt"
    title, _, text = CORPUS["bakery"].partition("\n\n")
    kill_during(
        setup,
        lambda c: c.delete("/documents/bakery", headers=ADMIN),
        lambda: not article_file.exists(),
        undo=lambda c: c.post(
            "/documents", json={"doc_id": "bakery", "title": title, "text": text}, headers=ADMIN
        ),
    )

    setup.restart()

    with setup.client() as client:
        assert_folder_agrees(setup, client)  # still served with its file, or gone with it
        recovered = client.get("/admin/index", headers=ADMIN).json()["recovered_at_startup"]
        assert any("'bakery'" in note for note in recovered), recovered
        assert client.delete("/documents/bakery", headers=ADMIN).status_code == 204
        assert "bakery" not in served_ids(client)
        assert_folder_agrees(setup, client)
        assert client.post("/ask", json={"question": "Who won the chess title?"}).status_code == 200
