#!/usr/bin/env python
"""Ask the articles a list of questions and keep the answers with their sources.

    python scripts/ask.py "Whom did South Korea summon?" ["another question" ...]
    python scripts/ask.py --file questions.txt --format csv --out answers.csv
    python scripts/ask.py --file questions.csv --url http://127.0.0.1:8000 --date-from 2024-10-01

Questions come from the command line or from `--file`: a `.txt` (one question a line; empty
lines and lines starting with `#` are skipped), a `.csv`/`.tsv` with a `question` column, a
`.jsonl` of objects with a `question` field, or `-` for lines on standard input (a `.txt`,
`.csv` or `.tsv` in any encoding a text article may be in: Excel saves a CSV as Windows-1252,
Notepad's "Unicode" is UTF-16). Each is asked
on its own (no conversation), with the same rules as `POST /ask` (a question too long or
empty is reported, and the others are still asked), within `--date-from`/`--date-to` and the
`--doc-id`s when given.

The answers go to standard output or `--out` (a file in a folder that exists), each written as
soon as it is answered, so a long list shows them as it goes and Ctrl-C keeps those already
asked:
- `markdown` (default): each question, its answer with the sources as footnotes (title,
  outlet, date, address, the quoted words, doc id, paragraph number counted from 1 and the
  paragraph's id, which `GET /paragraphs/{id}` finds again after the corpus changed), or
  why there is no answer and the closest paragraphs, as the chat page's Copy as Markdown; under
  an answer's quote, as the page shows them, its short answer ("Likely answer (check it in the
  quote): **7 to 2**") and, when the quote holds no number for "How many…?" (no date for
  "When…?"), a "> Note: the quoted sentence gives no number…" line; the articles' words are
  escaped, so a `*`, `_`, `[…]`, `<b>` or ``quote'' in them shows as written instead of
  turning into emphasis, a link, HTML or code;
- `csv`: a row a question (question, status, answer, short answer, reason, sources, answer
  score, a note when the quote lacks the kind asked for), for a spreadsheet; a `--out` file
  starts with a UTF-8 byte-order mark, which Excel needs to read its accents and curly quotes;
- `jsonl`: the whole response a line, as `POST /ask` gives it, with `question`.

In-process (default) it loads the service from the same settings as the server (QA_* env
vars, `--data-dir`); with `--url` it asks a running server over HTTP, sending
`QA_SECURITY__READ_API_KEY` (or the admin key) when set. Exit code 0 when every question got an
answer or a refusal, 1 when one or more failed (each is in the output with its error), 2 for a
usage mistake, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import UsageError, read_questions, run_cli  # noqa: E402

FORMATS = ("markdown", "csv", "jsonl")
# an answer's citation marker, "[1]"; its footnote keeps the space before it, as the page's does
MARKER = re.compile(r"\[(\d+)\]")
# "note" came last, after the others, so that a sheet reading columns by place still reads them
CSV_COLUMNS = ("question", "status", "answer", "short_answer", "reason", "sources", "score", "note")
ANSWER_STATUSES = ("answered", "insufficient_evidence")
# what a failed question's record holds instead of an answer: {"status": "error", "error": …}
FAILED = "error"

Asker = Callable[[str], dict[str, Any]]


# ---- reading the questions -----------------------------------------------------------------


def questions_from(path: str, stdin: TextIO = sys.stdin) -> list[str]:
    """The questions of a file (see the module's docstring for the forms); a usage error when
    it holds none or a table has no `question` column."""
    if path == "-":
        return _lines(stdin.read(), "standard input")
    file = Path(path)
    name = file.name.lower()
    if name.endswith(".jsonl"):
        return [str(item["question"]) for item in read_questions(file)]
    text = _decoded(file)
    if name.endswith((".csv", ".tsv")):
        return _table_questions(text, file, delimiter="\t" if name.endswith(".tsv") else ",")
    return _lines(text, str(file))


def _decoded(file: Path) -> str:
    """A question file's text in the encoding its byte-order mark names, else UTF-8, else the
    likeliest legacy one (Excel's "CSV (Comma delimited)" and Notepad's "ANSI" save Windows-1252),
    said on standard error, as the indexer reads an article's text file."""
    from qa.decoding import decode_text

    decoded = decode_text(file.read_bytes())
    if decoded.guessed:
        print(f"{file} is not UTF-8: read as {decoded.encoding}", file=sys.stderr)
    return decoded.text


def _lines(text: str, where: str) -> list[str]:
    found = [line.strip() for line in text.splitlines()]
    questions = [line for line in found if line and not line.startswith("#")]
    if not questions:
        raise UsageError(f"{where} holds no questions (one a line; '#' starts a comment)")
    return questions


def _table_questions(text: str, file: Path, *, delimiter: str) -> list[str]:
    rows = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = {(name or "").strip().lower(): name for name in rows.fieldnames or []}
    if "question" not in columns:
        have = ", ".join(repr(n) for n in rows.fieldnames or []) or "none"
        raise UsageError(f"{file}: a table of questions needs a 'question' column (it has {have})")
    key = columns["question"]
    questions = [str(row.get(key) or "").strip() for row in rows]
    questions = [q for q in questions if q]
    if not questions:
        raise UsageError(f"{file} holds no questions in its 'question' column")
    return questions


# ---- asking ----------------------------------------------------------------------------------


def _asker(args: argparse.Namespace) -> Asker:
    scope: dict[str, Any] = {
        "date_from": args.date_from,
        "date_to": args.date_to,
        "doc_ids": args.doc_id or None,
    }
    if args.url:
        return _http_asker(args.url, {k: v for k, v in scope.items() if v is not None})
    return _local_asker(args.data_dir, scope)


def _http_asker(url: str, scope: dict[str, Any]) -> Asker:
    import httpx

    key = os.environ.get("QA_SECURITY__READ_API_KEY") or os.environ.get(
        "QA_SECURITY__ADMIN_API_KEY"
    )
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    client = httpx.Client(base_url=url, timeout=120, headers=headers)
    body = {k: v.isoformat() if isinstance(v, date) else v for k, v in scope.items()}

    def ask(question: str) -> dict[str, Any]:
        try:
            response = client.post("/ask", json={"question": question, **body})
        except httpx.HTTPError as exc:
            return {"status": FAILED, "error": f"no answer from {url}: {exc}"}
        if response.is_error:  # the service's own words for what to fix (problem details)
            try:
                detail = response.json().get("detail")
            except ValueError:
                detail = None
            return {
                "status": FAILED,
                "error": f"HTTP {response.status_code}: {detail or response.text}",
            }
        return dict(response.json())

    return ask


def _local_asker(data_dir: Path | None, scope: dict[str, Any]) -> Asker:
    from pydantic import ValidationError

    from api.inputs import AskRequest
    from api.service import QAService
    from qa.errors import IndexNotBuilt, QAError
    from qa.settings import Settings

    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    if not (settings.data_dir / "index" / "current").exists():  # before any model is loaded
        raise IndexNotBuilt(
            f"no index in {settings.data_dir}: build one with "
            f"python scripts/rebuild_index.py FOLDER --data-dir {settings.data_dir}"
        )
    service = QAService.load(settings)

    def ask(question: str) -> dict[str, Any]:
        try:  # the rules POST /ask applies (length, empty, the date range's order)
            request = AskRequest.model_validate({"question": question, **scope})
        except ValidationError as exc:
            problems = "; ".join(str(e["msg"]) for e in exc.errors())
            return {"status": FAILED, "error": problems}
        try:
            answer = service.ask(
                request.question,
                date_from=request.date_from,
                date_to=request.date_to,
                doc_ids=request.doc_ids,
            )
        except QAError as exc:  # an unknown doc id, an index that went away
            return {"status": FAILED, "error": str(exc)}
        return answer.model_dump(mode="json")

    return ask


def each_answer(ask: Asker, questions: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Each question's response as soon as it is answered, with the question as asked beside
    it; a line on standard error for each says how far the list has got."""
    for number, question in enumerate(questions, 1):
        response = ask(question)
        shown = _one_line(question)
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        print(f"[{number}/{len(questions)}] {response.get('status')}: {shown}", file=sys.stderr)
        yield {**response, "question": question}


def ask_all(ask: Asker, questions: Sequence[str]) -> list[dict[str, Any]]:
    """Each question's response, with the question as asked beside it."""
    return list(each_answer(ask, questions))


# ---- writing the answers ---------------------------------------------------------------------


def _one_line(value: object) -> str:
    return " ".join(str(value or "").split())


# what can start inline Markdown in a line of text: emphasis (`*`, `_`), a code span (`` ` ``,
# as in an old wire story's ``quotes''), a link or footnote reference (`[`, `]`), raw HTML or an
# autolink (`<`), strikethrough (`~`), a table cell (`|`), and the backslash itself
_INLINE = re.compile(r"([\\`*_\[\]<~|])")
# a character reference ("&amp;", "&#38;"), which a renderer shows as the character
_ENTITY = re.compile(r"&(?=#?\w+;)")
# what makes a line a heading, a quote, a list item or a setext underline when it starts it
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$|-)|=+\s*$|\d{1,9}(?=[.)](?:\s|$)))")


