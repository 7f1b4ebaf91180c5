"""Generate mode over HTTP against a scripted OpenAI-compatible model whose answers the test
sets: a good answer comes back with its citation checked; a partly wrong one loses the claim its
paragraph does not support (reported in `removed_claims`); a wholly wrong one, or one citing a
passage it was not shown, is withheld, and the sentence the selector chose is quoted instead
(`quoted_instead` says why). Our real server, selector, embedder and index; made-up articles
(tests/e2e/conftest.py: PAGE_CORPUS)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import PageProbe, PageServer

pytestmark = pytest.mark.e2e

QUESTION = "How many fishing boats left Skarra harbour?"
GOOD = "Harbour master Ingrid Talvik said 40 fishing boats left port within the first hour [1]."
WRONG = "A tsunami destroyed the old lighthouse and the fish market in 1998 [1]."


@pytest.fixture
def model(page_server: PageServer) -> Iterator[Any]:
    yield page_server.generator
    page_server.generator.reply = None


def ask(page_server: PageServer, question: str = QUESTION) -> dict[str, Any]:
    with page_server.server.client(timeout=120) as client:
        r = client.post("/ask", json={"question": question})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_good_answer_is_kept_with_its_checked_citation(
    page_server: PageServer, model: Any
) -> None:
    model.reply = GOOD
    before = len(model.prompts)
    body = ask(page_server)
    assert body["status"] == "answered", body
    assert body["answer"] == GOOD  # its full stop kept after the marker
    assert body["removed_claims"] == []
    (citation,) = body["citations"]
    assert citation["doc_id"] == "harbour" and citation["verified"] is True
    assert "write_ms" in body["timings_ms"]
    # the model was shown that paragraph, numbered, under the question
    prompt = model.prompts[before]
    assert "[1] (Skarra harbour reopens after a week of storms) Harbour master" in prompt
    assert prompt.rstrip().endswith(f"Question: {QUESTION}\nAnswer:")


def test_a_partly_wrong_answer_loses_the_unsupported_claim(
    page_server: PageServer, model: Any
) -> None:
    model.reply = f"{GOOD} {WRONG}"
    body = ask(page_server)
    assert body["status"] == "answered", body
    assert body["answer"] == GOOD  # its full stop kept after the marker
    assert body["removed_claims"] == [WRONG.removesuffix(" [1].")]
    assert "tsunami" not in body["answer"]


def test_a_sentence_without_its_own_marker_is_removed_though_the_next_one_has_one(
    page_server: PageServer, model: Any
) -> None:
    model.reply = f"The storm was the worst the town had seen in a century. {GOOD}"
    body = ask(page_server)
    assert body["status"] == "answered", body
    assert body["answer"] == GOOD
    assert body["removed_claims"] == ["The storm was the worst the town had seen in a century."]


@pytest.mark.parametrize(
    "reply",
    [
        WRONG,
        "Harbour master Ingrid Talvik said 40 fishing boats left port [4].",
        "",
        # the paragraph's words, saying the opposite: a "not" it lacks (a dropped "not", and
        # names the other way round, are in tests/unit/test_citations.py: no article here has
        # a negation or a relation between two names to reverse)
        "Harbour master Ingrid Talvik said 40 fishing boats did not leave port within the first "
        "hour [1].",
    ],
    ids=["wholly-wrong", "cites-a-passage-it-was-not-shown", "empty", "adds-a-negation"],
)
def test_an_answer_without_support_is_withheld_for_a_quote(
    page_server: PageServer, model: Any, reply: str
) -> None:
    """The selector judged that the articles answer, so the service does not say they do not:
    none of the model's words come back, the article's sentence does, quoted and cited."""
    model.reply = reply
    body = ask(page_server)
    assert body["status"] == "answered", body
    assert body["answer"] == (
        "Harbour master Ingrid Talvik said 40 fishing boats left port within the first hour. [1]"
    )
    (citation,) = body["citations"]
    assert citation["doc_id"] == "harbour" and citation["quoted"] is True, citation
    assert body["quoted_instead"], body
    assert "tsunami" not in body["answer"]
    with page_server.server.client(timeout=120) as client:  # and /v1 says so too
        chat = client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": QUESTION}]}
        ).json()
    assert chat["quoted_instead"] == body["quoted_instead"], chat
    assert chat["removed_claims"] == body["removed_claims"], chat


def test_the_model_is_not_asked_when_the_articles_do_not_answer(
    page_server: PageServer, model: Any
) -> None:
    model.reply = WRONG
    before = model.completions
    body = ask(page_server, "What is the population of Iceland?")
    assert body["status"] == "insufficient_evidence"
    assert model.completions == before


def test_the_page_says_the_models_answer_was_withheld_for_a_quote(
    page_server: PageServer, model: Any, page_probe: PageProbe
) -> None:
    from playwright.sync_api import expect

    model.reply = WRONG
    page = page_probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    turn = page.locator("#conversation > li.turn").last
    answer = turn.locator(".answer")
    expect(answer.locator(".answer-text")).to_contain_text(
        "Harbour master Ingrid Talvik said 40 fishing boats", timeout=60_000
    )
    label = answer.locator(".removed-label")
    expect(label).to_contain_text("The model's answer was withheld")
    expect(label).to_contain_text("the answer above quotes the article instead")
    expect(answer.locator(".removed-claim")).to_have_text([WRONG.removesuffix(" [1].")])
    assert page_probe.script_errors() == []


def test_the_page_lists_removed_claims_as_cited_by_none_or_unsupported(
    page_server: PageServer, model: Any, page_probe: PageProbe
) -> None:
    """A claim the model cited wrongly and one it cited nothing for are both taken out: the
    page says so in words true of both, not that "the cited paragraph" refused each."""
    from playwright.sync_api import expect

    uncited = "The harbour will close again in May."
    model.reply = f"{GOOD} {WRONG} {uncited}"
    body = ask(page_server)
    assert body["removed_claims"] == [WRONG.removesuffix(" [1]."), uncited], body
    page = page_probe.page
    page.goto("/")
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    answer = page.locator("#conversation > li.turn").last.locator(".answer")
    expect(answer.locator(".removed-claim")).to_have_text(body["removed_claims"], timeout=60_000)
    label = answer.locator(".removed-label")
    expect(label).to_have_text(
        "Taken out of the answer: no paragraph they cite supports them, or they cite none."
    )
    assert page_probe.script_errors() == []


def test_a_question_of_two_parts_is_answered_as_extract_mode_answers_it(
    page_server: PageServer, model: Any
) -> None:
    """Whether to answer is the selector's call in both modes: each part is asked on its own
    too, and the model is shown the paragraphs of both parts' sentences."""
    question = "How many fishing boats left Skarra harbour, and how long is the Oakhaven tram line?"
    before = len(model.prompts)
    body = ask(page_server, question)
    assert body["status"] == "answered", body
    prompt = model.prompts[before]
    assert "40 fishing boats" in prompt and "9.5 kilometre" in prompt, prompt
