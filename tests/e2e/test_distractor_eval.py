"""`scripts/distractor_eval.py` end to end with the real parts: two question sets and a folder
of distractors go into one real index (MiniLM embeddings, FAISS, BM25), each set is asked of it
through the service with the bundled selector, and the figures come back as JSON.

The articles and questions below are made up for this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]

HARBOURS = {
    "harbour-skarra": (
        "Skarra harbour reopens after storms",
        "The harbour of Skarra reopened on Monday after a week of storms closed it to ships.\n\n"
        "Harbour master Ingrid Voll said 14 fishing boats had been damaged in the storms.",
    ),
    "harbour-tollan": (
        "Tollan builds a new pier",
        "The town of Tollan finished its new ferry pier in March at a cost of 3.2 million "
        "euros.\n\n"
        "The pier was designed by the engineer Marco Adler.",
    ),
}
ORCHARDS = {
    "orchard-frost": (
        "Frost hits apple growers",
        "A late frost destroyed about 900 tonnes of apples in the Varden valley in April.\n\n"
        "Growers asked the province for emergency loans to replant their orchards.",
    ),
}
DISTRACTORS = {
    "choir-prize": (
        "Village choir wins national title",
        "The village choir of Elmsby won the national title in Leeds on Saturday.\n\n"
        "The choir has 28 members and was founded in 1962.",
    ),
    "tram-line": (
        "Tram line extended",
        "The city extended its tram line by four stops to the new hospital in May.",
    ),
}


def _corpus(folder: Path, articles: dict[str, tuple[str, str]]) -> Path:
    folder.mkdir()
    for name, (title, body) in articles.items():
        (folder / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


def _questions(path: Path, questions: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    return path


def _single(ident: str, question: str, answer: str, doc: str, evidence: str) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "single",
        "question": question,
        "answers": [[answer]],
        "evidence": [{"doc": doc, "text": evidence}],
    }


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "scripts/distractor_eval.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_each_set_is_asked_of_one_index_with_the_distractors(tmp_path: Path) -> None:
    harbours = _corpus(tmp_path / "harbours", HARBOURS)
    orchards = _corpus(tmp_path / "orchards", ORCHARDS)
    distractors = _corpus(tmp_path / "distractors", DISTRACTORS)
    harbour_questions = _questions(
        tmp_path / "harbours.jsonl",
        [
            _single(
                "h1",
                "How many fishing boats were damaged in the storms at Skarra?",
                "14",
                "harbour-skarra",
                "14 fishing boats",
            ),
            _single(
                "h2",
                "Who designed the new ferry pier in Tollan?",
                "Marco Adler",
                "harbour-tollan",
                "designed by the engineer",
            ),
        ],  # fmt: skip
    )
    orchard_questions = _questions(
        tmp_path / "orchards.jsonl",
        [
            _single(
                "o1",
                "How many tonnes of apples did the late frost destroy?",
                "900",
                "orchard-frost",
                "900 tonnes of apples",
            ),  # fmt: skip
            {
                "id": "o2",
                "kind": "unanswerable",
                "question": "What was the price of pears in the Varden valley last year?",
                "answers": [],
                "evidence": [],
            },
        ],
    )
    done = _run(
        "--set", f"{harbour_questions}:{harbours}",
        "--set", f"{orchard_questions}:{orchards}",
        "--distractors", str(distractors),
        "--work-dir", str(tmp_path / "work"),
        "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    assert figures["_index"]["articles"] == 5
    assert figures["_index"]["distractor_articles"] == 2
    assert figures["_index"]["paragraphs"] >= 5
    assert (tmp_path / "work" / "articles" / "choir-prize.txt").is_symlink()
    harbour, orchard = figures["harbours"], figures["orchards"]
    assert harbour["questions"] == 2 and harbour["own_articles"] == 2
    assert orchard["questions"] == 2 and orchard["own_articles"] == 1
    # plain questions, each answered by one sentence of its own article
    assert harbour["answer_accuracy"] == 1.0
    assert orchard["answer_accuracy"] == 1.0
    assert harbour["citation_precision"] == 1.0
    assert harbour["answers_citing_other_articles"] == {"answerable": 0, "unanswerable": 0}
    assert orchard["answers_citing_other_articles"]["answerable"] == 0


def test_two_articles_of_one_name_stop_the_run(tmp_path: Path) -> None:
    first = _corpus(tmp_path / "first", DISTRACTORS)
    second = _corpus(tmp_path / "second", {"tram-line": DISTRACTORS["tram-line"]})
    questions = _questions(tmp_path / "q.jsonl", [])
    done = _run(
        "--set", f"{questions}:{first}",
        "--distractors", str(second),
        "--work-dir", str(tmp_path / "work"),
    )  # fmt: skip
    assert done.returncode != 0
    assert "two articles are named 'tram-line'" in done.stderr
