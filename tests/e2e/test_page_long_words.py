"""Long unbroken words (a checksum, an address, a headline run together) and long titles, on a
phone and a desktop in real Chromium: the page wraps them where they stand instead of scrolling
sideways, and a chip holding a title of several lines keeps its text inside its border.

The answers are stand-ins (crafted.py) served over a real server's page, so each field the page
shows can carry such a word."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PageProbe, Server, sideways_overflow
from tests.e2e.crafted import document, fulfil_json, fulfil_sse

pytestmark = pytest.mark.e2e

CHECKSUM = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" * 2
ADDRESS = "https://example.org/news/2031/05/02/" + "an-address-that-never-ends-" * 6 + "end"
RUN_TOGETHER = "Supercalifragilisticexpialidociouslylongheadlinewithoutanyspaces" * 2
TITLE = f"{RUN_TOGETHER}: the harbour of Vestmanna reports record herring landings for the season"
DOC_ID = "long-words-doc"


def long_answer() -> dict[str, Any]:
    sentence = f"The report lists the checksum {CHECKSUM} for the data file, at {ADDRESS}."
    paragraph = f"Harbour master Jógvan Hansen spoke on Friday. {sentence}"
    start = paragraph.index(sentence)
    cited = {
        "doc_id": DOC_ID,
        "paragraph_id": f"{DOC_ID}:p1",
        "index": 1,
        "start": 40,
        "end": 40 + len(paragraph),
        "text": paragraph,
        "title": TITLE,
        "source": f"The {RUN_TOGETHER} Gazette",
        "date": "2031-05-02",
    }
    return {
        "question": f"What checksum does {RUN_TOGETHER} list?",
        "answer": f"{sentence} [1]",
        "status": "answered",
        "answers_question": True,
        "citations": [
            {
                **cited,
                "marker": 1,
                "verified": True,
                "support_score": 0.9,
                "span_start": start,
                "span_end": start + len(sentence),
            }
        ],
        "retrieved": [{**cited, "score": 0.5}],
        "short_answer": f"the checksum {CHECKSUM}",
        "evidence_score": 0.9,
        "reason": None,
        "rewritten_question": f"What checksum does {RUN_TOGETHER} list for {ADDRESS}?",
        "unknown_words": [{"word": RUN_TOGETHER, "suggestion": None}],
        "removed_claims": [f"The file at {ADDRESS} holds {CHECKSUM}."],
        "timings_ms": {"retrieve_ms": 1.0},
    }


def long_refusal() -> dict[str, Any]:
    answer = long_answer()
    return {
        **answer,
        "answer": "The articles do not hold enough evidence to answer this.",
        "status": "insufficient_evidence",
        "answers_question": False,
        "citations": [],
        "short_answer": None,
        "reason": f"no sentence answers {CHECKSUM} well enough",
        "removed_claims": [],
    }


def long_document() -> dict[str, Any]:
    return document(
        DOC_ID,
        ["Harbour master Jógvan Hansen spoke on Friday.", long_answer()["citations"][0]["text"]],
        title=TITLE,
        article={"source": f"The {RUN_TOGETHER} Gazette", "date": "2031-05-02", "url": None},
        paragraph={"source": f"The {RUN_TOGETHER} Gazette", "date": "2031-05-02"},
    )


@pytest.fixture(params=[390, 1366], ids=["phone", "desktop"])
def wide_probe(request: Any, browser: Any, server: Server) -> Iterator[PageProbe]:
    context = browser.new_context(
        viewport={"width": request.param, "height": 844}, base_url=server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield PageProbe(page)
    context.close()


# the elements and the text in `selector` that reach past the right edge of the box that holds
# them, or of the window
OUTSIDE = """(selector) => {
  const out = [];
  const edge = document.documentElement.clientWidth;
  for (const box of document.querySelectorAll(selector)) {
    const right = Math.min(box.getBoundingClientRect().right, edge);
    for (const inner of box.querySelectorAll('*')) {
      const r = inner.getBoundingClientRect();
      if (r.width && r.right > right + 1) out.push(`${inner.tagName}.${inner.className}`);
    }
    const texts = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let text = texts.nextNode(); text; text = texts.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const r of range.getClientRects()) {
        if (r.width && r.right > right + 1) {
          out.push(`text in ${text.parentElement.tagName}.${text.parentElement.className}`);
          break;
        }
      }
    }
  }
  return out;
}"""

# the corners of each line of a chip's text that stand outside the chip's rounded border
CORNERS_OUTSIDE = """(chip) => {
  const box = chip.getBoundingClientRect();
  // the radius drawn: CSS scales radii that do not fit down to half the shorter side
  const r = Math.min(parseFloat(getComputedStyle(chip).borderTopLeftRadius), box.width / 2,
    box.height / 2);
  const range = document.createRange();
  range.selectNodeContents(chip.querySelector('.scope-text'));
  const out = [];
  for (const line of range.getClientRects()) {
    for (const [x, y] of [[line.left, line.top], [line.left, line.bottom],
                          [line.right, line.top], [line.right, line.bottom]]) {
      const dx = Math.max(box.left + r - x, x - (box.right - r), 0);
      const dy = Math.max(box.top + r - y, y - (box.bottom - r), 0);
      if (dx * dx + dy * dy > (r + 0.5) * (r + 0.5)) out.push([Math.round(x), Math.round(y)]);
    }
  }
  return out;
}"""


def test_long_words_in_an_answer_wrap_inside_it(
    wide_probe: PageProbe, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = wide_probe.page
    width = page.viewport_size["width"]
    page.route("**/ask/stream", fulfil_sse(long_answer()))
    page.route(f"**/documents/{DOC_ID}", fulfil_json(long_document()))
    page.goto("/")
    page.fill("#question", "What checksum does the report list?")
    page.press("#question", "Enter")
    answer = page.locator("#conversation .answer").last
    expect(answer.locator(".short-answer")).to_contain_text(CHECKSUM)
    expect(answer.locator(".removed-claim")).to_be_visible()

    assert page.evaluate(OUTSIDE, "#conversation") == []
    assert sideways_overflow(page) <= 0, "a long word in the answer widens the page"
    page.screenshot(path=str(test_output_dir / f"chat-long-words-{width}.png"), full_page=True)

    # its source, and the chip that asks only about its article, hold the long title
    answer.locator(".citation-link").click()
    card = page.locator("#source-body .source-card")
    expect(card.locator(".article-body mark").first).to_contain_text(CHECKSUM[:20])
    assert page.evaluate(OUTSIDE, "#source-panel") == []
    card.get_by_role("button", name="Ask about this article").click()
    chip = page.locator("#ask-scope .scope-chip")
    expect(chip).to_contain_text(RUN_TOGETHER)
    assert chip.bounding_box()["height"] > 60, "the title should take several lines here"
    assert chip.evaluate(CORNERS_OUTSIDE) == [], "the title's words stand outside the chip"
    # the notice above it that quotes the title, too
    expect(page.locator("#ask-notice")).to_contain_text(RUN_TOGETHER)
    assert page.evaluate(OUTSIDE, ".ask-extras") == []
    assert sideways_overflow(page) <= 0
    page.locator(".ask-bar").screenshot(path=str(test_output_dir / f"chat-long-chip-{width}.png"))

    # a refusal's reason and closest paragraphs
    page.unroute("**/ask/stream")
    page.route("**/ask/stream", fulfil_sse(long_refusal()))
    page.fill("#question", "What else does the report list?")
    page.press("#question", "Enter")
    refusal = page.locator("#conversation .insufficient").last
    expect(refusal.locator(".closest-text").first).to_contain_text(CHECKSUM)
    assert page.evaluate(OUTSIDE, "#conversation") == []
    assert sideways_overflow(page) <= 0, "a long word in a refusal widens the page"
    assert wide_probe.script_errors() == []
