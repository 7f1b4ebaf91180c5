"""Asking only of articles dated within a range ("Dates" by the question box) in a real headless
Chromium, on the seed articles with the real server and models: the form refuses a range the
wrong way round, the chip says what stands, each question carries `date_from` and `date_to`
and is answered as the API answers that request, the range is kept with the conversation (a
reload keeps it, its ✕ and New chat clear it).

Of the five seed articles only one is dated (2024-10-21, the envoy article); a range around
that day leaves it alone, a range before it leaves none.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import SAVED_CONVERSATION, PageProbe, Server, api_answer

pytestmark = pytest.mark.e2e

ANSWER_TIMEOUT_MS = 120_000  # the first question also warms up the models
QUESTION = "Whom did South Korea summon on Monday?"
DATED = "001_b3038a76a4f135e0"  # the one seed article with a date: 2024-10-21
UNDATED_TITLE = "South Korea summons Russian ambassador as tensions rise with North Korea"
# the range as the page shows it (common.js formatDate: the browser's en-US short dates)
OCTOBER = "from Oct 1, 2024 to Oct 31, 2024"


def ask(page: Any, question: str) -> tuple[dict[str, Any], Any]:
    """Ask on the page: the request's JSON body, and the new turn once its answer is shown."""
    count = page.locator("#conversation > li.turn").count()
    page.fill("#question", question)
    with page.expect_request("**/ask/stream") as request_info:
        page.press("#question", "Enter")
    turn = page.locator("#conversation > li.turn").nth(count)
    turn.locator(".answer, .insufficient, .error").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return json.loads(request_info.value.post_data or "{}"), turn


def chip(page: Any) -> Any:
    return page.locator("#ask-dates .scope-chip .scope-text")


