"""The documents panel in a real headless Chromium, against a real server over made-up articles:
listing, filtering by title words, searching the text, reading an article, and an admin adding
and deleting one."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PAGE_ADMIN_KEY, PageProbe, PageServer, show_saved_conversation
from tests.e2e.crafted import fulfil_problem
from tests.e2e.test_page_scope import add_article, delete_article
from tests.factiva_files import LANTERNS, ORCHARD, export_page
from tests.nexis_text_files import TextItem, export_text
from tests.pages import FURNITURE, news_page, single_file_page
from tests.rtf_files import rtf_document
from tests.word_files import FERRY, LIGHTHOUSE, NexisItem, nexis_export

pytestmark = pytest.mark.e2e

PAYLOAD = "<img src=x onerror=alert(1)>"
INDEXING_TIMEOUT_MS = 120_000  # adding or deleting builds a new index version first

FILE_LABEL = (
    "…or load a .txt or Markdown (.md) file (a LexisNexis .txt export gives an article for each "
    "of its documents), a saved web page (.html, .mhtml; a Factiva export saved as .html gives "
    "each of its articles), an article saved as PDF or a Nexis Uni export saved as PDF (.pdf), an "
    "RTF document or a LexisNexis or Factiva export saved as RTF (.rtf), a Word document or Nexis "
    "Uni export "
    "(.docx) or an archive export (.jsonl, .json, .csv, .tsv; a feed or WordPress export, .xml)"
)

# how api/security.py words the 401 of an admin action sent with a wrong key, and the 403 of
# one while admin actions are off: for API clients (it names the setting), not shown on the page
SERVER_401 = "the admin API key sent is not this server's"
SERVER_403 = (
    "admin actions are disabled: set QA_SECURITY__ADMIN_API_KEY (16 characters or more) when "
    "starting the server, then send it as 'Authorization: Bearer <key>'"
)
# what the page says in their place
PAGE_401 = "That admin key was not accepted. Check it and try again."
PAGE_403 = "Adding and deleting articles is switched off on this server."


def open_add_form_as_admin(page: Any) -> Any:
    """The page with the admin key kept for the tab (as after a first admin action) and the
    Add form open; the form."""
    _load_as_admin(page)
    page.get_by_role("button", name="Add an article").click()
    return page.locator(".add-article-form")


def _held_import(page: Any, form: Any, name: str, record: dict[str, str]) -> list[Any]:
    """An archive `name` of the one `record` chosen in the open Add form and imported, the
    request held in the browser: the list that gets its route, to be answered by the test."""
    held: list[Any] = []
    page.route(
        "**/documents/import",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": name, "mimeType": "application/json",
         "buffer": (json.dumps(record) + "\n").encode()}
    )  # fmt: skip
    form.get_by_role("button", name="Import articles").click()
    return held


def _load_as_admin(page: Any) -> Any:
    """The page loaded with the admin key kept for the tab."""
    page.goto("/")
    page.evaluate(f"sessionStorage.setItem('groundedQa.adminKey', '{PAGE_ADMIN_KEY}')")
    page.reload()
    return page


def _open_and_delete(page: Any, open_it: Any, article: dict[str, str], *, back: str) -> None:
    """The indexed `article` opened by the button `open_it`, read, left by the button `back`
    (the focus back on `open_it`), opened again and deleted with its Delete."""
    from playwright.sync_api import expect

    open_it.click()
    view = page.locator(".article-view")
    expect(view.locator(".article-paragraph")).to_have_text([article["text"]])
    view.get_by_role("button", name=back).click()
    expect(open_it).to_be_focused()
    open_it.click()
    view.get_by_role("button", name="Delete this article…").click()
    view.locator(".confirm-delete").get_by_role("button", name="Delete").click()
    expect(page.locator("#articles-view .panel-message")).to_have_text(
        f"Deleted “{article['title']}”.", timeout=INDEXING_TIMEOUT_MS
    )


def _delete_titled(page_server: PageServer, title: str) -> None:
    """Every indexed article with this title deleted."""
    with page_server.server.client(timeout=60) as client:
        found = client.get("/documents", params={"q": title}).json()["documents"]
    for doc in found:
        if doc["title"] == title:
            delete_article(page_server, doc["doc_id"])


def _import_one(page: Any, name: str, story: dict[str, str], q: str) -> tuple[Any, str]:
    """`story` imported as the .jsonl export `name` and seen added; the report, and the id of
    the one article the Articles list finds by the word `q`."""
    from playwright.sync_api import expect

    report = _import_records(page, name, story)
    expect(report.locator(".panel-message")).to_have_text(
        "1 article added and indexed.", timeout=INDEXING_TIMEOUT_MS
    )
    (doc_id,) = [d["doc_id"] for d in listed(page, q=q)["documents"]]
    return report, doc_id


def _import_records(page: Any, name: str, *records: dict[str, str]) -> Any:
    """The Add form opened and `records` imported as the .jsonl export `name`; the report."""
    page.get_by_role("button", name="Add an article").click()
    form = page.locator(".add-article-form")
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": name, "mimeType": "application/json",
         "buffer": "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")}
    )  # fmt: skip
    form.get_by_role("button", name="Import articles").click()
    return page.locator(".import-report")


def listed(page: Any, **params: str) -> dict[str, Any]:
    response = page.request.get("/documents", params=params)
    assert response.ok, response.text()
    return dict(response.json())


def test_the_panel_lists_filters_and_opens_articles(
    page_probe: PageProbe, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    expect(page.locator("#tab-articles")).to_have_attribute("aria-selected", "true")
    everything = listed(page)
    items = page.locator("#articles-view .article-item")
    expect(items).to_have_count(everything["total"])
    expect(page.locator(".articles-summary")).to_have_text(
        f"{everything['total']} articles indexed."
    )
    for doc, item in zip(everything["documents"], items.all(), strict=True):
        expect(item.locator(".article-title")).to_have_text(doc["title"])
        meta = item.locator(".article-meta")
        expect(meta).to_contain_text(f"{doc['paragraphs']} paragraph")
        expect(meta).to_contain_text(doc["source"] or "outlet unknown")
        if doc["date"] is None:
            expect(meta).to_contain_text("date unknown")
        else:
            expect(meta).not_to_contain_text("date unknown")
    assert any(d["date"] is None for d in everything["documents"])  # the corpus has one
    page.screenshot(path=str(test_output_dir / "docs-panel-list.png"), full_page=True)

    # filtering by the beginnings of title words, as the API does with `q`
    page.fill("#articles-filter", "tram OAK")
    expect(items).to_have_count(listed(page, q="tram OAK")["total"])
    expect(items).to_have_count(1)
    expect(items.first.locator(".article-title")).to_contain_text("Oakhaven opens its first tram")
    expect(page.locator(".articles-summary")).to_contain_text("1 article matches")
    page.fill("#articles-filter", "zeppelin")
    expect(items).to_have_count(0)
    expect(page.locator(".articles-summary")).to_contain_text("0 articles match “zeppelin”")
    page.fill("#articles-filter", "")
    expect(items).to_have_count(everything["total"])

    # opening one shows its title, outlet, date and every paragraph
    harbour = next(d for d in everything["documents"] if d["doc_id"] == "harbour")
    page.locator("#articles-view").get_by_role("button", name=harbour["title"]).click()
    view = page.locator(".article-view")
    expect(view.locator(".article-heading")).to_have_text(harbour["title"])
    expect(view.locator(".article-heading")).to_be_focused()
    expect(view.locator(".article-meta")).to_contain_text("Coast Times")
    expect(view.locator(".article-meta")).to_contain_text("2031")
    full = page.request.get("/documents/harbour").json()
    paragraphs = view.locator(".article-paragraph")
    expect(paragraphs).to_have_count(len(full["paragraphs"]))
    expect(paragraphs.first).to_have_text(full["paragraphs"][0]["text"])
    page.screenshot(path=str(test_output_dir / "docs-panel-article.png"), full_page=True)
    view.get_by_role("button", name="← All articles").click()
    expect(items).to_have_count(everything["total"])
    assert not page_probe.errors, page_probe.errors


def test_the_list_says_it_is_loading_until_it_comes_or_fails(page_probe: PageProbe) -> None:
    """A slow GET /documents left the Articles tab blank: it says "Loading the articles…", as the
    Source view says "Loading the article…", until the list, or why it could not come, replaces
    it."""
    from urllib.parse import urlparse

    from playwright.sync_api import expect

    page = page_probe.page
    held: list[Any] = []
    # the list's requests (the article count under the heading asks without `limit`)
    page.route(
        lambda url: urlparse(url).path == "/documents" and "limit=" in url,
        lambda route: held.append(route),
    )
    page.goto("/")
    summary = page.locator("#articles-view .articles-summary")
    expect(summary).to_have_text("Loading the articles…")
    items = page.locator("#articles-view .article-item")
    expect(items).to_have_count(0)
    deadline = time.monotonic() + 15
    while not held:
        assert time.monotonic() < deadline, "GET /documents was never routed"
        page.wait_for_timeout(50)
    held.pop().continue_()
    total = listed(page)["total"]
    expect(items).to_have_count(total)
    expect(summary).to_have_text(f"{total} articles indexed.")

    page.reload()
    expect(summary).to_have_text("Loading the articles…")
    deadline = time.monotonic() + 15
    while not held:
        assert time.monotonic() < deadline, "GET /documents was never routed"
        page.wait_for_timeout(50)
    fail = fulfil_problem(503, "Index unavailable", "the index is being rebuilt")
    fail(held.pop())
    expect(summary).to_have_text("Could not list the articles: the index is being rebuilt")
    expect(summary).not_to_contain_text("Loading")
    assert page_probe.script_errors() == []


def test_the_filter_words_search_the_text_and_open_the_paragraph_found(
    page_probe: PageProbe, test_output_dir: Path
) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    # "fishing boats" is in no title: the title filter finds nothing, the text search finds it
    page.fill("#articles-filter", "fishing boats")
    expect(page.locator(".articles-summary")).to_contain_text("0 articles match")
    search = page.get_by_role("button", name="Search the articles’ text for “fishing boats”")
    expect(search).to_be_visible()
    search.click()

    view = page.locator(".search-view")
    expect(view.locator(".search-heading")).to_be_focused()
    results = view.locator(".search-result")
    expected = page.request.post("/search", data={"query": "fishing boats", "limit": 20}).json()
    expect(results).to_have_count(len(expected["results"]))
    best = expected["results"][0]
    assert best["doc_id"] == "harbour" and "40 fishing boats" in best["text"]
    expect(results.first.locator(".article-title")).to_have_text(best["title"])
    expect(results.first.locator(".article-meta")).to_contain_text(f"paragraph {best['index'] + 1}")
    expect(results.first.locator(".search-snippet")).to_have_text(best["text"])
    # the words searched for are marked where the paragraph holds them ("40 fishing boats")
    words = [best["text"][a:b] for a, b in best["matches"]]
    assert "fishing boats" in words
    expect(results.first.locator(".search-snippet mark")).to_have_text(words)
    page.screenshot(path=str(test_output_dir / "docs-panel-search.png"), full_page=True)

    # a result opens its article at that paragraph, marked and focused
    opened = results.first.get_by_role("button")
    opened.click()
    article = page.locator(".article-view")
    expect(article.locator(".article-heading")).to_have_text(best["title"])
    found = article.locator(".article-paragraph.found")
    expect(found).to_have_count(1)
    expect(found).to_have_text(best["text"])
    expect(found).to_be_focused()
    expect(found).to_have_accessible_description("The paragraph the search found.")
    expect(found.locator("mark")).to_have_text(words)
    expect(article.locator(".article-paragraph:not(.found) mark")).to_have_count(0)
    # back to the same results, at the one opened
    article.get_by_role("button", name="← Back to the results").click()
    expect(results).to_have_count(len(expected["results"]))
    expect(opened).to_be_focused()
    # the last result, opened from a short window, comes back in view (the list is scrolled
    # back to it, not left at the top with the focus out of sight)
    size = page.viewport_size
    page.set_viewport_size({"width": 900, "height": 420})
    last = results.last.get_by_role("button")
    last.scroll_into_view_if_needed()
    last.click()
    expect(article.locator(".article-paragraph.found")).to_have_count(1)
    article.get_by_role("button", name="← Back to the results").click()
    expect(last).to_be_focused()
    expect(last).to_be_in_viewport()
    if size:
        page.set_viewport_size(size)
    view.get_by_role("button", name="← All articles").click()

    # Enter in the box searches the text too; a word no article has gets a "did you mean"
    page.fill("#articles-filter", "fishing boets")
    page.press("#articles-filter", "Enter")
    hint = view.locator(".did-you-mean")
    expect(hint).to_contain_text("No article has the word “boets”.")
    hint.get_by_role("button", name="Search for “fishing boats” instead").click()
    expect(view.locator(".search-heading")).to_have_text("Paragraphs matching “fishing boats”")
    expect(view.locator(".did-you-mean")).to_have_count(0)
    view.get_by_role("button", name="← All articles").click()
    expect(page.locator("#articles-filter")).to_have_value("fishing boats")  # what was searched
    page.fill("#articles-filter", "")
    expect(page.locator(".text-search")).to_be_hidden()  # nothing to search for
    assert not page_probe.errors, page_probe.errors


def test_an_admin_adds_and_deletes_an_article(page_probe: PageProbe, test_output_dir: Path) -> None:
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    assert page.evaluate("document.body.dataset.admin") == "on"  # the server has an admin key
    before = listed(page)["total"]
    page.get_by_role("button", name="Add an article").click()
    form = page.locator(".add-article-form")
    expect(form.locator(".form-heading")).to_be_focused()
    # a wire-style headline with a full stop: typed as the title, it is the title as typed
    title = f"Lighthouse keeper retires {PAYLOAD}."
    form.get_by_label("Title").fill(title)
    form.get_by_label("Outlet").fill("Skarra Weekly")
    form.get_by_label("Author").fill("Ines Varga")
    form.get_by_label("Date").fill("soon")
    form.get_by_label("Text").fill(
        "Lighthouse keeper Oskar Brandt retired on Friday after 41 years at the Skarra light."
        "\n\nHe said he would miss the storms most of all."
    )
    # the admin key is asked for here, the first time an admin action is tried
    key = form.get_by_label("Admin API key")
    expect(key).to_be_visible()
    form.get_by_role("button", name="Add article").click()
    expect(form.locator(".panel-error")).to_have_text("Enter the admin API key to add articles.")
    expect(key).to_be_focused()  # where the fix is

    key.fill("not-the-admin-key-0123456789")
    form.get_by_role("button", name="Add article").click()
    # the server's 401, in the page's words (the server's detail names its setting): the
    # page's own "Enter the admin API key…" is still shown until the answer comes, and the key
    # is forgotten only then
    expect(form.locator(".panel-error")).to_have_text(PAGE_401)
    expect(form).not_to_contain_text(SERVER_401)
    expect(key).to_be_visible()
    expect(key).to_be_focused()
    assert page.evaluate("sessionStorage.getItem('groundedQa.adminKey')") is None

    key.fill(PAGE_ADMIN_KEY)
    form.get_by_role("button", name="Add article").click()
    # the server's 422 for the date, shown as it said it
    expect(form.locator(".panel-error")).to_contain_text("'soon' is not a calendar date")
    page.screenshot(path=str(test_output_dir / "docs-panel-add-error.png"), full_page=True)
    expect(key).to_be_hidden()  # the key was right: kept for this tab, not asked again
    expect(form.locator(".panel-error")).to_be_focused()  # not lost to the page's body
    form.get_by_label("Date").fill("Oct. 24, 2031")
    form.get_by_role("button", name="Add article").click()

    view = page.locator(".article-view")
    expect(view.locator(".panel-message")).to_contain_text(
        "Added and indexed", timeout=INDEXING_TIMEOUT_MS
    )
    expect(view.locator(".article-heading")).to_have_text(title)  # as text, not markup
    expect(view.get_by_text("This article has no headline")).to_have_count(0)
    expect(view.locator(".article-meta")).to_contain_text("Skarra Weekly · by Ines Varga · ")
    expect(view.locator(".article-paragraph")).to_have_count(2)
    assert page.locator("#articles-view img").count() == 0
    page.screenshot(path=str(test_output_dir / "docs-panel-added.png"), full_page=True)
    added = next(d for d in listed(page)["documents"] if d["title"] == title)
    assert listed(page)["total"] == before + 1
    # the key stays in this tab's sessionStorage, never in localStorage
    assert page.evaluate("sessionStorage.getItem('groundedQa.adminKey')") == PAGE_ADMIN_KEY
    assert PAGE_ADMIN_KEY not in page.evaluate("JSON.stringify(localStorage)")
    expect(page.locator("#corpus-info")).to_contain_text(f"{before + 1} articles indexed")

    # deleting asks to confirm (no key asked: the tab has it), then the list no longer has it
    view.get_by_role("button", name="Delete this article…").click()
    confirm = view.locator(".confirm-delete")
    expect(confirm).to_contain_text("This cannot be undone")
    expect(confirm.get_by_label("Admin API key")).to_be_hidden()
    page.screenshot(path=str(test_output_dir / "docs-panel-delete.png"), full_page=True)
    confirm.get_by_role("button", name="Delete").click()
    message = page.locator("#articles-view .panel-message")
    expect(message).to_have_text(f"Deleted “{title}”.", timeout=INDEXING_TIMEOUT_MS)
    expect(message).to_be_focused()  # the Delete button it replaces had the focus
    expect(page.locator("#articles-view .article-item")).to_have_count(before)
    assert added["doc_id"] not in [d["doc_id"] for d in listed(page)["documents"]]
    page.wait_for_timeout(300)  # give a broken image's onerror the chance to fire
    assert page_probe.dialogs == []
    assert page_probe.script_errors() == []


def test_a_list_in_an_article_is_shown_a_line_an_item(page_probe: PageProbe) -> None:
    """A list is one paragraph, an item a line (qa/cleaning.py, rule 11): the article view shows
    the lines, not the items run together."""
    from playwright.sync_api import expect

    page = page_probe.page
    form = open_add_form_as_admin(page)
    form.get_by_label("Title").fill("Night buses return to Vester")
    form.get_by_label("Text").fill(
        "Night buses return to Vester on Monday after two years.\n\n"
        "The new service at a glance:\n- Line N1 to the harbour\n- Buses every 30 minutes\n\n"
        "Board chair Mika Laine said 24 drivers had been hired."
    )
    form.get_by_role("button", name="Add article").click()
    view = page.locator(".article-view")
    expect(view.locator(".panel-message")).to_contain_text(
        "Added and indexed", timeout=INDEXING_TIMEOUT_MS
    )
    listing = view.locator(".article-paragraph").nth(1)
    expect(listing).to_contain_text("The new service at a glance:")
    # innerText keeps a line break only where it is shown
    assert listing.inner_text().split("\n") == [
        "The new service at a glance:",
        "- Line N1 to the harbour",
        "- Buses every 30 minutes",
    ]
    view.get_by_role("button", name="Delete this article…").click()
    view.locator(".confirm-delete").get_by_role("button", name="Delete").click()
    expect(page.locator("#articles-view .panel-message")).to_contain_text(
        "Deleted", timeout=INDEXING_TIMEOUT_MS
    )
    assert page_probe.script_errors() == []


def test_adding_an_article_already_indexed_says_it_was_already_indexed(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """POST /documents answers 200, not 201, for an article already indexed as sent (a retry,
    or an article added elsewhere): nothing is added, and the page says so instead of "Added and
    indexed", opening the article the server already has."""
    from playwright.sync_api import expect

    title = "Skarra ferry keeps its winter timetable"
    text = "The Skarra ferry keeps its winter timetable this year, the harbour office said."
    doc_id = add_article(page_server, title, text)  # as an admin elsewhere did
    try:
        page = page_probe.page
        form = open_add_form_as_admin(page)
        before = listed(page)["total"]
        form.get_by_label("Title").fill(title)
        form.get_by_label("Text").fill(text)
        with page.expect_response(
            lambda r: r.url.endswith("/documents") and r.request.method == "POST",
            timeout=INDEXING_TIMEOUT_MS,
        ) as answered:
            form.get_by_role("button", name="Add article").click()
        assert answered.value.status == 200  # the API's answer for a repeat
        view = page.locator(".article-view")
        expect(view.locator(".panel-message")).to_have_text(
            "Already indexed: this article was there as sent, so nothing was added or changed."
        )
        expect(view.locator(".article-heading")).to_have_text(title)
        expect(view).not_to_contain_text("Added and indexed")
        assert listed(page)["total"] == before
        assert page_probe.script_errors() == []
    finally:
        delete_article(page_server, doc_id)


