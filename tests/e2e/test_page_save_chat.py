"""Saving the conversation as a Markdown file from the chat page, in real Chromium against the
real server: a researcher's questions, answers with their sources and refusals with the closest
paragraphs, kept as one file; and how a follow-up, a question asked of one article or of dates,
and a question not answered are written (crafted records, the page's own function)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import SAVED_CONVERSATION, PageProbe
from tests.e2e.test_chat_page import ANSWER_TIMEOUT_MS, ask, last_turn, stream_events

pytestmark = pytest.mark.e2e

ANSWERABLE = "Whom did South Korea summon on Monday?"
UNANSWERABLE = "Which team won the 2022 FIFA World Cup final in football?"
TO_MARKDOWN = "([records, at]) => window.groundedQa.conversationToMarkdown(records, at)"


def test_the_conversation_saves_as_one_markdown_file(probe: PageProbe, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = probe.page
    page.goto("/")
    save = page.get_by_role("button", name="Save as Markdown")
    expect(save).to_be_hidden()  # nothing to save yet
    for question in (ANSWERABLE, UNANSWERABLE):
        ask(page, question)
        expect(last_turn(page).locator(".answer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(save).to_be_visible()

    with page.expect_download() as download_info:
        save.click()
    download = download_info.value
    assert re.fullmatch(r"conversation-\d{4}-\d{2}-\d{2}\.md", download.suggested_filename)
    saved = tmp_path / "saved.md"
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")

    heading, first, second = text.split("\n\n---\n\n")
    assert re.fullmatch(
        r"# Questions asked of the articles\n\nSaved \d{4}-\d{2}-\d{2} \d\d:\d\d\.", heading
    )
    answer = stream_events(page, ANSWERABLE)[-1][1]  # the same (deterministic) answer, as JSON
    assert answer["status"] == "answered"
    assert first.startswith(f"**Q:** {ANSWERABLE}\n\n")
    # the footnotes are numbered by question, so two answers' [1] stay apart in one file
    for citation in answer["citations"]:
        marker = citation["marker"]
        assert f"[^1-{marker}]" in first.split("\n\n")[1]
        note = next(line for line in first.splitlines() if line.startswith(f"[^1-{marker}]: "))
        # the id finds the paragraph again after its article changed (GET /paragraphs/{id})
        assert note.endswith(
            f"(doc {citation['doc_id']}, paragraph {citation['index'] + 1}, "
            f"id {citation['paragraph_id']})"
        )
    assert second.startswith(f"**Q:** {UNANSWERABLE}\n\n**No answer.** ")
    assert "\nClosest paragraphs:\n\n1. " in second
    assert text.endswith("\n")
    # what is saved is what the page keeps of the conversation
    records = page.evaluate(SAVED_CONVERSATION)["turns"]
    at = heading.removeprefix("# Questions asked of the articles\n\nSaved ").rstrip(".")
    assert page.evaluate(TO_MARKDOWN, [records, at]) == text

    page.get_by_role("button", name="New chat").click()
    expect(save).to_be_hidden()
    page.get_by_role("button", name="Bring it back").click()
    expect(save).to_be_visible()
    assert not probe.errors, probe.errors


def test_follow_ups_scopes_and_unanswered_questions_say_so(probe: PageProbe) -> None:
    page = probe.page
    page.goto("/")
    citation = {
        "marker": 1,
        "paragraph_id": "council:5e0f1a2b3c4d",
        "doc_id": "council",
        "index": 2,
        "text": "The council voted 7 to 2 on Tuesday.",
        "title": "Council backs the pier",
        "source": "The Ledger",
        "date": "2031-05-06",
        "span_start": 0,
        "span_end": 36,
    }
    records = [
        {
            "question": "When?",
            "kind": "answer",
            "scope": {"doc_id": "council", "title": "Council backs the pier"},
            "dates": {"from": "2031-05-01", "to": ""},
            "data": {
                "status": "answered",
                "question": "When?",
                "rewritten_question": "When did the council vote on the pier?",
                "answer": "The council voted 7 to 2 on Tuesday. [1]",
                "citations": [citation],
            },
        },
        {"question": "Who voted *against*?", "kind": "stopped"},
        {
            "question": "Why?",
            "kind": "error",
            "error": {"message": "The service is busy", "status": 429},
        },
    ]
    text = page.evaluate(TO_MARKDOWN, [records, "2031-05-07 10:00"])
    _, first, second, third = text.split("\n\n---\n\n")
    assert first.splitlines()[:4] == [
        "**Q:** When?",
        "*(read as “When did the council vote on the pier?”; asked only of “Council backs the "
        "pier”; asked only of articles dated from 2031-05-01)*",
        "",
        "The council voted 7 to 2 on Tuesday. [^1-1]",
    ]
    assert first.endswith(
        '[^1-1]: *Council backs the pier*, The Ledger, 2031-05-06 — "The council voted 7 to 2 on '
        'Tuesday." (doc council, paragraph 3, id council:5e0f1a2b3c4d)'
    )
    assert (
        second
        == "**Q:** Who voted \\*against\\*?\n\n*Not answered: stopped before the answer came.*"
    )
    assert third == "**Q:** Why?\n\n*Not answered: The service is busy.*\n"
    assert not probe.errors, probe.errors


def test_short_answers_and_what_a_quote_lacks_are_saved_under_the_quote(probe: PageProbe) -> None:
    page = probe.page
    page.goto("/")
    sentence = "The council voted 7 to 2 on Tuesday."
    cited = {
        "marker": 1,
        "doc_id": "council",
        "index": 2,
        "text": sentence,
        "title": "Council backs the pier",
        "span_start": 0,
        "span_end": len(sentence),
    }
    answered = {"status": "answered", "answer": f"{sentence} [1]", "citations": [cited]}
    lacking = {"asked_kind": "number", "holds_asked_kind": False}
    by_author = {**cited, "detail": "author", "author": "Mira Hale", "span_end": 0}
    datas = [
        {**answered, "short_answer": "7 to 2", "asked_kind": "number", "holds_asked_kind": True},
        {**answered, "short_answer": None},
        {**answered, "short_answer": None, **lacking},
        {**answered, "short_answer": "Tuesday", **lacking},
        {**answered, "short_answer": "Mira Hale", "citations": [by_author]},
    ]
    records = [{"question": f"Q{i}?", "kind": "answer", "data": d} for i, d in enumerate(datas)]
    text = page.evaluate(TO_MARKDOWN, [records, "2031-05-07 10:00"])
    blocks = text.split("\n\n---\n\n")[1:]
    short = "Likely answer (check it in the quote): **{}**"
    note = (
        "> Note: the quoted sentence gives no number, which the question asks for; check "
        "whether it answers it."
    )
    # what the page shows beside the quote, in one place: under it, the short answer first
    expected = [
        [short.format("7 to 2")],
        [],
        [note],
        [short.format("Tuesday"), note],
        ["From the article's details: **Mira Hale**"],
    ]
    for i, (block, said) in enumerate(zip(blocks, expected, strict=True)):
        paragraphs = block.rstrip("\n").split("\n\n")
        assert paragraphs[0] == f"**Q:** Q{i}?"
        assert paragraphs[1] == f"{sentence} [^{i + 1}-1]"
        assert paragraphs[2:-1] == said, block
        assert paragraphs[-1].startswith(f"[^{i + 1}-1]: *Council backs the pier* — ")
        # Copy as Markdown on the one answer says the same
        one = page.evaluate("(d) => window.groundedQa.answerToMarkdown(d)", datas[i])
        assert one.rstrip("\n").split("\n\n")[1:-1] == said, one
    assert not probe.errors, probe.errors


# words an article, a title or a question may hold that Markdown would otherwise take for
# markup: an old wire story's ``quotes'' (a code span), emphasis, a link, a footnote, raw HTML,
# a character reference, strikethrough, a table's bar, a backslash
AWKWARD = [
    "``We will not rush this,'' she said. ``Not at all.''",
    "*Exclusive*: the _real_ cost of the **pier**",
    "[Updated] Council backs [the plan](https://example.org/x) [^1]",
    "Fish <b>and</b> chips <img src=x onerror=alert(1)>",
    "AT&T paid &amp; the council &#38; the port",
    "A ~~strike~~ and a | bar | in it",
    "C:\\ports\\ and a trailing backslash \\",
]
MARKUP_MEANT = {"h1", "p", "em", "strong", "a", "hr", "ol", "li", "blockquote"}


@pytest.mark.parametrize("words", AWKWARD)
def test_the_articles_words_show_as_written_in_the_saved_markdown(
    probe: PageProbe, words: str
) -> None:
    from markdown_it import MarkdownIt

    page = probe.page
    page.goto("/")
    cited = {
        "marker": 1,
        "doc_id": "pier",
        "index": 0,
        "text": f"{words} It meets again.",
        "title": words,
        "source": words,
        "date": "2031-05-06",
    }
    records = [
        {
            "question": words,
            "kind": "answer",
            "scope": {"doc_id": "pier", "title": words},
            "data": {
                "status": "answered",
                "answer": f"{words} [1] and [7]",
                "short_answer": words,
                "rewritten_question": f"{words} again",
                "citations": [cited],
            },
        },
        {
            "question": words,
            "kind": "answer",
            "data": {
                "status": "insufficient_evidence",
                "answer": words,
                "reason": words,
                "retrieved": [cited],
            },
        },
        {"question": words, "kind": "error", "error": {"message": words}},
    ]
    text = page.evaluate(TO_MARKDOWN, [records, "2031-05-07 10:00"])
    rendered = MarkdownIt("commonmark").enable(["strikethrough", "table"]).render(text)
    assert set(re.findall(r"</?([a-z0-9]+)", rendered)) <= MARKUP_MEANT, rendered
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())
    # three questions, the reading, the scope, the answer, its short answer, two titles, two
    # outlets, the quote, the refusal, its reason, the closest paragraph, the error
    assert shown.count(words) == 16, shown
    assert "and [7]" in shown  # a marker with no citation shows as written
    # Copy as Markdown on one answer or refusal escapes the same way
    for copy in ("answerToMarkdown", "refusalToMarkdown"):
        one = page.evaluate(f"(d) => window.groundedQa.{copy}(d)", records[0]["data"])
        assert set(re.findall(r"</?([a-z0-9]+)", MarkdownIt("commonmark").render(one))) <= (
            MARKUP_MEANT
        )
    one = page.evaluate("(d) => window.groundedQa.answerToMarkdown(d)", records[0]["data"])
    shown_one = html.unescape(re.sub(r"<[^>]+>", " ", MarkdownIt("commonmark").render(one)))
    assert f"Likely answer (check it in the quote): {words} " in " ".join(shown_one.split())
    assert not probe.errors, probe.errors


def test_an_answer_that_starts_like_a_list_stays_a_paragraph(probe: PageProbe) -> None:
    from markdown_it import MarkdownIt

    page = probe.page
    page.goto("/")
    for answer in ("1. In a wok, fry the garlic. [1]", "# 4 teams [1]", "- 3 degrees [1]"):
        data = {"status": "answered", "answer": answer, "citations": []}
        text = page.evaluate("(d) => window.groundedQa.answerToMarkdown(d)", data)
        assert MarkdownIt("commonmark").render(text).startswith("<p>"), text
