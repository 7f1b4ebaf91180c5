"""The document API over HTTP: paging, adding, replacing and deleting articles, dates and date
ranges.

A real server (extractive answers, the real embedder) runs on an index built by the real
script from a small made-up corpus in a temporary folder; adding and deleting change that
folder and build new index versions, which the server serves before it answers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, build_index, start_server, stop_server

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-documents-admin-key-123456"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
JSON = {"content-type": "application/json"}

CORPUS = {
    "tram": """Oakhaven opens its first tram line

Published: 2031-03-04

The city of Oakhaven opened its first tram line on Sunday, a 9.5 kilometre route with 14 stops
between the central station and the university.

Transport director Priya Lindqvist said 22,000 passengers rode the trams on the first day.
""",
    "bakery": """Fire closes historic bakery in Millbrook

March 5, 2031

A fire on Tuesday morning closed the Hollis Bakery, which has stood on Millbrook's main square
since 1884. Fire chief Daniel Osei said nobody was hurt.
""",
    "chess": """Teenager wins national chess title

Sixteen-year-old Mira Castellano won the national chess championship on Saturday, becoming the
youngest champion in the event's 70-year history.
""",
}

NEW_ARTICLE = {
    "title": "Glasshouse museum opens in Brenna",
    "text": (
        "The Brenna glasshouse museum opened on Friday with 340 species of orchids from "
        "twelve countries.\n\nCurator Tomas Eriksen said the collection took eight years to "
        "assemble and that entry will be free until June."
    ),
    "source": "Brenna Courier",
    "date": "March 9, 2031",
    "author": "Ines Varga",
}


@dataclass
class Setup:
    corpus: Path
    data_dir: Path
    server: Server


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    corpus = tmp_path_factory.mktemp("doc-corpus")
    for doc_id, raw in CORPUS.items():
        (corpus / f"{doc_id}.txt").write_text(raw, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("doc-data")
    build_index(corpus, data_dir)
    server = start_server(
        data_dir,
        tmp_path_factory.mktemp("doc-logs") / "server.log",
        QA_GENERATION__BACKEND="none",
        QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY,
        QA_INDEX__RELOAD_INTERVAL_S="0.5",
    )
    yield Setup(corpus, data_dir, server)
    stop_server(server)


@pytest.fixture(scope="module")
def client(setup: Setup) -> Iterator[httpx.Client]:
    with setup.server.client() as c:
        yield c


def doc_ids(client: httpx.Client) -> list[str]:
    listing = client.get("/documents", params={"limit": 1000}).json()
    return [d["doc_id"] for d in listing["documents"]]


def test_documents_are_paged_in_id_order(client: httpx.Client) -> None:
    everything = client.get("/documents").json()
    assert everything["total"] == len(everything["documents"]) >= 3
    ids = [d["doc_id"] for d in everything["documents"]]
    assert ids == sorted(ids)
    page = client.get("/documents", params={"offset": 1, "limit": 1}).json()
    assert page["documents"] == everything["documents"][1:2]
    assert (page["total"], page["offset"], page["limit"]) == (everything["total"], 1, 1)
    assert client.get("/documents", params={"limit": 0}).status_code == 422
    assert client.get("/documents", params={"offset": -1}).status_code == 422


def test_dates_are_parsed_from_the_article(client: httpx.Client) -> None:
    dates = {d["doc_id"]: d["date"] for d in client.get("/documents").json()["documents"]}
    assert dates["tram"] == "2031-03-04"
    assert dates["bakery"] == "2031-03-05"
    assert dates["chess"] is None


def test_adding_and_deleting_need_the_admin_key(client: httpx.Client) -> None:
    assert client.post("/documents", json=NEW_ARTICLE).status_code == 401
    wrong = {"Authorization": "Bearer not-the-admin-key-at-all"}
    assert client.post("/documents", json=NEW_ARTICLE, headers=wrong).status_code == 401
    assert client.delete("/documents/tram").status_code == 401
    assert client.post("/admin/reload").status_code == 401
    assert "tram" in doc_ids(client)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_an_id_in_the_path_that_cannot_name_a_file_is_told_in_words(
    client: httpx.Client, method: str
) -> None:
    body = {"text": "The harbour reopened on Monday."} if method == "PUT" else None
    r = client.request(method, "/documents/Budget Übersicht", json=body, headers=ADMIN)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "may hold only letters" in detail and "'budget-ubersicht'" in detail, detail
    assert "pattern" not in detail


def test_add_ask_and_delete_an_article(client: httpx.Client, setup: Setup) -> None:
    corpus = setup.corpus
    before = client.get("/admin/index", headers=ADMIN).json()

    added = client.post("/documents", json=NEW_ARTICLE, headers=ADMIN)

    assert added.status_code == 201, added.text
    body = added.json()
    doc_id = body["doc_id"]
    assert added.headers["location"] == f"/documents/{doc_id}"
    assert (body["title"], body["source"], body["date"], body["author"]) == (
        "Glasshouse museum opens in Brenna",
        "Brenna Courier",
        "2031-03-09",
        "Ines Varga",
    )
    assert "340 species of orchids" in body["text"]
    assert (corpus / f"{doc_id}.txt").is_file()  # written into the corpus folder
    assert body["version"] != before["served"]
    status = client.get("/admin/index", headers=ADMIN).json()
    assert status["served"] == status["current"] == body["version"]
    # built incrementally: only the new article's paragraphs were embedded
    manifest = current_manifest(client, setup.data_dir)
    assert manifest["changes"]["added"] == [doc_id]
    assert manifest["changes"]["embedded_paragraphs"] == len(body["paragraphs"])

    assert doc_id in doc_ids(client)
    answer = client.post(
        "/ask", json={"question": "How many species of orchids does the Brenna museum show?"}
    ).json()
    assert answer["status"] == "answered", answer
    assert answer["citations"][0]["doc_id"] == doc_id
    assert answer["citations"][0]["date"] == "2031-03-09"  # citations carry the date

    # a retry (the same article again, say after a lost answer) is a success that changes
    # nothing; other content under the same id is a conflict
    again = client.post("/documents", json={**NEW_ARTICLE, "doc_id": doc_id}, headers=ADMIN)
    assert again.status_code == 200, again.text
    assert again.json() == body
    # so is the same article with other white space, sent without an id (another tool's retry)
    spaced = {**NEW_ARTICLE, "text": "  " + NEW_ARTICLE["text"].replace(" ", "  ") + "\n\n\n"}
    same = client.post("/documents", json=spaced, headers=ADMIN)
    assert same.status_code == 200 and same.json()["doc_id"] == doc_id, same.text
    other = {**NEW_ARTICLE, "doc_id": doc_id, "text": NEW_ARTICLE["text"] + " Updated."}
    conflict = client.post("/documents", json=other, headers=ADMIN)
    assert conflict.status_code == 409, conflict.text
    assert "other content" in conflict.json()["detail"]

    deleted = client.delete(f"/documents/{doc_id}", headers=ADMIN)
    assert deleted.status_code == 204, deleted.text
    assert not (corpus / f"{doc_id}.txt").exists()
    # the id was indexed and deleted through the API: 410 Gone, saying when; never known: 404
    gone = client.get(f"/documents/{doc_id}")
    assert gone.status_code == 410, gone.text
    assert f"document {doc_id!r} was deleted at 20" in gone.json()["detail"]
    assert client.get("/documents/never-added-here").status_code == 404
    assert doc_id not in doc_ids(client)
    # deleting it again is a retry: a success; an id never known is a 404
    assert client.delete(f"/documents/{doc_id}", headers=ADMIN).status_code == 204
    assert client.delete("/documents/never-added-here", headers=ADMIN).status_code == 404


def test_who_wrote_an_article_and_when_is_told_from_its_details(client: httpx.Client) -> None:
    """The byline, date and source sent with an article answer questions about the article
    itself, cited to it; an article without a byline is not given one."""
    added = client.post("/documents", json={**NEW_ARTICLE, "doc_id": "glasshouse"}, headers=ADMIN)
    assert added.status_code == 201, added.text
    try:
        author = client.post(
            "/ask", json={"question": "Who wrote the article about the Brenna glasshouse museum?"}
        ).json()
        assert author["status"] == "answered", author
        assert author["short_answer"] == "Ines Varga", author
        assert author["answer"] == "“Glasshouse museum opens in Brenna” is by Ines Varga. [1]"
        (citation,) = author["citations"]
        assert (citation["doc_id"], citation["detail"], citation["author"]) == (
            "glasshouse",
            "author",
            "Ines Varga",
        )
        paragraphs = client.get("/documents/glasshouse").json()["paragraphs"]
        assert citation["paragraph_id"] in {p["paragraph_id"] for p in paragraphs}
        dated = client.post(
            "/ask", json={"question": "When was the story about the orchid museum published?"}
        ).json()
        assert dated["short_answer"] == "March 9, 2031", dated
        assert dated["citations"][0]["detail"] == "date"

        # the chess article has no byline: the answer says so and names it
        nobody = client.post(
            "/ask", json={"question": "Who wrote the article about the national chess title?"}
        ).json()
        assert nobody["status"] == "insufficient_evidence", nobody
        assert "“Teenager wins national chess title”, does not name its author" in nobody["reason"]
    finally:
        assert client.delete("/documents/glasshouse", headers=ADMIN).status_code == 204


def test_an_article_by_several_authors_names_them_in_prose(client: httpx.Client) -> None:
    """An archive's list of authors is stored "; "-joined; the answer names them in prose."""
    line = {
        "title": "Kaesong factory park stays shut",
        "authors": ["Park Ji-won", "Lee Han"],
        "url": "https://herald.example/kaesong-park",
        "text": "The Kaesong factory park will stay shut this winter, the unification ministry "
        "said on Monday.\n\nIts 120 companies were told to wait for a decision in spring.",
    }
    upload = {"name": "herald.jsonl", "content": json.dumps(line) + "\n"}
    imported = client.post("/documents/import", json=upload, headers=ADMIN)
    assert imported.status_code == 201, imported.text
    (added,) = imported.json()["added"]
    try:
        answer = client.post(
            "/ask", json={"question": "Who wrote the article about the Kaesong factory park?"}
        ).json()
        assert answer["answer"] == (
            "“Kaesong factory park stays shut” is by Park Ji-won and Lee Han. [1]"
        ), answer
        assert answer["short_answer"] == "Park Ji-won and Lee Han"
        assert answer["citations"][0]["author"] == "Park Ji-won; Lee Han"  # stored as it was
    finally:
        assert client.delete(f"/documents/{added['doc_id']}", headers=ADMIN).status_code == 204


