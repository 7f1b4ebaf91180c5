"""The chat's controls in a real headless Chromium, against a real server over made-up articles:
the question box stays in view (at the window's bottom beside a tall side panel on a desktop,
its hint not cut off on a phone), a printed conversation is printed whole, Stop (and what the
server does about it), the conversation across a reload, New chat, and example questions from
the indexed titles.

The server runs in generate mode with a scripted OpenAI-compatible model whose delay the test
sets, so a question is known to be in the `writing` stage, or waiting behind another, when Stop is
pressed.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import (
    PAGE_ADMIN_KEY,
    SAVED_CONVERSATION,
    PageProbe,
    PageServer,
    Server,
    log_records,
    sideways_overflow,
)

pytestmark = pytest.mark.e2e

ANSWER_TIMEOUT_MS = 60_000
QUESTION = "How many fishing boats left Skarra harbour?"
PARAGRAPH = "Harbour master Ingrid Talvik said 40 fishing boats left port within the first hour."
BUSY = "An answer is still being worked out — Stop it first, or wait for it."


@pytest.fixture
def slow_writer(page_server: PageServer) -> Iterator[Any]:
    """The scripted model holds every question in the writing stage until the test sets
    `released` (a hold, not a timer: the test's steps take what the machine makes them)."""
    page_server.generator.released.clear()
    yield page_server.generator
    page_server.generator.released.set()


def last_turn(page: Any) -> Any:
    return page.locator("#conversation > li.turn").last


def ask(page: Any, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")


def saved_turn(n: int) -> dict[str, Any]:
    """A turn as the page saves it: the question and the answer body with its citation."""
    citation = {
        "paragraph_id": f"harbour:p{n}",
        "doc_id": "harbour",
        "index": 1,
        "start": 0,
        "end": len(PARAGRAPH),
        "text": PARAGRAPH,
        "title": "Skarra harbour reopens after a week of storms",
        "source": "Coast Times",
        "date": "2031-10-21",
        "marker": 1,
        "verified": True,
        "support_score": 0.9,
        "span_start": 0,
        "span_end": len(PARAGRAPH),
    }
    answer = f"Answer {n}: {PARAGRAPH} [1]"
    return {
        "question": f"Question {n}: how many boats left the harbour?",
        "kind": "answer",
        "data": {
            "question": f"Question {n}",
            "answer": answer,
            "status": "answered",
            "citations": [citation],
            "retrieved": [],
            "short_answer": "40",
            "evidence_score": 0.8,
            "reason": None,
            "timings_ms": {"retrieve_ms": 1.0},
        },
    }


def record_for(server: Server, request_id: str, message: str, timeout_s: float = 60) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for record in log_records(server):
            if record.get("request_id") == request_id and record.get("message") == message:
                return record
        time.sleep(0.2)
    raise AssertionError(f"no {message!r} log line for {request_id}")


def queue_depth(server: Server) -> float:
    for line in httpx.get(f"{server.url}/metrics", timeout=10).text.splitlines():
        if line.startswith("qa_generation_queue_depth "):
            return float(line.split()[1])
    raise AssertionError("no qa_generation_queue_depth in /metrics")


# --- the question box stays in view ----------------------------------------------------------


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 860, "desktop"), (390, 844, "phone")])
def test_the_question_box_stays_in_view_in_a_long_conversation(
    browser: Any, page_server: PageServer, test_output_dir: Path, width: int, height: int, name: str
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=page_server.server.url,
        is_mobile=name == "phone",
    )
    try:
        first = context.new_page()
        first.goto("/")
        turns = [saved_turn(n) for n in range(1, 13)]
        first.evaluate(  # where a conversation was saved before each tab had its own
            "(v) => { localStorage.clear(); localStorage.setItem('groundedQa.conversation', v); }",
            json.dumps({"version": 1, "turns": turns}),
        )
        first.close()
        page = context.new_page()  # a new tab carries on from it
        page.goto("/")
        expect(page.locator("#conversation > li.turn")).to_have_count(len(turns))
        conversation = page.locator("#conversation").bounding_box()
        assert conversation and conversation["height"] > 2 * height  # far longer than the window
        box = page.locator("#question")
        for where in (0, 0.5, 1):
            page.evaluate("(f) => window.scrollTo(0, f * document.body.scrollHeight)", where)
            expect(box).to_be_in_viewport()
            bounds = box.bounding_box()
            assert bounds and bounds["y"] >= 0 and bounds["y"] + bounds["height"] <= height
        # the last answer is not hidden under the box when the page scrolls to it
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        expect(last_turn(page).locator(".answer-text")).to_be_in_viewport()
        page.evaluate("window.scrollTo(0, document.body.scrollHeight / 3)")
        page.screenshot(path=str(test_output_dir / f"chat-sticky-{name}.png"))
        assert sideways_overflow(page) <= 0, "the page scrolls sideways"
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_question_box_shows_its_placeholder_whole(
    browser: Any, page_server: PageServer, width: int
) -> None:
    """On a small phone (320 px) the box beside the Dates and Ask buttons was a dozen letters
    wide, "Ask about the articl": there it takes a row of its own."""
    context = browser.new_context(
        viewport={"width": width, "height": 640}, base_url=page_server.server.url
    )
    try:
        page = context.new_page()
        page.goto("/")
        box = page.locator("#question")
        fits = box.evaluate(
            """(input) => {
                const style = getComputedStyle(input);
                const context = document.createElement("canvas").getContext("2d");
                context.font = style.font;
                const room = input.clientWidth - parseFloat(style.paddingLeft)
                    - parseFloat(style.paddingRight);
                return context.measureText(input.placeholder).width <= room;
            }"""
        )
        assert fits, f"the question box cuts its placeholder at {width} px"
        ask = page.get_by_role("button", name="Ask", exact=True).bounding_box()
        assert ask and ask["x"] + ask["width"] <= width  # the buttons stay in the window
        assert sideways_overflow(page) <= 0, "the page scrolls sideways"
    finally:
        context.close()


