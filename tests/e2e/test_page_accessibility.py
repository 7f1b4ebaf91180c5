"""The chat page for keyboard, screen-reader and high-contrast users, in real Chromium."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from api.routers.stream import sse_event
from tests.e2e.conftest import PageProbe, Server
from tests.e2e.crafted import sse_frames
from tests.e2e.test_chat_page import CONTROLLED_STREAM, crafted_answer, push

ANSWER_TIMEOUT_MS = 120_000

pytestmark = pytest.mark.e2e


def test_the_live_log_holds_a_list_of_turns(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    page.fill("#question", "Whom did South Korea summon on Monday?")
    page.press("#question", "Enter")
    turn = page.locator("ol#conversation > li.turn").last
    expect(turn.locator(".answer-text")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    # the list keeps its role (a role on the <ol> itself left each <li> outside any list)
    assert page.get_attribute("#conversation", "role") is None
    marker = turn.locator(".citation-link").first
    assert marker.get_attribute("aria-expanded") == "false"
    marker.click()
    assert marker.get_attribute("aria-expanded") == "true"
    # the source view hidden behind the Articles tab: the marker no longer says it is expanded
    page.locator("#tab-articles").click()
    expect(marker).to_have_attribute("aria-expanded", "false")
    page.locator("#tab-source").click()
    expect(marker).to_have_attribute("aria-expanded", "true")
    assert not probe.errors, probe.errors


def live_texts(page: Any) -> list[str]:
    """What a screen reader is sent as it changes: the text of every node Chromium's
    accessibility tree holds inside a live region (aria-live polite or assertive, or a role
    that implies it: log, status, alert). aria-busy is not taken to silence a region: of the
    screen readers a11ysupport.io lists, only JAWS honours it."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {node["nodeId"]: node for node in nodes}

    def is_live(node: dict[str, Any]) -> bool:
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        return props.get("live") in ("polite", "assertive")

    texts = []
    for node in nodes:
        if node.get("ignored") or node.get("role", {}).get("value") != "StaticText":
            continue
        above = by_id.get(node.get("parentId", ""))
        while above is not None and not is_live(above):
            above = by_id.get(above.get("parentId", ""))
        if above is not None:
            texts.append(str(node.get("name", {}).get("value", "")))
    return [text for text in texts if text.strip()]


def test_a_screen_reader_hears_a_streamed_answer_once_when_it_is_done(probe: PageProbe) -> None:
    """While an answer streams in, its stages ("Searching the articles…"), its words and its
    draft sit in no live region; once done, a status region outside the conversation says the
    answer's words, once. A question stopped is said the same way."""
    from playwright.sync_api import expect

    page = probe.page
    payload = crafted_answer()
    frames = sse_frames(payload)
    tokens = [f for f in frames if f.startswith("event: token")]
    assert len(tokens) >= 4
    page.add_init_script(CONTROLLED_STREAM)
    page.goto("/")
    # the Articles tab's count is a live region of its own: "Loading the articles…" first, so
    # it is read as the baseline only once the count is there (a loaded CI machine read it
    # before, and took the count that came later for something the answer said)
    expect(page.locator(".articles-summary")).to_contain_text("indexed.")
    before = Counter(live_texts(page))
    page.fill("#question", "Show me the crafted answer")
    page.press("#question", "Enter")
    page.wait_for_function("window.__stream && window.__stream.requested !== null")

    def said_since() -> list[str]:
        return list((Counter(live_texts(page)) - before).elements())

    progress = page.locator("#conversation .thinking .progress")
    push(page, sse_event("status", {"stage": "searching", "query": "x"}).encode().decode())
    expect(progress).to_have_text("Searching for “x”…")
    assert said_since() == []
    push(page, "".join(tokens[:3]))
    expect(page.locator("#conversation .answer-draft .answer-text")).not_to_have_text("")
    assert said_since() == []

    push(page, "".join(frames[3:]))
    page.evaluate("window.__stream.close()")
    expect(page.locator("#conversation .answer")).to_be_visible()
    said = "Answer: The answer is <img src=x onerror=alert(1)> here. <script>alert(2)</script>"
    status = page.locator("#answer-status")
    expect(status).to_have_text(said)
    assert said_since() == [said]  # the answer's words, once, and nothing else

    # stopped: said once too (the next question clears what was said of the last one)
    page.fill("#question", "Another question")
    page.press("#question", "Enter")
    expect(page.locator("#stop")).to_be_visible()
    assert said_since() == []
    page.click("#stop")
    stopped = "You stopped this question before it was answered."
    expect(status).to_have_text(stopped)
    assert said_since() == [stopped]
    assert not probe.errors, probe.errors


def test_asking_from_the_keyboard_leaves_focus_on_stop(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    page.fill("#question", "Who did South Korea summon on Monday?")
    held: list[Any] = []  # the request waits in the browser until focus has been looked at
    page.route("**/ask/stream", lambda route: held.append(route), times=1)
    page.focus("#ask")
    page.keyboard.press("Enter")
    deadline = time.monotonic() + 15
    while not held:
        assert time.monotonic() < deadline, "/ask/stream was never routed"
        page.wait_for_timeout(50)
    # Ask is disabled while answering: focus goes to Stop, not to the page's body
    expect(page.locator("#stop")).to_be_focused()
    held[0].continue_()
    expect(page.locator("#conversation .answer-text").last).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#question")).to_be_focused()
    assert not probe.errors, probe.errors


def test_a_heading_focused_from_the_keyboard_shows_a_ring(page_probe: PageProbe) -> None:
    # the page server has an admin key, so "Add an article" is offered
    probe = page_probe
    page = probe.page
    page.goto("/")
    page.focus("#add-article")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.classList.contains('form-heading')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert not probe.errors, probe.errors


def test_form_hints_are_read_with_their_fields(page_probe: PageProbe) -> None:
    page = page_probe.page
    page.goto("/")
    page.click("#add-article")
    described = page.locator(".add-article-form [aria-describedby]")
    assert described.count() >= 1
    for i in range(described.count()):
        hint_id = described.nth(i).get_attribute("aria-describedby")
        assert page.locator(f"#{hint_id}").inner_text().strip()


def test_home_and_end_move_between_the_tabs(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    page.focus("#tab-articles")
    page.keyboard.press("End")
    expect(page.locator("#tab-source")).to_be_focused()
    expect(page.locator("#tab-source")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    expect(page.locator("#tab-articles")).to_be_focused()
    expect(page.locator("#tab-articles")).to_have_attribute("aria-selected", "true")


def test_in_forced_colours_the_selected_tab_and_ask_stand_out(browser: Any, server: Server) -> None:
    context = browser.new_context(base_url=server.url, forced_colors="active")
    page = context.new_page()
    try:
        page.goto("/")

        def style(selector: str, prop: str) -> str:
            return str(page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}"))

        selected = style("#tab-articles", "borderBottomColor")
        other = style("#tab-source", "borderBottomColor")
        assert selected != other, (selected, other)
        assert style("#ask", "borderTopStyle") != "none"
    finally:
        context.close()


def test_the_closest_paragraphs_are_named_by_their_article(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    page.fill("#question", "What is the capital of Australia?")
    page.press("#question", "Enter")
    opener = page.locator(".closest-item .link-button").first
    expect(opener).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    name = opener.get_attribute("aria-label") or ""
    title = page.locator(".closest-item .closest-title").first.inner_text().strip()
    assert name == f"Read in the article: {title}", (name, title)