def test_an_article_is_replaced_in_one_build_and_answers_from_the_new_text(
    client: httpx.Client, setup: Setup
) -> None:
    corpus = setup.corpus
    text = (
        "The Varnhem ferry will resume on Tuesday after a month of repairs, the harbour office "
        "said.\n\nHarbour master Oda Lind said the ferry would run four times a day."
    )
    first = {"title": "Varnhem ferry to resume", "text": text}
    assert client.put("/documents/ferry-news", json=first).status_code == 401

    created = client.put("/documents/ferry-news", json=first, headers=ADMIN)
    assert created.status_code == 201, created.text  # no article had the id: added
    assert created.headers["location"] == "/documents/ferry-news"
    question = {"question": "How many times a day will the Varnhem ferry run?"}
    before = client.post("/ask", json=question).json()
    assert before["status"] == "answered", before
    assert "four times a day" in before["answer"]

    corrected = {**first, "text": text.replace("four times", "six times")}
    replaced = client.put("/documents/ferry-news", json=corrected, headers=ADMIN)

    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert "six times a day" in body["text"] and "four times" not in body["text"]
    manifest = current_manifest(client, setup.data_dir)
    assert manifest["changes"]["changed"] == ["ferry-news"]  # one build, the article changed
    assert manifest["changes"]["added"] == manifest["changes"]["removed"] == []
    after = client.post("/ask", json=question).json()
    assert after["status"] == "answered", after
    assert "six times a day" in after["answer"]
    assert after["citations"][0]["doc_id"] == "ferry-news"
    # a retry changes nothing; a body naming another id is refused
    again = client.put("/documents/ferry-news", json=corrected, headers=ADMIN)
    assert again.status_code == 200 and again.json()["version"] == body["version"]
    wrong = client.put("/documents/ferry-news", json={**corrected, "doc_id": "tram"}, headers=ADMIN)
    assert wrong.status_code == 422, wrong.text
    assert "is not the path's 'ferry-news'" in wrong.json()["detail"]

    page = (
        "<html><head><title>Varnhem ferry resumes</title></head><body><article><p>The Varnhem "
        "ferry resumed on Tuesday after a month of repairs and runs six times a day, harbour "
        "master Oda Lind said.</p></article></body></html>"
    )
    as_page = client.put("/documents/ferry-news", json={"html": page}, headers=ADMIN)
    assert as_page.status_code == 200, as_page.text
    assert as_page.json()["title"] == "Varnhem ferry resumes"
    assert sorted(p.name for p in corpus.glob("ferry-news.*")) == ["ferry-news.html"]

    assert client.delete("/documents/ferry-news", headers=ADMIN).status_code == 204

    # a page sent again with other markup around the same article is the same article
    added = client.post("/documents", json={"html": page}, headers=ADMIN)
    assert added.status_code == 201, added.text
    framed = page.replace(
        "<body>", "<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
    )
    again = client.post("/documents", json={"html": framed}, headers=ADMIN)
    assert again.status_code == 200, again.text
    assert again.json()["doc_id"] == added.json()["doc_id"]
    assert client.delete(f"/documents/{added.json()['doc_id']}", headers=ADMIN).status_code == 204


