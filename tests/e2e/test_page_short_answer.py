"""The short answer marked where it stands in the quoted sentence, in real Chromium over a real
server's page: as a word of its own ("20" in "20 balloons"), not inside a longer word or figure
that happens to hold it ("2024", "120"); and kept, with what the quote lacks, in the Markdown
the page copies and saves. The answers are stand-ins (crafted.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PageProbe, Server
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


TO_MARKDOWN = "(data) => window.groundedQa.answerToMarkdown(data)"
# a short answer holding what Markdown would take for a list item, emphasis and a link
MARKUP = "1. *[20]* _red_ balloons"


def test_copied_and_saved_markdown_keep_the_short_answer_and_what_the_quote_lacks(
    probe: PageProbe, server: Server, tmp_path: Path
) -> None:
    """A researcher's notes keep what the page shows beside the quote: the short answer, worded
    as a reading to check in the quote, and the warning that the quote holds no number."""
    from markdown_it import MarkdownIt
    from playwright.sync_api import expect

    page = probe.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.goto("/")
    with_short = answer_with(f"Officials counted {MARKUP} on Monday.", MARKUP)
    lacking = {
        **answer_with("Balloons landed near the border.", ""),
        "short_answer": None,
        "asked_kind": "number",
        "holds_asked_kind": False,
    }
    copied = []
    for i, data in enumerate((with_short, lacking)):
        page.unroute("**/ask/stream")
        page.route("**/ask/stream", fulfil_sse(data))
        page.fill("#question", f"How many balloons, {i}?")
        page.press("#question", "Enter")
        answer = page.locator("#conversation .answer").nth(i)
        copy = answer.locator("button.copy-markdown")
        copy.click()
        expect(copy).to_have_text("Copied")
        copied.append(page.evaluate("navigator.clipboard.readText()"))
        assert copied[i] == page.evaluate(TO_MARKDOWN, data)

    # under the quote, before the sources, escaped as the rest is
    lead = "Likely answer (check it in the quote): **1. \\*\\[20\\]\\* \\_red\\_ balloons**"
    assert f"[^1]\n\n{lead}\n\n[^1]: " in copied[0], copied[0]
    rendered = MarkdownIt("commonmark").render(lead)
    assert rendered == f"<p>Likely answer (check it in the quote): <strong>{MARKUP}</strong></p>\n"
    assert "Note:" not in copied[0]
    note = (
        "> Note: the quoted sentence gives no number, which the question asks for; check "
        "whether it answers it."
    )
    assert f"[^1]\n\n{note}\n\n[^1]: " in copied[1], copied[1]
    assert "Likely answer" not in copied[1]

    # the saved conversation says the same, footnotes numbered by question
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save as Markdown").click()
    saved = tmp_path / "saved.md"
    download_info.value.save_as(saved)
    _, first, second = saved.read_text(encoding="utf-8").split("\n\n---\n\n")
    assert f"[^1-1]\n\n{lead}\n\n[^1-1]: " in first, first
    assert f"[^2-1]\n\n{note}\n\n[^2-1]: " in second, second
    assert "Likely answer" not in second
    assert probe.script_errors() == []
