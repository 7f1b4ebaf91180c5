"""A Nexis Uni export saved as PDF end to end: a folder holding the export
(tests/fixtures/pdf/nexis-export.pdf) and an ordinary PDF article builds one index with the
real script; a real server answers a question from the export's second article and cites it
with its own title, publication, date and byline; the same PDF sent to POST /documents/import
as `content_base64` is read as its articles (all indexed already: nothing added).

The server answers without a language model (the best-scoring sentence).
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, api_answer, corpus_server
from tests.nexis_pdf_files import NEXIS_PDF, PDF_EXPORT
from tests.word_files import FERRY

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-nexis-pdf-admin-key-12345"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def fill(corpus: Path) -> None:
    shutil.copy(NEXIS_PDF, corpus / "Nexis results 2024-03-20.pdf")
    shutil.copy(NEXIS_PDF.parent / "harbour-print.pdf", corpus / "harbour-print.pdf")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with corpus_server(
        tmp_path_factory, "nexis-pdf", fill, QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY
    ) as built:
        yield built.server


def test_the_export_gives_an_article_an_item(server: Server) -> None:
    with server.client() as client:
        titles = {d["title"] for d in client.get("/documents").json()["documents"]}
    assert titles == {item.title for item in PDF_EXPORT} | {"Skarra harbour reopens after storms"}


def test_an_answer_cites_the_exports_right_article(server: Server) -> None:
    body = api_answer(
        server, {"question": "Which months will the night ferry to Tarn Island not sail?"}
    )
    assert body["status"] == "answered", body
    citation = body["citations"][0]
    assert (citation["title"], citation["source"], citation["date"], citation["author"]) == (
        FERRY.title, "Vessby Evening Post", "2019-11-12", "Jonas Ek",
    )  # fmt: skip
    assert citation["text"] == FERRY.paragraphs[0]


def test_the_export_sent_in_base64_is_read_as_its_articles(server: Server) -> None:
    encoded = base64.b64encode(NEXIS_PDF.read_bytes()).decode()
    sent = {"name": "results.pdf", "content_base64": encoded}
    with server.client() as client:
        answer = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert answer.status_code == 200, answer.text  # every article is indexed already
    report = answer.json()
    assert report["added"] == [] and len(report["unchanged"]) == 3, report
