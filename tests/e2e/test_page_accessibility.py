"""The chat page for keyboard, screen-reader and high-contrast users, in real Chromium."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.conftest import PageProbe, Server

ANSWER_TIMEOUT_MS = 120_000

pytestmark = pytest.mark.e2e


def test_the_live_log_holds_a_list_of_turns(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    page.fill("#question", "Whom did South Korea summon on Monday?")
    page.press("#question", "Enter")
    turn = page.locator("[role=log] > ol#conversation > li.turn").last
    expect(turn.locator(".answer-text")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    # the list keeps its role (a role on the <ol> itself left each <li> outside any list)
    assert page.get_attribute("#conversation", "role") is None
    assert page.get_attribute("[role=log]", "aria-live") == "polite"
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