def test_in_a_short_window_the_question_box_scrolls_with_the_page(
    browser: Any, page_server: PageServer
) -> None:
    """A phone held sideways (or a page zoomed to 200 %): a bar kept at the bottom would cover
    close to half the window, so there it scrolls with the conversation."""
    context = browser.new_context(
        viewport={"width": 740, "height": 375}, base_url=page_server.server.url
    )
    try:
        page = context.new_page()
        page.goto("/")
        position = "(s) => getComputedStyle(document.querySelector(s)).position"
        assert page.evaluate(position, ".ask-bar") == "static"
        page.set_viewport_size({"width": 740, "height": 700})
        assert page.evaluate(position, ".ask-bar") == "sticky"
    finally:
        context.close()


def with_saved_turns(context: Any, count: int) -> Any:
    """A new tab of `context` on a conversation of `count` answered turns (each citing the
    harbour article), once shown."""
    from playwright.sync_api import expect

    first = context.new_page()
    first.goto("/")
    first.evaluate(  # where a conversation was saved before each tab had its own
        "(v) => { localStorage.clear(); localStorage.setItem('groundedQa.conversation', v); }",
        json.dumps({"version": 1, "turns": [saved_turn(n) for n in range(1, count + 1)]}),
    )
    first.close()
    page = context.new_page()  # a new tab carries on from it
    page.set_default_timeout(15_000)
    page.goto("/")
    expect(page.locator("#conversation > li.turn")).to_have_count(count)
    return page


HARBOUR = "Skarra harbour reopens after a week of storms"


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(390, 844, "phone"), (360, 640, "small-phone"), (1280, 600, "desktop")],
)
def test_the_question_box_with_its_chips_and_dates_covers_at_most_half_the_window(
    browser: Any, page_server: PageServer, test_output_dir: Path, width: int, height: int, name: str
) -> None:
    """An article asked about ("Now asking only about …" and its chip) and the Dates form open,
    with a range it refuses: stacked above the question box, on a phone they made the bar kept
    at the window's bottom 420 of 844 px tall and more. Wherever the conversation is scrolled,
    the bar now covers at most half the window: what stands above the box scrolls within the
    bar, and the box itself is whole, in the window, and asks."""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=page_server.server.url,
        is_mobile=name != "desktop",
        has_touch=name != "desktop",
    )
    try:
        page = with_saved_turns(context, 8)
        page.locator("#articles-view .article-open", has_text=HARBOUR).click()
        page.get_by_role("button", name="Ask about this article").click()
        notice = page.locator("#ask-notice")
        expect(notice).to_have_text(f"Now asking only about “{HARBOUR}”.")
        expect(page.locator("#ask-scope")).to_be_visible()
        page.click("#dates-toggle")
        expect(page.locator("#date-from")).to_be_focused()
        expect(page.locator("#date-from")).to_be_in_viewport()  # brought into the bar's room
        page.fill("#date-from", "2031-10-31")
        page.fill("#date-to", "2031-10-01")
        page.click("#date-apply")
        expect(page.locator("#date-problem")).to_be_in_viewport()  # shown, by the field
        expect(page.locator("#date-from")).to_be_focused()
        expect(page.locator("#date-from")).to_be_in_viewport()

        extras = page.locator(".ask-extras")
        wrong = []
        for where, fraction in (("its start", 0), ("its middle", 0.5), ("its end", 1)):
            page.evaluate(  # the conversation scrolled through, from its start to its end
                """(f) => {
                  const chat = document.getElementById("conversation");
                  const top = chat.getBoundingClientRect().top + window.scrollY;
                  window.scrollTo(0, top + f * Math.max(0, chat.offsetHeight - innerHeight));
                }""",
                fraction,
            )
            page.wait_for_timeout(100)
            bar = page.locator(".ask-bar").bounding_box()
            box = page.locator("#ask-form").bounding_box()
            assert bar and box
            if bar["height"] > height / 2:
                wrong.append(f"at {where} the bar is {bar['height']:.0f} of {height} px tall")
            if abs(bar["y"] + bar["height"] - height) > 2:
                wrong.append(
                    f"at {where} the bar ends {height - bar['y'] - bar['height']:.0f} px up"
                )
            if box["y"] < bar["y"] or box["y"] + box["height"] > height:
                wrong.append(f"at {where} the question box is not whole in the window: {box}")
        assert not wrong, "; ".join(wrong)
        page.screenshot(path=str(test_output_dir / f"chat-bar-extras-{name}.png"))
        # what does not fit scrolls within the bar: each of it can be reached there
        if extras.evaluate("(e) => e.scrollHeight > e.clientHeight + 1"):
            expect(extras).to_have_class(re.compile(r"\bscrolls\b"))
        for part in ("#ask-notice", "#ask-scope .scope-remove", "#date-problem", "#date-cancel"):
            page.locator(part).scroll_into_view_if_needed()
            expect(page.locator(part)).to_be_in_viewport()
            assert (page.locator(".ask-bar").bounding_box() or {})["height"] <= height / 2

        # and the box asks, of the article and the dates the form now holds
        page.fill("#date-from", "2031-10-01")
        page.fill("#date-to", "2031-10-31")
        page.fill("#question", "How many fishing boats left the harbour?")
        with page.expect_request("**/ask/stream") as request_info:
            page.press("#question", "Enter")
        request = json.loads(request_info.value.post_data or "{}")
        assert request["doc_ids"] == ["harbour"], request
        assert (request["date_from"], request["date_to"]) == ("2031-10-01", "2031-10-31")
        last_turn(page).locator(".answer, .insufficient").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
        assert (page.locator(".ask-bar").bounding_box() or {})["height"] <= height / 2
        assert sideways_overflow(page) <= 0, "the page scrolls sideways"
    finally:
        context.close()