EXPORT = "\n".join(
    [
        json.dumps(
            {
                "headline": "Salt marsh reserve doubles in size",
                "body": "The Kestrel Bay salt marsh reserve grew from 410 to 830 hectares on "
                "Thursday, when the council bought the farmland beside it.\n\nWarden Lise "
                "Nakamura said 37 pairs of avocets nested there last spring.",
                "published": "2031-03-12",
                "link": "https://bay.example/news/salt-marsh-reserve",
                "publisher": "Kestrel Bay Gazette",
            }
        ),
        "{not json",
        json.dumps(
            {
                "title": "Night buses return to Ulmstead",
                "html": "<html><body><article><h1>Night buses return to Ulmstead</h1><p>Night "
                "buses returned to Ulmstead on Saturday, running every 40 minutes until 4 "
                "a.m.</p></article></body></html>",
                "url": "https://bay.example/news/night-buses",
            }
        ),
    ]
)


def test_an_archive_export_is_imported_asked_and_its_articles_deleted(
    client: httpx.Client, setup: Setup
) -> None:
    corpus = setup.corpus
    upload = {"name": "gazette.jsonl", "content": EXPORT}
    assert client.post("/documents/import", json=upload).status_code == 401

    imported = client.post("/documents/import", json=upload, headers=ADMIN)

    assert imported.status_code == 201, imported.text
    body = imported.json()
    added = {d["title"]: d for d in body["added"]}
    assert sorted(added) == ["Night buses return to Ulmstead", "Salt marsh reserve doubles in size"]
    marsh = added["Salt marsh reserve doubles in size"]
    assert (marsh["source"], marsh["date"], marsh["url"]) == (
        "Kestrel Bay Gazette",
        "2031-03-12",
        "https://bay.example/news/salt-marsh-reserve",
    )
    assert [r.split(":")[0] for r in body["refused"]] == ["gazette.jsonl line 2"]
    assert body["not_imported"] == 1
    assert (corpus / body["stored_as"]).is_file()
    manifest = current_manifest(client, setup.data_dir)
    assert sorted(manifest["changes"]["added"]) == sorted(d["doc_id"] for d in body["added"])

    answer = client.post(
        "/ask", json={"question": "How many pairs of avocets nested in the Kestrel Bay reserve?"}
    ).json()
    assert answer["status"] == "answered", answer
    assert "37 pairs" in answer["answer"]
    assert answer["citations"][0]["doc_id"] == marsh["doc_id"]
    assert answer["citations"][0]["url"] == "https://bay.example/news/salt-marsh-reserve"

    # sent again (a lost answer): nothing added, nothing built
    again = client.post("/documents/import", json=upload, headers=ADMIN)
    assert again.status_code == 200, again.text
    assert again.json()["added"] == [] and again.json()["version"] == body["version"]
    assert sorted(again.json()["unchanged"]) == sorted(d["doc_id"] for d in body["added"])
    # nothing usable: a 422 naming each record; a name that is no archive's: a 422 too
    bad = client.post("/documents/import", json={"name": "x.jsonl", "content": "oops"},
                      headers=ADMIN)  # fmt: skip
    assert bad.status_code == 422 and "x.jsonl line 1" in bad.json()["detail"], bad.text
    odt = client.post("/documents/import", json={"name": "x.odt", "content": "a"}, headers=ADMIN)
    assert odt.status_code == 422, odt.text
    assert "does not end in a format this route imports" in odt.json()["detail"], odt.text
    # the import's own body limit (16 MiB) lets a body over server.max_body_bytes (1 MiB) through
    # to the route, which reads it: here a text that is no export, refused for that
    large = "The harbour reopened on Monday. " * 50_000  # 1.6 MB
    big = client.post(
        "/documents/import", json={"name": "big.txt", "content": large}, headers=ADMIN
    )
    assert big.status_code == 422 and "not a LexisNexis text export" in big.text, big.text[:300]
    # a .txt may be a LexisNexis export; one that is not is one article, for POST /documents
    txt = client.post("/documents/import", json={"name": "x.txt", "content": "a"}, headers=ADMIN)
    assert txt.status_code == 422, txt.text
    assert "not a LexisNexis text export" in txt.json()["detail"], txt.text
    assert "POST /documents" in txt.json()["detail"], txt.text

    # an imported article is deleted through the API: its line leaves the archive
    assert client.delete(f"/documents/{marsh['doc_id']}", headers=ADMIN).status_code == 204
    assert marsh["doc_id"] not in doc_ids(client)
    stored = (corpus / body["stored_as"]).read_text(encoding="utf-8")
    assert "Salt marsh" not in stored and "Night buses" in stored
    buses = added["Night buses return to Ulmstead"]["doc_id"]
    assert client.delete(f"/documents/{buses}", headers=ADMIN).status_code == 204
    assert not (corpus / body["stored_as"]).exists()


