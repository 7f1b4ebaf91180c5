"""Word documents end to end: a folder holding a Nexis Uni export of three articles (made with
python-docx in the layout Nexis gives one, tests/word_files.py), a plain Word article and a
broken .docx builds one index with the real script; a real server answers a question from the
second article of the export and cites that article's paragraph with its own title,
publication, date and byline.

The server answers without a language model (the best-scoring sentence).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import BuiltCorpus, api_answer, corpus_server
from tests.word_files import EXPORT, FERRY, NexisItem, nexis_export, word_article

pytestmark = pytest.mark.e2e

ADMIN_KEY = "e2e-word-exports-admin-key-12345"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def fill(corpus: Path) -> None:
    nexis_export(corpus / "Nexis results 2024-03-20.docx", EXPORT)
    word_article(
        corpus / "quay.docx",
        headline="North quay repaired in a week",
        paragraphs=[
            "Divers and two cranes repaired the north quay in Vessby in seven days, the port "
            "board said on Friday, half the time it had planned.",
        ],
    )
    (corpus / "locked.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltCorpus]:
    with corpus_server(
        tmp_path_factory, "word", fill, QA_SECURITY__ADMIN_API_KEY=ADMIN_KEY
    ) as built:
        yield built


@pytest.fixture(scope="module")
def client(setup: BuiltCorpus) -> Iterator[httpx.Client]:
    with setup.server.client() as c:
        yield c


def test_the_export_gives_an_article_an_item_and_the_locked_file_is_named(
    setup: BuiltCorpus, client: httpx.Client
) -> None:
    assert "skipped locked.docx: a password-protected Word document" in setup.build_output
    listing = client.get("/documents").json()
    by_title = {d["title"]: d for d in listing["documents"]}
    assert set(by_title) == {item.title for item in EXPORT} | {"North quay repaired in a week"}
    lighthouse = by_title[EXPORT[0].title]
    assert (lighthouse["source"], lighthouse["date"]) == ("The Brindle Coast Courier", "2019-03-03")
    # only the article's text: no "Length:", "Classification" or "Load-Date:" paragraph
    article = client.get(f"/documents/{lighthouse['doc_id']}").json()
    assert [p["text"] for p in article["paragraphs"]] == EXPORT[0].paragraphs


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
        "Jonas Ek",
    )
    assert citation["text"] == FERRY.paragraphs[0]


def test_an_export_sent_as_base64_is_imported_an_article_an_item(
    client: httpx.Client, tmp_path: Path
) -> None:
    """POST /documents/import takes a Word document's bytes as `content_base64`: its articles
    are imported as an export's records are; sent again, nothing is added."""
    school = NexisItem(
        title="Harbour school opens a sailing class",
        source="Vessby Evening Post",
        date_line="April 2, 2021 Friday",
        byline="By Lena Dahl",
        paragraphs=["The harbour school will teach sailing to 40 pupils from May, its head said."],
    )
    export = tmp_path / "results.docx"
    nexis_export(export, [school, FERRY])  # the ferry story is indexed already
    encoded = base64.b64encode(export.read_bytes()).decode()
    sent = {"name": "results.docx", "content_base64": encoded}
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
    assert report["stored_as"].startswith("import-") and report["stored_as"].endswith(".jsonl")
    again = client.post("/documents/import", json=sent, headers=ADMIN, timeout=300)
    assert again.status_code == 200 and again.json()["added"] == [], again.text
    # its text as `content` is told to send the bytes
    as_text = client.post(
        "/documents/import", json={"name": "results.docx", "content": "x"}, headers=ADMIN
    )
    assert as_text.status_code == 422 and "content_base64" in as_text.text, as_text.text
    assert client.delete(f"/documents/{added['doc_id']}", headers=ADMIN).status_code == 204