def markdown_text(value: object) -> str:
    """`value` on one line, written so that Markdown shows it as it is: an article's words
    ("``quoted''", "*", "_", "[1]", "<b>") never turn into code, emphasis, links or HTML."""
    return _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", _one_line(value)))


# in an answer's words: a citation marker "[1]" (group 1), or what `markdown_text` escapes
_ANSWER_TOKEN = re.compile(rf"{MARKER.pattern}|{_INLINE.pattern}|{_ENTITY.pattern}")


def _escape_start(match: re.Match[str]) -> str:
    lead, mark = match.group(1), match.group(2)
    if mark[0].isdigit():  # "1." → "1\." (the backslash goes before the dot)
        return f"{lead}{mark}\\"
    return f"{lead}\\{mark}"


def _address(value: object) -> str:
    """An http(s) address as an autolink's text can hold it, or "" for anything else."""
    url = _one_line(value)
    if not url.startswith(("http://", "https://")):
        return ""
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


# what a citation's `detail` may name: the article's own author, date or source, not its words
_DETAILS = ("author", "date", "source")


def _quote(citation: dict[str, Any], *, markdown: bool = True) -> str:
    """The words a citation's claim rests on: its supporting span, or a detail of the article
    (its author, date or source), or the whole paragraph when the span is empty."""
    text_of = markdown_text if markdown else _one_line
    detail = citation.get("detail")
    if detail in _DETAILS:
        return f"the article's {detail}: {text_of(citation.get(detail))}"
    text = str(citation.get("text") or "")
    start, end = citation.get("span_start"), citation.get("span_end")
    span = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
    return f'"{text_of(span.strip() or text)}"'