def _harbour_page(text: str) -> str:
    return (
        "<html><head><title>Skarra harbour reopens</title>"
        '<link rel="canonical" href="https://coast.example/skarra-harbour"></head>'
        f"<body><article><p>{text}</p></article></body></html>"
    )


def test_an_article_with_an_indexed_articles_url_is_added_with_a_warning(
    client: httpx.Client,
) -> None:
    """A page saved again (other text, so another id) or an archive's record of it is added
    beside the indexed article with the same url, and the answer's warnings name it and the
    PUT that replaces it instead."""
    url = "https://coast.example/skarra-harbour"
    first = client.post(
        "/documents",
        json={"html": _harbour_page("The harbour of Skarra reopened on Monday after storms "
                                    "that closed it for a week, the harbour master said.")},
        headers=ADMIN,
    )  # fmt: skip
    assert first.status_code == 201, first.text
    first_id = first.json()["doc_id"]
    assert first.json()["url"] == url and not any(url in w for w in first.json()["warnings"])

    again = client.post(
        "/documents",
        json={"html": _harbour_page("The harbour of Skarra reopened on Monday after a week "
                                    "of storms, and the first ferry left at noon.")},
        headers=ADMIN,
    )  # fmt: skip
    assert again.status_code == 201, again.text
    again_id = again.json()["doc_id"]
    assert again_id != first_id
    (warning,) = [w for w in again.json()["warnings"] if url in w]
    assert f"the indexed article {first_id!r}" in warning
    assert f"PUT /documents/{first_id}" in warning

    record = {"title": "Skarra harbour reopens", "url": url,
              "text": "The harbour of Skarra reopened on Monday; ferries run again."}  # fmt: skip
    imported = client.post(
        "/documents/import",
        json={"name": "coast.jsonl", "content": json.dumps(record) + "\n"},
        headers=ADMIN,
    )
    assert imported.status_code == 201, imported.text
    (added,) = imported.json()["added"]
    (warning,) = [w for w in imported.json()["warnings"] if url in w]
    assert f"{added['doc_id']!r} has the same url" in warning
    named = " and ".join(repr(doc_id) for doc_id in sorted((first_id, again_id)))
    assert f"the indexed articles {named};" in warning

    for doc_id in (added["doc_id"], again_id, first_id):
        assert client.delete(f"/documents/{doc_id}", headers=ADMIN).status_code == 204


