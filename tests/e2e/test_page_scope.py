"""Asking about one article ("Ask about this article") in a real headless Chromium: the chip by
the question box, `doc_ids` on the questions while it stands, one article at a time, the scope
kept with the conversation (a reload keeps it, New chat clears it), and an article deleted
meanwhile.

The first test runs on the seed articles with the real server and models, and checks what the
page shows against what the API answers; the others run on the made-up articles of the page
server (generate mode, scripted model), which an admin may add to and delete from.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.e2e.conftest import (
    PAGE_ADMIN_KEY,
    SAVED_CONVERSATION,
    PageProbe,
    PageServer,
    Server,
    api_answer,
    show_saved_conversation,
)
from tests.e2e.crafted import fulfil_problem

pytestmark = pytest.mark.e2e

ANSWER_TIMEOUT_MS = 120_000  # the first question also warms up the models
INDEXING_TIMEOUT_S = 120  # adding or deleting an article builds a new index version first

# On the seeds, this is answered from the envoy article (001) when every article is searched,
# and from the ambassador article (004) alone when asked of it.
QUESTION = "Whom did South Korea summon on Monday?"
AMBASSADOR = "004_ef56e6841386378c"
BORDER = "003_6d9b07edcc481eb6"


ADMIN = {"Authorization": f"Bearer {PAGE_ADMIN_KEY}"}


def add_article(page_server: PageServer, title: str, text: str) -> str:
    """Add an article through the API, as an admin elsewhere would; its id."""
    with page_server.server.client(timeout=INDEXING_TIMEOUT_S) as client:
        added = client.post("/documents", headers=ADMIN, json={"title": title, "text": text})
    assert added.status_code in (200, 201), added.text
    return str(added.json()["doc_id"])


def delete_article(page_server: PageServer, doc_id: str) -> None:
    """Delete an article through the API, as an admin elsewhere would."""
    with page_server.server.client(timeout=INDEXING_TIMEOUT_S) as client:
        deleted = client.delete(f"/documents/{doc_id}", headers=ADMIN)
    assert deleted.status_code == 204, deleted.text


def titles(page: Any) -> dict[str, str]:
    response = page.request.get("/documents")
    assert response.ok, response.text()
    return {d["doc_id"]: d["title"] for d in response.json()["documents"]}


def open_article(page: Any, title: str) -> Any:
    """Open the article `title` from the Articles tab; its view, once loaded."""
    page.click("#tab-articles")
    back = page.locator(".article-view").get_by_role("button", name="← All articles")
    if back.count():
        back.click()
    page.locator("#articles-view").get_by_role("button", name=title).click()
    view = page.locator(".article-view")
    view.locator(".article-heading").wait_for()
    return view


def ask_and_read(page: Any, question: str) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Ask on the page: the request's JSON body, the answer the page got (the `done` body, as
    the page saved it with the turn) and the new turn's answer or refusal box, once shown."""
    count = page.locator("#conversation > li.turn").count()
    page.fill("#question", question)
    with page.expect_request("**/ask/stream") as request_info:
        page.press("#question", "Enter")
    turn = page.locator("#conversation > li.turn").nth(count)
    box = turn.locator(".answer, .insufficient").first
    box.wait_for(timeout=ANSWER_TIMEOUT_MS)
    saved = page.evaluate(SAVED_CONVERSATION)
    record = saved["turns"][-1]
    assert record["question"] == question and record["kind"] == "answer", record
    return json.loads(request_info.value.post_data or "{}"), dict(record["data"]), box


def sent(page: Any, question: str) -> dict[str, Any]:
    """Ask on the page; the request's JSON body (the answer is left to come)."""
    page.fill("#question", question)
    with page.expect_request("**/ask/stream") as request_info:
        page.press("#question", "Enter")
    return dict(json.loads(request_info.value.post_data or "{}"))


def answered(page: Any) -> None:
    turn = page.locator("#conversation > li.turn").last
    turn.locator(".answer, .insufficient, .error").first.wait_for(timeout=ANSWER_TIMEOUT_MS)