def test_a_date_range_restricts_the_questions_until_it_is_removed(
    probe: PageProbe, server: Server, test_output_dir: Any
) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    toggle = page.locator("#dates-toggle")
    form = page.locator("#date-range")
    expect(form).to_be_hidden()
    expect(page.locator("#ask-dates")).to_be_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"

    # the form opens with focus in its first field; a range the wrong way round is refused
    toggle.click()
    expect(form).to_be_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    expect(page.locator("#date-from")).to_be_focused()
    page.fill("#date-from", "2024-10-31")
    page.fill("#date-to", "2024-10-01")
    page.click("#date-apply")
    expect(page.locator("#date-problem")).to_have_text(
        "The first date is after the second: swap them, or change one."
    )
    expect(form).to_be_visible()
    expect(page.locator("#ask-dates")).to_be_hidden()

    # a range around the dated article's day: the chip, a notice, focus back in the box
    page.fill("#date-from", "2024-10-01")
    page.fill("#date-to", "2024-10-31")
    page.click("#date-apply")
    expect(form).to_be_hidden()
    expect(chip(page)).to_have_text(f"Articles dated: {OCTOBER}")
    expect(page.locator("#ask-notice")).to_have_text(
        f"Now asking only articles dated {OCTOBER}; undated articles are left out."
    )
    expect(page.locator("#question")).to_be_focused()
    assert page.get_attribute("#question", "aria-describedby") == "ask-dates-text"
    assert toggle.get_attribute("aria-label") == f"Dates: {OCTOBER}"  # says a range is set

    # the question carries the range and is answered as the API answers that request: from
    # the dated article alone
    request, turn = ask(page, QUESTION)
    assert request == {
        "question": QUESTION, "history": [], "date_from": "2024-10-01", "date_to": "2024-10-31",
    }  # fmt: skip
    expected = api_answer(server, request)
    saved = page.evaluate(SAVED_CONVERSATION)
    done = saved["turns"][-1]["data"]
    assert done["status"] == expected["status"] and done["answer"] == expected["answer"]
    assert {r["doc_id"] for r in done["retrieved"]} <= {DATED}
    assert saved["dates"] == {"from": "2024-10-01", "to": "2024-10-31"}
    assert saved["turns"][-1]["dates"] == {"from": "2024-10-01", "to": "2024-10-31"}
    expect(turn.locator(".question-dates")).to_have_text(f"Asked only of articles dated {OCTOBER}")
    page.screenshot(path=str(test_output_dir / "chat-dates.png"), full_page=True)

    # kept across a reload, with the turn's note; the form reopens with the range filled in
    page.reload()
    expect(chip(page)).to_have_text(f"Articles dated: {OCTOBER}")
    expect(page.locator("#conversation .question-dates")).to_have_count(1)
    toggle.click()
    expect(page.locator("#date-from")).to_have_value("2024-10-01")
    expect(page.locator("#date-to")).to_have_value("2024-10-31")
    page.keyboard.press("Escape")  # closes it unchanged, focus back on the toggle
    expect(form).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(chip(page)).to_be_visible()

    # an article outside the range, asked about alone: the notice says it cannot be answered
    page.click("#tab-articles")
    page.locator("#articles-view").get_by_role("button", name=UNDATED_TITLE).click()
    page.get_by_role("button", name="Ask about this article").click()
    expect(page.locator("#ask-notice")).to_have_text(
        f"Now asking only about “{UNDATED_TITLE}”. It is undated, outside the dates set "
        f"({OCTOBER}): remove them to ask it."
    )
    page.get_by_role("button", name=f"Stop asking only about {UNDATED_TITLE}").click()

    # a range before any dated article, typed and not applied: asking applies it first;
    # nothing is left, and the refusal says why
    toggle.click()
    page.fill("#date-from", "")
    page.fill("#date-to", "2020-01-01")
    request, turn = ask(page, QUESTION)
    expect(form).to_be_hidden()
    expect(chip(page)).to_have_text("Articles dated: up to Jan 1, 2020")
    assert request["date_to"] == "2020-01-01" and "date_from" not in request
    expect(turn.locator(".insufficient")).to_be_visible()
    expect(turn.locator(".insufficient")).to_contain_text("date")

    # the chip's ✕: any date again, and the next question goes to every article
    page.get_by_role("button", name="Stop asking only of articles dated up to Jan 1, 2020").click()
    expect(page.locator("#ask-dates")).to_be_hidden()
    expect(page.locator("#ask-notice")).to_have_text("Asking articles of any date again.")
    assert page.get_attribute("#question", "aria-describedby") is None
    request, _ = ask(page, QUESTION)
    assert "date_from" not in request and "date_to" not in request

    # a year of five figures (the date field takes one) is refused, not dropped
    toggle.click()
    page.fill("#date-from", "2024-10-21")
    page.fill("#date-to", "20245-10-21")
    page.click("#date-apply")
    expect(page.locator("#date-problem")).to_have_text(
        "That date is not a calendar date: give a day, a month and a four-figure year, or leave "
        "it empty."
    )
    expect(page.locator("#date-to")).to_be_focused()
    assert page.get_attribute("#date-to", "aria-invalid") == "true"
    expect(page.locator("#ask-dates")).to_be_hidden()

    # New chat clears a range too, and closes the form
    page.fill("#date-to", "2024-10-21")
    page.click("#date-apply")
    expect(chip(page)).to_have_text("Articles dated: on Oct 21, 2024")
    toggle.click()
    page.click("#new-chat")
    expect(page.locator("#ask-dates")).to_be_hidden()
    expect(form).to_be_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate(SAVED_CONVERSATION)["dates"] is None
    assert probe.errors == [] and probe.dialogs == []


def test_a_new_answer_is_not_left_under_a_question_box_grown_by_its_chips(
    probe: PageProbe,
) -> None:
    """The question box grows with a date chip, an "Asking only" chip and a notice: a new
    answer, scrolled into view, ends above the box rather than under it (its score line and
    "Copy as Markdown" were hidden behind a box taller than the fixed room kept for it)."""
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    for question in ("Who signed the treaty?", "What did North Korea say about the drones?"):
        ask(page, question)  # enough conversation for the page to scroll
    page.click("#dates-toggle")
    page.fill("#date-from", "2024-10-01")
    page.fill("#date-to", "2024-10-31")
    page.click("#date-apply")
    page.click("#tab-articles")
    page.locator("#articles-view .article-open").first.click()
    page.get_by_role("button", name="Ask about this article").click()
    expect(page.locator("#ask-dates")).to_be_visible()
    expect(page.locator("#ask-scope")).to_be_visible()
    for question in (QUESTION, "What did South Korea ask Russia to do?"):
        _, turn = ask(page, question)
        page.wait_for_timeout(500)  # the scroll into view, smooth or not
        bar = page.locator(".ask-bar").bounding_box()
        shown = turn.bounding_box()
        assert bar and shown and bar["height"] > 100, bar  # the chips have grown the box
        bottom = shown["y"] + shown["height"]
        assert bottom <= bar["y"] + 1, (
            f"the new answer ends {bottom - bar['y']:.0f} px under the question box's top"
        )
    assert probe.script_errors() == [], probe.errors
