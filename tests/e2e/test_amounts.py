"""Amounts written short and written out find each other, end to end: over a real server on a
folder of budget stories that differ mostly in their amounts, `/search` for "£620m" finds the
paragraph that says "£620 million" first and marks the amount in it, and `/ask` answers a
question that writes "£620m" from it; the reverse, "$3 billion" for an article that says
"$3bn", likewise (the answer's paragraph retrieved first). "100m" (metres) is not read as an
amount.

The server answers without a language model (the best-scoring sentence).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import BuiltCorpus, api_answer, corpus_server

pytestmark = pytest.mark.e2e

ARTICLES = {
    "northgate-tram": (
        "Northgate tram line approved\n\n"
        "The city council approved a £620 million budget for the Northgate tram line on "
        "Tuesday, with the first trams due to run in 2029.\n\n"
        "Work on the depot at Millbrook will start in the spring."
    ),
    "eastbank-bridge": (
        "Eastbank bridge repairs agreed\n\n"
        "The county council agreed a £62 million budget for repairs to the Eastbank bridge, "
        "which has been closed to lorries since March.\n\n"
        "Engineers found cracks in two of the bridge's piers last year."
    ),
    "school-roofs": (
        "Schools to get new roofs\n\n"
        "The education board set aside £260 million for new roofs on forty schools, a budget "
        "that will be spent over four years.\n\n"
        "Head teachers said some classrooms had been closed after heavy rain."
    ),
    "grid-cables": (
        "Utility to bury power lines\n\n"
        "Harlan Power will spend $3bn burying its overhead lines in the hill counties, where "
        "storms cut the power to 80,000 homes last winter.\n\n"
        "The work is expected to take six years."
    ),
    "solar-farm": (
        "Solar farm for the county fairground\n\n"
        "The county will spend $3 million on a solar farm beside the fairground, which it "
        "expects to pay for itself within twelve years.\n\n"
        "The panels will cover the old overflow car park."
    ),
    "sprint-final": (
        "Okafor wins the 100m final\n\n"
        "Grace Okafor won the 100m final at the county championships in 11.2 seconds, a "
        "meeting record.\n\n"
        "Her club mate took the bronze."
    ),
}


def fill(corpus: Path) -> None:
    for doc_id, text in ARTICLES.items():
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltCorpus]:
    with corpus_server(tmp_path_factory, "amounts", fill) as built:
        yield built


@pytest.fixture(scope="module")
def client(setup: BuiltCorpus) -> Iterator[httpx.Client]:
    with setup.server.client() as c:
        yield c


def search(client: httpx.Client, query: str) -> list[dict[str, Any]]:
    response = client.post("/search", json={"query": query, "limit": 5})
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


def marked(hit: dict[str, Any]) -> list[str]:
    return [hit["text"][a:b] for a, b in hit["matches"]]


def test_a_search_for_an_amount_written_short_finds_it_written_out(client: httpx.Client) -> None:
    first = search(client, "£620m")[0]
    assert first["doc_id"] == "northgate-tram", first
    assert marked(first) == ["620 million"]


def test_a_search_for_an_amount_written_out_finds_it_written_short(client: httpx.Client) -> None:
    first = search(client, "$3 billion")[0]
    assert first["doc_id"] == "grid-cables", first
    assert marked(first) == ["3bn"]


def test_metres_are_not_read_as_millions(client: httpx.Client) -> None:
    first = search(client, "100m")[0]
    assert first["doc_id"] == "sprint-final", first
    assert "".join(marked(first)) == "100m"  # as two words, "100" and "m", as before


@pytest.mark.parametrize(
    ("question", "doc_id", "quoted"),
    [
        ("What is the £620m budget for?", "northgate-tram", "£620 million budget"),
        ("Where will the $3 billion be spent?", "grid-cables", "$3bn"),
    ],
)
def test_a_question_answers_from_the_amount_in_its_other_form(
    setup: BuiltCorpus, question: str, doc_id: str, quoted: str
) -> None:
    body = api_answer(setup.server, {"question": question})
    assert body["status"] == "answered", body
    assert quoted in body["answer"], body["answer"]
    assert body["citations"][0]["doc_id"] == doc_id, body["citations"]
    # found first by the keywords too, not by meaning alone
    assert body["retrieved"][0]["doc_id"] == doc_id, body["retrieved"]