def cited_in_source_view(page: Any, title: str, question: str, doc_id: str) -> Any:
    """`question` asked about the article `title` alone (its id `doc_id`), the scope left, and
    the answer's last citation opened: the Source view, showing that article."""
    from playwright.sync_api import expect

    open_article(page, title).get_by_role("button", name="Ask about this article").click()
    assert sent(page, question)["doc_ids"] == [doc_id]
    answered(page)
    page.get_by_role("button", name=f"Stop asking only about {title}").click()
    page.locator("#conversation .answer-text .citation-link").last.click()
    source = page.locator("#source-view")
    expect(source.locator(".source-title")).to_have_text(title)
    return source


def chip(page: Any) -> Any:
    """The chip's words (its ✕ is a button named in words of its own)."""
    return page.locator("#ask-scope .scope-chip .scope-text")


# --- the seeds, the real models ---------------------------------------------------------------


def test_a_question_asked_about_one_article_is_answered_from_it_alone(
    probe: PageProbe, server: Server, test_output_dir: Any
) -> None:
    """By keyboard alone: open an article, "Ask about this article", ask; the request carries
    its id and the answer cites it alone. Another article replaces it (a refusal then names
    what the restriction left), and the chip's ✕ asks every article again."""
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    names = titles(page)
    ambassador = names[AMBASSADOR]
    expect(chip(page)).to_have_count(0)
    expect(page.locator("#ask-scope")).to_be_hidden()

    # the keyboard only: the article's entry, Enter; the heading takes focus, Tab reaches the
    # button, Enter scopes the chat and puts focus in the question box
    entry = page.locator("#articles-view").get_by_role("button", name=ambassador)
    entry.focus()
    page.keyboard.press("Enter")
    heading = page.locator(".article-view .article-heading")
    expect(heading).to_be_focused()
    page.keyboard.press("Tab")
    scope_button = page.get_by_role("button", name="Ask about this article")
    expect(scope_button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#question")).to_be_focused()
    expect(chip(page)).to_have_text(f"Asking only: {ambassador}")
    expect(page.locator("#ask-notice")).to_have_text(f"Now asking only about “{ambassador}”.")
    assert page.get_attribute("#ask-notice", "role") == "status"  # read out
    assert page.get_attribute("#question", "aria-describedby") == "ask-scope-text"
    remove = page.get_by_role("button", name=f"Stop asking only about {ambassador}")
    expect(remove).to_be_visible()

    # asked of that article alone: the request says so, and the answer cites it alone
    request, done, box = ask_and_read(page, QUESTION)
    assert request == {"question": QUESTION, "history": [], "doc_ids": [AMBASSADOR]}
    expected = api_answer(server, request)
    assert done["status"] == expected["status"] == "answered", done
    assert done["answer"] == expected["answer"]
    assert done["citations"] and {c["doc_id"] for c in done["citations"]} == {AMBASSADOR}
    # shown as any answer is: markers, sources named by the article, the copy button
    expect(box).not_to_have_class(re.compile(r"\binsufficient\b"))
    expect(box.locator(".answer-text .citation-link").first).to_be_visible()
    sources = box.locator(".sources .source-name")
    expect(sources).to_have_count(len(done["citations"]))
    for name in sources.all_inner_texts():
        assert name == ambassador
    expect(box.locator(".copy-markdown")).to_be_visible()
    turn = page.locator("#conversation > li.turn").last
    expect(turn.locator(".question-scope")).to_have_text(f"Asked only about: {ambassador}")
    expect(chip(page)).to_be_visible()  # it stands for the next question too
    page.screenshot(path=str(test_output_dir / "chat-scoped.png"), full_page=True)

    # another article replaces the scope; a refusal says what the restriction left
    border = names[BORDER]
    open_article(page, border).get_by_role("button", name="Ask about this article").click()
    expect(chip(page)).to_have_count(1)
    expect(chip(page)).to_have_text(f"Asking only: {border}")
    expect(page.locator("#ask-notice")).to_have_text(
        f"Now asking only about “{border}”, instead of “{ambassador}”."
    )
    expect(page.locator("#question")).to_be_focused()
    request, done, box = ask_and_read(page, QUESTION)
    assert request["doc_ids"] == [BORDER]
    assert done["status"] == "insufficient_evidence", done
    assert {r["doc_id"] for r in done["retrieved"]} <= {BORDER}
    left = "the articles asked for left 1 of the 5 articles to search"
    expect(box.locator(".reason")).to_contain_text(left)

    # the chip's ✕, by keyboard (just before the question box): every article again
    page.focus("#question")
    page.keyboard.press("Shift+Tab")
    remove = page.get_by_role("button", name=f"Stop asking only about {border}")
    expect(remove).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#ask-scope")).to_be_hidden()
    expect(page.locator("#question")).to_be_focused()
    expect(page.locator("#ask-notice")).to_have_text("Asking all the articles again.")
    assert page.get_attribute("#question", "aria-describedby") is None

    request, done, box = ask_and_read(page, QUESTION)
    assert "doc_ids" not in request
    everywhere = api_answer(server, request)
    assert done["answer"] == everywhere["answer"]
    # (on the seeds, every article searched, the envoy article answers)
    assert {c["doc_id"] for c in done["citations"]} - {AMBASSADOR}, done["citations"]
    turn = page.locator("#conversation > li.turn").last
    expect(turn.locator(".question-scope")).to_have_count(0)
    assert probe.script_errors() == []
    assert probe.dialogs == []


# --- the page server: the scope belongs to the conversation -----------------------------------

HARBOUR = "Skarra harbour reopens after a week of storms"
TRAM = "Oakhaven opens its first tram line"


def test_the_scope_stays_with_the_conversation_until_new_chat(
    page_probe: PageProbe, test_output_dir: Any
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    open_article(page, TRAM).get_by_role("button", name="Ask about this article").click()
    expect(chip(page)).to_have_text(f"Asking only: {TRAM}")
    first = sent(page, "How many passengers rode the trams on the first day?")
    assert first["doc_ids"] == ["tram"]
    answered(page)

    # a reload brings the conversation back with its scope: the chip, the turn's note, and the
    # next question (a follow-up, read with the turn before) still goes to that article
    page.reload()
    expect(chip(page)).to_have_text(f"Asking only: {TRAM}")
    expect(page.locator("#conversation .question-scope")).to_have_text(f"Asked only about: {TRAM}")
    follow_up = sent(page, "Who said so?")
    assert follow_up["doc_ids"] == ["tram"]
    assert len(follow_up["history"]) == 1
    answered(page)
    assert page.evaluate(SAVED_CONVERSATION)["scope"]["doc_id"] == "tram"

    # New chat: a new conversation asks every article
    page.get_by_role("button", name="New chat").click()
    expect(page.locator("#ask-scope")).to_be_hidden()
    expect(page.locator("#ask-notice")).to_have_text("New chat: asking all the articles.")
    expect(page.locator("#question")).to_be_focused()
    assert (page.evaluate(SAVED_CONVERSATION) or {}).get("scope") is None
    page.reload()
    expect(page.locator("#ask-scope")).to_be_hidden()
    assert "doc_ids" not in sent(page, "How many fishing boats left Skarra harbour?")
    answered(page)
    assert page_probe.script_errors() == []


def test_the_source_view_offers_ask_about_this_article_as_the_articles_tab_does(
    page_probe: PageProbe, test_output_dir: Any
) -> None:
    """A citation marker opens its whole article in the Source view; "Ask about this article"
    there is the Articles tab's button and does what that one does: the chip, the notice, focus
    in the question box, and the next questions asked of that article alone."""
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    assert "doc_ids" not in sent(page, "How many fishing boats left Skarra harbour?")
    answered(page)
    page.locator("#conversation .answer-text .citation-link").first.click()
    source = page.locator("#source-view")
    expect(source).to_be_visible()
    expect(source.locator(".source-title")).to_have_text(HARBOUR)
    source.locator(".article-body .article-paragraph").first.wait_for()
    in_source = source.get_by_role("button", name="Ask about this article")
    expect(in_source).to_have_count(1)
    expect(in_source).to_be_visible()
    expect(chip(page)).to_have_count(0)

    in_source.click()
    expect(chip(page)).to_have_text(f"Asking only: {HARBOUR}")
    expect(page.locator("#ask-notice")).to_have_text(f"Now asking only about “{HARBOUR}”.")
    expect(page.locator("#question")).to_be_focused()
    assert page.get_attribute("#question", "aria-describedby") == "ask-scope-text"
    expect(source).to_be_visible()  # the article read stays where it was
    page.screenshot(path=str(test_output_dir / "chat-source-ask-about.png"))
    follow_up = sent(page, "Who is the harbour master?")
    assert follow_up["doc_ids"] == ["harbour"]
    answered(page)
    turn = page.locator("#conversation > li.turn").last
    expect(turn.locator(".question-scope")).to_have_text(f"Asked only about: {HARBOUR}")
    assert page.evaluate(SAVED_CONVERSATION)["scope"]["doc_id"] == "harbour"

    # the same button as the Articles tab's: the same look, and choosing another article there
    # replaces the one chosen here, as one chosen there would be
    in_articles = open_article(page, TRAM).get_by_role("button", name="Ask about this article")
    assert in_articles.get_attribute("class") == "ask-about"
    page.click("#tab-source")
    assert in_source.get_attribute("class") == "ask-about"
    page.click("#tab-articles")
    in_articles.click()
    expect(chip(page)).to_have_text(f"Asking only: {TRAM}")
    expect(page.locator("#ask-notice")).to_have_text(
        f"Now asking only about “{TRAM}”, instead of “{HARBOUR}”."
    )
    assert page_probe.script_errors() == []
    assert page_probe.dialogs == []


def test_a_closest_paragraph_read_in_its_article_offers_it_too(page_probe: PageProbe) -> None:
    """A refusal's closest paragraph opens in the same Source view ("Read in the article"):
    its article can be asked about from there as well."""
    from playwright.sync_api import expect

    page = page_probe.page
    paragraph = (
        "Transport director Priya Lindqvist said 22,000 passengers rode the trams on the first day."
    )
    refusal = {
        "question": "How long is the tram line in Brenna?",
        "answer": "The articles do not hold enough evidence to answer this.",
        "status": "insufficient_evidence",
        "citations": [],
        "retrieved": [
            {
                "paragraph_id": "tram:p1",
                "doc_id": "tram",
                "index": 1,
                "start": 0,
                "end": len(paragraph),
                "text": paragraph,
                "title": TRAM,
                "date": "2031-03-04",
                "score": 0.03,
            }
        ],
        "reason": "No paragraph says so.",
    }
    saved = {
        "version": 1,
        "saved": 1,
        "turns": [{"question": refusal["question"], "kind": "answer", "data": refusal}],
    }
    show_saved_conversation(page, saved)
    page.locator("#conversation .insufficient").get_by_role(
        "button", name=f"Read in the article: {TRAM}"
    ).click()
    source = page.locator("#source-view")
    expect(source.locator(".source-title")).to_have_text(TRAM)
    source.get_by_role("button", name="Ask about this article").click()
    expect(chip(page)).to_have_text(f"Asking only: {TRAM}")
    expect(page.locator("#question")).to_be_focused()
    assert sent(page, "How long is the tram line?")["doc_ids"] == ["tram"]
    answered(page)
    assert page_probe.script_errors() == []


def test_an_article_deleted_meanwhile_says_so_and_offers_a_way_out(
    page_probe: PageProbe, page_server: PageServer, test_output_dir: Any
) -> None:
    """Someone deletes the article asked about: the question's error says so in words with a
    button to ask all the articles, the chip is marked, and a reload says it again."""
    from playwright.sync_api import expect

    page = page_probe.page
    title = "Ferry service to Brenna resumes"
    doc_id = add_article(
        page_server,
        title,
        "The ferry between Skarra and Brenna sailed again on Tuesday after a month in dry "
        "dock.\n\nCaptain Leif Marrow said 300 passengers made the first crossing.",
    )
    try:
        page.goto("/")
        page.evaluate("localStorage.clear()")
        page.reload()
        open_article(page, title).get_by_role("button", name="Ask about this article").click()
        expect(chip(page)).to_have_text(f"Asking only: {title}")
    finally:
        delete_article(page_server, doc_id)

    question = "How many passengers made the first crossing?"
    request = sent(page, question)
    assert request["doc_ids"] == [doc_id]
    error = page.locator("#conversation > li.turn").last.locator(".error")
    expect(error).to_contain_text(f"“{title}” is no longer among the indexed articles")
    # in the reader's words alone: not the server's detail, which points API clients to an
    # endpoint ("doc_ids: no article has the id(s) '…'; GET /documents lists the ids")
    expect(error).not_to_contain_text("no article has the id")
    expect(error).not_to_contain_text("GET /documents")
    expect(chip(page)).to_have_text(f"Asking only: {title} (no longer indexed)")
    expect(page.locator("#question")).to_have_value(question)  # to ask again without retyping
    page.screenshot(path=str(test_output_dir / "chat-scope-gone.png"), full_page=True)

    # after a reload the chip is checked against the index and marked again, and said
    page.reload()
    expect(chip(page)).to_have_text(f"Asking only: {title} (no longer indexed)")
    expect(page.locator("#ask-notice")).to_contain_text(f"“{title}” is no longer indexed.")
    expect(page.locator("#conversation .error")).not_to_contain_text("GET /documents")
    way_out = page.locator("#conversation .error").get_by_role(
        "button", name="Ask all the articles instead"
    )
    way_out.focus()
    with page.expect_request("**/ask/stream") as request_info:
        page.keyboard.press("Enter")
    again = json.loads(request_info.value.post_data or "{}")
    assert again["question"] == question
    assert "doc_ids" not in again
    expect(page.locator("#ask-scope")).to_be_hidden()
    assert (page.evaluate(SAVED_CONVERSATION) or {}).get("scope") is None
    answered(page)
    last = page.locator("#conversation > li.turn").last
    expect(last.locator(".answer, .insufficient").first).to_be_visible()
    assert page_probe.dialogs == []
    assert page_probe.script_errors() == []


def back_to_the_tab(page: Any) -> None:
    """What the browser does when the user comes back to a tab that was in the background."""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_coming_back_to_the_tab_reads_what_changed_meanwhile(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """An article deleted by someone else (another tab, a script) while this tab was in the
    background: the count, the Articles list and the chip catch up when the tab is shown again,
    not before."""
    from playwright.sync_api import expect

    page = page_probe.page
    title = "Night market opens on the Skarra quay"
    doc_id = add_article(
        page_server, title, "A night market opened on the Skarra quay on Friday with 60 stalls."
    )
    total = len(titles(page))
    page.goto("/")
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator("#corpus-info")).to_have_text(f"{total} articles indexed.")
    open_article(page, title).get_by_role("button", name="Ask about this article").click()
    expect(chip(page)).to_have_text(f"Asking only: {title}")
    page.locator(".article-view").get_by_role("button", name="← All articles").click()
    listed = page.locator("#articles-view").get_by_role("button", name=title)
    expect(listed).to_be_visible()

    delete_article(page_server, doc_id)
    page.wait_for_timeout(500)  # nothing tells the page yet: it still shows what it read
    expect(page.locator("#corpus-info")).to_have_text(f"{total} articles indexed.")
    expect(listed).to_be_visible()

    back_to_the_tab(page)
    expect(page.locator("#corpus-info")).to_have_text(f"{total - 1} articles indexed.")
    expect(listed).to_have_count(0)
    expect(chip(page)).to_have_text(f"Asking only: {title} (no longer indexed)")
    expect(page.locator("#ask-notice")).to_contain_text(f"“{title}” is no longer indexed.")
    assert page_probe.dialogs == []
    assert page_probe.script_errors() == []


def test_an_article_deleted_while_shown_is_not_offered_to_ask_about(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """The Source view showed a cited article whole after the reader deleted it in the
    Articles tab, its "Ask about this article" still there; and that button, or the Articles
    tab's, read before someone deleted the article elsewhere, scoped the conversation to it
    without a word. The Source view's article is asked for again when the articles change, and
    an article chosen to ask about is checked at once."""
    from playwright.sync_api import expect

    page = page_probe.page
    cited = "Skarra lighthouse museum opens"
    other = "Brenna bakery wins a prize"
    cited_id = add_article(
        page_server, cited, "The Skarra lighthouse museum opened on Saturday with 1,200 visitors."
    )
    other_id = add_article(
        page_server, other, "A Brenna bakery won the national rye bread prize on Friday."
    )
    try:
        page.goto("/")
        page.evaluate("localStorage.clear()")
        page.evaluate(f"sessionStorage.setItem('groundedQa.adminKey', '{PAGE_ADMIN_KEY}')")
        page.reload()
        source = cited_in_source_view(page, cited, "How many visitors came on Saturday?", cited_id)
        source.locator(".article-body .article-paragraph").first.wait_for()
        expect(source.get_by_role("button", name="Ask about this article")).to_have_count(1)

        # deleted here, in the Articles tab: the Source view no longer offers it
        view = open_article(page, cited)
        view.get_by_role("button", name="Delete this article…").click()
        view.locator(".confirm-delete").get_by_role("button", name="Delete").click()
        expect(page.locator("#articles-view .panel-message")).to_have_text(
            f"Deleted “{cited}”.", timeout=INDEXING_TIMEOUT_S * 1000
        )
        page.click("#tab-source")
        expect(source.locator(".article-body")).to_contain_text(
            "no longer among the indexed articles"
        )
        expect(source.get_by_role("button", name="Ask about this article")).to_have_count(0)
        expect(source.locator(".cited-paragraph")).to_contain_text("1,200 visitors")  # as cited

        # deleted elsewhere while its article view was open: choosing it says it is gone
        stale = open_article(page, other).get_by_role("button", name="Ask about this article")
        delete_article(page_server, other_id)
        other_id = ""
        stale.click()
        expect(chip(page)).to_have_text(f"Asking only: {other} (no longer indexed)")
        expect(page.locator("#ask-notice")).to_contain_text(f"“{other}” is no longer indexed.")
        assert page_probe.dialogs == []
        assert page_probe.script_errors() == []
    finally:
        if other_id:
            delete_article(page_server, other_id)
        if cited_id in titles(page):
            delete_article(page_server, cited_id)


def test_an_article_shown_stays_when_asking_for_it_again_fails(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """The Source view's article is asked for again when the articles change; an error that
    says nothing of the article (the server busy or unavailable: 503) replaced it with "Could
    not load the whole article", though it is still indexed. Only a 404 (gone) changes the
    view; any other error leaves the article as it is shown."""
    from playwright.sync_api import expect

    page = page_probe.page
    title = "Skarra ferry timetable changes"
    text = "The Skarra ferry will leave at 7:15 from Monday, the harbour said."
    doc_id = add_article(page_server, title, text)
    try:
        page.goto("/")
        page.evaluate("localStorage.clear()")
        page.reload()
        source = cited_in_source_view(page, title, "When will the ferry leave from Monday?", doc_id)
        paragraph = source.locator(".article-body .article-paragraph")
        expect(paragraph).to_have_text([text])
        ask_about = source.get_by_role("button", name="Ask about this article")
        expect(ask_about).to_have_count(1)

        # asked for again (the tab brought back), the server answers 503: the article stays
        page.route(
            f"**/documents/{doc_id}",
            fulfil_problem(503, "Service Unavailable", "the server is starting; try again"),
        )
        with page.expect_response(f"**/documents/{doc_id}") as again:
            back_to_the_tab(page)
        assert again.value.status == 503
        page.wait_for_timeout(500)  # the answer is read: nothing is to change
        expect(paragraph).to_have_text([text])
        expect(source.locator(".article-body")).not_to_contain_text("Could not load")
        expect(ask_about).to_have_count(1)

        # a 404 (gone) still says so
        page.unroute(f"**/documents/{doc_id}")
        page.route(
            f"**/documents/{doc_id}",
            fulfil_problem(404, "Not Found", f"no document with id '{doc_id}'"),
        )
        back_to_the_tab(page)
        expect(source.locator(".article-body")).to_contain_text(
            "no longer among the indexed articles"
        )
        expect(ask_about).to_have_count(0)
        page.unroute(f"**/documents/{doc_id}")
        assert page_probe.dialogs == []
        assert page_probe.script_errors() == []
    finally:
        delete_article(page_server, doc_id)
