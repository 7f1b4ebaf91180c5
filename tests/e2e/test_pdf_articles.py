"""Articles saved as PDF end to end: a folder holding a news page printed to PDF (by Chromium,
tests/fixtures/make_pdfs.py) and a text file builds one index with the real script; a real
server answers from the PDF's paragraph and cites it with the address its footer printed; a
PDF is added over HTTP as `content_base64` to POST /documents/import, and a retry adds nothing.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, api_answer, build_index, start_server, stop_server

pytestmark = pytest.mark.e2e

PDFS = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
ADMIN_KEY = "e2e-pdf-articles-admin-key-12345"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
ADDRESS = "https://coasttimes.example/news/skarra-harbour-reopens"


@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    corpus = tmp_path_factory.mktemp("pdf-corpus")
    shutil.copy(PDFS / "harbour-print.pdf", corpus / "harbour-print.pdf")
    (corpus / "orchard.txt").write_text(
        "Frost destroys apples in the Brenna valley\n\nA late frost destroyed about 3,000 "
        "tonnes of apples in the Brenna valley last week, the growers' association said.\n",
        encoding="utf-8",
    )
    data_dir = tmp_path_factory.mktemp("pdf-data")
    build_index(corpus, data_dir)
    log = tmp_path_factory.mktemp("pdf-logs") / "server.log"
    running = start_server(data_dir, log, QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY)
    yield running
    stop_server(running)


def test_a_question_is_answered_from_a_pdf_and_cites_its_paragraph(pdf_server: Server) -> None:
    answer = api_answer(
        pdf_server, {"question": "How much will the repairs to the harbour of Skarra cost?"}
    )
    assert answer["status"] == "answered"
    cited = answer["citations"][0]
    assert cited["doc_id"] == "harbour-print"
    assert "2.4 million euros" in cited["text"]
    assert cited["title"] == "Skarra harbour reopens after storms"
    assert cited["url"] == ADDRESS  # printed in the PDF's footer
    assert cited["date"] == "2031-03-03"  # the byline's, not the day it was printed
    with pdf_server.client() as client:
        document = client.get("/documents/harbour-print").json()
    paragraph = document["paragraphs"][cited["index"]]
    assert paragraph["text"] == cited["text"]
    assert document["text"][paragraph["start"] : paragraph["end"]] == cited["text"]
    assert "Podcasts" not in document["text"] and "1/2" not in document["text"]


def test_a_pdf_is_imported_as_base64_and_a_retry_adds_nothing(pdf_server: Server) -> None:
    sent = {
        "name": "Council notes.pdf",
        "content_base64": base64.b64encode((PDFS / "council-notes.pdf").read_bytes()).decode(),
    }
    with pdf_server.client(timeout=300) as client:
        first = client.post("/documents/import", json=sent, headers=ADMIN)
        assert first.status_code == 201, first.text
        report = first.json()
        (added,) = report["added"]
        assert added["title"] == "Council budget notes"
        assert added["date"] == "2031-04-12"  # no byline or date line: the document's metadata
        assert added["paragraphs"] == 16
        assert report["stored_as"] == f"{added['doc_id']}.pdf"
        assert report["refused"] == [] and report["unchanged"] == []
        again = client.post("/documents/import", json=sent, headers=ADMIN)
        assert again.status_code == 200, again.text
        assert again.json()["added"] == [] and again.json()["unchanged"] == [added["doc_id"]]
        listed = client.get("/documents", params={"q": "council budget"}).json()
        assert [d["doc_id"] for d in listed["documents"]] == [added["doc_id"]]
        assert client.delete(f"/documents/{added['doc_id']}", headers=ADMIN).status_code == 204


def test_a_pdf_sent_otherwise_is_told_how_to_send_it(pdf_server: Server) -> None:
    pdf = (PDFS / "harbour-short.pdf").read_bytes()
    with pdf_server.client() as client:
        as_text = client.post(
            "/documents/import", json={"name": "a.pdf", "content": pdf.decode("latin-1")},
            headers=ADMIN,
        )  # fmt: skip
        assert as_text.status_code == 422
        assert "is a document, not text: send its bytes in base64 as `content_base64`" in (
            as_text.text
        )
        both = client.post(
            "/documents/import", json={"name": "a.pdf", "content": "x", "content_base64": "eA=="},
            headers=ADMIN,
        )  # fmt: skip
        assert both.status_code == 422 and "exactly one of them" in both.text
        not_base64 = client.post(
            "/documents/import", json={"name": "a.pdf", "content_base64": "%%%"}, headers=ADMIN
        )
        assert not_base64.status_code == 422 and "content_base64 is not base64" in not_base64.text
        locked = client.post(
            "/documents/import",
            json={"name": "locked.pdf",
                  "content_base64": base64.b64encode((PDFS / "locked.pdf").read_bytes()).decode()},
            headers=ADMIN,
        )  # fmt: skip
        assert locked.status_code == 422 and "encrypted: it needs a password" in locked.text
        page = client.post("/documents", json={"html": pdf.decode("latin-1")}, headers=ADMIN)
        assert page.status_code == 422
        assert "send it to POST /documents/import as content_base64" in page.text
