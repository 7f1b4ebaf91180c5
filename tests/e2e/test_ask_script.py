"""scripts/ask.py end to end: a researcher's list of questions asked of a real server over HTTP,
and in-process from a real index, the answers written as a spreadsheet and as Markdown."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = str(ROOT / "scripts" / "ask.py")
ANSWERABLE = "Whom did South Korea summon on Monday?"
UNANSWERABLE = "Which team won the 2022 FIFA World Cup final in football?"


def run(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, SCRIPT, *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
    )


def test_a_file_of_questions_asked_of_a_server_becomes_a_spreadsheet(
    server: Server, tmp_path: Path
) -> None:
    questions = tmp_path / "questions.txt"
    # the third is only an invisible character: the server refuses it, the others are asked
    questions.write_text(f"# Monday's story\n{ANSWERABLE}\n\n{UNANSWERABLE}\n\u200b\n")
    out = tmp_path / "answers.csv"
    done = run(
        ["--file", str(questions), "--url", server.url, "--format", "csv", "--out", str(out)],
        tmp_path,
    )
    assert done.returncode == 1, done.stderr  # one question failed, and says so
    assert "1 of 3 questions failed" in done.stderr

    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert [r["question"] for r in rows] == [ANSWERABLE, UNANSWERABLE, "\u200b"]
    answered, refused, failed = rows
    direct = httpx.post(f"{server.url}/ask", json={"question": ANSWERABLE}, timeout=120).json()
    assert answered["status"] == direct["status"] == "answered"
    assert answered["answer"] == direct["answer"]  # the same answer the API gives
    assert answered["short_answer"] == (direct["short_answer"] or "")
    for cited in direct["citations"]:
        where = (
            f"(doc {cited['doc_id']}, paragraph {cited['index'] + 1}, id {cited['paragraph_id']})"
        )
        assert where in answered["sources"]
        assert cited["title"] in answered["sources"]
    assert refused["status"] == "insufficient_evidence" and refused["reason"]
    assert failed["status"] == "error"
    assert failed["answer"].startswith("HTTP 422: ") and "empty" in failed["answer"]


def test_questions_asked_in_process_are_written_as_markdown(
    seeds_data_dir: Path, tmp_path: Path
) -> None:
    done = run([ANSWERABLE, UNANSWERABLE, "--data-dir", str(seeds_data_dir)], tmp_path)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.split("\n\n---\n\n")
    assert first.startswith(f"**Q:** {ANSWERABLE}\n\n")
    assert "[^1-1]" in first and "\n[^1-1]: *" in first and "paragraph " in first
    # the short answer under the quote, before the sources, as the chat page copies it
    lead = r"\n\nLikely answer \(check it in the quote\): \*\*[^\n]+\*\*\n\n\[\^1-1\]: "
    assert re.search(lead, first), first
    assert second.startswith(f"**Q:** {UNANSWERABLE}\n\n**No answer.** ")
    assert "\nClosest paragraphs:\n\n1. " in second


def test_a_missing_index_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = run([ANSWERABLE, "--data-dir", str(tmp_path / "nothing")], tmp_path)
    assert done.returncode == 1
    assert "no index in" in done.stderr and "rebuild_index.py" in done.stderr
    assert "Traceback" not in done.stderr
