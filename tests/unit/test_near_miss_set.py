"""How `scripts/near_miss_set.py` makes answerable questions and near misses of a SQuAD article."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.scripts import load_script

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("near_miss_set")


@pytest.fixture(scope="module")
def data() -> ModuleType:
    return load_script("selector_data")


PARAGRAPHS = [
    "The bridge opened in 1932 after four years of work.",
    "It cost 40 million dollars, twice the first estimate.",
    "Its chief engineer was Ada Lund.",
    "The bridge was repainted in 1932 colours in 2001.",
]


def _source(data: ModuleType) -> object:
    source = data.Source("squad")
    source.articles["squad000-0000-bridge"] = ("Bridge", PARAGRAPHS)
    source.articles["squad001-0000-other"] = ("Other", ["Nothing here."])
    asked = [
        ("q1", "When did the bridge open?", "1932", 0),
        ("q2", "How much did the bridge cost?", "40 million dollars", 1),
        ("q3", "Who was the chief engineer?", "Ada Lund", 2),
        ("q4", "When was the bridge repainted?", "2001", 3),
        ("q5", "What year did work start on the bridge?", "1928", 1),  # not in any paragraph
        ("q6", "What colours was it repainted in?", "1932", 3),  # 1932 is in a kept paragraph
    ]
    for qid, text, answer, paragraph in asked:
        source.questions.append(
            data.Question(qid, text, [(answer, 0)], "squad000-0000-bridge", paragraph)
        )
    source.questions.append(data.Question("q7", "Why?", [("x", 0)], "squad001-0000-other", 0))
    return source


def test_every_other_paragraph_is_kept(script: ModuleType) -> None:
    assert script.kept(PARAGRAPHS) == [PARAGRAPHS[0], PARAGRAPHS[2]]


def test_a_question_on_a_left_out_paragraph_is_a_near_miss_unless_its_answer_is_still_there(
    script: ModuleType, data: ModuleType
) -> None:
    rows = script.near_miss_questions(
        _source(data), ["squad000-0000-bridge"], {"squad000-0000-bridge"}, None
    )
    kinds = {row["id"]: row["kind"] for row in rows}
    assert kinds == {
        "squad-q1": "single",
        "squad-q2": "unanswerable",
        "squad-q3": "single",
        "squad-q4": "unanswerable",
        "squad-q5": "unanswerable",
    }  # q6's answer is in the kept first paragraph; q7's article was not chosen
    first = rows[0]
    assert first["answers"] == [["1932"]]
    assert first["evidence"] == [{"doc": "squad000-0000-bridge", "text": "1932"}]
    assert first["tune"] is True and first["asked"] == "time"
    assert all(row["answers"] == [] and row["evidence"] == [] for row in rows[1::2][:2])


def test_only_the_kinds_asked_for_are_kept(script: ModuleType, data: ModuleType) -> None:
    number = {script.AnswerType.NUMBER}
    rows = script.near_miss_questions(_source(data), ["squad000-0000-bridge"], set(), number)
    assert [(row["id"], row["asked"], row["tune"]) for row in rows] == [
        ("squad-q2", "number", False)
    ]


def test_the_tuning_articles_come_first(data: ModuleType) -> None:
    docs = [f"squad{i:03d}-0000-x" for i in range(40)]
    ranked = data.ranked_articles(docs)
    tune = data.tune_articles(docs)
    assert sorted(ranked) == sorted(docs)
    assert len(tune) == 2 and set(ranked[:2]) == tune