def test_search_returns_paragraphs_to_check_with_their_offsets(client: httpx.Client) -> None:
    found = client.post("/search", json={"query": "  fire at the   bakery ", "limit": 2})

    assert found.status_code == 200, found.text
    body = found.json()
    assert body["query"] == "fire at the bakery"
    assert body["articles_searched"] == body["articles_total"] >= 3
    results = body["results"]
    assert 1 <= len(results) <= 2
    first = results[0]
    assert first["doc_id"] == "bakery" and "Hollis Bakery" in first["text"]
    assert first["title"] == "Fire closes historic bakery in Millbrook"
    assert first["score"] >= results[-1]["score"]
    article = client.get("/documents/bakery").json()
    assert article["text"][first["start"] : first["end"]] == first["text"]  # offsets to check
    # where the paragraph holds the words searched for, to mark them
    marked = {first["text"][a:b].lower() for a, b in first["matches"]}
    assert "bakery" in marked and marked <= {"fire", "fires", "bakery", "hollis bakery"}

    # the filters of /ask: a date range and some articles
    ranged = client.post(
        "/search", json={"query": "fire at the bakery", "date_from": "2031-03-01",
                         "date_to": "2031-03-04"},
    ).json()  # fmt: skip
    assert {r["doc_id"] for r in ranged["results"]} == {"tram"}
    assert ranged["articles_searched"] == 1
    chosen = client.post("/search", json={"query": "fire", "doc_ids": ["chess"]}).json()
    assert {r["doc_id"] for r in chosen["results"]} == {"chess"}
    nothing = client.post("/search", json={"query": "fire", "date_from": "2040-01-01"}).json()
    assert nothing["results"] == [] and nothing["articles_searched"] == 0

    # a misspelt word finds nothing by its letters: the articles' nearest word is offered
    assert body["unknown_words"] == []
    misspelt = client.post("/search", json={"query": "Castelano chess"}).json()
    assert misspelt["unknown_words"] == [{"word": "Castelano", "suggestion": "Castellano"}]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"query": " \u200b "}, "query is empty"),
        ({"query": "tram " * 200}, "query is 999 characters long; the limit is 500"),
        ({"query": "tram", "limit": 0}, "limit"),
        ({"query": "tram", "limit": 51}, "limit"),
        ({"query": "tram", "limit": "10"}, "valid integer"),
        ({"query": "tram", "limit": True}, "valid integer"),
        ({"query": "tram", "limit": 10.0}, "valid integer"),
        ({"query": "tram", "doc_ids": ["no-such-article"]}, "no-such-article"),
        ({"query": "tram", "question": "tram?"}, "question"),
    ],
    ids=[
        "empty",
        "too-long",
        "limit-0",
        "limit-51",
        "limit-string",
        "limit-bool",
        "limit-float",
        "unknown-id",
        "unknown-field",
    ],
)
def test_a_bad_search_is_told_what_to_fix(
    client: httpx.Client, body: dict[str, Any], detail: str
) -> None:
    refused = client.post("/search", json=body)
    assert refused.status_code == 422, refused.text
    assert detail in json.dumps(refused.json())


