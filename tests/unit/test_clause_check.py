"""Unit tests for scripts/clause_check.py over made-up answers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "clause_check.py"
_spec = importlib.util.spec_from_file_location("clause_check", _PATH)
assert _spec and _spec.loader
clause_check = importlib.util.module_from_spec(_spec)
sys.modules["clause_check"] = clause_check
_spec.loader.exec_module(clause_check)

PARAGRAPH = (
    "The council met on Tuesday. After a long debate, it approved the plan, which costs "
    "4 million dollars, and work starts in spring."
)


def record(answer: str) -> dict[str, object]:
    citation = {"marker": 1, "text": PARAGRAPH}
    return {"id": "q", "status": "answered", "answer": answer, "citations": [citation]}


def test_whole_sentences_and_clause_runs_pass() -> None:
    answers = [
        "The council met on Tuesday. [1]",
        "… it approved the plan, which costs 4 million dollars … [1]",
    ]
    total, found = clause_check.check(record(a) for a in answers)
    assert total == 2 and found == []


def test_cuts_inside_a_clause_are_reported() -> None:
    total, found = clause_check.check(
        [record("… approved the plan, which costs 4 million [1]"), record("Nothing here. [1]")]
    )
    assert total == 2
    assert [f.split(": ")[1] for f in found] == ["starts mid-clause", "not in its paragraph"]
    assert clause_check.problem("The council met", PARAGRAPH) == "ends mid-clause"