def long_article(route: Any) -> None:
    """GET /documents/<id> (tram, harbour) as an article of 30 paragraphs: its text makes the
    side panel far taller than the window."""
    response = route.fetch()
    doc = response.json()
    paragraphs = [dict(p) for _ in range(15) for p in doc["paragraphs"]]
    for index, paragraph in enumerate(paragraphs):
        paragraph["index"] = index
    route.fulfill(response=response, json={**doc, "paragraphs": paragraphs})


def where_the_box_is(page: Any) -> dict[str, float]:
    """The bottoms of the question box's bar, of its form and of the side panel, the window's
    height and how far the page is scrolled, in CSS pixels."""
    return dict(
        page.evaluate(
            """() => {
              const bottom = (s) => document.querySelector(s).getBoundingClientRect().bottom;
              return {bar: bottom(".ask-bar"), form: bottom("#ask-form"),
                      panel: bottom("#source-panel"), window: window.innerHeight,
                      scrolled: window.scrollY};
            }"""
        )
    )


def assert_the_box_is_at_the_window_bottom(page: Any, when: str) -> None:
    """Wherever the page or the side panel is scrolled (by the wheel over each, or to the
    page's end), the question box's bar ends at the window's bottom edge. The page scrolls as
    a whole (the wheel over the chat moves it), and at its end the panel ends within the
    window."""
    panel = page.locator("#source-panel").bounding_box()
    chat = page.locator(".chat").bounding_box()
    assert panel and chat
    moves = {
        "as it opened": lambda: None,
        "after the wheel over the panel": lambda: (
            page.mouse.move(panel["x"] + panel["width"] / 2, panel["y"] + panel["height"] / 2),
            page.mouse.wheel(0, 5000),
        ),
        "after the wheel over the chat": lambda: (
            page.mouse.move(chat["x"] + chat["width"] / 2, chat["y"] + 40),
            page.mouse.wheel(0, 5000),
        ),
        "at the page's end": lambda: page.evaluate(
            "window.scrollTo(0, document.documentElement.scrollHeight)"
        ),
    }
    wrong = []
    for where, move in moves.items():
        move()
        page.wait_for_timeout(300)  # the wheel scrolls as a frame comes
        found = where_the_box_is(page)
        bottom = found["window"]
        if abs(found["bar"] - bottom) > 2 or not bottom - 20 <= found["form"] <= bottom:
            wrong.append(
                f"{where}: the question box's bar ends {bottom - found['bar']:.0f} px above "
                f"the window's bottom ({bottom} px), its form {bottom - found['form']:.0f} px"
            )
        if where == "after the wheel over the chat" and found["scrolled"] <= 0:
            wrong.append(f"{where}: the page did not scroll (is the chat scrolling on its own?)")
        if where == "at the page's end" and found["panel"] > bottom + 1:
            wrong.append(f"{where}: the panel's end is below the window's bottom")
    assert not wrong, f"{when}: " + "; ".join(wrong)


@pytest.mark.parametrize("height", [800, 1000])
def test_on_a_desktop_the_question_box_stays_at_the_window_bottom_beside_a_tall_panel(
    browser: Any, page_server: PageServer, test_output_dir: Path, height: int
) -> None:
    """The side panel holding more than the window (a long article open) makes the page taller
    than the window. The chat column was only as tall as its conversation: the question box
    ended above the window's bottom, and once the page scrolled it floated ~100 px above it
    with empty space under it. The column now reaches the page's end."""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 1280, "height": height}, base_url=page_server.server.url
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.route("**/documents/tram", long_article)
        page.goto("/")
        page.evaluate("localStorage.clear()")
        page.reload()
        page.locator("#articles-view .article-open", has_text="tram").click()
        expect(page.locator("#articles-view .article-paragraph")).to_have_count(30)
        taller = page.evaluate("document.getElementById('articles-body').scrollHeight")
        assert taller > height  # the panel has more to show than the window holds
        expect(page.locator("#empty-state")).to_be_visible()
        assert_the_box_is_at_the_window_bottom(page, "an empty chat")
        page.screenshot(path=str(test_output_dir / f"chat-tall-panel-empty-{height}.png"))

        page.evaluate("window.scrollTo(0, 0)")
        ask(page, QUESTION)
        answer = last_turn(page).locator(".answer")
        expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        expect(answer).to_be_in_viewport()
        assert_the_box_is_at_the_window_bottom(page, "after an answer")
        page.screenshot(path=str(test_output_dir / f"chat-tall-panel-answer-{height}.png"))
        assert sideways_overflow(page) <= 0, "the page scrolls sideways"
    finally:
        context.close()