def current_manifest(client: httpx.Client, data_dir: Path) -> dict[str, Any]:
    """The manifest of the version the server says it serves."""
    served = client.get("/admin/index", headers=ADMIN).json()["served"]
    path = data_dir / "index" / "versions" / served / "manifest.json"
    manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return manifest


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"", "the request body is empty: send a JSON object"),
        (b"{}", "send the article as `text` or as `html` (a saved web page), exactly one of them"),
        (
            b'{"title": "Harbour", "body": "The harbour reopened."}',
            "body: not a field of an article: send the article's text as `text` (or a saved web "
            "page, whole, as `html`)",
        ),
        (b'{"text": "The harbour reopened.", "body": "x"}', "body: Extra inputs are not permitted"),
        (
            b'{"text": "The caf\xe9 reopened."}',
            "the request body is not UTF-8: byte 0xE9 at position 17 (counted from 0, after "
            '\'"text": "The caf\') cannot be read as UTF-8 (invalid continuation byte); '
            "encode the JSON as UTF-8 (convert text in Windows-1252, Latin-1 or another encoding "
            "first)",
        ),
    ],
    ids=["no-body", "neither-text-nor-html", "text-as-body", "extra-field-named-body", "not-utf8"],
)
def test_a_body_refused_as_a_whole_is_told_what_to_send(
    client: httpx.Client, raw: bytes, detail: str
) -> None:
    response = client.post("/documents", content=raw, headers={**ADMIN, **JSON})
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"text": "Share this article\n\nBy John Smith"}, "no usable text"),
        ({"text": "   "}, "text is empty"),
        ({"text": "\u0000"}, "text is empty"),
        ({"text": "\u0000\u0000\u0000"}, "text is empty"),
        ({"text": "\u0007\u0007 \u200b"}, "text is empty"),
        ({"text": "A harbour reopened.\ud800"}, "unpaired surrogate"),
        ({"text": "A harbour reopened on Monday.", "date": "sometime soon"}, "calendar date"),
        ({"text": "A harbour reopened on Monday.", "doc_id": "../escape"}, "doc_id"),
        ({"text": "A harbour reopened on Monday.", "colour": "red"}, "colour"),
        ({"text": "A harbour reopened on Monday.", "date": "03/04/2024"}, "year-month-day"),
        ({"text": "B\ufffdckerei Schr\ufffdder closed on Monday after 90 years."}, "U+FFFD"),
        ({"text": bytes(range(256)).decode("latin-1") * 4}, "binary file"),
        ({"text": "Jos\u00c3\u00a9 Mart\u00c3\u00adnez reopened the caf\u00c3\u00a9."},
         "UTF-8 read as Windows-1252"),
        ({"text": "!!! ??? ...\n\n--- *** ---"}, "no words in the article text"),
        ({"text": "<p>The navy seized a tanker on Monday.</p>\n<p>It had sailed from Riga.</p>"},
         "holds HTML markup"),
    ],
    ids=["boilerplate-only", "blank", "nul", "nuls", "bell-and-invisible", "surrogate",
         "bad-date", "bad-id", "unknown-field", "ambiguous-date", "replacement-characters",
         "binary", "mojibake", "punctuation-only", "html-as-text"],
)  # fmt: skip
def test_unusable_articles_are_refused_with_a_reason(
    client: httpx.Client, setup: Setup, body: dict[str, str], expected: str
) -> None:
    before = doc_ids(client)
    files = sorted(setup.corpus.iterdir())
    # sent with \u escapes, as a lone surrogate travels on the wire
    raw = json.dumps(body).encode("ascii")
    response = client.post("/documents", content=raw, headers={**ADMIN, **JSON})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert expected in response.json()["detail"]
    assert doc_ids(client) == before
    assert sorted(setup.corpus.iterdir()) == files  # nothing left in the corpus folder


def test_control_characters_are_removed_from_an_article(client: httpx.Client) -> None:
    article = {
        "title": "Bell\u0007 tower\u0000 restored",
        "source": "\u0007",  # nothing visible: as if not sent
        "text": "The bell\u0000 tower of Ostra was restored\u200b on Monday.\r\n\r\n"
        "Cafe\u0301s reopened.",
    }
    added = client.post("/documents", content=json.dumps(article), headers={**ADMIN, **JSON})
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["title"] == "Bell tower restored"
    assert body["source"] is None
    assert "\x00" not in body["text"] and "\u200b" not in body["text"]
    assert "The bell tower of Ostra was restored on Monday." in body["text"]
    assert "Cafés reopened." in body["text"]  # NFC
    assert client.delete(f"/documents/{body['doc_id']}", headers=ADMIN).status_code == 204


