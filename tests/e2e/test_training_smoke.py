"""A small smoke run of the selector's training pipeline, end to end with the real parts:
`scripts/selector_data.py` indexes a made-up SQuAD-format file with the project's own index
builder and retriever, `scripts/train_selector.py` fine-tunes the bundled MiniLM on it for a few
steps, exports it to int8 ONNX, fits the combiner and writes the model card, and the result
loads and scores through the same adapter the server uses.

The full training run (about an hour) is not part of `make test`; see models/selector/MODEL_CARD.md.
The articles and questions below are made up for this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.selector import OnnxSelector
from qa.interfaces import SelectorInput
from qa.selection import candidate_features

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TOWNS = [
    ("Arnmouth", "library", "1931", "4,000", "Elsa Varga"),
    ("Brisk Hollow", "bridge", "1954", "12,500", "Tomas Reyl"),
    ("Caddon", "museum", "1968", "7,200", "Mira Ostend"),
    ("Dunmere", "market hall", "1972", "3,100", "Pavel Kroon"),
    ("Eastfold", "swimming pool", "1980", "9,800", "Ilse Marren"),
    ("Farrowgate", "observatory", "1987", "2,600", "Ravi Dunmore"),
    ("Glenharrow", "theatre", "1993", "5,400", "Anna Sollis"),
    ("Hollin Bay", "ferry pier", "1999", "8,300", "Jonas Eyre"),
    ("Islay Cross", "school", "2004", "6,700", "Karin Voss"),
    ("Jarrow Mill", "clinic", "2009", "1,900", "Leon Fairley"),
    ("Kettleby", "stadium", "2013", "15,000", "Nora Blythe"),
    ("Lowesby", "tram depot", "2018", "3,800", "Owen Carrick"),
]


def made_up_squad() -> dict[str, object]:
    """Twelve short articles in SQuAD v1.1 format, four answerable questions each."""
    data = []
    for n, (town, thing, year, visitors, mayor) in enumerate(TOWNS):
        p1 = (
            f"The town of {town} opened its new {thing} in {year} after years of planning. "
            f"The council had argued about the cost for a decade. "
            f"Local builders did most of the work."
        )
        p2 = (
            f"Mayor {mayor} cut the ribbon at the ceremony. "
            f"About {visitors} people came in the first month. "
            f"The {thing} is open every day except Monday."
        )
        p3 = (
            "Heavy rain delayed the final stage of the work by two weeks. "
            "Engineers added drains along the north wall. "
            "The repairs were paid for by a regional fund."
        )

        def qa(qid: str, question: str, answer: str, context: str, n: int = n) -> dict[str, object]:
            return {
                "id": f"t{n:02d}{qid}",
                "question": question,
                "answers": [{"text": answer, "answer_start": context.index(answer)}],
            }

        data.append(
            {
                "title": f"{town} opens a new {thing}",
                "paragraphs": [
                    {"context": p1,
                     "qas": [qa("a", f"When did {town} open its {thing}?", year, p1)]},
                    {
                        "context": p2,
                        "qas": [
                            qa("b", f"Who cut the ribbon at the {thing} in {town}?", mayor, p2),
                            qa("c", f"How many people visited the {thing} in its first month?",
                               visitors, p2),
                        ],
                    },
                    {"context": p3, "qas": [qa("d", "What delayed the final stage of the work?",
                                               "Heavy rain", p3)]},
                ],
            }
        )  # fmt: skip
    return {"version": "1.1", "data": data}


def run(args: list[str], cwd: Path) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_training_pipeline_smoke_run(tmp_path: Path) -> None:
    train_dir = tmp_path / "train"
    train_dir.mkdir()
    (train_dir / "squad-v1.1-dev.json").write_text(json.dumps(made_up_squad()), encoding="utf-8")
    work, out = tmp_path / "work", tmp_path / "model"

    printed = run(
        [str(ROOT / "scripts/selector_data.py"), "--train-dir", str(train_dir),
         "--work-dir", str(work), "--sources", "squad"],
        tmp_path,
    )  # fmt: skip
    assert "squad: 12 articles, 48 questions" in printed
    assert (work / "squad.pkl").is_file()
    recorded = json.loads((work / "lists.json").read_text(encoding="utf-8"))
    assert recorded == {"squad": {"retrieval_depth": 20, "sentence_scores": "off"}}

    printed = run(
        [str(ROOT / "scripts/train_selector.py"), "--work-dir", str(work), "--out", str(out),
         "--per-source", "squad=48,newwiki=0,reddit=0,amazon=0", "--group", "3",
         "--batch-questions", "4", "--threads", "2", "--log-every", "2", "--swap-share", "1",
         "--twin-share", "1", "--gap-share", "1"],
        tmp_path,
    )  # fmt: skip
    assert "training on" in printed and "steps" in printed
    for name in ("selector.onnx", "selector.json", "tokenizer.json", "combiner.json",
                 "training.json", "MODEL_CARD.md"):  # fmt: skip
        assert (out / name).is_file(), name
    report = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert report["seed"] == 13 and report["quantised"] is True
    # near misses ("When did Arnmouth open…" with another town) are made and trained on
    assert report["near_misses"]["squad"] > 0 and report["tune_near_misses"]["questions"] >= 0
    # and twins, read beside their real question with the answer sentence only
    assert report["twins"]["squad"] > 0 and report["tune_twins"]["questions"] >= 0
    # and gapped copies ("opened in that year" for "When did … open?")
    assert report["gaps"]["squad"] > 0 and report["tune_gapped"]["questions"] >= 0
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert report["sha256"] in card
    # the card says how the lists were retrieved, from what selector_data.py recorded
    assert report["lists"] == recorded
    assert "cut at 20 paragraphs" in card and "`--sentence-scores off`" in card

    selector = OnnxSelector(out, threads=1)
    features = candidate_features(
        cosine=0.5, term_coverage=0.5, context_coverage=0.5, type_match=0.0, paragraph_rank=0
    )
    items = [
        SelectorInput(
            "About 4,000 people came in the first month.", "Arnmouth library", "", features
        ),
        SelectorInput("Local builders did most of the work.", "Arnmouth library", "", features),
    ]
    scored = selector.select("How many people came in the first month?", items)
    assert len(scored) == 2
    assert all(0.0 <= s.score <= 1.0 for s in scored)
