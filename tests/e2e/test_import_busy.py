"""Writes sent while a long import indexes its export, over a real server: an add, a replace, a
delete and a second import each get the 409 naming the import at once (they waited
`index.build_lock_timeout_s` for it before), nothing of theirs is stored, and questions are
answered meanwhile (api/import_slot.py).

The long import is a real one: an archive of 1,500 invented articles, which the server reads
and embeds for some 15 s with its one embedding thread. The build lock's wait is 20 s here,
so a write that still waited for it would show.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import ROOT, Server, corpus_server
from tests.long_nexis_pdf import long_items

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-import-busy-admin-key-12345"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
LOCK_WAIT_S = 20
BUSY_S = 1
EXPORT = "long-harbour.jsonl"
COUNT = 1500  # some 15 s to read and index on two shared cores


def fill(corpus: Path) -> None:
    for seed in (ROOT / "seeds").iterdir():
        shutil.copy(seed, corpus / seed.name)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with corpus_server(
        tmp_path_factory,
        "import-busy",
        fill,
        QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY,
        QA_INDEX__BUILD_LOCK_TIMEOUT_S=str(LOCK_WAIT_S),
        QA_INDEX__IMPORT_BUSY_S=str(BUSY_S),
    ) as built:
        yield built.server


def long_archive(count: int, edition: str = "harbour") -> str:
    """An archive export of `count` invented harbour reports, one JSON object a line (each
    `edition` its own titles and addresses)."""
    return "\n".join(
        json.dumps(
            {
                "title": f"{item.title} ({edition})",
                "source": item.source,
                "date": f"2019-03-{n % 28 + 1:02d}",
                "url": f"https://courier.example/{edition}/{n + 1}",
                "text": "\n\n".join(item.paragraphs),
            }
        )
        for n, item in enumerate(long_items(count, paragraphs=6))
    )


def timed(client: httpx.Client, method: str, url: str, **kwargs: Any) -> tuple[float, Any]:
    started = time.monotonic()
    answer = client.request(method, url, headers=ADMIN, **kwargs)
    return time.monotonic() - started, answer


def test_writes_sent_while_a_long_import_indexes_are_refused_at_once(server: Server) -> None:
    with server.client(timeout=900) as client:
        before = client.get("/documents", params={"limit": 1000}).json()
        seed = client.get(f"/documents/{before['documents'][0]['doc_id']}").json()
        imported: dict[str, Any] = {}

        def run_import() -> None:
            with server.client(timeout=900) as own:
                sent = {"name": EXPORT, "content": long_archive(COUNT)}
                imported["answer"] = own.post("/documents/import", json=sent, headers=ADMIN)

        running = threading.Thread(target=run_import)
        running.start()
        try:
            # a delete of an id never indexed is a 404 while the import reads its export (it
            # holds no build lock yet), and the 409 naming it once it indexes
            deadline = time.monotonic() + 300
            while True:
                waited, answer = timed(client, "DELETE", "/documents/no-such-article")
                if answer.status_code == 409 or time.monotonic() > deadline:
                    break
                assert answer.status_code == 404, answer.text
                assert running.is_alive(), imported  # it ended without a write seeing it run
                time.sleep(0.3)
            assert answer.status_code == 409, answer.text
            assert waited < BUSY_S + 4, (waited, answer.text)
            refusals = [(waited, answer)]
            new = {
                "title": "Lighthouse keeper retires after forty years",
                "text": "The keeper of the Skarra lighthouse retired on Friday after forty "
                "years of service, the harbour board said.",
            }
            refusals.append(timed(client, "POST", "/documents", json=new))
            replaced = {"title": seed["title"], "text": "A replacement that must not be stored."}
            refusals.append(timed(client, "PUT", f"/documents/{seed['doc_id']}", json=replaced))
            second = {"name": "second.jsonl", "content": json.dumps(new)}
            refusals.append(timed(client, "POST", "/documents/import", json=second))
            asked = client.post("/ask", json={"question": "When did Seoul summon the envoy?"})
            assert running.is_alive(), (
                "the import ended before the writes were sent: make it longer"
            )
        finally:
            running.join()
        for waited, answer in refusals:
            detail = answer.json()["detail"]
            assert answer.status_code == 409, answer.text
            assert waited < 5, (waited, detail)  # not index.build_lock_timeout_s (20 s)
            assert detail.startswith(f"another import is running on this server ('{EXPORT}', ")
            assert "not about to finish" in detail, detail
            assert "nothing was changed" in detail, detail
        assert "'second.jsonl' was not read" in refusals[-1][1].json()["detail"]
        assert asked.status_code == 200, asked.text  # questions answered meanwhile
        assert imported["answer"].status_code == 201, imported["answer"].text
        assert len(imported["answer"].json()["added"]) == COUNT
        # nothing the refused writes sent was stored
        assert client.get("/documents", params={"q": "lighthouse keeper"}).json()["total"] == 0
        assert client.get(f"/documents/{seed['doc_id']}").json()["text"] == seed["text"]
        after = client.get("/documents", params={"limit": 1000}).json()
        assert after["total"] == before["total"] + COUNT


def test_an_import_goes_on_to_the_end_when_its_client_goes_away(server: Server) -> None:
    """What the page's Add form says to keep Cancel off while an import runs: an import sent
    cannot be called back. A client that drops its connection (a closed page, a timeout) leaves
    the import running on the server, which indexes every article of it."""
    with server.client() as client:
        total = client.get("/documents").json()["total"]
        sent = {"name": "dropped.jsonl", "content": long_archive(COUNT, "dropped")}
        with pytest.raises(httpx.TimeoutException):  # the connection closed 1 s in
            client.post("/documents/import", json=sent, headers=ADMIN, timeout=1)
        assert client.get("/documents").json()["total"] == total  # not done yet
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            now = client.get("/documents", params={"q": "dropped"}).json()["total"]
            if now == COUNT:
                break
            time.sleep(1)
        assert now == COUNT
        assert client.get("/documents").json()["total"] == total + COUNT
