"""Unit tests for scripts/evaluate.py's follow-ups: earlier questions are asked in order, each
with the conversation so far, and a malformed history is a usage error naming the question."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scripts.evaluate import converse

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def test_earlier_questions_are_asked_in_order_with_the_answers_so_far() -> None:
    asked: list[tuple[str, list[dict[str, str]]]] = []

    def ask(question: str, history: list[dict[str, str]]) -> dict[str, Any]:
        asked.append((question, [dict(turn) for turn in history]))
        return {"answer": f"answer to {question}", "status": "answered"}

    history = converse(ask, ["Who led it?", "When?"])
    assert asked == [
        ("Who led it?", []),
        ("When?", [{"question": "Who led it?", "answer": "answer to Who led it?"}]),
    ]
    assert history == [
        {"question": "Who led it?", "answer": "answer to Who led it?"},
        {"question": "When?", "answer": "answer to When?"},
    ]


def test_a_refusal_is_carried_as_its_text_and_a_failed_request_as_nothing() -> None:
    refusal = "The articles do not hold enough evidence to answer this."
    replies = iter(
        [
            {"answer": '{"title": "Unprocessable"}', "status": "http 422"},
            {"answer": refusal, "status": "insufficient_evidence"},
            {"answer": "x [1]", "status": "answered"},
        ]
    )
    history = converse(lambda q, h: next(replies), ["a?", "b?", "c?"])
    assert [turn["answer"] for turn in history] == ["", refusal, "x [1]"]


def test_no_history_asks_nothing() -> None:
    assert converse(lambda q, h: pytest.fail("asked"), []) == []


@pytest.mark.parametrize("history", ["Who?", ["Who?", "  "], [3]])
def test_a_history_that_is_not_a_list_of_questions_is_a_usage_error(
    tmp_path: Path, history: Any
) -> None:
    path = tmp_path / "q.jsonl"
    line = {"id": "f1", "kind": "single", "question": "Why?", "history": history}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    command = [sys.executable, "scripts/evaluate.py", "--questions", str(path)]
    command += ["--data-dir", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "f1: history must be a list of questions" in done.stderr


def test_retrieval_alone_refuses_follow_ups(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    line = {"id": "f2", "kind": "single", "question": "When?", "history": ["Who won?"]}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    command = [sys.executable, "scripts/evaluate.py", "--questions", str(path), "--retrieval"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "f2: --retrieval ranks questions on their own" in done.stderr


def test_retrieval_with_a_server_address_is_a_usage_error(tmp_path: Path) -> None:
    """--retrieval reads the local index; with --url it used to ignore the server and fail on a
    missing local index instead (helper-106)."""
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "r1", "kind": "single", "question": "Who?"}) + "\n")
    command = [sys.executable, "scripts/evaluate.py", "--questions", str(path), "--retrieval"]
    command += ["--url", "http://127.0.0.1:9", "--data-dir", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "a server at --url is not asked" in done.stderr
