"""An archive record edited and imported again, without a `url`, over HTTP.

A real server (extractive answers, the real embedder) over a made-up corpus. A researcher
imports an export whose records have no address, corrects a paragraph of one record in the
export and imports it again. What the article is then depends on whether the record names it:

- with the id its news database gives it (`accession_number`), the edited record is the same
  article: the import refuses it while the earlier version is indexed and says to delete that
  one; deleted and imported again, it keeps the article's id, so its new words are answered
  and cited under it and the old paragraph's id gives a 404 that says the words were changed;
- with nothing but its words (title, source, date and text), it is another article, added
  beside the earlier version (README: "What keeps an id and what makes a new one" says why no
  rule matches the two), and the import warns that it has the headline, outlet and date of an
  indexed article without a url, naming it, so the researcher can delete the earlier one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, build_index, start_server, stop_server

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-edited-records-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}

HARBOUR = """Harbour fees rise in Oskvik

Published: 2031-02-10

The port of Oskvik will charge fishing boats higher mooring fees from April.
"""
# made up for this test: the second paragraph is corrected in the export's second version
BEFORE = "The keeper's lamp is now run by an automatic system bought for 80,000 crowns."
AFTER = "The keeper's lamp is now run by an automatic system bought for 95,000 crowns in Bergen."
LIGHTHOUSE = {
    "title": "Lighthouse keeper retires after forty years",
    "source": "North Shore Gazette",
    "date": "2031-04-12",
    "accession_number": "NSG0000020310412e74c0007",
    "text": "Keeper Aldo Finch retired on Friday after forty years at the Torvik lighthouse.\n\n"
    + BEFORE,
}
CHOIR = {
    "title": "Village choir wins regional contest",
    "source": "North Shore Gazette",
    "date": "2031-04-12",
    "text": "The Hallby village choir won the regional contest in Norrvik on Sunday.\n\n"
    "Its forty singers performed a song written by conductor Mette Lind.",
}
CHOIR_EDITED = {**CHOIR, "text": CHOIR["text"].replace("forty singers", "forty-two singers")}


def export(*records: dict[str, Any]) -> dict[str, str]:
    return {"name": "gazette.jsonl", "content": "".join(json.dumps(r) + "\n" for r in records)}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    corpus = tmp_path_factory.mktemp("edited-corpus")
    (corpus / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("edited-data")
    build_index(corpus, data_dir)
    log = tmp_path_factory.mktemp("edited-logs") / "server.log"
    started = start_server(
        data_dir,
        log,
        QA_GENERATION__BACKEND="none",
        QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY,
    )
    yield started
    stop_server(started)


def paragraph_with(client: httpx.Client, doc_id: str, words: str) -> dict[str, Any]:
    article = client.get(f"/documents/{doc_id}")
    assert article.status_code == 200, article.text
    return next(p for p in article.json()["paragraphs"] if words in p["text"])


def titled(client: httpx.Client, title: str) -> list[str]:
    listed = client.get("/documents", params={"q": title, "limit": 100})
    assert listed.status_code == 200, listed.text
    return [d["doc_id"] for d in listed.json()["documents"] if d["title"] == title]


def test_an_edited_record_with_its_database_id_replaces_the_earlier_version(
    server: Server,
) -> None:
    with server.client() as client:
        first = client.post("/documents/import", headers=ADMIN, json=export(LIGHTHOUSE))
        assert first.status_code == 201, first.text
        doc_id = LIGHTHOUSE["accession_number"]
        assert [a["doc_id"] for a in first.json()["added"]] == [doc_id]
        old = paragraph_with(client, doc_id, "80,000 crowns")

        edited = {**LIGHTHOUSE, "text": LIGHTHOUSE["text"].replace(BEFORE, AFTER)}
        again = client.post("/documents/import", headers=ADMIN, json=export(edited))
        assert again.status_code == 422, again.text  # its only record refused, and why
        refusal = again.json()["detail"]
        assert f"(id {doc_id}): an article with this id is already indexed" in refusal
        assert f"DELETE /documents/{doc_id}" in refusal
        assert client.get(f"/paragraphs/{old['paragraph_id']}").status_code == 200

        assert client.delete(f"/documents/{doc_id}", headers=ADMIN).status_code == 204
        third = client.post("/documents/import", headers=ADMIN, json=export(edited))
        assert third.status_code == 201, third.text
        assert titled(client, LIGHTHOUSE["title"]) == [doc_id]  # one article, its id kept

        answer = client.post(
            "/ask", json={"question": "How much did the lighthouse's automatic system cost?"}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["status"] == "answered", body
        assert "95,000 crowns" in body["answer"] and "80,000" not in body["answer"]
        [cited] = [c for c in body["citations"] if c["doc_id"] == doc_id]
        assert cited["paragraph_id"] == paragraph_with(client, doc_id, "95,000")["paragraph_id"]

        gone = client.get(f"/paragraphs/{old['paragraph_id']}")
        assert gone.status_code == 404, gone.text
        assert f"article {doc_id!r} holds no paragraph" in gone.json()["detail"]
        assert "its words were changed" in gone.json()["detail"]


def test_an_edited_record_named_only_by_its_words_is_added_beside_the_earlier(
    server: Server,
) -> None:
    with server.client() as client:
        first = client.post("/documents/import", headers=ADMIN, json=export(CHOIR))
        assert first.status_code == 201, first.text
        again = client.post("/documents/import", headers=ADMIN, json=export(CHOIR_EDITED))
        assert again.status_code == 201, again.text
        ids = titled(client, CHOIR["title"])
        assert len(ids) == 2 and len(set(ids)) == 2
        earlier = first.json()["added"][0]["doc_id"]
        [added] = [a["doc_id"] for a in again.json()["added"]]
        assert first.json()["warnings"] == []
        # told that an article without a url has its headline, outlet and date, and how to
        # keep one of the two
        [warning] = [w for w in again.json()["warnings"] if "same headline" in w]
        assert f"{added!r} has the same headline, outlet and date" in warning
        assert f"DELETE /documents/{earlier}" in warning
        # and listed for a client to act on (the chat page opens the earlier one from it)
        assert again.json()["look_alikes"] == [
            {
                "doc_id": added,
                "shares": "headline",
                "others": [earlier],
                "more": 0,
                "warning": warning,
            }
        ]
        assert first.json()["look_alikes"] == []
        old = paragraph_with(client, earlier, "forty singers")
        assert client.get(f"/paragraphs/{old['paragraph_id']}").status_code == 200
        # the earlier version deleted as told: one article, the corrected one
        assert client.delete(f"/documents/{earlier}", headers=ADMIN).status_code == 204
        assert titled(client, CHOIR["title"]) == [added]
        assert client.get(f"/paragraphs/{old['paragraph_id']}").status_code == 410
