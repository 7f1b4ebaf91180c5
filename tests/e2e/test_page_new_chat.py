"""New chat on the chat page in real Chromium: the conversation it clears is offered back
("Bring it back") until the next question is asked, whole (its turns, read with the next
question, and its dates), since one click, or Enter on the button reached by Shift+Tab from an
answer, would otherwise lose it for good. The answers are crafted (routed in the browser)."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import SAVED_CONVERSATION, PageProbe
from tests.e2e.crafted import fulfil_json, fulfil_sse
from tests.e2e.test_page_sources import answered, council_document

pytestmark = pytest.mark.e2e

FIRST = "How did the council vote on the pier?"
SECOND = "When did the council vote?"


def test_new_chat_offers_the_cleared_conversation_back_until_the_next_question(
    probe: PageProbe,
) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.route("**/ask/stream", fulfil_sse(answered()))
    page.route("**/documents/council", fulfil_json(council_document()))
    page.goto("/")
    page.click("#dates-toggle")
    page.fill("#date-from", "2031-05-01")
    page.click("#date-apply")
    for question in (FIRST, SECOND):
        page.fill("#question", question)
        page.press("#question", "Enter")
        expect(page.locator("#conversation .answer")).to_have_count(1 + (question == SECOND))

    page.get_by_role("button", name="New chat").click()
    expect(page.locator("#conversation > li")).to_have_count(0)
    expect(page.locator("#ask-dates")).to_be_hidden()
    offer = page.locator("#restore-chat")
    expect(offer).to_contain_text("New chat cleared the conversation before it (2 questions).")
    # a second click on New chat, on the empty chat, keeps the offer
    page.get_by_role("button", name="New chat").click()
    expect(offer).to_contain_text("(2 questions)")

    offer.get_by_role("button", name="Bring it back").click()
    expect(page.locator("#conversation .question-text")).to_have_text([FIRST, SECOND])
    expect(page.locator("#conversation .answer")).to_have_count(2)
    expect(page.locator("#empty-state")).to_be_hidden()
    expect(page.locator("#ask-dates")).to_contain_text("from May 1, 2031 on")
    expect(page.locator("#question")).to_be_focused()
    saved = page.evaluate(SAVED_CONVERSATION)
    assert [turn["question"] for turn in saved["turns"]] == [FIRST, SECOND]
    assert saved["dates"] == {"from": "2031-05-01", "to": ""}
    # the next question is read with the conversation brought back
    page.fill("#question", "Who voted against?")
    with page.expect_request("**/ask/stream") as request_info:
        page.press("#question", "Enter")
    body = json.loads(request_info.value.post_data or "{}")
    assert [turn["question"] for turn in body["history"]] == [FIRST, SECOND]
    assert body["date_from"] == "2031-05-01"
    expect(page.locator("#conversation .answer")).to_have_count(3)

    # once a question is asked in the new chat, what New chat cleared is gone for good
    page.get_by_role("button", name="New chat").click()
    page.fill("#question", FIRST)
    page.press("#question", "Enter")
    expect(page.locator("#conversation .answer")).to_have_count(1)
    expect(offer).to_be_hidden()
    page.get_by_role("button", name="New chat").click()
    expect(offer).to_contain_text("(1 question)")  # the new chat's own, not the three before
    assert probe.script_errors() == [], probe.errors
