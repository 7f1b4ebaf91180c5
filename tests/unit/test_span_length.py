"""How `scripts/span_length.py` reads the tuning questions and scores a short answer."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("span_length")


def test_answers_are_compared_as_squad_compares_them(script: ModuleType) -> None:
    assert script.squad_normal("The  Harbour, Board!") == "harbour board"
    assert script.token_f1("the harbour board", "Harbour Board") == 1.0
    assert script.token_f1("20 balloons carrying 300,000", "20") == pytest.approx(2 * 0.25 / 1.25)
    assert script.token_f1("Friday", "20") == 0.0
    assert script.token_f1("", "") == 1.0


def _squad(path: Path, title: str, context: str, question: str, answer: str) -> None:
    qa = {"id": title, "question": question,
          "answers": [{"text": answer, "answer_start": context.index(answer)}]}  # fmt: skip
    data = {"data": [{"title": title, "paragraphs": [{"context": context, "qas": [qa]}]}]}
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_tuning_question_is_read_with_its_answers_sentence_title_and_the_one_before(
    script: ModuleType, tmp_path: Path
) -> None:
    context = "The bridge opened in 1932. It cost 40 million dollars. Ada Lund built it."
    for name, file_name in script.SOURCES.items():
        _squad(tmp_path / file_name, f"Bridge {name}", context, "What did it cost?", "40 million")
    items = script.tuning_items(tmp_path)
    assert len(items) == len(script.SOURCES)  # one article a source: each is the tuning one
    source, question, item, answers = items[0]
    assert (source, question, answers) == ("new-wiki", "What did it cost?", ["40 million"])
    assert (item.sentence, item.previous) == (
        "It cost 40 million dollars.",
        "The bridge opened in 1932.",
    )
    assert item.title == "Bridge new-wiki"
    untitled = [i for s, _, i, _ in items if s in ("reddit", "amazon")]
    assert [i.title for i in untitled] == ["", ""]  # posts and reviews have no headline


def test_a_missing_train_file_is_a_usage_error(script: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(script.UsageError, match="--train-dir"):
        script.tuning_items(tmp_path)
