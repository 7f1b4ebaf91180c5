"""The short answer marked where it stands in the quoted sentence, in real Chromium over a real
server's page: as a word of its own ("20" in "20 balloons"), not inside a longer word or figure
that happens to hold it ("2024", "120"). The answers are stand-ins (crafted.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import PageProbe
from tests.e2e.crafted import fulfil_sse

pytestmark = pytest.mark.e2e


def answer_with(sentence: str, short: str) -> dict[str, Any]:
    cited = {
        "doc_id": "balloons",
        "paragraph_id": "balloons:p0",
        "index": 0,
        "start": 0,
        "end": len(sentence),
        "text": sentence,
        "title": "Balloons land in Seoul",
        "source": "Coast Times",
        "date": "2024-10-21",
    }
    return {
        "question": "How many balloons landed?",
        "answer": f"{sentence} [1]",
        "status": "answered",
        "answers_question": True,
        "citations": [
            {
                **cited,
                "marker": 1,
                "verified": True,
                "support_score": 0.9,
                "span_start": 0,
                "span_end": len(sentence),
            }
        ],
        "retrieved": [{**cited, "score": 0.5}],
        "short_answer": short,
        "evidence_score": 0.9,
        "reason": None,
        "timings_ms": {"retrieve_ms": 1.0},
    }


# (the sentence, the short answer, the text before the mark, the marked text)
CASES = [
    # a figure inside a year and inside a larger figure comes first
    ("In 2024, 120 people saw 20 balloons land.", "20", "In 2024, 120 people saw ", "20"),
    # a name inside a longer name
    ("Kimberly Lee said Kim had left.", "Kim", "Kimberly Lee said ", "Kim"),
    # only inside a word: marked there, as before (the reader still sees where it is)
    ("The anti-drone units left.", "drone", "The anti-", "drone"),
    # a phrase that opens with a quotation mark
    ("She called them “defector scum”.", "“defector scum”", "She called them ", "“defector scum”"),
]  # fmt: skip


def test_the_short_answer_is_marked_as_a_word_of_its_own(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    for i, (sentence, short, before, marked) in enumerate(CASES):
        page.unroute("**/ask/stream")
        page.route("**/ask/stream", fulfil_sse(answer_with(sentence, short)))
        page.fill("#question", f"Question {i}?")
        page.press("#question", "Enter")
        answer = page.locator("#conversation .answer").nth(i)
        mark = answer.locator(".answer-text mark.short-answer-mark")
        expect(mark).to_have_text(marked)
        # the text before the mark, in the same paragraph
        ahead = mark.evaluate(
            "(m) => { const r = document.createRange();"
            " r.setStart(m.parentElement, 0); r.setEndBefore(m); return r.toString(); }"
        )
        assert ahead == before, (sentence, ahead)
    assert probe.script_errors() == []
