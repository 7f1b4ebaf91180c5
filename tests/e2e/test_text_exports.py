"""Classic LexisNexis text exports end to end: a folder holding an export of three articles
(written with CRLF line ends and a byte-order mark, as Windows saves it; tests/nexis_text_files.py)
and an ordinary article that mentions "1 of 3 DOCUMENTS" builds one index with the real script;
a real server answers a question from the export's second article and cites that article's
paragraph with its own title, publication, date and byline. An export sent to
POST /documents/import as a .txt is imported an article an item; sent to POST /documents as one
article's text it is refused, saying where to send it.

The server answers without a language model (the best-scoring sentence).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import BuiltCorpus, api_answer, corpus_server
from tests.nexis_text_files import EXPORT, FERRY, TextItem, export_text, write_export

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-text-exports-admin-key-12345"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
RECORDS = (
    "Archive clerks lose a request\n\n"
    "The clerk in Vessby printed page 1 of 3 DOCUMENTS before the copier jammed on Monday.\n"
)


def fill(corpus: Path) -> None:
    write_export(corpus / "Results 2024-03-19.TXT", EXPORT, crlf=True, encoding="utf-8-sig")
    (corpus / "records.txt").write_text(RECORDS, encoding="utf-8")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltCorpus]:
    with corpus_server(
        tmp_path_factory, "text-export", fill, QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY
    ) as built:
        yield built


@pytest.fixture(scope="module")
def client(setup: BuiltCorpus) -> Iterator[httpx.Client]:
    with setup.server.client() as c:
        yield c


def test_the_export_gives_an_article_an_item_and_the_other_text_stays_one(
    client: httpx.Client,
) -> None:
    listing = client.get("/documents").json()
    by_title = {d["title"]: d for d in listing["documents"]}
    assert set(by_title) == {item.title for item in EXPORT} | {"Archive clerks lose a request"}
    assert by_title["Archive clerks lose a request"]["doc_id"] == "records"
    ferry = by_title[FERRY.title]
    assert (ferry["source"], ferry["date"]) == ("Vessby Evening Post", "2019-11-12")
    article = client.get(f"/documents/{ferry['doc_id']}").json()
    assert [p["text"] for p in article["paragraphs"]] == FERRY.paragraphs


def test_an_answer_cites_the_exports_right_article_and_paragraph(setup: BuiltCorpus) -> None:
    body = api_answer(
        setup.server, {"question": "Which months will the night ferry to Tarn Island not sail?"}
    )
    assert body["status"] == "answered", body
    assert "between December and March" in body["answer"]
    citation = body["citations"][0]
    assert (citation["title"], citation["source"], citation["date"], citation["author"]) == (
        FERRY.title,
        "Vessby Evening Post",
        "2019-11-12",
        "Jonas Ek",  # "BYLINE: JONAS EK"
    )
    assert citation["text"] == FERRY.paragraphs[0]


def test_an_export_is_imported_as_its_articles_and_refused_as_one(client: httpx.Client) -> None:
    school = TextItem(
        title="Harbour school opens a sailing class",
        source="Vessby Evening Post",
        date_line="April 2, 2021 Friday",
        byline="By Lena Dahl",
        paragraphs=["The harbour school will teach sailing to 40 pupils from May, its head said."],
    )
    content = export_text([school, FERRY])  # the ferry story is indexed already
    as_one = client.post(
        "/documents", json={"title": "Results", "text": content}, headers=ADMIN, timeout=300
    )
    assert as_one.status_code == 422, as_one.text
    assert "LexisNexis export of 2 article(s)" in as_one.text
    assert "POST /documents/import" in as_one.text

    sent = {"name": "Results 2.TXT", "content": content}
    first = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert first.status_code == 201, first.text
    report = first.json()
    (added,) = report["added"]
    assert (added["title"], added["source"], added["date"]) == (
        school.title,
        "Vessby Evening Post",
        "2021-04-02",
    )
    assert len(report["unchanged"]) == 1 and report["refused"] == [], report
    again = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert again.status_code == 200 and again.json()["added"] == [], again.text
    plain = client.post(
        "/documents/import", json={"name": "notes.txt", "content": RECORDS}, headers=ADMIN
    )
    assert plain.status_code == 422, plain.text
    assert "notes.txt is not a LexisNexis text export" in plain.text
    assert client.delete(f"/documents/{added['doc_id']}", headers=ADMIN).status_code == 204
