"""Factiva HTML exports end to end: a folder holding an export of three articles (the layout
with its table of coded fields; tests/factiva_files.py) and an ordinary news page with a table
builds one index with the real script; a real server answers a question from the export's
second article and cites that article's paragraph with its own title, source, date and byline,
its id the accession number. An export in the article format sent to POST /documents/import
as an .html is imported an article an item; sent to POST /documents as one page it is refused,
saying where to send it; a page that is no export is refused by the import.

The server answers without a language model (the best-scoring sentence).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import BuiltCorpus, api_answer, corpus_server
from tests.factiva_files import EXPORT, LANTERNS, TRAM, FactivaItem, export_page, write_export
from tests.unit.test_factiva import NEWS_PAGE

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-factiva-exports-admin-key-1234"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def fill(corpus: Path) -> None:
    write_export(corpus / "Factiva-20240319.html", EXPORT)
    (corpus / "council-vote.html").write_text(NEWS_PAGE, encoding="utf-8")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltCorpus]:
    with corpus_server(
        tmp_path_factory, "factiva", fill, QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY
    ) as built:
        yield built


@pytest.fixture(scope="module")
def client(setup: BuiltCorpus) -> Iterator[httpx.Client]:
    with setup.server.client() as c:
        yield c


def test_the_export_gives_an_article_an_item_and_the_other_page_stays_one(
    client: httpx.Client,
) -> None:
    listing = client.get("/documents").json()
    by_id = {d["doc_id"]: d for d in listing["documents"]}
    assert set(by_id) == {item.accession for item in EXPORT} | {"council-vote"}
    assert by_id["council-vote"]["title"] == "Council vote count published"
    tram = by_id[TRAM.accession or ""]
    assert (tram["title"], tram["source"], tram["date"]) == (
        TRAM.title,
        "Skarra Daily",
        "2022-05-02",
    )
    article = client.get(f"/documents/{TRAM.accession}").json()
    assert [p["text"] for p in article["paragraphs"]] == TRAM.paragraphs


def test_an_answer_cites_the_exports_right_article_and_paragraph(setup: BuiltCorpus) -> None:
    body = api_answer(
        setup.server, {"question": "How many new stops does the Skarra tram extension add?"}
    )
    assert body["status"] == "answered", body
    assert "five new stops" in body["answer"]
    citation = body["citations"][0]
    assert citation["doc_id"] == TRAM.accession
    assert (citation["title"], citation["source"], citation["date"], citation["author"]) == (
        TRAM.title,
        "Skarra Daily",
        "2022-05-02",
        "Tomas Brenner",
    )
    assert citation["text"] == TRAM.paragraphs[1]


def test_an_export_is_imported_as_its_articles_and_refused_as_one_page(
    client: httpx.Client,
) -> None:
    # a page that declares windows-1252 arrives as text: read as sent, not in that charset
    ferry = FactivaItem(
        title="Brännö ferry gets a second boat",
        source="Vessby Evening Post",
        date="3 June 2024",
        author="By Lena Dahl",
        accession="VSBYEP0020240603ek630009z",
        paragraphs=["The Brännö ferry will run a second boat from June, the harbour office said."],
    )
    content = export_page([ferry, LANTERNS], layout="format").replace(
        "charset=UTF-8", "charset=windows-1252"
    )  # the lantern story is indexed already
    as_one = client.post("/documents", json={"html": content}, headers=ADMIN, timeout=300)
    assert as_one.status_code == 422, as_one.text
    assert "the page is a Factiva export of 2 article(s)" in as_one.text
    assert "POST /documents/import" in as_one.text

    sent = {"name": "Factiva 2.htm", "content": content}
    first = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert first.status_code == 201, first.text
    report = first.json()
    (added,) = report["added"]
    assert (added["doc_id"], added["title"], added["source"], added["date"]) == (
        ferry.accession,
        ferry.title,
        "Vessby Evening Post",
        "2024-06-03",
    )
    assert report["unchanged"] == [LANTERNS.accession] and report["refused"] == [], report
    again = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert again.status_code == 200 and again.json()["added"] == [], again.text
    plain = client.post(
        "/documents/import", json={"name": "council.html", "content": NEWS_PAGE}, headers=ADMIN
    )
    assert plain.status_code == 422, plain.text
    assert "council.html is not a Factiva export" in plain.text
    assert client.delete(f"/documents/{ferry.accession}", headers=ADMIN).status_code == 204
