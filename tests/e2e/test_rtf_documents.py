"""RTF documents end to end: a folder holding an article saved as RTF (a Windows-1252 letter as a
`\\'xx` byte, a line break within a paragraph), a Nexis Uni export and a Factiva export
downloaded as RTF builds one index with the real script; a real server answers a question from
each and cites the right article and paragraph (a Factiva article under its accession number).
An RTF sent to POST /documents/import as `content_base64` is one article, stored as sent, or an
export's articles (Factiva's layout with its indexing too: the articles the folder's
article-format download holds are unchanged, under the same ids); sent as `content` it is
refused, saying how to send it.

The server answers without a language model (the best-scoring sentence).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests import factiva_files
from tests.e2e.conftest import BuiltCorpus, api_answer, corpus_server
from tests.rtf_files import (
    factiva_indexed_rtf,
    factiva_rtf_paragraphs,
    nexis_uni_rtf,
    rtf_document,
)
from tests.word_files import EXPORT, FERRY, NexisItem, nexis_paragraphs

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-rtf-documents-admin-key-12345"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
MARKET = [
    "Skarra fish market moves to the old ferry shed",
    "By Ines Varga",
    "The fish market of Skarra will move into the old ferry shed on the north quay in May, "
    "the town's harbour committee decided on Tuesday.",
    "The shed has room for 36 stalls, twelve more than the market hall on Strandgatan, and "
    "the café\nbeside it stays open.",
]


def fill(corpus: Path) -> None:
    (corpus / "Skarra fish market.rtf").write_bytes(rtf_document(MARKET))
    nexis_uni_rtf(corpus / "Nexis Uni results.RTF", EXPORT)
    factiva = factiva_rtf_paragraphs(factiva_files.EXPORT)
    (corpus / "Factiva-20230314-1012.rtf").write_bytes(rtf_document(factiva))


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltCorpus]:
    with corpus_server(
        tmp_path_factory, "rtf", fill, QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY
    ) as built:
        yield built


@pytest.fixture(scope="module")
def client(setup: BuiltCorpus) -> Iterator[httpx.Client]:
    with setup.server.client() as c:
        yield c


def test_the_article_is_one_and_the_export_an_article_an_item(
    setup: BuiltCorpus, client: httpx.Client
) -> None:
    assert "skipped 0 file(s) or archive record(s)" in setup.build_output, setup.build_output
    by_title = {d["title"]: d for d in client.get("/documents").json()["documents"]}
    factiva_titles = {item.title for item in factiva_files.EXPORT}
    assert set(by_title) == {item.title for item in EXPORT} | {MARKET[0]} | factiva_titles
    lanterns = factiva_files.LANTERNS
    assert by_title[lanterns.title]["doc_id"] == lanterns.accession
    assert by_title[MARKET[0]]["doc_id"] == "Skarra-fish-market"
    market = client.get("/documents/Skarra-fish-market").json()
    assert market["author"] == "Ines Varga"
    # a line break within a paragraph is read as a text file's wrapped line is
    assert [p["text"] for p in market["paragraphs"]] == [p.replace("\n", " ") for p in MARKET[2:]]
    ferry = by_title[FERRY.title]
    assert (ferry["source"], ferry["date"]) == ("Vessby Evening Post", "2019-11-12")


def test_answers_cite_the_rtf_article_and_the_exports_item(setup: BuiltCorpus) -> None:
    body = api_answer(setup.server, {"question": "How many stalls does the old ferry shed have?"})
    assert body["status"] == "answered", body
    assert "36 stalls" in body["answer"]
    citation = body["citations"][0]
    assert (citation["doc_id"], citation["title"]) == ("Skarra-fish-market", MARKET[0])
    assert "café" in citation["text"]

    body = api_answer(
        setup.server, {"question": "Which months will the night ferry to Tarn Island not sail?"}
    )
    assert body["status"] == "answered", body
    assert "between December and March" in body["answer"]
    citation = body["citations"][0]
    assert (citation["title"], citation["source"], citation["date"]) == (
        FERRY.title,
        "Vessby Evening Post",
        "2019-11-12",
    )
    assert citation["text"] == FERRY.paragraphs[0]

    body = api_answer(
        setup.server, {"question": "How many paper lanterns will fishing boats carry?"}
    )
    assert body["status"] == "answered", body
    assert "400 paper lanterns" in body["answer"]
    citation = body["citations"][0]
    lanterns = factiva_files.LANTERNS
    assert (citation["doc_id"], citation["title"], citation["source"], citation["date"]) == (
        lanterns.accession,
        lanterns.title,
        "Vessby Evening Post",
        "2023-03-14",
    )


def test_rtf_is_imported_in_base64_as_one_article_or_as_an_export(client: httpx.Client) -> None:
    article = rtf_document(
        ["Kessel quay gets a crane", "A 40-tonne crane will be put up on Kessel quay in June."]
    )
    sent = {"name": "crane.rtf", "content_base64": base64.b64encode(article).decode()}
    first = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert first.status_code == 201, first.text
    (added,) = first.json()["added"]
    assert added["title"] == "Kessel quay gets a crane"
    assert first.json()["stored_as"] == f"{added['doc_id']}.rtf"
    again = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert again.status_code == 200 and again.json()["unchanged"] == [added["doc_id"]], again.text

    school = NexisItem(
        title="Harbour school opens a sailing class",
        source="Vessby Evening Post",
        date_line="April 2, 2021 Friday",
        byline="By Lena Dahl",
        paragraphs=["The harbour school will teach sailing to 40 pupils from May, its head said."],
    )
    data = rtf_document(nexis_paragraphs([school, FERRY]))
    sent = {"name": "Results 2.rtf", "content_base64": base64.b64encode(data).decode()}
    imported = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert imported.status_code == 201, imported.text
    report = imported.json()
    assert [a["title"] for a in report["added"]] == [school.title]
    assert len(report["unchanged"]) == 1 and report["refused"] == [], report

    as_text = client.post(
        "/documents/import", json={"name": "crane.rtf", "content": "{\\rtf1 x}"}, headers=ADMIN
    )
    assert as_text.status_code == 422, as_text.text
    assert "content_base64" in as_text.text
    for doc_id in (added["doc_id"], report["added"][0]["doc_id"]):
        assert client.delete(f"/documents/{doc_id}", headers=ADMIN).status_code == 204


def test_factivas_layout_with_its_indexing_is_imported_an_article_an_item(
    setup: BuiltCorpus, client: httpx.Client
) -> None:
    boathouse = factiva_files.FactivaItem(
        title="Rowing club buys the old boathouse",
        source="Skarra Daily",
        date="19 June 2024",
        author="By Tomas Brenner",
        accession="SKARDY0020240619ek6j0002l",
        lead=1,
        paragraphs=[
            "The Skarra rowing club bought the old boathouse on the canal for 2.1 million "
            "crowns on Wednesday.",
            "The club will keep its 14 boats there from August and open a rowing school.",
        ],
    )
    data = factiva_indexed_rtf([factiva_files.LANTERNS, boathouse])
    sent = {"name": "Factiva-20240619.rtf", "content_base64": base64.b64encode(data).decode()}
    imported = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert imported.status_code == 201, imported.text
    report = imported.json()
    # the folder's article-format RTF holds the lanterns article: the same id, the same fields
    assert report["unchanged"] == [factiva_files.LANTERNS.accession], report
    assert [a["doc_id"] for a in report["added"]] == [boathouse.accession]
    assert report["refused"] == [] and report["stored_as"].startswith("import-"), report
    article = client.get(f"/documents/{boathouse.accession}").json()
    assert (article["title"], article["date"], article["source"], article["author"]) == (
        boathouse.title,
        "2024-06-19",
        "Skarra Daily",
        "Tomas Brenner",
    )
    # the lead paragraph then the text; no codes, word count or AN line among them
    assert [p["text"] for p in article["paragraphs"]] == boathouse.paragraphs

    body = api_answer(setup.server, {"question": "How many boats will the rowing club keep?"})
    assert body["status"] == "answered", body
    assert "14 boats" in body["answer"]
    assert body["citations"][0]["doc_id"] == boathouse.accession
    deleted = client.delete(f"/documents/{boathouse.accession}", headers=ADMIN)
    assert deleted.status_code == 204, deleted.text
