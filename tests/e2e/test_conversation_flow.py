"""A conversation moves through an article: a question asked after an answer prefers, among
the sentences good enough to answer it, those near that answer (docs/grounding.md, "Near the
last answer"). A real server over three made-up articles, two of which report a prison
sentence."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, build_index, start_server, stop_server

pytestmark = pytest.mark.e2e

CORPUS = {
    "harlow-trial": """Former Harlow treasurer convicted of fraud

A court in Harlow on Tuesday convicted the town's former treasurer, Paul Denning, of taking \
money meant for the town's schools.

Denning was given a prison sentence of three years and must repay 200,000 pounds.

His lawyer said he would appeal the verdict.
""",
    "marsh-robbery": """Two men jailed for jewellery robbery at Marsh harbour

By Mira Hale

Two men were convicted on Monday of robbing a jewellery shop near Marsh harbour last winter.

Each received a sentence of eight years in prison, the longest the law allows for the crime.

The shop's owner said she was relieved the case was over.
""",
    # its title reads like the robbery article's last sentence: an article matched by what an
    # answer says, not found by its words, would be this one
    "marsh-bakery": """The shop's owner said she was relieved the case was over

By Lena Holt

The Marsh harbour bakery reopened on Friday with a new oven.

Bread prices will stay the same until June.
""",
    "marsh-ferry": """Harbour ferry returns after repairs

By Tom Reyes

The Marsh harbour ferry ran again on Monday after a month of repairs to its engine.

Its captain said the crossing now takes twelve minutes.

Fares will rise by a tenth in May to pay for the repairs, the Marsh Courier reported on Tuesday.
""",
}

# names no trial: either sentence answers it, and read alone the robbery's reads better
QUESTION = "How long must the convicted man stay in prison?"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    corpus = tmp_path_factory.mktemp("flow-corpus")
    for doc_id, text in CORPUS.items():
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("flow-data")
    build_index(corpus, data_dir)
    running: Server = start_server(data_dir, tmp_path_factory.mktemp("flow-logs") / "server.log")
    try:
        with running.client() as c:
            yield c
    finally:
        stop_server(running)


def _ask(client: httpx.Client, question: str, history: list[dict[str, str]]) -> dict[str, Any]:
    r = client.post("/ask", json={"question": question, "history": history})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert body["status"] == "answered", (question, body["reason"])
    assert all(c["verified"] for c in body["citations"])
    return body


def test_asked_alone_the_question_is_answered_from_the_sentence_that_reads_best(
    client: httpx.Client,
) -> None:
    body = _ask(client, QUESTION, [])
    assert [c["doc_id"] for c in body["citations"]] == ["marsh-robbery"], body["answer"]


@pytest.mark.parametrize(
    ("first", "doc_id", "fact"),
    [
        ("Who was convicted of fraud in Harlow?", "harlow-trial", "three years"),
        ("Who robbed the jewellery shop near Marsh harbour?", "marsh-robbery", "eight years"),
    ],
)
def test_asked_after_an_answer_it_is_answered_near_that_answer(
    client: httpx.Client, first: str, doc_id: str, fact: str
) -> None:
    earlier = _ask(client, first, [])
    assert [c["doc_id"] for c in earlier["citations"]] == [doc_id], earlier["answer"]
    body = _ask(client, QUESTION, [{"question": first, "answer": earlier["answer"]}])
    assert [c["doc_id"] for c in body["citations"]] == [doc_id], body["answer"]
    assert fact in body["answer"], body["answer"]


def test_that_article_is_the_one_the_last_answer_quoted(client: httpx.Client) -> None:
    first = "What did the shop's owner say?"
    earlier = _ask(client, first, [])
    assert [c["doc_id"] for c in earlier["citations"]] == ["marsh-robbery"], earlier["answer"]
    history = [{"question": first, "answer": earlier["answer"]}]
    body = _ask(client, "Who wrote that article?", history)
    assert [(c["doc_id"], c["detail"]) for c in body["citations"]] == [("marsh-robbery", "author")]
    assert body["short_answer"] == "Mira Hale", body["answer"]


def test_a_follow_up_the_last_answer_already_answers_is_answered_from_it_again(
    client: httpx.Client,
) -> None:
    """ "Which newspaper reported that?" asks for what the sentence just quoted already says:
    no other sentence answers it, and that one is read again (docs/grounding.md, "Read
    again")."""
    first = "How much will the Marsh ferry fares rise?"
    earlier = _ask(client, first, [])
    assert "a tenth in May" in earlier["answer"], earlier["answer"]
    body = _ask(
        client, "Which newspaper reported that?", [{"question": first, "answer": earlier["answer"]}]
    )
    assert [c["doc_id"] for c in body["citations"]] == ["marsh-ferry"], body["answer"]
    assert "Marsh Courier" in body["answer"], body["answer"]
