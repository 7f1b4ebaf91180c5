"""Where a claim comes from, as a researcher reads it on the chat page in real Chromium: each
source names its article and the paragraph in it, counted as the copied Markdown and the search
results count them, in the answer, in the Source view and among a refusal's closest paragraphs.
The answers are crafted (routed in the browser), so the paragraph is known."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import PageProbe
from tests.e2e.crafted import document, fulfil_json, fulfil_sse

pytestmark = pytest.mark.e2e

CITED = 11  # the twelfth paragraph: deep enough that no one finds it by eye
PARAGRAPHS = [f"Paragraph {n} of the council report, on the harbour budget." for n in range(20)]
PARAGRAPHS[CITED] = "The council voted 7 to 2 on Tuesday to rebuild the north pier."


def cited_paragraph() -> dict[str, Any]:
    return {
        "doc_id": "council",
        "paragraph_id": f"council:p{CITED}",
        "index": CITED,
        "start": 0,
        "end": len(PARAGRAPHS[CITED]),
        "text": PARAGRAPHS[CITED],
        "title": "Council votes to rebuild the north pier",
        "source": "Harbour Herald",
        "date": "2031-05-06",
    }


def answered() -> dict[str, Any]:
    cited = cited_paragraph()
    return {
        "question": "How did the council vote on the pier?",
        "answer": f"{PARAGRAPHS[CITED]} [1]",
        "status": "answered",
        "citations": [
            {
                **cited,
                "marker": 1,
                "verified": True,
                "quoted": True,
                "support_score": 0.97,
                "span_start": 0,
                "span_end": len(PARAGRAPHS[CITED]),
            },
        ],
        "retrieved": [{**cited, "score": 0.9}],
        "short_answer": "7 to 2",
        "evidence_score": 0.9,
        "answers_question": True,
        "reason": None,
        "removed_claims": [],
        "timings_ms": {"retrieve_ms": 1.0},
    }


def refused() -> dict[str, Any]:
    return {
        **answered(),
        "question": "What did the mayor say about the pier?",
        "answer": "The articles do not hold enough evidence to answer this.",
        "status": "insufficient_evidence",
        "citations": [],
        "short_answer": None,
        "evidence_score": 0.05,
        "answers_question": False,
        "reason": "no sentence in the articles answers this well enough",
    }


def council_document() -> dict[str, Any]:
    return document(
        "council",
        PARAGRAPHS,
        title="Council votes to rebuild the north pier",
        article={"source": "Harbour Herald", "date": "2031-05-06"},
        paragraph={"source": "Harbour Herald", "date": "2031-05-06"},
    )


def ask(page: Any, question: str) -> Any:
    page.fill("#question", question)
    page.press("#question", "Enter")
    return page.locator("#conversation > li.turn").last


def test_a_source_says_which_paragraph_of_its_article_it_is(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.route("**/documents/council", fulfil_json(council_document()))
    page.route("**/ask/stream", fulfil_sse(answered()), times=1)
    page.goto("/")
    answer = ask(page, "How did the council vote on the pier?").locator(".answer")
    expect(answer).to_be_visible()
    # the answer's source list: the article, and where in it
    expect(answer.locator(".sources .source-meta")).to_have_text(
        f"Harbour Herald · May 6, 2031 · paragraph {CITED + 1}"
    )
    # the copied Markdown counts the same way
    markdown = page.evaluate("(data) => window.groundedQa.answerToMarkdown(data)", answered())
    # with the id that finds the paragraph again once the count has moved
    cited_id = answered()["citations"][0]["paragraph_id"]
    assert f"paragraph {CITED + 1}, id {cited_id})" in markdown, markdown

    # the Source view says it too, and that is the paragraph marked in the whole article
    answer.locator(".citation-link").click()
    panel = page.locator("#source-panel")
    expect(panel.locator(".source-meta")).to_have_text(
        f"Harbour Herald · May 6, 2031 · paragraph {CITED + 1}"
    )
    paragraphs = panel.locator(".article-body .article-paragraph")
    expect(paragraphs).to_have_count(len(PARAGRAPHS))
    expect(paragraphs.nth(CITED)).to_have_class("article-paragraph cited")

    # a refusal's closest paragraphs say where they stand as well
    page.route("**/ask/stream", fulfil_sse(refused()), times=1)
    closest = ask(page, "What did the mayor say about the pier?").locator(".closest-item")
    expect(closest.locator(".closest-meta")).to_have_text(
        f"Harbour Herald · May 6, 2031 · paragraph {CITED + 1}"
    )
    assert probe.script_errors() == [], probe.errors