def _where(item: dict[str, Any], *, markdown: bool = True) -> str:
    """An item's article: `*Title*, Outlet, 2024-10-21, <url>` (plain, the title as it is)."""
    url = _address(item.get("url"))
    if markdown:
        title = markdown_text(item.get("title"))
        parts = [f"*{title}*" if title else "", markdown_text(item.get("source"))]
    else:
        parts = [_one_line(item.get("title")), _one_line(item.get("source"))]
    parts += [_one_line(item.get("date")), (f"<{url}>" if markdown else url) if url else ""]
    return ", ".join(p for p in parts if p)


def _place(item: dict[str, Any]) -> str:
    """Where in its article: `(doc X, paragraph N, id X:…)`, paragraphs counted from 1 as the
    page and /search count them. The id is what finds the paragraph again later
    (`GET /paragraphs/{id}`): its number moves when paragraphs before it are added."""
    where = [f"doc {_one_line(item['doc_id'])}"] if item.get("doc_id") else []
    if isinstance(item.get("index"), int):
        where.append(f"paragraph {item['index'] + 1}")
    if item.get("paragraph_id"):
        where.append(f"id {_one_line(item['paragraph_id'])}")
    return f" ({', '.join(where)})" if where else ""


def _answer_text(answer: object, footnote: Callable[[re.Match[str]], str]) -> str:
    """An answer's words as Markdown: each `[n]` marker as `footnote` gives it, the rest as
    `markdown_text` escapes it, and a line not taken for a heading, a quote or a list item
    ("1. In a wok" stays text)."""

    def escaped(match: re.Match[str]) -> str:
        return footnote(match) if match.group(1) is not None else "\\" + match.group(0)

    lines = (" ".join(line.split()) for line in str(answer or "").split("\n"))
    return "\n".join(
        _BLOCK_START.sub(_escape_start, _ANSWER_TOKEN.sub(escaped, line)) for line in lines if line
    )


def _short_answer(result: dict[str, Any]) -> str:
    """The short answer as the chat page words it, a reading of the quote to check there
    (`Likely answer (check it in the quote): **7 to 2**`), or a detail of the article (its
    author, date or source: `From the article's details: **…**`); "" when there is none."""
    short = markdown_text(result.get("short_answer"))
    if not short:
        return ""
    told = any(c.get("detail") in _DETAILS for c in result.get("citations") or [])
    label = "From the article's details" if told else "Likely answer (check it in the quote)"
    return f"{label}: **{short}**"


