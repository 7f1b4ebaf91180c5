#!/usr/bin/env python
"""Check that every quoted piece of every answer starts and ends at a sentence or clause
boundary of the paragraph it cites (issue: "quotes never start or end mid-clause").

    python scripts/evaluate.py --questions Q.jsonl --data-dir DIR --out answers.jsonl
    python scripts/clause_check.py answers.jsonl [more.jsonl ...]

A piece is the text between "…" cuts and `[n]` markers. It starts well when the paragraph has
nothing before it or a sentence/clause end (. ! ? , ; : dash, closing quote or bracket); it
ends well when the paragraph ends there, the piece ends with such punctuation, or the paragraph
goes on with one. Prints each offender and a count; exits 1 if there is any, 2 on a file that
is missing or is not an evaluate.py --out file.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.cli import read_questions, run_cli  # noqa: E402

ENDS = '.!?,;:—–"”’)]'
MARKER = re.compile(r"\s*\[(\d+)\]\s*")


def pieces(answer: str) -> list[tuple[str, int]]:
    """(quoted piece, marker) for each piece of an answer text."""
    parts = MARKER.split(answer.strip())
    out = []
    for text, marker in zip(parts[0::2], parts[1::2], strict=False):
        out += [(p.strip(), int(marker)) for p in text.split("…") if p.strip()]
    return out


def problem(piece: str, paragraph: str) -> str | None:
    """Why a piece is not a whole run of clauses of the paragraph, or None."""
    at = paragraph.find(piece)
    if at < 0:
        return "not in its paragraph"
    before = paragraph[:at].rstrip()
    after = paragraph[at + len(piece) :].lstrip()
    if before and before[-1] not in ENDS:
        return "starts mid-clause"
    if after and piece[-1] not in ENDS and after[0] not in ENDS:
        return "ends mid-clause"
    return None


def check(records: Iterable[dict[str, Any]]) -> tuple[int, list[str]]:
    total, found = 0, []
    for record in records:
        if record.get("status") != "answered":
            continue
        cited = {c["marker"]: c["text"] for c in record.get("citations", [])}
        for piece, marker in pieces(record.get("answer", "")):
            total += 1
            why = problem(piece, cited.get(marker, ""))
            if why:
                found.append(f"{record.get('id')}: {why}: {piece[:80]}")
    return total, found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "answers", nargs="+", type=Path, help="evaluate.py --out files (JSON lines)"
    )
    args = parser.parse_args(argv)
    records = [
        read_questions(path, needs=("id", "status", "answer"))  # answers, one per question
        for path in args.answers
    ]
    total, found = check([record for chunk in records for record in chunk])
    for line in found:
        print(line)
    print(f"{total} quoted pieces, {len(found)} not whole clauses")
    return 1 if found else 0


if __name__ == "__main__":
    run_cli(lambda: main(sys.argv[1:]))