def test_windows_1252_text_decoded_as_latin1_is_stored_as_written(client: httpx.Client) -> None:
    """Its quotes and euro sign arrive as C1 controls; they used to be removed ("the ports
    director said We lost 2.5 million"). Read as Windows-1252, and the answer says so."""
    said = (
        "The port\u2019s director said \u201cWe lost \u20ac2.5 million in trade,\u201d she told "
        "reporters on Monday."
    )
    article = {"title": "Port of Skarra counts its losses",
               "text": said.encode("cp1252").decode("latin-1")}  # fmt: skip
    added = client.post("/documents", content=json.dumps(article), headers={**ADMIN, **JSON})
    assert added.status_code == 201, added.text
    body = added.json()
    try:
        assert body["text"] == said
        assert body["warnings"] == [
            "text: 4 C1 control character(s) (U+0080-U+009F) were read as the Windows-1252 "
            "characters of their bytes (\u2019 \u201c \u20ac \u201d): the text was decoded as "
            "Latin-1 (ISO-8859-1) though it was Windows-1252; decode it as Windows-1252 (cp1252)"
        ]
        again = client.post("/documents", content=json.dumps(article), headers={**ADMIN, **JSON})
        assert again.status_code == 200 and again.json()["warnings"] == body["warnings"]
        # UTF-8 read as Latin-1 is refused as mojibake now ("â€™"), not stored as "portâs"
        utf8 = {"text": said.encode("utf-8").decode("latin-1")}
        refused = client.post("/documents", content=json.dumps(utf8), headers={**ADMIN, **JSON})
        assert refused.status_code == 422 and "UTF-8 read as Windows-1252" in refused.text
    finally:
        assert client.delete(f"/documents/{body['doc_id']}", headers=ADMIN).status_code == 204


MARKDOWN_ARTICLE = """# Pyongyang opens new metro line to foreign visitors

*By Tom Carver* | **Published:** 2024-09-12

North Korea **opened** a _new_ metro line to foreign visitors on Thursday, according to
[KCNA](https://kcna.kp/en/article/123), the state news agency.

![A train at Puhung station](https://example.com/train.jpg)

The new line runs **twelve kilometres** between _Puhung_ and [Kaeson](https://example.com/k)
stations, said guide Kim Song-il.

- Tickets cost *five euros* for visitors.
"""


def test_a_markdown_article_is_read_as_markdown_and_answers_without_markup(
    client: httpx.Client,
) -> None:
    """Pasted Markdown (a notes app, an LLM tool): its `# heading` is the title, its byline and
    date line give the author and date, and no `**`, `_` or `[]()` reaches the text or a quote;
    it used to be stored as it was, the headline quoted as an answer."""
    added = client.post("/documents", json={"text": MARKDOWN_ARTICLE}, headers=ADMIN)
    assert added.status_code == 201, added.text
    body = added.json()
    try:
        assert (body["title"], body["has_title"], body["author"], body["date"]) == (
            "Pyongyang opens new metro line to foreign visitors",
            True,
            "Tom Carver",
            "2024-09-12",
        )
        assert body["text"].startswith("North Korea opened a new metro line to foreign visitors")
        for markup in ("**", "_", "[", "](", "#", "https://"):
            assert markup not in body["text"], markup
        answer = client.post(
            "/ask", json={"question": "How long is the new Pyongyang metro line?"}
        ).json()
        assert answer["status"] == "answered", answer
        assert "twelve kilometres between Puhung and Kaeson stations" in answer["answer"], answer
        for markup in ("**", "_", "[K", "](", "#"):
            assert markup not in answer["answer"], answer["answer"]
        citation = answer["citations"][0]
        assert citation["doc_id"] == body["doc_id"]
        assert (citation["title"], citation["author"], citation["date"]) == (
            "Pyongyang opens new metro line to foreign visitors",
            "Tom Carver",
            "2024-09-12",
        )
        assert "**" not in citation["text"] and "](" not in citation["text"]
    finally:
        assert client.delete(f"/documents/{body['doc_id']}", headers=ADMIN).status_code == 204