def _lacking_note(result: dict[str, Any]) -> str:
    """What the chat page notes when the quote holds nothing of the kind the question asks for
    (`holds_asked_kind` false): a number for "How many…?"; "" otherwise."""
    from qa.evidence import kind_noun

    if result.get("holds_asked_kind") is not False:
        return ""
    try:
        noun = kind_noun(str(result.get("asked_kind")))
    except (KeyError, ValueError):  # no kind, or one a newer server checks and this does not
        return ""
    return (
        f"the quoted sentence gives no {noun}, which the question asks for; "
        "check whether it answers it."
    )


def _lacking(result: dict[str, Any]) -> str:
    """`_lacking_note` as the Markdown's quoted note line; "" when there is none."""
    note = _lacking_note(result)
    return f"> Note: {note}" if note else ""


def markdown_block(result: dict[str, Any], label: str = "") -> str:
    """One question and its answer (sources as footnotes `[^{label}n]`), its refusal with the
    closest paragraphs, or why it was not asked, as Markdown with no trailing newline."""
    lines = [f"**Q:** {markdown_text(result['question'])}", ""]
    status = result.get("status")
    if status == "answered":
        cited = {c["marker"]: c for c in result.get("citations") or []}

        def footnote(match: re.Match[str]) -> str:
            marker = int(match.group(1))
            return f"[^{label}{marker}]" if marker in cited else f"\\[{marker}\\]"

        lines.append(_answer_text(result.get("answer"), footnote))
        # under the quote, as the chat page's Copy as Markdown has them: the short answer, then
        # what the quote lacks of the kind asked for
        for said in (_short_answer(result), _lacking(result)):
            if said:
                lines += ["", said]
        if cited:
            lines.append("")
        for marker in sorted(cited):
            head = _where(cited[marker])
            lines.append(
                f"[^{label}{marker}]: {head + ' — ' if head else ''}{_quote(cited[marker])}"
                f"{_place(cited[marker])}"
            )
    elif status == "insufficient_evidence":
        lines.append(f"**No answer.** {markdown_text(result.get('answer'))}")
        if result.get("reason"):
            lines += ["", f"Why: {markdown_text(result['reason'])}"]
        closest = result.get("retrieved") or []
        if closest:
            lines += ["", "Closest paragraphs:", ""]
        for n, item in enumerate(closest, 1):
            head = _where(item)
            text = markdown_text(item.get("text"))
            lines.append(f'{n}. {head + " — " if head else ""}"{text}"{_place(item)}')
    else:
        lines.append(f"**Not asked:** {markdown_text(result.get('error'))}")
    return "\n".join(lines)


def _sources_cell(result: dict[str, Any]) -> str:
    return "\n".join(
        f"[{c['marker']}] {_where(c, markdown=False)}{_place(c)}: {_quote(c, markdown=False)}"
        for c in sorted(result.get("citations") or [], key=lambda c: c["marker"])
    )


def _csv_row(result: dict[str, Any]) -> dict[str, str]:
    answered = result.get("status") in ANSWER_STATUSES
    score = result.get("evidence_score")
    return {
        "question": result["question"],
        "status": str(result.get("status")),
        "answer": str((result.get("answer") if answered else result.get("error")) or ""),
        "short_answer": result.get("short_answer") or "",
        "reason": result.get("reason") or "",
        "sources": _sources_cell(result),
        "score": f"{score:.3f}" if isinstance(score, float) else "",
        "note": _lacking_note(result),
    }


def markdown_chunks(results: Iterable[dict[str, Any]], *, total: int) -> Iterator[str]:
    """The Markdown of each result as it comes, `---` between two. Footnote labels carry the
    question's number when there are several (`[^2-1]`), so they stay apart in one file."""
    for number, result in enumerate(results, 1):
        label = f"{number}-" if total > 1 else ""
        yield ("\n---\n\n" if number > 1 else "") + markdown_block(result, label) + "\n"


