"""How a question is read, over HTTP on the seeds: a two-part question whose first part asks
who says whom its later "he" means, so it is no follow-up of the question before; and a
question typed at random is declined for what it is, not read as a follow-up."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

EARLIER = {"question": "When did North Korea send troops to Russia?", "answer": ""}


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def test_a_two_part_question_that_says_whom_its_he_means_is_no_follow_up(
    client: httpx.Client,
) -> None:
    question = "Who is the NATO chief and what did he say about North Korean troops?"
    alone = client.post("/ask", json={"question": question}).json()
    after = client.post("/ask", json={"question": question, "history": [EARLIER]}).json()
    assert after["rewritten_question"] is None
    assert after["status"] == alone["status"] == "answered"
    assert after["answer"] == alone["answer"]
    assert "Rutte" in after["answer"]


def test_a_question_typed_at_random_is_declined_for_that_not_read_as_a_follow_up(
    client: httpx.Client,
) -> None:
    body = client.post("/ask", json={"question": "asdfgh qwerty", "history": [EARLIER]}).json()
    assert body["status"] == "insufficient_evidence"
    assert body["rewritten_question"] is None
    assert "none of the question's words" in body["reason"]
    assert "follow-up" not in body["reason"]
    # real words the articles lack are still read with the conversation
    real = client.post("/ask", json={"question": "zebra giraffe", "history": [EARLIER]}).json()
    assert real["rewritten_question"] is not None