def test_escape_closes_the_add_form_as_its_cancel_button_does(page_probe: PageProbe) -> None:
    """Escape in "Add an article" does what Cancel does: back to the list with the focus on the
    panel's heading, what was typed dropped (the form opens empty again, as after Cancel). Not
    while the article is being added: the answer would open it over the list anyway."""
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.evaluate(f"sessionStorage.setItem('groundedQa.adminKey', '{PAGE_ADMIN_KEY}')")
    page.reload()
    add = page.get_by_role("button", name="Add an article")
    form = page.locator(".add-article-form")
    heading = page.locator("#articles-heading")
    items = page.locator("#articles-view .article-item")
    total = listed(page)["total"]
    add.click()
    form.get_by_label("Title").fill("Typed, then cancelled")
    form.get_by_role("button", name="Cancel").click()  # what Escape is to match
    expect(form).to_have_count(0)
    expect(heading).to_be_focused()
    expect(items).to_have_count(total)
    for label in ("Title", "Text", FILE_LABEL):
        add.click()
        expect(form.get_by_label("Title")).to_have_value("")  # a new form, as after Cancel
        form.get_by_label("Title").fill("Typed, then escaped")
        form.get_by_label(label).press("Escape")
        expect(form).to_have_count(0)
        expect(heading).to_be_focused()
        expect(items).to_have_count(total)

    held: list[Any] = []
    page.route(  # the POST held, to be answered below
        "**/documents",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    add.click()
    form.get_by_label("Text").fill("The Skarra ferry sailed on time on Monday.")
    form.get_by_role("button", name="Add article").click()
    expect(form.get_by_role("button", name="Adding… (indexing it)")).to_be_disabled()
    form.get_by_label("Text").press("Escape")
    expect(form).to_have_count(1)  # still there, saying it is adding
    problem = {"status": 503, "title": "Timed out", "detail": "slow"}
    held[0].fulfill(status=503, content_type="application/problem+json", body=json.dumps(problem))
    expect(form.locator(".panel-error")).to_have_text("slow")
    form.get_by_label("Text").press("Escape")  # the request over: Escape closes it again
    expect(form).to_have_count(0)
    expect(heading).to_be_focused()
    assert page_probe.script_errors() == []


def test_a_long_import_says_it_is_running_and_leaves_the_question_being_typed(
    page_probe: PageProbe,
) -> None:
    """A long export (a Nexis Uni PDF of 400 pages: about 5 minutes on two cores) showed only the
    disabled 'Importing…' button all that time, and its report, when it came, took the focus from
    the question the reader was typing in the chat meanwhile. A line under the buttons now says
    what runs, that it may take minutes and that questions are answered meanwhile, with how long
    it has run; the report's heading takes the focus only from a reader still with the panel."""
    from playwright.sync_api import expect

    page = page_probe.page
    form = open_add_form_as_admin(page)
    record = {"title": "Vell quay reopens", "text": "The Vell quay reopened on Monday."}
    held = _held_import(page, form, "vell-notes.jsonl", record)
    progress = form.locator(".import-progress")
    expect(progress.get_by_role("status")).to_have_text(
        re.compile(r"^Importing “vell-notes\.jsonl”: .* takes several minutes; questions asked ")
    )
    expect(progress.locator(".import-elapsed")).to_have_text("Running for 2 s.", timeout=5_000)
    question = page.locator("#question")
    question.click()
    page.keyboard.type("Who reopened the quay")
    added = {"doc_id": "vell-quay-reopens-0a1b2c3d", "title": record["title"], "has_title": True,
             "source": None, "date": None, "url": None, "paragraphs": 1}  # fmt: skip
    report = {"added": [added], "unchanged": [], "refused": [], "indexed_otherwise": [],
              "not_imported": 0, "stored_as": "import-0a1b2c3d.jsonl", "version": "v1",
              "skipped": 0, "warnings": [], "look_alikes": []}  # fmt: skip
    held[0].fulfill(status=201, content_type="application/json", body=json.dumps(report))
    shown = page.locator(".import-report")
    expect(shown.locator(".panel-message")).to_have_text("1 article added and indexed.")
    expect(page.locator(".import-progress")).to_have_count(0)
    expect(question).to_be_focused()
    expect(question).to_have_value("Who reopened the quay")
    assert page_probe.script_errors() == []


def test_cancel_is_off_while_an_import_runs_and_says_why(page_probe: PageProbe) -> None:
    """Cancel stayed a live link while an import ran (minutes for a long export), though an
    import sent cannot be called back: the server imports the whole export whatever the page
    does (tests/e2e/test_import_busy.py: a dropped connection included). Clicking it showed the
    list as if nothing were under way, hid the progress line, and the report later replaced
    whatever the panel showed. Cancel is now off while the import runs, a line under the
    buttons saying why (its description), and Escape leaves the form; it comes back when the
    import fails."""
    from playwright.sync_api import expect

    page = page_probe.page
    form = open_add_form_as_admin(page)
    held = _held_import(
        page,
        form,
        "nore-notes.jsonl",
        {"title": "Nore quay reopens", "text": "The Nore quay reopened on Monday."},
    )
    cancel = form.get_by_role("button", name="Cancel")
    expect(cancel).to_be_disabled()
    why = form.locator(".import-progress .import-no-cancel")
    expect(why).to_be_visible()
    expect(why).to_have_text(
        "It cannot be cancelled: the server imports the whole export even if this page is "
        "closed, so Cancel comes back only if the import fails."
    )
    expect(cancel).to_have_attribute("aria-describedby", "import-no-cancel")
    form.get_by_label(FILE_LABEL).press("Escape")  # Escape, Cancel's key, leaves it too
    expect(form).to_have_count(1)
    expect(form.locator(".import-progress")).to_be_visible()
    problem = {
        "status": 409,
        "title": "Conflict",
        "detail": "another import is running on this server ('long.pdf', for 95 s) and has run "
        "for more than index.import_busy_s (2 s), so it is not about to finish; 'nore-notes.jsonl' "
        "was not read and nothing was changed. A long export (a PDF of hundreds of pages) takes "
        "minutes: send it again once that import has answered",
    }
    held[0].fulfill(status=409, content_type="application/problem+json", body=json.dumps(problem))
    expect(form.locator(".panel-error")).to_have_text(problem["detail"])
    expect(cancel).to_be_enabled()
    expect(cancel).not_to_have_attribute("aria-describedby", "import-no-cancel")
    expect(form.locator(".import-progress")).to_have_count(0)
    form.get_by_label(FILE_LABEL).press("Escape")  # the import over: Escape closes it again
    expect(form).to_have_count(0)
    assert page_probe.script_errors() == []


def test_an_import_whose_connection_drops_says_the_server_may_still_import(
    page_probe: PageProbe,
) -> None:
    """An import whose connection dropped said only "Could not reach the server…", though the
    server imports the whole export whatever becomes of the request (test_import_busy.py): the
    reader could not tell whether the articles were coming. The form now says the server may
    still be importing it and that sending it again is safe; a refusal with an answer does not."""
    from playwright.sync_api import expect

    page = page_probe.page
    form = open_add_form_as_admin(page)
    record = {"title": "Nore quay reopens", "text": "The Nore quay reopened on Monday."}
    held = _held_import(page, form, "nore-notes.jsonl", record)
    expect(form.locator(".import-progress")).to_be_visible()
    held[0].abort("connectionreset")
    expect(form.locator(".panel-error")).to_contain_text("Could not reach the server")
    expect(form.locator(".import-maybe-running")).to_have_text(
        "The server may still be importing “nore-notes.jsonl”: sending it again is safe. While "
        "that import runs it is refused at once, naming it; once it is done the articles "
        "already indexed are reported as such, not added twice."
    )
    expect(form.get_by_role("button", name="Cancel")).to_be_enabled()
    form.get_by_role("button", name="Import articles").click()  # sent again: a refusal
    problem = {"status": 409, "title": "Conflict", "detail": "another import is running"}
    held[1].fulfill(status=409, content_type="application/problem+json", body=json.dumps(problem))
    expect(form.locator(".panel-error")).to_have_text(problem["detail"])
    expect(form.locator(".import-maybe-running")).to_have_count(0)
    assert page_probe.script_errors() == []


def test_add_an_article_during_an_import_shows_that_import(page_probe: PageProbe) -> None:
    """The "Add an article" button pressed while an import ran built a new, empty form: the import's
    progress line went with the old one, out of sight, and the import's report, minutes later,
    replaced the new form and whatever had been typed into it. While this page's import runs,
    the button shows that import's form again; once it has answered, a new form."""
    from playwright.sync_api import expect

    page = page_probe.page
    form = open_add_form_as_admin(page)
    held = _held_import(
        page,
        form,
        "nore-notes.jsonl",
        {"title": "Nore quay reopens", "text": "The Nore quay reopened on Monday."},
    )
    expect(form.locator(".import-progress")).to_be_visible()
    add = page.get_by_role("button", name="Add an article")
    add.click()
    expect(form).to_have_count(1)
    expect(form.locator(".import-progress")).to_be_visible()
    expect(form.locator(".page-note")).to_contain_text("nore-notes.jsonl")
    expect(form.locator(".form-heading")).to_be_focused()
    problem = {"status": 409, "title": "Conflict", "detail": "another import is running"}
    held[0].fulfill(status=409, content_type="application/problem+json", body=json.dumps(problem))
    expect(form.locator(".panel-error")).to_have_text(problem["detail"])
    add.click()  # the import answered: a new form
    expect(form).to_have_count(1)
    expect(form.locator(".panel-error")).to_have_count(0)
    expect(form.locator(".page-note")).to_be_hidden()
    assert page_probe.script_errors() == []


@pytest.mark.parametrize("typing", [False, True], ids=["with-the-panel", "typing-a-question"])
def test_a_long_import_report_is_shown_from_its_top(page_probe: PageProbe, typing: bool) -> None:
    """The report of a 100-article import replaced the Add form with the panel still scrolled
    down to the form's button, so it showed the middle of its list of articles, its heading
    ('Imported from …') and summary above view; the panel now shows the report from its top,
    whether the heading takes the focus (a reader with the panel) or not (one typing a
    question meanwhile)."""
    from playwright.sync_api import expect

    page = page_probe.page
    form = open_add_form_as_admin(page)
    held = _held_import(
        page,
        form,
        "harbour-reports.jsonl",
        {"title": "Harbour works go on", "text": "The Vell harbour works go on."},
    )
    expect(form.locator(".import-progress")).to_be_visible()
    panel = page.locator("#articles-body")
    # the panel scrolled down to the form's buttons and the line under them, as a reader who
    # scrolled to the button (or a short window) leaves it
    panel.evaluate("(body) => { body.scrollTop = body.scrollHeight; }")
    assert panel.evaluate("(body) => body.scrollTop") > 0, "the form does not scroll the panel"
    if typing:
        page.locator("#question").click()
        page.keyboard.type("Who works on the harbour")
    added = [
        {"doc_id": f"harbour-works-report-{n}", "title": f"Harbour works go on, report {n}",
         "has_title": True, "source": "The Vell Gazette", "date": f"2024-03-{n % 28 + 1:02d}",
         "url": None, "paragraphs": 3}
        for n in range(1, 101)
    ]  # fmt: skip
    report = {"added": added, "unchanged": [], "refused": [], "indexed_otherwise": [],
              "not_imported": 0, "stored_as": "import-0a1b2c3d.jsonl", "version": "v1",
              "skipped": 0, "warnings": [], "look_alikes": []}  # fmt: skip
    held[0].fulfill(status=201, content_type="application/json", body=json.dumps(report))
    shown = page.locator(".import-report")
    expect(shown.locator(".articles-list li")).to_have_count(100)
    heading = shown.get_by_role("heading", name="Imported from “harbour-reports.jsonl”")
    summary = shown.locator(".panel-message")
    expect(summary).to_have_text("100 articles added and indexed.")
    expect(heading).to_be_in_viewport()
    expect(summary).to_be_in_viewport()
    assert panel.evaluate("(body) => body.scrollTop") == 0
    if typing:
        expect(page.locator("#question")).to_be_focused()
    else:
        expect(heading).to_be_focused()
    assert page_probe.script_errors() == []


def test_an_article_deleted_meanwhile_is_said_so_in_the_readers_words(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """The server's 404 for an article it no longer has points API clients to GET /documents;
    the page says in its own words that the article is gone instead: opened from a list read
    before it was deleted, and as a saved answer's citation."""
    from playwright.sync_api import expect

    page = page_probe.page
    title = "Skarra lighthouse gets a new lamp"
    paragraph = "The Skarra lighthouse was fitted with a new lamp on Thursday."
    doc_id = add_article(page_server, title, paragraph)
    cited = {
        "paragraph_id": f"{doc_id}:p0",
        "doc_id": doc_id,
        "index": 0,
        "title": title,
        "start": 0,
        "end": len(paragraph),
        "text": paragraph,
        "marker": 1,
        "verified": True,
    }
    answer = {
        "question": "What did the lighthouse get?",
        "answer": "A new lamp. [1]",
        "status": "answered",
        "citations": [cited],
        "retrieved": [],
    }
    saved = {
        "version": 1,
        "saved": 1,
        "turns": [{"question": "What did it get?", "kind": "answer", "data": answer}],
    }
    try:
        show_saved_conversation(page, saved)
        item = page.locator("#articles-view").get_by_role("button", name=title)
        expect(item).to_be_visible()
    finally:
        delete_article(page_server, doc_id)
    gone = page.request.get(f"/documents/{doc_id}")
    assert gone.status == 410 and "GET /documents" in gone.json()["detail"]  # the API's words

    item.click()  # the list was read before the delete
    problem = page.locator(".article-view .panel-error")
    expect(problem).to_have_text(
        "Could not open the article: it was deleted, and is no longer among the indexed articles."
    )
    page.locator("#conversation .citation-link").first.click()
    note = page.locator("#source-body .article-body")
    expect(note).to_have_text(
        "Could not load the whole article: it was deleted, and is no longer among the indexed "
        "articles."
    )
    expect(page.locator("#source-panel")).not_to_contain_text("GET /documents")
    # nothing left to ask about: the Source view does not offer it, as the Articles tab does not
    expect(page.locator("#source-view .ask-about")).to_have_count(0)
    assert page_probe.script_errors() == []


def test_a_text_file_in_a_legacy_encoding_is_read_with_its_accents(page_probe: PageProbe) -> None:
    """A browser reads a file as UTF-8 only; a Windows-1252 .txt (Notepad's old default) would
    fill the box with U+FFFD, which the server refuses. The page reads such a file as
    Windows-1252, and a UTF-8 or UTF-16 file (with a byte-order mark or without) as it is."""
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.get_by_role("button", name="Add an article").click()
    form = page.locator(".add-article-form")
    chooser = form.get_by_label(FILE_LABEL)
    words = "Renée Dupré opened the “Café du Port” on Friday — at last."
    for encoding in ("cp1252", "utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        chooser.set_input_files(
            {"name": f"cafe-{encoding}.txt", "mimeType": "text/plain",
             "buffer": words.encode(encoding)}
        )  # fmt: skip
        expect(form.get_by_label("Text")).to_have_value(words)
    assert page_probe.script_errors() == []


def test_the_focus_after_an_add_with_only_the_servers_warnings_stays_on_the_article(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """An article added by the form with only the server's warnings (here: text decoded as
    Latin-1 though it was Windows-1252, repaired) moved the focus to the 'Added and indexed'
    line, which said nothing of them, away from the article's title: the warnings ask for
    nothing to be done. The focus stays on the title, whose description reads the line and the
    warnings; look-alikes, which do ask for action, still take it to the line (see
    test_an_edited_record_imported_again_is_shown_with_the_article_it_looks_like)."""
    from playwright.sync_api import expect

    said = "The ferry\u2019s captain said \u201cWe sail at dawn\u201d on Friday, after the storms."
    form = open_add_form_as_admin(page_probe.page)
    form.get_by_label("Title").fill("Skarra ferry captain sets sail at dawn")
    form.get_by_label("Text").fill(said.encode("cp1252").decode("latin-1"))  # C1 controls
    page = page_probe.page
    with page.expect_response(
        lambda r: r.url.endswith("/documents") and r.request.method == "POST",
        timeout=INDEXING_TIMEOUT_MS,
    ) as answered:
        form.get_by_role("button", name="Add article").click()
    assert answered.value.status == 201, answered.value.text()
    added = answered.value.json()
    try:
        assert added["warnings"] and not added["look_alikes"], added
        view = page.locator(".article-view")
        expect(view.locator(".panel-message")).to_have_text(
            "Added and indexed: it can be asked about now.", timeout=INDEXING_TIMEOUT_MS
        )
        expect(view.locator(".added-notes .added-warnings li")).to_have_text(added["warnings"])
        heading = view.locator(".article-heading")
        expect(heading).to_be_focused()
        expect(heading).to_have_accessible_description(
            re.compile(r"^Added and indexed: it can be asked about now\. Check before asking "
                       r"The server noted: text: 3 C1 control character")
        )  # fmt: skip
        expect(view.locator(".panel-message")).not_to_be_focused()
        assert page_probe.script_errors() == []
    finally:
        delete_article(page_server, added["doc_id"])


def test_an_indexed_article_offered_under_refusals_and_deleted_since_is_said_gone(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """The import report offers "Open the indexed article <id>" for a record refused because its
    id is indexed with other content; if that article was deleted meanwhile (another tab, a
    colleague), opening it said "Could not open the article", an error, though it is what the
    reader wanted: the page now says plainly that it is no longer indexed, so the refused record
    can be imported, and the export imported again adds it."""
    from playwright.sync_api import expect

    story = {"title": "Skarra sauna opens", "source": "Skarra Weekly", "date": "2031-07-02",
             "url": "https://skarra-weekly.example/sauna",
             "text": "The Skarra sauna opened on Tuesday beside the pool."}  # fmt: skip
    update = {**story, "text": f"{story['text']}\n\nUpdate: it closes on Mondays."}

    page = _load_as_admin(page_probe.page)
    report, doc_id = _import_one(page, "sauna.jsonl", story, q="sauna")
    try:
        report.get_by_role("button", name="Back to the articles").click()
        lockers = {**story, "title": "Skarra sauna gets lockers",
                   "url": "https://skarra-weekly.example/lockers"}  # fmt: skip
        report = _import_records(page, "sauna.jsonl", update, lockers)
        expect(report.locator(".panel-message")).to_have_text(
            "1 article added and indexed; 1 record not imported.", timeout=INDEXING_TIMEOUT_MS
        )
        delete_article(page_server, doc_id)  # elsewhere, while the report is shown
        report.get_by_role("button", name=f"Open the indexed article {doc_id}").click()
        view = page.locator(".article-view")
        said = view.locator(".panel-message")
        expect(said).to_have_text(
            f"The article {doc_id} is no longer indexed (it was deleted since): the record "
            "refused for its id can now be imported. Import the export again."
        )
        expect(said).to_be_focused()
        expect(view.locator(".panel-error")).to_have_count(0)
        view.get_by_role("button", name="← Back to the import").click()
        report.get_by_role("button", name="Back to the articles").click()
        report = _import_records(page, "sauna.jsonl", update)
        expect(report.locator(".panel-message")).to_have_text(
            "1 article added and indexed.", timeout=INDEXING_TIMEOUT_MS
        )
        assert page_probe.script_errors() == []
    finally:
        for doc in listed(page, q="sauna")["documents"]:  # leave the shared corpus as it was
            delete_article(page_server, doc["doc_id"])


def test_a_short_note_in_utf16_without_a_byte_order_mark_is_read(page_probe: PageProbe) -> None:
    """A one-line note saved as "Unicode" without a byte-order mark has fewer NULs than a longer
    text is told by: the page read it as UTF-8 (NULs and all), and one with a last odd byte
    ended in U+FFFD. The page tells it as the server does (qa/decoding.py: _short_utf16), and
    leaves the odd byte out; a UTF-8 note whose stray NULs stand as UTF-16's would is not read
    as Chinese ("s敳d")."""
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.get_by_role("button", name="Add an article").click()
    form = page.locator(".add-article-form")
    chooser = form.get_by_label(FILE_LABEL)
    box = form.get_by_label("Text")
    for note in ("Call me", "Renée Dupré", "Да, 10 мая", "x½ cup"):
        for encoding in ("utf-16-le", "utf-16-be"):
            for extra in (b"", b"\n"):
                chooser.set_input_files(
                    {"name": "note.txt", "mimeType": "text/plain",
                     "buffer": note.encode(encoding) + extra}
                )  # fmt: skip
                expect(box).to_have_value(note)
    chooser.set_input_files(
        {"name": "stray.txt", "mimeType": "text/plain", "buffer": b"s\x00sed\x00 "}
    )
    expect(box).not_to_have_value("s敳d")
    expect(box).to_have_value(re.compile("^s.?sed"))
    assert page_probe.script_errors() == []


def test_an_admin_adds_a_text_file_in_utf16_without_a_byte_order_mark(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """A text file Windows saved as "Unicode" without a byte-order mark (UTF-16-LE): the server
    tells one by where its NUL bytes stand (qa/decoding.py), and so does the page, which read a
    Russian one as UTF-8, failed, and filled the box with Windows-1252 garbage that was stored.
    The article stored has its Russian title and text."""
    from playwright.sync_api import expect

    headline = "Паром «Скарра» ушёл в последний рейс"
    paragraphs = [
        "В воскресенье паром «Скарра» совершил последний рейс после 38 лет службы, сообщила "
        "администрация порта.",
        "На причале его провожали около 400 человек.",
    ]
    content = "\n\n".join([headline, *paragraphs])
    data = content.encode("utf-16-le")
    assert data[1::2].count(0) >= len(data) / 20  # NULs enough to tell it (qa/decoding.py)
    page = page_probe.page
    form = open_add_form_as_admin(page)
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": "parom.txt", "mimeType": "text/plain", "buffer": data}
    )
    expect(form.get_by_label("Text")).to_have_value(content)
    with page.expect_response(
        lambda r: r.url.endswith("/documents") and r.request.method == "POST",
        timeout=INDEXING_TIMEOUT_MS,
    ) as answered:
        form.get_by_role("button", name="Add article").click()
    assert answered.value.status == 201, answered.value.text()
    doc_id = answered.value.json()["doc_id"]
    try:
        view = page.locator(".article-view")
        expect(view.locator(".panel-message")).to_contain_text(
            "Added and indexed", timeout=INDEXING_TIMEOUT_MS
        )
        expect(view.locator(".article-heading")).to_have_text(headline)
        stored = page.request.get(f"/documents/{doc_id}")
        assert stored.ok, stored.text()
        doc = stored.json()
        assert doc["title"] == headline
        assert [p["text"] for p in doc["paragraphs"]] == paragraphs
        assert page_probe.script_errors() == []
    finally:
        delete_article(page_server, doc_id)


def test_an_admin_adds_a_saved_web_page_read_as_the_server_reads_pages(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """A saved page (windows-1252, curly quotes, the site's furniture around the article) is
    sent whole as `html`: the article comes out with the page's own title, outlet and date,
    its quotes intact, and none of the furniture; the typed fields are set aside meanwhile."""
    from playwright.sync_api import expect

    paragraphs = [
        "The ferry “Skarra Star” made its last crossing on Sunday after 38 years in service, "
        "the harbour office said.",
        "About 400 people waited on the quay to see the ship off; the captain’s last words on "
        "the radio were “thank you, Skarra”.",
    ]
    html = news_page(
        title="Ferry makes its last crossing", paragraphs=paragraphs, date="2024-11-02",
        author="Anna Berg", site="Coast Times", url="https://coast.example/ferry-last-crossing",
        charset="windows-1252",
    ).encode("cp1252")  # fmt: skip
    page = page_probe.page
    form = open_add_form_as_admin(page)
    form.get_by_label("Title").fill("a title typed before the page was chosen")
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": "ferry.html", "mimeType": "text/html", "buffer": html}
    )
    note = form.locator(".page-note")
    expect(note).to_have_text(
        "Saved page “ferry.html”: the article, its title, outlet, author and date are read from "
        "the page."
    )
    for label in ("Title", "Outlet", "Author", "Date", "Text"):
        expect(form.get_by_label(label)).to_be_disabled()
    try:
        with page.expect_request("**/documents") as sent:
            form.get_by_role("button", name="Add article").click()
        body = json.loads(sent.value.post_data or "{}")
        assert set(body) == {"html"} and "“Skarra Star”" in body["html"]

        view = page.locator(".article-view")
        expect(view.locator(".panel-message")).to_contain_text(
            "Added and indexed", timeout=INDEXING_TIMEOUT_MS
        )
        expect(view.locator(".article-heading")).to_have_text("Ferry makes its last crossing")
        expect(view.locator(".article-meta")).to_contain_text("Coast Times")
        expect(view.locator(".article-paragraph")).to_have_count(2)
        expect(view.locator(".article-paragraph").first).to_have_text(paragraphs[0])
        for piece in FURNITURE:
            expect(view.get_by_text(piece, exact=False)).to_have_count(0)
        added = next(
            d for d in listed(page)["documents"] if d["title"] == "Ferry makes its last crossing"
        )
        assert added["date"] == "2024-11-02" and added["source"] == "Coast Times"
        assert page_probe.script_errors() == []
    finally:  # leave the shared corpus as it was: later tests count its articles
        _delete_titled(page_server, "Ferry makes its last crossing")


def test_an_admin_adds_a_page_saved_as_one_file(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """A page a browser saved as one file (.mhtml) is sent as `html`; the server takes its page
    part, and the article keeps the address it was saved from."""
    from playwright.sync_api import expect

    address = "https://coast.example/harbour-crane"
    paragraphs = [
        "A new harbour crane that can lift 60 tonnes was put to work in Skarra on Tuesday, the "
        "port authority said.",
        "It replaces two cranes from 1974 that had been out of service since the spring storms.",
    ]
    saved = single_file_page(
        news_page(title="Skarra harbour gets a new crane", paragraphs=paragraphs,
                  date="2024-11-05", site="Coast Times"),
        address=address,
    )  # fmt: skip
    page = page_probe.page
    form = open_add_form_as_admin(page)
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": "crane.mhtml", "mimeType": "multipart/related", "buffer": saved}
    )
    expect(form.locator(".page-note")).to_contain_text("Saved page “crane.mhtml”")
    try:
        with page.expect_request("**/documents") as sent:
            form.get_by_role("button", name="Add article").click()
        assert set(json.loads(sent.value.post_data or "{}")) == {"html"}
        view = page.locator(".article-view")
        expect(view.locator(".panel-message")).to_contain_text(
            "Added and indexed", timeout=INDEXING_TIMEOUT_MS
        )
        expect(view.locator(".article-heading")).to_have_text("Skarra harbour gets a new crane")
        expect(view.locator(".article-paragraph")).to_have_count(2)
        expect(view.locator(".article-paragraph").first).to_have_text(paragraphs[0])
        added = next(
            d for d in listed(page)["documents"] if d["title"] == "Skarra harbour gets a new crane"
        )
        assert added["url"] == address and added["date"] == "2024-11-05"
        assert page_probe.script_errors() == []
    finally:  # leave the shared corpus as it was: later tests count its articles
        _delete_titled(page_server, "Skarra harbour gets a new crane")


def test_an_admin_imports_an_archive_export_and_sees_what_was_refused(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """An archive export (a table here, with a row the build would skip) is sent whole to
    POST /documents/import: the page lists the articles added, each of which opens, and names
    the row refused with the server's reason."""
    from playwright.sync_api import expect

    table = (
        "title,text,date,source\n"
        '"Lighthouse keeper retires","Ragna Holm kept the Skarvik lighthouse for 41 years and '
        'retired on Monday.",2031-05-02,Coast Times\n'
        '"Pier repaired","The north pier reopened on Friday after repairs costing 2 million '
        'crowns.",2031-05-04,Coast Times\n'
        '"No text at all",,2031-05-05,Coast Times\n'
    )
    page = page_probe.page
    form = open_add_form_as_admin(page)
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": "coast.csv", "mimeType": "text/csv", "buffer": table.encode("utf-8")}
    )
    expect(form.locator(".page-note")).to_contain_text("Archive “coast.csv”: each line or row")
    for label in ("Title", "Outlet", "Author", "Date", "Text"):
        expect(form.get_by_label(label)).to_be_disabled()
    with page.expect_request("**/documents/import") as sent:
        form.get_by_role("button", name="Import articles").click()
    assert json.loads(sent.value.post_data or "{}") == {"name": "coast.csv", "content": table}

    report = page.locator(".import-report")
    expect(report.locator(".panel-message")).to_have_text(
        "2 articles added and indexed; 1 record not imported.", timeout=INDEXING_TIMEOUT_MS
    )
    expect(report.locator(".article-title")).to_have_text(
        ["Lighthouse keeper retires", "Pier repaired"]
    )
    expect(report.locator(".import-refused li")).to_have_text(
        ["coast.csv row 4: `text` is empty: give the article's text or page"]
    )
    ids = [d["doc_id"] for d in listed(page)["documents"] if d["source"] == "Coast Times"
           and d["title"] in ("Lighthouse keeper retires", "Pier repaired")]  # fmt: skip
    report.get_by_role("button", name="Lighthouse keeper retires").click()
    expect(page.locator(".article-view .article-heading")).to_have_text("Lighthouse keeper retires")
    assert page_probe.script_errors() == []
    for doc_id in ids:  # leave the shared corpus as it was
        delete_article(page_server, doc_id)


def test_an_admin_imports_a_lexisnexis_text_export_as_its_articles(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """A .txt that is a classic LexisNexis export is not read into the Text box as one article:
    the page says it holds two documents and sends it whole to POST /documents/import, which
    adds an article for each."""
    from playwright.sync_api import expect

    school = TextItem(
        title="Harbour school opens a sailing class",
        source="Skarvik Post",
        date_line="April 2, 2031 Wednesday",
        paragraphs=["The harbour school will teach sailing to 40 pupils from May, its head said."],
    )
    pier = TextItem(
        title="North pier repaired in a week",
        source="Skarvik Post",
        date_line="April 4, 2031 Friday",
        paragraphs=["Divers and two cranes repaired the north pier in seven days, the port said."],
    )
    content = export_text([school, pier]).replace("\n", "\r\n")
    page = page_probe.page
    form = open_add_form_as_admin(page)
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": "Results.TXT", "mimeType": "text/plain", "buffer": content.encode("utf-8")}
    )
    expect(form.locator(".page-note")).to_contain_text(
        "LexisNexis export “Results.TXT”: each of its 2 documents is an article"
    )
    expect(form.get_by_label("Text")).to_be_disabled()
    with page.expect_request("**/documents/import") as sent:
        form.get_by_role("button", name="Import articles").click()
    assert json.loads(sent.value.post_data or "{}") == {"name": "Results.TXT", "content": content}
    report = page.locator(".import-report")
    expect(report.locator(".panel-message")).to_have_text(
        "2 articles added and indexed.", timeout=INDEXING_TIMEOUT_MS
    )
    expect(report.locator(".article-title")).to_have_text([school.title, pier.title])
    assert page_probe.script_errors() == []
    for doc in listed(page)["documents"]:  # leave the shared corpus as it was
        if doc["title"] in (school.title, pier.title):
            delete_article(page_server, doc["doc_id"])


@pytest.mark.parametrize("closer", ["Document", "Документ:", "文档："])
def test_an_admin_imports_a_factiva_export_saved_as_html_as_its_articles(
    page_probe: PageProbe, page_server: PageServer, closer: str
) -> None:
    """A saved page that is a Factiva export is not sent as one page: the page says it holds
    two articles and sends it whole to POST /documents/import, which adds an article for each,
    under its accession number. So with the closing line labelled in the interface's own
    script and with a colon, as the server reads it (qa/factiva.py: CLOSER_LABEL)."""
    from playwright.sync_api import expect

    items = [dataclasses.replace(item, closer=closer) for item in (LANTERNS, ORCHARD)]
    content = export_page(items, layout="format")
    page = page_probe.page
    form = open_add_form_as_admin(page)
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": "Factiva.html", "mimeType": "text/html", "buffer": content.encode("utf-8")}
    )
    expect(form.locator(".page-note")).to_contain_text(
        "Factiva export “Factiva.html”: each of its 2 articles is an article of its own"
    )
    expect(form.get_by_label("Text")).to_be_disabled()
    with page.expect_request("**/documents/import") as sent:
        form.get_by_role("button", name="Import articles").click()
    assert json.loads(sent.value.post_data or "{}") == {"name": "Factiva.html", "content": content}
    report = page.locator(".import-report")
    expect(report.locator(".panel-message")).to_have_text(
        "2 articles added and indexed.", timeout=INDEXING_TIMEOUT_MS
    )
    expect(report.locator(".article-title")).to_have_text([LANTERNS.title, ORCHARD.title])
    assert page_probe.script_errors() == []
    for doc_id in (LANTERNS.accession, ORCHARD.accession):  # leave the shared corpus as it was
        delete_article(page_server, doc_id or "")


def send_file_in_base64(page: Any, form: Any, path: Path, *, note: str, button: str) -> Any:
    """Choose `path` in the Add form, check the form's note on it, press `button` and check
    the request sends the file whole, its bytes in base64, to POST /documents/import; the
    import report's locator."""
    from playwright.sync_api import expect

    form.get_by_label(FILE_LABEL).set_input_files(str(path))
    expect(form.locator(".page-note")).to_contain_text(note)
    with page.expect_request("**/documents/import") as sent:
        form.get_by_role("button", name=button).click()
    body = json.loads(sent.value.post_data or "{}")
    assert body == {
        "name": path.name,
        "content_base64": base64.b64encode(path.read_bytes()).decode(),
    }
    return page.locator(".import-report")


def test_an_admin_adds_an_article_saved_as_pdf(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """A PDF chosen in the Add form is sent whole, its bytes in base64, to POST
    /documents/import; the page lists the article added, which opens."""
    from playwright.sync_api import expect

    pdf = Path(__file__).resolve().parents[1] / "fixtures" / "pdf" / "harbour-short.pdf"
    page = page_probe.page
    form = open_add_form_as_admin(page)
    report = send_file_in_base64(
        page,
        form,
        pdf,
        note="PDF “harbour-short.pdf”: a Nexis Uni export saved as PDF gives an article for each",
        button="Import articles",
    )
    expect(report.locator(".panel-message")).to_have_text(
        "1 article added and indexed.", timeout=INDEXING_TIMEOUT_MS
    )
    report.get_by_role("button", name="Skarra harbour reopens after storms").click()
    expect(page.locator(".article-view .article-paragraph")).to_have_count(2)
    assert page_probe.script_errors() == []
    added = next(
        d for d in listed(page)["documents"] if d["title"] == "Skarra harbour reopens after storms"
    )
    delete_article(page_server, added["doc_id"])  # leave the shared corpus as it was


def test_an_admin_adds_an_rtf_document_sent_in_base64(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """An RTF document chosen in the Add form (a browser may call it text/rtf) is not read into
    the Text box as its markup: it is sent whole, its bytes in base64, to POST
    /documents/import, which reads it as one article (or an export's articles)."""
    from playwright.sync_api import expect

    data = rtf_document(["Vessby pier gets new lamps", "Twelve lamps were put up on the pier."])
    page = page_probe.page
    form = open_add_form_as_admin(page)
    form.get_by_label(FILE_LABEL).set_input_files(
        {"name": "pier.rtf", "mimeType": "text/rtf", "buffer": data}
    )
    expect(form.locator(".page-note")).to_contain_text(
        "RTF document “pier.rtf”: a LexisNexis or Factiva export saved as RTF gives an article"
    )
    expect(form.get_by_label("Text")).to_be_disabled()
    with page.expect_request("**/documents/import") as sent:
        form.get_by_role("button", name="Import articles").click()
    body = json.loads(sent.value.post_data or "{}")
    assert body == {"name": "pier.rtf", "content_base64": base64.b64encode(data).decode()}
    report = page.locator(".import-report")
    expect(report.locator(".panel-message")).to_have_text(
        "1 article added and indexed.", timeout=INDEXING_TIMEOUT_MS
    )
    expect(report.locator(".article-title")).to_have_text(["Vessby pier gets new lamps"])
    assert page_probe.script_errors() == []
    added = next(d for d in listed(page)["documents"] if d["title"] == "Vessby pier gets new lamps")
    delete_article(page_server, added["doc_id"])  # leave the shared corpus as it was


def test_a_refused_admin_key_is_forgotten_and_asked_for_again(page_probe: PageProbe) -> None:
    """A delete refused for its key (one kept from earlier that is wrong now) says so in the
    page's words, not the server's detail for API clients, and asks for the key again; the
    article stays. Refused because admin actions are off (a 403), it says that."""
    from playwright.sync_api import expect

    page = page_probe.page
    page.goto("/")
    page.evaluate("sessionStorage.setItem('groundedQa.adminKey', 'stale-admin-key-0123456789')")
    page.reload()
    articles = page.locator("#articles-view")
    articles.get_by_role("button", name="Teenager wins national chess title").click()
    view = page.locator(".article-view")
    start = view.get_by_role("button", name="Delete this article…")
    start.click()
    confirm = view.locator(".confirm-delete")
    page.keyboard.press("Escape")  # as Cancel
    expect(confirm).to_be_hidden()
    expect(start).to_be_focused()
    start.click()
    confirm.get_by_role("button", name="Delete").click()
    expect(confirm.locator(".panel-error")).to_have_text(PAGE_401)
    expect(confirm).not_to_contain_text(SERVER_401)
    expect(confirm.get_by_label("Admin API key")).to_be_focused()
    expect(confirm.get_by_label("Admin API key")).to_be_visible()  # asked for again
    assert page.evaluate("sessionStorage.getItem('groundedQa.adminKey')") is None
    assert "chess" in [d["doc_id"] for d in listed(page)["documents"]]

    # the server restarted without an admin key meanwhile: its 403 names the setting
    refuse = fulfil_problem(403, "Forbidden", SERVER_403)
    page.route(
        "**/documents/chess",
        lambda route: refuse(route) if route.request.method == "DELETE" else route.continue_(),
    )
    confirm.get_by_label("Admin API key").fill(PAGE_ADMIN_KEY)
    confirm.get_by_role("button", name="Delete").click()
    expect(confirm.locator(".panel-error")).to_have_text(PAGE_403)
    expect(confirm).not_to_contain_text("QA_SECURITY__ADMIN_API_KEY")
    assert page_probe.script_errors() == []


def test_a_long_list_comes_a_page_at_a_time_and_titles_stay_text(page_probe: PageProbe) -> None:
    """60 articles (answered by the test, with markup in their titles): 50 first, then the rest
    on "Show more", each page asked for with its offset."""
    from urllib.parse import parse_qs, urlparse

    from playwright.sync_api import expect

    page = page_probe.page
    total = 60
    offsets: list[int] = []

    def documents(route: Any) -> None:
        query = parse_qs(urlparse(route.request.url).query)
        offset = int(query.get("offset", ["0"])[0])  # the page's count asks without paging
        limit = int(query.get("limit", ["100"])[0])
        offsets.append(offset)
        rows = [
            {
                "doc_id": f"doc-{n:02d}",
                "title": f"Article {n:02d} {PAYLOAD}",
                "has_title": True,
                "source": None,
                "date": None,
                "paragraphs": 1,
            }
            for n in range(offset, min(offset + limit, total))
        ]
        body = {"documents": rows, "total": total, "offset": offset, "limit": limit}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route(lambda url: urlparse(url).path == "/documents", documents)
    page.goto("/")
    items = page.locator("#articles-view .article-item")
    expect(items).to_have_count(50)
    more = page.get_by_role("button", name="Show more (10 left)")
    more.click()
    expect(items).to_have_count(total)
    expect(more).to_be_hidden()
    expect(items.last.locator(".article-title")).to_have_text(f"Article 59 {PAYLOAD}")
    assert 50 in offsets
    assert page.locator("#articles-view img, #examples img").count() == 0
    page.wait_for_timeout(300)  # give a broken image's onerror the chance to fire
    assert page_probe.dialogs == []


def test_an_admin_imports_a_nexis_export_and_sees_each_article_and_the_item_refused(
    page_probe: PageProbe, page_server: PageServer, tmp_path: Path
) -> None:
    """A Nexis Uni export chosen in the Add form (a .docx) is sent whole, its bytes in base64,
    to POST /documents/import: the page says how many articles were added and how many records
    were not, lists the articles (each opens) and names the item refused with its reason."""
    from playwright.sync_api import expect

    empty = NexisItem(
        title="Harbour photo of the week",
        source="Vessby Evening Post",
        date_line="May 2, 2031 Friday",
        paragraphs=[],  # a picture's item: a Body line and no text under it
    )
    path = nexis_export(tmp_path / "results.docx", [LIGHTHOUSE, empty, FERRY])
    page = page_probe.page
    form = open_add_form_as_admin(page)
    report = send_file_in_base64(
        page,
        form,
        path,
        note="Word document “results.docx”: a Nexis Uni export gives an article for each",
        button="Import articles",
    )
    expect(report.locator(".panel-message")).to_have_text(
        "2 articles added and indexed; 1 record not imported.", timeout=INDEXING_TIMEOUT_MS
    )
    expect(report.locator(".article-title")).to_have_text([LIGHTHOUSE.title, FERRY.title])
    expect(report.locator(".import-refused li")).to_have_text(
        ["results.docx item 2: no article text between its 'Body' line and its end"]
    )
    report.get_by_role("button", name=FERRY.title).click()
    expect(page.locator(".article-view .article-heading")).to_have_text(FERRY.title)
    expect(page.locator(".article-view")).to_contain_text("Vessby Evening Post")
    assert page_probe.script_errors() == []
    ids = [d["doc_id"] for d in listed(page)["documents"]
           if d["title"] in (LIGHTHOUSE.title, FERRY.title)]  # fmt: skip
    assert len(ids) == 2
    for doc_id in ids:  # leave the shared corpus as it was
        delete_article(page_server, doc_id)


def test_an_edited_record_imported_again_is_shown_with_the_article_it_looks_like(
    page_probe: PageProbe, page_server: PageServer, test_output_dir: Path
) -> None:
    """An archive record without a url, its text edited and the export imported again, is a
    second article beside the first: the import's warnings say so, and the page shows them
    (it showed none) in its own words, with a button opening the article indexed before,
    whose Delete keeps one; what else the server noted (a repair of the text as sent) is
    listed as it said it. A POST /documents that adds such an article shows the same."""
    from playwright.sync_api import expect

    def record(text: str) -> dict[str, str]:
        return {"title": "Letters: the quay lights", "source": "Skarra Weekly",
                "date": "2031-06-02", "text": text}  # fmt: skip

    kept = {"title": "Quay lights switched on", "source": "Skarra Weekly", "date": "2031-06-01",
            "url": "https://skarra-weekly.example/quay-lights",
            "text": "The new quay lights were switched on at dusk on Sunday."}  # fmt: skip
    first = record("Sir, the quay lights cost 80,000 crowns and nobody asked the harbour.")
    # corrected: another figure, and a curly apostrophe a Latin-1 decoder left as a C1 control
    edited = record(
        "Sir, the quay lights cost 90,000 crowns and nobody asked the harbour\u0092s pilots."
    )

    def export(*records: dict[str, str]) -> bytes:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")

    page = page_probe.page
    added_ids: list[str] = []
    try:
        form = open_add_form_as_admin(page)
        form.get_by_label(FILE_LABEL).set_input_files(
            {
                "name": "letters.jsonl",
                "mimeType": "application/json",
                "buffer": export(kept, first),
            }  # fmt: skip
        )
        form.get_by_role("button", name="Import articles").click()
        report = page.locator(".import-report")
        expect(report.locator(".panel-message")).to_have_text(
            "2 articles added and indexed.", timeout=INDEXING_TIMEOUT_MS
        )
        expect(report.locator(".added-notes")).to_have_count(0)  # nothing to check
        earlier = next(d["doc_id"] for d in listed(page, q="quay")["documents"]
                       if d["title"] == first["title"])  # fmt: skip
        added_ids += [d["doc_id"] for d in listed(page, q="quay")["documents"]]

        report.get_by_role("button", name="Back to the articles").click()
        page.get_by_role("button", name="Add an article").click()
        form = page.locator(".add-article-form")
        form.get_by_label(FILE_LABEL).set_input_files(
            {
                "name": "letters.jsonl",
                "mimeType": "application/json",
                "buffer": export(kept, edited),
            }  # fmt: skip
        )
        with page.expect_response("**/documents/import", timeout=INDEXING_TIMEOUT_MS) as sent:
            form.get_by_role("button", name="Import articles").click()
        answer = sent.value.json()
        [look_alike] = answer["look_alikes"]
        assert look_alike["others"] == [earlier] and look_alike["shares"] == "headline"
        added_ids.append(look_alike["doc_id"])
        report = page.locator(".import-report")
        expect(report.locator(".panel-message")).to_have_text(
            "1 article added and indexed; 1 was already indexed as sent. 1 added article looks "
            "like one indexed already: see below."
        )
        notes = report.locator(".added-notes")
        expect(notes.get_by_role("heading", name="Check before asking")).to_be_visible()
        expect(notes.locator(".look-alike p")).to_have_text(
            "“Letters: the quay lights” has the same headline, outlet and date as an article "
            "indexed already, and neither has a web address: an edited version, or the same "
            "story sent again. Both are kept, so answers may quote either: open it to compare, "
            "and delete the one you do not want."
        )
        # the rest of the server's warnings, as it said them; the look-alike's not twice
        others = [w for w in answer["warnings"] if w != look_alike["warning"]]
        assert any("C1 control" in w for w in others)
        expect(notes.locator(".added-warnings li")).to_have_text(others)
        expect(notes).not_to_contain_text(f"DELETE /documents/{earlier}")
        page.screenshot(path=str(test_output_dir / "docs-panel-look-alike.png"), full_page=True)

        # the earlier version opens from the warning, and goes with its Delete
        open_it = notes.get_by_role("button", name="Open the indexed article")
        _open_and_delete(page, open_it, first, back="← Back to the import")
        added_ids.remove(earlier)
        left = [d["title"] for d in listed(page, q="letters quay")["documents"]]
        assert left == [first["title"]]
        expect(page.locator("#articles-view .article-item")).to_have_count(listed(page)["total"])

        # one article added by the form, looking like the edited one: said the same way
        page.get_by_role("button", name="Add an article").click()
        form = page.locator(".add-article-form")
        form.get_by_label("Title").fill(first["title"])
        form.get_by_label("Outlet").fill(first["source"])
        form.get_by_label("Date").fill(first["date"])
        form.get_by_label("Text").fill("Sir, a third version of the letter.")
        form.get_by_role("button", name="Add article").click()
        view = page.locator(".article-view")
        expect(view.locator(".panel-message")).to_have_text(
            "Added and indexed: it can be asked about now. It looks like an article indexed "
            "already: see below.",
            timeout=INDEXING_TIMEOUT_MS,
        )
        # the focus on it, not on the title under the notes: "see below" is read out first
        expect(view.locator(".panel-message")).to_be_focused()
        added_ids.append(next(d["doc_id"] for d in listed(page, q="letters quay")["documents"]
                              if d["doc_id"] not in added_ids))  # fmt: skip
        view.locator(".added-notes").get_by_role("button", name="Open the indexed article").click()
        expect(page.locator(".article-view .article-paragraph")).to_contain_text(["90,000"])
        page.get_by_role("button", name="← Back to the article added").click()
        expect(page.locator(".article-view .article-paragraph")).to_have_text(
            ["Sir, a third version of the letter."]
        )
        assert page_probe.script_errors() == []
    finally:
        for doc_id in added_ids:  # leave the shared corpus as it was
            delete_article(page_server, doc_id)


def test_a_record_refused_for_its_id_opens_the_article_that_holds_the_id(
    page_probe: PageProbe, page_server: PageServer
) -> None:
    """A story updated at the same address and exported again is refused: its id (made from
    the address) is indexed with other content, and the reason named the API's DELETE, which
    the page's reader cannot send. The page now offers to open that article, whose Delete
    frees the id: the export imported again adds the update."""
    from playwright.sync_api import expect

    story = {"title": "Skarra pool reopens", "source": "Skarra Weekly", "date": "2031-07-01",
             "url": "https://skarra-weekly.example/pool",
             "text": "The Skarra pool reopened on Monday after a new roof."}  # fmt: skip
    update = {**story, "text": f"{story['text']}\n\nUpdate: the sauna opens in August."}

    page = _load_as_admin(page_probe.page)
    report, doc_id = _import_one(page, "pool.jsonl", story, q="pool")
    try:
        expect(report.locator(".indexed-otherwise")).to_have_count(0)
        report.get_by_role("button", name="Back to the articles").click()

        # with another story: that one is added, the update refused, and the report offers it
        lifeguards = {**story, "title": "Skarra pool hires lifeguards",
                      "url": "https://skarra-weekly.example/lifeguards"}  # fmt: skip
        report = _import_records(page, "pool.jsonl", update, lifeguards)
        expect(report.locator(".panel-message")).to_have_text(
            "1 article added and indexed; 1 record not imported.", timeout=INDEXING_TIMEOUT_MS
        )
        expect(report.locator(".import-refused li")).to_contain_text(
            [f"(id {doc_id}): an article with this id is already indexed with other content"]
        )
        expect(report.locator(".indexed-otherwise .hint")).to_have_text(
            "A record above has the id of an article indexed with other content (an earlier "
            "version, most likely). To import it instead, open that article, delete it, and "
            "import the export again."
        )
        open_it = report.get_by_role("button", name=f"Open the indexed article {doc_id}")
        open_it.click()
        expect(page.locator(".article-view .article-paragraph")).to_have_text([story["text"]])
        page.get_by_role("button", name="← Back to the import").click()
        expect(open_it).to_be_focused()
        report.get_by_role("button", name="Back to the articles").click()

        # the only record refused: the import is a 422, shown in the form with the same offer
        _import_records(page, "pool.jsonl", update)
        form = page.locator(".add-article-form")
        expect(form.locator(".panel-error")).to_contain_text(
            f"(id {doc_id}): an article with this id is already indexed with other content",
            timeout=INDEXING_TIMEOUT_MS,
        )
        expect(form.locator(".indexed-otherwise .hint")).to_have_text(
            "A record above has the id of an article indexed with other content (an earlier "
            "version, most likely). To import it instead, open that article, delete it, and "
            "import the export again."
        )
        open_it = form.get_by_role("button", name=f"Open the indexed article {doc_id}")
        _open_and_delete(page, open_it, story, back="← Back to the form")

        report = _import_records(page, "pool.jsonl", update)
        expect(report.locator(".panel-message")).to_have_text(
            "1 article added and indexed.", timeout=INDEXING_TIMEOUT_MS
        )
        expect(report.locator(".indexed-otherwise")).to_have_count(0)
        report.get_by_role("button", name=story["title"]).click()
        expect(page.locator(".article-view .article-paragraph")).to_have_count(2)
        assert page_probe.script_errors() == []
    finally:
        for doc in listed(page, q="pool")["documents"]:  # leave the shared corpus as it was
            delete_article(page_server, doc["doc_id"])