def the_article_box(page: Any) -> dict[str, float]:
    """The Source view's Whole article box: its height and bottom, the height of what it holds,
    the side panel's bottom, how far the view itself scrolls, the window's height and a rem, in
    CSS pixels."""
    return dict(
        page.evaluate(
            """() => {
              const box = document.querySelector("#source-body .article-body");
              const view = document.getElementById("source-body");
              const room = box.getBoundingClientRect();
              return {height: room.height, bottom: room.bottom, holds: box.scrollHeight,
                      panel: document.getElementById("source-panel").getBoundingClientRect().bottom,
                      view: view.scrollHeight - view.clientHeight, window: innerHeight,
                      rem: parseFloat(getComputedStyle(document.documentElement).fontSize)};
            }"""
        )
    )


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(2560, 1300, "wide"), (1280, 860, "desktop"), (800, 900, "narrow"), (390, 844, "phone")],
)
def test_the_whole_article_box_takes_the_height_the_window_leaves(
    browser: Any, page_server: PageServer, test_output_dir: Path, width: int, height: int, name: str
) -> None:
    """A citation opens its article in the Source view. On a tall window the Whole article box
    showed 22rem, about three paragraphs, with half the window empty under the panel: it now
    takes the height the panel has left under the cited paragraph, at least 22rem (the view
    scrolls when the window leaves less), and no more than 60 % of the window where the panel
    is under the chat (up to 860 px wide). A short article's box is only as tall as it."""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=page_server.server.url
    )
    try:
        page = with_saved_turns(context, 1)
        page.route("**/documents/harbour", long_article)
        page.locator("#conversation .citation-link").first.click()
        body = page.locator("#source-body .article-body")
        expect(body.locator(".article-paragraph")).to_have_count(30)
        body.locator(".article-paragraph.cited").wait_for()
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_timeout(200)
        found = the_article_box(page)
        floor = 22 * found["rem"]
        assert found["holds"] > found["height"] + 1, found  # the article is longer than the box
        if name in ("wide", "desktop"):
            # the box reaches the panel's end (its padding and edge apart), the panel the
            # window's, less its margin, and the view does not scroll past a box that fits
            assert found["height"] >= floor - 1, found
            if found["view"] <= 1:
                assert found["panel"] - 2 * found["rem"] <= found["bottom"] <= found["panel"], found
            assert found["panel"] <= found["window"], found
        if name == "wide":
            assert found["height"] > floor + 10 * found["rem"], (
                f"the article box is {found['height']:.0f} px tall in a {height} px window"
            )
            assert found["view"] <= 1, found
        if name in ("narrow", "phone"):
            assert abs(found["height"] - 0.6 * height) <= 1, found
        page.screenshot(path=str(test_output_dir / f"chat-article-box-{name}.png"))

        # a short article (in a new tab, where it is not lengthened): its box is as tall as it,
        # with nothing to scroll
        short = with_saved_turns(context, 1)
        short.locator("#conversation .citation-link").first.click()
        expect(short.locator("#source-body .article-body .article-paragraph")).to_have_count(2)
        found = the_article_box(short)
        assert found["height"] < floor and found["holds"] <= found["height"], found
        assert sideways_overflow(short) <= 0, "the page scrolls sideways"
    finally:
        context.close()


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF from Chromium has (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_a_printed_conversation_is_printed_whole(browser: Any, page_server: PageServer) -> None:
    """Printed (or saved as a PDF), in landscape too, where the page is as wide as a desktop
    window, the whole conversation is on paper. (A page the window's height, with the chat
    scrolling on its own, once printed only what fitted the first sheet.)"""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, base_url=page_server.server.url
    )
    try:
        first = context.new_page()
        first.goto("/")
        turns = [saved_turn(n) for n in range(1, 11)]
        first.evaluate(
            "(v) => { localStorage.clear(); localStorage.setItem('groundedQa.conversation', v); }",
            json.dumps({"version": 1, "turns": turns}),
        )
        first.close()
        page = context.new_page()
        page.goto("/")
        expect(page.locator("#conversation > li.turn")).to_have_count(len(turns))
        pages = {
            (paper, landscape): pdf_pages(page.pdf(format=paper, landscape=landscape))
            for paper in ("Letter", "A4")
            for landscape in (True, False)
        }
        for paper in ("Letter", "A4"):
            # ten answers fill several sheets either way; a landscape sheet is shorter but the
            # page as laid out there is wider (a portrait sheet is narrow enough to put the
            # panel under the chat), so about as many sheets as in portrait, not one
            assert pages[paper, True] > 1, pages
            assert pages[paper, True] >= pages[paper, False] - 1, pages
    finally:
        context.close()


def placeholder_and_room(page: Any) -> tuple[str, float, float]:
    """The question box's placeholder, its width in the box's font, and the width the box has
    for text (inside its padding), in CSS pixels."""
    found = page.evaluate(
        """() => {
          const box = document.getElementById("question");
          const style = getComputedStyle(box);
          const canvas = document.createElement("canvas").getContext("2d");
          canvas.font = style.font;
          const needed = canvas.measureText(box.placeholder).width;
          const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
          return [box.placeholder, needed, box.clientWidth - padding];
        }"""
    )
    return str(found[0]), float(found[1]), float(found[2])


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 860, "desktop"), (390, 844, "phone")])
def test_the_question_box_placeholder_fits_the_box(
    browser: Any, page_server: PageServer, width: int, height: int, name: str
) -> None:
    """Its hint is not cut off on a phone (a shorter one there), for every article and for one;
    on a desktop it is the whole one, and a phone turned into a wider window gets it back."""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": width, "height": height},
        base_url=page_server.server.url,
        is_mobile=name == "phone",
    )
    whole = {False: "Ask about the articles…", True: "Ask about this article…"}
    try:
        page = context.new_page()
        page.goto("/")
        page.evaluate("localStorage.clear()")
        page.reload()
        for scoped in (False, True):
            if scoped:
                page.locator("#articles-view .article-open").first.click()
                page.get_by_role("button", name="Ask about this article").click()
                expect(page.locator("#ask-scope")).to_be_visible()
            text, needed, room = placeholder_and_room(page)
            assert text and needed <= room, f"{name}: {text!r} takes {needed:.0f} px of {room:.0f}"
            if name == "desktop":
                assert text == whole[scoped]
            else:
                assert text != whole[scoped]  # it would not fit
                box = page.locator("#question")
                page.set_viewport_size({"width": 1280, "height": 860})
                expect(box).to_have_attribute("placeholder", whole[scoped])
                page.set_viewport_size({"width": width, "height": height})
                expect(box).to_have_attribute("placeholder", text)
    finally:
        context.close()


# --- Stop --------------------------------------------------------------------------------------