def csv_chunks(results: Iterable[dict[str, Any]], *, total: int) -> Iterator[str]:
    """The CSV header, then a row for each result as it comes."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    yield out.getvalue()
    for result in results:
        out.seek(0)
        out.truncate()
        writer.writerow({name: _inert(value) for name, value in _csv_row(result).items()})
        yield out.getvalue()


# what a spreadsheet reads as a formula at a cell's start (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: object) -> object:
    """A cell a spreadsheet shows as text: one that would start a formula (an article's title
    or words from a saved page such as '=HYPERLINK(…)') gets a leading apostrophe, as OWASP
    advises; other values as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def jsonl_chunks(results: Iterable[dict[str, Any]], *, total: int) -> Iterator[str]:
    for result in results:
        yield json.dumps(result, ensure_ascii=False) + "\n"


CHUNKS: dict[str, Callable[..., Iterator[str]]] = {
    "markdown": markdown_chunks,
    "csv": csv_chunks,
    "jsonl": jsonl_chunks,
}


def to_markdown(results: Sequence[dict[str, Any]]) -> str:
    """Every question and its answer or refusal, as Markdown (`markdown_chunks` joined)."""
    return "".join(markdown_chunks(results, total=len(results)))


def to_csv(results: Sequence[dict[str, Any]]) -> str:
    return "".join(csv_chunks(results, total=len(results)))


def to_jsonl(results: Iterable[dict[str, Any]]) -> str:
    return "".join(jsonl_chunks(results, total=0))


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {value!r}") from exc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", nargs="*", help="questions to ask (or use --file)")
    parser.add_argument("--file", help="questions from a .txt, .csv, .tsv or .jsonl file, or -")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="markdown",
        help="markdown (sources as footnotes), csv (a row a question) or jsonl (whole responses)",
    )
    parser.add_argument("--out", type=Path, help="write the answers here (default: stdout)")
    parser.add_argument("--url", help="ask a running server instead of loading in-process")
    parser.add_argument("--data-dir", type=Path, help="data directory holding index/")
    parser.add_argument("--date-from", type=_day, help="only articles dated on or after")
    parser.add_argument("--date-to", type=_day, help="only articles dated on or before")
    parser.add_argument("--doc-id", action="append", help="only this article (repeat for several)")
    args = parser.parse_args()
    if bool(args.questions) == bool(args.file):
        raise UsageError("give questions on the command line or --file, one of the two")
    if args.url and args.data_dir:
        raise UsageError("--data-dir is for asking in-process; a server (--url) has its own")
    questions = list(args.questions) or questions_from(args.file)
    check_out(args.out)  # before the models load and any question is asked
    ask = _asker(args)
    if args.out is None:
        results = write_answers(ask, questions, args.format, sys.stdout, where="above")
    else:
        # a spreadsheet (Excel) reads a CSV as UTF-8 only when it starts with a byte-order mark
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        with args.out.open("w", encoding=encoding, newline="") as out:
            results = write_answers(ask, questions, args.format, out, where=f"in {args.out}")
    failed = sum(r.get("status") == FAILED for r in results)
    if failed:
        print(f"{failed} of {len(results)} questions failed (see their errors)", file=sys.stderr)
    return 1 if failed else 0


def check_out(out: Path | None) -> None:
    """A usage error, before anything is asked, when the answers could not be written to
    `out`: a folder, or a file in a folder that does not exist."""
    if out is None:
        return
    if out.is_dir():
        raise UsageError(
            f"--out {out} is a folder: give a file to write, e.g. {out / 'answers.md'}"
        )
    folder = out.parent
    if not folder.is_dir():
        raise UsageError(
            f"--out {out}: the folder {folder} does not exist; create it first "
            f"(mkdir -p {folder}) or write the answers elsewhere"
        )


def write_answers(
    ask: Asker, questions: Sequence[str], format: str, out: TextIO, *, where: str
) -> list[dict[str, Any]]:
    """Ask each question and write its answer to `out` as soon as it comes (flushed), so that a
    long list shows its answers as it goes and an interruption (Ctrl-C) keeps those already
    written, saying how many; the results, in order."""
    results: list[dict[str, Any]] = []

    def answered() -> Iterator[dict[str, Any]]:
        for result in each_answer(ask, questions):
            results.append(result)
            yield result

    try:
        for chunk in CHUNKS[format](answered(), total=len(questions)):
            out.write(chunk)
            out.flush()
    except KeyboardInterrupt:
        print(
            f"stopped after {len(results)} of {len(questions)} questions; "
            f"their answers are {where}",
            file=sys.stderr,
        )
        raise
    return results


if __name__ == "__main__":
    run_cli(main)
