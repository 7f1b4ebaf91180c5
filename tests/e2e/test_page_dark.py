"""The chat page in the dark colour scheme (`prefers-color-scheme: dark`), in real Chromium.

The page must really turn dark (computed colours, not just a class), and axe-core must find
nothing in the page's states, color-contrast above all: an answer with its citation open, a
refusal with its closest paragraphs, the documents tab, verified and unverified markers, notes,
errors, the busy state, and a chat asked about one article (its chip, and the article gone).
Each state is also checked in the light scheme, which the dark one must leave as it was.

axe-core is the axe.min.js that the axe-playwright-python package ships, or the file that
AXE_CORE_JS names, evaluated in the page and run there with its default rules.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PageProbe
from tests.e2e.crafted import document, fulfil_json, fulfil_problem, fulfil_sse

pytestmark = pytest.mark.e2e

ANSWER_TIMEOUT_MS = 120_000  # the first question also warms up the models
SCHEMES = ["dark", "light"]
ANSWERED = "Whom did South Korea summon on Monday?"
REFUSED = "What is the capital of Australia?"


# --- axe-core ---------------------------------------------------------------------------------


@functools.cache
def axe_source() -> str:
    named = os.environ.get("AXE_CORE_JS")
    if named:
        return Path(named).read_text(encoding="utf-8")
    try:
        bundled = importlib.resources.files("axe_playwright_python") / "axe.min.js"
        return bundled.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pytest.fail(
            "axe-core is missing: the page's accessibility checks need the axe.min.js that "
            "axe-playwright-python ships (pip install axe-playwright-python), or AXE_CORE_JS "
            "naming an axe.min.js",
            pytrace=False,
        )


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core's default rules (WCAG 2 A and AA, best practices) find on the page now."""
    # evaluated over the DevTools protocol: the page's CSP (script-src 'self') does not apply
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return list(results["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"  {node['target']}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_accessible(page: Any, state: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{state}:\n{describe(violations)}"


def shoot(page: Any, scheme: str, name: str, folder: Path) -> None:
    if scheme == "dark":
        page.screenshot(path=str(folder / f"dark-{name}.png"), full_page=True)


def open_page(probe: PageProbe, scheme: str) -> Any:
    page = probe.page
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    # the example questions and the articles list are fetched after load
    page.locator(".example").first.wait_for()
    page.locator(".article-open").first.wait_for()
    return page


def ask(page: Any, question: str) -> Any:
    """Ask on the page; the new turn's answer, refusal or error box, once shown."""
    count = page.locator("#conversation > li.turn").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    box = page.locator("#conversation > li.turn").nth(count).locator(".answer, .error").first
    box.wait_for(timeout=ANSWER_TIMEOUT_MS)
    return box


# --- colours ------------------------------------------------------------------------------------


def rgb(css: str) -> tuple[float, float, float]:
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", css)
    assert found, css
    assert found.group(4) is None or float(found.group(4)) == 1.0, f"not opaque: {css}"
    red, green, blue = (int(found.group(i)) for i in (1, 2, 3))
    return red, green, blue


def luminance(css: str) -> float:
    """WCAG relative luminance of an opaque CSS colour, 0 (black) to 1 (white)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb(css))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def style(page: Any, selector: str, prop: str) -> str:
    return str(page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}"))


def test_the_dark_scheme_paints_the_page_dark(probe: PageProbe) -> None:
    page = open_page(probe, "dark")
    assert style(page, "html", "colorScheme") == "dark"  # native fields and scroll bars too
    page_bg = style(page, "body", "backgroundColor")
    text = style(page, "body", "color")
    assert luminance(page_bg) < 0.02, page_bg
    assert luminance(text) > 0.7, text
    assert contrast(text, page_bg) >= 7, (text, page_bg)
    # the panels sit a step above the page, still dark, with light text
    surface = style(page, ".source-panel", "backgroundColor")
    assert luminance(page_bg) < luminance(surface) < 0.03, (page_bg, surface)
    assert contrast(style(page, ".article-title", "color"), surface) >= 7
    # muted text and the field's edge against what they stand on
    assert contrast(style(page, ".tagline", "color"), page_bg) >= 4.5
    assert contrast(style(page, ".article-meta", "color"), surface) >= 4.5
    assert contrast(style(page, "#question", "borderTopColor"), page_bg) >= 3
    # the question box, and the sticky bar it sits on, are dark too
    assert luminance(style(page, "#question", "backgroundColor")) < 0.03
    assert luminance(style(page, "#question", "color")) > 0.7
    assert style(page, ".ask-bar", "backgroundColor") == page_bg
    # a filled button: light, with dark text
    ask_bg = style(page, "#ask", "backgroundColor")
    assert contrast(style(page, "#ask", "color"), ask_bg) >= 4.5
    # the focus ring stands out from the page
    page.focus("#dates-toggle")  # the button before Ask (the question box, Dates, Ask)
    page.keyboard.press("Tab")  # to Ask, by keyboard: :focus-visible
    ring = style(page, "#ask", "outlineColor")
    assert style(page, "#ask", "outlineStyle") == "solid"
    assert contrast(ring, page_bg) >= 3, (ring, page_bg)
    assert not probe.script_errors(), probe.errors


def test_the_light_scheme_stays_light(probe: PageProbe) -> None:
    page = open_page(probe, "light")
    assert style(page, "html", "colorScheme") == "light"
    page_bg = style(page, "body", "backgroundColor")
    assert luminance(page_bg) > 0.85, page_bg
    assert luminance(style(page, "body", "color")) < 0.05
    assert luminance(style(page, ".source-panel", "backgroundColor")) == 1.0  # white


# --- axe-core in the page's states ----------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_empty_page_passes_axe(probe: PageProbe, scheme: str, test_output_dir: Path) -> None:
    from playwright.sync_api import expect

    page = open_page(probe, scheme)
    assert_accessible(page, "the empty page")
    shoot(page, scheme, "empty", test_output_dir)
    # the skip link, shown while focused
    page.focus(".skip-link")
    expect(page.locator(".skip-link")).to_be_in_viewport()
    expect(page.locator(".skip-link")).to_be_focused()
    assert_accessible(page, "the skip link, focused")
    assert not probe.script_errors(), probe.errors


@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_answer_with_its_citation_open_passes_axe(
    probe: PageProbe, scheme: str, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page(probe, scheme)
    answer = ask(page, ANSWERED)
    expect(answer).not_to_have_class(re.compile(r"\binsufficient\b"))
    marker = answer.locator(".answer-text .citation-link").first
    marker.click()
    expect(marker).to_have_class(re.compile(r"\bactive\b"))
    page.locator("#source-panel .article-body .article-paragraph.cited").wait_for()
    expect(page.locator("#source-panel .cited-paragraph mark")).to_have_count(1)
    assert_accessible(page, "an answer, its citation open")
    shoot(page, scheme, "answered", test_output_dir)
    assert not probe.script_errors(), probe.errors


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_refusal_with_its_closest_paragraphs_passes_axe(
    probe: PageProbe, scheme: str, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page(probe, scheme)
    refusal = ask(page, REFUSED)
    expect(refusal).to_have_class(re.compile(r"\binsufficient\b"))
    expect(refusal.locator(".badge.abstained")).to_be_visible()
    expect(refusal.locator(".closest-item").first).to_be_visible()
    assert_accessible(page, "a refusal (not enough evidence)")
    shoot(page, scheme, "refusal", test_output_dir)
    # a closest paragraph opened in the side panel
    refusal.locator(".closest-item .link-button").first.click()
    page.locator("#source-panel .article-body .article-paragraph").first.wait_for()
    assert_accessible(page, "a refusal, a closest paragraph open")
    assert not probe.script_errors(), probe.errors


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_documents_tab_passes_axe(
    page_probe: PageProbe, scheme: str, test_output_dir: Path
) -> None:
    """On the page server, which has admin actions on (an admin key the page does not hold)."""
    from playwright.sync_api import expect

    probe = page_probe
    page = open_page(probe, scheme)
    page.click("#tab-articles")
    expect(page.locator("#tab-articles")).to_have_attribute("aria-selected", "true")
    assert_accessible(page, "the documents tab: the list")
    shoot(page, scheme, "documents", test_output_dir)
    page.fill(".articles-filter", "harbour")
    assert_accessible(page, "the documents tab: the list, filtered")

    page.locator(".article-open").first.click()
    page.locator(".article-heading").wait_for()
    expect(page.locator(".article-text .article-paragraph").first).to_be_visible()
    assert_accessible(page, "the documents tab: an article")
    shoot(page, scheme, "article", test_output_dir)

    # deleting without the admin key: the key field and an error, nothing sent
    page.click(".danger-link")
    page.click(".confirm-delete button.danger")
    expect(page.locator(".confirm-delete .panel-error")).to_be_visible()
    assert_accessible(page, "the documents tab: delete, no admin key")

    # adding without the admin key: the form and its error
    page.click("#add-article")
    page.fill("#new-text", "A paragraph of an article.")
    page.click(".add-article-form button.primary")
    expect(page.locator(".add-article-form .panel-error")).to_be_visible()
    assert_accessible(page, "the documents tab: add an article, no admin key")
    shoot(page, scheme, "add-article", test_output_dir)
    assert not probe.script_errors(), probe.errors


@pytest.mark.parametrize("scheme", SCHEMES)
def test_asking_about_one_article_passes_axe(
    probe: PageProbe, scheme: str, test_output_dir: Path
) -> None:
    """The scope chip by the question box, its notice and its remove control, focused; then the
    article gone (the server's 422, routed in the browser): the chip marked, the way out."""
    from playwright.sync_api import expect

    page = open_page(probe, scheme)
    first = page.request.get("/documents").json()["documents"][0]
    page.locator(".article-open").first.click()
    page.get_by_role("button", name="Ask about this article").click()
    chip = page.locator("#ask-scope .scope-chip")
    expect(chip).to_be_visible()
    expect(page.locator("#ask-notice")).to_contain_text("Now asking only about")
    assert_accessible(page, "asking about one article: the chip and its notice")
    chip_bg = style(page, ".scope-chip", "backgroundColor")
    for part in (".scope-text", ".scope-remove"):
        assert contrast(style(page, part, "color"), chip_bg) >= 4.5, part
    notice_bg = style(page, "#ask-notice", "backgroundColor")
    assert contrast(style(page, "#ask-notice", "color"), notice_bg) >= 4.5
    # its remove control, reached by keyboard: a ring that stands out from the chip and page
    page.focus("#question")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(".scope-remove")).to_be_focused()
    ring = style(page, ".scope-remove", "outlineColor")
    assert style(page, ".scope-remove", "outlineStyle") == "solid"
    assert (
        contrast(ring, chip_bg) >= 3 and contrast(ring, style(page, "body", "backgroundColor")) >= 3
    )
    assert_accessible(page, "asking about one article: its remove control focused")
    shoot(page, scheme, "scope", test_output_dir)

    detail = f"doc_ids: no article has the id(s) '{first['doc_id']}'; GET /documents lists the ids"
    page.route("**/ask/stream", fulfil_problem(422, "Invalid request", detail), times=1)
    error = ask(page, "Who reopened the harbour?")
    expect(error.get_by_role("button", name="Ask all the articles instead")).to_be_visible()
    expect(chip).to_have_class(re.compile(r"\bgone\b"))
    gone_bg = style(page, ".scope-chip", "backgroundColor")
    assert contrast(style(page, ".scope-gone-note", "color"), gone_bg) >= 4.5
    assert_accessible(page, "asking about one article: the article gone")
    shoot(page, scheme, "scope-gone", test_output_dir)
    assert not probe.script_errors(), probe.errors


# --- markers, notes and errors the seeds do not produce: answers routed in the browser ----------

TITLE = "Skarra harbour reopens after a week of storms"
ADDRESS = "https://example.org/news/skarra-harbour"
PARAGRAPH = "The harbour of Skarra reopened on Monday after a week of storms had closed it."
OTHER = "Harbour master Ingrid Talvik said 40 fishing boats left port within the first hour."


def crafted_answer() -> dict[str, Any]:
    """An answer with a verified [1] and an unverified [2] marker, a removed claim, a rewritten
    question, a word no article holds, and an article address (a link)."""

    def cited(index: int, text: str) -> dict[str, Any]:
        return {
            "doc_id": "skarra",
            "paragraph_id": f"skarra:p{index}",
            "index": index,
            "start": 0,
            "end": len(text),
            "text": text,
            "title": TITLE,
            "source": "Coast Times",
            "date": "2031-10-21",
            "url": ADDRESS,
        }

    first, second = cited(0, PARAGRAPH), cited(1, OTHER)
    span = PARAGRAPH.index("on Monday")
    return {
        "question": "When did the harbur reopen?",
        "rewritten_question": "When did Skarra harbour reopen?",
        "answer": "The harbour reopened on Monday [1]. Forty boats left within the hour [2].",
        "status": "answered",
        "citations": [
            {
                **first,
                "marker": 1,
                "verified": True,
                "support_score": 0.91,
                "span_start": span,
                "span_end": span + len("on Monday"),
            },
            {
                **second,
                "marker": 2,
                "verified": False,
                "support_score": 0.31,
                "span_start": 0,
                "span_end": len(OTHER),
            },
        ],
        "retrieved": [{**first, "score": 0.6}, {**second, "score": 0.5}],
        "short_answer": "on Monday",
        "evidence_score": 0.82,
        "answers_question": True,
        "removed_claims": ["The storms sank three ships."],
        "unknown_words": [{"word": "harbur", "suggestion": "harbour"}],
        "timings_ms": {"retrieve_ms": 12.0},
    }


def crafted_document() -> dict[str, Any]:
    dated = {"source": "Coast Times", "date": "2031-10-21"}
    return document(
        "skarra",
        [PARAGRAPH, OTHER],
        title=TITLE,
        article={**dated, "url": ADDRESS},
        paragraph=dated,
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_markers_notes_and_errors_pass_axe(
    probe: PageProbe, scheme: str, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page(probe, scheme)
    page.route("**/ask/stream", fulfil_sse(crafted_answer()), times=1)
    page.route("**/documents/skarra", fulfil_json(crafted_document()))
    answer = ask(page, "When did the harbur reopen?")
    expect(answer.locator(".citation-link.unverified")).to_have_count(1)
    expect(answer.locator(".removed-claim")).to_be_visible()
    expect(answer.locator(".unknown-words .ask-corrected")).to_be_visible()
    expect(answer.locator(".rewritten")).to_be_visible()
    expect(answer.locator("a.source-url").first).to_be_visible()
    assert_accessible(page, "verified and unverified markers, notes")
    # the unverified marker, active, with its source open
    answer.locator(".citation-link.unverified").click()
    expect(answer.locator(".citation-link.unverified")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator("#source-panel .badge.unverified")).to_be_visible()
    page.locator("#source-panel .article-body .article-paragraph.cited").wait_for()
    assert_accessible(page, "an unverified marker, active")
    shoot(page, scheme, "markers", test_output_dir)

    # an error that asks for the read API key
    page.route(
        "**/ask/stream",
        fulfil_problem(401, "Unauthorized", "This server needs a read API key."),
        times=1,
    )
    error = ask(page, "Who reopened the harbour?")
    expect(error.locator(".key-form")).to_be_visible()
    assert_accessible(page, "an error asking for the read key")

    # while a question is answered: thinking, Ask disabled, Stop; then the busy notice
    held: list[Any] = []
    page.route("**/ask/stream", lambda route: held.append(route), times=1)
    page.fill("#question", "How many boats left port?")
    page.press("#question", "Enter")
    deadline = time.monotonic() + 15
    while not held:
        assert time.monotonic() < deadline, "/ask/stream was never routed"
        page.wait_for_timeout(50)
    expect(page.locator("#conversation .thinking")).to_be_visible()
    expect(page.locator("#ask")).to_be_disabled()
    page.focus("#question")
    page.press("#question", "Enter")
    expect(page.locator("#ask-notice")).to_be_visible()
    assert_accessible(page, "answering: thinking, Ask disabled, the busy notice")
    shoot(page, scheme, "busy", test_output_dir)
    page.click("#stop")
    expect(page.locator("#conversation .stopped")).to_be_visible()
    with contextlib.suppress(Exception):  # the page dropped the request already
        held[0].abort()
    assert_accessible(page, "a stopped question")
    assert not probe.script_errors(), probe.errors


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_quote_without_the_kind_asked_for_says_so(
    probe: PageProbe, scheme: str, test_output_dir: Path
) -> None:
    """An answer whose quote holds no number for "How many…?" is shown with what it lacks, in
    words, in place of "the quote answers the question"; one that holds it keeps that badge."""
    from playwright.sync_api import expect

    page = open_page(probe, scheme)
    lacking = {**crafted_answer(), "asked_kind": "number", "holds_asked_kind": False}
    page.route("**/ask/stream", fulfil_sse(lacking), times=1)
    page.route("**/documents/skarra", fulfil_json(crafted_document()))
    answer = ask(page, "How many storms closed the harbour?")
    badge = answer.locator(".answer-checks .badge.lacking")
    expect(badge).to_have_text("the quote gives no number")
    assert "closest the articles come" in (badge.get_attribute("title") or "")
    expect(answer.locator(".answer-checks .badge.answers")).to_have_count(0)
    copied = page.evaluate("(data) => window.groundedQa.answerToMarkdown(data)", lacking)
    assert "> Note: the quoted sentence gives no number, which the question asks for" in copied
    assert "Note:" not in page.evaluate(
        "(data) => window.groundedQa.answerToMarkdown(data)", crafted_answer()
    )
    assert_accessible(page, "a quote that lacks the kind asked for")
    shoot(page, scheme, "lacking", test_output_dir)

    holding = {**crafted_answer(), "asked_kind": "time", "holds_asked_kind": True}
    page.route("**/ask/stream", fulfil_sse(holding), times=1)
    second = ask(page, "When did the harbour reopen?")
    expect(second.locator(".answer-checks .badge.answers")).to_have_text(
        "the quote answers the question"
    )
    expect(second.locator(".answer-checks .badge.lacking")).to_have_count(0)
    assert not probe.script_errors(), probe.errors