def test_stop_ends_a_question_being_worded_and_the_server_stops_it(
    page_probe: PageProbe, page_server: PageServer, slow_writer: Any, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    server = page_server.server
    page.goto("/")
    page.fill("#question", QUESTION)
    with page.expect_response("**/ask/stream") as response_info:
        page.press("#question", "Enter")
    request_id = response_info.value.headers["x-request-id"]
    turn = last_turn(page)
    expect(turn.locator(".thinking .progress")).to_contain_text("Wording", timeout=30_000)
    expect(page.locator("#stop")).to_be_visible()
    expect(page.locator("#ask")).to_be_disabled()

    # a second question while this one is answered is not silently dropped
    ask(page, "And the tram line?")
    expect(page.locator("#ask-notice")).to_have_text(BUSY)
    expect(page.locator("#question")).to_have_value("And the tram line?")
    assert page.locator("#conversation > li.turn").count() == 1
    page.screenshot(path=str(test_output_dir / "chat-busy-notice.png"), full_page=True)

    page.click("#stop")
    expect(turn.locator(".stopped")).to_contain_text("You stopped this question")
    expect(page.locator("#stop")).to_be_hidden()
    expect(page.locator("#ask")).to_be_enabled()
    expect(page.locator("#ask-notice")).to_be_hidden()
    page.screenshot(path=str(test_output_dir / "chat-stopped.png"), full_page=True)
    slow_writer.released.set()  # the model finishes wording the stopped question

    # the server: the stream's request ended as cancelled, and the answer stopped at the stage
    # after writing instead of being checked and sent
    access = record_for(server, request_id, "request")
    assert access["path"] == "/ask/stream"
    assert access["outcome"] == "cancelled", access
    stopped = record_for(server, request_id, "stopped answering: the client left")
    assert stopped["stopped_before"] not in ("searching", "reading", "writing"), stopped

    # the next question is answered as usual
    page.fill("#question", QUESTION)
    page.press("#question", "Enter")
    answered = last_turn(page).locator(".answer")
    expect(answered).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(answered.locator(".answer-text")).to_contain_text("40 fishing boats")
    assert [t.get_attribute("class") for t in page.locator("#conversation > li > div").all()][
        1
    ] == "stopped"
    assert page_probe.script_errors() == []


def test_a_double_click_on_ask_does_not_stop_the_question_and_a_stop_keeps_its_text(
    page_probe: PageProbe, page_server: PageServer, slow_writer: Any
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.fill("#question", QUESTION)
    box = page.locator("#ask").bounding_box()
    assert box is not None
    # Stop takes Ask's place: the second click of the double click lands on it
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    turn = last_turn(page)
    expect(turn.locator(".thinking .progress")).to_contain_text("Wording", timeout=30_000)
    expect(page.locator("#stop")).to_be_visible()
    assert turn.locator(".stopped").count() == 0
    expect(page.locator("#question")).to_have_value("")

    page.click("#stop")  # a click of its own stops at once
    expect(turn.locator(".stopped")).to_contain_text("You stopped this question")
    # the stopped question is back in the box, to ask again or edit
    expect(page.locator("#question")).to_have_value(QUESTION)
    assert page_probe.script_errors() == []


def test_a_reload_while_a_question_is_answered_keeps_it_as_not_answered(
    page_probe: PageProbe, page_server: PageServer, slow_writer: Any
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    ask(page, QUESTION)
    expect(last_turn(page).locator(".thinking .progress")).to_contain_text(
        "Wording", timeout=30_000
    )
    page.reload()
    turn = last_turn(page)
    expect(turn.locator(".question-text")).to_have_text(QUESTION)
    expect(turn.locator(".stopped")).to_contain_text("the page was reloaded or closed")
    expect(page.locator("#question")).to_have_value(QUESTION)  # offered again
    assert page_probe.script_errors() == []


def test_the_box_says_what_is_wrong_before_sending(page_probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.fill("#question", "   ")
    page.press("#question", "Enter")
    expect(page.locator("#ask-notice")).to_have_text("Type a question first.")
    assert page.locator("#conversation > li").count() == 0
    limit = int(page.get_attribute("#question", "data-max-chars") or 0)
    assert limit == 500  # server.max_question_chars, as served
    page.fill("#question", "w" * (limit + 1))
    expect(page.locator("#ask-notice")).to_have_text(
        f"{limit + 1} characters: the limit is {limit}. Ask a shorter question."
    )
    # asked anyway, it is not sent: the notice stays and no turn is added
    page.press("#question", "Enter")
    expect(page.locator("#ask-notice")).to_have_text(
        f"{limit + 1} characters: the limit is {limit}. Ask a shorter question."
    )
    assert page.locator("#conversation > li").count() == 0
    page.fill("#question", "w" * limit)
    expect(page.locator("#ask-notice")).to_be_hidden()


LONG_QUESTION = (
    "The harbour of Skarra reopened on Monday after a week of storms had closed it to all "
    "ships, and the harbour master said that forty fishing boats left port within the first "
    "hour: how many of them had been kept in port for the whole week, and how many had waited "
    "out the storms at anchor in the bay instead, and did any of them need repairs to their "
    "nets or engines before they could sail out again to the fishing grounds that week?"
)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_a_long_question_is_read_whole_in_a_box_that_grows(
    browser: Any,
    page_server: PageServer,
    slow_writer: Any,
    test_output_dir: Path,
    width: int,
    height: int,
) -> None:
    """A 400-character question in a one-line box scrolled sideways and could not be read
    over: the box grows with its lines up to a few, then scrolls; Enter asks, Shift+Enter starts
    a new line, Escape stops, and the box is one line again for the next question."""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=page_server.server.url
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/")
        page.evaluate("localStorage.clear()")
        page.reload()
        box = page.locator("#question")
        expect(box).to_be_focused()
        one_line = box.evaluate("(e) => e.getBoundingClientRect().height")
        assert 400 <= len(LONG_QUESTION) <= 500  # within server.max_question_chars

        def shown() -> dict[str, float]:
            return dict(
                box.evaluate(
                    """(e) => ({height: e.getBoundingClientRect().height,
                        scrollWidth: e.scrollWidth, clientWidth: e.clientWidth,
                        scrollHeight: e.scrollHeight, clientHeight: e.clientHeight,
                        lineHeight: parseFloat(getComputedStyle(e).lineHeight)})"""
                )
            )

        # a few lines (a phone's box beside its buttons holds a score of letters a line): all of
        # them shown, nothing scrolls
        box.fill(LONG_QUESTION[: 160 if width > 520 else 60])
        few = shown()
        assert few["height"] > one_line + few["lineHeight"] / 2, few
        assert few["scrollHeight"] <= few["clientHeight"] + 1, few
        assert few["scrollWidth"] <= few["clientWidth"], few  # wrapped, never sideways
        box.fill(LONG_QUESTION)  # more lines than a few: the box stops growing and scrolls
        many = shown()
        assert many["scrollWidth"] <= many["clientWidth"], many
        assert many["height"] >= few["height"], many
        assert many["height"] <= 6 * many["lineHeight"] + 2 * one_line, many
        if many["scrollHeight"] > many["clientHeight"] + 1:
            assert box.evaluate("(e) => getComputedStyle(e).overflowY") == "auto"
        bar = page.locator(".ask-bar").bounding_box()
        assert bar and bar["y"] + bar["height"] <= height + 1  # the box is still in the window
        assert sideways_overflow(page) <= 0, "the page scrolls sideways"
        page.screenshot(path=str(test_output_dir / f"chat-long-question-{width}.png"))

        # Shift+Enter starts a new line and asks nothing; Enter asks the whole question
        box.fill("How many fishing boats left?")
        box.press("Shift+Enter")
        box.press_sequentially("And when did the harbour reopen?")
        expect(box).to_have_value("How many fishing boats left?\nAnd when did the harbour reopen?")
        assert page.locator("#conversation > li").count() == 0
        box.fill(LONG_QUESTION)
        with page.expect_request("**/ask/stream") as sent:
            box.press("Enter")
        assert json.loads(sent.value.post_data or "{}")["question"] == LONG_QUESTION
        expect(last_turn(page).locator(".question-text")).to_have_text(LONG_QUESTION)
        expect(box).to_have_value("")
        expect(page.locator("#stop")).to_be_visible()
        assert abs(shown()["height"] - one_line) < 1  # one line again
        # while it is answered: Enter says why nothing is asked (no new line), Escape stops
        box.press("Enter")
        expect(page.locator("#ask-notice")).to_have_text(BUSY)
        expect(box).to_have_value("")
        box.press("Escape")
        expect(last_turn(page).locator(".stopped")).to_be_visible()
        # the question comes back to be asked again: whole, the box grown to show it
        expect(box).to_have_value(LONG_QUESTION)
        assert shown()["height"] == many["height"]
        assert page.locator("#conversation > li").count() == 1
    finally:
        context.close()


def test_stop_drops_a_waiting_question_at_once(
    page_probe: PageProbe, page_server: PageServer, slow_writer: Any
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    server = page_server.server
    results: list[httpx.Response] = []
    before = slow_writer.completions
    ahead = threading.Thread(
        target=lambda: results.append(
            httpx.post(f"{server.url}/ask", json={"question": QUESTION}, timeout=120)
        )
    )
    ahead.start()  # another client's question keeps the worker busy
    try:
        deadline = time.monotonic() + 60
        while slow_writer.completions == before:  # it is being worded
            assert time.monotonic() < deadline, "the first question never reached the model"
            time.sleep(0.1)
        page.goto("/")
        page.fill("#question", "When did the tram line open?")
        with page.expect_response("**/ask/stream") as response_info:
            page.press("#question", "Enter")
        request_id = response_info.value.headers["x-request-id"]
        progress = last_turn(page).locator(".thinking .progress")
        expect(progress).to_have_text("Waiting: 1 question ahead of yours…")
        assert queue_depth(server) == 2
        page.click("#stop")
        expect(last_turn(page).locator(".stopped")).to_be_visible()
        # dropped from the queue at once, while the first question is still being worded
        deadline = time.monotonic() + 3
        while queue_depth(server) != 1:
            assert time.monotonic() < deadline, "the stopped question kept its place"
            time.sleep(0.1)
        assert record_for(server, request_id, "request")["outcome"] == "cancelled"
    finally:
        slow_writer.released.set()  # the first question is worded and answered
        ahead.join(timeout=120)
    assert results and results[0].status_code == 200
    assert slow_writer.completions == before + 1  # the stopped question never reached the model


def test_the_time_shown_counts_the_wait_behind_other_questions(
    page_probe: PageProbe, page_server: PageServer, slow_writer: Any
) -> None:
    """The time under an answer is what the user waited, from asking to the answer; it was the
    sum of the service's own stages, which leaves out the time spent queued behind others."""
    from playwright.sync_api import expect

    page = page_probe.page
    server = page_server.server
    before = slow_writer.completions
    ahead = threading.Thread(
        target=lambda: httpx.post(f"{server.url}/ask", json={"question": QUESTION}, timeout=120)
    )
    ahead.start()  # another client's question holds the worker
    try:
        deadline = time.monotonic() + 60
        while slow_writer.completions == before:
            assert time.monotonic() < deadline, "the first question never reached the model"
            time.sleep(0.1)
        page.goto("/")
        page.evaluate("localStorage.clear()")
        page.reload()
        ask(page, QUESTION)
        progress = last_turn(page).locator(".thinking .progress")
        expect(progress).to_have_text("Waiting: 1 question ahead of yours…")
        time.sleep(2.5)  # waiting in line
    finally:
        slow_writer.released.set()
        ahead.join(timeout=120)
    meta = last_turn(page).locator(".answer-meta")
    expect(meta).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    saved = page.evaluate(SAVED_CONVERSATION)
    record = saved["turns"][-1]
    worked_s = sum(record["data"]["timings_ms"].values()) / 1000
    waited_s = record["waited_ms"] / 1000
    assert waited_s >= 2.5 > worked_s, record
    shown = float(meta.inner_text().split(" · ")[-1].removesuffix(" s"))
    assert abs(shown - waited_s) <= 0.05 + 1e-9, (meta.inner_text(), waited_s)  # to 0.1 s
    title = meta.get_attribute("title") or ""
    assert "the service worked on it for" in title, title
    assert "waiting for other questions" in title, title
    page.reload()  # the saved turn shows the same time
    expect(last_turn(page).locator(".answer-meta")).to_have_text(meta.inner_text())
    assert page_probe.script_errors() == []


# --- the conversation across a reload, and New chat ------------------------------------------


def test_the_conversation_survives_a_reload_until_new_chat(
    page_probe: PageProbe, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    ask(page, QUESTION)
    answer = last_turn(page).locator(".answer")
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    answer_text = answer.locator(".answer-text").inner_text()
    # a key given in this tab must not end up in the saved conversation
    page.evaluate("sessionStorage.setItem('groundedQa.readKey', 'read-key-kept-for-the-tab-only')")

    page.reload()
    restored = last_turn(page)
    expect(restored.locator(".question-text")).to_have_text(QUESTION)
    expect(restored.locator(".answer-text")).to_have_text(answer_text)
    expect(page.locator("#empty-state")).to_be_hidden()
    restored.locator(".citation-link").first.click()  # its citation still opens its source
    expect(page.locator("#source-panel .source-title")).to_have_text(
        "Skarra harbour reopens after a week of storms"
    )
    expect(page.locator("#source-panel .cited-paragraph mark")).to_be_visible()
    page.screenshot(path=str(test_output_dir / "chat-restored.png"), full_page=True)
    saved = page.evaluate("JSON.stringify(localStorage)")
    assert "read-key-kept-for-the-tab-only" not in saved
    assert QUESTION in saved

    # a follow-up after the reload is read with the restored turn
    page.fill("#question", "Who said so?")
    with page.expect_request("**/ask/stream") as request_info:
        page.press("#question", "Enter")
    body = json.loads(request_info.value.post_data or "{}")
    assert [turn["question"] for turn in body["history"]] == [QUESTION]
    expect(last_turn(page).locator(".answer, .insufficient").first).to_be_visible(
        timeout=ANSWER_TIMEOUT_MS
    )

    page.get_by_role("button", name="New chat").click()
    expect(page.locator("#conversation > li")).to_have_count(0)
    expect(page.locator("#empty-state")).to_be_visible()
    expect(page.locator("#question")).to_be_focused()
    assert page.evaluate(SAVED_CONVERSATION)["turns"] == []
    page.reload()
    expect(page.locator("#conversation > li")).to_have_count(0)
    # and the next question starts a new conversation
    with page.expect_request("**/ask/stream") as request_info:
        ask(page, QUESTION)
    assert json.loads(request_info.value.post_data or "{}")["history"] == []
    expect(last_turn(page).locator(".answer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert page_probe.script_errors() == []


TAB_ID = "sessionStorage.getItem('groundedQa.tabConversation')"


def test_two_tabs_keep_their_own_conversations(page_probe: PageProbe) -> None:
    """A researcher with the page open in two tabs: a reload of one shows its own questions,
    never the other tab's, and New chat in one leaves the other's alone."""
    from playwright.sync_api import expect

    first = page_probe.page
    first.goto("/")
    first.evaluate("localStorage.clear()")
    first.reload()
    ask(first, QUESTION)
    expect(last_turn(first).locator(".answer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    second = first.context.new_page()
    try:
        second.goto("/")
        # a new tab carries on from the newest conversation, as a copy of its own
        expect(second.locator("#conversation > li.turn")).to_have_count(1)
        other = "Who is the harbour master?"
        ask(second, other)
        expect(second.locator("#conversation > li.turn")).to_have_count(2)
        expect(last_turn(second).locator(".answer, .insufficient").first).to_be_visible(
            timeout=ANSWER_TIMEOUT_MS
        )

        first.reload()
        questions = first.locator("#conversation .question-text")
        expect(questions).to_have_text([QUESTION])  # its own, not the other tab's

        # a tab left idle since it opened: a reload shows what it showed, not a newer question
        idle = first.context.new_page()
        try:
            idle.goto("/")
            expect(idle.locator("#conversation .question-text")).to_have_count(2)  # the newest
            ask(first, "Who reopened the harbour?")
            expect(first.locator("#conversation > li.turn")).to_have_count(2)
            expect(last_turn(first).locator(".answer, .insufficient").first).to_be_visible(
                timeout=ANSWER_TIMEOUT_MS
            )
            idle.reload()
            expect(idle.locator("#conversation .question-text")).to_have_text([QUESTION, other])
        finally:
            idle.close()
        first.reload()
        expect(questions).to_have_text([QUESTION, "Who reopened the harbour?"])
        second.get_by_role("button", name="New chat").click()
        expect(second.locator("#conversation > li")).to_have_count(0)
        first.reload()
        expect(questions).to_have_text([QUESTION, "Who reopened the harbour?"])
        second.reload()
        expect(second.locator("#conversation > li")).to_have_count(0)

        # a duplicated tab (sessionStorage copied, so the same id) takes an id of its own
        own_id = first.evaluate(TAB_ID)
        copy = first.context.new_page()
        try:
            copy.add_init_script(
                f"sessionStorage.setItem('groundedQa.tabConversation', {json.dumps(own_id)})"
            )
            copy.goto("/")
            expect(copy.locator("#conversation .question-text")).to_have_text(
                [QUESTION, "Who reopened the harbour?"]
            )
            deadline = time.monotonic() + 10  # (wait_for_function evaluates a string: the CSP
            # refuses that, so the id is read until it changes)
            while copy.evaluate(TAB_ID) == own_id:
                assert time.monotonic() < deadline, "the duplicated tab kept the id it copied"
                copy.wait_for_timeout(50)
        finally:
            copy.close()
    finally:
        second.close()
    assert page_probe.script_errors() == []


# --- example questions ---------------------------------------------------------------------------


def test_example_questions_come_from_the_titles_and_ask(
    page_probe: PageProbe, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    examples = page.locator("#examples .example")
    expect(examples.first).to_be_visible()
    documents = page.request.get("/documents").json()["documents"]
    titles = [d["title"] for d in documents if d["has_title"]]
    shown = [e.inner_text() for e in examples.all()]
    assert 1 <= len(shown) <= 3
    for question in shown:
        assert any(title in question for title in titles), (question, titles)
    page.screenshot(path=str(test_output_dir / "chat-examples.png"), full_page=True)

    with page.expect_request("**/ask/stream") as request_info:
        examples.first.click()
    assert json.loads(request_info.value.post_data or "{}")["question"] == shown[0]
    turn = last_turn(page)
    expect(turn.locator(".answer, .insufficient").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#empty-state")).to_be_hidden()
    expect(turn.locator(".answer:not(.insufficient) .citation-link").first).to_be_visible()
    assert page_probe.script_errors() == []


@contextmanager
def added_articles(page_server: PageServer, articles: list[tuple[str, str, str]]) -> Iterator[None]:
    """The articles (title, text, date) added over the API for the block, deleted after it."""
    admin = {"Authorization": f"Bearer {PAGE_ADMIN_KEY}"}
    ids = []
    with page_server.server.client(timeout=120) as client:
        for title, text, date in articles:
            added = client.post(
                "/documents", headers=admin, json={"title": title, "text": text, "date": date}
            )
            assert added.status_code == 201, added.text
            ids.append(added.json()["doc_id"])
    try:
        yield
    finally:
        with page_server.server.client(timeout=120) as client:
            for doc_id in ids:
                assert client.delete(f"/documents/{doc_id}", headers=admin).status_code == 204


def example_questions(page: Any) -> list[str]:
    """The page loaded, and the three example questions it offers."""
    from playwright.sync_api import expect

    page.goto("/")
    examples = page.locator("#examples .example")
    expect(examples).to_have_count(3)
    return list(examples.all_inner_texts())


def test_articles_under_one_headline_give_one_example_question(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """Two articles under one headline (an edited record imported beside the first, a page
    saved twice) made the same example question twice, one of the few offered; now once, and
    the next article gives the other."""
    title = "Skarra choir sings again"
    texts = ("The Skarra choir sang again on Sunday.", "The Skarra choir sang on Sunday.")
    with added_articles(page_server, [(title, text, "2031-12-24") for text in texts]):  # newest
        shown = example_questions(page_probe.page)
        assert len(set(shown)) == 3, shown
        assert shown.count(f"What does the article “{title}” report?") == 1
        assert page_probe.script_errors() == []


def test_an_example_question_does_not_double_a_titles_quotation_marks(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """An example question wrapped a title in quotation marks whatever it held: a headline that
    opens with a quote (“Fake news,” Kremlin says) or is one (“We will rebuild”) showed doubled
    marks. The marks within a title are made single (German „…“ ‚…‘, not „…‘), and a title
    wholly quoted keeps its own."""
    articles = [  # the newest, so among the examples
        ("“Fake news,” Kremlin says of Skarra report", "The Kremlin dismissed the report.",
         "2031-12-24"),
        ("“We will rebuild the Skarra quay”", "The mayor promised to rebuild the quay.",
         "2031-12-23"),
        ("Skarra nennt Bericht „Fake News“", "Die Stadt wies den Bericht zurück.",
         "2031-12-22"),
    ]  # fmt: skip
    with added_articles(page_server, articles):
        shown = example_questions(page_probe.page)
        assert "What does the article “‘Fake news,’ Kremlin says of Skarra report” report?" in shown
        assert "What does the article “We will rebuild the Skarra quay” report?" in shown
        # a German pair („…“, closed by the English opening mark) made German single marks
        assert "What does the article “Skarra nennt Bericht ‚Fake News‘” report?" in shown
        assert not any("““" in q or "””" in q for q in shown), shown
        assert page_probe.script_errors() == []


def test_a_refused_question_is_still_part_of_the_conversation(page_probe: PageProbe) -> None:
    """A follow-up after a refusal is read with the refused question, as POST /ask reads a
    refusal carried back (its text is not sent as an answer); only answered turns were sent,
    so "And the lighthouse?" after a refusal was read with nothing before it."""
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    refused = "What is the population of Iceland?"
    ask(page, refused)
    expect(last_turn(page).locator(".insufficient")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    for attempt in range(2):  # asked now, then again after a reload (the saved conversation)
        if attempt:
            page.reload()
            expect(page.locator("#conversation > li.turn")).to_have_count(2)
        page.fill("#question", "And Norway?")
        with page.expect_request("**/ask/stream") as request_info:
            page.press("#question", "Enter")
        sent = json.loads(request_info.value.post_data or "{}")
        assert sent["history"][0] == {"question": refused, "answer": ""}, sent
        expect(last_turn(page).locator(".answer, .insufficient").first).to_be_visible(
            timeout=ANSWER_TIMEOUT_MS
        )
    assert page_probe.script_errors() == []
