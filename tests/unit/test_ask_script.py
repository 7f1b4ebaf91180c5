"""Unit tests for scripts/ask.py: reading a list of questions from the files a researcher keeps
them in, and writing the answers as Markdown footnotes and as a spreadsheet's rows."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from scripts import ask as ask_script
from scripts.ask import (
    ask_all,
    check_out,
    markdown_text,
    questions_from,
    to_csv,
    to_jsonl,
    to_markdown,
    write_answers,
)
from scripts.cli import UsageError

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def citation(marker: int, **extra: Any) -> dict[str, Any]:
    text = "The council voted 7 to 2 on Tuesday. It meets again in May."
    return {
        "marker": marker,
        "paragraph_id": "council-vote:0a1b2c3d4e5f",
        "doc_id": "council-vote",
        "index": 3,
        "text": text,
        "title": "Council *backs* the plan",
        "source": "The Ledger",
        "date": "2025-03-04",
        "url": "https://example.org/council",
        "span_start": 0,
        "span_end": text.index(" It"),
        **extra,
    }


ANSWERED = {
    "question": "How did the council vote?",
    "status": "answered",
    "answer": "The council voted 7 to 2 on Tuesday. [1]",
    "short_answer": "7 to 2",
    "evidence_score": 0.8123,
    "reason": None,
    "citations": [citation(1)],
}
REFUSED = {
    "question": "Who is the mayor?",
    "status": "insufficient_evidence",
    "answer": "The articles do not hold enough evidence to answer this.",
    "reason": "no sentence answers this well enough",
    "citations": [],
    "retrieved": [
        {
            "doc_id": "a",
            "index": 0,
            "text": "First  paragraph.",
            "title": "A",
            "url": None,
            "paragraph_id": "a:00aa11bb22cc",
        },
        {"doc_id": "b", "index": 5, "text": "Second.", "title": "", "source": "Wire"},
    ],
}
FAILED = {"question": "", "status": "error", "error": "question is empty"}


def test_questions_from_a_text_file_skip_empty_lines_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("\ufeff# for Tuesday's story\nWho voted?\n\n  When is the next vote?  \n")
    assert questions_from(str(path)) == ["Who voted?", "When is the next vote?"]


def test_questions_from_a_table_use_its_question_column(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('id,Question\n1,"Who voted, and how?"\n2,\n3,When?\n', encoding="utf-8")
    assert questions_from(str(path)) == ["Who voted, and how?", "When?"]
    tsv = tmp_path / "q.tsv"
    tsv.write_text("question\tnote\nWho?\tx\n")
    assert questions_from(str(tsv)) == ["Who?"]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("excel.csv", "cp1252"), ("notepad.txt", "cp1252"), ("unicode.txt", "utf-16")],
)
def test_a_question_file_saved_by_excel_or_notepad_is_read_in_its_encoding(
    tmp_path: Path, name: str, encoding: str
) -> None:
    path = tmp_path / name
    questions = ["Who runs the café in Zürich?", "What did “the board” say?"]
    header = "question,notes\r\n" if name.endswith(".csv") else ""
    path.write_bytes((header + "".join(f"{q}\r\n" for q in questions)).encode(encoding))
    assert questions_from(str(path)) == questions


def test_a_table_without_a_question_column_says_which_columns_it_has(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("id,text\n1,Who?\n")
    with pytest.raises(UsageError, match="needs a 'question' column.*'id', 'text'"):
        questions_from(str(path))


def test_questions_from_jsonl_and_standard_input(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "Who?"}\n{"question": "When?", "id": 2}\n')
    assert questions_from(str(path)) == ["Who?", "When?"]
    assert questions_from("-", io.StringIO("Why?\n# no\n")) == ["Why?"]
    with pytest.raises(UsageError, match="holds no questions"):
        questions_from("-", io.StringIO("# only a comment\n\n"))


FOOTNOTE = (
    "[^1]: *Council \\*backs\\* the plan*, The Ledger, 2025-03-04, "
    '<https://example.org/council> — "The council voted 7 to 2 on Tuesday." '
    "(doc council-vote, paragraph 4, id council-vote:0a1b2c3d4e5f)\n"
)


def test_one_answer_as_markdown_has_its_short_answer_and_sources_as_footnotes() -> None:
    markdown = to_markdown([ANSWERED])
    assert markdown == (
        "**Q:** How did the council vote?\n\n"
        "The council voted 7 to 2 on Tuesday. [^1]\n\n"
        # worded as the chat page words it: a reading of the quote, to check there
        "Likely answer (check it in the quote): **7 to 2**\n\n" + FOOTNOTE
    )


def test_an_answer_without_a_short_answer_has_no_line_for_it() -> None:
    for short in (None, "", "  "):
        markdown = to_markdown([{**ANSWERED, "short_answer": short}])
        assert markdown == (
            "**Q:** How did the council vote?\n\n"
            "The council voted 7 to 2 on Tuesday. [^1]\n\n" + FOOTNOTE
        )


def test_a_quote_that_lacks_the_kind_asked_for_says_so_under_the_short_answer() -> None:
    lacking = {**ANSWERED, "asked_kind": "number", "holds_asked_kind": False}
    assert to_markdown([lacking]) == (
        "**Q:** How did the council vote?\n\n"
        "The council voted 7 to 2 on Tuesday. [^1]\n\n"
        "Likely answer (check it in the quote): **7 to 2**\n\n"
        "> Note: the quoted sentence gives no number, which the question asks for; check "
        "whether it answers it.\n\n" + FOOTNOTE
    )
    alone = to_markdown([{**lacking, "short_answer": None, "asked_kind": "time"}])
    assert "[^1]\n\n> Note: the quoted sentence gives no time or date, which" in alone
    # one that holds it, or a kind not checked (or not known here), has no note
    for kind, holds in (("number", True), ("number", None), ("person", False), (None, False)):
        answer = {**ANSWERED, "asked_kind": kind, "holds_asked_kind": holds}
        assert "Note:" not in to_markdown([answer]), (kind, holds)


def test_a_short_answer_told_from_the_articles_details_says_so() -> None:
    cited = citation(1, detail="author", author="Mira Hale", span_start=0, span_end=0)
    answer = {
        **ANSWERED,
        "answer": "The article was written by Mira Hale. [1]",
        "short_answer": "Mira Hale",
        "citations": [cited],
    }
    markdown = to_markdown([answer])
    assert "\n\nFrom the article's details: **Mira Hale**\n\n[^1]: " in markdown
    assert "Likely answer" not in markdown


@pytest.mark.parametrize(
    "short", ["1. In a wok", "*7* to [2]", "the _real_ cost", "# 4 teams", "`code` <b>x</b>"]
)
def test_a_short_answer_with_markdown_characters_shows_as_written(short: str) -> None:
    markdown = to_markdown([{**ANSWERED, "short_answer": short}])
    line = next(p for p in markdown.split("\n\n") if p.startswith("Likely answer"))
    rendered = CommonMark.render(line)
    # one paragraph whose only markup is the short answer's bold
    assert re.findall(r"</?([a-z0-9]+)", rendered) == ["p", "strong", "strong", "p"], rendered
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == (
        f"Likely answer (check it in the quote): {short}"
    )


def test_several_answers_keep_their_footnotes_apart_and_say_refusals_and_failures() -> None:
    markdown = to_markdown([ANSWERED, REFUSED, FAILED])
    first, second, third = markdown.split("\n\n---\n\n")
    assert "[^1-1]" in first and "[^1-1]: " in first and "[^1]" not in first
    assert second.splitlines() == [
        "**Q:** Who is the mayor?",
        "",
        "**No answer.** The articles do not hold enough evidence to answer this.",
        "",
        "Why: no sentence answers this well enough",
        "",
        "Closest paragraphs:",
        "",
        '1. *A* — "First paragraph." (doc a, paragraph 1, id a:00aa11bb22cc)',
        '2. Wire — "Second." (doc b, paragraph 6)',
    ]
    assert third == "**Q:** \n\n**Not asked:** question is empty\n"


def test_a_marker_with_no_citation_shows_as_written() -> None:
    answer = {**ANSWERED, "answer": "Voted. [1] See also [3]."}
    assert "Voted. [^1] See also \\[3\\]." in to_markdown([answer])  # shown as "[3]"


def test_a_detail_citation_says_the_detail_not_a_quote() -> None:
    cited = citation(1, detail="date", span_start=0, span_end=0)
    answer = {**ANSWERED, "answer": "It was published on 4 March 2025. [1]", "citations": [cited]}
    assert "— the article's date: 2025-03-04 (doc council-vote" in to_markdown([answer])


def test_csv_has_a_row_a_question_with_its_sources_in_one_cell() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv([ANSWERED, REFUSED, FAILED]))))
    assert [r["status"] for r in rows] == ["answered", "insufficient_evidence", "error"]
    assert rows[0]["short_answer"] == "7 to 2" and rows[0]["score"] == "0.812"
    assert rows[0]["sources"] == (
        "[1] Council *backs* the plan, The Ledger, 2025-03-04, https://example.org/council "
        "(doc council-vote, paragraph 4, id council-vote:0a1b2c3d4e5f): "
        '"The council voted 7 to 2 on Tuesday."'
    )
    assert rows[1]["reason"] == "no sentence answers this well enough"
    assert rows[1]["sources"] == ""
    assert rows[2]["answer"] == "question is empty"
    assert [r["note"] for r in rows] == ["", "", ""]


def test_csv_notes_a_quote_that_lacks_the_kind_asked_for_in_its_last_column() -> None:
    lacking = {**ANSWERED, "asked_kind": "number", "holds_asked_kind": False}
    text = to_csv([lacking, {**ANSWERED, "asked_kind": "number", "holds_asked_kind": True}])
    header, *_ = text.splitlines()
    assert header.split(",")[-1] == "note"  # added last: the other columns keep their places
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["note"] == (
        "the quoted sentence gives no number, which the question asks for; "
        "check whether it answers it."
    )
    assert rows[1]["note"] == ""


def test_a_cell_that_would_start_a_formula_stays_text() -> None:
    # words from saved pages reach the table: '=HYPERLINK(…)' must not run in a spreadsheet
    answer = {
        **ANSWERED,
        "question": "@who voted?",
        "answer": '=HYPERLINK("https://evil.example","7 to 2") [1]',
        "short_answer": "-2",
        "citations": [citation(1, title="+1 for the plan")],
    }
    row = next(csv.DictReader(io.StringIO(to_csv([answer]))))
    assert row["question"] == "'@who voted?"
    assert row["answer"] == '\'=HYPERLINK("https://evil.example","7 to 2") [1]'
    assert row["short_answer"] == "'-2"
    assert row["sources"].startswith("[1] +1 for the plan")  # inside a cell: no formula
    assert row["score"] == "0.812" and row["status"] == "answered"


def test_jsonl_is_each_response_whole() -> None:
    lines = to_jsonl([ANSWERED, REFUSED]).splitlines()
    assert len(lines) == 2 and '"short_answer": "7 to 2"' in lines[0]


def test_ask_all_asks_each_question_once_in_order() -> None:
    asked: list[str] = []

    def ask(question: str) -> dict[str, Any]:
        asked.append(question)
        return {"status": "answered", "answer": question.upper()}

    results = ask_all(ask, ["a?", "b?"])
    assert asked == ["a?", "b?"]
    assert [(r["question"], r["answer"]) for r in results] == [("a?", "A?"), ("b?", "B?")]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "give questions on the command line or --file"),
        (["Who?", "--file", "q.txt"], "give questions on the command line or --file"),
        (["Who?", "--url", "http://127.0.0.1:9", "--data-dir", "x"], "--data-dir is for"),
        (["--file", "missing.txt"], "No such file or directory"),
        (["Who?", "--out", "nowhere/answers.md"], "the folder nowhere does not exist"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "ask.py"), *arguments],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


# ---- Markdown that shows the articles' words as they are -----------------------------------

# words an article, a title or a question may hold that Markdown would otherwise take for
# markup: an old wire story's ``quotes'' (a code span), emphasis, a link, a footnote, raw HTML,
# a character reference, strikethrough, a table's bar, a backslash
AWKWARD = [
    "``We will not rush this,'' she said. ``Not at all.''",
    "*Exclusive*: the _real_ cost of the **pier**",
    "[Updated] Council backs [the plan](https://example.org/x) [^1]",
    "Fish <b>and</b> chips <script>alert(1)</script>",
    "AT&T paid &amp; the council &#38; the port",
    "A ~~strike~~ and a | bar | in it",
    "C:\\ports\\ and a trailing backslash \\",
    "two\nlines of a title",
]
CommonMark = MarkdownIt("commonmark").enable("strikethrough").enable("table")


def _shown(markdown: str) -> str:
    """What a Markdown renderer shows of one line of inline Markdown: its HTML, which must
    hold no tag, read back as text."""
    rendered = CommonMark.renderInline(markdown)
    assert "<" not in rendered, rendered  # no emphasis, code, link or HTML came of it
    return html.unescape(rendered)


@pytest.mark.parametrize("words", AWKWARD)
def test_markdown_text_shows_any_words_as_they_are(words: str) -> None:
    assert _shown(markdown_text(words)) == " ".join(words.split())


@pytest.mark.parametrize("words", AWKWARD)
def test_titles_quotes_questions_and_closest_paragraphs_are_escaped(words: str) -> None:
    cited = citation(1, title=words, source=words, text=f"{words} It meets again.", span_end=None)
    answered = {
        **ANSWERED,
        "question": words,
        "answer": f"{words} [1]",
        "short_answer": words,
        "citations": [cited],
    }
    refused = {**REFUSED, "question": words, "retrieved": [{**cited, "index": 0}]}
    rendered = CommonMark.render(to_markdown([answered, refused]))
    # only the markup the file means: bold "Q:", italic titles, links, the rule, the list
    assert set(re.findall(r"</?([a-z0-9]+)", rendered)) <= {
        "p",
        "em",
        "strong",
        "a",
        "hr",
        "ol",
        "li",
    }
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())
    # two questions, the answer, its short answer, two titles, two outlets, the quote, the
    # closest paragraph
    assert shown.count(" ".join(words.split())) == 10, shown


@pytest.mark.parametrize(
    "answer", ["1. In a wok, fry the garlic.", "# 4 teams", "- 3 degrees", "> not a quote"]
)
def test_an_answer_that_starts_like_a_list_or_heading_stays_a_paragraph(answer: str) -> None:
    markdown = to_markdown([{**ANSWERED, "answer": f"{answer} [1]"}])
    body = markdown.split("\n\n")[1]
    assert CommonMark.render(body).startswith("<p>"), body
    assert html.unescape(CommonMark.renderInline(body)) == f"{answer} [^1]"


def test_an_address_that_would_end_its_autolink_early_is_encoded() -> None:
    cited = citation(1, url="https://example.org/a b<c>d")
    markdown = to_markdown([{**ANSWERED, "citations": [cited]}])
    assert "<https://example.org/a%20b%3Cc%3Ed>" in markdown


# ---- writing as the answers come -------------------------------------------------------------


def _interrupted_at(number: int) -> Any:
    def ask(question: str) -> dict[str, Any]:
        if question == f"q{number}?":
            raise KeyboardInterrupt
        return {**ANSWERED, "question": question}

    return ask


@pytest.mark.parametrize("format", ["markdown", "csv", "jsonl"])
def test_ctrl_c_keeps_the_answers_already_written(
    format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = io.StringIO()
    questions = ["q1?", "q2?", "q3?", "q4?"]
    with pytest.raises(KeyboardInterrupt):
        write_answers(_interrupted_at(3), questions, format, out, where="in answers")
    written = out.getvalue()
    if format == "markdown":
        blocks = written.split("\n\n---\n\n")
        assert [b.splitlines()[0] for b in blocks] == ["**Q:** q1?", "**Q:** q2?"]
        assert "[^2-1]: " in blocks[1] and written.endswith("\n")
    elif format == "csv":
        assert [r["question"] for r in csv.DictReader(io.StringIO(written))] == ["q1?", "q2?"]
    else:
        assert len(written.splitlines()) == 2
    assert "stopped after 2 of 4 questions; their answers are in answers" in capsys.readouterr().err


def test_each_answer_is_written_before_the_next_question_is_asked() -> None:
    out = io.StringIO()
    seen: list[str] = []

    def ask(question: str) -> dict[str, Any]:
        seen.append(out.getvalue())
        return {**ANSWERED, "question": question}

    write_answers(ask, ["q1?", "q2?"], "markdown", out, where="above")
    assert seen[0] == "" and seen[1].startswith("**Q:** q1?") and "[^1-1]: " in seen[1]
    assert out.getvalue() == to_markdown([{**ANSWERED, "question": q} for q in ("q1?", "q2?")])


def test_out_in_a_folder_that_does_not_exist_says_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"the folder .*missing does not exist.*mkdir -p"):
        check_out(tmp_path / "missing" / "answers.md")
    with pytest.raises(UsageError, match="is a folder: give a file to write"):
        check_out(tmp_path)
    check_out(tmp_path / "answers.md")  # a new file in a folder that is there


def test_a_csv_file_starts_with_a_byte_order_mark_for_spreadsheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "answers.csv"
    answer = {**ANSWERED, "answer": "Malmö’s council voted 7 to 2. [1]"}
    monkeypatch.setattr(ask_script, "_asker", lambda args: lambda question: dict(answer))
    monkeypatch.setattr(sys, "argv", ["ask.py", "Who?", "--format", "csv", "--out", str(out)])
    assert ask_script.main() == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfquestion,")  # UTF-8 with its mark
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert rows[0]["answer"] == "Malmö’s council voted 7 to 2. [1]"
