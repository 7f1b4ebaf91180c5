"""A slow answer, and a server that goes quiet, on the chat page in real Chromium: the thinking
line says how long the question has taken once that is a while, and a stream from which nothing
comes for a minute (no event, not even the keep-alive comment the server sends every 15 s) is
given up with words that say what to do, the question back in the box. The page's clock is
Playwright's, so a minute passes at once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import PageProbe
from tests.e2e.test_chat_page import CONTROLLED_STREAM, last_turn, push

pytestmark = pytest.mark.e2e

QUESTION = "How many ships left the harbour on Monday?"
PING = ": ping - 2031-05-06 10:00:00\r\n\r\n"  # sse-starlette's keep-alive comment


def open_page(page: Any) -> None:
    page.clock.install()
    page.goto("/")


def ask(page: Any) -> Any:
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    return last_turn(page)


def test_a_slow_answer_shows_its_time_and_a_silent_stream_is_given_up(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.add_init_script(CONTROLLED_STREAM)
    open_page(page)
    turn = ask(page)
    page.wait_for_function("window.__stream && window.__stream.requested !== null")
    elapsed = turn.locator(".thinking .elapsed")
    push(page, 'event: status\r\ndata: {"stage":"searching","query":""}\r\n\r\n')
    page.clock.run_for(3_000)
    expect(elapsed).to_have_text("")  # a quick answer shows no clock
    page.clock.run_for(9_000)
    expect(elapsed).to_have_text("12 s")
    expect(turn.locator(".thinking .progress")).to_have_text("Searching the articles…")

    # the keep-alive comment is word from the server: the minute starts again from it
    push(page, PING)
    page.clock.run_for(58_000)
    expect(turn.locator(".thinking")).to_be_visible()
    expect(elapsed).to_have_text("70 s")
    page.clock.run_for(3_000)
    error = turn.locator(".error")
    expect(error).to_contain_text("No word from the server for 60 seconds")
    expect(error).to_contain_text("ask again")
    expect(turn.locator(".stopped, .thinking")).to_have_count(0)  # not "you stopped it"
    expect(page.locator("#ask")).to_be_enabled()
    expect(page.locator("#question")).to_have_value(QUESTION)
    assert probe.script_errors() == [], probe.errors


def test_a_server_that_never_answers_the_request_is_given_up(probe: PageProbe) -> None:
    """No response at all (a server frozen, a connection dropped without a word)."""
    from playwright.sync_api import expect

    page = probe.page
    held: list[Any] = []
    page.route("**/ask/stream", lambda route: held.append(route))  # never answered
    open_page(page)
    turn = ask(page)
    expect(turn.locator(".thinking .progress")).to_have_text("Sending the question…")
    page.clock.run_for(59_000)
    expect(turn.locator(".thinking .elapsed")).to_have_text("59 s")
    page.clock.run_for(2_000)
    expect(turn.locator(".error")).to_contain_text("No word from the server for 60 seconds")
    expect(page.locator("#question")).to_have_value(QUESTION)
    # kept as it was shown: a reload shows the same error, not a question still being asked
    page.unroute("**/ask/stream")
    page.reload()
    expect(last_turn(page).locator(".error")).to_contain_text("No word from the server")