def test_concurrent_writers_are_serialised(client: httpx.Client, setup: Setup) -> None:
    statuses: list[int] = []

    def add(n: int) -> None:
        article = {
            "title": f"Harbour report number {n}",
            "text": f"Harbour report {n}: the pier {n} was repaired and reopened to boats.",
        }
        with setup.server.client() as c:
            statuses.append(c.post("/documents", json=article, headers=ADMIN).status_code)

    threads = [threading.Thread(target=add, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) in ([201, 201], [201, 409]), statuses
    listed = [d for d in doc_ids(client) if d.startswith("harbour-report-number")]
    assert len(listed) == statuses.count(201)
    for doc_id in listed:
        assert client.delete(f"/documents/{doc_id}", headers=ADMIN).status_code == 204


def test_date_range_filters_retrieval(client: httpx.Client) -> None:
    question = "What happened in the city on the first day?"
    wide = client.post("/ask", json={"question": question}).json()
    assert {p["doc_id"] for p in wide["retrieved"]} >= {"tram", "bakery", "chess"}

    march_4 = client.post(
        "/ask", json={"question": question, "date_from": "2031-03-04", "date_to": "2031-03-04"}
    ).json()
    assert {p["doc_id"] for p in march_4["retrieved"]} == {"tram"}
    assert all(p["date"] == "2031-03-04" for p in march_4["retrieved"])

    later = client.post("/ask", json={"question": question, "date_from": "2031-03-05"}).json()
    assert {p["doc_id"] for p in later["retrieved"]} == {"bakery"}  # undated chess left out

    nothing = client.post("/ask", json={"question": question, "date_to": "2000-01-01"}).json()
    assert nothing["status"] == "insufficient_evidence"
    assert nothing["retrieved"] == []
    assert nothing["reason"].startswith("no article is dated within the date range")

    backwards = client.post(
        "/ask", json={"question": question, "date_from": "2031-03-06", "date_to": "2031-03-01"}
    )
    assert backwards.status_code == 422
    assert "after date_to" in backwards.json()["detail"]
    assert client.post("/ask", json={"question": question, "date_from": "March"}).status_code == 422


def test_a_name_none_of_the_articles_searched_holds_is_declined_saying_so(
    client: httpx.Client,
) -> None:
    # the fire chief is in the bakery story only: the tram story's quote is someone else's
    question = "What did Daniel Osei say about the first day?"
    tram_day = {"date_from": "2031-03-04", "date_to": "2031-03-04"}
    body = client.post("/ask", json={"question": question, **tram_day}).json()
    assert body["status"] == "insufficient_evidence", body
    assert body["reason"].startswith(
        "no article left to search by the date range mentions “Daniel”"
    ), body
    assert {p["doc_id"] for p in body["retrieved"]} == {"tram"}  # the closest, to check
    only_bakery = client.post(
        "/ask", json={"question": "What did Priya Lindqvist say?", "doc_ids": ["bakery"]}
    ).json()
    assert only_bakery["status"] == "insufficient_evidence", only_bakery
    assert "by the articles asked for mentions “Priya”, “Lindqvist”" in only_bakery["reason"]
    # the same restriction, about the one it names: answered as before
    named = client.post(
        "/ask", json={"question": "What did Priya Lindqvist say about passengers?", **tram_day}
    ).json()
    assert named["status"] == "answered", named
    assert named["citations"][0]["doc_id"] == "tram"


def test_a_question_can_be_asked_of_some_articles_only(client: httpx.Client) -> None:
    question = "Who won the national chess championship?"
    everywhere = client.post("/ask", json={"question": question}).json()
    assert everywhere["status"] == "answered", everywhere
    assert everywhere["citations"][0]["doc_id"] == "chess"

    chess = client.post("/ask", json={"question": question, "doc_ids": ["chess"]}).json()
    assert chess["status"] == "answered" and {p["doc_id"] for p in chess["retrieved"]} == {"chess"}

    elsewhere = client.post("/ask", json={"question": question, "doc_ids": ["tram", "bakery"]})
    body = elsewhere.json()
    assert elsewhere.status_code == 200 and body["status"] == "insufficient_evidence", body
    assert {p["doc_id"] for p in body["retrieved"]} <= {"tram", "bakery"}
    assert "the articles asked for left 2 of the" in body["reason"]

    with_dates = client.post(
        "/ask", json={"question": question, "doc_ids": ["chess"], "date_from": "2031-01-01"}
    ).json()  # chess is undated: nothing is left to search
    assert with_dates["reason"].startswith(
        "no article is left to search by the date range and the articles asked for"
    )

    unknown = client.post("/ask", json={"question": question, "doc_ids": ["chess", "nowhere"]})
    assert unknown.status_code == 422
    assert "no article has the id(s) 'nowhere'" in unknown.json()["detail"]
    streamed = client.post("/ask/stream", json={"question": question, "doc_ids": ["nowhere"]})
    assert streamed.status_code == 422  # refused before any event is sent
    for bad in ([], ["has space"], "chess"):
        assert client.post("/ask", json={"question": question, "doc_ids": bad}).status_code == 422
