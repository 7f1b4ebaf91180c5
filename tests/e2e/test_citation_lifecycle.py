"""A citation saved today, looked up again after the corpus changed, over HTTP.

A real server (extractive answers, the real embedder) over a small made-up corpus built by the
real script. A question's citation is kept as a researcher keeps it (its id, words, offsets),
then the corpus goes through what happens to it over months: an unrelated export imported, the
same export sent again, the cited article replaced with one paragraph edited and one put on
top, the folder rebuilt by the script, the index rolled back and forward, the server restarted,
the article deleted. After each step `GET /paragraphs/{paragraph_id}` must give the words saved
or a 404 that says what is gone (a 410 Gone once the article is deleted through the API), never
other words under the saved id.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import (
    ROOT,
    PageProbe,
    Server,
    build_index,
    show_saved_conversation,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-citation-lifecycle-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}

FERRY = """Ferry service to Skarra resumes after storms

Published: 2031-05-12

The ferry between Brenna and Skarra island resumed on Monday after a week of storms kept every
boat in the harbour.

Harbour master Ilse Varga said 42 trawlers had waited in the bay for the gale to pass.

The island council voted to spend 3 million crowns on a new breakwater next spring.
"""
BAKERY = """Fire closes historic bakery in Millbrook

Published: 2031-03-05

A fire on Tuesday morning closed the Hollis Bakery, which has stood on Millbrook's main square
since 1884.
"""
ORCHIDS = {
    "title": "Orchid glasshouse opens in Velden",
    "source": "Valley Post",
    "date": "2031-04-02",
    "url": "https://valley.example/orchids",
    "text": "A glasshouse of wild orchids opened in Velden on Saturday.\n\nCurator Tomas Brekke "
    "said it holds 1,200 plants from nine countries.",
}
QUESTION = "How many trawlers waited in the bay?"
FIELDS = ("paragraph_id", "doc_id", "index", "start", "end", "text", "title", "source", "date")


@dataclass
class Setup:
    corpus: Path
    data_dir: Path
    log: Path
    server: Server


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    corpus = tmp_path_factory.mktemp("cite-corpus")
    (corpus / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (corpus / "bakery.txt").write_text(BAKERY, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("cite-data")
    build_index(corpus, data_dir)
    log = tmp_path_factory.mktemp("cite-logs") / "server.log"
    built = Setup(corpus, data_dir, log, serve(data_dir, log))
    yield built
    stop_server(built.server)


def serve(data_dir: Path, log: Path) -> Server:
    return start_server(
        data_dir,
        log,
        QA_GENERATION__BACKEND="none",
        QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY,
        QA_INDEX__RELOAD_INTERVAL_S="0.5",
    )


def script(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / args[0]), *args[1:]],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def served_current(client: httpx.Client, timeout: float = 60) -> str:
    """Wait until the server serves the version `current` points at; that version."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = client.get("/readyz").json()
        if ready["served_version"] == ready["current_version"]:
            return str(ready["served_version"])
        time.sleep(0.5)
    raise AssertionError(f"the server did not pick up the current version: {ready}")


def look_up(client: httpx.Client, saved: dict[str, Any]) -> httpx.Response:
    return client.get(f"/paragraphs/{saved['paragraph_id']}")


def same_words(client: httpx.Client, saved: dict[str, Any], *, moved: bool = False) -> None:
    """The saved id gives the saved words; at the saved offsets too unless `moved`."""
    found = look_up(client, saved)
    assert found.status_code == 200, found.text
    paragraph = found.json()
    assert paragraph["text"] == saved["text"]
    article = client.get(f"/documents/{saved['doc_id']}").json()
    assert article["text"][paragraph["start"] : paragraph["end"]] == saved["text"]
    if not moved:
        assert {f: paragraph[f] for f in FIELDS} == {f: saved[f] for f in FIELDS}


