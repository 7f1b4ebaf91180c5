"""The chat page in a real headless Chromium against a real server over the seed articles."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from api.errors import problem_details
from api.routers.stream import answer_events, sse_event
from qa.errors import GenerationFailed
from qa.models import Answer
from tests.e2e.conftest import PageProbe, Server, sideways_overflow, start_server, stop_server
from tests.e2e.crafted import document, fulfil_json, fulfil_sse, sse_frames
from tests.e2e.test_stream import parse_sse_text

ANSWER_TIMEOUT_MS = 120_000  # the first question also warms up the models
PAYLOAD = "<img src=x onerror=alert(1)>"
CITED_INDEX = 30  # deep in the crafted article, so opening it has to scroll

pytestmark = pytest.mark.e2e


def stream_events(page: Any, question: str) -> list[tuple[str, Any]]:
    """The events POST /ask/stream sends for `question`, read outside the page."""
    response = page.request.post(
        "/ask/stream", data={"question": question}, timeout=ANSWER_TIMEOUT_MS
    )
    assert response.status == 200, response.text()
    events = parse_sse_text(response.text())
    assert events and events[-1][0] == "done", events
    return events


def ask(page: Any, question: str) -> None:
    page.goto("/")
    page.fill("#question", question)
    page.press("#question", "Enter")  # Enter submits


def last_turn(page: Any) -> Any:
    return page.locator("#conversation > li.turn").last


def test_answer_with_clickable_citation(probe: PageProbe, test_output_dir: Path) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    expect(page.locator("#question")).to_be_focused()
    page.fill("#question", "Whom did South Korea summon on Monday?")
    # The request is held in the browser until the thinking state has been seen: the real
    # server can answer within a fraction of a second, before a poll of the page would see it.
    held: list[Any] = []
    page.route("**/ask/stream", lambda route: held.append(route), times=1)
    # the page asks the streaming endpoint, with the question as JSON
    with (
        page.expect_request("**/ask/stream") as request_info,
        page.expect_response("**/ask/stream", timeout=ANSWER_TIMEOUT_MS) as response_info,
    ):
        page.press("#question", "Enter")
        # while the request runs: a thinking state, and the button cannot be pressed again
        expect(page.locator("#conversation .thinking")).to_be_visible()
        expect(page.locator("#ask")).to_be_disabled()
        deadline = time.monotonic() + 15  # the route handler runs as the driver's messages do
        while not held:
            assert time.monotonic() < deadline, "/ask/stream was never routed"
            page.wait_for_timeout(20)
        held[0].continue_()  # on to the real server, unchanged
    request = request_info.value
    assert request.method == "POST"
    assert json.loads(request.post_data or "{}") == {
        "question": "Whom did South Korea summon on Monday?",
        "history": [],  # the first question of a conversation
    }
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    # Chromium keeps no copy of a streamed body for Playwright to read, so the same question
    # is streamed once more here (answers are deterministic) to know what the page was sent.
    events = stream_events(page, "Whom did South Korea summon on Monday?")
    assert any(name == "token" for name, _ in events)
    body = events[-1][1]
    assert body["status"] == "answered", body

    answer = last_turn(page).locator(".answer")
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#ask")).to_be_enabled()
    expect(answer).not_to_have_class(re.compile(r"\binsufficient\b"))
    expect(last_turn(page).locator(".question")).to_contain_text("South Korea summon")
    links = answer.locator(".answer-text .citation-link")
    assert links.count() >= 1
    expect(links.first).to_have_text("[1]")
    page.screenshot(path=str(test_output_dir / "chat-answered.png"), full_page=True)
    # the words streamed in, then the answer was rendered from the `done` event
    assert answer.locator(".answer-text").inner_text().startswith(body["answer"].split()[0])
    expect(page.locator("#conversation .answer-draft")).to_have_count(0)
    page.screenshot(path=str(test_output_dir / "chat-streamed.png"), full_page=True)

    links.first.click()
    citation = next(c for c in body["citations"] if c["marker"] == 1)
    panel = page.locator("#source-panel")
    title = panel.locator(".source-title")
    expect(title).to_have_text(citation["title"])
    assert title.inner_text().strip()
    quoted = citation.get("quoted", True)
    expect(panel.locator(".badge")).to_have_text(
        ("quoted from [1]" if quoted else "supported by [1]")
        if citation["verified"]
        else "unverified"
    )
    # the answer's own check is separate from the source's, and said in words
    if body["answers_question"]:
        expect(answer.locator(".answer-checks .badge.answers")).to_have_text(
            "the quote answers the question"
        )
    if body["short_answer"]:
        expect(answer.locator(".short-answer strong")).to_have_text(body["short_answer"])
        if body["short_answer"] in body["answer"]:
            expect(answer.locator(".answer-text mark.short-answer-mark")).to_have_text(
                body["short_answer"]
            )

    mark = panel.locator(".cited-paragraph mark")
    expect(mark).to_have_count(1)
    marked = mark.text_content() or ""
    assert marked.strip()
    assert marked in citation["text"]
    # the highlight is exactly the supporting span the API reported
    assert marked == citation["text"][citation["span_start"] : citation["span_end"]]
    assert marked in (panel.locator(".cited-paragraph").text_content() or "")

    # the whole article loads with the cited paragraph highlighted and scrolled into view
    cited = panel.locator(".article-body .article-paragraph.cited")
    expect(cited).to_have_count(1)
    expect(cited.locator("mark")).to_have_text(marked)
    expect(cited).to_be_in_viewport()
    page.screenshot(path=str(test_output_dir / "chat-citation.png"), full_page=True)
    assert not probe.errors, probe.errors


def test_citation_works_from_the_keyboard(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    ask(page, "Who is Russia's ambassador to South Korea?")
    answer = last_turn(page).locator(".answer")
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    if "insufficient" in (answer.get_attribute("class") or ""):
        pytest.fail(f"expected an answer, got an abstention: {answer.inner_text()}")
    link = answer.locator(".citation-link").first
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#source-panel .cited-paragraph")).to_be_visible()
    expect(page.locator("#source-heading")).to_be_focused()
    page.keyboard.press("Escape")  # back to the marker that opened the panel
    expect(link).to_be_focused()


def test_unanswerable_question_is_marked_insufficient(
    probe: PageProbe, server: Server, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    question = "Which team won the 2022 FIFA World Cup final in football?"
    ask(page, question)
    abstention = last_turn(page).locator(".insufficient")
    expect(abstention).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(abstention.locator(".badge.abstained")).to_be_visible()
    expect(abstention.locator(".reason")).not_to_be_empty()
    assert abstention.locator(".citation-link").count() == 0

    # the refusal copies too: what was asked, why there is no answer, the closest paragraphs
    body = stream_events(page, question)[-1][1]  # the same (deterministic) refusal, as JSON
    assert body["status"] == "insufficient_evidence", body
    markdown = page.evaluate("(data) => window.groundedQa.refusalToMarkdown(data)", body)
    blocks = markdown.split("\n\n")
    assert blocks[0] == f"**Q:** {question}", markdown
    assert blocks[1] == f"**No answer.** {' '.join(body['answer'].split())}", markdown
    assert blocks[2] == f"Why: {' '.join(body['reason'].split())}", markdown
    assert blocks[3] == "Closest paragraphs:", markdown
    listed = blocks[4].strip().splitlines()
    assert len(listed) == len(body["retrieved"]) >= 1, markdown
    for n, (line, item) in enumerate(zip(listed, body["retrieved"], strict=True), start=1):
        assert line.startswith(f"{n}. "), line
        assert f'"{" ".join(item["text"].split())}"' in line
        where = f"(doc {item['doc_id']}, paragraph {item['index'] + 1}, id {item['paragraph_id']})"
        assert line.endswith(where), line
    copy = abstention.locator("button.copy-markdown")
    expect(copy).to_have_text("Copy as Markdown")
    copy.click()
    expect(abstention.locator("[role=status]")).to_have_text("Copied the refusal as Markdown.")
    assert page.evaluate("navigator.clipboard.readText()") == markdown

    closest = abstention.locator(".closest-item")
    assert closest.count() >= 1
    first = closest.first
    expect(first).to_be_visible()
    assert first.locator(".closest-title").inner_text().strip()
    assert first.locator(".closest-text").inner_text().strip()
    page.screenshot(path=str(test_output_dir / "chat-insufficient.png"), full_page=True)

    # a closest paragraph opens in the panel, inside its article
    first.get_by_role("button", name="Read in the article").click()
    panel = page.locator("#source-panel")
    expect(panel.locator(".source-title")).to_have_text(
        first.locator(".closest-title").inner_text()
    )
    expect(panel.locator(".article-body .article-paragraph.cited")).to_have_count(1)
    assert not probe.errors, probe.errors


def test_server_errors_show_their_detail(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    # the page stops an over-long question itself; without the limit it was served (an older
    # server's page), the question reaches the server, whose 422 problem detail is shown
    page.goto("/")
    page.evaluate("delete document.querySelector('#question').dataset.maxChars")
    page.fill("#question", "Why? " * 120)  # over the server's length limit: a 422
    page.press("#question", "Enter")
    error = last_turn(page).locator(".error")
    expect(error).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(error).to_contain_text("the limit is")
    expect(page.locator("#ask")).to_be_enabled()
    # the question is put back so it can be fixed and asked again
    expect(page.locator("#question")).not_to_have_value("")


def test_a_full_queue_says_when_to_ask_again_in_the_readers_words(probe: PageProbe) -> None:
    """The server's 429 (its queue is full; the detail, for whoever runs it, names a setting):
    the page says to ask again after Retry-After, with the question back in the box."""
    from playwright.sync_api import expect

    page = probe.page
    detail = (
        "9 questions are already being answered or waiting (setting "
        "server.generation_queue_size is 8); retry after the number of seconds in the "
        "Retry-After header"
    )
    page.route(
        "**/ask/stream",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "12", "Content-Type": "application/problem+json"},
            body=json.dumps(
                {
                    "type": "about:blank",
                    "title": "Too Many Requests",
                    "status": 429,
                    "detail": detail,
                }
            ),
        ),  # fmt: skip
        times=1,
    )
    ask(page, "How many fishing boats left Skarra harbour?")
    error = last_turn(page).locator(".error")
    expect(error).to_contain_text(
        "The service is busy answering other people's questions. Ask it again in about 12 seconds"
    )
    expect(error).not_to_contain_text("generation_queue_size")
    expect(page.locator("#question")).to_have_value("How many fishing boats left Skarra harbour?")
    assert probe.script_errors() == [], probe.errors


def test_a_server_stopped_mid_question_says_to_ask_again_in_the_readers_words(
    probe: PageProbe,
) -> None:
    """A stream the server ends with its "Shutting down" error event (it was stopped while the
    question waited; the detail names a setting): the page says to ask again once it is back,
    with the question back in the box."""
    from playwright.sync_api import expect

    page = probe.page
    problem = {
        "type": "about:blank",
        "title": "Shutting down",
        "status": 503,
        "detail": "the server is shutting down and did not answer this question within "
        "server.shutdown_grace_s (10 s); ask again once it is back",
    }
    events = (
        'event: status\r\ndata: {"stage":"queued","ahead":2}\r\n\r\n'
        f"event: error\r\ndata: {json.dumps(problem)}\r\n\r\n"
    )
    page.route(
        "**/ask/stream",
        lambda route: route.fulfill(
            status=200, headers={"Content-Type": "text/event-stream"}, body=events
        ),
        times=1,
    )
    ask(page, "How many fishing boats left Skarra harbour?")
    error = last_turn(page).locator(".error")
    expect(error).to_contain_text("The service was stopped before it could answer")
    expect(error).to_contain_text("Ask the question again once it is back")
    expect(error).not_to_contain_text("shutdown_grace_s")
    expect(page.locator("#question")).to_have_value("How many fishing boats left Skarra harbour?")
    assert probe.script_errors() == [], probe.errors


def crafted_answer() -> dict[str, Any]:
    paragraph = f"Before the span. {PAYLOAD} After the span."
    start = paragraph.index(PAYLOAD)
    cited = {
        "doc_id": "crafted-doc",
        "paragraph_id": f"crafted-doc:p{CITED_INDEX}",
        "index": CITED_INDEX,
        "start": 0,
        "end": len(paragraph),
        "text": paragraph,
        "title": f"Title {PAYLOAD}",
        "source": f"Source {PAYLOAD}",
        "date": "2024-10-21",
    }
    return {
        "question": "anything",
        "answer": f"The answer is {PAYLOAD} here [1]. <script>alert(2)</script>",
        "status": "answered",
        "citations": [
            {
                **cited,
                "marker": 1,
                "verified": False,
                "support_score": 0.42,
                "span_start": start,
                "span_end": start + len(PAYLOAD),
            }
        ],
        "retrieved": [{**cited, "score": 0.5}],
        "short_answer": PAYLOAD,
        "evidence_score": 0.5,
        "reason": None,
        "removed_claims": [f"An unsupported claim {PAYLOAD}"],
        "timings_ms": {"retrieve_ms": 1.0},
    }


def crafted_document() -> dict[str, Any]:
    paragraphs = [f"Opening {PAYLOAD} words."]
    paragraphs += [f"Filler paragraph {i} of a long article." for i in range(1, 40)]
    paragraphs[CITED_INDEX] = f"Before the span. {PAYLOAD} After the span."
    return document(
        "crafted-doc",
        paragraphs,
        title=f"Title {PAYLOAD}",
        article={"source": f"Source {PAYLOAD}", "date": "2024-10-21"},
        paragraph={"source": None, "date": None},
    )


def test_model_and_article_text_is_inserted_as_text(
    probe: PageProbe, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.route("**/ask/stream", fulfil_sse(crafted_answer()))
    page.route("**/documents/crafted-doc", fulfil_json(crafted_document()))
    ask(page, "Show me the crafted answer")

    answer = last_turn(page).locator(".answer")
    expect(answer).to_be_visible()
    expect(answer.locator(".answer-text")).to_contain_text(f"The answer is {PAYLOAD} here")
    # a claim the citation check removed is shown struck through, as text
    expect(answer.locator(".removed-claim")).to_have_text(f"An unsupported claim {PAYLOAD}")
    expect(answer.locator(".answer-text")).to_contain_text("<script>alert(2)</script>")
    expect(answer.locator(".citation-link")).to_have_count(1)
    expect(answer.locator(".citation-link")).to_have_class("citation-link unverified")

    answer.locator(".citation-link").click()
    panel = page.locator("#source-panel")
    expect(panel.locator(".source-title")).to_have_text(f"Title {PAYLOAD}")
    expect(panel.locator(".badge")).to_have_text("unverified")
    expect(panel.locator(".cited-paragraph mark")).to_have_text(PAYLOAD)
    expect(panel.locator(".article-body .article-paragraph")).to_have_count(40)
    expect(panel.locator(".article-body .cited mark")).to_have_text(PAYLOAD)
    # the cited paragraph is scrolled into view inside the article box; the opening is not
    expect(panel.locator(".article-body .cited")).to_be_in_viewport()
    expect(panel.locator(".article-body .article-paragraph").first).not_to_be_in_viewport()

    assert page.locator("#conversation img, #source-panel img").count() == 0
    assert page.locator("#conversation script, #source-panel script").count() == 0
    page.wait_for_timeout(300)  # give a broken image's onerror the chance to fire
    assert probe.dialogs == []
    page.screenshot(path=str(test_output_dir / "chat-crafted.png"), full_page=True)


def test_an_articles_address_is_a_link_only_when_it_is_http(
    probe: PageProbe, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = probe.page
    answered = crafted_answer()
    address = "https://news.example/harbour?id=1&x=<b>"
    answered["citations"][0].update(url=address, author=f"Anna {PAYLOAD}")
    page.route("**/ask/stream", fulfil_sse(answered))
    page.route("**/documents/crafted-doc", fulfil_json(crafted_document()))
    ask(page, "Show me the crafted answer")

    answer = last_turn(page).locator(".answer")
    link = answer.locator(".sources a.source-url")
    expect(link).to_have_count(1)
    href = "https://news.example/harbour?id=1&x=%3Cb%3E"
    expect(link).to_have_attribute("href", href)
    expect(link).to_have_text(href)
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")
    expect(answer.locator(".source-meta")).to_contain_text(f"by Anna {PAYLOAD}")
    answer.locator(".citation-link").click()
    expect(page.locator("#source-panel a.source-url")).to_have_attribute("href", href)
    markdown = page.evaluate(TO_MARKDOWN, answered)
    assert f"<{href}>" in markdown

    # an address that is not http(s) is never a link, nor shown
    page.unroute("**/ask/stream")
    insufficient = {
        **answered, "status": "insufficient_evidence", "citations": [],
        "answer": "The articles do not hold enough evidence to answer this.",
        "retrieved": [{**answered["retrieved"][0], "url": "javascript:alert(3)"},
                      {**answered["retrieved"][0], "url": "data:text/html,<script>x</script>"}],
        "reason": "made up", "short_answer": None, "evidence_score": None,
    }  # fmt: skip
    page.route("**/ask/stream", fulfil_sse(insufficient))
    ask(page, "Show me the crafted abstention")
    expect(last_turn(page).locator(".closest-item").first).to_be_visible()
    # the earlier turn keeps its own link; the abstention's closest passages have none
    assert last_turn(page).locator("a.source-url").count() == 0
    assert page.locator("a[href^='javascript'], a[href^='data']").count() == 0
    assert probe.dialogs == []
    page.screenshot(path=str(test_output_dir / "chat-address-link.png"), full_page=True)


def test_phone_width_stacks_the_panel_below(
    browser: Any, server: Server, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=server.url, is_mobile=True
    )
    try:
        page = context.new_page()
        page.route("**/ask/stream", fulfil_sse(crafted_answer()))
        page.route("**/documents/crafted-doc", fulfil_json(crafted_document()))
        ask(page, "Show me the crafted answer")
        link = last_turn(page).locator(".answer .citation-link")
        expect(link).to_be_visible()
        link.click()
        panel = page.locator("#source-panel")
        expect(panel.locator(".article-body .cited")).to_be_visible()
        # both boxes read in one go: the panel scrolls into view, so two separate reads could
        # straddle a scroll step
        boxes = page.evaluate(
            """() => ['#conversation', '#source-panel'].map((sel) => {
                const r = document.querySelector(sel).getBoundingClientRect();
                return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY,
                        width: r.width};
            })"""
        )
        conversation_box, panel_box = boxes
        assert panel_box["top"] >= conversation_box["bottom"]
        assert panel_box["width"] > 300
        assert sideways_overflow(page) <= 0, "the page scrolls sideways on a phone-width screen"
        page.screenshot(path=str(test_output_dir / "chat-phone.png"), full_page=True)
    finally:
        context.close()


FAILED = GenerationFailed("the language model stopped answering")

# --- streaming, with the stream held open by the test ----------------------------------------

# Replaces fetch("/ask/stream") with a response whose body the test writes with
# window.__stream.push(text) and ends with window.__stream.close(): route.fulfill cannot hold a
# response open, and these tests look at the page between two chunks.
CONTROLLED_STREAM = """
(() => {
  const realFetch = window.fetch.bind(window);
  const encoder = new TextEncoder();
  let controller = null;
  window.__stream = {
    requested: null,
    push: (text) => controller.enqueue(encoder.encode(text)),
    close: () => {
      try {
        controller.close();
      } catch {
        // the page already cancelled the stream: it had read the last event it needed
      }
    },
  };
  window.fetch = (url, options) => {
    if (!String(url).endsWith("/ask/stream")) return realFetch(url, options);
    window.__stream.requested = (options && options.body) || "";
    const body = new ReadableStream({ start: (c) => { controller = c; } });
    // Stop aborts the request: the body then fails, as a real fetch's does
    const signal = options && options.signal;
    const aborted = () => controller.error(new DOMException("aborted", "AbortError"));
    if (signal) signal.addEventListener("abort", aborted);
    const headers = { "Content-Type": "text/event-stream" };
    return Promise.resolve(new Response(body, { status: 200, headers }));
  };
})();
"""


def open_controlled_stream(page: Any, question: str) -> None:
    page.add_init_script(CONTROLLED_STREAM)
    ask(page, question)
    page.wait_for_function("window.__stream && window.__stream.requested !== null")
    assert json.loads(page.evaluate("window.__stream.requested")) == {
        "question": question,
        "history": [],
    }


def push(page: Any, text: str) -> None:
    page.evaluate("(text) => window.__stream.push(text)", text)


def test_tokens_show_as_they_arrive_then_the_answer_renders(
    probe: PageProbe, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = probe.page
    payload = crafted_answer()
    payload["citations"][0]["verified"] = True  # `done` says verified, the `citation` event not
    events = answer_events(Answer.model_validate(payload))
    events = [(n, {**d, "verified": False} if n == "citation" else d) for n, d in events]
    frames = [sse_event(name, data).encode().decode() for name, data in events]
    tokens = [data["text"] for name, data in events if name == "token"]
    assert len(tokens) >= 4
    half = len(tokens) // 2

    open_controlled_stream(page, "Show me the crafted answer")
    turn = last_turn(page)
    expect(turn.locator(".thinking")).to_be_visible()

    # progress while the answer is worked out, shown in words (a query is inserted as text)
    progress = turn.locator(".thinking .progress")
    stages: list[tuple[dict[str, object], str]] = [
        ({"stage": "queued", "ahead": 2}, "Waiting: 2 questions ahead of yours…"),
        ({"stage": "searching", "query": f"x {PAYLOAD}"}, f"Searching for “x {PAYLOAD}”…"),
        (
            {"stage": "reading", "sentences": 3, "articles": 1},
            "Reading 3 candidate sentences from 1 article…",
        ),
        (
            {"stage": "checking", "paragraph_id": "p"},
            "Checking the citation against its paragraph…",
        ),  # noqa: E501
    ]
    for stage, shown in stages:
        push(page, sse_event("status", stage).encode().decode())
        expect(progress).to_have_text(shown)
        if stage["stage"] == "reading":
            page.screenshot(path=str(test_output_dir / "chat-progress.png"), full_page=True)
    assert page.locator("#conversation img, #conversation script").count() == 0

    # the first words, one frame cut in two mid-line and one between the \r and \n of a line end
    first = "".join(frames[:half])
    cut = first.index("data:") + 8
    push(page, first[:cut])
    push(page, first[cut:])
    crlf = frames[half].index("\r\n") + 1
    push(page, frames[half][:crlf])
    push(page, frames[half][crlf:] + ": ping - a keep-alive comment\r\n\r\n")
    draft = turn.locator(".answer-draft .answer-text")
    expect(draft).to_have_text("".join(tokens[: half + 1]).strip())
    expect(turn.locator(".thinking")).to_have_count(0)
    expect(turn.locator(".answer")).to_have_count(0)  # not rendered until `done`
    expect(page.locator("#ask")).to_be_disabled()
    assert page.locator("#conversation img, #conversation script").count() == 0
    page.screenshot(path=str(test_output_dir / "chat-streaming.png"), full_page=True)

    # the rest of the words, then the citation (unverified) and `done`
    push(page, "".join(frames[half + 1 :]))
    page.evaluate("window.__stream.close()")
    answer = turn.locator(".answer")
    expect(answer).to_be_visible()
    expect(turn.locator(".answer-draft")).to_have_count(0)
    expect(answer.locator(".answer-text")).to_contain_text(f"The answer is {PAYLOAD} here")
    # a claim the citation check removed is shown struck through, as text
    expect(answer.locator(".removed-claim")).to_have_text(f"An unsupported claim {PAYLOAD}")
    link = answer.locator(".citation-link")
    expect(link).to_have_count(1)
    expect(link).to_have_class("citation-link unverified")
    expect(answer.locator(".sources .badge")).to_have_text("unverified")
    expect(page.locator("#ask")).to_be_enabled()
    assert page.locator("#conversation img, #conversation script").count() == 0
    page.wait_for_timeout(300)  # give a broken image's onerror the chance to fire
    assert probe.dialogs == []
    assert not probe.errors, probe.errors


@pytest.mark.parametrize(
    ("ending", "message"),
    [
        pytest.param(
            sse_event("error", problem_details(FAILED)).encode().decode(),
            "the language model stopped answering",
            id="error-event",
        ),
        pytest.param("", "connection to the server was lost", id="cut-off"),
    ],
)
def test_a_stream_that_fails_shows_the_error(probe: PageProbe, ending: str, message: str) -> None:
    from playwright.sync_api import expect

    page = probe.page
    frames = sse_frames(crafted_answer())
    open_controlled_stream(page, "Will this fail?")
    push(page, "".join(f for f in frames if f.startswith("event: token")) + ending)
    page.evaluate("window.__stream.close()")

    turn = last_turn(page)
    error = turn.locator(".error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(message)
    if ending:
        expect(error.locator(".speaker")).to_have_text(
            f"Error — {problem_details(FAILED)['title']}"
        )
    # the partial words are not left behind as if they were an answer
    expect(turn.locator(".answer-draft, .answer")).to_have_count(0)
    expect(page.locator("#ask")).to_be_enabled()
    expect(page.locator("#question")).to_have_value("Will this fail?")
    assert not probe.errors, probe.errors


def test_follow_up_is_asked_with_the_conversation(probe: PageProbe, test_output_dir: Path) -> None:
    from playwright.sync_api import expect

    page = probe.page
    first = "Whom did South Korea summon on Monday?"
    ask(page, first)
    expect(last_turn(page).locator(".answer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    first_answer = last_turn(page).locator(".answer-text").inner_text()

    follow_up = "And what did the embassy say about it?"
    page.fill("#question", follow_up)
    with page.expect_request("**/ask/stream") as request_info:
        page.press("#question", "Enter")
    body = json.loads(request_info.value.post_data or "{}")
    assert body["question"] == follow_up
    assert [turn["question"] for turn in body["history"]] == [first]
    assert body["history"][0]["answer"]

    turn = last_turn(page)
    expect(turn.locator(".answer, .insufficient").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    # the page shows what was searched: the follow-up read with the previous question
    expect(turn.locator(".rewritten")).to_contain_text(first.rstrip("?"))
    # the follow-up is answered about what it asks now (the embassy), not the first question
    expect(turn.locator(".answer:not(.insufficient)")).to_be_visible()
    follow_up_answer = turn.locator(".answer-text").inner_text()
    assert follow_up_answer != first_answer
    assert "embassy" in follow_up_answer.lower(), follow_up_answer
    expect(turn.locator(".citation-link").first).to_be_visible()
    page.screenshot(path=str(test_output_dir / "chat-follow-up.png"), full_page=True)


# --- copying an answer as Markdown -----------------------------------------------------------

TO_MARKDOWN = "(data) => window.groundedQa.answerToMarkdown(data)"


def hold_page_time(page: Any) -> None:
    """Stop the page's clock (installed with `page.clock.install()`) where it is: its timers
    wait for `page.clock.run_for`."""
    page.clock.pause_at(page.evaluate("Date.now()") + 1)


def test_answer_copies_as_markdown_with_footnotes(
    probe: PageProbe, server: Server, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.clock.install()  # the page's timers, so the short-lived "Copied" can be held below
    question = "Whom did South Korea summon on Monday?"
    ask(page, question)
    answer = last_turn(page).locator(".answer")
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(answer).not_to_have_class(re.compile(r"\binsufficient\b"))
    body = stream_events(page, question)[-1][1]  # the same (deterministic) answer, as JSON
    assert body["status"] == "answered", body
    assert "[1]" in body["answer"], body["answer"]

    markdown = page.evaluate(TO_MARKDOWN, body)
    # the question first, so a note pasted elsewhere says what it answers
    asked, _, rest = markdown.partition("\n\n")
    assert asked == f"**Q:** {question}", markdown
    text, _, notes = rest.partition("\n\n")
    assert "[^1]" in text
    if body["short_answer"]:  # under the quote, worded as the page words it
        lead, _, notes = notes.partition("\n\n")
        assert lead == f"Likely answer (check it in the quote): **{body['short_answer']}**"
    assert not re.search(r"\[\d+\]", markdown), markdown  # every cited [n] became [^n]
    citation = next(c for c in body["citations"] if c["marker"] == 1)
    note = next(line for line in notes.splitlines() if line.startswith("[^1]: "))
    assert f"*{citation['title']}*" in note
    span = citation["text"][citation["span_start"] : citation["span_end"]] or citation["text"]
    assert f'— "{" ".join(span.split())}"' in note
    # counted from 1, as the search results and /v1's Sources list count paragraphs
    # and the id, which finds the paragraph again after its article changed
    assert note.endswith(
        f"(doc {citation['doc_id']}, paragraph {citation['index'] + 1}, "
        f"id {citation['paragraph_id']})"
    )
    assert len(notes.strip().splitlines()) == len({c["marker"] for c in body["citations"]})

    # the button is reached from the keyboard and says when it has copied
    copy = answer.locator("button.copy-markdown")
    expect(copy).to_have_text("Copy as Markdown")
    copy.focus()
    expect(copy).to_be_focused()
    hold_page_time(page)  # "Copied" stays however slow the machine, until time moves on
    page.keyboard.press("Enter")
    expect(copy).to_have_text("Copied")
    expect(answer.locator("[role=status]")).to_have_text("Copied the answer as Markdown.")
    page.screenshot(path=str(test_output_dir / "chat-copy-markdown.png"), full_page=True)
    assert page.evaluate("navigator.clipboard.readText()") == markdown
    page.clock.run_for(2_500)
    expect(copy).to_have_text("Copy as Markdown")  # the confirmation is short-lived
    expect(answer.locator("[role=status]")).to_have_text("")
    assert not probe.errors, probe.errors


def test_copy_falls_back_to_exec_command(probe: PageProbe) -> None:
    from playwright.sync_api import expect

    page = probe.page
    # a browser whose Clipboard API refuses; the page copies from a hidden text box instead
    page.add_init_script(
        """
        navigator.clipboard.writeText = () => Promise.reject(new Error("not allowed"));
        const realExecCommand = document.execCommand.bind(document);
        window.__copied = [];
        document.execCommand = (command, ...rest) => {
          if (command === "copy") window.__copied.push(document.activeElement.value);
          return realExecCommand(command, ...rest) || command === "copy";
        };
        """
    )
    page.route("**/ask/stream", fulfil_sse(crafted_answer()))
    page.clock.install()
    ask(page, "Show me the crafted answer")
    answer = last_turn(page).locator(".answer")
    copy = answer.locator(".copy-markdown")
    expect(copy).to_be_visible()
    hold_page_time(page)
    copy.click()
    expect(copy).to_have_text("Copied")
    expect(copy).to_be_focused()  # focus goes back to the button after the text box is gone
    assert page.evaluate("window.__copied") == [page.evaluate(TO_MARKDOWN, crafted_answer())]
    assert page.locator("textarea:not(#question)").count() == 0  # the question box is one too
    assert page.locator("#conversation img, #conversation script").count() == 0
    assert probe.dialogs == []
    assert not probe.errors, probe.errors


def test_markdown_is_plain_text(probe: PageProbe) -> None:
    page = probe.page
    page.goto("/")
    paragraph = "Émile 🎉 said: <b>bold</b> words here.\nNext line."
    data = {
        "answer": "Look <script>alert(1)</script> [2] and [1]. Also [7].",
        "status": "answered",
        "citations": [
            {
                "marker": 2,
                "doc_id": "doc-b",
                "index": 4,
                "text": "A paragraph with no span.",
                "title": None,
                "source": None,
                "date": None,
                "span_start": 3,
                "span_end": 3,
            },
            {
                "marker": 1,
                "paragraph_id": "doc-a:0123456789ab",
                "doc_id": "doc-a",
                "index": 0,
                "text": paragraph,
                "title": "<script>alert(3)</script> *Big* news",
                "source": "Wire",
                "date": "2024-10-21",
                # code points: the emoji is one character to Python, two UTF-16 units to JS
                "span_start": paragraph.index("said"),
                "span_end": paragraph.index(" here"),
            },
        ],
    }
    markdown = page.evaluate(TO_MARKDOWN, data)
    # text, not HTML (no entity): a "<" is escaped for Markdown, so that a renderer shows it
    # rather than taking it for a tag
    assert markdown == (
        "Look \\<script>alert(1)\\</script> [^2] and [^1]. Also \\[7\\].\n"
        "\n"
        "[^1]: *\\<script>alert(3)\\</script> \\*Big\\* news*, Wire, 2024-10-21"
        ' — "said: \\<b>bold\\</b> words" (doc doc-a, paragraph 1, id doc-a:0123456789ab)\n'
        '[^2]: "A paragraph with no span." (doc doc-b, paragraph 5)\n'
    )
    # an answer without citations is just its text (the marker shown as written)
    plain = page.evaluate(TO_MARKDOWN, {"answer": "Plain [1].", "citations": []})
    assert plain == "Plain \\[1\\].\n"
    assert page.locator("script:not([src])").count() == 0
    assert probe.dialogs == []


# --- a server that needs a read API key ------------------------------------------------------

READ_KEY = "page-read-key-0123456789abcdef"


def test_a_server_with_a_read_key_asks_for_it_once_then_answers(
    browser: Any, seeds_data_dir: Path, tmp_path: Path, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    guarded = start_server(
        seeds_data_dir, tmp_path / "guarded.log", QA_SECURITY__READ_API_KEY=READ_KEY
    )
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=guarded.url)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        question = "When was the treaty signed by Putin and Kim Jong Un?"
        ask(page, question)
        turn = last_turn(page)
        expect(turn.locator(".error")).to_contain_text("API key")
        form = turn.locator(".key-form")
        expect(form.locator("input[type=password]")).to_be_visible()

        # a wrong key: refused again, and asked for again
        form.locator("input").fill("not-the-key-0123456789")
        form.locator("input").press("Enter")
        turn = last_turn(page)
        expect(turn.locator(".key-form")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        assert page.locator("#conversation > li.turn").count() == 2

        turn.locator(".key-form input").fill(READ_KEY)
        turn.locator(".key-form button").click()
        answered = last_turn(page)
        expect(answered.locator(".answer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        expect(answered.locator(".answer-text")).to_contain_text("June 19")
        # the key also opens the cited article, and the article count in the header
        answered.locator(".citation-link").first.click()
        expect(page.locator("#source-panel mark, #source-panel .highlight").first).to_be_visible()
        expect(page.locator("#corpus-info")).to_contain_text("5 articles indexed")
        page.screenshot(path=str(test_output_dir / "chat-read-key.png"), full_page=True)
        # the key is kept for the tab, not written into the page
        assert READ_KEY not in page.content()
        stored = page.evaluate("sessionStorage.getItem('groundedQa.readKey')")
        assert stored == READ_KEY
    finally:
        context.close()
        stop_server(guarded)


def test_with_admin_actions_off_adding_and_deleting_are_not_offered(probe: PageProbe) -> None:
    """The seeds server runs without an admin key: the page does not offer an Add form and a
    Delete button only for the server to refuse them with a 403."""
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    assert page.evaluate("document.body.dataset.admin") == "off"
    expect(page.locator("#add-article")).to_be_hidden()
    page.locator("#articles-view .article-item button").first.click()
    view = page.locator(".article-view")
    expect(view.locator(".article-paragraph").first).to_be_visible()
    expect(view.get_by_role("button", name="Delete this article…")).to_have_count(0)
    assert probe.script_errors() == [], probe.errors
