"""POST /search's query is held to the question's length rule, written once
(qa/text_input.py: within_length), with its own advice."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.service import QAService
from qa.errors import BadInput
from qa.question import validate_question
from tests.served import served_with_fakes

pytestmark = pytest.mark.unit

ARTICLE = (
    "Tram line opens\n\nThe new tram line between the harbour and the station opened on "
    "Monday, the city said.\n"
)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tram.txt").write_text(ARTICLE, encoding="utf-8")
    return served_with_fakes(corpus, tmp_path / "data", admin_key="k" * 32)


def test_the_service_refuses_a_query_over_the_question_limit(client: TestClient) -> None:
    service: QAService = client.app.state.service  # type: ignore[attr-defined]
    limit = service.settings.server.max_question_chars
    query = "tram  " * (limit // 5 + 1)  # counted with its white space collapsed
    counted = len(" ".join(query.split()))
    with pytest.raises(BadInput) as refused:
        service.search(query, limit=5)
    assert str(refused.value) == (
        f"query is {counted} characters long; the limit is {limit}. Search for fewer words."
    )
    # the same count and limit as a question's, with a question's advice
    with pytest.raises(BadInput, match=f"question is {counted} characters long; the limit is"):
        validate_question(query, max_chars=limit)
    assert service.search(" ".join(query.split())[:limit], limit=5).paragraphs


def test_post_search_says_so_as_before(client: TestClient) -> None:
    service: QAService = client.app.state.service  # type: ignore[attr-defined]
    limit = service.settings.server.max_question_chars
    answered = client.post("/search", json={"query": "tram " * limit})
    assert answered.status_code == 422
    assert (
        f"query is {len(('tram ' * limit).strip())} characters long; the limit is {limit}. "
        "Search for fewer words." in answered.json()["detail"]
    )


def test_a_null_limit_is_the_default_and_a_bad_one_still_refused(client: TestClient) -> None:
    nulled = client.post("/search", json={"query": "tram harbour", "limit": None})
    assert nulled.status_code == 200, nulled.text
    left_out = client.post("/search", json={"query": "tram harbour"})
    assert nulled.json()["results"] == left_out.json()["results"]
    for bad in ("10", 0, 51):
        assert client.post("/search", json={"query": "tram", "limit": bad}).status_code == 422