def on_page(browser: Any, server: Server, answer: dict[str, Any], *cited: dict[str, Any]) -> None:
    """Open the chat page on a saved conversation of `answer` asked once a citation, and check
    each of `cited` in the Source view against the article served now."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    probe = PageProbe(page)
    try:
        turns = [
            {
                "question": answer["question"],
                "kind": "answer",
                "data": {**answer, "citations": [{**citation, "marker": 1}]},
            }
            for citation in cited
        ]
        show_saved_conversation(page, {"version": 1, "saved": 1, "turns": turns})
        article = requests_article(server, cited[0]["doc_id"])
        for n, citation in enumerate(cited):
            page.locator("#conversation .citation-link").nth(n).click()
            body = page.locator("#source-body .article-body")
            expect(body.locator(".article-paragraph")).to_have_count(len(article))
            marked = body.locator(".article-paragraph.cited")
            if citation["text"] in article:
                expect(marked).to_have_count(1)
                expect(marked).to_have_text(citation["text"])
                assert article.index(citation["text"]) != citation["index"]  # it moved
            else:
                expect(marked).to_have_count(0)
                expect(body.locator(".note")).to_contain_text(
                    "The cited paragraph is no longer in this article: its words were changed"
                )
        assert probe.script_errors() == []
    finally:
        context.close()


def requests_article(server: Server, doc_id: str) -> list[str]:
    with server.client() as client:
        return [p["text"] for p in client.get(f"/documents/{doc_id}").json()["paragraphs"]]


def test_a_saved_citation_gives_its_words_or_a_clear_404_through_the_corpus_life(
    setup: Setup, browser: Any
) -> None:
    with setup.server.client() as client:
        answer = client.post("/ask", json={"question": QUESTION})
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "answered", answer.json()
        cited = answer.json()["citations"][0]
        assert cited["doc_id"] == "ferry"
        article = client.get("/documents/ferry").json()["paragraphs"]
        # another paragraph of the same article, after the cited one, as a second saved citation
        later = next(p for p in article if p["index"] > cited["index"])
        same_words(client, cited)
        same_words(client, later)
        # the Markdown scripts/ask.py saves names the article (title, outlet, date) and the
        # paragraph's id, which finds it again; its number only says where it stood
        saved_markdown = script("ask.py", QUESTION, "--url", setup.server.url)
        note = next(line for line in saved_markdown.splitlines() if line.startswith("[^1]: "))
        assert note.startswith(f"[^1]: *{cited['title']}*, {cited['date']} — ")
        place = re.search(r"\(doc (\S+), paragraph (\d+), id (\S+)\)$", note)
        assert place is not None, note
        assert place.groups() == (cited["doc_id"], str(cited["index"] + 1), cited["paragraph_id"])

        # an unrelated export imported, then sent again: nothing the citations name changes
        export = {"name": "valley.jsonl", "content": json.dumps(ORCHIDS) + "\n"}
        first = client.post("/documents/import", headers=ADMIN, json=export)
        assert first.status_code == 201, first.text
        again = client.post("/documents/import", headers=ADMIN, json=export)
        assert again.status_code == 200 and again.json()["unchanged"], again.text
        same_words(client, cited)
        same_words(client, later)
        before_edit = served_current(client)

        # the cited article replaced: the cited paragraph edited, a paragraph put on top
        paragraphs = [p["text"] for p in article]
        edited = cited["text"] + " Two more came in on Tuesday."
        new_text = "\n\n".join(
            ["Storm damage along the coast is still being counted."]
            + [edited if text == cited["text"] else text for text in paragraphs]
        )
        replaced = client.put(
            "/documents/ferry",
            headers=ADMIN,
            json={"title": article[0]["title"], "date": "2031-05-12", "text": new_text},
        )
        assert replaced.status_code == 200, replaced.text

        # the saved paragraph number now points at other words; the saved id at none
        number = int(place.group(2))
        moved_in = client.get("/documents/ferry").json()["paragraphs"][number - 1]["text"]
        assert moved_in != cited["text"]

        def edited_is_gone() -> None:
            gone = look_up(client, cited)
            assert gone.status_code == 404, gone.text
            detail = gone.json()["detail"]
            assert f"article 'ferry' holds no paragraph {cited['paragraph_id']!r} now" in detail
            assert "GET /documents/ferry" in detail
            same_words(client, later, moved=True)
            assert look_up(client, later).json()["index"] == later["index"] + 1

        edited_is_gone()
        after_edit = served_current(client)
        # the chat page, its conversation saved before the edit: the edited paragraph is said
        # to be gone, not another marked in its place; the moved one is marked where it is now
        on_page(browser, setup.server, answer.json(), cited, later)

        # the folder rebuilt by the script, with another article's file edited meanwhile
        bakery = setup.corpus / "bakery.txt"
        bakery.write_text(BAKERY + "\nThe owners hope to reopen within three months.\n", "utf-8")
        script("rebuild_index.py", "--data-dir", str(setup.data_dir))
        rebuilt = served_current(client)
        assert rebuilt != after_edit
        edited_is_gone()

        # rolled back to before the edit: the saved words are served again, then forward
        script("rollback_index.py", "--data-dir", str(setup.data_dir), "--to", before_edit)
        assert served_current(client) == before_edit
        same_words(client, cited)
        same_words(client, later)
        script("rollback_index.py", "--data-dir", str(setup.data_dir), "--to", rebuilt)
        assert served_current(client) == rebuilt
        edited_is_gone()

    # a restart changes nothing
    stop_server(setup.server)
    setup.server = serve(setup.data_dir, setup.log)
    with setup.server.client() as client:
        assert look_up(client, cited).status_code == 404
        same_words(client, later, moved=True)

        # the article deleted through the API: a 410 Gone that names it and says when
        assert client.delete("/documents/ferry", headers=ADMIN).status_code == 204
        gone = look_up(client, later)
        assert gone.status_code == 410, gone.text
        assert "its article 'ferry' was deleted at 20" in gone.json()["detail"]
